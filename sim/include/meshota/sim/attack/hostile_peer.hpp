#pragma once
// A hostile node (docs/security.md): it speaks meshota's OTA messages but
// follows no rule of the protocol. The simulator installs it on a node instead
// of the meshota stack. It lives in the simulator, never in the shipped core.

#include <cstdint>

#include "meshota/core/component.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/core/transport.hpp"
#include "meshota/sim/attack/attack_material.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// How one hostile node behaves.
struct HostileConfig {
  AttackKind kind = AttackKind::kPoisonPages;
  core::NodeId self = 0;
  core::Transport transport = core::Transport::kEspNow;
  uint32_t frame_bytes = 1470;
  core::Instant start = core::Instant{0};                   ///< when it starts (the offer)
  core::Duration advert_period = core::Duration::millis(500);  ///< its adverts ignore Trickle
  double rate_per_s = 50.0;  ///< request-flood: requests; poison-pages: chunks pushed unasked
};

/// What one hostile node did, for reports.
struct HostileStats {
  uint32_t adverts_sent = 0;
  uint32_t manifest_pieces_sent = 0;
  uint32_t requests_heard = 0;    ///< page requests it was asked (and did not honestly answer)
  uint32_t requests_sent = 0;     ///< request-flood
  uint32_t poisoned_chunks_sent = 0;
  uint64_t poisoned_bytes_sent = 0;  ///< encoded frame bytes of poisoned chunks
};

/// One hostile node (see file comment).
class HostilePeer final : public core::Component {
 public:
  HostilePeer(const HostileConfig& config, const AttackMaterial& material, core::Rng& rng);

  void on_boot(core::Instant now) override;
  void on_message(core::Instant now, core::NodeId from, std::span<const uint8_t> message, core::Outbox& out) override;
  core::Instant poll(core::Instant now, core::Outbox& out) override;
  const HostileStats& stats() const { return stats_; }

 private:
  /// The manifest it advertises and serves (null: lying-adverts serves none, request-flood advertises none).
  const HostileManifest* manifest() const;
  void advertise(core::Outbox& out);
  void send_manifest(uint32_t offset, core::Outbox& out);
  void send_poisoned(uint32_t page, uint32_t index, core::Outbox& out);
  void push_or_flood(core::Outbox& out);
  void send(core::Outbox& out, std::span<const uint8_t> frame);

  HostileConfig config_;
  const AttackMaterial& material_;
  core::Rng& rng_;
  HostileStats stats_;
  HostileManifest genuine_;
  core::Instant advert_at_ = core::Instant::never();
  core::Instant action_at_ = core::Instant::never();
  uint32_t cursor_ = 0;  ///< the next (page, chunk) it pushes or asks for
  uint8_t frame_[core::kMaxMessageBytes];
};

}  // namespace meshota::sim
