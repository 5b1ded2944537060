// What a node trusts, with fixed keys: the packer's signature over header
// bytes [0, 128), ManifestStore refusing unsigned, wrongly signed, tampered and
// replayed (old security counter) manifests before any page is accepted.

#include <catch2/catch.hpp>

#include <vector>

#include "fake_hal.hpp"
#include "meshota/core/ota/manifest_store.hpp"
#include "meshota/sim/crypto/manifest_signing.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/ota/image_pack.hpp"

namespace ms = meshota::sim;
namespace core = meshota::core;

namespace {

std::vector<uint8_t> image_bytes() {
  std::vector<uint8_t> b(5000);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(i * 7 + i / 300);
  return b;
}

ms::PackedImage pack(const ms::KeyPair* key, uint32_t counter) {
  ms::PackOptions o;
  o.page_size = 1024;
  o.chunk_size = 200;
  o.security_counter = counter;
  o.signing_key = key;
  return ms::pack_image(image_bytes(), o);
}

core::ManifestPiece install(const std::vector<uint8_t>& manifest, const core::PublicKey* key, uint32_t min_counter) {
  meshota::test::FakeStateStore state;
  ms::OpenSslSha256 sha;
  ms::SodiumVerifier verifier;
  std::vector<uint8_t> buffer(4096);
  core::ManifestStore store(state, sha, core::ManifestTrust{&verifier, key, min_counter}, buffer);
  return store.install(manifest);
}

}  // namespace

TEST_CASE("manifest trust: the fleet key's signature is accepted, anything else is dropped", "[safety][signing]") {
  const ms::KeyPair fleet = ms::key_pair_from_number(1), other = ms::key_pair_from_number(2);
  const ms::PackedImage signed_image = pack(&fleet, 3);
  CHECK(ms::manifest_signed_by(signed_image.manifest, fleet.public_key));
  CHECK_FALSE(ms::manifest_signed_by(signed_image.manifest, other.public_key));
  CHECK(install(signed_image.manifest, &fleet.public_key, 0) == core::ManifestPiece::kComplete);
  // No key configured: the signature is not checked (signing off).
  CHECK(install(pack(nullptr, 3).manifest, nullptr, 0) == core::ManifestPiece::kComplete);
  CHECK(ms::manifest_unsigned(pack(nullptr, 3).manifest));
  CHECK(install(pack(nullptr, 3).manifest, &fleet.public_key, 0) == core::ManifestPiece::kBadSignature);
  CHECK(install(pack(&other, 3).manifest, &fleet.public_key, 0) == core::ManifestPiece::kBadSignature);
  // Any signed field changed (here image_version) breaks the signature; the image id changes too,
  // so install() recomputes it and the header decodes: only the signature can refuse it.
  std::vector<uint8_t> tampered = signed_image.manifest;
  core::ManifestHeader h = signed_image.header;
  ++h.image_version;  // keeps the signature field, which encode copies from the header
  core::encode_manifest_header(h, tampered);
  CHECK(install(tampered, &fleet.public_key, 0) == core::ManifestPiece::kBadSignature);
  std::vector<uint8_t> bad_sig = signed_image.manifest;
  bad_sig[core::kManifestSignedBytes + 5] ^= 0x10;
  CHECK(install(bad_sig, &fleet.public_key, 0) == core::ManifestPiece::kBadSignature);
}

TEST_CASE("manifest trust: a security counter below the device's is refused, equal or above accepted",
          "[safety][signing]") {
  const ms::KeyPair fleet = ms::key_pair_from_number(1);
  const ms::PackedImage image = pack(&fleet, 5);
  CHECK(install(image.manifest, &fleet.public_key, 4) == core::ManifestPiece::kComplete);
  CHECK(install(image.manifest, &fleet.public_key, 5) == core::ManifestPiece::kComplete);
  CHECK(install(image.manifest, &fleet.public_key, 6) == core::ManifestPiece::kOldCounter);
  // The counter of an unverified header means nothing: a forged one is refused for its signature.
  const ms::KeyPair forger = ms::key_pair_from_number(9);
  CHECK(install(pack(&forger, 99).manifest, &fleet.public_key, 6) ==
        core::ManifestPiece::kBadSignature);
}

TEST_CASE("manifest trust: a seed number names a fixed key pair", "[safety][signing]") {
  // key_seed: 0 is the all-zero RFC 8032 seed; its public key is fixed by the standard.
  const ms::KeyPair k = ms::key_pair_from_number(0);
  const uint8_t expected[4] = {0x3b, 0x6a, 0x27, 0xbc};
  CHECK(std::equal(expected, expected + 4, k.public_key.bytes));
  CHECK(ms::key_pair_from_number(1).public_key.bytes[0] != k.public_key.bytes[0]);
}
