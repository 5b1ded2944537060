#pragma once
// The receiving side of painlessMesh's OTA (addReceivePackageCallback in
// ota.hpp), reproduced with its quirks: strictly in-order stop-and-wait,
// TaskScheduler request tasks (sent at once, then every 30 s, 10 sends, then
// abandon), `broadcasted` listeners without a retry timer, and the request a
// listener builds from a broadcast Data (whose `from` is the root's id).

#include <cstdint>

#include "meshota/core/component.hpp"
#include "meshota/core/pm/flash_updater.hpp"
#include "meshota/core/hal.hpp"
#include "meshota/core/pm/pm_ota_config.hpp"
#include "meshota/core/pm/pm_package.hpp"

namespace meshota::core {

/// Counters and milestones of one receiving node, for reports.
struct PmReceiverStats {
  uint32_t announces_accepted = 0;
  uint32_t requests_sent = 0;
  uint32_t request_retries = 0;  ///< sends after the first of the same request
  uint32_t abandons = 0;         ///< request tasks that ran out of attempts
  uint32_t parts_written = 0;
  uint32_t out_of_order = 0;     ///< Data for the right image but another part
  uint32_t unicast_fallbacks = 0;
  uint32_t md5_failures = 0;
  uint32_t write_failures = 0;
  uint32_t orphan_tasks = 0;     ///< request tasks replaced while still running
  Instant first_request_at = Instant::never();
  Instant first_data_at = Instant::never();
  Instant completed_at = Instant::never();
  int64_t part_wait_us = 0;       ///< sum over parts of (data accepted - first request for it)
  uint32_t parts_timed = 0;
  int64_t max_part_wait_us = 0;
};

/// painlessMesh's OTA receiver on top of the HAL; one per node.
class PmOtaReceiver final : public Component {
 public:
  static constexpr uint32_t kMaxTasks = 4;
  static constexpr const char* kStateKey = "/ota_fw.json";

  PmOtaReceiver(NodeId self, bool is_root, std::string_view hardware, std::string_view role,
                const PmOtaConfig& config, Hal& hal);

  void on_boot(Instant now) override;
  void on_package(Instant now, const JsonReader& json, int type, Outbox& out) override;
  Instant poll(Instant now, Outbox& out) override;

  const PmReceiverStats& stats() const { return stats_; }
  std::string_view installed_md5() const { return current_md5_.view(); }
  std::string_view updating_md5() const { return update_md5_.view(); }
  uint32_t part_no() const { return part_no_; }
  uint32_t no_part() const { return no_part_; }
  bool listening_without_timer() const;

 private:
  // One TaskScheduler task that re-sends a DataRequest.
  struct RequestTask {
    bool enabled = false;
    bool abandon_on_disable = false;
    uint32_t iterations_left = 0;
    Instant next_at = Instant::never();
    PmOtaPackage request;
  };

  void on_announce(Instant now, const PmOtaPackage& pkg, Outbox& out);
  void on_data(Instant now, const PmOtaPackage& pkg, Outbox& out);
  bool write_part(const PmOtaPackage& pkg);
  void persist_installed();
  void load_installed();
  // mesh.addTask(30 s, 10, send request) with an onDisable that abandons.
  void start_task(Instant now, const PmOtaPackage& request, Outbox& out);
  void run_task(RequestTask& t, Instant now, Outbox& out, bool first);
  void send_request(const PmOtaPackage& request, Outbox& out);
  static PmOtaPackage reply_to(const PmOtaPackage& data, uint32_t part_no);

  NodeId self_;
  bool is_root_;
  FixedString<16> hardware_;
  FixedString<32> role_;
  PmOtaConfig config_;
  Hal& hal_;
  FlashUpdater update_;

  FixedString<32> current_md5_;  // currentFW->md5
  FixedString<32> update_md5_;   // updateFW->md5
  bool update_broadcasted_ = false;
  bool update_compressed_ = false;  // only a flag upstream: no compression code exists
  uint32_t part_no_ = 0;         // updateFW->partNo: survives abandon, not reboot
  uint32_t no_part_ = 0;
  RequestTask tasks_[kMaxTasks];
  int current_task_ = -1;        // updateFW->task
  Instant part_requested_at_ = Instant::never();
  Instant reboot_at_ = Instant::never();
  PmReceiverStats stats_;
  uint8_t chunk_[kPmMaxChunkBytes];
};

}  // namespace meshota::core
