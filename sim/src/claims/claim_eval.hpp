#pragma once
// Private to the claims: helpers every claim's evaluation uses, and the evaluators.

#include <functional>
#include <string>

#include "meshota/sim/claims/claims.hpp"

namespace meshota::sim::detail {

/// A change to a scenario, named so that runs of it are cached apart ("" and no change: as written).
struct Variant {
  std::string name;
  std::function<void(Scenario&)> adjust;
};

/// A row with the claim's id, text and source filled in, and the runner's seeds.
ClaimRow row_for(const std::string& id, const ClaimRunner& r);
/// "holds" when every seed's value is in [lo, hi], "fails" when none is, else "holds for k of n seeds".
std::string range_verdict(const ClaimValue& v, double lo, double hi);
/// Seconds from the offer to the last receiver running the image; the run's end if some never did.
double completion_s(const ScenarioRun& run);
/// `figure` of scenarios/<name>.yaml (changed by `variant`) on every seed of the runner.
ClaimValue measure(ClaimRunner& r, const std::string& name, const Variant& variant, std::string what,
                   std::string unit, const std::function<double(const ScenarioRun&)>& figure);
/// Makes the scenario send the shared firmware image `file` (a name in data/firmware/).
void use_image(Scenario& sc, const std::string& file);

ClaimRow claim_c01(ClaimRunner& r);
ClaimRow claim_c02(ClaimRunner& r);
ClaimRow claim_c03(ClaimRunner& r);
ClaimRow claim_c04(ClaimRunner& r);
ClaimRow claim_c05(ClaimRunner& r);
ClaimRow claim_c06(ClaimRunner& r);
ClaimRow claim_c07(ClaimRunner& r);
ClaimRow claim_c08(ClaimRunner& r);
ClaimRow claim_c09(ClaimRunner& r);
ClaimRow claim_c10(ClaimRunner& r);
ClaimRow claim_c11(ClaimRunner& r);
ClaimRow claim_c12(ClaimRunner& r);
ClaimRow claim_c24(ClaimRunner& r);
ClaimRow claim_c13(ClaimRunner& r);
ClaimRow claim_c14(ClaimRunner& r);
ClaimRow claim_c16(ClaimRunner& r);
ClaimRow claim_c15(ClaimRunner& r);
ClaimRow claim_c17(ClaimRunner& r);
ClaimRow claim_c19(ClaimRunner& r);
ClaimRow claim_c20(ClaimRunner& r);
ClaimRow claim_c21(ClaimRunner& r);
ClaimRow claim_c22(ClaimRunner& r);
ClaimRow claim_c23(ClaimRunner& r);
ClaimRow claim_c25(ClaimRunner& r);
ClaimRow claim_c26(ClaimRunner& r);

}  // namespace meshota::sim::detail
