#pragma once
// Host-side packer: turns a firmware image into what a distributing node
// serves: the encoded manifest (header + page table) and one transfer unit per
// page. With compression the whole image is one raw-deflate stream, flushed
// (Z_SYNC_FLUSH) after every page, so unit k inflates to exactly page k given
// the pages before it as history, and the stream keeps its cross-page matches.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "meshota/core/ota/image_id.hpp"
#include "meshota/core/ota/manifest.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/crypto/ed25519.hpp"

namespace meshota::sim {

/// How pack_image cuts, compresses and describes an image.
struct PackOptions {
  std::string product = "meshota";  ///< <= 16 bytes
  std::string hardware = "ESP32";   ///< <= 16 bytes
  uint32_t version = 1;
  uint32_t page_size = 4096;  ///< bytes, a power of two in 256..32768
  uint16_t chunk_size = static_cast<uint16_t>(core::wire::kMaxChunkPayloadV1);  ///< bytes per Chunk payload
  bool compress = false;
  uint8_t window_bits = 15;  ///< deflate history 2^window_bits bytes, 9..15
  int level = 9;             ///< zlib level 1..9
  int mem_level = 8;         ///< zlib memLevel (8 or 9)
  uint8_t page_hash_bytes = 16;
  uint32_t security_counter = 0;
  const KeyPair* signing_key = nullptr;  ///< signs the header (docs/signing.md); null: unsigned
};

/// An image ready to distribute: its manifest and its units, in page order.
struct PackedImage {
  core::ManifestHeader header;
  core::ImageId image_id{};
  std::vector<uint8_t> manifest;            ///< encoded header followed by the page table
  std::vector<std::vector<uint8_t>> units;  ///< unit k: what is transferred and hashed for page k
  uint64_t image_bytes = 0;
  uint64_t unit_bytes = 0;   ///< all units together
  uint32_t stored_pages = 0; ///< pages deflate would have grown, sent as stored blocks instead

  /// Transfer size over image size (1.0 uncompressed).
  double ratio() const { return image_bytes == 0 ? 0.0 : static_cast<double>(unit_bytes) / static_cast<double>(image_bytes); }
  std::span<const uint8_t> page_table() const {
    return std::span<const uint8_t>(manifest).subspan(core::kManifestHeaderBytes);
  }
  uint32_t chunk_count(uint32_t page) const {
    return header.chunk_count(static_cast<uint32_t>(units.at(page).size()));
  }
  /// Chunk `index` of unit `page` (the payload of one Chunk message).
  std::span<const uint8_t> chunk(uint32_t page, uint32_t index) const;
};

/// Packs `image`; throws std::invalid_argument for options the manifest cannot describe.
PackedImage pack_image(std::span<const uint8_t> image, const PackOptions& options);

}  // namespace meshota::sim
