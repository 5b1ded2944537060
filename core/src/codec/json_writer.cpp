#include "meshota/core/codec/json_writer.hpp"

#include "meshota/core/codec/base64.hpp"

namespace meshota::core {

void JsonWriter::put(char c) {
  if (used_ >= out_.size()) {
    ok_ = false;
    return;
  }
  out_[used_++] = static_cast<uint8_t>(c);
}

void JsonWriter::put(std::string_view s) {
  if (s.size() > out_.size() - used_) {
    ok_ = false;
    return;
  }
  for (char c : s) out_[used_++] = static_cast<uint8_t>(c);
}

void JsonWriter::put_uint(uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) put(digits[--n]);
}

// ArduinoJson escapes the quote, the backslash and \b \f \n \r \t; other control
// characters are written as \u00XX.
void JsonWriter::put_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : s) {
    switch (c) {
      case '"': put("\\\""); break;
      case '\\': put("\\\\"); break;
      case '\b': put("\\b"); break;
      case '\f': put("\\f"); break;
      case '\n': put("\\n"); break;
      case '\r': put("\\r"); break;
      case '\t': put("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          put("\\u00");
          put(kHex[(c >> 4) & 0xf]);
          put(kHex[c & 0xf]);
        } else {
          put(c);
        }
    }
  }
}

void JsonWriter::key(std::string_view k) {
  if (!first_) put(',');
  first_ = false;
  put('"');
  put(k);
  put("\":");
}

void JsonWriter::begin_object() {
  put('{');
  first_ = true;
}

void JsonWriter::end_object() {
  put('}');
  first_ = false;
}

void JsonWriter::terminate() { put('\0'); }

void JsonWriter::field_uint(std::string_view k, uint64_t value) {
  key(k);
  put_uint(value);
}

void JsonWriter::field_int(std::string_view k, int64_t value) {
  key(k);
  if (value < 0) {
    put('-');
    put_uint(static_cast<uint64_t>(-(value + 1)) + 1);
  } else {
    put_uint(static_cast<uint64_t>(value));
  }
}

void JsonWriter::field_bool(std::string_view k, bool value) {
  key(k);
  put(value ? "true" : "false");
}

void JsonWriter::field_string(std::string_view k, std::string_view value) {
  key(k);
  put('"');
  put_escaped(value);
  put('"');
}

void JsonWriter::field_base64(std::string_view k, std::span<const uint8_t> raw) {
  key(k);
  put('"');
  if (!ok_) return;
  auto* dst = reinterpret_cast<char*>(out_.data() + used_);
  const size_t n = base64_encode(raw, std::span<char>(dst, out_.size() - used_));
  if (n == 0 && !raw.empty()) {
    ok_ = false;
    return;
  }
  used_ += n;
  put('"');
}

void JsonWriter::field_object(std::string_view k) {
  key(k);
  begin_object();
}

}  // namespace meshota::core
