#include "scenario_radio.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim::detail {
namespace {

// Name lists are in enum order: read_choice's index is cast to the enum.
constexpr std::array<std::string_view, 2> kPropagations = {"range", "log-distance"};
constexpr std::array<std::string_view, 3> kRates = {"dsss-1", "dsss-2", "ofdm-6"};
constexpr std::array<std::string_view, 3> kLossModels = {"none", "bernoulli", "gilbert-elliott"};
// clang-format off
constexpr std::array<std::string_view, 23> kRadioKeys = {
    "propagation", "range_m", "tx_power_dbm", "reference_loss_db", "path_loss_exponent",
    "shadowing_sigma_db", "overrides", "rate", "noise_figure_db", "rx_sensitivity_dbm",
    "cca_threshold_dbm", "interference_floor_dbm", "any_overlap_destroys", "slot_us", "sifs_us",
    "difs_us", "cw_min", "cw_max", "retry_limit", "queue_limit_frames", "eifs", "loss", "link_loss"};
// clang-format on
constexpr std::array<std::string_view, 3> kOverrideKeys = {"a", "b", "rx_dbm"};
constexpr std::array<std::string_view, 8> kLinkLossKeys = {
    "from", "to", "model", "p", "p_good_to_bad", "p_bad_to_good", "loss_good", "loss_bad"};
constexpr std::array<std::string_view, 6> kLossKeys = {
    "model", "p", "p_good_to_bad", "p_bad_to_good", "loss_good", "loss_bad"};

void read_propagation(const Section& s, RadioSpec& r) {
  if (const int k = s.read_choice("propagation", kPropagations); k >= 0) r.propagation = static_cast<PropagationKind>(k);
  const bool range = r.propagation == PropagationKind::kRange;
  s.only_when(range, "range_m", "propagation: range");
  for (const std::string_view key : {"reference_loss_db", "path_loss_exponent", "shadowing_sigma_db"})
    s.only_when(!range, key, "propagation: log-distance");
  s.read("range_m", r.range_m);
  s.check(r.range_m > 0, "range_m", "must be greater than 0 metres, e.g. 55 (flood-radio.md)");
  s.read("tx_power_dbm", r.tx_power_dbm);
  s.check(r.tx_power_dbm >= -10 && r.tx_power_dbm <= 30, "tx_power_dbm",
          "must be -10 to 30 dBm; an ESP32 transmits at most 20 (default 16.02 = 40 mW)");
  s.read("reference_loss_db", r.reference_loss_db);
  s.check(r.reference_loss_db >= 0, "reference_loss_db", "must not be negative; free space at 1 m and 2.4 GHz is 40.05");
  s.read("path_loss_exponent", r.path_loss_exponent);
  s.check(r.path_loss_exponent >= 1.5 && r.path_loss_exponent <= 6, "path_loss_exponent",
          "must be 1.5 to 6 (2 = free space, about 3 indoors)");
  s.read("shadowing_sigma_db", r.shadowing_sigma_db);
  s.check(r.shadowing_sigma_db >= 0 && r.shadowing_sigma_db <= 20, "shadowing_sigma_db",
          "must be 0 to 20 dB (0 = no shadowing; 4 to 8 is typical indoors)");
}

void read_phy(const Section& s, RadioSpec& r) {
  if (const int k = s.read_choice("rate", kRates); k >= 0) r.data_rate = static_cast<PhyRate>(k);
  s.read("noise_figure_db", r.noise_figure_db);
  s.check(r.noise_figure_db >= 0 && r.noise_figure_db <= 20, "noise_figure_db", "must be 0 to 20 dB, e.g. 7");
  s.read("rx_sensitivity_dbm", r.rx_sensitivity_dbm);
  s.check(r.rx_sensitivity_dbm >= -110 && r.rx_sensitivity_dbm <= -40, "rx_sensitivity_dbm",
          "must be -110 to -40 dBm; an ESP32 at 1 Mbit/s hears down to -98");
  s.read("cca_threshold_dbm", r.cca_ed_threshold_dbm);
  s.check(r.cca_ed_threshold_dbm >= -100 && r.cca_ed_threshold_dbm <= -20, "cca_threshold_dbm",
          "must be -100 to -20 dBm (802.11's energy detect is -62)");
  if (s.has("interference_floor_dbm")) {
    double floor = 0;
    s.read("interference_floor_dbm", floor);
    s.check(floor >= -150 && floor <= r.rx_sensitivity_dbm, "interference_floor_dbm",
            "must be -150 dBm to rx_sensitivity_dbm; signals weaker than it are ignored");
    r.interference_floor_dbm = floor;
  }
  s.read("any_overlap_destroys", r.any_overlap_destroys);
}

void read_mac(const Section& s, RadioSpec& r) {
  s.read("slot_us", r.slot_us);
  s.read("sifs_us", r.sifs_us);
  s.read("difs_us", r.difs_us);
  s.check(r.slot_us >= 1 && r.slot_us <= 1000, "slot_us", "must be 1 to 1000 us (802.11b: 20)");
  s.check(r.sifs_us >= 1 && r.sifs_us <= 1000, "sifs_us", "must be 1 to 1000 us (802.11b: 10)");
  s.check(r.difs_us >= r.sifs_us && r.difs_us <= 10000, "difs_us", "must be at least sifs_us (802.11b: SIFS + 2 slots = 50)");
  s.read("cw_min", r.cw_min);
  s.read("cw_max", r.cw_max);
  s.check(r.cw_min >= 1 && r.cw_min <= 1023, "cw_min", "must be 1 to 1023 (802.11b: 31)");
  s.check(r.cw_max >= r.cw_min && r.cw_max <= 65535, "cw_max", "must be cw_min to 65535 (802.11b: 1023)");
  s.read("retry_limit", r.retry_limit);
  s.check(r.retry_limit <= 32, "retry_limit", "must be 0 to 32 retransmissions (802.11's short retry limit is 7)");
  s.read("queue_limit_frames", r.queue_limit_frames);
  s.read("eifs", r.eifs);
}

void read_link_loss(const Section& s, MediumSpec& m) {
  const std::vector<YAML::Node> items = s.list("link_loss");
  for (size_t i = 0; i < items.size(); ++i) {
    const Section o(s.file(), items[i], s.name("link_loss") + "[" + std::to_string(i) + "]", kLinkLossKeys,
                    items[i].Mark());
    RadioLinkLoss l;
    l.pos = o.pos();
    o.require("from", "from: 3");
    o.require("to", "to: 4");
    o.require("model", "model: bernoulli");
    o.read("from", l.from);
    o.read("to", l.to);
    o.check(l.from != l.to, "to", "is the same node as 'from'; a link joins two nodes");
    read_loss_fields(o, l.loss);
    m.radio_link_loss.push_back(l);
  }
}

}  // namespace

void read_loss_fields(const Section& s, LossSpec& l) {
  if (const int k = s.read_choice("model", kLossModels); k >= 0) l.kind = static_cast<LossKind>(k);
  const bool bernoulli = l.kind == LossKind::kBernoulli;
  const bool ge = l.kind == LossKind::kGilbertElliott;
  s.only_when(bernoulli, "p", "model: bernoulli");
  for (const std::string_view key : {"p_good_to_bad", "p_bad_to_good", "loss_good", "loss_bad"})
    s.only_when(ge, key, "model: gilbert-elliott");
  if (bernoulli) s.require("p", "p: 0.01");
  if (ge) {
    s.require("p_good_to_bad", "p_good_to_bad: 0.01");
    s.require("p_bad_to_good", "p_bad_to_good: 0.3");
    s.require("loss_bad", "loss_bad: 0.5");
  }
  s.read_probability("p", l.p);
  s.read_probability("p_good_to_bad", l.p_good_to_bad);
  s.read_probability("p_bad_to_good", l.p_bad_to_good);
  s.read_probability("loss_good", l.loss_good);
  s.read_probability("loss_bad", l.loss_bad);
}

void read_radio(const Section& medium, MediumSpec& m) {
  const Section s = medium.child("radio", kRadioKeys);
  RadioSpec& r = m.radio;
  read_propagation(s, r);
  read_phy(s, r);
  read_mac(s, r);
  const std::vector<YAML::Node> items = s.list("overrides");
  for (size_t i = 0; i < items.size(); ++i) {
    const Section o(s.file(), items[i], s.name("overrides") + "[" + std::to_string(i) + "]", kOverrideKeys,
                    items[i].Mark());
    o.require("a", "a: 3");
    o.require("b", "b: 4");
    o.require("rx_dbm", "rx_dbm: -80");
    LinkOverride lo;
    o.read("a", lo.a);
    o.read("b", lo.b);
    o.read("rx_dbm", lo.rx_dbm);
    o.check(lo.a != lo.b, "b", "is the same node as 'a'; a link joins two nodes");
    o.check(lo.rx_dbm >= -150 && lo.rx_dbm <= 30, "rx_dbm", "must be -150 to 30 dBm (the received power of the pair)");
    r.overrides.push_back(lo);
    m.radio_override_pos.push_back(o.pos());
  }
  read_loss_fields(s.child("loss", kLossKeys), r.rx_loss);
  read_link_loss(s, m);
}

void check_radio_nodes(const Scenario& sc) {
  const uint32_t n = sc.topology.nodes;
  auto check = [&](uint32_t node, SourcePos pos, const char* what) {
    if (node >= n)
      throw InputError(sc.path, pos.line, pos.column,
                       std::string(what) + " names node " + std::to_string(node) + " but the mesh has " +
                           std::to_string(n) + " node(s), numbered 0.." + std::to_string(n - 1));
  };
  for (size_t i = 0; i < sc.medium.radio.overrides.size(); ++i) {
    const LinkOverride& o = sc.medium.radio.overrides[i];
    check(std::max(o.a, o.b), sc.medium.radio_override_pos[i], "medium.radio.overrides item");
  }
  for (const RadioLinkLoss& l : sc.medium.radio_link_loss)
    check(std::max(l.from, l.to), l.pos, "medium.radio.link_loss item");
}

}  // namespace meshota::sim::detail
