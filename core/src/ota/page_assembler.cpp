#include "meshota/core/ota/page_assembler.hpp"

#include <cstring>

namespace meshota::core {

bool PageAssembler::begin(const ManifestHeader& header, uint32_t page, const PageEntry& entry) {
  clear();
  const uint32_t chunks = header.chunk_count(entry.unit_bytes);
  if (page >= header.page_count || entry.unit_bytes == 0 || entry.unit_bytes > buffer_.size() ||
      entry.unit_bytes > header.max_unit_bytes() || chunks == 0 || chunks > ChunkBitmap::kMaxChunks ||
      header.page_hash_bytes == 0 || header.page_hash_bytes > entry.hash.size())
    return false;
  expected_ = entry;
  page_ = page;
  unit_bytes_ = entry.unit_bytes;
  chunk_count_ = chunks;
  chunk_size_bytes_ = header.chunk_size_bytes;
  hash_bytes_ = header.page_hash_bytes;
  state_ = State::kCollecting;
  return true;
}

ChunkResult PageAssembler::admit(uint32_t page, uint32_t index) const {
  if (state_ == State::kIdle) return ChunkResult::kIdle;
  if (page != page_) return ChunkResult::kWrongPage;
  if (state_ == State::kVerified) return ChunkResult::kDuplicate;
  if (index >= chunk_count_) return ChunkResult::kBadIndex;
  return ChunkResult::kAccepted;
}

uint32_t PageAssembler::chunk_bytes(uint32_t index) const {
  return wire::cut_bytes(unit_bytes_, chunk_size_bytes_, index);
}

ChunkResult PageAssembler::add_chunk(uint32_t page, uint32_t index, std::span<const uint8_t> payload) {
  if (const ChunkResult r = admit(page, index); r != ChunkResult::kAccepted) return r;
  const uint32_t want = chunk_bytes(index);
  if (payload.size() != want) return ChunkResult::kBadSize;
  if (received_.test(index)) return ChunkResult::kDuplicate;
  std::memcpy(buffer_.data() + index * chunk_size_bytes_, payload.data(), want);
  return chunk_in(index);
}

ChunkResult PageAssembler::add_piece(uint32_t page, uint32_t index, uint32_t piece, std::span<const uint8_t> payload) {
  if (const ChunkResult r = admit(page, index); r != ChunkResult::kAccepted) return r;
  const uint32_t chunk = chunk_bytes(index);
  const uint32_t want = wire::cut_bytes(chunk, wire::kPieceBytes, piece);
  if (wire::all_pieces(chunk) == 0 || piece >= wire::kMaxPieces || want == 0) return ChunkResult::kBadIndex;
  if (payload.size() != want) return ChunkResult::kBadSize;
  const uint32_t from = piece * static_cast<uint32_t>(wire::kPieceBytes);
  if (received_.test(index) || (pieces_[index] >> piece & 1u) != 0) return ChunkResult::kDuplicate;
  std::memcpy(buffer_.data() + index * chunk_size_bytes_ + from, payload.data(), want);
  pieces_[index] = static_cast<uint8_t>(pieces_[index] | 1u << piece);
  return pieces_[index] == wire::all_pieces(chunk) ? chunk_in(index) : ChunkResult::kPiece;
}

uint8_t PageAssembler::missing_pieces(uint32_t index) const {
  if (state_ != State::kCollecting || index >= chunk_count_ || received_.test(index)) return 0;
  return static_cast<uint8_t>(wire::all_pieces(chunk_bytes(index)) & ~pieces_[index]);
}

ChunkResult PageAssembler::chunk_in(uint32_t index) {
  received_.set(index);
  if (!received_.complete(chunk_count_)) return ChunkResult::kAccepted;
  if (unit_matches()) {
    state_ = State::kVerified;
    return ChunkResult::kVerified;
  }
  // Which chunk was bad is unknowable, so the whole unit is fetched again.
  received_ = ChunkBitmap();
  std::memset(pieces_, 0, sizeof pieces_);
  ++bad_pages_;
  return ChunkResult::kHashMismatch;
}

void PageAssembler::clear() {
  state_ = State::kIdle;
  received_ = ChunkBitmap();
  std::memset(pieces_, 0, sizeof pieces_);
  page_ = 0;
  unit_bytes_ = 0;
  chunk_count_ = 0;
}

bool PageAssembler::unit_matches() {
  uint8_t digest[Sha256Hasher::kDigestBytes];
  sha_.begin();
  sha_.update(buffer_.first(unit_bytes_));
  sha_.finish(digest);
  return std::memcmp(digest, expected_.hash.data(), hash_bytes_) == 0;
}

}  // namespace meshota::core
