#pragma once
// Ed25519 signature checks come from the platform's crypto library (libsodium
// in the simulator and tools; the ESP side implements it with its own: mbedTLS
// or libsodium from ESP-IDF). Never hand-written.

#include <cstdint>
#include <span>

namespace meshota::core {

/// An Ed25519 public key (RFC 8032), 32 bytes.
struct PublicKey {
  uint8_t bytes[32] = {};
};

/// Verifies Ed25519 signatures over messages.
class SignatureVerifier {
 public:
  /// True when `signature` (64 bytes) is `key`'s signature of `message`.
  virtual bool verify(const PublicKey& key, std::span<const uint8_t> message,
                      std::span<const uint8_t, 64> signature) = 0;

 protected:
  ~SignatureVerifier() = default;
};

}  // namespace meshota::core
