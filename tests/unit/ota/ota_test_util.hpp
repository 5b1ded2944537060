#pragma once
// Shared by the [ota] tests: the real ESP32 images of data/firmware, seeds
// for randomised tests, and small helpers over the packer's output.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fake_hal.hpp"
#include "meshota/sim/ota/image_pack.hpp"

namespace meshota::test {

/// The nine shared ESP32 application images (data/firmware/README.md).
inline const std::vector<std::string>& firmware_names() {
  static const std::vector<std::string> names = {
      "hello_world_new.bin", "hello_world_old.bin", "http_server.bin", "https_server.bin", "nvs_rw_blob.bin",
      "nvs_rw_value.bin",    "v1.bin",              "v2.bin",          "v3.bin"};
  return names;
}

/// The Wi-Fi application images (the others are small IDF examples).
inline bool is_wifi_image(const std::string& name) {
  return name.rfind("http", 0) == 0 || name[0] == 'v';
}

/// Bytes of data/firmware/<name>, read once per test run.
inline const Bytes& firmware(const std::string& name) {
  static std::map<std::string, Bytes> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::ifstream in(std::string(MESHOTA_DATA_DIR) + "/firmware/" + name, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    it = cache.emplace(name, std::move(b)).first;
  }
  return it->second;
}

/// Seed of a randomised test: MESHOTA_TEST_SEED when set (to replay a failure), else fresh; printed.
inline uint32_t test_seed(const char* what) {
  uint32_t seed = 0;
  if (const char* env = std::getenv("MESHOTA_TEST_SEED"); env != nullptr && *env != '\0')
    seed = static_cast<uint32_t>(std::strtoul(env, nullptr, 0));
  else
    seed = std::random_device{}();
  std::printf("ota: %s: seed %u (replay with MESHOTA_TEST_SEED=%u)\n", what, seed, seed);
  return seed;
}

/// pack_image on a whole vector.
inline sim::PackedImage pack(const Bytes& image, sim::PackOptions o = {}) { return sim::pack_image(image, o); }

/// Packing options for a compressed image with `window_bits`.
inline sim::PackOptions deflate_options(uint8_t window_bits, uint32_t page_size = 4096) {
  sim::PackOptions o;
  o.compress = true;
  o.window_bits = window_bits;
  o.page_size = page_size;
  return o;
}

/// Page k of `image` as packed with page size `page`.
inline Bytes page_of(const Bytes& image, uint32_t k, uint32_t page) {
  const size_t begin = size_t{k} * page;
  const size_t end = std::min(image.size(), begin + page);
  return Bytes(image.begin() + static_cast<std::ptrdiff_t>(begin), image.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace meshota::test
