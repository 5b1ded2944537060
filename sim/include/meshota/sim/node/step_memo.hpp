#pragma once
// Steps of deterministic streams, shared by every node of a run. Inflating
// and hashing are deterministic: the same start followed by the same calls
// gives the same results. 10,000 nodes inflating and hashing the same image
// would run zlib and SHA-256 10,000 times over the same streams; with a memo
// each distinct stream runs once and the other nodes copy its results
// (MemoInflater, MemoSha256).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace meshota::sim {

/// Recorded steps found by (parent step, param, input bytes). `Step` has members
/// `parent`, `param`, `input` (a byte vector) and `bytes()` (what it holds).
template <typename Step>
class StepMemo {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;
  /// The parent of a stream's first step (a reset, a begin).
  static constexpr uint32_t kRoot = 0xfffffffeu;
  /// Beyond this many bytes of recorded steps, new steps are not kept.
  static constexpr size_t kMaxBytes = size_t{256} << 20;
  /// Input bytes hashed into a step's key: the first bytes and the size tell the
  /// steps from one point apart, and find() compares the whole input anyway.
  static constexpr size_t kKeyBytes = 64;

  /// The step taken from `parent` with `param` and `input`, or kNone.
  uint32_t find(uint32_t parent, uint32_t param, std::span<const uint8_t> input) const {
    auto [it, end] = by_key_.equal_range(key(parent, param, input));
    for (; it != end; ++it) {
      const Step& s = steps_[it->second];
      if (s.parent == parent && s.param == param && std::ranges::equal(s.input, input)) return it->second;
    }
    return kNone;
  }
  /// Keeps a step; kNone once the memo is full.
  uint32_t add(Step step) {
    const size_t bytes = step.bytes() + sizeof(Step);
    if (bytes_ + bytes > kMaxBytes || steps_.size() >= kRoot) return kNone;
    bytes_ += bytes;
    const auto id = static_cast<uint32_t>(steps_.size());
    by_key_.emplace(key(step.parent, step.param, step.input), id);
    steps_.push_back(std::move(step));
    return id;
  }
  const Step& step(uint32_t id) const { return steps_[id]; }
  /// The steps from the stream's first one to `id`, last first.
  std::vector<uint32_t> path_to(uint32_t id) const {
    std::vector<uint32_t> path;
    for (; id != kRoot; id = steps_[id].parent) path.push_back(id);
    return path;
  }

 private:
  static uint64_t key(uint32_t parent, uint32_t param, std::span<const uint8_t> input) {
    const std::span<const uint8_t> head = input.first(std::min(input.size(), kKeyBytes));
    const uint64_t h =
        std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(head.data()), head.size()));
    return h ^ ((uint64_t{parent} << 32 | param) * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{input.size()} << 17);
  }

  std::vector<Step> steps_;
  std::unordered_multimap<uint64_t, uint32_t> by_key_;
  size_t bytes_ = 0;
};

}  // namespace meshota::sim
