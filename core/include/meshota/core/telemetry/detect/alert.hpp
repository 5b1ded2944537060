#pragma once
// What the root's detectors tell the host: which node, which metric, raised
// or cleared, the value that decided and the threshold it was compared with.

#include <cstdint>

#include "meshota/core/addressing.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// The metric (and detector) an alert is about.
enum class AlertMetric : uint8_t {
  kLowHeap = 0,     ///< EWMA z-score on free heap, low side (value, threshold: bytes)
  kHeapLeak = 1,    ///< Holt projection of free heap (value: projected seconds to threshold)
  kParentRssi = 2,  ///< EWMA z-score on the parent link's RSSI, low side (dBm)
  kDropRate = 3,    ///< EWMA z-score on messages dropped per report, high side
  kQueueDepth = 4,  ///< EWMA z-score on queue depth, high side (frames)
  kBootLoop = 5,    ///< boot-loop rule (value: bad boots or resets in window)
  kOffline = 6,     ///< silence (value: seconds since last frame, threshold: timeout in s)
  kUpdateFailed = 7,///< the node reports a failed or reverted update (value: UpdateState)
  kParentLoss = 8,  ///< EWMA z-score on the parent link's loss, high side (%; tcp-tree links)
};
inline constexpr uint8_t kAlertMetricCount = 9;

/// One raise or clear.
struct Alert {
  NodeId node = 0;
  AlertMetric metric = AlertMetric::kLowHeap;
  bool raised = true;   ///< false: cleared
  float value = 0;      ///< what the detector saw (units per metric above)
  float threshold = 0;  ///< what it compared the value with
  Instant at;
};

}  // namespace meshota::core
