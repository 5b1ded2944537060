// Chunk bitmaps (core/ota/chunk_bitmap.hpp) over a whole shared firmware
// image: 4 KiB pages cut into ESP-NOW v1 chunks. set: every chunk of every
// page arrives in a shuffled order; first_missing: a receiver that lost 1 in
// 8 chunks walks its gaps; nack_union: a sender merges the NACKs of 16
// receivers per page. Chunks (or NACKs) per second.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "micro/micro.hpp"
#include "meshota/core/ota/chunk_bitmap.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace {

using meshota::core::ChunkBitmap;

constexpr uint32_t kPageBytes = 4096;
constexpr uint32_t kChunksPerPage =
    (kPageBytes + meshota::core::wire::kMaxChunkPayloadV1 - 1) / meshota::core::wire::kMaxChunkPayloadV1;
constexpr uint32_t kReceivers = 16;

uint32_t pages_of(const std::string& image) {
  const auto bytes = static_cast<uint32_t>(meshota::bench::firmware_bytes(image).size());
  return (bytes + kPageBytes - 1) / kPageBytes;
}

/// `count` bitmaps of kChunksPerPage chunks where each chunk is present with probability 7/8.
std::vector<ChunkBitmap> lossy_bitmaps(size_t count, uint64_t seed) {
  meshota::sim::RngStream rng(seed);
  std::vector<ChunkBitmap> out(count);
  for (ChunkBitmap& b : out)
    for (uint32_t c = 0; c < kChunksPerPage; ++c)
      if (rng.below(8) != 0) b.set(c);
  return out;
}

void BM_bitmap_set(benchmark::State& state, std::string image) {
  const uint32_t pages = pages_of(image);
  std::vector<uint8_t> order(kChunksPerPage);
  for (uint32_t c = 0; c < kChunksPerPage; ++c) order[c] = static_cast<uint8_t>(c);
  meshota::sim::RngStream rng(1);
  for (uint32_t c = kChunksPerPage - 1; c > 0; --c) std::swap(order[c], order[rng.below(c + 1)]);
  for (auto _ : state) {
    uint32_t complete = 0;
    for (uint32_t p = 0; p < pages; ++p) {
      ChunkBitmap b;
      for (uint8_t c : order) {
        benchmark::DoNotOptimize(c);
        b.set(c);
      }
      complete += b.complete(kChunksPerPage) ? 1 : 0;
    }
    benchmark::DoNotOptimize(complete);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages * kChunksPerPage));
}

void BM_bitmap_first_missing(benchmark::State& state, std::string image) {
  const std::vector<ChunkBitmap> received = lossy_bitmaps(pages_of(image), 2);
  uint64_t lookups = 0;
  for (auto _ : state) {
    for (ChunkBitmap b : received) {
      benchmark::DoNotOptimize(b);
      for (uint32_t c = b.first_missing(kChunksPerPage); c < kChunksPerPage; c = b.first_missing(kChunksPerPage)) {
        b.set(c);
        ++lookups;
      }
      benchmark::DoNotOptimize(b);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(lookups));
}

void BM_bitmap_nack_union(benchmark::State& state, std::string image) {
  const uint32_t pages = pages_of(image);
  const std::vector<ChunkBitmap> nacks = lossy_bitmaps(size_t{pages} * kReceivers, 3);
  for (auto _ : state) {
    uint32_t resend = 0;
    for (uint32_t p = 0; p < pages; ++p) {
      ChunkBitmap all;
      for (uint32_t r = 0; r < kReceivers; ++r) all |= nacks[p * kReceivers + r].missing(kChunksPerPage);
      resend += all.count();
    }
    benchmark::DoNotOptimize(resend);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages * kReceivers));
}

}  // namespace

namespace meshota::bench {

void register_chunk_bitmap() {
  for (const std::string& image : meshota::bench::firmware_names()) {
    benchmark::RegisterBenchmark(("chunk_bitmap/set/" + image).c_str(), BM_bitmap_set, image);
    benchmark::RegisterBenchmark(("chunk_bitmap/first_missing/" + image).c_str(), BM_bitmap_first_missing, image);
    benchmark::RegisterBenchmark(("chunk_bitmap/nack_union/" + image).c_str(), BM_bitmap_nack_union, image);
  }
}

}  // namespace meshota::bench
