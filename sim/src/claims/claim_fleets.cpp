// The fleets and variants the OTA-strategy claims run, and the figures they read.

#include "claim_fleets.hpp"

#include <fmt/format.h>

namespace meshota::sim::detail {
namespace {

const char* name_of(Strategy s) {
  switch (s) {
    case Strategy::kP2p: return "p2p";
    case Strategy::kBroadcast: return "broadcast";
    case Strategy::kUnicast: return "unicast";
  }
  return "?";
}

void add_loss(Scenario& sc, double loss) {
  if (loss <= 0) return;
  LossSpec& l = sc.medium.kind == MediumKind::kRadio ? sc.medium.radio.rx_loss : sc.medium.loss;
  l = LossSpec{};
  l.kind = LossKind::kBernoulli;
  l.p = loss;
}

}  // namespace

Variant meshota(Strategy strategy, bool compressed, double loss) {
  std::string name = fmt::format("{}{}", name_of(strategy), compressed ? "+deflate" : "");
  if (loss > 0) name += fmt::format(", {:.0f} % loss", loss * 100);
  return Variant{name, [=](Scenario& sc) {
                   sc.ota.protocol = "meshota";
                   sc.ota.strategy = strategy;
                   sc.ota.compressed = compressed;
                   add_loss(sc, loss);
                 }};
}

Variant resized(Variant v, uint32_t nodes, const std::string& file) {
  auto inner = v.adjust;
  return Variant{fmt::format("{}, {} nodes, {}", v.name, nodes, file), [=](Scenario& sc) {
                   if (inner) inner(sc);
                   sc.topology.nodes = nodes + 1;
                   use_image(sc, file);
                 }};
}

Variant baseline(const std::string& file, double loss) {
  std::string name = file;
  if (loss > 0) name += fmt::format(", {:.0f} % loss", loss * 100);
  return Variant{name, [=](Scenario& sc) {
                   use_image(sc, file);
                   add_loss(sc, loss);
                 }};
}

ClaimValue time_of(ClaimRunner& r, const std::string& name, const Variant& v, std::string what) {
  return measure(r, name, v, std::move(what), "s", completion_s);
}

ClaimValue combine(const ClaimValue& a, const ClaimValue& b, std::string what, std::string unit,
                   const std::function<double(double, double)>& f) {
  ClaimValue v{std::move(what), std::move(unit), {}};
  for (size_t i = 0; i < a.per_seed.size() && i < b.per_seed.size(); ++i) v.per_seed.push_back(f(a.per_seed[i], b.per_seed[i]));
  return v;
}

double less_pct(double a, double b) { return b == 0 ? 0.0 : 100.0 * (1.0 - a / b); }

std::vector<Way> twenty_node_ways() {
  const std::string img = "nvs_rw_blob.bin";
  return {{kBase10, "sequential (painlessMesh)", resized(baseline(img), 20, img)},
          {kF10, "+ compression (meshota unicast + deflate)", resized(meshota(Strategy::kUnicast, true), 20, img)},
          {kF10, "+ broadcast", resized(meshota(Strategy::kBroadcast, false), 20, img)},
          {kF10, "broadcast + compression", resized(meshota(Strategy::kBroadcast, true), 20, img)},
          {kF10, "P2P (+ deflate)", resized(meshota(Strategy::kP2p, true), 20, img)}};
}

double data_link_bytes(const ScenarioRun& run) {
  const TrafficClass c = run.scenario.ota.meshota() ? TrafficClass::kOtaChunk : TrafficClass::kData;
  return static_cast<double>(run.result.traffic[static_cast<size_t>(c)].link_bytes);
}

double source_copies(const ScenarioRun& run) {
  double sent = 0;
  for (const NodeResult& n : run.result.nodes)
    if (n.is_sender) sent += n.ota.chunks_sent;
  return run.result.ota_chunks == 0 ? 0.0 : sent / run.result.ota_chunks;
}

double success_pct(const ScenarioRun& run) {
  return run.result.receivers == 0 ? 0.0 : 100.0 * run.result.updated / run.result.receivers;
}

}  // namespace meshota::sim::detail
