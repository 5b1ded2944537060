#pragma once
// A one-line progress bar on stderr for runs that take more than a second of
// wall time; silent when stderr is not a terminal.

#include <chrono>
#include <cstdio>

namespace meshota::sim {

/// Redraws "[####....] 123 s virtual, 4/10 updated" at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(bool enabled, double horizon_s) : enabled_(enabled), horizon_s_(horizon_s) {}

  void update(double virtual_s, unsigned updated, unsigned receivers) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double by_nodes = receivers ? static_cast<double>(updated) / receivers : 0.0;
    const double by_time = horizon_s_ > 0 ? virtual_s / horizon_s_ : 0.0;
    const double done = by_nodes > by_time ? by_nodes : by_time;
    const int filled = static_cast<int>(done * 30.0);
    std::fprintf(stderr, "\r[%-30.*s] %8.1f s virtual, %u/%u updated", filled,
                 "##############################", virtual_s, updated, receivers);
    drawn_ = true;
  }

  void finish() {
    if (drawn_) std::fprintf(stderr, "\r%70s\r", "");
  }

 private:
  bool enabled_;
  double horizon_s_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace meshota::sim
