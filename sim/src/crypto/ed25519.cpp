#include "meshota/sim/crypto/ed25519.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim {
namespace {

constexpr std::string_view kSecretTag = "meshota-ed25519-secret-v1";
constexpr std::string_view kPublicTag = "meshota-ed25519-public-v1";

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

// The hex field of a one-line key file, checked: tag, one space, `bytes` bytes of hex, an optional newline.
std::vector<uint8_t> read_key_line(const std::string& path, std::string_view tag, size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, "cannot open the key file; check the path (make one with 'meshota keygen')");
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string other(tag == kSecretTag ? kPublicTag : kSecretTag);
  if (text.rfind(other + " ", 0) == 0)
    throw InputError(path, 1, 1,
                     "is a " + std::string(tag == kSecretTag ? "public" : "secret") + " key, but a " +
                         std::string(tag == kSecretTag ? "secret" : "public") + " key is needed here");
  if (text.rfind(std::string(tag) + " ", 0) != 0)
    throw InputError(path, 1, 1, "is not a meshota key file: it must start with '" + std::string(tag) + " '");
  const std::string hex = text.substr(tag.size() + 1);
  if (hex.size() != 2 * bytes)
    throw InputError(path, 1, static_cast<int>(tag.size() + 2),
                     "the key must be " + std::to_string(2 * bytes) + " hex digits, not " + std::to_string(hex.size()));
  std::vector<uint8_t> out(bytes);
  size_t bin_len = 0;
  if (sodium_hex2bin(out.data(), bytes, hex.data(), hex.size(), nullptr, &bin_len, nullptr) != 0 || bin_len != bytes)
    throw InputError(path, 1, static_cast<int>(tag.size() + 2), "the key contains a character that is not hex");
  return out;
}

}  // namespace

KeyPair generate_key_pair() {
  init_sodium();
  KeyPair k;
  crypto_sign_keypair(k.public_key.bytes, k.secret.data());
  return k;
}

KeyPair key_pair_from_seed(std::span<const uint8_t, 32> seed) {
  init_sodium();
  KeyPair k;
  crypto_sign_seed_keypair(k.public_key.bytes, k.secret.data(), seed.data());
  return k;
}

std::array<uint8_t, 64> sign(const KeyPair& key, std::span<const uint8_t> message) {
  init_sodium();
  std::array<uint8_t, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), key.secret.data());
  return sig;
}

std::string format_secret_key(const KeyPair& key) { return std::string(kSecretTag) + " " + to_hex(key.secret) + "\n"; }

std::string format_public_key(const core::PublicKey& key) {
  return std::string(kPublicTag) + " " + to_hex(key.bytes) + "\n";
}

KeyPair read_secret_key_file(const std::string& path) {
  const std::vector<uint8_t> raw = read_key_line(path, kSecretTag, 64);
  KeyPair k;
  std::copy(raw.begin(), raw.end(), k.secret.begin());
  // libsodium's secret key is the seed followed by the public key: derive the key from the seed
  // again to check that the two halves belong together.
  uint8_t seed[32];
  crypto_sign_ed25519_sk_to_seed(seed, k.secret.data());
  const KeyPair derived = key_pair_from_seed(std::span<const uint8_t, 32>(seed, 32));
  sodium_memzero(seed, sizeof(seed));
  k.public_key = derived.public_key;
  if (derived.secret != k.secret)
    throw InputError(path, 1, static_cast<int>(kSecretTag.size() + 2),
                     "the secret key's second half is not its public key: the file is damaged; make a new key");
  return k;
}

core::PublicKey read_public_key_file(const std::string& path) {
  const std::vector<uint8_t> raw = read_key_line(path, kPublicTag, 32);
  core::PublicKey k;
  std::copy(raw.begin(), raw.end(), k.bytes);
  return k;
}

void write_key_file(const std::string& path, const std::string& text, bool secret) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
  out.close();
  if (secret) chmod(path.c_str(), S_IRUSR | S_IWUSR);  // like ssh-keygen: only the owner reads a secret key
}

SodiumVerifier::SodiumVerifier() { init_sodium(); }

bool SodiumVerifier::verify(const core::PublicKey& key, std::span<const uint8_t> message,
                            std::span<const uint8_t, 64> signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.bytes) == 0;
}

}  // namespace meshota::sim
