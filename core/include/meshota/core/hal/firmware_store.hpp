#pragma once
// Flash slots that hold firmware images. Page-granular like real NOR flash:
// a page must be erased before it is written, and a write only clears bits.
// Destructors are protected and non-virtual: the core never owns a HAL object.

#include <cstdint>
#include <span>

namespace meshota::core {

/// Two or more firmware slots in flash: erase by page, write and read by byte offset.
class FirmwareStore {
 public:
  virtual uint32_t slot_count() const = 0;
  virtual uint32_t slot_size_bytes() const = 0;
  virtual uint32_t page_size_bytes() const = 0;
  virtual bool erase_page(uint32_t slot, uint32_t page_index) = 0;
  virtual bool write(uint32_t slot, uint32_t offset_bytes, std::span<const uint8_t> data) = 0;
  virtual bool read(uint32_t slot, uint32_t offset_bytes, std::span<uint8_t> out) const = 0;

 protected:
  ~FirmwareStore() = default;
};

}  // namespace meshota::core
