#pragma once
// Runs the meshota program as a user would, for the CLI tests.

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace meshota::test {

/// Exit code and combined stdout+stderr of one meshota command.
struct CommandResult {
  int code;
  std::string output;
};

inline CommandResult run_meshota(const std::string& args) {
  const std::string cmd = std::string(MESHOTA_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace meshota::test
