#pragma once
// Content-addressed flash pages shared by every emulated node: 10,000 nodes
// holding the same 1 MB image keep one copy of each page.

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

namespace meshota::sim {

/// An immutable page of flash contents.
using Page = std::vector<uint8_t>;
using PageRef = std::shared_ptr<const Page>;

/// Interns identical pages so that nodes share them.
class PagePool {
 public:
  explicit PagePool(uint32_t page_size_bytes);

  uint32_t page_size_bytes() const { return page_size_; }
  /// The all-0xFF page every erase yields.
  const PageRef& erased() const { return erased_; }
  /// The shared copy of `bytes` (added if new).
  PageRef intern(std::span<const uint8_t> bytes);
  /// Distinct pages currently held, for memory reports.
  size_t distinct_pages() const;

 private:
  uint32_t page_size_;
  PageRef erased_;
  std::unordered_multimap<uint64_t, std::weak_ptr<const Page>> by_hash_;
};

}  // namespace meshota::sim
