#pragma once
// A string with its storage inline, for ids like md5, role and hardware that
// the core keeps without allocating.

#include <cstddef>
#include <string_view>

namespace meshota::core {

/// Inline string of at most N bytes; assign() refuses (returns false) longer input.
template <size_t N>
class FixedString {
 public:
  FixedString() = default;

  bool assign(std::string_view s) {
    if (s.size() > N) return false;
    for (size_t i = 0; i < s.size(); ++i) buf_[i] = s[i];
    len_ = s.size();
    return true;
  }
  void clear() { len_ = 0; }
  bool empty() const { return len_ == 0; }
  std::string_view view() const { return std::string_view(buf_, len_); }
  bool operator==(std::string_view s) const { return view() == s; }
  bool operator==(const FixedString& o) const { return view() == o.view(); }

 private:
  char buf_[N] = {};
  size_t len_ = 0;
};

}  // namespace meshota::core
