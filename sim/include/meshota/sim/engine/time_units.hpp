#pragma once
// Scenario seconds (doubles) as simulator nanoseconds and core durations.

#include <cmath>
#include <cstdint>

#include "meshota/core/time.hpp"
#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

inline SimTime seconds(double s) { return static_cast<SimTime>(std::llround(s * kNsPerS)); }
inline core::Duration duration(double s) { return core::Duration{static_cast<int64_t>(std::llround(s * 1e6))}; }

}  // namespace meshota::sim
