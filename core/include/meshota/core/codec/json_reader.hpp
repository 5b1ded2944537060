#pragma once
// Reads the top-level fields of one JSON object without allocating, on top of
// the jsmn tokenizer. Values stay views into the caller's text.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace meshota::core {

/// Tokenized view of one JSON object's top-level fields (at most kMaxTokens tokens).
class JsonReader {
 public:
  static constexpr size_t kMaxTokens = 96;

  /// Tokenizes `text` (one object; a trailing '\0' is allowed). False if not a JSON object.
  bool parse(std::string_view text);

  bool has(std::string_view key) const { return find(key) >= 0; }
  bool get_uint(std::string_view key, uint64_t& out) const;
  bool get_u32(std::string_view key, uint32_t& out) const;
  bool get_int(std::string_view key, int64_t& out) const;
  bool get_bool(std::string_view key, bool& out) const;
  /// The raw text between the quotes of a string value (escapes not decoded).
  bool get_raw_string(std::string_view key, std::string_view& out) const;
  /// A string value with its escapes decoded into `buf`.
  bool get_string(std::string_view key, std::span<char> buf, std::string_view& out) const;

 private:
  struct Token {
    uint8_t kind;  // jsmntype_t
    int32_t start;
    int32_t end;
  };
  int find(std::string_view key) const;  // index of the value token, -1 if absent
  std::string_view text_of(int index) const;

  std::string_view text_;
  Token tokens_[kMaxTokens] = {};
  int top_fields_[kMaxTokens / 2] = {};  // key token index of each top-level field
  int fields_ = 0;
};

}  // namespace meshota::core
