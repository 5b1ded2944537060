#pragma once
// Collects the chunks of one page unit in a fixed buffer and, when the last
// one arrives, checks the unit against its page-table hash. A unit that fails
// is dropped whole (bitmap cleared, bad_pages counted) so the caller fetches
// it again; nothing unverified ever leaves the assembler. A node may run a
// small window of these, one per page in flight.

#include <cstdint>
#include <span>

#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/ota/chunk_bitmap.hpp"
#include "meshota/core/ota/manifest.hpp"
#include "meshota/core/ota/wire.hpp"

namespace meshota::core {

/// What PageAssembler::add_chunk did with a chunk.
enum class ChunkResult : uint8_t {
  kAccepted,      ///< stored; chunks are still missing
  kPiece,         ///< a piece stored; its chunk still misses pieces
  kVerified,      ///< it completed the unit and the unit matches its hash: unit() is ready
  kHashMismatch,  ///< it completed the unit but the hash is wrong: unit dropped, bad_pages counted
  kDuplicate,     ///< already held (or the page is already verified): ignored
  kIdle,          ///< no page begun
  kWrongPage,     ///< belongs to another page
  kBadIndex,      ///< index beyond this unit's chunk count (or a piece beyond its chunk)
  kBadSize,       ///< payload size is not what chunk `index` (or that piece of it) of this unit must be
};

/// Assembles and verifies one page unit at a time in a caller-provided buffer of max_unit_bytes().
class PageAssembler {
 public:
  /// `buffer` must hold the largest unit (ManifestHeader::max_unit_bytes()); `sha` verifies units.
  PageAssembler(std::span<uint8_t> buffer, Sha256Hasher& sha) : buffer_(buffer), sha_(sha) {}
  PageAssembler(const PageAssembler&) = delete;
  PageAssembler& operator=(const PageAssembler&) = delete;

  /// Starts page `page` of `header`, expecting the unit `entry` describes. False (and idle)
  /// when the unit does not fit the buffer or needs more than 64 chunks.
  bool begin(const ManifestHeader& header, uint32_t page, const PageEntry& entry);
  /// One chunk of the current page (from a Chunk message).
  ChunkResult add_chunk(uint32_t page, uint32_t index, std::span<const uint8_t> payload);
  /// Piece `piece` of chunk `index` (from a ChunkPiece message: wire::kPieceBytes each, the last one
  /// short); the chunk counts as received once all its pieces are in.
  ChunkResult add_piece(uint32_t page, uint32_t index, uint32_t piece, std::span<const uint8_t> payload);
  /// Pieces of chunk `index` still to fetch (bit p = piece p); 0 when the chunk is in, or not of this page.
  uint8_t missing_pieces(uint32_t index) const;
  /// Back to idle (e.g. once the verified unit has been written).
  void clear();

  bool active() const { return state_ != State::kIdle; }
  bool verified() const { return state_ == State::kVerified; }
  uint32_t page() const { return page_; }
  uint32_t unit_bytes() const { return unit_bytes_; }
  uint32_t chunk_count() const { return chunk_count_; }
  ChunkBitmap received() const { return received_; }
  /// Chunks still to fetch: what a PageRequest or RepairNack carries.
  ChunkBitmap missing() const { return received_.missing(chunk_count_); }
  /// The verified unit; empty until verified().
  std::span<const uint8_t> unit() const {
    return verified() ? std::span<const uint8_t>(buffer_.first(unit_bytes_)) : std::span<const uint8_t>();
  }
  /// Units that completed with a wrong hash since construction.
  uint32_t bad_pages() const { return bad_pages_; }
  /// RAM this assembler costs: the object plus its buffer, in bytes.
  uint32_t ram_bytes() const { return static_cast<uint32_t>(sizeof(*this) + buffer_.size()); }

 private:
  enum class State : uint8_t { kIdle, kCollecting, kVerified };

  bool unit_matches();
  /// Whether chunk `index` of the current page may still be stored: kAccepted, or why not.
  ChunkResult admit(uint32_t page, uint32_t index) const;
  uint32_t chunk_bytes(uint32_t index) const;
  /// Chunk `index` is all in: the unit may be complete.
  ChunkResult chunk_in(uint32_t index);

  std::span<uint8_t> buffer_;
  Sha256Hasher& sha_;
  PageEntry expected_;
  uint32_t page_ = 0;
  uint32_t unit_bytes_ = 0;
  uint32_t chunk_count_ = 0;
  uint16_t chunk_size_bytes_ = 0;
  uint8_t hash_bytes_ = 0;
  State state_ = State::kIdle;
  ChunkBitmap received_;
  uint8_t pieces_[ChunkBitmap::kMaxChunks] = {};  ///< pieces held of chunks not yet received
  uint32_t bad_pages_ = 0;
};

namespace detail {
/// Storage that must exist before the PageAssembler base that points into it.
template <uint32_t kBytes>
struct AssemblerStorage {
  uint8_t storage_[kBytes];
};
}  // namespace detail

/// A PageAssembler that owns its buffer of kBufferBytes (e.g. 4096 + kUnitMarginBytes).
template <uint32_t kBufferBytes>
class FixedPageAssembler : private detail::AssemblerStorage<kBufferBytes>, public PageAssembler {
 public:
  explicit FixedPageAssembler(Sha256Hasher& sha)
      : PageAssembler(std::span<uint8_t>(this->storage_, kBufferBytes), sha) {}
};

}  // namespace meshota::core
