#pragma once

#include <cstdint>
#include <span>

namespace meshota::core {

/// Where a distributing node reads the page units of the image it offers (its packed image).
class UnitSource {
 public:
  /// Copies bytes [from, from + out.size()) of unit `page`; false when out of range.
  virtual bool read(uint32_t page, uint32_t from, std::span<uint8_t> out) = 0;

 protected:
  ~UnitSource() = default;
};

}  // namespace meshota::core
