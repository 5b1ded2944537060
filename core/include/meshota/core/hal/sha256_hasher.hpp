#pragma once
// SHA-256 names and authenticates meshota's own images (manifest, page hashes,
// whole-image digest). The implementation comes from the platform's crypto
// library (mbedTLS or the ROM on ESP, OpenSSL in the simulator), never from
// hand-written code.

#include <cstdint>
#include <span>

namespace meshota::core {

/// Incremental SHA-256 from a crypto library (mbedTLS on ESP, OpenSSL in the simulator).
class Sha256Hasher {
 public:
  static constexpr uint32_t kDigestBytes = 32;

  virtual void begin() = 0;
  virtual void update(std::span<const uint8_t> data) = 0;
  virtual void finish(uint8_t (&digest)[kDigestBytes]) = 0;

 protected:
  ~Sha256Hasher() = default;
};

}  // namespace meshota::core
