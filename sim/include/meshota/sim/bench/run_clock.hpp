#pragma once
// Wall and CPU time of a benchmark's run loop, and the process's peak memory.

#include <sys/resource.h>

#include <chrono>
#include <ctime>

namespace meshota::sim {

/// Measures one phase of a benchmark from construction to stop().
class RunClock {
 public:
  RunClock() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu_s()) {}

  struct Lap {
    double wall_s;
    double cpu_s;
  };
  Lap stop() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count(),
            process_cpu_s() - cpu_start_};
  }

  static double process_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  /// Peak resident set of the whole process so far (Linux reports kilobytes).
  static long max_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
  }

 private:
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
};

}  // namespace meshota::sim
