#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// The bytes of the image a run distributes, with its identities.
struct FirmwareImage {
  std::string source;  ///< file path, or "generated:<size>:<seed>"
  std::vector<uint8_t> bytes;
  std::string sha256;
  std::string md5;
};

/// Loads the scenario's firmware file (path already resolved) or generates it.
/// Generated images start with the ESP image magic 0xE9 and are otherwise
/// seeded pseudo-random bytes (incompressible: a worst case for compression).
FirmwareImage load_firmware(const FirmwareSpec& spec, const std::string& scenario_path);

}  // namespace meshota::sim
