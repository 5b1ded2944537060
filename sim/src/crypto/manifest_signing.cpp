#include "meshota/sim/crypto/manifest_signing.hpp"

#include <algorithm>
#include <array>

#include "meshota/core/ota/manifest.hpp"

namespace meshota::sim {

bool sign_manifest(std::span<uint8_t> manifest, const KeyPair& key) {
  if (manifest.size() < core::kManifestHeaderBytes) return false;
  const auto sig = sign(key, manifest.first(core::kManifestSignedBytes));
  std::copy(sig.begin(), sig.end(), manifest.begin() + core::kManifestSignedBytes);
  return true;
}

bool manifest_signed_by(std::span<const uint8_t> manifest, const core::PublicKey& key) {
  if (manifest.size() < core::kManifestHeaderBytes) return false;
  SodiumVerifier v;
  return v.verify(key, manifest.first(core::kManifestSignedBytes),
                  std::span<const uint8_t, 64>(manifest.data() + core::kManifestSignedBytes, 64));
}

bool manifest_unsigned(std::span<const uint8_t> manifest) {
  if (manifest.size() < core::kManifestHeaderBytes) return true;
  const auto sig = manifest.subspan(core::kManifestSignedBytes, core::kManifestSignatureBytes);
  return std::all_of(sig.begin(), sig.end(), [](uint8_t b) { return b == 0; });
}

KeyPair key_pair_from_number(uint64_t n) {
  std::array<uint8_t, 32> seed{};
  for (size_t i = 0; i < 8; ++i) seed[i] = static_cast<uint8_t>(n >> (8 * i));
  return key_pair_from_seed(seed);
}

}  // namespace meshota::sim
