// `meshota pack` and `meshota sign`: signed pack files for real devices (docs/signing.md).

#include "cmd_pack.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/crypto/manifest_signing.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/ota/image_pack.hpp"
#include "meshota/sim/ota/pack_file.hpp"
#include "meshota/sim/ota/pack_verify.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace ms = meshota::sim;

namespace {

[[noreturn]] void bad_option(const std::string& option, const std::string& what) {
  throw ms::InputError(option, 0, 0, what);
}

ms::PackOptions pack_options(const PackArgs& a, const ms::KeyPair& key) {
  const uint32_t p = a.page_bytes;
  if (p < 256 || p > 32768 || (p & (p - 1)) != 0)
    bad_option("--page-bytes", fmt::format("{} is not a power of two in 256..32768; use a multiple of the flash "
                                           "sector, e.g. 4096", p));
  if (a.product.size() > 16) bad_option("--product", "at most 16 bytes");
  if (a.hardware.size() > 16) bad_option("--hardware", "at most 16 bytes");
  if (a.compress && (a.window_bits < 9 || a.window_bits > 15))
    bad_option("--window-bits", fmt::format("{} is not in 9..15 (deflate history of 512 B to 32 KiB)", a.window_bits));
  if (a.chunk_bytes > 0xFFFF) bad_option("--chunk-bytes", "at most 65535");
  ms::PackOptions o;
  o.product = a.product;
  o.hardware = a.hardware;
  o.version = a.version;
  o.security_counter = a.security_counter;
  o.page_size = p;
  if (a.chunk_bytes > 0) o.chunk_size = static_cast<uint16_t>(a.chunk_bytes);
  o.compress = a.compress;
  o.window_bits = static_cast<uint8_t>(a.window_bits);
  o.signing_key = &key;
  return o;
}

std::string key_id(const meshota::core::PublicKey& k) {
  return ms::to_hex(std::span<const uint8_t>(k.bytes, 8));
}

}  // namespace

void add_pack_command(CLI::App& app, PackArgs& a) {
  a.command = app.add_subcommand("pack", "Pack a firmware image into a signed manifest and its units (one .mota file)");
  a.command->add_option("--image", a.image, "Firmware image (.bin)")->required();
  a.command->add_option("--version", a.version, "Image version (u32)")->required();
  a.command->add_option("--key", a.key, "Secret key file from `meshota keygen` (OUT.key)")->required();
  a.command->add_option("--out", a.out, "Pack file to write, e.g. fw.mota (replaced atomically)")->required();
  a.command->add_option("--security-counter", a.security_counter,
                        "Anti-rollback counter: devices refuse images below theirs (default 0)");
  a.command->add_option("--product", a.product, "Product name, <= 16 bytes (default meshota)");
  a.command->add_option("--hardware", a.hardware, "Hardware name, <= 16 bytes (default ESP32)");
  a.command->add_option("--page-bytes", a.page_bytes, "Page size: power of two, 256..32768 (default 4096)");
  a.command->add_option("--chunk-bytes", a.chunk_bytes,
                        fmt::format("Bytes per Chunk message (default {}, ESP-NOW v1)", meshota::core::wire::kMaxChunkPayloadV1));
  a.command->add_flag("--compress", a.compress, "Raw-deflate the image, one unit per page");
  a.command->add_option("--window-bits", a.window_bits, "Deflate history 2^N bytes, 9..15 (default 15)");
}

int cmd_pack(const PackArgs& a) {
  const ms::KeyPair key = ms::read_secret_key_file(a.key);
  const std::vector<uint8_t> image = ms::read_binary_file(a.image);
  if (image.empty()) throw ms::InputError(a.image, 0, 0, "the image is empty");
  ms::PackedImage p;
  try {
    p = ms::pack_image(image, pack_options(a, key));
  } catch (const std::invalid_argument& e) {
    throw ms::InputError(a.image, 0, 0, std::string("cannot pack: ") + e.what());
  }
  ms::write_file_atomically(a.out, ms::encode_pack_file(p.manifest, p.units));
  fmt::print("pack: wrote {}: version {}, security_counter {}, {} bytes in {} pages of {} -> {} bytes of units "
             "({:.0f} %), manifest {} bytes, image id {}, signed by key {}...\n",
             a.out, p.header.image_version, p.header.security_counter, p.image_bytes, p.header.page_count,
             p.header.page_size_bytes, p.unit_bytes, 100.0 * p.ratio(), p.manifest.size(), ms::to_hex(p.image_id),
             key_id(key.public_key));
  return 0;
}

void add_sign_command(CLI::App& app, SignArgs& a) {
  a.command = app.add_subcommand("sign", "Sign a pack file's manifest again (e.g. after a key rotation)");
  a.command->add_option("--manifest", a.manifest, "Pack file from `meshota pack`")->required();
  a.command->add_option("--key", a.key, "Secret key file (OUT.key)")->required();
  a.command->add_option("--out", a.out, "Write the signed pack here instead of replacing --manifest");
}

int cmd_sign(const SignArgs& a) {
  const ms::KeyPair key = ms::read_secret_key_file(a.key);
  ms::PackFile pack = ms::read_pack_file(a.manifest);
  meshota::core::ManifestHeader h;
  if (const auto s = meshota::core::decode_manifest_header(pack.manifest, h); s != meshota::core::ManifestStatus::kOk) {
    const ms::HeaderFault f = ms::describe_header_status(s);
    throw ms::InputError(a.manifest, 0, 0, fmt::format("byte {} (manifest header): {}; refusing to sign it",
                                                       pack.manifest_offset() + f.offset, f.what));
  }
  const bool was_unsigned = ms::manifest_unsigned(pack.manifest);
  ms::sign_manifest(pack.manifest, key);
  const std::vector<std::vector<uint8_t>> units{pack.units};  // all units as one block, byte for byte
  const std::string out = a.out.empty() ? a.manifest : a.out;
  ms::write_file_atomically(out, ms::encode_pack_file(pack.manifest, units));
  fmt::print("sign: wrote {}: version {}, security_counter {}, {} by key {}... (the image id does not change)\n", out,
             h.image_version, h.security_counter, was_unsigned ? "signed" : "signature replaced",
             key_id(key.public_key));
  return 0;
}
