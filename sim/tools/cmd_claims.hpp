#pragma once
// The `claims` subcommand of the meshota program.

#include <CLI/CLI.hpp>
#include <string>

/// Options of `meshota claims`.
struct ClaimsArgs {
  CLI::App* command = nullptr;
  uint32_t seeds = 0;
  std::string out = "docs";
  std::string scenarios = "scenarios";
  bool check = false;
  bool quiet = false;
};

void add_claims_command(CLI::App& app, ClaimsArgs& args);
int cmd_claims(const ClaimsArgs& args);
