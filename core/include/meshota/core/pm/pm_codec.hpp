#pragma once
// painlessMesh's wire format: byte-exact JSON in ArduinoJson's field order,
// each message terminated by '\0'. Sizes returned include the terminator,
// because that is what crosses the link.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/pm/pm_package.hpp"

namespace meshota::core {

/// Why a frame could not be decoded.
enum class PmDecodeStatus : uint8_t {
  kOk,
  kNotJson,       ///< for callers: JsonReader::parse() refused the frame
  kMissingField,  ///< a required field is absent, of the wrong JSON type, or not a valid integer
  kBadValue,      ///< a field is present but out of range (too long, bad routing, ...)
  kWrongType,     ///< a valid package of another type
};

/// Encodes an Announce or DataRequest (no data). Returns bytes written, 0 if `out` is too small.
size_t pm_encode(const PmOtaPackage& pkg, std::span<uint8_t> out);

/// Encodes a Data package whose `data` is the base64 of `chunk` (pkg.data_base64 is ignored).
size_t pm_encode_data(const PmOtaPackage& pkg, std::span<const uint8_t> chunk, std::span<uint8_t> out);

/// Encodes a type 8 or 9 application message.
size_t pm_encode(const PmUserMessage& msg, std::span<uint8_t> out);

/// The `type` of a parsed package, or -1 when absent.
int pm_type_of(const JsonReader& json);

/// Decodes a parsed OTA package (types 10, 11, 12).
PmDecodeStatus pm_decode(const JsonReader& json, PmOtaPackage& out);

/// Decodes a parsed type 8/9 message; `msg` is unescaped into `msg_buf`.
PmDecodeStatus pm_decode(const JsonReader& json, std::span<char> msg_buf, PmUserMessage& out);

}  // namespace meshota::core
