#include "meshota/core/ota/page_table_checker.hpp"

#include <cstring>

namespace meshota::core {

PageTableChecker::PageTableChecker(const ManifestHeader& header, Sha256Hasher& sha)
    : sha_(sha),
      expected_sha256_(header.page_table_sha256),
      table_bytes_(header.page_table_bytes()),
      entry_bytes_(header.page_entry_bytes()),
      max_unit_bytes_(header.max_unit_bytes()),
      compressed_size_bytes_(header.compressed_size_bytes),
      hash_bytes_(header.page_hash_bytes),
      compressed_(header.compressed()) {
  sha_.begin();
}

ManifestStatus PageTableChecker::update(std::span<const uint8_t> piece) {
  if (status_ != ManifestStatus::kOk) return status_;
  if (piece.size() > table_bytes_ - seen_bytes_) return status_ = ManifestStatus::kBadPageTable;
  sha_.update(piece);
  if (!compressed_) {  // entries are bare hashes: nothing to parse
    seen_bytes_ += static_cast<uint32_t>(piece.size());
    return status_;
  }
  for (const uint8_t b : piece) {  // bounded by the piece
    const uint32_t at = seen_bytes_++ % entry_bytes_;
    if (at == hash_bytes_) {
      unit_bytes_ = b;
    } else if (at == hash_bytes_ + 1u) {
      unit_bytes_ |= uint32_t{b} << 8;
      if (unit_bytes_ == 0 || unit_bytes_ > max_unit_bytes_) return status_ = ManifestStatus::kBadEntry;
      unit_sum_bytes_ += unit_bytes_;
    }
  }
  return status_;
}

ManifestStatus PageTableChecker::finish() {
  uint8_t digest[Sha256Hasher::kDigestBytes];
  sha_.finish(digest);
  if (status_ != ManifestStatus::kOk) return status_;
  if (seen_bytes_ != table_bytes_) return status_ = ManifestStatus::kTruncated;
  if (compressed_ && unit_sum_bytes_ != compressed_size_bytes_)
    return status_ = ManifestStatus::kBadPageTable;
  if (std::memcmp(digest, expected_sha256_.data(), sizeof(digest)) != 0)
    return status_ = ManifestStatus::kBadPageTable;
  return status_;
}

ManifestStatus check_page_table(const ManifestHeader& header, std::span<const uint8_t> table, Sha256Hasher& sha) {
  PageTableChecker checker(header, sha);
  checker.update(table);
  return checker.finish();
}

}  // namespace meshota::core
