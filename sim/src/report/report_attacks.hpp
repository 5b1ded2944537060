#pragma once
// Private to the reports: the "Attacks" section (hostile nodes, docs/security.md).

#include <string>

#include <nlohmann/json.hpp>

#include "meshota/sim/report/report.hpp"

namespace meshota::sim::detail {

/// The "attacks" object of report.json (only when the run has attackers).
nlohmann::ordered_json attacks_json(const ReportInput& in);
/// The "Attacks" section of report.md (only when the run has attackers).
std::string attacks_markdown(const ReportInput& in);
/// The name a scenario gives the kind (poison-pages, ...).
const char* attack_kind_name(AttackKind k);

}  // namespace meshota::sim::detail
