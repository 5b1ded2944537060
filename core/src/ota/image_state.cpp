#include "meshota/core/ota/image_state.hpp"

#include <cstring>

#include "meshota/core/transport.hpp"

namespace meshota::core {

ImageState::ImageState(ImageStorage storage, ManifestTrust trust, ImageBuffers buffers)
    : io_(storage),
      buf_(buffers),
      manifest_(storage.state, storage.sha, trust, buffers.manifest),
      units_(storage.stage, 0, storage.state, buffers.offsets),
      writer_(storage.flash, storage.boot, storage.state, storage.sha, storage.inflater, buffers.work) {}

void ImageState::reset() {
  manifest_.clear();
  for (PageAssembler* a : buf_.window) a->clear();
  source_ = nullptr;
}

void ImageState::begin_stores() {
  if (units_.begin(manifest_) != StoreResult::kOk) {
    ++stats_.storage_errors;
    return;
  }
  const WriterStatus w = writer_.begin(manifest_.header());
  if (w != WriterStatus::kOk && w != WriterStatus::kComplete) ++stats_.storage_errors;
  stats_.writer_resumed_at = writer_.resumed_at_page();
  feed_writer(nullptr);  // staged pages the writer had not taken before a reboot
}

void ImageState::load() {
  for (PageAssembler* a : buf_.window) a->clear();
  if (manifest_.load()) begin_stores();
}

bool ImageState::serve_from(std::span<const uint8_t> manifest, UnitSource& source) {
  reset();
  if (manifest_.install(manifest) != ManifestPiece::kComplete) return false;
  source_ = &source;
  return true;
}

ManifestPiece ImageState::on_manifest(const wire::ManifestData& m) {
  const ManifestPiece r = manifest_.add_piece(m.image_id, m.total_bytes, m.offset, m.bytes);
  if (r == ManifestPiece::kComplete) begin_stores();
  return r;
}

bool ImageState::holds(uint32_t page) const {
  if (!manifest_.complete() || page >= header().page_count) return false;
  return source_ != nullptr || units_.has(page);
}

uint32_t ImageState::pages_complete() const {
  if (!manifest_.complete()) return 0;
  return source_ != nullptr ? header().page_count : units_.contiguous();
}

uint32_t ImageState::next_needed() const {
  if (!manifest_.complete()) return 0;
  if (source_ != nullptr) return header().page_count;
  uint32_t p = units_.contiguous();
  while (p < header().page_count && units_.has(p)) ++p;
  return p;
}

bool ImageState::in_window(uint32_t page) const {
  const uint32_t first = next_needed();
  return page >= first && page < first + buf_.window.size();
}

uint32_t ImageState::chunk_count(uint32_t page) const {
  PageEntry e;
  if (!manifest_.complete() || manifest_.page_entry(page, e) != ManifestStatus::kOk) return 0;
  return header().chunk_count(e.unit_bytes);
}

ChunkBitmap ImageState::missing(uint32_t page) const {
  if (holds(page)) return ChunkBitmap();
  for (const PageAssembler* a : buf_.window)
    if (a->active() && a->page() == page) return a->missing();
  return ChunkBitmap::full(chunk_count(page));
}

bool ImageState::chunk_range(uint32_t page, uint32_t index, uint32_t piece, uint32_t& from, uint32_t& n) const {
  if (!holds(page)) return false;
  PageEntry e;
  if (manifest_.page_entry(page, e) != ManifestStatus::kOk) return false;
  const uint32_t chunk = wire::cut_bytes(e.unit_bytes, header().chunk_size_bytes, index);
  if (chunk == 0) return false;
  from = index * header().chunk_size_bytes;
  n = chunk;
  if (piece == kAllOfChunk) return true;
  n = wire::cut_bytes(chunk, wire::kPieceBytes, piece);
  from += piece * static_cast<uint32_t>(wire::kPieceBytes);
  return wire::all_pieces(chunk) != 0 && piece < wire::kMaxPieces && n != 0;
}

uint32_t ImageState::read_chunk(uint32_t page, uint32_t index, std::span<uint8_t> out) {
  return read_piece(page, index, kAllOfChunk, out);
}

uint32_t ImageState::read_piece(uint32_t page, uint32_t index, uint32_t piece, std::span<uint8_t> out) {
  uint32_t from = 0, n = 0;
  if (!chunk_range(page, index, piece, from, n) || out.size() < n) return 0;
  const bool ok = source_ != nullptr ? source_->read(page, from, out.first(n)) : units_.read(page, from, out.first(n));
  return ok ? n : 0;
}

bool ImageState::chunk_matches(uint32_t page, uint32_t index, std::span<const uint8_t> payload, uint32_t piece) {
  uint32_t from = 0, n = 0;
  if (!chunk_range(page, index, piece, from, n) || n != payload.size()) return false;
  if (source_ == nullptr) return units_.equals(page, from, payload);
  uint8_t held[kMaxMessageBytes];  // the distributing node reads its image source
  return n <= sizeof held && source_->read(page, from, std::span<uint8_t>(held, n)) &&
         std::memcmp(held, payload.data(), n) == 0;
}

uint8_t ImageState::missing_pieces(uint32_t page, uint32_t index) const {
  if (holds(page)) return 0;
  for (const PageAssembler* a : buf_.window)
    if (a->active() && a->page() == page) return a->missing_pieces(index);
  PageEntry e;
  if (!manifest_.complete() || manifest_.page_entry(page, e) != ManifestStatus::kOk) return 0;
  return wire::all_pieces(wire::cut_bytes(e.unit_bytes, header().chunk_size_bytes, index));
}

PageAssembler* ImageState::assembler_for(uint32_t page) {
  for (PageAssembler* a : buf_.window)
    if (a->active() && a->page() == page) return a;
  // A page may start assembling only within the window of the first pages still missing.
  if (!in_window(page)) return nullptr;
  for (PageAssembler* a : buf_.window) {
    if (a->active() && in_window(a->page())) continue;
    PageEntry e;
    if (manifest_.page_entry(page, e) != ManifestStatus::kOk || !a->begin(header(), page, e)) return nullptr;
    return a;
  }
  return nullptr;
}

PageAssembler* ImageState::receiving(const ImageId& image, uint32_t page, ChunkOutcome& outcome) {
  if (!manifest_.complete()) {
    outcome = ChunkOutcome::kNoManifest;
    return nullptr;
  }
  if (image != id()) {
    outcome = ChunkOutcome::kOtherImage;
    return nullptr;
  }
  if (source_ != nullptr || units_.has(page)) {
    ++stats_.chunks_duplicate;
    outcome = ChunkOutcome::kHeld;
    return nullptr;
  }
  PageAssembler* a = assembler_for(page);
  if (a == nullptr) {
    ++stats_.chunks_out_of_window;
    outcome = ChunkOutcome::kOutOfWindow;
  }
  return a;
}

ChunkOutcome ImageState::on_chunk(const wire::Chunk& c) {
  ChunkOutcome outcome{};
  PageAssembler* a = receiving(c.image_id, c.page, outcome);
  return a == nullptr ? outcome : settle(*a, c.page, a->add_chunk(c.page, c.index, c.payload));
}

ChunkOutcome ImageState::on_piece(const wire::ChunkPiece& p) {
  ChunkOutcome outcome{};
  PageAssembler* a = receiving(p.image_id, p.page, outcome);
  return a == nullptr ? outcome : settle(*a, p.page, a->add_piece(p.page, p.index, p.piece, p.payload));
}

ChunkOutcome ImageState::settle(PageAssembler& a, uint32_t page, ChunkResult r) {
  switch (r) {
    case ChunkResult::kPiece: return ChunkOutcome::kAccepted;
    case ChunkResult::kAccepted: ++stats_.chunks_useful; return ChunkOutcome::kAccepted;
    case ChunkResult::kDuplicate: ++stats_.chunks_duplicate; return ChunkOutcome::kDuplicate;
    case ChunkResult::kHashMismatch: ++stats_.bad_pages; return ChunkOutcome::kBadPage;
    case ChunkResult::kVerified: break;
    default: return ChunkOutcome::kBadChunk;
  }
  ++stats_.chunks_useful;
  const StoreResult s = units_.put(page, a.unit());
  if (s != StoreResult::kOk && s != StoreResult::kAlready) {
    ++stats_.storage_errors;
    a.clear();
    return ChunkOutcome::kStorageError;
  }
  ++stats_.pages_verified;
  feed_writer(&a);
  a.clear();
  return ChunkOutcome::kPageDone;
}

void ImageState::feed_writer(PageAssembler* just_verified) {
  // Bounded: each round writes one page or stops.
  for (uint32_t guard = 0; guard <= header().page_count && writer_.active(); ++guard) {
    const uint32_t next = writer_.next_page_needed();
    if (!units_.has(next)) return;
    std::span<const uint8_t> unit;
    if (just_verified != nullptr && just_verified->verified() && just_verified->page() == next) {
      unit = just_verified->unit();
    } else {
      const uint32_t n = units_.read_unit(next, buf_.unit);
      if (n == 0) return;
      unit = std::span<const uint8_t>(buf_.unit.data(), n);
    }
    const WriterStatus w = writer_.write_page(next, unit);
    if (w != WriterStatus::kOk && w != WriterStatus::kComplete) {
      ++stats_.storage_errors;
      return;
    }
  }
}

uint32_t ImageState::ram_bytes() const {
  uint32_t n = static_cast<uint32_t>(sizeof(*this) + buf_.manifest.size() + buf_.offsets.size_bytes() +
                                     buf_.unit.size());
  for (const PageAssembler* a : buf_.window) n += a->ram_bytes();
  return n + writer_.ram_bytes();
}

StageResult ImageState::install() {
  if (!written() || is_source()) return StageResult::kBadSlot;
  const ManifestHeader& h = manifest_.header();
  return io_.boot.stage(writer_.slot(), h.image_size_bytes, std::span<const uint8_t, 32>(h.image_sha256),
                        h.security_counter);
}

}  // namespace meshota::core
