#pragma once
// Private to the claims: helpers every claim's evaluation uses, and the evaluators.

#include <string>

#include "meshota/sim/claims/claims.hpp"

namespace meshota::sim::detail {

/// A row with the claim's id, text and source filled in, and the runner's seeds.
ClaimRow row_for(const std::string& id, const ClaimRunner& r);
/// "holds" when every seed's value is in [lo, hi], "fails" when none is, else "holds for k of n seeds".
std::string range_verdict(const ClaimValue& v, double lo, double hi);
/// Seconds from the offer to the last receiver running the image; the run's end if some never did.
double completion_s(const ScenarioRun& run);

ClaimRow claim_c01(ClaimRunner& r);
ClaimRow claim_c02(ClaimRunner& r);
ClaimRow claim_c15(ClaimRunner& r);
ClaimRow claim_c17(ClaimRunner& r);
ClaimRow claim_c19(ClaimRunner& r);
ClaimRow claim_c20(ClaimRunner& r);
ClaimRow claim_c21(ClaimRunner& r);
ClaimRow claim_c22(ClaimRunner& r);
ClaimRow claim_c23(ClaimRunner& r);
ClaimRow claim_c26(ClaimRunner& r);

}  // namespace meshota::sim::detail
