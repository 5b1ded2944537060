#pragma once
// CPU work the core does inside HAL ports (hashing, inflating), charged to the
// node's processor like its flash operations: a node busy verifying a page
// answers its neighbours later. The rates are model parameters (nodes.*).

#include <cstdint>
#include <span>

#include "meshota/core/hal/inflater.hpp"
#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/memo_inflater.hpp"
#include "meshota/sim/node/memo_sha256.hpp"

namespace meshota::sim {

/// Accumulated CPU work of one node, in microseconds, until the simulator takes it.
struct CpuMeter {
  double busy_us = 0.0;
  int64_t take_us() {
    const auto us = static_cast<int64_t>(busy_us);
    busy_us -= static_cast<double>(us);
    return us;
  }
};

/// SHA-256 on OpenSSL (shared through `memo` when given), charging `us_per_kb` of CPU per KB hashed.
class MeteredSha256 final : public core::Sha256Hasher {
 public:
  MeteredSha256(CpuMeter& meter, double us_per_kb, ShaMemo* memo = nullptr)
      : inner_(memo), meter_(meter), us_per_byte_(us_per_kb / 1024.0) {}
  void begin() override { inner_.begin(); }
  void update(std::span<const uint8_t> data) override {
    meter_.busy_us += us_per_byte_ * static_cast<double>(data.size());
    inner_.update(data);
  }
  void finish(uint8_t (&digest)[kDigestBytes]) override { inner_.finish(digest); }

 private:
  MemoSha256 inner_;
  CpuMeter& meter_;
  double us_per_byte_;
};

/// zlib's inflate (shared through `memo` when given), charging `us_per_kb` of CPU per KB produced.
class MeteredInflater final : public core::Inflater {
 public:
  MeteredInflater(CpuMeter& meter, double us_per_kb, InflateMemo* memo = nullptr)
      : inner_(memo), meter_(meter), us_per_byte_(us_per_kb / 1024.0) {}
  bool reset(uint8_t window_bits, std::span<const uint8_t> dictionary) override {
    return inner_.reset(window_bits, dictionary);
  }
  core::InflateResult inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                              size_t& produced) override {
    const core::InflateResult r = inner_.inflate(in, out, consumed, produced);
    meter_.busy_us += us_per_byte_ * static_cast<double>(produced);
    return r;
  }
  uint32_t state_bytes() const override { return inner_.state_bytes(); }
  uint32_t peak_state_bytes() const { return inner_.peak_state_bytes(); }

 private:
  MemoInflater inner_;
  CpuMeter& meter_;
  double us_per_byte_;
};

}  // namespace meshota::sim
