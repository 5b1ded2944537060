#pragma once
// The compact name of an image in every OTA message: the first 8 bytes of the
// SHA-256 of its encoded manifest header (signature excluded). It names, it
// does not authenticate: a node trusts an image only after checking the full
// header (and, with the safe-updates work, its signature).

#include <array>
#include <cstdint>

namespace meshota::core {

/// 8-byte image name derived from the manifest header (see manifest.hpp).
using ImageId = std::array<uint8_t, 8>;

}  // namespace meshota::core
