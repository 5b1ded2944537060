#include "meshota/core/pm/flash_updater.hpp"

namespace meshota::core {

bool FlashUpdater::begin(std::span<const char> md5_hex) {
  if (md5_hex.size() != sizeof(expected_md5_) || hal_.flash.slot_count() < 2) return false;
  for (size_t i = 0; i < sizeof(expected_md5_); ++i) expected_md5_[i] = md5_hex[i];
  slot_ = (hal_.boot.running_slot() + 1) % hal_.flash.slot_count();
  written_ = 0;
  erased_pages_ = 0;
  hal_.md5.begin();
  running_ = true;
  return true;
}

bool FlashUpdater::write(std::span<const uint8_t> data) {
  if (!running_) return false;
  const uint32_t page = hal_.flash.page_size_bytes();
  if (data.size() > hal_.flash.slot_size_bytes() - written_) {
    running_ = false;
    return false;
  }
  const uint32_t end = written_ + static_cast<uint32_t>(data.size());
  // Bounded by the slot size: at most slot_size / page erases in all.
  while (erased_pages_ * page < end) {
    ++flash_ops_;
    if (!hal_.flash.erase_page(slot_, erased_pages_)) {
      running_ = false;
      return false;
    }
    ++erased_pages_;
  }
  ++flash_ops_;
  if (!hal_.flash.write(slot_, written_, data)) {
    running_ = false;
    return false;
  }
  hal_.md5.update(data);
  written_ = end;
  return true;
}

UpdateEnd FlashUpdater::finish() {
  if (!running_) return UpdateEnd::kNotRunning;
  running_ = false;
  uint8_t digest[16];
  hal_.md5.finish(digest);
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 16; ++i) {
    // Arduino's Update compares case-insensitively; announcements use lower case.
    const char hi = kHex[digest[i] >> 4];
    const char lo = kHex[digest[i] & 0xf];
    const char e_hi = static_cast<char>(expected_md5_[2 * i] | 0x20);
    const char e_lo = static_cast<char>(expected_md5_[2 * i + 1] | 0x20);
    if (hi != e_hi || lo != e_lo) return UpdateEnd::kMd5Mismatch;
  }
  return hal_.boot.set_boot_slot(slot_) ? UpdateEnd::kOk : UpdateEnd::kBootFailed;
}

}  // namespace meshota::core
