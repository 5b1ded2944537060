#pragma once
// The distributing side of painlessMesh's OTA: offerOTA() plus the
// DataRequest handler installed by initOTASend().

#include <cstdint>

#include "meshota/core/component.hpp"
#include "meshota/core/hal/image_source.hpp"
#include "meshota/core/pm/pm_ota_config.hpp"
#include "meshota/core/pm/pm_package.hpp"

namespace meshota::core {

/// What a distributing node offers: the Announce fields plus its chunk size.
struct PmOffer {
  FixedString<32> md5;
  FixedString<16> hardware;
  FixedString<32> role;
  uint32_t no_part = 0;
  uint32_t chunk_bytes = 1024;
  bool forced = false;
  bool broadcasted = false;
  bool compressed = false;
};

/// Counters of a distributing node, for reports.
struct PmSenderStats {
  uint32_t announces_sent = 0;
  uint32_t requests_answered = 0;
  uint32_t requests_unanswerable = 0;  ///< the image has no such chunk
  uint32_t data_broadcast = 0;         ///< answers sent with BROADCAST routing
};

/// Announces an image every announce_interval and answers each DataRequest with its chunk.
class PmOtaSender final : public Component {
 public:
  PmOtaSender(NodeId self, const PmOtaConfig& config, ImageSource& image);

  /// offerOTA(): the first Announce goes out now, then announce_count - 1 more.
  void offer(Instant now, const PmOffer& offer, Outbox& out);

  void on_boot(Instant now) override;
  void on_package(Instant now, const JsonReader& json, int type, Outbox& out) override;
  Instant poll(Instant now, Outbox& out) override;

  const PmSenderStats& stats() const { return stats_; }

 private:
  void send_announce(Outbox& out);

  NodeId self_;
  PmOtaConfig config_;
  ImageSource& image_;
  PmOffer offer_;
  bool offering_ = false;
  uint32_t announces_left_ = 0;
  Instant next_announce_ = Instant::never();
  PmSenderStats stats_;
  uint8_t chunk_[kPmMaxChunkBytes];
};

}  // namespace meshota::core
