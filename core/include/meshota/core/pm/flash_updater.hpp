#pragma once
// Arduino's Update object rebuilt on the HAL: begin() picks the slot that is
// not running, write() appends (erasing each page as it is reached), end()
// checks the MD5 of everything written and makes the slot boot next.

#include <cstdint>
#include <span>

#include "meshota/core/hal.hpp"

namespace meshota::core {

/// Result of FlashUpdater::end(true).
enum class UpdateEnd : uint8_t { kOk, kNotRunning, kMd5Mismatch, kBootFailed };

/// Sequential image writer into the inactive slot with an MD5 check (Arduino Update semantics).
class FlashUpdater {
 public:
  explicit FlashUpdater(Hal& hal) : hal_(hal) {}

  /// Update.begin(): a new image into the slot that is not running; `md5_hex` is checked at end().
  bool begin(std::span<const char> md5_hex);
  /// Update.write(): appends; false (and the update stops) when flash refuses or the slot is full.
  bool write(std::span<const uint8_t> data);
  /// Update.end(true): verify and activate. Ends the update either way.
  UpdateEnd finish();
  /// Update.end(false): drop the update.
  void abort() { running_ = false; }

  bool running() const { return running_; }
  uint32_t written_bytes() const { return written_; }
  uint32_t slot() const { return slot_; }
  /// Flash operations issued so far (erases + writes), for power-cut testing.
  uint32_t flash_ops() const { return flash_ops_; }

 private:
  Hal& hal_;
  bool running_ = false;
  uint32_t slot_ = 0;
  uint32_t written_ = 0;
  uint32_t erased_pages_ = 0;
  uint32_t flash_ops_ = 0;
  char expected_md5_[32] = {};
};

}  // namespace meshota::core
