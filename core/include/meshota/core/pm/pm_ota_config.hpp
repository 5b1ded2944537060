#pragma once
// painlessMesh's OTA timers and limits, as configuration whose defaults are the
// values in its source (ota.hpp, mesh.hpp).

#include <cstdint>

#include "meshota/core/time.hpp"

namespace meshota::core {

/// Largest chunk the core can carry in one Data package, in bytes (fixed buffers).
constexpr uint32_t kPmMaxChunkBytes = 8192;

/// Timers and limits of painlessMesh's OTA; defaults are upstream's values.
struct PmOtaConfig {
  Duration announce_interval = Duration::seconds(60);  ///< offerOTA: TASK_SECOND * 60
  uint32_t announce_count = 60;                        ///< offerOTA: 60 iterations
  Duration request_interval = Duration::seconds(30);   ///< request task: 30 * TASK_SECOND
  uint32_t request_attempts = 10;                      ///< request task: 10 iterations
  Duration reboot_delay = Duration::seconds(2);        ///< ESP.restart() 2 s after success
};

}  // namespace meshota::core
