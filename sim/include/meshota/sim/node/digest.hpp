#pragma once
// Digests from OpenSSL's libcrypto: SHA-256 identifies images, MD5 only
// exists for painlessMesh compatibility.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "meshota/core/hal/md5_hasher.hpp"
#include "meshota/core/hal/sha256_hasher.hpp"

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

/// The core's Sha256Hasher on OpenSSL's EVP interface.
class OpenSslSha256 final : public core::Sha256Hasher {
 public:
  OpenSslSha256();
  ~OpenSslSha256();
  OpenSslSha256(const OpenSslSha256&) = delete;
  OpenSslSha256& operator=(const OpenSslSha256&) = delete;

  void begin() override;
  void update(std::span<const uint8_t> data) override;
  void finish(uint8_t (&digest)[kDigestBytes]) override;

 private:
  void* ctx_;  // EVP_MD_CTX
};

/// SHA-256 of `data` as raw bytes (the packer and the tests compare digests, not text).
std::array<uint8_t, 32> sha256_of(std::span<const uint8_t> data);

}  // namespace meshota::sim
