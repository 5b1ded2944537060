#include "meshota/sim/scenario/firmware_image.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace meshota::sim {

FirmwareImage load_firmware(const FirmwareSpec& spec, const std::string& scenario_path) {
  FirmwareImage img;
  if (!spec.file.empty()) {
    std::ifstream in(spec.file, std::ios::binary);
    if (!in)
      throw InputError(scenario_path, 0, 0, "cannot read firmware file '" + spec.file + "'");
    img.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    // The file name, not the path: reports must not depend on where the clone is.
    img.source = std::filesystem::path(spec.file).filename().string();
  } else {
    RngStream rng(stream_seed(spec.seed, 0x6677, 0));
    img.bytes.resize(spec.size_bytes);
    for (size_t i = 0; i < img.bytes.size(); i += 8) {
      const uint64_t v = rng.next_u64();
      for (size_t k = 0; k < 8 && i + k < img.bytes.size(); ++k)
        img.bytes[i + k] = static_cast<uint8_t>(v >> (8 * k));
    }
    if (!img.bytes.empty()) img.bytes[0] = 0xE9;
    img.source = "generated:" + std::to_string(spec.size_bytes) + ":" + std::to_string(spec.seed);
  }
  if (img.bytes.empty()) throw InputError(scenario_path, 0, 0, "the firmware image is empty");
  img.sha256 = sha256_hex(img.bytes);
  img.md5 = md5_hex(img.bytes);
  return img;
}

}  // namespace meshota::sim
