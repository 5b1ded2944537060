#pragma once
// The `verify` subcommand of the meshota program: everything a node checks of
// a pack file, before it goes out to a fleet (docs/signing.md).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

/// Options of `meshota verify`.
struct VerifyArgs {
  CLI::App* command = nullptr;
  std::string manifest, pub;
  std::optional<uint32_t> device_counter;
};

void add_verify_command(CLI::App& app, VerifyArgs& args);
/// 0 when every check passes, 1 when one fails; throws InputError (exit 2) for unreadable input.
int cmd_verify(const VerifyArgs& args);
