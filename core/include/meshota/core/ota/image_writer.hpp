#pragma once
// Writes verified page units, in page order, into the slot that is not
// running: erase the page's flash sectors, write, persist progress. Compressed
// units are inflated on the way, each to exactly one page. After a reboot,
// begin() with the same image resumes at the next page without fetching the
// finished ones again; a compressed stream's history is rebuilt from the
// pages already in flash. The last page triggers a read-back of the whole
// slot against the manifest's image SHA-256, and only a match makes the slot
// boot next.

#include <cstdint>
#include <span>
#include <string_view>

#include "meshota/core/hal/boot_control.hpp"
#include "meshota/core/hal/firmware_store.hpp"
#include "meshota/core/hal/inflater.hpp"
#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/core/ota/image_id.hpp"
#include "meshota/core/ota/manifest.hpp"

namespace meshota::core {

/// What an ImageWriter call ended with.
enum class WriterStatus : uint8_t {
  kOk,                 ///< page written and progress persisted; more pages to come
  kComplete,           ///< image written and verified against image_sha256 (ImageState::install stages it)
  kIdle,               ///< begin() has not succeeded
  kBadManifest,        ///< the header does not validate
  kNoSlot,             ///< < 2 slots, image larger than a slot, or page size not a multiple of the flash page
  kWorkTooSmall,       ///< work buffer smaller than kMinWorkBytes
  kInflaterMissing,    ///< a compressed image and no Inflater, or it refused the window size
  kWrongPage,          ///< not next_page_needed()
  kBadUnit,            ///< wrong size, or it did not inflate to exactly its page
  kFlashError,         ///< an erase, write or read failed; call again with the same page
  kStateError,         ///< progress could not be persisted (the flash itself is written)
  kImageHashMismatch,  ///< the slot read back does not match image_sha256: progress reset to page 0
};

/// Streams verified units into the inactive firmware slot, resumably (see file comment).
class ImageWriter {
 public:
  /// StateStore key of the progress record.
  static constexpr std::string_view kProgressKey = "ota.progress";
  /// Smallest work buffer accepted. It holds inflated output on its way to
  /// flash, the history read back when resuming, and the final read-back, so
  /// any size works; a smaller one only costs more flash operations.
  static constexpr uint32_t kMinWorkBytes = 256;

  /// `inflater` may be null when no compressed image is expected; `work` is
  /// the writer's only buffer (see work_bytes_for). All outlive the writer.
  ImageWriter(FirmwareStore& flash, BootControl& boot, StateStore& state, Sha256Hasher& sha, Inflater* inflater,
              std::span<uint8_t> work)
      : flash_(flash), boot_(boot), state_store_(state), sha_(sha), inflater_(inflater), work_(work) {}
  ImageWriter(const ImageWriter&) = delete;
  ImageWriter& operator=(const ImageWriter&) = delete;

  /// Starts writing `header`'s image, or resumes it when the persisted progress names the same image.
  WriterStatus begin(const ManifestHeader& header);
  /// Page `page`'s verified unit; must be next_page_needed().
  WriterStatus write_page(uint32_t page, std::span<const uint8_t> unit);

  /// The page to fetch next; page_count once every page is written.
  uint32_t next_page_needed() const { return pages_written_; }
  /// Page begin() resumed at (0 for a fresh start).
  uint32_t resumed_at_page() const { return resumed_at_; }
  bool active() const { return phase_ == Phase::kWriting; }
  bool complete() const { return phase_ == Phase::kComplete; }
  uint32_t slot() const { return slot_; }
  const ImageId& image_id() const { return id_; }
  /// Flash operations issued (erases, writes and reads), for power-cut tests.
  uint32_t flash_ops() const { return flash_ops_; }

  /// Work buffer that writes each page of `h` with one flash write: page_size + 1
  /// compressed (the spare byte catches a unit inflating past its page), kMinWorkBytes uncompressed.
  static uint32_t work_bytes_for(const ManifestHeader& h);
  /// RAM this writer costs now: the object, its work buffer and the inflater's state, in bytes.
  uint32_t ram_bytes() const;

 private:
  enum class Phase : uint8_t { kIdle, kWriting, kComplete };

  bool load_progress();
  bool persist_progress();
  WriterStatus restart_inflater();
  WriterStatus replay_history(uint32_t from_bytes, uint32_t size_bytes);
  WriterStatus erase_page(uint32_t page);
  WriterStatus write_plain(uint32_t page, std::span<const uint8_t> unit);
  WriterStatus write_inflated(uint32_t page, std::span<const uint8_t> unit);
  WriterStatus finish_image();

  FirmwareStore& flash_;
  BootControl& boot_;
  StateStore& state_store_;
  Sha256Hasher& sha_;
  Inflater* inflater_;
  std::span<uint8_t> work_;
  ManifestHeader header_;
  ImageId id_{};
  Phase phase_ = Phase::kIdle;
  bool inflater_ready_ = false;
  uint32_t slot_ = 0;
  uint32_t pages_written_ = 0;
  uint32_t resumed_at_ = 0;
  uint32_t flash_ops_ = 0;
};

}  // namespace meshota::core
