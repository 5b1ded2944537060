// Compressed OTA: deflate of a whole shared image as meshota's packer does it
// (sim/ota/image_pack.hpp: one raw-deflate stream flushed at every page) and
// streaming inflate of its units through the core's Inflater on zlib, at
// window sizes 9..15. Throughput is image bytes per second; inflate also
// reports the decoder's peak RAM (ram_bytes, measured by zlib's allocator) and
// the compression ratio.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "bench_support.hpp"
#include "micro/micro.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"
#include "meshota/sim/ota/image_pack.hpp"

namespace {

using namespace meshota;

sim::PackOptions compressed(int window_bits) {
  sim::PackOptions o;
  o.compress = true;
  o.window_bits = static_cast<uint8_t>(window_bits);
  return o;
}

void BM_deflate(benchmark::State& state, std::string image) {
  const std::vector<uint8_t>& bytes = bench::firmware_bytes(image);
  const sim::PackOptions options = compressed(static_cast<int>(state.range(0)));
  double ratio = 0.0;
  for (auto _ : state) {
    const sim::PackedImage packed = sim::pack_image(bytes, options);
    benchmark::DoNotOptimize(packed.units.data());
    ratio = packed.ratio();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["ratio"] = ratio;
}

void BM_inflate(benchmark::State& state, std::string image) {
  const std::vector<uint8_t>& bytes = bench::firmware_bytes(image);
  const auto window_bits = static_cast<uint8_t>(state.range(0));
  const sim::PackedImage packed = sim::pack_image(bytes, compressed(window_bits));
  std::array<uint8_t, 4096> page{};
  sim::ZlibInflater inflater;
  for (auto _ : state) {
    if (!inflater.reset(window_bits, {})) state.SkipWithError("inflater refused the window");
    for (const std::vector<uint8_t>& unit : packed.units) {
      std::span<const uint8_t> in(unit);
      while (!in.empty()) {
        size_t consumed = 0, produced = 0;
        const core::InflateResult r = inflater.inflate(in, page, consumed, produced);
        if (r == core::InflateResult::kDataError) state.SkipWithError("inflate failed");
        benchmark::DoNotOptimize(page.data());
        in = in.subspan(consumed);
        if (r == core::InflateResult::kDataError || (consumed == 0 && produced == 0)) break;
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["ram_bytes"] = inflater.peak_state_bytes();
  state.counters["ratio"] = packed.ratio();
}

}  // namespace

namespace meshota::bench {

void register_deflate() {
  for (const std::string& image : bench::firmware_names()) {
    benchmark::RegisterBenchmark(("deflate/window/" + image).c_str(), BM_deflate, image)
        ->DenseRange(9, 15)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("inflate/window/" + image).c_str(), BM_inflate, image)
        ->DenseRange(9, 15)->Unit(benchmark::kMillisecond);
  }
}

}  // namespace meshota::bench
