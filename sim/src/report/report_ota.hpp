#pragma once
// Private to the reports: meshota's sections (JSON and Markdown).

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/report/report.hpp"

namespace meshota::sim::detail {

/// The "ota" object of report.json.
nlohmann::ordered_json ota_json(const ReportInput& in);
/// meshota's fields of one node's row in report.json.
void ota_node_json(const NodeResult& n, nlohmann::ordered_json& row);
/// The "meshota" section of report.md.
std::string ota_markdown(const ReportInput& in);

}  // namespace meshota::sim::detail
