#pragma once
// painlessMesh's packages as the core sees them, field for field
// (reference/painlessmesh.md; ota.hpp, plugin.hpp and protocol.hpp upstream).

#include <cstdint>
#include <string_view>

#include "meshota/core/addressing.hpp"
#include "meshota/core/fixed_string.hpp"

namespace meshota::core {

/// painlessMesh's package type numbers (the JSON `type` field).
enum class PmType : uint8_t {
  kBroadcast = 8,
  kSingle = 9,
  kOtaAnnounce = 10,
  kOtaDataRequest = 11,
  kOtaData = 12,
};

/// An OTA package (Announce, DataRequest or Data): one struct, each type uses a prefix of the fields.
struct PmOtaPackage {
  PmType type = PmType::kOtaAnnounce;
  NodeId from = 0;
  Routing routing = Routing::kBroadcast;
  FixedString<32> md5;  ///< hex MD5 of the whole image
  FixedString<16> hardware;
  FixedString<32> role;
  bool forced = false;
  uint32_t no_part = 0;  ///< number of chunks in the image
  bool broadcasted = false;
  bool compressed = false;
  NodeId dest = 0;       ///< DataRequest and Data only
  uint32_t part_no = 0;  ///< 0-based chunk index; DataRequest and Data only
  std::string_view data_base64;  ///< Data only: the chunk as base64 text, a view into the frame
};

/// An application message (types 8 BROADCAST and 9 SINGLE): text from one node to one or all.
struct PmUserMessage {
  PmType type = PmType::kSingle;
  NodeId dest = 0;
  NodeId from = 0;
  std::string_view msg;
};

}  // namespace meshota::core
