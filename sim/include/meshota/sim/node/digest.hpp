#pragma once
// Digests from OpenSSL's libcrypto: SHA-256 identifies images, MD5 only
// exists for painlessMesh compatibility.

#include <cstdint>
#include <span>
#include <string>

#include "meshota/core/hal/md5_hasher.hpp"

namespace meshota::sim {

std::string sha256_hex(std::span<const uint8_t> data);
std::string md5_hex(std::span<const uint8_t> data);
std::string to_hex(std::span<const uint8_t> bytes);

/// The core's Md5Hasher on OpenSSL's EVP interface.
class OpenSslMd5 final : public core::Md5Hasher {
 public:
  OpenSslMd5();
  ~OpenSslMd5();
  OpenSslMd5(const OpenSslMd5&) = delete;
  OpenSslMd5& operator=(const OpenSslMd5&) = delete;

  void begin() override;
  void update(std::span<const uint8_t> data) override;
  void finish(uint8_t (&digest)[16]) override;

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so this header needs no OpenSSL
};

}  // namespace meshota::sim
