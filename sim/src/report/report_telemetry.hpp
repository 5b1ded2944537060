#pragma once
// Private to the reports: the telemetry sections (JSON and Markdown).

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/report/report.hpp"

namespace meshota::sim::detail {

/// The "telemetry" object of report.json.
nlohmann::ordered_json telemetry_json(const ReportInput& in);
/// The "Telemetry" section of report.md.
std::string telemetry_markdown(const ReportInput& in);

}  // namespace meshota::sim::detail
