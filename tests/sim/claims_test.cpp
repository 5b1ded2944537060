// The claims document is checked against the code, and a doctored one is caught.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "meshota/sim/claims/claims.hpp"

namespace ms = meshota::sim;

namespace {
nlohmann::json committed() {
  std::ifstream in(std::string(MESHOTA_SOURCE_DIR) + "/docs/claims.json");
  std::ostringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}
// One runner for the whole process: it caches every run, and one seed of every fleet takes minutes.
ms::ClaimRunner& runner() {
  static ms::ClaimRunner r = [] {
    ms::ClaimsOptions o;
    o.seeds = 1;
    o.scenario_dir = std::string(MESHOTA_SOURCE_DIR) + "/scenarios";
    return ms::ClaimRunner(o, {});
  }();
  return r;
}
}  // namespace

TEST_CASE("claims: every claim has a row, and a doctored value in claims.json is reported") {
  ms::ClaimRunner& r = runner();
  const std::vector<ms::ClaimRow> rows = ms::evaluate_claims(r);
  REQUIRE(rows.size() == 26);
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].id);
    CHECK(rows[i].id == (i < 9 ? "C0" : "C") + std::to_string(i + 1));
    CHECK_FALSE(rows[i].claim.empty());
    CHECK_FALSE(rows[i].verdict.empty());
    if (rows[i].verdict.rfind("needs:", 0) != 0) CHECK_FALSE(rows[i].values.empty());
  }
  nlohmann::json doc = committed();
  CHECK(ms::check_claims(doc, r, 1).empty());
  double& v = doc["claims"][0]["values"][0]["per_seed"][0].get_ref<double&>();
  v *= 3.0;
  const std::vector<std::string> diffs = ms::check_claims(doc, r, 1);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].find("C01") == 0);
  CHECK(ms::claims_markdown_from_json(doc) != ms::claims_markdown_from_json(committed()));
}
