// meshota's binary OTA messages (core/ota/wire.hpp): encode and decode of
// each message type, with payloads of the largest ESP-NOW v1 size cut from a
// shared firmware image, and a chunk of the v2 size the radio fleets send.
// Messages per second.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "bench_support.hpp"
#include "micro/micro.hpp"
#include "meshota/core/ota/wire.hpp"

namespace {

namespace wire = meshota::core::wire;

constexpr meshota::core::ImageId kImage{1, 2, 3, 4, 5, 6, 7, 8};

std::span<const uint8_t> image_slice(size_t bytes) {
  return std::span<const uint8_t>(meshota::bench::firmware_bytes("https_server")).subspan(4096, bytes);
}

template <class Msg>
void BM_wire_encode(benchmark::State& state, Msg msg) {
  std::array<uint8_t, wire::kEspNowV2MaxBytes> buf{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(msg);
    const size_t n = wire::encode(msg, buf);
    if (n == 0) state.SkipWithError("encode refused the message");
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <class Msg>
void BM_wire_decode(benchmark::State& state, Msg msg) {
  std::array<uint8_t, wire::kEspNowV2MaxBytes> buf{};
  const size_t n = wire::encode(msg, buf);
  const std::span<const uint8_t> frame(buf.data(), n);
  Msg out{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(frame.data());
    if (wire::decode(frame, out) != wire::Status::kOk) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <class Msg>
void register_pair(const char* type, const Msg& msg) {
  const std::string base = std::string("codec/wire/") + type;
  benchmark::RegisterBenchmark((base + "/encode").c_str(), BM_wire_encode<Msg>, msg);
  benchmark::RegisterBenchmark((base + "/decode").c_str(), BM_wire_decode<Msg>, msg);
}

}  // namespace

namespace meshota::bench {

void register_wire_codec() {
  register_pair("advertise", wire::Advertise{7, kImage, 3, 186, 40, wire::kAdvertiseHasManifest});
  register_pair("manifest_request", wire::ManifestRequest{7, 9, kImage, 128});
  register_pair("manifest_data", wire::ManifestData{7, kImage, 3200, 0, image_slice(wire::kMaxManifestPayloadV1)});
  register_pair("page_request", wire::PageRequest{7, 9, kImage, 12, meshota::core::ChunkBitmap::full(18)});
  register_pair("chunk", wire::Chunk{7, kImage, 12, 5, image_slice(wire::kMaxChunkPayloadV1)});
  register_pair("chunk_v2", wire::Chunk{7, kImage, 12, 5, image_slice(wire::kMaxChunkPayloadV2)});
  register_pair("repair_nack", wire::RepairNack{7, 9, kImage, 12, meshota::core::ChunkBitmap(0x2405)});
}

}  // namespace meshota::bench
