#pragma once
// Two copies of the boot record in two flash sectors, written alternately (as
// ESP-IDF's otadata): a commit erases and writes the sector that does NOT hold
// the newest record, so a power cut at any moment leaves the previous record
// intact, and a torn write fails its CRC and is ignored.

#include <cstdint>

#include "meshota/core/boot/boot_record.hpp"
#include "meshota/core/hal/firmware_store.hpp"

namespace meshota::core {

/// The boot record, persisted power-safely in a two-sector area (a FirmwareStore of 2 slots).
class BootRecordStore {
 public:
  explicit BootRecordStore(FirmwareStore& otadata) : flash_(otadata) {}

  /// The newest intact copy; false when neither is (a fresh device: use the factory record).
  bool load(BootRecord& out);
  /// Writes `r` with the next sequence number into the older copy's sector; false when flash refuses.
  bool commit(BootRecord& r);
  /// Which copy load() last found newest (0 or 1), -1 when none.
  int newest_copy() const { return newest_; }

 private:
  bool read_copy(uint32_t copy, BootRecord& out) const;

  FirmwareStore& flash_;
  int newest_ = -1;
  uint32_t newest_seq_ = 0;
};

}  // namespace meshota::core
