// Ed25519 through the SignatureVerifier port, on RFC 8032's test vectors, and
// the key files' format and errors.

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "meshota/sim/crypto/ed25519.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace ms = meshota::sim;

namespace {

std::vector<uint8_t> hex(const std::string& h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
  return out;
}

struct Vector {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1-3.
const Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

std::string temp_file(const std::string& text) {
  char name[] = "/tmp/meshota-key-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(name) << text;
  return name;
}

}  // namespace

TEST_CASE("ed25519: RFC 8032 test vectors sign and verify through the port") {
  ms::SodiumVerifier verifier;
  for (const Vector& v : kVectors) {
    INFO(v.public_key);
    const std::vector<uint8_t> seed = hex(v.seed);
    const ms::KeyPair k = ms::key_pair_from_seed(std::span<const uint8_t, 32>(seed.data(), 32));
    CHECK(std::vector<uint8_t>(k.public_key.bytes, k.public_key.bytes + 32) == hex(v.public_key));
    const std::vector<uint8_t> msg = hex(v.message);
    const auto sig = ms::sign(k, msg);
    CHECK(std::vector<uint8_t>(sig.begin(), sig.end()) == hex(v.signature));
    CHECK(verifier.verify(k.public_key, msg, sig));
    // Any bit flipped in the message or the signature is refused.
    for (size_t bit = 0; bit < 8 * sig.size(); bit += 37) {
      auto bad = sig;
      bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      CHECK_FALSE(verifier.verify(k.public_key, msg, bad));
    }
    std::vector<uint8_t> other = msg;
    other.push_back(0);
    CHECK_FALSE(verifier.verify(k.public_key, other, sig));
  }
}

TEST_CASE("ed25519: key files round-trip, and malformed ones say what is wrong") {
  const ms::KeyPair k = ms::generate_key_pair();
  const std::string secret = temp_file(ms::format_secret_key(k));
  const std::string pub = temp_file(ms::format_public_key(k.public_key));
  CHECK(ms::read_secret_key_file(secret).secret == k.secret);
  CHECK(std::equal(k.public_key.bytes, k.public_key.bytes + 32, ms::read_public_key_file(pub).bytes));
  CHECK_THROWS_WITH(ms::read_secret_key_file(pub), Catch::Contains("is a public key, but a secret key is needed"));
  CHECK_THROWS_WITH(ms::read_public_key_file(temp_file("hello\n")), Catch::Contains("is not a meshota key file"));
  CHECK_THROWS_WITH(ms::read_public_key_file(temp_file("meshota-ed25519-public-v1 abcd\n")),
                    Catch::Contains("must be 64 hex digits, not 4"));
  std::string damaged = ms::format_secret_key(k);
  damaged[damaged.size() - 3] = damaged[damaged.size() - 3] == '0' ? '1' : '0';  // in the public half
  CHECK_THROWS_WITH(ms::read_secret_key_file(temp_file(damaged)), Catch::Contains("damaged"));
  CHECK_THROWS_WITH(ms::read_public_key_file("/nonexistent/key.pub"), Catch::Contains("cannot open the key file"));
  for (const std::string& f : {secret, pub}) std::remove(f.c_str());
}
