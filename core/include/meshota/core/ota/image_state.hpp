#pragma once
// Everything a node holds about the image it fetches and serves, whatever the
// strategy: the manifest, a window of page assemblers, the staged units (so it
// can serve any page it holds, in any order) and the writer that inflates them
// into the inactive slot in page order. The distributing node is the same
// object serving from its packed image instead of staging.

#include <cstdint>
#include <span>

#include "meshota/core/hal/boot_control.hpp"
#include "meshota/core/hal/firmware_store.hpp"
#include "meshota/core/hal/inflater.hpp"
#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/core/hal/unit_source.hpp"
#include "meshota/core/ota/image_writer.hpp"
#include "meshota/core/ota/manifest_store.hpp"
#include "meshota/core/ota/page_assembler.hpp"
#include "meshota/core/ota/unit_store.hpp"
#include "meshota/core/ota/wire.hpp"

namespace meshota::core {

/// The RAM a node lends to its image state, sized by the host for the largest image it accepts.
struct ImageBuffers {
  std::span<uint8_t> manifest;            ///< >= the manifest's size (header + page table)
  std::span<uint32_t> offsets;            ///< >= page_count + 1
  std::span<uint8_t> unit;                ///< >= max_unit_bytes(): a staged unit on its way to the writer
  std::span<uint8_t> work;                ///< the writer's buffer (ImageWriter::work_bytes_for)
  std::span<PageAssembler* const> window; ///< the receive window: pages assembled at once
};

/// The flash and storage a node's image state uses.
struct ImageStorage {
  FirmwareStore& flash;   ///< app slots
  FirmwareStore& stage;   ///< staging area (slot 0 of it)
  BootControl& boot;
  StateStore& state;
  Sha256Hasher& sha;
  Inflater* inflater;     ///< null: compressed images are refused
};

/// What a chunk did.
enum class ChunkOutcome : uint8_t {
  kNoManifest,    ///< no manifest yet: the chunk cannot be checked
  kOtherImage,
  kHeld,          ///< its page is already held
  kOutOfWindow,   ///< its page is beyond the receive window: dropped, fetched later
  kAccepted,      ///< stored in an assembler; the page is still incomplete
  kDuplicate,
  kPageDone,      ///< it completed a page, which verified and is now staged
  kBadPage,       ///< it completed a page whose hash is wrong: the page is dropped and re-fetched
  kBadChunk,      ///< wrong index or size for its page
  kStorageError,  ///< flash or state refused; the page is fetched again
};

/// Counters of one node's image state, for reports.
struct ImageStateStats {
  uint32_t pages_verified = 0;
  uint32_t bad_pages = 0;        ///< pages that completed with a wrong hash (poisoned or corrupt)
  uint32_t chunks_useful = 0;
  uint32_t chunks_duplicate = 0; ///< chunks of held pages or already in an assembler
  uint32_t chunks_out_of_window = 0;
  uint32_t storage_errors = 0;
  uint32_t writer_resumed_at = 0;
};

/// A node's image: manifest, window, staging and writer (see file comment).
class ImageState {
 public:
  ImageState(ImageStorage storage, ManifestTrust trust, ImageBuffers buffers);

  /// At boot: reloads a persisted manifest, the staged units and the writer's progress.
  void load();
  /// Forgets the image (a newer one supersedes it).
  void reset();
  /// The distributing node: `manifest` and every unit from `source`; nothing is staged or written.
  bool serve_from(std::span<const uint8_t> manifest, UnitSource& source);

  ManifestPiece on_manifest(const wire::ManifestData& m);
  ChunkOutcome on_chunk(const wire::Chunk& c);
  /// A piece of a chunk: kAccepted while its chunk still misses pieces; otherwise as on_chunk.
  ChunkOutcome on_piece(const wire::ChunkPiece& p);

  bool has_manifest() const { return manifest_.complete(); }
  const ManifestStore& manifest() const { return manifest_; }
  const ImageId& id() const { return manifest_.id(); }
  const ManifestHeader& header() const { return manifest_.header(); }
  bool is_source() const { return source_ != nullptr; }
  /// Whether this node can serve `page`.
  bool holds(uint32_t page) const;
  /// Pages [0, pages_complete()) are all held.
  uint32_t pages_complete() const;
  /// The first page not held (page_count when all are).
  uint32_t next_needed() const;
  /// Whether `page` lies in the receive window: the window's worth of pages from next_needed().
  bool in_window(uint32_t page) const;
  uint32_t chunk_count(uint32_t page) const;
  /// Chunks of `page` still needed: all of them unless an assembler holds some.
  ChunkBitmap missing(uint32_t page) const;
  /// Pieces of chunk `index` of `page` still needed (bit p = piece p): all of them unless some are held.
  uint8_t missing_pieces(uint32_t page, uint32_t index) const;
  /// Chunk `index` of `page` for serving; its size, 0 when not held.
  uint32_t read_chunk(uint32_t page, uint32_t index, std::span<uint8_t> out);
  /// Piece `piece` of chunk `index` of `page` for serving; its size, 0 when not held.
  uint32_t read_piece(uint32_t page, uint32_t index, uint32_t piece, std::span<uint8_t> out);
  /// Whether `payload` is piece `piece` (kAllOfChunk: the whole chunk) of chunk `index` of held `page`,
  /// compared where it is stored.
  static constexpr uint32_t kAllOfChunk = 0xFF;
  bool chunk_matches(uint32_t page, uint32_t index, std::span<const uint8_t> payload, uint32_t piece = kAllOfChunk);
  /// The image is written and verified against its SHA-256.
  bool written() const { return writer_.complete(); }
  /// Stages the written image to boot next, on trial (BootControl::stage); kBadSlot when it is not written.
  StageResult install();
  /// The node's boot control (the rollout's rollback goes through it).
  BootControl& boot() { return io_.boot; }
  /// Pages the writer has put in the app slot.
  uint32_t pages_written() const { return writer_.next_page_needed(); }
  /// Flash used for staging, and RAM this state holds now, in bytes.
  uint32_t staging_bytes() const { return units_.flash_bytes(); }
  uint32_t ram_bytes() const;
  const ImageStateStats& stats() const { return stats_; }

 private:
  void begin_stores();
  void feed_writer(PageAssembler* just_verified);
  PageAssembler* assembler_for(uint32_t page);
  /// Where chunk `index` of held `page` lies in its unit (or only piece `piece` of it): from, n bytes;
  /// false when not held.
  bool chunk_range(uint32_t page, uint32_t index, uint32_t piece, uint32_t& from, uint32_t& n) const;
  /// Where a chunk or piece of `page` goes: null, and why in `outcome`, when it cannot be stored.
  PageAssembler* receiving(const ImageId& id, uint32_t page, ChunkOutcome& outcome);
  /// What storing a chunk or piece in `a` did, the page staged once it verified.
  ChunkOutcome settle(PageAssembler& a, uint32_t page, ChunkResult r);

  ImageStorage io_;
  ImageBuffers buf_;
  ManifestStore manifest_;
  UnitStore units_;
  ImageWriter writer_;
  UnitSource* source_ = nullptr;
  ImageStateStats stats_;
};

}  // namespace meshota::core
