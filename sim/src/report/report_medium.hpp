#pragma once
// Private to the reports: the medium's part of report.json and report.md —
// the model's parameters (independent links or the shared radio, and the
// painlessMesh sender preset), and on the radio the airtime story: per node
// airtime, frames sent / received / collided / dropped and the channel's busy
// fraction, with the totals.

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/report/report.hpp"

namespace meshota::sim::detail {

/// The "model" object of report.json: what the times are computed from.
nlohmann::ordered_json model_json(const ReportInput& in);
/// The "radio" object of report.json (totals; only for runs on the radio).
nlohmann::ordered_json radio_json(const ReportInput& in);
/// A node's radio fields in its report.json row.
void radio_node_json(const ReportInput& in, const NodeResult& n, nlohmann::ordered_json& row);
/// The "Model" paragraph of report.md.
std::string model_markdown(const ReportInput& in);
/// The "Radio channel" section of report.md (empty off the radio).
std::string radio_markdown(const ReportInput& in);

}  // namespace meshota::sim::detail
