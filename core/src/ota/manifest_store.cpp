#include "meshota/core/ota/manifest_store.hpp"

#include "meshota/core/ota/page_table_checker.hpp"

namespace meshota::core {

void ManifestStore::clear() {
  header_ = ManifestHeader{};
  id_ = ImageId{};
  total_ = received_ = 0;
  header_ok_ = complete_ = false;
}

ManifestPiece ManifestStore::reject(ManifestPiece why) {
  ++rejected_;
  if (why == ManifestPiece::kOldCounter) ++rejected_old_;
  clear();
  return why;
}

ManifestPiece ManifestStore::check_header() {
  if (decode_manifest_header(std::span<const uint8_t>(buffer_.data(), kManifestHeaderBytes), header_) !=
      ManifestStatus::kOk)
    return reject(ManifestPiece::kBadHeader);
  ImageId computed{};
  if (!compute_image_id(std::span<const uint8_t>(buffer_.data(), kManifestHeaderBytes), sha_, computed) ||
      computed != id_ || header_.manifest_bytes() != total_)
    return reject(ManifestPiece::kBadHeader);
  if (trust_.verifier != nullptr && trust_.key != nullptr) {
    const std::span<const uint8_t> signed_part(buffer_.data(), kManifestSignedBytes);
    const std::span<const uint8_t, 64> signature(buffer_.data() + kManifestSignedBytes, 64);
    if (!trust_.verifier->verify(*trust_.key, signed_part, signature)) return reject(ManifestPiece::kBadSignature);
  }
  // After the signature: only a genuine header's counter means anything (a forged one counts as forged).
  if (header_.security_counter < trust_.min_security_counter) return reject(ManifestPiece::kOldCounter);
  header_ok_ = true;
  return ManifestPiece::kStored;
}

ManifestPiece ManifestStore::finish() {
  const std::span<const uint8_t> table(buffer_.data() + kManifestHeaderBytes, header_.page_table_bytes());
  if (check_page_table(header_, table, sha_) != ManifestStatus::kOk) return reject(ManifestPiece::kBadTable);
  complete_ = true;
  // A manifest that cannot be persisted is still good for this boot; it is fetched again after a reboot.
  state_.write(kKey, std::span<const uint8_t>(buffer_.data(), total_));
  return ManifestPiece::kComplete;
}

ManifestPiece ManifestStore::add_piece(const ImageId& id, uint32_t total_bytes, uint32_t offset,
                                       std::span<const uint8_t> bytes) {
  if (complete_) return ManifestPiece::kIgnored;
  if (received_ == 0 && offset == 0) {
    if (total_bytes > buffer_.size()) return ManifestPiece::kTooLarge;
    if (total_bytes < kManifestHeaderBytes) return reject(ManifestPiece::kBadHeader);
    id_ = id;
    total_ = total_bytes;
  }
  // Pieces are taken in order: the manifest is a few frames, and overheard answers to other
  // requests still help whenever they continue where this node stands.
  if (id != id_ || total_bytes != total_ || offset != received_ || bytes.empty() || bytes.size() > total_ - offset)
    return ManifestPiece::kIgnored;
  for (size_t i = 0; i < bytes.size(); ++i) buffer_[offset + i] = bytes[i];
  const uint32_t before = received_;
  received_ += static_cast<uint32_t>(bytes.size());
  if (before < kManifestHeaderBytes && received_ >= kManifestHeaderBytes) {
    const ManifestPiece h = check_header();
    if (h != ManifestPiece::kStored) return h;
  }
  return received_ == total_ ? finish() : ManifestPiece::kStored;
}

ManifestPiece ManifestStore::install(std::span<const uint8_t> manifest) {
  clear();
  if (manifest.size() < kManifestHeaderBytes) return reject(ManifestPiece::kBadHeader);
  ImageId id{};
  if (!compute_image_id(manifest, sha_, id)) return reject(ManifestPiece::kBadHeader);
  return add_piece(id, static_cast<uint32_t>(manifest.size()), 0, manifest);
}

bool ManifestStore::load() {
  clear();
  const int32_t n = state_.read(kKey, buffer_);
  if (n < static_cast<int32_t>(kManifestHeaderBytes)) return false;
  const uint32_t rejected_before = rejected_, old_before = rejected_old_;
  const ManifestPiece r = install(std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n)));
  rejected_ = rejected_before;  // a stale record is not an attack
  rejected_old_ = old_before;
  return r == ManifestPiece::kComplete;
}

ManifestStatus ManifestStore::page_entry(uint32_t k, PageEntry& out) const {
  if (!complete_) return ManifestStatus::kTruncated;
  return read_page_entry(header_, std::span<const uint8_t>(buffer_.data() + kManifestHeaderBytes, header_.page_table_bytes()),
                         k, out);
}

std::span<const uint8_t> ManifestStore::bytes(uint32_t offset, uint32_t max_bytes) const {
  if (!complete_ || offset >= total_) return {};
  const uint32_t n = total_ - offset < max_bytes ? total_ - offset : max_bytes;
  return std::span<const uint8_t>(buffer_.data() + offset, n);
}

}  // namespace meshota::core
