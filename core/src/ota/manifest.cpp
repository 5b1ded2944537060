#include "meshota/core/ota/manifest.hpp"

#include <cstring>
#include <string_view>

#include "meshota/core/codec/byte_reader.hpp"
#include "meshota/core/codec/byte_writer.hpp"

namespace meshota::core {
namespace {

void put_text(ByteWriter& w, std::string_view s) {
  w.bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  w.zeros(kManifestTextBytes - s.size());
}

// Zero padded, and only zeros after the first zero: one header struct has one
// encoding, so image_id names the struct and not one of several spellings.
bool take_text(ByteReader& r, FixedString<kManifestTextBytes>& out) {
  const auto b = r.bytes(kManifestTextBytes);
  if (b.size() != kManifestTextBytes) return false;
  size_t len = 0;
  while (len < b.size() && b[len] != 0) ++len;
  for (size_t i = len; i < b.size(); ++i)
    if (b[i] != 0) return false;
  return out.assign(std::string_view(reinterpret_cast<const char*>(b.data()), len));
}

template <size_t N>
void take_array(ByteReader& r, std::array<uint8_t, N>& out) {
  const auto b = r.bytes(N);
  if (b.size() == N) std::memcpy(out.data(), b.data(), N);
}

bool is_power_of_two(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

uint32_t ManifestHeader::page_output_bytes(uint32_t k) const {
  if (k >= page_count) return 0;
  const uint64_t begin = uint64_t{k} * page_size_bytes;
  if (begin >= image_size_bytes) return 0;
  const uint64_t left = image_size_bytes - begin;
  return left < page_size_bytes ? static_cast<uint32_t>(left) : page_size_bytes;
}

ManifestStatus validate_manifest_header(const ManifestHeader& h) {
  if (h.format_version != kManifestFormatVersion) return ManifestStatus::kBadVersion;
  if (h.compression != Compression::kNone && h.compression != Compression::kRawDeflate)
    return ManifestStatus::kBadCompression;
  if (h.compressed() ? (h.window_bits < kMinWindowBits || h.window_bits > kMaxWindowBits) : h.window_bits != 0)
    return ManifestStatus::kBadWindowBits;
  if (h.page_hash_bytes != 16 && h.page_hash_bytes != 32) return ManifestStatus::kBadHashSize;
  if (h.image_size_bytes == 0) return ManifestStatus::kBadImageSize;
  if (!is_power_of_two(h.page_size_bytes) || h.page_size_bytes < kMinPageBytes || h.page_size_bytes > kMaxPageBytes)
    return ManifestStatus::kBadPageSize;
  const uint64_t pages = (uint64_t{h.image_size_bytes} + h.page_size_bytes - 1) / h.page_size_bytes;
  if (pages > kMaxPages || pages != h.page_count) return ManifestStatus::kBadPageCount;
  if (h.chunk_size_bytes == 0) return ManifestStatus::kBadChunkSize;
  if (h.chunk_count(h.max_unit_bytes()) > 64) return ManifestStatus::kTooManyChunks;
  if (h.compressed()) {
    // Every unit holds at least one byte and at most max_unit_bytes.
    if (h.compressed_size_bytes < h.page_count ||
        uint64_t{h.compressed_size_bytes} > uint64_t{h.page_count} * h.max_unit_bytes())
      return ManifestStatus::kBadCompressedSize;
  } else if (h.compressed_size_bytes != h.image_size_bytes) {
    return ManifestStatus::kBadCompressedSize;
  }
  return ManifestStatus::kOk;
}

size_t encode_manifest_header(const ManifestHeader& h, std::span<uint8_t> out) {
  ByteWriter w(out);
  w.bytes(kManifestMagic);
  w.u8(h.format_version);
  w.u8(static_cast<uint8_t>(h.compression));
  w.u8(h.window_bits);
  w.u8(h.page_hash_bytes);
  put_text(w, h.product.view());
  put_text(w, h.hardware.view());
  w.u32(h.image_version);
  w.u32(h.image_size_bytes);
  w.u32(h.compressed_size_bytes);
  w.u32(h.page_size_bytes);
  w.u16(h.chunk_size_bytes);
  w.u16(h.page_count);
  w.u32(h.security_counter);
  w.bytes(h.image_sha256);
  w.bytes(h.page_table_sha256);
  w.bytes(h.signature);
  return w.size();
}

ManifestStatus decode_manifest_header(std::span<const uint8_t> in, ManifestHeader& out) {
  if (in.size() < kManifestHeaderBytes) return ManifestStatus::kTruncated;
  ByteReader r(in.first(kManifestHeaderBytes));
  const auto magic = r.bytes(sizeof(kManifestMagic));
  if (std::memcmp(magic.data(), kManifestMagic, sizeof(kManifestMagic)) != 0) return ManifestStatus::kBadMagic;
  ManifestHeader h;
  h.format_version = r.u8();
  if (h.format_version != kManifestFormatVersion) return ManifestStatus::kBadVersion;
  h.compression = static_cast<Compression>(r.u8());
  h.window_bits = r.u8();
  h.page_hash_bytes = r.u8();
  if (!take_text(r, h.product) || !take_text(r, h.hardware)) return ManifestStatus::kBadText;
  h.image_version = r.u32();
  h.image_size_bytes = r.u32();
  h.compressed_size_bytes = r.u32();
  h.page_size_bytes = r.u32();
  h.chunk_size_bytes = r.u16();
  h.page_count = r.u16();
  h.security_counter = r.u32();
  take_array(r, h.image_sha256);
  take_array(r, h.page_table_sha256);
  take_array(r, h.signature);
  if (!r.ok()) return ManifestStatus::kTruncated;
  const ManifestStatus s = validate_manifest_header(h);
  if (s == ManifestStatus::kOk) out = h;
  return s;
}

bool compute_image_id(std::span<const uint8_t> encoded, Sha256Hasher& sha, ImageId& id) {
  if (encoded.size() < kManifestSignedBytes) return false;
  uint8_t digest[Sha256Hasher::kDigestBytes];
  sha.begin();
  sha.update(encoded.first(kManifestSignedBytes));
  sha.finish(digest);
  std::memcpy(id.data(), digest, id.size());
  return true;
}

ImageId compute_image_id(const ManifestHeader& h, Sha256Hasher& sha) {
  uint8_t buf[kManifestHeaderBytes];
  encode_manifest_header(h, buf);
  ImageId id{};
  compute_image_id(buf, sha, id);
  return id;
}

ManifestStatus decode_page_entry(const ManifestHeader& h, uint32_t k, std::span<const uint8_t> entry,
                                 PageEntry& out) {
  if (k >= h.page_count) return ManifestStatus::kBadIndex;
  if (entry.size() < h.page_entry_bytes() || h.page_hash_bytes > out.hash.size()) return ManifestStatus::kTruncated;
  ByteReader r(entry);
  PageEntry e;
  const auto hash = r.bytes(h.page_hash_bytes);
  std::memcpy(e.hash.data(), hash.data(), hash.size());
  e.unit_bytes = h.compressed() ? r.u16() : h.page_output_bytes(k);
  if (e.unit_bytes == 0 || e.unit_bytes > h.max_unit_bytes()) return ManifestStatus::kBadEntry;
  out = e;
  return ManifestStatus::kOk;
}

ManifestStatus read_page_entry(const ManifestHeader& h, std::span<const uint8_t> table, uint32_t k,
                               PageEntry& out) {
  if (k >= h.page_count) return ManifestStatus::kBadIndex;
  const size_t at = size_t{k} * h.page_entry_bytes();
  if (at > table.size()) return ManifestStatus::kTruncated;
  return decode_page_entry(h, k, table.subspan(at), out);
}

size_t encode_page_entry(const ManifestHeader& h, const PageEntry& e, std::span<uint8_t> out) {
  if (h.page_hash_bytes > e.hash.size()) return 0;
  ByteWriter w(out);
  w.bytes(std::span<const uint8_t>(e.hash).first(h.page_hash_bytes));
  if (h.compressed()) w.u16(static_cast<uint16_t>(e.unit_bytes));
  return w.size();
}

}  // namespace meshota::core
