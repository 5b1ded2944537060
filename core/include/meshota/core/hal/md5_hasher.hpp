#pragma once
// MD5 exists only for painlessMesh compatibility (its Announce names images by
// MD5). The implementation comes from the platform's crypto library.

#include <cstdint>
#include <span>

namespace meshota::core {

/// Incremental MD5 from a crypto library (mbedTLS on ESP, OpenSSL in the simulator).
class Md5Hasher {
 public:
  virtual void begin() = 0;
  virtual void update(std::span<const uint8_t> data) = 0;
  virtual void finish(uint8_t (&digest)[16]) = 0;

 protected:
  ~Md5Hasher() = default;
};

}  // namespace meshota::core
