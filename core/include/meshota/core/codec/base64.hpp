#pragma once
// Standard base64 with '=' padding, as painlessMesh puts firmware chunks in JSON.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace meshota::core {

constexpr size_t base64_encoded_size(size_t raw_bytes) { return (raw_bytes + 2) / 3 * 4; }

/// Encodes `raw` into `out`; returns the characters written, 0 if `out` is too small.
size_t base64_encode(std::span<const uint8_t> raw, std::span<char> out);

/// Decodes `text` into `out`; returns the bytes written, or -1 on a bad
/// character, bad padding, bad length or a too small `out`.
int64_t base64_decode(std::string_view text, std::span<uint8_t> out);

}  // namespace meshota::core
