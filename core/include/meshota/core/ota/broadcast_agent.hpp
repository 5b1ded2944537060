#pragma once
// Broadcast OTA with repair (seed option 1A). The source floods the manifest,
// then pushes every page once, paced; painlessMesh's tree floods each message
// over every link, and on the radio each node relays a page once it has
// verified it (so a poisoned page is never relayed), unless it has already
// heard enough neighbours relay it (counter-based suppression). A node that
// the push left behind sends a repair NACK with the bitmap of what it misses
// to a node holding the page (the source on the tree, a neighbour on the
// radio); the holder answers the union of the NACKs it got. On the tree a NACK goes to the
// next hop towards the source first (it is upstream of the flood, so it usually holds the page
// and the repair crosses one link), and to the source after `upstream_tries` unanswered ones. Nothing waits for
// a chunk that is not coming: NACKs repeat until the page is complete.

#include "meshota/core/ota/ota_peer.hpp"

namespace meshota::core {

/// Broadcast's own settings.
struct BroadcastConfig {
  Duration chunk_gap = Duration::millis(40);     ///< the source's pace, per chunk
  Duration relay_jitter = Duration::millis(20);  ///< random wait before relaying a verified page
  uint32_t relay_copies = 2;  ///< do not relay a page already heard this many times from neighbours
  uint32_t lag_pages = 2;     ///< NACK a page once the push is this many pages past it
  Duration idle_nack = Duration::millis(1500);  ///< after this silence, NACK whatever is missing
  uint32_t upstream_tries = 4;  ///< on the tree: NACKs to the next hop before asking the source
};

/// The broadcast strategy (see file comment).
class BroadcastAgent final : public OtaPeer {
 public:
  /// `upstream`: the next hop towards `source` on the tree (0: none known).
  BroadcastAgent(const OtaPeerConfig& config, const BroadcastConfig& bc, NodeId source, NodeId upstream,
                 ImageState& image, Rng& rng)
      : OtaPeer(config, image, rng), bc_(bc), source_(source), upstream_(upstream), nack_timer_(retry_timer()) {}

 protected:
  void on_advertise(Instant now, const wire::Advertise& a, Outbox& out) override;
  void on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox& out) override;
  Instant poll_strategy(Instant now, Outbox& out) override;
  NodeId answer_dest(NodeId requester) const override;
  Routing answer_routing() const override;
  Routing advert_routing() const override {
    return !on_radio() && image_.is_source() ? Routing::kBroadcast : Routing::kNeighbour;
  }
  bool adverts_track_pages() const override { return on_radio(); }  // holders to NACK, on the radio
  Routing manifest_routing(NodeId sender) const override {
    return !on_radio() && sender == source_ ? Routing::kSingle : Routing::kNeighbour;
  }

 private:
  Instant push(Instant now, Outbox& out);
  Instant relay(Instant now);
  Instant repair(Instant now, Outbox& out);

  BroadcastConfig bc_;
  NodeId source_;
  NodeId upstream_;
  // Source: the next page and chunk to push, and when.
  bool pushing_ = false;
  uint32_t push_page_ = 0, push_chunk_ = 0;
  Instant push_at_ = Instant::never();
  // Receiver: how far the push has come, who holds what, relays and NACKs pending.
  uint32_t highest_seen_ = 0;
  Instant last_chunk_at_ = Instant::never();
  NodeId holder_ = 0;       ///< a neighbour heard holding pages (the last chunk's sender)
  ImageId seen_id_{};       ///< the image the chunks heard belong to (to ask for a missed manifest)
  bool seen_image_ = false;
  uint32_t relay_page_ = UINT32_MAX;
  uint32_t relay_heard_ = 0;
  Instant relay_at_ = Instant::never();
  Instant nack_at_ = Instant::never();
  uint32_t nack_page_ = UINT32_MAX;
  uint32_t nack_tries_ = 0;  ///< NACKs for nack_page_ since it last made progress (they back off)
  RttEstimator nack_timer_;  ///< tree NACKs: request_timeout doubled per unanswered one (never sampled)
};

}  // namespace meshota::core
