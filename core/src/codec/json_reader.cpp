#include "meshota/core/codec/json_reader.hpp"

#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

namespace meshota::core {

bool JsonReader::parse(std::string_view text) {
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  text_ = text;
  fields_ = 0;
  jsmn_parser parser;
  jsmn_init(&parser);
  jsmntok_t raw[kMaxTokens];
  const int n = jsmn_parse(&parser, text.data(), text.size(), raw, kMaxTokens);
  if (n < 1 || raw[0].type != JSMN_OBJECT || raw[0].start != 0 ||
      static_cast<size_t>(raw[0].end) != text.size())
    return false;
  for (int i = 0; i < n; ++i) tokens_[i] = Token{static_cast<uint8_t>(raw[i].type), raw[i].start, raw[i].end};
  // Top-level keys are the tokens that start after the previous value ended;
  // everything inside a nested value starts before its end and is skipped.
  int i = 1;
  while (i + 1 < n) {
    if (tokens_[i].kind != JSMN_STRING) return false;
    top_fields_[fields_++] = i;
    const int value_end = tokens_[i + 1].end;
    i += 2;
    while (i < n && tokens_[i].start < value_end) ++i;
  }
  return i == n;
}

std::string_view JsonReader::text_of(int index) const {
  const Token& t = tokens_[index];
  return std::string_view(text_.data() + t.start, static_cast<size_t>(t.end - t.start));
}

int JsonReader::find(std::string_view key) const {
  for (int f = 0; f < fields_; ++f)
    if (text_of(top_fields_[f]) == key) return top_fields_[f] + 1;
  return -1;
}

bool JsonReader::get_uint(std::string_view key, uint64_t& out) const {
  const int v = find(key);
  if (v < 0 || tokens_[v].kind != JSMN_PRIMITIVE) return false;
  const std::string_view s = text_of(v);
  if (s.empty() || s.size() > 20) return false;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t next = value * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != value) return false;  // overflow
    value = next;
  }
  out = value;
  return true;
}

bool JsonReader::get_u32(std::string_view key, uint32_t& out) const {
  uint64_t v = 0;
  if (!get_uint(key, v) || v > UINT32_MAX) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool JsonReader::get_int(std::string_view key, int64_t& out) const {
  const int v = find(key);
  if (v < 0 || tokens_[v].kind != JSMN_PRIMITIVE) return false;
  std::string_view s = text_of(v);
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = negative ? -value : value;
  return true;
}

bool JsonReader::get_bool(std::string_view key, bool& out) const {
  const int v = find(key);
  if (v < 0 || tokens_[v].kind != JSMN_PRIMITIVE) return false;
  const std::string_view s = text_of(v);
  if (s == "true") out = true;
  else if (s == "false") out = false;
  else return false;
  return true;
}

bool JsonReader::get_raw_string(std::string_view key, std::string_view& out) const {
  const int v = find(key);
  if (v < 0 || tokens_[v].kind != JSMN_STRING) return false;
  out = text_of(v);
  return true;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool JsonReader::get_string(std::string_view key, std::span<char> buf, std::string_view& out) const {
  std::string_view raw;
  if (!get_raw_string(key, raw)) return false;
  size_t o = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (o >= buf.size()) return false;
    char c = raw[i];
    if (c == '\\') {
      if (++i >= raw.size()) return false;
      switch (raw[i]) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
          // Only \u00XX is produced by ArduinoJson for control characters;
          // anything above one byte is refused rather than mangled.
          if (i + 4 >= raw.size() || raw[i + 1] != '0' || raw[i + 2] != '0') return false;
          const int hi = hex_value(raw[i + 3]);
          const int lo = hex_value(raw[i + 4]);
          if (hi < 0 || lo < 0) return false;
          c = static_cast<char>(hi * 16 + lo);
          i += 4;
          break;
        }
        default: return false;
      }
    }
    buf[o++] = c;
  }
  out = std::string_view(buf.data(), o);
  return true;
}

}  // namespace meshota::core
