#pragma once
// The `keygen` subcommand of the meshota program (signing keys for manifests).

#include <CLI/CLI.hpp>
#include <string>

/// Options of `meshota keygen`.
struct KeygenArgs {
  CLI::App* command = nullptr;
  std::string out;
  bool force = false;
};

void add_keygen_command(CLI::App& app, KeygenArgs& args);
int cmd_keygen(const KeygenArgs& args);
