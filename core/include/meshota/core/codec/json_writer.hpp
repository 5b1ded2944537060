#pragma once
// Writes JSON the way ArduinoJson serialises painlessMesh packages: keys in
// insertion order, no spaces, integers in decimal, strings escaped. Writes
// into a caller's buffer; never allocates.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace meshota::core {

/// Appends one flat JSON object to a fixed buffer; ok() turns false on overflow.
class JsonWriter {
 public:
  explicit JsonWriter(std::span<uint8_t> out) : out_(out) {}

  void begin_object();
  void end_object();
  /// Writes the '\0' that terminates every painlessMesh message on the wire.
  void terminate();

  void field_uint(std::string_view key, uint64_t value);
  void field_int(std::string_view key, int64_t value);
  void field_bool(std::string_view key, bool value);
  void field_string(std::string_view key, std::string_view value);
  /// A string field whose value is the base64 text of `raw`, encoded in place.
  void field_base64(std::string_view key, std::span<const uint8_t> raw);
  /// Starts a nested object as the value of `key` (close with end_object()).
  void field_object(std::string_view key);

  bool ok() const { return ok_; }
  size_t size() const { return ok_ ? used_ : 0; }

 private:
  void put(char c);
  void put(std::string_view s);
  void put_uint(uint64_t v);
  void put_escaped(std::string_view s);
  void key(std::string_view k);

  std::span<uint8_t> out_;
  size_t used_ = 0;
  bool ok_ = true;
  bool first_ = true;
};

}  // namespace meshota::core
