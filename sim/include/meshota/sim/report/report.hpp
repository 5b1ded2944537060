#pragma once
// The three files of a run's report. Same scenario and seed give the same
// bytes: nothing here reads a clock or the machine.

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/report/run_analysis.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// Everything a report is made from.
struct ReportInput {
  const Scenario& scenario;
  const FirmwareImage& image;
  const Topology& topology;
  const RunResult& result;
  const RunAnalysis& analysis;
};

nlohmann::ordered_json report_json(const ReportInput& in);
std::string report_markdown(const ReportInput& in);
/// One row per node: start, progress, completion, traffic, retries, final digest.
std::string timeline_csv(const ReportInput& in);
/// One row per telemetry report the root applied (every node's metrics over time); header only without telemetry.
std::string telemetry_csv(const ReportInput& in);
/// A few lines for the terminal.
std::string report_summary(const ReportInput& in);

/// Writes report.json, report.md and timeline.csv into `dir` (created if missing), and telemetry.csv
/// when the run had telemetry.
void write_report(const std::string& dir, const ReportInput& in);

}  // namespace meshota::sim
