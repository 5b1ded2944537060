#pragma once
// Flash slots that hold firmware images. Page-granular like real NOR flash:
// a page must be erased before it is written, and a write only clears bits.
// Destructors are protected and non-virtual: the core never owns a HAL object.

#include <cstdint>
#include <cstring>
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
  /// Whether bytes [offset, offset + expected.size()) of `slot` equal `expected`; false also when
  /// they cannot be read. By default read and compared through a small buffer; a store that can
  /// compare in place (memory-mapped flash, the simulator) overrides it.
  // (Inline: a key function compiled without RTTI would leave the simulator's subclasses without typeinfo.)
  virtual bool equals(uint32_t slot, uint32_t offset_bytes, std::span<const uint8_t> expected) const {
    uint8_t piece[64];
    for (size_t done = 0; done < expected.size();) {
      const size_t n = expected.size() - done < sizeof piece ? expected.size() - done : sizeof piece;
      if (!read(slot, offset_bytes + static_cast<uint32_t>(done), std::span<uint8_t>(piece, n)) ||
          std::memcmp(piece, expected.data() + done, n) != 0)
        return false;
      done += n;
    }
    return true;
  }

 protected:
  ~FirmwareStore() = default;
};

}  // namespace meshota::core
