#pragma once

#include <cstdint>

namespace meshota::core {

/// The core's only source of randomness, so runs are reproducible.
class Rng {
 public:
  virtual uint32_t next_u32() = 0;

 protected:
  ~Rng() = default;
};

}  // namespace meshota::core
