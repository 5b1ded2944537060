#include "meshota/sim/node/inflate_memo.hpp"

#include <algorithm>
#include <functional>
#include <string_view>

namespace meshota::sim {

uint64_t InflateMemo::key(uint32_t parent, uint32_t param, std::span<const uint8_t> input) {
  // The first bytes and the size tell the steps from one point apart (find() compares
  // the whole input anyway); hashing all of it cost more than the rest of a hit.
  const std::span<const uint8_t> head = input.first(std::min<size_t>(input.size(), kKeyBytes));
  const uint64_t h =
      std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(head.data()), head.size()));
  return h ^ ((uint64_t{parent} << 32 | param) * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{input.size()} << 17);
}

uint32_t InflateMemo::find(uint32_t parent, uint32_t param, std::span<const uint8_t> input) const {
  auto [it, end] = by_key_.equal_range(key(parent, param, input));
  for (; it != end; ++it) {
    const InflateStep& s = steps_[it->second];
    if (s.parent == parent && s.param == param && std::ranges::equal(s.input, input)) return it->second;
  }
  return kNone;
}

uint32_t InflateMemo::add(InflateStep step) {
  const size_t bytes = step.input.size() + step.output.size() + sizeof(InflateStep);
  if (bytes_ + bytes > kMaxBytes || steps_.size() >= kNone - 1) return kNone;
  bytes_ += bytes;
  const auto id = static_cast<uint32_t>(steps_.size());
  by_key_.emplace(key(step.parent, step.param, step.input), id);
  steps_.push_back(std::move(step));
  return id;
}

}  // namespace meshota::sim
