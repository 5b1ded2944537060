#include "meshota/sim/ota/pack_verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "meshota/core/ota/image_writer.hpp"
#include "meshota/core/ota/page_table_checker.hpp"
#include "meshota/sim/crypto/manifest_signing.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/node/sim_hal.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"

namespace meshota::sim {
namespace {

using core::ManifestStatus;
using Bytes = std::span<const uint8_t>;

// Header field offsets (docs/wire-format.md).
constexpr uint32_t kCounterField = 60, kImageShaField = 64, kTableShaField = 96;

/// One run of the checks over one pack; each step returns false once it has recorded a failure.
class PackVerifier {
 public:
  PackVerifier(const PackFile& pack, const VerifyOptions& options) : pack_(pack), options_(options) {}

  VerifyReport run() {
    (void)(header() && sizes() && signature() && counter() && table() && units() && image());
    return std::move(report_);
  }

 private:
  uint64_t header_byte(uint32_t field) const { return pack_.manifest_offset() + field; }
  Bytes table_bytes() const { return Bytes(pack_.manifest).subspan(core::kManifestHeaderBytes); }
  bool fail(VerifyOutcome outcome, uint64_t byte, const std::string& where, const std::string& what) {
    report_.outcome = outcome;
    report_.failure = fmt::format("byte {} ({}): {}", byte, where, what);
    return false;
  }

  bool header() {
    const ManifestStatus s = core::decode_manifest_header(pack_.manifest, h_);
    if (s != ManifestStatus::kOk) {
      const HeaderFault f = describe_header_status(s);
      return fail(VerifyOutcome::kMalformed, header_byte(f.offset), "manifest header", f.what);
    }
    report_.header = h_;
    report_.passed.push_back(fmt::format(
        "header: valid (product \"{}\", hardware \"{}\", version {}, {} bytes in {} pages of {}, {})",
        std::string(h_.product.view()), std::string(h_.hardware.view()), h_.image_version, h_.image_size_bytes,
        h_.page_count, h_.page_size_bytes,
        h_.compressed() ? fmt::format("raw deflate, window {} bits", h_.window_bits) : std::string("uncompressed")));
    return true;
  }

  bool sizes() {
    if (pack_.manifest.size() != h_.manifest_bytes())
      return fail(VerifyOutcome::kMalformed, 12, "manifest length",
                  fmt::format("{} bytes, but the header describes a manifest of {} (192 + {} page-table bytes); "
                              "the file is damaged: pack the image again",
                              pack_.manifest.size(), h_.manifest_bytes(), h_.page_table_bytes()));
    const uint64_t need = h_.compressed_size_bytes, have = pack_.units.size(), end = pack_.units_offset() + need;
    if (have < need)
      return fail(VerifyOutcome::kMalformed, pack_.units_offset() + have, "end of file",
                  fmt::format("the file ends here, but its units need {} bytes, up to byte {}: it was cut short; "
                              "copy it again", need, end));
    if (have > need)
      return fail(VerifyOutcome::kMalformed, end, "after the last unit",
                  fmt::format("{} bytes follow the last unit; a pack ends with it: the file is damaged or two files "
                              "were joined", have - need));
    report_.passed.push_back(fmt::format("format: pack v{}, manifest {} bytes, units {} bytes from byte {}",
                                         kPackFormatVersion, pack_.manifest.size(), need, pack_.units_offset()));
    return true;
  }

  bool signature() {
    const uint64_t sig = header_byte(core::kManifestSignedBytes);
    if (manifest_unsigned(pack_.manifest))
      return fail(VerifyOutcome::kFailed, sig, "signature",
                  "all zero: the manifest is unsigned; sign it with `meshota sign --manifest FILE --key KEY`");
    if (!manifest_signed_by(pack_.manifest, options_.key))
      return fail(VerifyOutcome::kFailed, sig, "signature",
                  fmt::format("does not verify over bytes [{}, {}) with this public key: the header or the "
                              "signature changed after signing, or another key signed it (check --pub, or re-sign "
                              "with `meshota sign`)", header_byte(0), sig));
    report_.passed.push_back(fmt::format("signature: Ed25519 over bytes [{}, {}) verifies with the public key",
                                         header_byte(0), sig));
    return true;
  }

  bool counter() {
    const uint32_t c = h_.security_counter;
    if (!options_.device_counter) {
      report_.passed.push_back(fmt::format("anti-rollback: security_counter {} (no --device-counter to compare)", c));
      return true;
    }
    const uint32_t device = *options_.device_counter;
    if (c < device)
      return fail(VerifyOutcome::kFailed, header_byte(kCounterField), "security_counter",
                  fmt::format("{} is below the device's counter {}, so devices refuse the image as a replayed old "
                              "release; pack it again with --security-counter {} or higher", c, device, device));
    report_.passed.push_back(fmt::format("anti-rollback: security_counter {} >= device counter {}", c, device));
    return true;
  }

  bool table() {
    OpenSslSha256 sha;
    core::PageTableChecker checker(h_, sha);
    const Bytes t = table_bytes();
    const uint32_t entry = h_.page_entry_bytes();
    for (uint32_t k = 0; k < h_.page_count; ++k)
      if (checker.update(t.subspan(size_t{k} * entry, entry)) != ManifestStatus::kOk)
        return fail(VerifyOutcome::kFailed, header_byte(h_.page_entry_offset(k)), fmt::format("page-table entry {}", k),
                    fmt::format("its unit size is 0 or above the largest unit the header allows ({} bytes); "
                                "pack the image again", h_.max_unit_bytes()));
    if (checker.finish() != ManifestStatus::kOk)
      return fail(VerifyOutcome::kFailed, header_byte(core::kManifestHeaderBytes), "page table",
                  fmt::format("its SHA-256 (or the sum of its unit sizes) does not match page_table_sha256 at byte "
                              "{}: the table was changed after signing; pack the image again",
                              header_byte(kTableShaField)));
    report_.passed.push_back(fmt::format("page table: {} entries match page_table_sha256", h_.page_count));
    return true;
  }

  bool units() {
    uint64_t at = 0;
    for (uint32_t k = 0; k < h_.page_count; ++k) {
      core::PageEntry e;
      core::read_page_entry(h_, table_bytes(), k, e);  // the table passed the checker: it reads
      const Bytes unit = Bytes(pack_.units).subspan(at, e.unit_bytes);
      const auto digest = sha256_of(unit);
      if (!std::equal(digest.begin(), digest.begin() + h_.page_hash_bytes, e.hash.begin()))
        return fail(VerifyOutcome::kFailed, pack_.units_offset() + at,
                    fmt::format("unit of page {}, {} bytes", k, e.unit_bytes),
                    fmt::format("its SHA-256 does not match page-table entry {} at byte {}: the unit changed after "
                                "packing; pack the image again", k, header_byte(h_.page_entry_offset(k))));
      at += e.unit_bytes;
    }
    report_.passed.push_back(fmt::format("units: all {} match their page-table hashes", h_.page_count));
    return true;
  }

  bool image();

  const PackFile& pack_;
  const VerifyOptions& options_;
  core::ManifestHeader h_;
  VerifyReport report_;
};

// Writes the units into an emulated flash slot with the device's ImageWriter: each must inflate
// to exactly its page, then the slot is read back against image_sha256.
bool PackVerifier::image() {
  PagePool pool(h_.page_size_bytes);
  EmulatedFlash flash(pool, NodeSpec{}, 2, uint32_t{h_.page_count} * h_.page_size_bytes);
  SimBootControl boot;
  SimStateStore state;
  OpenSslSha256 sha;
  ZlibInflater inflater;
  std::vector<uint8_t> work(core::ImageWriter::work_bytes_for(h_));
  core::ImageWriter writer(flash, boot, state, sha, &inflater, work);
  core::WriterStatus s = writer.begin(h_);
  uint64_t at = 0;
  for (uint32_t k = 0; k < h_.page_count && s == core::WriterStatus::kOk; ++k) {
    core::PageEntry e;
    core::read_page_entry(h_, table_bytes(), k, e);
    s = writer.write_page(k, Bytes(pack_.units).subspan(at, e.unit_bytes));
    if (s == core::WriterStatus::kBadUnit)
      return fail(VerifyOutcome::kFailed, pack_.units_offset() + at, fmt::format("unit of page {}", k),
                  fmt::format("does not inflate to exactly the page's {} bytes: the packer made a bad unit; pack the "
                              "image again", h_.page_output_bytes(k)));
    at += e.unit_bytes;
  }
  if (s == core::WriterStatus::kImageHashMismatch)
    return fail(VerifyOutcome::kFailed, header_byte(kImageShaField), "image_sha256",
                "the image the units make does not match it: the packer was given a different image than it "
                "hashed; pack the image again");
  if (s != core::WriterStatus::kComplete)
    return fail(VerifyOutcome::kFailed, pack_.units_offset() + at, "units",
                fmt::format("the image writer stopped with status {}", static_cast<int>(s)));
  report_.passed.push_back(fmt::format("image: the units {}make {} bytes whose SHA-256 matches image_sha256 ({}...)",
                                       h_.compressed() ? "inflate and " : "", h_.image_size_bytes,
                                       to_hex(std::span<const uint8_t>(h_.image_sha256).first(8))));
  return true;
}

}  // namespace

VerifyReport verify_pack(const PackFile& pack, const VerifyOptions& options) {
  return PackVerifier(pack, options).run();
}

HeaderFault describe_header_status(ManifestStatus s) {
  switch (s) {
    case ManifestStatus::kTruncated: return {0, "shorter than the 192-byte header"};
    case ManifestStatus::kBadMagic: return {0, "does not start with \"MOTA\": not a meshota manifest"};
    case ManifestStatus::kBadVersion: return {4, "a format_version this meshota does not know"};
    case ManifestStatus::kBadCompression: return {5, "an unknown compression method (0 none, 1 raw deflate)"};
    case ManifestStatus::kBadWindowBits: return {6, "window_bits must be 9..15 with deflate and 0 without"};
    case ManifestStatus::kBadHashSize: return {7, "page_hash_bytes must be 16 or 32"};
    case ManifestStatus::kBadText: return {8, "product or hardware (bytes 8..40) has text after its first zero byte"};
    case ManifestStatus::kBadImageSize: return {44, "image_size_bytes is 0"};
    case ManifestStatus::kBadCompressedSize:
      return {48, "compressed_size_bytes is impossible for the page count (or differs from the image size uncompressed)"};
    case ManifestStatus::kBadPageSize: return {52, "page_size_bytes must be a power of two in 256..32768"};
    case ManifestStatus::kBadChunkSize: return {56, "chunk_size_bytes is 0"};
    case ManifestStatus::kTooManyChunks: return {56, "chunk_size_bytes is so small that a unit needs over 64 chunks"};
    case ManifestStatus::kBadPageCount: return {58, "page_count is not ceil(image size / page size), or over 65535"};
    default: return {0, "the header does not decode (status " + std::to_string(static_cast<int>(s)) + ")"};
  }
}

}  // namespace meshota::sim
