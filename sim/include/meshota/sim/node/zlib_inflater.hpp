#pragma once
// The core's Inflater on zlib's raw inflate (inflateInit2 with negative
// windowBits). zlib allocates through a counting allocator, so state_bytes()
// is what zlib really holds (its inflate_state, then the 2^windowBits window
// once output or a dictionary arrives), measured, not estimated.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "meshota/core/hal/inflater.hpp"

struct z_stream_s;

namespace meshota::sim {

/// Raw-deflate decoder on zlib with measured RAM (see file comment).
class ZlibInflater final : public core::Inflater {
 public:
  ZlibInflater();
  ~ZlibInflater();
  ZlibInflater(const ZlibInflater&) = delete;
  ZlibInflater& operator=(const ZlibInflater&) = delete;

  bool reset(uint8_t window_bits, std::span<const uint8_t> dictionary) override;
  core::InflateResult inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                              size_t& produced) override;
  uint32_t state_bytes() const override { return static_cast<uint32_t>(allocated_bytes_); }

  /// Most bytes zlib held at once since construction.
  uint32_t peak_state_bytes() const { return static_cast<uint32_t>(peak_bytes_); }
  /// Allocations zlib made since construction (each reset() makes at least one).
  uint32_t allocations() const { return allocations_; }
  /// Most bytes zlib held during the last reset() (once the previous stream was freed) or inflate().
  uint32_t last_call_peak_bytes() const { return static_cast<uint32_t>(call_peak_bytes_); }

  /// The measured figures above, together.
  struct Accounting {
    size_t allocated_bytes = 0;
    size_t peak_bytes = 0;
    uint32_t allocations = 0;
  };
  Accounting accounting() const { return {allocated_bytes_, peak_bytes_, allocations_}; }
  /// Sets them, for a stream whose state lives elsewhere (MemoInflater); with no stream
  /// open, what zlib holds is then what the stream it stands for would hold.
  void set_accounting(const Accounting& a);
  /// Frees the stream; its bytes leave state_bytes().
  void close();

 private:
  static void* allocate(void* self, unsigned items, unsigned size);
  static void release(void* self, void* p);

  std::unique_ptr<z_stream_s> strm_;
  bool open_ = false;
  size_t allocated_bytes_ = 0;
  size_t peak_bytes_ = 0;
  size_t call_peak_bytes_ = 0;
  uint32_t allocations_ = 0;
};

}  // namespace meshota::sim
