#include "meshota/core/ota/unit_store.hpp"

namespace meshota::core {
namespace {
constexpr uint32_t kRecordBytes = 8 + UnitStore::kMaxPages / 8 + UnitStore::kMaxSectors / 8;
}

void UnitStore::recount() {
  count_ = 0;
  for (uint32_t p = 0; p < pages_; ++p) count_ += has(p) ? 1 : 0;
  contiguous_ = 0;
  while (contiguous_ < pages_ && has(contiguous_)) ++contiguous_;
}

bool UnitStore::persist() {
  uint8_t rec[kRecordBytes];
  for (size_t i = 0; i < 8; ++i) rec[i] = id_[i];
  for (size_t i = 0; i < sizeof(staged_); ++i) rec[8 + i] = staged_[i];
  for (size_t i = 0; i < sizeof(erased_); ++i) rec[8 + sizeof(staged_) + i] = erased_[i];
  return state_.write(kKey, rec);
}

StoreResult UnitStore::begin(const ManifestStore& manifest) {
  const ManifestHeader& h = manifest.header();
  pages_ = 0;
  if (!manifest.complete() || h.page_count > kMaxPages || offsets_.size() < size_t{h.page_count} + 1)
    return StoreResult::kTooLarge;
  sector_bytes_ = flash_.page_size_bytes();
  offsets_[0] = 0;
  for (uint32_t k = 0; k < h.page_count; ++k) {
    PageEntry e;
    if (manifest.page_entry(k, e) != ManifestStatus::kOk) return StoreResult::kTooLarge;
    offsets_[k + 1] = offsets_[k] + e.unit_bytes;
  }
  if (offsets_[h.page_count] > flash_.slot_size_bytes() || offsets_[h.page_count] / sector_bytes_ >= kMaxSectors)
    return StoreResult::kTooLarge;
  pages_ = h.page_count;
  // Resume when the record names this image; otherwise start empty (erasing happens lazily).
  uint8_t rec[kRecordBytes];
  const bool same = state_.read(kKey, rec) == static_cast<int32_t>(kRecordBytes) &&
                    [&] {
                      for (size_t i = 0; i < 8; ++i)
                        if (rec[i] != manifest.id()[i]) return false;
                      return true;
                    }();
  id_ = manifest.id();
  for (size_t i = 0; i < sizeof(staged_); ++i) staged_[i] = same ? rec[8 + i] : 0;
  for (size_t i = 0; i < sizeof(erased_); ++i) erased_[i] = same ? rec[8 + sizeof(staged_) + i] : 0;
  recount();
  if (!same && !persist()) return StoreResult::kStateError;
  return StoreResult::kOk;
}

StoreResult UnitStore::put(uint32_t page, std::span<const uint8_t> unit) {
  if (page >= pages_) return StoreResult::kNotBegun;
  if (has(page)) return StoreResult::kAlready;
  if (unit.size() != unit_bytes(page)) return StoreResult::kTooLarge;
  const uint32_t first = offsets_[page] / sector_bytes_;
  const uint32_t last = (offsets_[page + 1] - 1) / sector_bytes_;
  for (uint32_t s = first; s <= last; ++s) {
    if (erased(s)) continue;
    ++flash_ops_;
    if (!flash_.erase_page(slot_, s)) return StoreResult::kFlashError;
    erased_[s / 8] = static_cast<uint8_t>(erased_[s / 8] | (1u << (s % 8)));
    // Before any unit is written into it: a cut now erases it again on resume, harmlessly.
    if (!persist()) return StoreResult::kStateError;
  }
  // A torn earlier attempt left a prefix of these same bytes: writing them again is NOR-safe.
  ++flash_ops_;
  if (!flash_.write(slot_, offsets_[page], unit)) return StoreResult::kFlashError;
  staged_[page / 8] = static_cast<uint8_t>(staged_[page / 8] | (1u << (page % 8)));
  if (!persist()) {
    staged_[page / 8] = static_cast<uint8_t>(staged_[page / 8] & ~(1u << (page % 8)));
    return StoreResult::kStateError;
  }
  ++count_;
  while (contiguous_ < pages_ && has(contiguous_)) ++contiguous_;
  return StoreResult::kOk;
}

bool UnitStore::read(uint32_t page, uint32_t from, std::span<uint8_t> out) const {
  if (!has(page) || from > unit_bytes(page) || out.size() > unit_bytes(page) - from) return false;
  return flash_.read(slot_, offsets_[page] + from, out);
}

bool UnitStore::equals(uint32_t page, uint32_t from, std::span<const uint8_t> expected) const {
  if (!has(page) || from > unit_bytes(page) || expected.size() > unit_bytes(page) - from) return false;
  return flash_.equals(slot_, offsets_[page] + from, expected);
}

uint32_t UnitStore::read_unit(uint32_t page, std::span<uint8_t> out) const {
  if (!has(page) || out.size() < unit_bytes(page)) return 0;
  return read(page, 0, out.first(unit_bytes(page))) ? unit_bytes(page) : 0;
}

uint32_t UnitStore::flash_bytes() const {
  if (pages_ == 0) return 0;
  return (offsets_[pages_] + sector_bytes_ - 1) / sector_bytes_ * sector_bytes_;
}

}  // namespace meshota::core
