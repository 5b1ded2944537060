#include "meshota/sim/node/page_pool.hpp"

#include <algorithm>
#include <string_view>

namespace meshota::sim {

PagePool::PagePool(uint32_t page_size_bytes)
    : page_size_(page_size_bytes), erased_(std::make_shared<const Page>(page_size_bytes, uint8_t{0xff})) {}

PageRef PagePool::intern(std::span<const uint8_t> bytes) {
  const uint64_t h = std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  auto [it, end] = by_hash_.equal_range(h);
  for (; it != end; ++it) {
    if (PageRef p = it->second.lock(); p && std::equal(p->begin(), p->end(), bytes.begin(), bytes.end()))
      return p;
  }
  auto page = std::make_shared<const Page>(bytes.begin(), bytes.end());
  by_hash_.emplace(h, page);
  // Forget pages nobody holds any more, now and then, so the map stays small.
  if (by_hash_.size() > 4096 && by_hash_.size() % 4096 == 0)
    for (auto i = by_hash_.begin(); i != by_hash_.end();) i = i->second.expired() ? by_hash_.erase(i) : std::next(i);
  return page;
}

size_t PagePool::distinct_pages() const {
  return static_cast<size_t>(std::count_if(by_hash_.begin(), by_hash_.end(),
                                           [](const auto& e) { return !e.second.expired(); }));
}

}  // namespace meshota::sim
