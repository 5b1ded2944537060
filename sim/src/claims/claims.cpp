#include "meshota/sim/claims/claims.hpp"

#include <fmt/format.h>

#include "claim_eval.hpp"
#include "claim_list.hpp"

namespace meshota::sim {
namespace detail {

ClaimRow row_for(const std::string& id, const ClaimRunner& r) {
  ClaimRow row;
  row.id = id;
  for (const ClaimText& c : kClaims)
    if (c.id == id) {
      row.claim = std::string(c.claim);
      row.source = std::string(c.source);
    }
  row.seeds = r.seeds();
  return row;
}

std::string range_verdict(const ClaimValue& v, double lo, double hi) {
  size_t inside = 0;
  for (double x : v.per_seed) inside += x >= lo && x <= hi ? 1 : 0;
  if (inside == v.per_seed.size()) return "holds";
  if (inside == 0) return "fails";
  return fmt::format("holds for {} of {} seeds", inside, v.per_seed.size());
}

double completion_s(const ScenarioRun& run) {
  if (run.result.updated == run.result.receivers && run.analysis.last_updated_s >= 0) return run.analysis.last_updated_s;
  return static_cast<double>(run.result.end_ns - run.result.offer_ns) / 1e9;
}

ClaimValue measure(ClaimRunner& r, const std::string& name, const Variant& variant, std::string what,
                   std::string unit, const std::function<double(const ScenarioRun&)>& figure) {
  ClaimValue v{std::move(what), std::move(unit), {}};
  for (uint64_t seed : r.seeds()) v.per_seed.push_back(figure(r.run(name, seed, variant.name, variant.adjust)));
  return v;
}

void use_image(Scenario& sc, const std::string& file) {
  sc.firmware.file = sc.path.substr(0, sc.path.rfind('/')) + "/../../data/firmware/" + file;  // from scenarios/<room>/
  sc.firmware.size_bytes = 0;
}

namespace {

// What a claim that cannot be decided yet needs, by id.
std::string needs(std::string_view id) {
  static const std::map<std::string_view, std::string> kNeeds = {
      {"C18", "the MQTT bridge (gateway, roadmap item 5)"},
  };
  const auto it = kNeeds.find(id);
  return it == kNeeds.end() ? std::string("an evaluator") : it->second;
}

}  // namespace
}  // namespace detail

std::vector<ClaimRow> evaluate_claims(ClaimRunner& runner) {
  using Eval = ClaimRow (*)(ClaimRunner&);
  const std::map<std::string_view, Eval> decided = {
      {"C01", detail::claim_c01}, {"C02", detail::claim_c02}, {"C03", detail::claim_c03},
      {"C04", detail::claim_c04}, {"C05", detail::claim_c05}, {"C06", detail::claim_c06},
      {"C07", detail::claim_c07}, {"C08", detail::claim_c08}, {"C09", detail::claim_c09}, {"C10", detail::claim_c10},
      {"C11", detail::claim_c11}, {"C12", detail::claim_c12}, {"C13", detail::claim_c13},
      {"C14", detail::claim_c14}, {"C15", detail::claim_c15}, {"C16", detail::claim_c16},
      {"C17", detail::claim_c17}, {"C19", detail::claim_c19}, {"C20", detail::claim_c20},
      {"C21", detail::claim_c21}, {"C22", detail::claim_c22}, {"C23", detail::claim_c23},
      {"C24", detail::claim_c24}, {"C25", detail::claim_c25}, {"C26", detail::claim_c26}};
  std::vector<ClaimRow> rows;
  for (const detail::ClaimText& c : detail::kClaims) {
    const auto it = decided.find(c.id);
    if (it != decided.end()) {
      rows.push_back(it->second(runner));
      continue;
    }
    ClaimRow row = detail::row_for(std::string(c.id), runner);
    row.seeds.clear();
    row.verdict = "needs: " + detail::needs(c.id);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace meshota::sim
