#pragma once

#include <cstdint>

namespace meshota::core {

/// Which firmware slot runs now and which one boots next (esp_ota_set_boot_partition).
class BootControl {
 public:
  virtual uint32_t running_slot() const = 0;
  virtual bool set_boot_slot(uint32_t slot) = 0;

 protected:
  ~BootControl() = default;
};

}  // namespace meshota::core
