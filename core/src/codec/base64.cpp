#include "meshota/core/codec/base64.hpp"

namespace meshota::core {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int8_t value_of(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

size_t base64_encode(std::span<const uint8_t> raw, std::span<char> out) {
  const size_t need = base64_encoded_size(raw.size());
  if (out.size() < need) return 0;
  size_t o = 0;
  size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    const uint32_t v = (uint32_t{raw[i]} << 16) | (uint32_t{raw[i + 1]} << 8) | raw[i + 2];
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = kAlphabet[(v >> 6) & 63];
    out[o++] = kAlphabet[v & 63];
  }
  const size_t rest = raw.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{raw[i]} << 16;
    if (rest == 2) v |= uint32_t{raw[i + 1]} << 8;
    out[o++] = kAlphabet[(v >> 18) & 63];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  return o;
}

int64_t base64_decode(std::string_view text, std::span<uint8_t> out) {
  if (text.size() % 4 != 0) return -1;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  const size_t need = text.size() / 4 * 3 - pad;
  if (out.size() < need) return -1;
  size_t o = 0;
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      int8_t d = value_of(c);
      if (d < 0) {
        // '=' is only valid as padding in the last quad's last one or two places.
        if (!(c == '=' && last && k >= 4 - pad)) return -1;
        d = 0;
      }
      v = (v << 6) | d;
    }
    out[o++] = static_cast<uint8_t>(v >> 16);
    if (o < need) out[o++] = static_cast<uint8_t>(v >> 8);
    if (o < need) out[o++] = static_cast<uint8_t>(v);
  }
  return static_cast<int64_t>(o);
}

}  // namespace meshota::core
