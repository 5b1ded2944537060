#pragma once
// Private to the claims: the fleets and variants the OTA-strategy claims run
// (shared/bench/ota-fleet.md), and the figures they read from a run.

#include <string>
#include <vector>

#include "claim_eval.hpp"

namespace meshota::sim::detail {

/// The fleets' scenarios, as committed in scenarios/.
inline const std::string kF10 = "fleet-f10-tree";
inline const std::string kF50 = "fleet-f50-tree";
inline const std::string kF100 = "fleet-f100-rgg";
inline const std::string kBase10 = "baseline-unicast-10";
inline const std::string kBase50 = "baseline-unicast-50";

/// meshota with `strategy`, compressed or not; `loss` adds that much Bernoulli loss on every link.
Variant meshota(Strategy strategy, bool compressed, double loss = 0.0);
/// `v` with `nodes` receivers (plus the root) and the shared image `file`.
Variant resized(Variant v, uint32_t nodes, const std::string& file);
/// painlessMesh's OTA as the baseline scenario has it, sending `file`, with `loss` on every link.
Variant baseline(const std::string& file, double loss = 0.0);

/// Seconds from the offer to the last receiver running the image, per seed.
ClaimValue time_of(ClaimRunner& r, const std::string& name, const Variant& v, std::string what);
/// Per seed, `f(a, b)` of two values measured on the same seeds.
ClaimValue combine(const ClaimValue& a, const ClaimValue& b, std::string what, std::string unit,
                   const std::function<double(double, double)>& f);
/// (1 - a / b) in %: how much less a is than b.
double less_pct(double a, double b);

/// The five ways the diagram seed (D) updates 20 nodes with a 200 KB image (C09, C10): a fleet,
/// what it stands for, and the variant (21-node random trees, the real 195 KB nvs_rw_blob.bin).
struct Way {
  std::string fleet;
  std::string what;
  Variant variant;
};
std::vector<Way> twenty_node_ways();

/// Image bytes the links carried in chunk frames (meshota) or Data packages (painlessMesh), every hop.
double data_link_bytes(const ScenarioRun& run);
/// Chunk frames the distributing node sent, in full copies of the image.
double source_copies(const ScenarioRun& run);
/// Receivers running the image at the end, in % of all receivers.
double success_pct(const ScenarioRun& run);

}  // namespace meshota::sim::detail
