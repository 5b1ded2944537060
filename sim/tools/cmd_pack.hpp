#pragma once
// The `pack` and `sign` subcommands of the meshota program: a signed pack file
// (docs/signing.md) from a firmware image, and signing one again.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

/// Options of `meshota pack`.
struct PackArgs {
  CLI::App* command = nullptr;
  std::string image, key, out, product = "meshota", hardware = "ESP32";
  uint32_t version = 0, security_counter = 0, page_bytes = 4096, chunk_bytes = 0;
  bool compress = false;
  uint32_t window_bits = 15;
};

/// Options of `meshota sign`.
struct SignArgs {
  CLI::App* command = nullptr;
  std::string manifest, key, out;
};

void add_pack_command(CLI::App& app, PackArgs& args);
int cmd_pack(const PackArgs& args);
void add_sign_command(CLI::App& app, SignArgs& args);
int cmd_sign(const SignArgs& args);
