// SHA-256 of each 4 KiB page of a shared firmware image, through the core's
// Sha256Hasher on OpenSSL (what a node does to verify every page). Bytes per
// second.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "bench_support.hpp"
#include "micro/micro.hpp"
#include "meshota/sim/node/digest.hpp"

namespace {

constexpr size_t kPageBytes = 4096;

void BM_sha256_pages(benchmark::State& state, std::string image) {
  const std::span<const uint8_t> bytes(meshota::bench::firmware_bytes(image));
  meshota::sim::OpenSslSha256 hasher;
  uint8_t digest[meshota::core::Sha256Hasher::kDigestBytes];
  size_t pages = 0;
  for (auto _ : state) {
    for (size_t off = 0; off < bytes.size(); off += kPageBytes) {
      hasher.begin();
      hasher.update(bytes.subspan(off, std::min(kPageBytes, bytes.size() - off)));
      hasher.finish(digest);
      benchmark::DoNotOptimize(digest);
      ++pages;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["pages"] = static_cast<double>(pages);
}

}  // namespace

namespace meshota::bench {

void register_sha256_pages() {
  for (const std::string& image : meshota::bench::firmware_names())
    benchmark::RegisterBenchmark(("sha256/pages/" + image).c_str(), BM_sha256_pages, image);
}

}  // namespace meshota::bench
