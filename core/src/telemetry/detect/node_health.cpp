#include "meshota/core/telemetry/detect/node_health.hpp"

#include "meshota/core/telemetry/detect/approx_sqrt.hpp"

namespace meshota::core {
namespace {

struct Events {
  HealthEvent (&out)[kMaxHealthEvents];
  size_t n = 0;
  void add(AlertMetric metric, AlarmEdge edge, float value, float threshold) {
    if (edge == AlarmEdge::kNone || n == kMaxHealthEvents) return;
    out[n++] = HealthEvent{metric, edge == AlarmEdge::kRaise, value, threshold};
  }
};

// The boundary an EWMA point crossed: mean -/+ z * sigma on the side that is watched.
float ewma_bound(const EwmaResult& r, const EwmaConfig& c) {
  const float width = c.z_threshold * approx_sqrt(r.sigma_sq);
  return c.direction == Direction::kHigh ? r.mean + width : r.mean - width;
}

void ewma(Events& ev, AlertMetric metric, EwmaDetector& d, float x, const EwmaConfig& c) {
  const EwmaResult r = d.update(x, c);
  ev.add(metric, r.edge, x, ewma_bound(r, c));
}

}  // namespace

size_t run_health(HealthSlot& h, Instant now, const NodeMetrics& m, uint16_t report_interval_s,
                  const DetectorConfig& c, HealthEvent (&events)[kMaxHealthEvents]) {
  Events ev{events};
  const bool rebooted = h.has_last && m.boot_count != h.last_boot_count;
  if (rebooted) {
    // A new boot: the heap trend and the drop counter start over; levels keep their history.
    h.heap_leak.reset();
    h.has_last = false;
  }
  // Node time between reports: the uptime step when it is plausible, else the announced interval.
  float dt_s = report_interval_s > 0 ? static_cast<float>(report_interval_s) : 30.0f;
  if (h.has_last && m.uptime_s > h.last_uptime_s) dt_s = static_cast<float>(m.uptime_s - h.last_uptime_s);

  ewma(ev, AlertMetric::kLowHeap, h.low_heap, static_cast<float>(m.free_heap_bytes), c.low_heap);
  const HoltResult leak = h.heap_leak.update(static_cast<float>(m.free_heap_bytes), dt_s, c.heap_leak);
  ev.add(AlertMetric::kHeapLeak, leak.edge, leak.time_to_threshold_s, c.heap_leak.horizon_s);
  const NeighbourLink* parent = m.parent_link();
  if (parent != nullptr && parent->rssi_dbm != kRssiUnmeasured)
    ewma(ev, AlertMetric::kParentRssi, h.parent_rssi, parent->rssi_dbm, c.parent_rssi);
  if (parent != nullptr && parent->loss_pct != kLossUnmeasured)
    ewma(ev, AlertMetric::kParentLoss, h.parent_loss, parent->loss_pct, c.parent_loss);
  if (h.has_last && m.msgs_dropped >= h.last_dropped)
    ewma(ev, AlertMetric::kDropRate, h.drop_rate, static_cast<float>(m.msgs_dropped - h.last_dropped), c.drop_rate);
  ewma(ev, AlertMetric::kQueueDepth, h.queue_depth, m.queue_depth, c.queue_depth);

  const BootLoopResult boot = h.boot_loop.observe(now, m.boot_count, m.uptime_s, c.boot_loop);
  const bool esphome = c.boot_loop.rule == BootLoopRule::kEsphome;
  ev.add(AlertMetric::kBootLoop, boot.edge, static_cast<float>(esphome ? boot.bad_boots : boot.resets_in_window),
         static_cast<float>(esphome ? c.boot_loop.esphome_boots : c.boot_loop.espurna_resets));

  const bool failed = m.update_state == UpdateState::kFailed || m.update_state == UpdateState::kReverted;
  if (failed != h.update_failed)
    ev.add(AlertMetric::kUpdateFailed, failed ? AlarmEdge::kRaise : AlarmEdge::kClear,
           static_cast<float>(m.update_state), static_cast<float>(UpdateState::kFailed));
  h.update_failed = failed;

  h.last_dropped = m.msgs_dropped;
  h.last_uptime_s = m.uptime_s;
  h.last_boot_count = m.boot_count;
  h.has_last = true;
  return ev.n;
}

}  // namespace meshota::core
