#pragma once
// What the benchmark programs share: where the shared data lives, the
// firmware images they measure, and the argument lists the report reads back.

#include <cstdint>
#include <string>
#include <vector>

namespace meshota::bench {

/// The firmware images of data/firmware/ the codec, bitmap, hash and deflate benchmarks use:
/// the smallest, a mid-sized one and the largest of the shared set.
inline const std::vector<std::string>& firmware_names() {
  static const std::vector<std::string> names{"hello_world_new", "nvs_rw_blob", "https_server"};
  return names;
}

/// data/ of the source tree (firmware images, topologies).
std::string data_dir();

/// The bytes of data/firmware/<name>.bin, read once per process and kept.
const std::vector<uint8_t>& firmware_bytes(const std::string& name);

/// Whether the program was started with --quick (fewer and smaller macro runs).
bool quick_mode();

}  // namespace meshota::bench
