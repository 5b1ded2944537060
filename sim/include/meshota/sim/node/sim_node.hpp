#pragma once
// A simulated mesh node: the persistent parts (flash, boot control, state,
// RNG) plus the core node that a reboot throws away and builds again.

#include <memory>

#include "meshota/core/boot/health_check.hpp"
#include "meshota/core/node.hpp"
#include "meshota/sim/node/cpu_meter.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/node/image_chunks.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/node/sim_hal.hpp"
#include "meshota/sim/ota/meshota_stack.hpp"

namespace meshota::sim {

/// One node of the run: HAL state that survives reboots, and the core.
struct SimNode {
  /// `inflate_memo`, `sha_memo`: the run's shared records of inflate and SHA-256 streams
  /// (null: every node runs zlib and OpenSSL itself).
  SimNode(PagePool& pool, const NodeSpec& spec, uint64_t rng_seed, InflateMemo* inflate_memo = nullptr,
          ShaMemo* sha_memo = nullptr)
      : flash(pool, spec),
        stage(pool, spec, 1, spec.stage_size_bytes),
        otadata(pool, spec, 2, pool.page_size_bytes()),
        rng(rng_seed),
        hal{flash, boot, state, rng, md5},
        sha(cpu, spec.sha_us_per_kb, sha_memo),
        inflater(cpu, spec.inflate_us_per_kb, inflate_memo) {}

  EmulatedFlash flash;
  EmulatedFlash stage;  ///< meshota's staging area
  EmulatedFlash otadata;  ///< meshota's boot record, two copies (one flash page each)
  SimBootControl boot;
  SimStateStore state;
  SimRng rng;
  OpenSslMd5 md5;
  core::Hal hal;
  CpuMeter cpu;           ///< hashing and inflating, charged like flash time
  MeteredSha256 sha;
  MeteredInflater inflater;
  core::NodeConfig config;
  std::unique_ptr<ImageChunks> source;  ///< the distributing node's image
  std::unique_ptr<MeshotaStack> meshota;  ///< meshota's OTA, rebuilt at every boot (declared before core: outlives it)
  std::unique_ptr<core::HealthCheck> health;  ///< the trial image's health check (meshota), rebuilt at every boot
  std::unique_ptr<core::Node> core;     ///< null while the node is down
  bool up = true;
  SimTime poll_at_ns = -1;
  SimTime cpu_free_ns = 0;
  uint32_t generation = 0;  ///< bumped at every shutdown so stale boots are ignored
  uint32_t bad_generation = 0;  ///< the boot a bad image's scheduled misdeed belongs to
  /// The application's own check of the running image: false while a bad image that fails it runs.
  struct ImageHealth final : core::AppHealth {
    bool bad = false;
    bool healthy(core::Instant) override { return !bad; }
  } app_health;
};

}  // namespace meshota::sim
