#include "meshota/core/telemetry/status_service.hpp"

namespace meshota::core {

bool status_matches(const NodeStatus& s, const StatusFilter& f) {
  if (s.id == 0) return false;
  if (f.node != 0 && s.id != f.node) return false;
  if (f.online_only && (s.alert_mask & (1u << static_cast<uint8_t>(AlertMetric::kOffline))) != 0) return false;
  if (f.any_alert_mask != 0 && (s.alert_mask & f.any_alert_mask) == 0) return false;
  const bool needs_data = f.match_state || f.min_free_heap_bytes > 0 || f.max_free_heap_bytes < UINT32_MAX ||
                          !f.fw_version.empty();
  if (!needs_data) return true;
  if (!s.has_metrics) return false;
  if (f.match_state && s.metrics.update_state != f.state) return false;
  if (s.metrics.free_heap_bytes < f.min_free_heap_bytes || s.metrics.free_heap_bytes > f.max_free_heap_bytes)
    return false;
  return f.fw_version.empty() || s.metrics.fw_version == f.fw_version;
}

StatusService::StatusService(const StatusServiceConfig& config, std::span<NodeStatus> storage)
    : config_(config), table_(storage) {}

NodeStatus* StatusService::update(Instant now, NodeId id, const NodeMetrics& m, uint16_t report_interval_s) {
  NodeStatus* s = table_.insert(id);
  if (s == nullptr) return nullptr;
  s->metrics = m;
  s->has_metrics = true;
  s->updated_at = now;
  s->last_heard = now;
  if (report_interval_s != 0) s->report_interval_s = report_interval_s;
  return s;
}

void StatusService::heard(Instant now, NodeId id) {
  if (NodeStatus* s = table_.insert(id)) s->last_heard = now;
}

void StatusService::set_alert(NodeId id, AlertMetric metric, bool raised) {
  NodeStatus* s = table_.insert(id);
  if (s == nullptr) return;
  const auto bit = static_cast<uint16_t>(1u << static_cast<uint8_t>(metric));
  s->alert_mask = static_cast<uint16_t>(raised ? s->alert_mask | bit : s->alert_mask & ~bit);
}

uint32_t StatusService::count(const StatusFilter& f) const {
  uint32_t n = 0;
  for (const NodeStatus& s : table_.slots()) n += status_matches(s, f) ? 1u : 0u;
  return n;
}

bool StatusService::from_cache(Instant now, const StatusQuery& q, StatusPage& page) const {
  for (const CachedPage& c : cache_) {
    if (!c.used || !(c.query == q) || now - c.computed_at >= config_.cache_ttl || now < c.computed_at) continue;
    page.count = 0;
    for (uint16_t i = 0; i < c.count; ++i)
      if (const NodeStatus* s = table_.find(c.ids[i])) page.entries[page.count++] = s;
    page.total_matching = c.total;
    page.next_cursor = c.next_cursor;
    page.from_cache = true;
    page.computed_at = c.computed_at;
    return true;
  }
  return false;
}

void StatusService::store(const StatusQuery& q, const StatusPage& page) {
  CachedPage& c = cache_[cache_next_];
  cache_next_ = (cache_next_ + 1) % kCacheEntries;
  c.query = q;
  c.count = page.count;
  for (uint16_t i = 0; i < page.count; ++i) c.ids[i] = page.entries[i]->id;
  c.total = page.total_matching;
  c.next_cursor = page.next_cursor;
  c.computed_at = page.computed_at;
  c.used = true;
}

StatusPage StatusService::query(Instant now, const StatusQuery& q, bool use_cache) {
  StatusPage page;
  if (use_cache && from_cache(now, q, page)) return page;
  page.computed_at = now;
  const size_t size = q.page_size == 0 ? 1 : (q.page_size > StatusPage::kMaxEntries ? StatusPage::kMaxEntries : q.page_size);
  const auto slots = table_.slots();
  // The cursor is a slot index: slots never move, so pages stay consistent while nodes join.
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!status_matches(slots[i], q.filter)) continue;
    ++page.total_matching;
    if (i < q.cursor) continue;
    if (page.count < size) {
      page.entries[page.count++] = &slots[i];
    } else if (page.next_cursor == kCursorEnd) {
      page.next_cursor = static_cast<uint32_t>(i);
    }
  }
  if (use_cache) store(q, page);
  return page;
}

uint32_t StatusService::begin_aggregation(Instant now, const StatusFilter& targets) {
  if (agg_.running) return 0;
  const uint32_t id = next_id_;
  uint32_t n = 0;
  for (NodeStatus& s : table_.slots()) {
    s.asked = false;
    s.pending_request = status_matches(s, targets) ? id : 0;
    n += s.pending_request == id ? 1u : 0u;
  }
  if (n == 0) return 0;
  next_id_ = next_id_ == UINT32_MAX ? 1 : next_id_ + 1;
  agg_ = AggregationStatus{};
  agg_.id = id;
  agg_.running = true;
  agg_.targets = n;
  agg_.started_at = now;
  agg_.deadline = now + config_.aggregation_timeout;
  send_cursor_ = 0;
  return id;
}

bool StatusService::next_request(NodeId& node, uint32_t& request_id) {
  if (!agg_.running) return false;
  const auto slots = table_.slots();
  for (; send_cursor_ < slots.size(); ++send_cursor_) {
    NodeStatus& s = slots[send_cursor_];
    if (s.pending_request != agg_.id || s.asked) continue;
    s.asked = true;
    ++agg_.sent;
    node = s.id;
    request_id = agg_.id;
    ++send_cursor_;
    return true;
  }
  return false;
}

bool StatusService::on_response(Instant now, NodeId from, uint32_t request_id, const NodeMetrics& m) {
  NodeStatus* s = update(now, from, m, 0);
  if (s == nullptr || !agg_.running || request_id != agg_.id || s->pending_request != agg_.id) return false;
  s->pending_request = 0;
  ++agg_.answered;
  if (agg_.answered == agg_.targets) finish(now);
  return true;
}

void StatusService::finish(Instant now) {
  agg_.running = false;
  agg_.partial = agg_.answered < agg_.targets;
  agg_.finished_at = now;
}

bool StatusService::poll(Instant now) {
  if (!agg_.running || now < agg_.deadline) return false;
  finish(now);
  return true;
}

size_t StatusService::silent_nodes(uint32_t& cursor, std::span<NodeId> out) const {
  size_t n = 0;
  const auto slots = table_.slots();
  if (agg_.id == 0 || agg_.running) {
    cursor = kCursorEnd;
    return 0;
  }
  size_t i = cursor;
  for (; i < slots.size() && n < out.size(); ++i)
    if (slots[i].pending_request == agg_.id) out[n++] = slots[i].id;
  // Move the cursor past slots that hold no more silent nodes, so "end" is exact.
  while (i < slots.size() && slots[i].pending_request != agg_.id) ++i;
  cursor = i >= slots.size() ? kCursorEnd : static_cast<uint32_t>(i);
  return n;
}

}  // namespace meshota::core
