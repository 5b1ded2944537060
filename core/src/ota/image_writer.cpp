#include "meshota/core/ota/image_writer.hpp"

#include <cstring>

#include "meshota/core/codec/byte_reader.hpp"
#include "meshota/core/codec/byte_writer.hpp"
#include "meshota/core/codec/crc16.hpp"

namespace meshota::core {
namespace {

// Progress record: version, phase, slot, reserved, image_id[8], pages_written
// u32, CRC-16 of the 16 bytes before it (a torn record reads as "none", which
// restarts the image: slower, never wrong).
constexpr uint8_t kRecordVersion = 1;
constexpr size_t kRecordBytes = 18;
constexpr uint8_t kRecordWriting = 0;
constexpr uint8_t kRecordComplete = 1;
// Beyond one call per work buffer of output, a few more cover inflaters that
// stop early (e.g. at block ends). Past this the unit is refused, never spun on.
constexpr uint32_t kExtraInflateCalls = 8;

}  // namespace

uint32_t ImageWriter::work_bytes_for(const ManifestHeader& h) {
  // Compressed: one page of output plus one spare byte, so a unit that would
  // inflate past its page shows up as too much output instead of a silent cut.
  return h.compressed() ? h.page_size_bytes + 1 : kMinWorkBytes;
}

uint32_t ImageWriter::ram_bytes() const {
  return static_cast<uint32_t>(sizeof(*this) + work_.size()) + (inflater_ != nullptr ? inflater_->state_bytes() : 0u);
}

WriterStatus ImageWriter::begin(const ManifestHeader& header) {
  phase_ = Phase::kIdle;
  if (validate_manifest_header(header) != ManifestStatus::kOk) return WriterStatus::kBadManifest;
  const uint32_t flash_page = flash_.page_size_bytes();
  if (flash_.slot_count() < 2 || flash_page == 0 || header.page_size_bytes % flash_page != 0 ||
      uint64_t{header.page_count} * header.page_size_bytes > flash_.slot_size_bytes())
    return WriterStatus::kNoSlot;
  if (work_.size() < kMinWorkBytes) return WriterStatus::kWorkTooSmall;
  if (header.compressed() && inflater_ == nullptr) return WriterStatus::kInflaterMissing;
  header_ = header;
  id_ = compute_image_id(header, sha_);
  inflater_ready_ = false;  // rebuilt lazily by the first write_page
  if (load_progress()) {
    resumed_at_ = pages_written_;
    phase_ = pages_written_ == header_.page_count ? Phase::kComplete : Phase::kWriting;
    return complete() ? WriterStatus::kComplete : WriterStatus::kOk;
  }
  slot_ = (boot_.running_slot() + 1) % flash_.slot_count();
  pages_written_ = 0;
  resumed_at_ = 0;
  phase_ = Phase::kWriting;
  return persist_progress() ? WriterStatus::kOk : WriterStatus::kStateError;
}

WriterStatus ImageWriter::write_page(uint32_t page, std::span<const uint8_t> unit) {
  if (phase_ == Phase::kIdle) return WriterStatus::kIdle;
  if (phase_ == Phase::kComplete || page != pages_written_) return WriterStatus::kWrongPage;
  const WriterStatus s = header_.compressed() ? write_inflated(page, unit) : write_plain(page, unit);
  if (s != WriterStatus::kOk) {
    inflater_ready_ = false;  // it may have consumed part of this unit; a retry rebuilds it from flash
    return s;
  }
  ++pages_written_;
  if (pages_written_ == header_.page_count) return finish_image();
  return persist_progress() ? WriterStatus::kOk : WriterStatus::kStateError;
}

bool ImageWriter::load_progress() {
  uint8_t rec[kRecordBytes];
  if (state_store_.read(kProgressKey, rec) != static_cast<int32_t>(kRecordBytes)) return false;
  ByteReader r(rec);
  const uint8_t version = r.u8();
  const uint8_t phase = r.u8();
  const uint8_t slot = r.u8();
  r.u8();
  const auto id = r.bytes(id_.size());
  const uint32_t pages = r.u32();
  const uint16_t crc = r.u16();
  if (!r.ok() || crc != crc16_ccitt(std::span<const uint8_t>(rec, kRecordBytes - 2)) || version != kRecordVersion ||
      std::memcmp(id.data(), id_.data(), id_.size()) != 0 || slot >= flash_.slot_count())
    return false;
  const bool done = phase == kRecordComplete && pages == header_.page_count;
  // An unfinished image can never be in the running slot; such a record is stale.
  if (!done && (phase != kRecordWriting || pages >= header_.page_count || slot == boot_.running_slot()))
    return false;
  slot_ = slot;
  pages_written_ = pages;
  return true;
}

bool ImageWriter::persist_progress() {
  uint8_t rec[kRecordBytes];
  ByteWriter w(rec);
  w.u8(kRecordVersion);
  w.u8(phase_ == Phase::kComplete ? kRecordComplete : kRecordWriting);
  w.u8(static_cast<uint8_t>(slot_));
  w.u8(0);
  w.bytes(id_);
  w.u32(pages_written_);
  w.u16(crc16_ccitt(w.written()));
  return w.ok() && state_store_.write(kProgressKey, w.written());
}

WriterStatus ImageWriter::erase_page(uint32_t page) {
  const uint32_t per_page = header_.page_size_bytes / flash_.page_size_bytes();
  for (uint32_t i = 0; i < per_page; ++i) {
    ++flash_ops_;
    if (!flash_.erase_page(slot_, page * per_page + i)) return WriterStatus::kFlashError;
  }
  return WriterStatus::kOk;
}

WriterStatus ImageWriter::write_plain(uint32_t page, std::span<const uint8_t> unit) {
  if (unit.size() != header_.page_output_bytes(page)) return WriterStatus::kBadUnit;
  if (const WriterStatus s = erase_page(page); s != WriterStatus::kOk) return s;
  ++flash_ops_;
  return flash_.write(slot_, page * header_.page_size_bytes, unit) ? WriterStatus::kOk : WriterStatus::kFlashError;
}

}  // namespace meshota::core

namespace meshota::core {

// The inflater's history must be the last 2^window_bits bytes of output
// before the resume point: they are the pages already in flash. With a work
// buffer that large they go in through reset()'s dictionary; otherwise they
// are replayed as one stored deflate block, piece by piece, so resuming costs
// no RAM beyond one page whatever the window.
WriterStatus ImageWriter::restart_inflater() {
  const uint32_t window = uint32_t{1} << header_.window_bits;
  const uint32_t written = pages_written_ * header_.page_size_bytes;  // pages before the resume point are full
  const uint32_t dict = written < window ? written : window;
  const uint32_t from = written - dict;
  if (dict <= work_.size()) {
    if (dict > 0) {
      ++flash_ops_;
      if (!flash_.read(slot_, from, work_.first(dict))) return WriterStatus::kFlashError;
    }
    if (!inflater_->reset(header_.window_bits, work_.first(dict))) return WriterStatus::kInflaterMissing;
  } else {
    if (!inflater_->reset(header_.window_bits, {})) return WriterStatus::kInflaterMissing;
    if (const WriterStatus s = replay_history(from, dict); s != WriterStatus::kOk) return s;
  }
  inflater_ready_ = true;
  return WriterStatus::kOk;
}

WriterStatus ImageWriter::replay_history(uint32_t from_bytes, uint32_t size_bytes) {
  // A non-final stored block header (BFINAL 0, BTYPE 00, byte-aligned), LEN and
  // NLEN: the block's bytes come out unchanged and fill the history. The first
  // unit to follow starts on a byte and block boundary (the packer's sync flush).
  const auto len = static_cast<uint16_t>(size_bytes);
  const uint8_t block[5] = {0x00, static_cast<uint8_t>(len), static_cast<uint8_t>(len >> 8),
                            static_cast<uint8_t>(~len), static_cast<uint8_t>(~len >> 8)};
  size_t consumed = 0;
  size_t produced = 0;
  if (inflater_->inflate(block, work_, consumed, produced) != InflateResult::kOk || consumed != sizeof(block) ||
      produced != 0)
    return WriterStatus::kInflaterMissing;
  // Input and output halves of the work buffer must not overlap.
  const uint32_t half = static_cast<uint32_t>(work_.size() / 2);
  const auto in = work_.first(half);
  const auto out = work_.subspan(half, half);
  for (uint32_t done = 0; done < size_bytes;) {  // bounded: size_bytes / half + 1 rounds
    const uint32_t n = size_bytes - done < half ? size_bytes - done : half;
    ++flash_ops_;
    if (!flash_.read(slot_, from_bytes + done, in.first(n))) return WriterStatus::kFlashError;
    const InflateResult r = inflater_->inflate(in.first(n), out, consumed, produced);
    if ((r != InflateResult::kOk && r != InflateResult::kOutputFull) || consumed != n || produced != n)
      return WriterStatus::kInflaterMissing;
    done += n;
  }
  return WriterStatus::kOk;
}

// Inflates straight into the erased page, one work buffer at a time, so RAM
// does not grow with the page. A unit that turns out bad leaves a partly
// written page behind; the retry erases it again before writing.
WriterStatus ImageWriter::write_inflated(uint32_t page, std::span<const uint8_t> unit) {
  // Only a unit that ends on the sync-flush marker leaves the inflater on a
  // block boundary, where the next unit starts; a unit cut inside the marker
  // would still give a whole page and only break the next one.
  const bool last = page + 1 == header_.page_count;
  if (!last && (unit.size() < sizeof(kSyncFlushMarker) ||
                std::memcmp(unit.data() + unit.size() - sizeof(kSyncFlushMarker), kSyncFlushMarker,
                            sizeof(kSyncFlushMarker)) != 0))
    return WriterStatus::kBadUnit;
  if (!inflater_ready_) {
    if (const WriterStatus s = restart_inflater(); s != WriterStatus::kOk) return s;
  }
  if (const WriterStatus s = erase_page(page); s != WriterStatus::kOk) return s;
  const uint32_t expected = header_.page_output_bytes(page);
  const uint32_t base = page * header_.page_size_bytes;
  const uint32_t max_calls = (expected + 1) / static_cast<uint32_t>(work_.size()) + kExtraInflateCalls;
  size_t in_used = 0;
  uint32_t out_used = 0;
  InflateResult r = InflateResult::kOk;
  for (uint32_t call = 0; call < max_calls; ++call) {
    // Room for one byte past the page: a unit that inflates too far shows as overflow, not as a silent cut.
    const uint32_t room = expected + 1 - out_used;
    const auto out = work_.first(room < work_.size() ? room : work_.size());
    size_t consumed = 0;
    size_t produced = 0;
    r = inflater_->inflate(unit.subspan(in_used), out, consumed, produced);
    in_used += consumed;
    if (out_used + produced > expected) return WriterStatus::kBadUnit;
    if (produced > 0) {
      ++flash_ops_;
      if (!flash_.write(slot_, base + out_used, out.first(produced))) return WriterStatus::kFlashError;
      out_used += static_cast<uint32_t>(produced);
    }
    if (r == InflateResult::kDataError || r == InflateResult::kStreamEnd) break;
    if (in_used == unit.size() && r == InflateResult::kOk) break;
    if (consumed == 0 && produced == 0 && r == InflateResult::kOk) break;
  }
  // Exactly one page out, every byte in, and the stream ends with the last page only.
  if (r == InflateResult::kDataError || in_used != unit.size() || out_used != expected ||
      (r == InflateResult::kStreamEnd) != last)
    return WriterStatus::kBadUnit;
  return WriterStatus::kOk;
}

WriterStatus ImageWriter::finish_image() {
  const uint32_t size = header_.image_size_bytes;
  const auto step = static_cast<uint32_t>(work_.size());
  sha_.begin();
  for (uint32_t off = 0; off < size;) {  // bounded: size / step + 1 rounds
    const uint32_t n = size - off < step ? size - off : step;
    ++flash_ops_;
    if (!flash_.read(slot_, off, work_.first(n))) {
      --pages_written_;  // the caller sends the last page again, which re-runs this check
      inflater_ready_ = false;
      return WriterStatus::kFlashError;
    }
    sha_.update(work_.first(n));
    off += n;
  }
  uint8_t digest[Sha256Hasher::kDigestBytes];
  sha_.finish(digest);
  inflater_ready_ = false;
  if (std::memcmp(digest, header_.image_sha256.data(), sizeof(digest)) != 0) {
    // Which page is wrong is unknowable here; the image starts over and never boots.
    pages_written_ = 0;
    persist_progress();
    return WriterStatus::kImageHashMismatch;
  }
  phase_ = Phase::kComplete;
  return persist_progress() ? WriterStatus::kComplete : WriterStatus::kStateError;
}

}  // namespace meshota::core
