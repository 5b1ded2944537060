#pragma once
// Seed option 2B at the root: the latest status of every node in caller
// storage, queries with filters and pagination, a TTL cache of answers, and
// aggregation with a timeout: a query that wants fresh data asks each target
// node (the collector sends the STATUS_REQUESTs this service hands out) and
// finishes when all answered or at the timeout, as a PARTIAL result that
// names the nodes that did not answer (claim C26).

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/detect/alert.hpp"
#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/node_table.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// The root's latest knowledge of one node (one slot of the service's table).
struct NodeStatus {
  NodeId id = 0;
  NodeMetrics metrics;
  Instant updated_at = Instant{INT64_MIN};  ///< when `metrics` last changed (report or response)
  Instant last_heard = Instant{INT64_MIN};  ///< last frame of any kind
  uint16_t report_interval_s = 0;
  uint16_t alert_mask = 0;       ///< bit (1 << AlertMetric) per alert raised now
  uint32_t pending_request = 0;  ///< aggregation this node has not answered (0: none)
  bool has_metrics = false;
  bool asked = false;            ///< the pending request was handed out to be sent
};

/// Which nodes a query selects; default-constructed selects every node.
struct StatusFilter {
  NodeId node = 0;             ///< non-zero: this node only
  bool online_only = false;    ///< skip nodes with the offline alert raised
  bool match_state = false;    ///< only nodes whose update state is `state`
  UpdateState state = UpdateState::kIdle;
  uint32_t min_free_heap_bytes = 0;  ///< > 0: only nodes with data and at least this free heap
  uint32_t max_free_heap_bytes = UINT32_MAX;
  FixedString<kFwVersionMaxBytes> fw_version;  ///< non-empty: only this firmware version
  uint16_t any_alert_mask = 0;  ///< non-zero: only nodes with one of these alerts raised

  bool operator==(const StatusFilter&) const = default;
};

/// Whether `s` passes `f`.
bool status_matches(const NodeStatus& s, const StatusFilter& f);

inline constexpr uint32_t kCursorEnd = UINT32_MAX;

/// One page of a query: a filter, a page size and where the previous page stopped.
struct StatusQuery {
  StatusFilter filter;
  uint16_t page_size = 50;  ///< at most StatusPage::kMaxEntries
  uint32_t cursor = 0;      ///< 0 for the first page, then the previous page's next_cursor

  bool operator==(const StatusQuery&) const = default;
};

/// A query's answer: the page's nodes (slots stay valid), how many match in all, where to go on.
struct StatusPage {
  static constexpr size_t kMaxEntries = 64;
  const NodeStatus* entries[kMaxEntries] = {};
  uint16_t count = 0;
  uint32_t total_matching = 0;
  uint32_t next_cursor = kCursorEnd;  ///< kCursorEnd: this was the last page
  bool from_cache = false;
  Instant computed_at;
};

/// Where the current (or last) aggregation stands.
struct AggregationStatus {
  uint32_t id = 0;
  bool running = false;
  bool partial = false;    ///< finished at the timeout with nodes silent
  uint32_t targets = 0;
  uint32_t sent = 0;       ///< requests handed out
  uint32_t answered = 0;
  Instant started_at;
  Instant deadline = Instant::never();
  Instant finished_at = Instant::never();
};

/// Status service parameters (the seeds: cacheTTL 60 s, response timeout 5-10 s).
struct StatusServiceConfig {
  Duration cache_ttl = Duration::seconds(60);
  Duration aggregation_timeout = Duration::seconds(10);
};

/// 2B data structures at the root.
class StatusService {
 public:
  static constexpr size_t kCacheEntries = 4;

  StatusService(const StatusServiceConfig& config, std::span<NodeStatus> storage);

  /// A node known by other means (painlessMesh's node list, a fleet file); nullptr when full.
  NodeStatus* add_node(NodeId id) { return table_.insert(id); }
  /// Fresh metrics from a report or a response.
  NodeStatus* update(Instant now, NodeId id, const NodeMetrics& m, uint16_t report_interval_s);
  /// Any frame from the node.
  void heard(Instant now, NodeId id);
  void set_alert(NodeId id, AlertMetric metric, bool raised);
  const NodeStatus* find(NodeId id) const { return table_.find(id); }
  const NodeTable<NodeStatus>& table() const { return table_; }

  /// One page of matching nodes in table order; served from the cache when an identical query
  /// was answered less than cache_ttl ago (the page's selection is cached, values are live).
  StatusPage query(Instant now, const StatusQuery& q, bool use_cache = true);
  uint32_t count(const StatusFilter& f) const;

  /// Starts asking every known node that matches `targets`; returns the aggregation id, 0 when one
  /// is running or nothing matches.
  uint32_t begin_aggregation(Instant now, const StatusFilter& targets);
  /// The next node to send a STATUS_REQUEST to (false when all were handed out).
  bool next_request(NodeId& node, uint32_t& request_id);
  /// A STATUS_RESPONSE: updates the node; true when it answered the running aggregation.
  bool on_response(Instant now, NodeId from, uint32_t request_id, const NodeMetrics& m);
  /// Finishes the aggregation at its deadline; true when it finished in this call.
  bool poll(Instant now);
  Instant deadline() const { return agg_.running ? agg_.deadline : Instant::never(); }
  const AggregationStatus& aggregation() const { return agg_; }
  /// After an aggregation: up to out.size() nodes that did not answer, from `cursor` (0 first);
  /// `cursor` moves on, kCursorEnd when done. Returns how many were written.
  size_t silent_nodes(uint32_t& cursor, std::span<NodeId> out) const;

 private:
  struct CachedPage {
    StatusQuery query;
    NodeId ids[StatusPage::kMaxEntries] = {};
    uint16_t count = 0;
    uint32_t total = 0;
    uint32_t next_cursor = kCursorEnd;
    Instant computed_at;
    bool used = false;
  };
  bool from_cache(Instant now, const StatusQuery& q, StatusPage& page) const;
  void store(const StatusQuery& q, const StatusPage& page);
  void finish(Instant now);

  StatusServiceConfig config_;
  NodeTable<NodeStatus> table_;
  AggregationStatus agg_;
  uint32_t next_id_ = 1;
  size_t send_cursor_ = 0;
  CachedPage cache_[kCacheEntries];
  size_t cache_next_ = 0;
};

}  // namespace meshota::core
