// The one benchmark program: Google Benchmark's runner with meshota's own
// flags. Every argument the runner does not know is meshota's:
//   --quick            smaller macro runs (the CI mode of scripts/bench.py)
//   --scenario=PATH    one macro run of a scenario file (repeatable)
// Everything is registered here, in one fixed order (the report's order),
// after the arguments are known.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "macro/macro.hpp"
#include "micro/micro.hpp"
#include "meshota/sim/scenario/firmware_image.hpp"

namespace meshota::bench {
namespace {
bool g_quick = false;
}  // namespace

std::string data_dir() { return MESHOTA_DATA_DIR; }

const std::vector<uint8_t>& firmware_bytes(const std::string& name) {
  static std::map<std::string, std::vector<uint8_t>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    sim::FirmwareSpec spec;
    spec.file = data_dir() + "/firmware/" + name + ".bin";
    it = cache.emplace(name, sim::load_firmware(spec, spec.file).bytes).first;
  }
  return it->second;
}

bool quick_mode() { return g_quick; }

}  // namespace meshota::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<std::string> scenarios;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (std::strcmp(a, "--quick") == 0) {
      meshota::bench::g_quick = true;
    } else if (std::strncmp(a, "--scenario=", 11) == 0) {
      scenarios.emplace_back(a + 11);
    } else {
      std::fprintf(stderr, "meshota_bench: unknown argument %s (meshota's: --quick, --scenario=PATH)\n", a);
      return 2;
    }
  }
  namespace mb = meshota::bench;
  mb::register_calibration("calibration/start");
  mb::register_event_queue();
  mb::register_radio_medium();
  mb::register_pm_codec();
  mb::register_wire_codec();
  mb::register_chunk_bitmap();
  mb::register_sha256_pages();
  mb::register_deflate();
  mb::register_delta_encoder();
  mb::register_macro_benchmarks(scenarios);
  mb::register_calibration("calibration/end");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
