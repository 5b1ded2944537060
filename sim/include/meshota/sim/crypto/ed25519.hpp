#pragma once
// Ed25519 from libsodium: the simulator's SignatureVerifier, and what the
// meshota program uses to make keys and sign manifests. Key files are text
// (docs/signing.md): one line "meshota-ed25519-secret-v1 <hex>" or
// "meshota-ed25519-public-v1 <hex>", so that a key is never confused with a
// different kind of file and is easy to inspect.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "meshota/core/hal/signature_verifier.hpp"

namespace meshota::sim {

/// An Ed25519 key pair; `secret` is libsodium's 64-byte form (seed followed by the public key).
struct KeyPair {
  std::array<uint8_t, 64> secret{};
  core::PublicKey public_key;
};

/// A fresh key pair from libsodium's CSPRNG.
KeyPair generate_key_pair();
/// The key pair an RFC 8032 32-byte seed determines (deterministic: tests, reproducible fleets).
KeyPair key_pair_from_seed(std::span<const uint8_t, 32> seed);
/// The detached signature of `message`.
std::array<uint8_t, 64> sign(const KeyPair& key, std::span<const uint8_t> message);

/// Key files. Reading throws InputError (file:line:column, what to do) on a malformed file.
std::string format_secret_key(const KeyPair& key);
std::string format_public_key(const core::PublicKey& key);
KeyPair read_secret_key_file(const std::string& path);
core::PublicKey read_public_key_file(const std::string& path);
void write_key_file(const std::string& path, const std::string& text, bool secret);

/// The core's SignatureVerifier on libsodium.
class SodiumVerifier final : public core::SignatureVerifier {
 public:
  SodiumVerifier();
  bool verify(const core::PublicKey& key, std::span<const uint8_t> message,
              std::span<const uint8_t, 64> signature) override;
};

}  // namespace meshota::sim
