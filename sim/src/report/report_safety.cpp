#include "report_safety.hpp"

#include <fmt/format.h>

namespace meshota::sim::detail {
namespace {

using J = nlohmann::ordered_json;

const char* audit_name(core::RolloutAudit::Kind k) {
  using K = core::RolloutAudit::Kind;
  switch (k) {
    case K::kStart: return "start";
    case K::kWaveStart: return "wave starts";
    case K::kWaveRan: return "wave ran";
    case K::kAdvance: return "advance";
    case K::kAbort: return "abort";
    case K::kDone: return "done";
    case K::kPause: return "pause";
    case K::kResume: return "resume";
    case K::kApprove: return "approve";
    case K::kWindowWait: return "wait for window";
    case K::kRollback: return "node rolled back";
  }
  return "?";
}

constexpr const char* kReasons[5] = {"none", "trial not confirmed", "health check failed", "image check failed",
                                     "rolled back"};

/// Seconds from the offer to `at`.
double since_offer(const ReportInput& in, core::Instant at) {
  return static_cast<double>(at.us) / 1e6 - static_cast<double>(in.result.offer_ns) / 1e9;
}

}  // namespace

J safety_json(const ReportInput& in) {
  const SafetyResult& s = in.result.safety;
  J reasons = J::object();
  for (size_t k = 1; k < 5; ++k) reasons[kReasons[k]] = s.reverts_by_reason[k];
  J j{{"bad_image", s.bad_image},          {"exposed", s.exposed},
      {"trial_boots", s.trial_boots},      {"reverted_nodes", s.reverted_nodes},
      {"reverts_by_reason", reasons},      {"confirmed", s.confirmed},
      {"rolled_back", s.rolled_back},      {"installs_refused", s.installs_refused},
      {"bricked", s.bricked},              {"unbootable_resets", s.unbootable},
      {"on_offered_image", s.on_offered},  {"on_previous_image", s.on_previous},
      {"on_neither", s.on_neither}};
  const RolloutResult& r = s.rollout;
  if (!r.enabled) return j;
  J audit = J::array();
  for (const core::RolloutAudit& a : r.audit)
    audit.push_back({{"at_s", since_offer(in, a.at)},
                     {"decision", audit_name(a.kind)},
                     {"wave", a.wave},
                     {"wave_size", a.wave_size},
                     {"confirmed", a.confirmed},
                     {"failed", a.failed},
                     {"executed", a.executed},
                     {"threshold_permille", a.threshold_pm}});
  j["rollout"] = {{"phase", r.phase},           {"wave_sizes", r.wave_sizes}, {"grants_sent", r.grants_sent},
                  {"audit_dropped", r.audit_dropped}, {"audit", audit}};
  return j;
}

std::string safety_markdown(const ReportInput& in) {
  const SafetyResult& s = in.result.safety;
  std::string md = "## Safe updates\n\n";
  md += fmt::format(
      "- New images boot on trial and confirm themselves through their health check; a reset on trial, a failed "
      "check or the rollout's abort sends a node back to its previous image (docs/safe-updates.md). Bad image: "
      "**{}**.\n",
      s.bad_image);
  md += fmt::format("- Receivers that ran the offered image: **{}** ({} trial boots); confirmed at the end: {}; "
                    "went back to the previous image: **{}**",
                    s.exposed, s.trial_boots, s.confirmed, s.reverted_nodes);
  std::string why;
  for (size_t k = 1; k < 5; ++k)
    if (s.reverts_by_reason[k] > 0) why += fmt::format("{}{} {}", why.empty() ? "" : ", ", s.reverts_by_reason[k], kReasons[k]);
  md += why.empty() ? ".\n" : fmt::format(" ({}).\n", why);
  md += fmt::format("- At the end: {} on the offered image, {} on the previous one, **{} on neither** (must be 0); "
                    "{} bricked by the image; {} resets found nothing bootable (must be 0); {} installs refused "
                    "(an image this node had already left, or an older security counter); {} rolled back by the "
                    "rollout.\n",
                    s.on_offered, s.on_previous, s.on_neither, s.bricked, s.unbootable, s.installs_refused,
                    s.rolled_back);
  const RolloutResult& r = s.rollout;
  if (!r.enabled) return md + "\n";
  std::string sizes;
  for (size_t w = 0; w < r.wave_sizes.size(); ++w) sizes += fmt::format("{}{}", w ? ", " : "", r.wave_sizes[w]);
  md += fmt::format("\nProgressive rollout at the distributing node: waves of {} nodes; it ended **{}**; the grant "
                    "changed {} times. Its decisions (times from the offer), with the numbers behind each:\n\n",
                    sizes, r.phase, r.grants_sent);
  md += "| s | decision | wave | wave size | confirmed | failed | done | threshold (per mille) |\n";
  md += "|---:|---|---:|---:|---:|---:|---:|---:|\n";
  for (const core::RolloutAudit& a : r.audit)
    md += fmt::format("| {:.1f} | {} | {} | {} | {} | {} | {} | {} |\n", since_offer(in, a.at), audit_name(a.kind),
                      a.wave + 1, a.wave_size, a.confirmed, a.failed, a.executed, a.threshold_pm);
  if (r.audit_dropped > 0) md += fmt::format("\n({} older entries dropped from the log.)\n", r.audit_dropped);
  return md + "\n";
}

}  // namespace meshota::sim::detail
