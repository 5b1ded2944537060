#pragma once

#include <algorithm>
#include <vector>

#include "meshota/core/hal/image_source.hpp"

namespace meshota::sim {

/// The distributing node's image, read by chunk (painlessMesh's otaDataPacketCallback).
class ImageChunks final : public core::ImageSource {
 public:
  explicit ImageChunks(const std::vector<uint8_t>& image) : image_(image) {}

  uint32_t read_chunk(uint32_t part_no, uint32_t chunk_bytes, std::span<uint8_t> out) override {
    const uint64_t offset = uint64_t{part_no} * chunk_bytes;
    if (offset >= image_.size()) return 0;
    const auto n = static_cast<uint32_t>(std::min<uint64_t>({chunk_bytes, out.size(), image_.size() - offset}));
    std::copy_n(image_.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
    return n;
  }

 private:
  const std::vector<uint8_t>& image_;
};

}  // namespace meshota::sim
