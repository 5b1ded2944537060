#include "meshota/sim/node/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace meshota::sim {
namespace {

std::string digest_hex(const EVP_MD* md, std::span<const uint8_t> data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    throw std::runtime_error("OpenSSL digest failed");
  return to_hex(std::span<const uint8_t>(out, len));
}

}  // namespace

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 0xf]);
  }
  return s;
}

std::string sha256_hex(std::span<const uint8_t> data) { return digest_hex(EVP_sha256(), data); }
std::string md5_hex(std::span<const uint8_t> data) { return digest_hex(EVP_md5(), data); }

OpenSslMd5::OpenSslMd5() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
}
OpenSslMd5::~OpenSslMd5() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void OpenSslMd5::begin() { EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_md5(), nullptr); }
void OpenSslMd5::update(std::span<const uint8_t> data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
void OpenSslMd5::finish(uint8_t (&digest)[16]) {
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
}

OpenSslSha256::OpenSslSha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
}
OpenSslSha256::~OpenSslSha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void OpenSslSha256::begin() { EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr); }
void OpenSslSha256::update(std::span<const uint8_t> data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
void OpenSslSha256::finish(uint8_t (&digest)[kDigestBytes]) {
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
}

std::array<uint8_t, 32> sha256_of(std::span<const uint8_t> data) {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size())
    throw std::runtime_error("OpenSSL digest failed");
  return out;
}

}  // namespace meshota::sim
