// painlessMesh's JSON packages (core/pm/pm_codec.hpp): encode and decode
// (tokenize + fields) of each package type, Data carrying painlessMesh's
// 1024-byte OTA part as base64. Packages per second.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "micro/micro.hpp"
#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/pm/pm_codec.hpp"

namespace {

using namespace meshota::core;

constexpr size_t kPartBytes = 1024;  // painlessMesh's OTA_PART_SIZE
constexpr size_t kFrameBytes = 2048;

std::span<const uint8_t> part() {
  return std::span<const uint8_t>(meshota::bench::firmware_bytes("https_server")).subspan(8192, kPartBytes);
}

PmOtaPackage package(PmType type) {
  PmOtaPackage p;
  p.type = type;
  p.from = 3141592653u;
  p.routing = type == PmType::kOtaAnnounce ? Routing::kBroadcast : Routing::kSingle;
  p.md5.assign("0123456789abcdef0123456789abcdef");
  p.hardware.assign("ESP32");
  p.role.assign("sensor");
  p.no_part = 744;
  p.dest = 2718281828u;
  p.part_no = 321;
  return p;
}

size_t encode_ota(const PmOtaPackage& p, std::span<uint8_t> out) {
  return p.type == PmType::kOtaData ? pm_encode_data(p, part(), out) : pm_encode(p, out);
}

void BM_pm_encode(benchmark::State& state, PmOtaPackage p) {
  std::array<uint8_t, kFrameBytes> buf{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(p);
    if (encode_ota(p, buf) == 0) state.SkipWithError("encode refused the package");
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_pm_decode(benchmark::State& state, PmOtaPackage p) {
  std::array<uint8_t, kFrameBytes> buf{};
  const size_t n = encode_ota(p, buf);
  const std::string_view text(reinterpret_cast<const char*>(buf.data()), n);
  PmOtaPackage out;
  for (auto _ : state) {
    JsonReader json;
    benchmark::DoNotOptimize(text.data());
    if (!json.parse(text) || pm_decode(json, out) != PmDecodeStatus::kOk) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_pm_user_encode(benchmark::State& state) {
  const PmUserMessage m{PmType::kSingle, 2718281828u, 3141592653u, R"(temperature "21.5" C)"};
  std::array<uint8_t, kFrameBytes> buf{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(m);
    if (pm_encode(m, buf) == 0) state.SkipWithError("encode refused the message");
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_pm_user_decode(benchmark::State& state) {
  const PmUserMessage m{PmType::kSingle, 2718281828u, 3141592653u, R"(temperature "21.5" C)"};
  std::array<uint8_t, kFrameBytes> buf{};
  const std::string_view text(reinterpret_cast<const char*>(buf.data()), pm_encode(m, buf));
  std::array<char, 256> msg_buf{};
  PmUserMessage out;
  for (auto _ : state) {
    JsonReader json;
    benchmark::DoNotOptimize(text.data());
    if (!json.parse(text) || pm_decode(json, msg_buf, out) != PmDecodeStatus::kOk) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

namespace meshota::bench {

void register_pm_codec() {
  benchmark::RegisterBenchmark("codec/pm/single/encode", BM_pm_user_encode);
  benchmark::RegisterBenchmark("codec/pm/single/decode", BM_pm_user_decode);
  const std::vector<std::pair<const char*, PmType>> types{
      {"announce", PmType::kOtaAnnounce}, {"data_request", PmType::kOtaDataRequest}, {"data_1024", PmType::kOtaData}};
  for (const auto& [name, type] : types) {
    const std::string base = std::string("codec/pm/") + name;
    benchmark::RegisterBenchmark((base + "/encode").c_str(), BM_pm_encode, package(type));
    benchmark::RegisterBenchmark((base + "/decode").c_str(), BM_pm_decode, package(type));
  }
}

}  // namespace meshota::bench
