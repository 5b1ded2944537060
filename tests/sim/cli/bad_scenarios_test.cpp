// Every .yaml under tests/data/bad-scenarios (one folder per scenario section) is one scenario mistake. Its first
// line says where the error must point and what it must say:
//   # expect: LINE:COLUMN: phrase
// `meshota validate` and `meshota run` must both exit 2 with that place.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_meshota.hpp"

TEST_CASE("cli: each bad scenario exits 2 and points at file:line:column") {
  const std::filesystem::path dir = std::filesystem::path(MESHOTA_SOURCE_DIR) / "tests/data/bad-scenarios";
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string path = entry.path().string();
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    REQUIRE(first.rfind(tag, 0) == 0);
    const std::string expect = first.substr(tag.size());
    const size_t split = expect.find(": ");
    const std::string where = path + ":" + expect.substr(0, split + 1);
    const std::string phrase = split == std::string::npos ? "" : expect.substr(split + 2);
    for (const char* cmd : {"validate", "run --quiet --out /tmp/meshota_bad_scenarios"}) {
      INFO(cmd << " " << path);
      const meshota::test::CommandResult r = meshota::test::run_meshota(std::string(cmd) + " " + path);
      CHECK(r.code == 2);
      CHECK_THAT(r.output, Catch::Contains(where));
      CHECK_THAT(r.output, Catch::Contains(phrase));
    }
  }
  CHECK(files >= 10);
}
