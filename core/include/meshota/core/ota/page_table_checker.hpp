#pragma once
// Authenticates a page table as it streams in (ManifestData pieces, or reads
// back from storage), so the table never has to sit in RAM whole: it hashes
// every byte and checks each entry's unit size on the fly.

#include <array>
#include <cstdint>
#include <span>

#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/ota/manifest.hpp"

namespace meshota::core {

/// Checks an encoded page table against a validated header, fed in order in pieces of any size.
class PageTableChecker {
 public:
  /// Starts hashing with `sha`, which must not be used for anything else until finish().
  /// Keeps what it needs of `header`, which may go away.
  PageTableChecker(const ManifestHeader& header, Sha256Hasher& sha);

  /// The next bytes of the table; the first error sticks.
  ManifestStatus update(std::span<const uint8_t> piece);
  /// kOk when exactly page_table_bytes() arrived, the unit sizes add up and the digest matches.
  ManifestStatus finish();

  uint32_t bytes_seen() const { return seen_bytes_; }

 private:
  Sha256Hasher& sha_;
  std::array<uint8_t, 32> expected_sha256_;
  uint32_t table_bytes_;
  uint32_t entry_bytes_;
  uint32_t max_unit_bytes_;
  uint32_t compressed_size_bytes_;
  uint8_t hash_bytes_;
  bool compressed_;
  uint32_t seen_bytes_ = 0;
  uint64_t unit_sum_bytes_ = 0;
  uint32_t unit_bytes_ = 0;  // the entry's u16 unit size, assembled byte by byte
  ManifestStatus status_ = ManifestStatus::kOk;
};

/// The whole table at once: PageTableChecker over one piece.
ManifestStatus check_page_table(const ManifestHeader& header, std::span<const uint8_t> table, Sha256Hasher& sha);

}  // namespace meshota::core
