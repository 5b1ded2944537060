#pragma once
// Streaming raw-deflate decompression (RFC 1951, no zlib/gzip wrapper) with a
// window chosen per image: a 2^window_bits byte history is what inflating
// costs in RAM on top of the decoder's own tables, so small windows make
// compressed OTA affordable on small nodes.

#include <cstddef>
#include <cstdint>
#include <span>

namespace meshota::core {

/// What one Inflater::inflate() call ended with.
enum class InflateResult : uint8_t {
  kOk,          ///< progress made; all input used, more is needed to go on
  kStreamEnd,   ///< the final deflate block ended
  kDataError,   ///< the input is not valid deflate (or refers past the window)
  kOutputFull,  ///< `out` is full; call again with more room
};

/// Raw-deflate decoder (zlib in the simulator, miniz/uzlib or the ROM on ESP).
class Inflater {
 public:
  /// Starts a new stream with a 2^window_bits history (9..15). `dictionary` is
  /// the output already produced before the point where decoding resumes (its
  /// last <= 2^window_bits bytes); empty at the start of a stream.
  virtual bool reset(uint8_t window_bits, std::span<const uint8_t> dictionary) = 0;
  /// Decodes from `in` into `out`; `consumed` and `produced` say how much of each was used.
  virtual InflateResult inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                                size_t& produced) = 0;
  /// RAM the decoder holds now (its state plus the window once allocated), in bytes.
  virtual uint32_t state_bytes() const = 0;

 protected:
  ~Inflater() = default;
};

}  // namespace meshota::core
