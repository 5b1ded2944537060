#pragma once
// A node's copy of the manifest of the image it fetches or serves: received in
// pieces (ManifestData), in order, into a caller-provided buffer; the header
// is checked the moment it is complete (format, and the Ed25519 signature when
// a key is configured), so no page is ever accepted for an image the node does
// not trust; the page table is then checked against the header's digest. The
// finished manifest is persisted in the StateStore and reloaded at boot.

#include <cstdint>
#include <span>
#include <string_view>

#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/hal/signature_verifier.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/core/ota/manifest.hpp"

namespace meshota::core {

/// What a manifest piece did.
enum class ManifestPiece : uint8_t {
  kIgnored,       ///< another image, out of order, or already complete
  kStored,        ///< appended; more to come
  kComplete,      ///< the whole manifest arrived, was checked and persisted
  kBadHeader,     ///< the header does not decode or validate: dropped
  kBadSignature,  ///< the header is not signed by the configured key: dropped
  kOldCounter,    ///< signed, but its security_counter is below the device's (a replayed old release): dropped
  kBadTable,      ///< the page table does not match the header: dropped
  kTooLarge,      ///< larger than the buffer
};

/// Who may sign images this node accepts (no key: unsigned images are accepted), and the
/// lowest security_counter it accepts: the device's anti-rollback counter (BootControl).
struct ManifestTrust {
  SignatureVerifier* verifier = nullptr;
  const PublicKey* key = nullptr;
  uint32_t min_security_counter = 0;
};

/// The manifest of one image, assembled, verified and persisted.
class ManifestStore {
 public:
  static constexpr std::string_view kKey = "ota.manifest";

  ManifestStore(StateStore& state, Sha256Hasher& sha, ManifestTrust trust, std::span<uint8_t> buffer)
      : state_(state), sha_(sha), trust_(trust), buffer_(buffer) {}

  /// At boot: reloads a persisted manifest (checked again). False when there is none.
  bool load();
  /// Forgets everything (a newer image supersedes this one).
  void clear();
  /// The next piece of the manifest of `id`, whose whole size is `total_bytes`.
  ManifestPiece add_piece(const ImageId& id, uint32_t total_bytes, uint32_t offset, std::span<const uint8_t> bytes);
  /// A whole manifest at once (the distributing node).
  ManifestPiece install(std::span<const uint8_t> manifest);

  bool complete() const { return complete_; }
  /// Receiving the manifest of this image (its first piece came, it is not complete yet).
  bool receiving(const ImageId& id) const { return !complete_ && received_ > 0 && id == id_; }
  /// Where the next piece starts (a ManifestRequest's offset).
  uint32_t next_offset() const { return received_; }
  const ManifestHeader& header() const { return header_; }
  const ImageId& id() const { return id_; }
  /// Page-table entry k of the complete manifest.
  ManifestStatus page_entry(uint32_t k, PageEntry& out) const;
  /// Up to out.size() bytes of the complete manifest from `offset` (for a ManifestData answer).
  std::span<const uint8_t> bytes(uint32_t offset, uint32_t max_bytes) const;
  uint32_t total_bytes() const { return total_; }
  /// Manifests dropped for a bad header, signature or table, for reports (a forged one counts here).
  uint32_t rejected() const { return rejected_; }
  /// Of those, manifests refused for a security_counter below min_security_counter (replays).
  uint32_t rejected_old() const { return rejected_old_; }

 private:
  ManifestPiece check_header();
  ManifestPiece finish();
  ManifestPiece reject(ManifestPiece why);

  StateStore& state_;
  Sha256Hasher& sha_;
  ManifestTrust trust_;
  std::span<uint8_t> buffer_;
  ManifestHeader header_;
  ImageId id_{};
  uint32_t total_ = 0;
  uint32_t received_ = 0;
  bool header_ok_ = false;
  bool complete_ = false;
  uint32_t rejected_ = 0;
  uint32_t rejected_old_ = 0;
};

}  // namespace meshota::core
