// `meshota verify`: what a node checks of a pack file, checked before release (docs/signing.md).

#include "cmd_verify.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "meshota/sim/crypto/ed25519.hpp"
#include "meshota/sim/ota/pack_file.hpp"
#include "meshota/sim/ota/pack_verify.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace ms = meshota::sim;

void add_verify_command(CLI::App& app, VerifyArgs& a) {
  a.command = app.add_subcommand(
      "verify", "Check a pack file as a device would: format, header, signature, counter, page table, units, image. "
                "Exit 0 ok, 1 a check failed, 2 unreadable or malformed input");
  a.command->add_option("--manifest", a.manifest, "Pack file from `meshota pack`")->required();
  a.command->add_option("--pub", a.pub, "Public key file the devices trust (OUT.pub)")->required();
  a.command->add_option("--device-counter", a.device_counter,
                        "The devices' anti-rollback counter: fail when the image's security_counter is below it");
}

int cmd_verify(const VerifyArgs& a) {
  ms::VerifyOptions options;
  options.key = ms::read_public_key_file(a.pub);
  options.device_counter = a.device_counter;
  const ms::PackFile pack = ms::read_pack_file(a.manifest);
  const ms::VerifyReport r = ms::verify_pack(pack, options);
  for (const std::string& line : r.passed) fmt::print("  ok  {}\n", line);
  std::fflush(stdout);  // the checks that passed come before the error on a terminal
  switch (r.outcome) {
    case ms::VerifyOutcome::kOk:
      fmt::print("verify: {}: ok, devices with this key{} accept it\n", a.manifest,
                 a.device_counter ? fmt::format(" and counter {}", *a.device_counter) : std::string());
      return 0;
    case ms::VerifyOutcome::kMalformed:
      throw ms::InputError(a.manifest, 0, 0, r.failure);
    case ms::VerifyOutcome::kFailed:
      break;
  }
  fmt::print(stderr, "error: {}: {} (devices refuse this pack)\n", a.manifest, r.failure);
  return 1;
}
