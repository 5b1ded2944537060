#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace meshota::core {

/// Small named records that survive a reboot (painlessMesh keeps /ota_fw.json in SPIFFS).
class StateStore {
 public:
  /// Copies the record into `out`; returns its size, or -1 when absent or larger than `out`.
  virtual int32_t read(std::string_view key, std::span<uint8_t> out) const = 0;
  virtual bool write(std::string_view key, std::span<const uint8_t> data) = 0;

 protected:
  ~StateStore() = default;
};

}  // namespace meshota::core
