#pragma once
// Verified page units kept in a staging flash area, so that a node can serve
// any page it holds (relaying is what peer-to-peer and broadcast repair need,
// and a compressed unit cannot be rebuilt from the inflated page) and can feed
// the image writer in page order whatever order pages arrived in. Units sit at
// their offsets in the transfer stream. A sector is erased once per image,
// just before the first unit that touches it is written; which sectors are
// erased and which units are committed is persisted after each step, so a
// power cut never loses a committed unit and never erases one.

#include <cstdint>
#include <span>
#include <string_view>

#include "meshota/core/hal/firmware_store.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/core/ota/image_id.hpp"
#include "meshota/core/ota/manifest_store.hpp"

namespace meshota::core {

/// What UnitStore::put did.
enum class StoreResult : uint8_t { kOk, kAlready, kNotBegun, kTooLarge, kFlashError, kStateError };

/// Staged units of one image in one flash slot (see file comment).
class UnitStore {
 public:
  static constexpr std::string_view kKey = "ota.staged";
  static constexpr uint32_t kMaxPages = 1024;    ///< 4 MB of 4 KB pages
  static constexpr uint32_t kMaxSectors = 1024;

  /// `slot` of `flash` is the staging area; `offsets` (page_count + 1 entries) caches where units start.
  UnitStore(FirmwareStore& flash, uint32_t slot, StateStore& state, std::span<uint32_t> offsets)
      : flash_(flash), slot_(slot), state_(state), offsets_(offsets) {}

  /// Starts staging the image of a complete manifest, or resumes it (the persisted record names it).
  StoreResult begin(const ManifestStore& manifest);
  /// Stores verified unit `page` (erasing the sectors it needs first); kAlready when held.
  StoreResult put(uint32_t page, std::span<const uint8_t> unit);
  /// Reads unit `page` into `out` (which must hold it); its size, 0 when not held.
  uint32_t read_unit(uint32_t page, std::span<uint8_t> out) const;
  /// Reads bytes [from, from + out.size()) of unit `page`; false when not held or out of range.
  bool read(uint32_t page, uint32_t from, std::span<uint8_t> out) const;
  /// Whether bytes [from, from + expected.size()) of unit `page` equal `expected`; false when not held.
  bool equals(uint32_t page, uint32_t from, std::span<const uint8_t> expected) const;

  bool has(uint32_t page) const { return page < pages_ && (staged_[page / 8] >> (page % 8) & 1u) != 0; }
  uint32_t count() const { return count_; }
  /// Pages [0, contiguous()) are all staged.
  uint32_t contiguous() const { return contiguous_; }
  uint32_t unit_bytes(uint32_t page) const { return offsets_[page + 1] - offsets_[page]; }
  /// Flash the staging of this image occupies, in bytes (the transfer size rounded up to sectors).
  uint32_t flash_bytes() const;
  bool begun() const { return pages_ > 0; }
  const ImageId& image_id() const { return id_; }
  uint32_t flash_ops() const { return flash_ops_; }

 private:
  bool erased(uint32_t sector) const { return (erased_[sector / 8] >> (sector % 8) & 1u) != 0; }
  bool persist();
  void recount();

  FirmwareStore& flash_;
  uint32_t slot_;
  StateStore& state_;
  std::span<uint32_t> offsets_;
  ImageId id_{};
  uint32_t pages_ = 0;
  uint32_t sector_bytes_ = 0;
  uint32_t count_ = 0;
  uint32_t contiguous_ = 0;
  uint32_t flash_ops_ = 0;
  uint8_t staged_[kMaxPages / 8] = {};
  uint8_t erased_[kMaxSectors / 8] = {};
};

}  // namespace meshota::core
