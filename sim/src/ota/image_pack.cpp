#include "meshota/sim/ota/image_pack.hpp"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

#include "meshota/sim/crypto/manifest_signing.hpp"
#include "meshota/sim/node/digest.hpp"

namespace meshota::sim {
namespace {

using Bytes = std::vector<uint8_t>;

struct DeflateEnd {
  void operator()(z_stream* s) const {
    deflateEnd(s);
    delete s;
  }
};
// zlib's state points back at its z_stream, so streams live on the heap and
// are swapped by pointer, never copied.
using Stream = std::unique_ptr<z_stream, DeflateEnd>;

// Runs deflate over `in` with `flush` until everything (flush included) is out.
void run(z_stream& s, std::span<const uint8_t> in, int flush, Bytes& out) {
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  uint8_t buf[16384];
  for (int round = 0; round < 1 << 16; ++round) {
    s.next_out = buf;
    s.avail_out = sizeof(buf);
    const int rc = deflate(&s, flush);
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("zlib deflate failed");
    out.insert(out.end(), buf, buf + (sizeof(buf) - s.avail_out));
    if (rc == Z_STREAM_END || (flush != Z_FINISH && s.avail_in == 0 && s.avail_out != 0)) return;
  }
  throw std::runtime_error("zlib deflate did not finish");
}

// Changes the level between pages; anything zlib emits doing so joins `out`.
void set_level(z_stream& s, int level, Bytes& out) {
  uint8_t buf[64];
  s.next_in = Z_NULL;
  s.avail_in = 0;
  s.next_out = buf;
  s.avail_out = sizeof(buf);
  const int rc = deflateParams(&s, level, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("zlib deflateParams failed");
  out.insert(out.end(), buf, buf + (sizeof(buf) - s.avail_out));
}

/// One raw-deflate stream over the image, cut into units at page boundaries.
class PageDeflater {
 public:
  PageDeflater(const PackOptions& o) : level_(o.level), cur_(new z_stream{}) {
    if (deflateInit2(cur_.get(), o.level, Z_DEFLATED, -o.window_bits, o.mem_level, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::invalid_argument("zlib refused level/window_bits/mem_level");
  }

  // Unit of `page`. When deflate makes a page larger than storing it (random
  // data, or a window too small to keep the block for a stored fallback),
  // the page is redone from a snapshot as stored blocks: a unit then never
  // exceeds its page by more than a few header bytes (kUnitMarginBytes).
  Bytes next(std::span<const uint8_t> page, bool last, uint32_t& stored_pages) {
    const int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
    Stream snap(new z_stream{});
    if (deflateCopy(snap.get(), cur_.get()) != Z_OK) throw std::runtime_error("zlib deflateCopy failed");
    Bytes unit = std::move(carry_);
    carry_.clear();
    const Bytes head = unit;
    run(*cur_, page, flush, unit);
    if (unit.size() <= page.size()) return unit;
    Bytes stored = head;
    set_level(*snap, 0, stored);
    run(*snap, page, flush, stored);
    if (stored.size() >= unit.size()) return unit;
    if (!last) set_level(*snap, level_, carry_);  // belongs to the next unit
    std::swap(cur_, snap);
    ++stored_pages;
    return stored;
  }

 private:
  int level_;
  Stream cur_;
  Bytes carry_;
};

void check_options(std::span<const uint8_t> image, const PackOptions& o) {
  if (image.empty()) throw std::invalid_argument("the image is empty");
  if (o.product.size() > core::kManifestTextBytes || o.hardware.size() > core::kManifestTextBytes)
    throw std::invalid_argument("product and hardware are at most 16 bytes");
  if (o.compress && (o.window_bits < core::kMinWindowBits || o.window_bits > core::kMaxWindowBits))
    throw std::invalid_argument("window_bits must be 9..15");
  if (o.compress && (o.level < 1 || o.level > 9 || o.mem_level < 1 || o.mem_level > 9))
    throw std::invalid_argument("level and mem_level must be 1..9");
}

core::ManifestHeader make_header(std::span<const uint8_t> image, const PackOptions& o) {
  core::ManifestHeader h;
  h.product.assign(o.product);
  h.hardware.assign(o.hardware);
  h.image_version = o.version;
  h.image_size_bytes = static_cast<uint32_t>(image.size());
  h.page_size_bytes = o.page_size;
  h.chunk_size_bytes = o.chunk_size;
  h.page_count = static_cast<uint16_t>(o.page_size == 0 ? 0 : (image.size() + o.page_size - 1) / o.page_size);
  h.compression = o.compress ? core::Compression::kRawDeflate : core::Compression::kNone;
  h.window_bits = o.compress ? o.window_bits : 0;
  h.page_hash_bytes = o.page_hash_bytes;
  h.security_counter = o.security_counter;
  h.image_sha256 = sha256_of(image);
  return h;
}

}  // namespace

std::span<const uint8_t> PackedImage::chunk(uint32_t page, uint32_t index) const {
  const Bytes& u = units.at(page);
  const size_t at = size_t{index} * header.chunk_size_bytes;
  if (at >= u.size()) return {};
  return std::span<const uint8_t>(u).subspan(at, std::min<size_t>(header.chunk_size_bytes, u.size() - at));
}

PackedImage pack_image(std::span<const uint8_t> image, const PackOptions& o) {
  check_options(image, o);
  if (image.size() > uint64_t{o.page_size} * core::kMaxPages) throw std::invalid_argument("image has too many pages");
  PackedImage p;
  p.header = make_header(image, o);
  p.image_bytes = image.size();
  std::unique_ptr<PageDeflater> deflater = o.compress ? std::make_unique<PageDeflater>(o) : nullptr;
  for (uint32_t k = 0; k < p.header.page_count; ++k) {
    const auto page = image.subspan(size_t{k} * o.page_size, std::min<size_t>(o.page_size, image.size() - size_t{k} * o.page_size));
    p.units.push_back(deflater ? deflater->next(page, k + 1 == p.header.page_count, p.stored_pages)
                               : Bytes(page.begin(), page.end()));
    p.unit_bytes += p.units.back().size();
  }
  p.header.compressed_size_bytes = static_cast<uint32_t>(p.unit_bytes);
  if (const auto s = core::validate_manifest_header(p.header); s != core::ManifestStatus::kOk)
    throw std::invalid_argument("the options make an invalid manifest (status " + std::to_string(static_cast<int>(s)) + ")");

  Bytes table(p.header.page_table_bytes());
  for (uint32_t k = 0; k < p.header.page_count; ++k) {
    core::PageEntry e;
    const auto digest = sha256_of(p.units[k]);
    std::copy_n(digest.begin(), p.header.page_hash_bytes, e.hash.begin());
    e.unit_bytes = static_cast<uint32_t>(p.units[k].size());
    if (e.unit_bytes > p.header.max_unit_bytes()) throw std::runtime_error("a unit exceeds max_unit_bytes");
    const auto& u = p.units[k];
    if (o.compress && k + 1 < p.header.page_count &&
        (u.size() < 4 || !std::equal(u.end() - 4, u.end(), std::begin(core::kSyncFlushMarker))))
      throw std::runtime_error("a deflate unit does not end with the sync-flush marker");
    core::encode_page_entry(p.header, e, std::span<uint8_t>(table).subspan(size_t{k} * p.header.page_entry_bytes()));
  }
  p.header.page_table_sha256 = sha256_of(table);
  p.manifest.resize(core::kManifestHeaderBytes);
  core::encode_manifest_header(p.header, p.manifest);
  p.manifest.insert(p.manifest.end(), table.begin(), table.end());
  if (o.signing_key != nullptr) {
    sign_manifest(p.manifest, *o.signing_key);
    std::copy_n(p.manifest.begin() + core::kManifestSignedBytes, p.header.signature.size(), p.header.signature.begin());
  }
  const auto id = sha256_of(std::span<const uint8_t>(p.manifest).first(core::kManifestSignedBytes));
  std::copy_n(id.begin(), p.image_id.size(), p.image_id.begin());
  return p;
}

}  // namespace meshota::sim
