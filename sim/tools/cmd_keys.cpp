// `meshota keygen`: an Ed25519 key pair for signing manifests (docs/signing.md).

#include "cmd_keys.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "meshota/sim/crypto/ed25519.hpp"

namespace ms = meshota::sim;

void add_keygen_command(CLI::App& app, KeygenArgs& args) {
  args.command = app.add_subcommand(
      "keygen", "Make an Ed25519 signing key pair: OUT.key (secret, readable by you only) and OUT.pub (public)");
  args.command->add_option("--out", args.out, "Path prefix of the two key files, e.g. keys/fleet")->required();
  args.command->add_flag("--force", args.force, "Overwrite existing key files");
}

int cmd_keygen(const KeygenArgs& args) {
  const std::string secret = args.out + ".key", pub = args.out + ".pub";
  for (const std::string& p : {secret, pub})
    if (!args.force && std::filesystem::exists(p)) {
      fmt::print(stderr, "error: {} exists; keep it (a lost secret key cannot sign updates any more) or pass --force\n", p);
      return 2;
    }
  if (const auto dir = std::filesystem::path(secret).parent_path(); !dir.empty())
    std::filesystem::create_directories(dir);  // `--out keys/fleet` in a fresh checkout
  const ms::KeyPair k = ms::generate_key_pair();
  ms::write_key_file(secret, ms::format_secret_key(k), true);
  ms::write_key_file(pub, ms::format_public_key(k.public_key), false);
  fmt::print("keygen: wrote {} (secret: keep it off the devices) and {} (public: build it into the firmware)\n", secret,
             pub);
  return 0;
}
