#pragma once
// Private to the reports: the "Safe updates" section (trial boots, reverts,
// the bad image's reach, the rollout's decisions; docs/safe-updates.md).

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/report/report.hpp"

namespace meshota::sim::detail {

/// The "safety" object of report.json (meshota runs).
nlohmann::ordered_json safety_json(const ReportInput& in);
/// The "Safe updates" section of report.md (meshota runs).
std::string safety_markdown(const ReportInput& in);

}  // namespace meshota::sim::detail
