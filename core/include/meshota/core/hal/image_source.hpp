#pragma once

#include <cstdint>
#include <span>

namespace meshota::core {

/// Where a distributing node reads the image it offers (painlessMesh's otaDataPacketCallback).
class ImageSource {
 public:
  /// Copies chunk `part_no` into `out`; returns its size, 0 when there is no such chunk.
  virtual uint32_t read_chunk(uint32_t part_no, uint32_t chunk_bytes, std::span<uint8_t> out) = 0;

 protected:
  ~ImageSource() = default;
};

}  // namespace meshota::core
