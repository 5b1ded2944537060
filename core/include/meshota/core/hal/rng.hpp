#pragma once

#include <cstdint>

#include "meshota/core/time.hpp"

namespace meshota::core {

/// The core's only source of randomness, so runs are reproducible.
class Rng {
 public:
  virtual uint32_t next_u32() = 0;

 protected:
  ~Rng() = default;
};

/// A random delay, uniform in [0, max) (zero when max is not positive).
inline Duration jitter(Rng& rng, Duration max) {
  return Duration{max.us <= 0 ? 0 : static_cast<int64_t>(rng.next_u32() % static_cast<uint64_t>(max.us))};
}

}  // namespace meshota::core
