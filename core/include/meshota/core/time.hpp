#pragma once
// Time as the core sees it: the caller's clock, in microseconds. The core
// never reads a clock itself; every entry point is handed `now`.

#include <compare>
#include <cstdint>

namespace meshota::core {

/// A length of time in microseconds.
struct Duration {
  int64_t us = 0;

  static constexpr Duration micros(int64_t v) { return Duration{v}; }
  static constexpr Duration millis(int64_t v) { return Duration{v * 1000}; }
  static constexpr Duration seconds(int64_t v) { return Duration{v * 1000000}; }

  constexpr Duration operator+(Duration o) const { return Duration{us + o.us}; }
  constexpr Duration operator-(Duration o) const { return Duration{us - o.us}; }
  constexpr Duration operator*(int64_t k) const { return Duration{us * k}; }
  constexpr auto operator<=>(const Duration&) const = default;
};

/// A point on the caller's clock, in microseconds since its epoch.
struct Instant {
  int64_t us = 0;

  /// "No deadline": later than every real instant.
  static constexpr Instant never() { return Instant{INT64_MAX}; }

  constexpr Instant operator+(Duration d) const { return Instant{us + d.us}; }
  constexpr Duration operator-(Instant o) const { return Duration{us - o.us}; }
  constexpr auto operator<=>(const Instant&) const = default;
};

constexpr Instant earliest(Instant a, Instant b) { return a < b ? a : b; }

}  // namespace meshota::core
