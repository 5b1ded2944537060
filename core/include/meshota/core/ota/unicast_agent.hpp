#pragma once
// Windowed unicast: each node fetches the image from one upstream node (the
// source over painlessMesh's tree, hop by hop; its parent in a routing tree
// on the radio, with the MAC's acknowledgements), keeping several pages
// requested at once instead of painlessMesh's one chunk per round trip, and
// asking again only for the chunks still missing (selective repair). Answers
// go to the asker alone.

#include "meshota/core/ota/ota_peer.hpp"

namespace meshota::core {

/// The unicast strategy (see file comment).
class UnicastAgent final : public OtaPeer {
 public:
  /// `upstream` serves this node; `multi_hop`: it may be several tree hops away (SINGLE routing).
  UnicastAgent(const OtaPeerConfig& config, NodeId upstream, bool multi_hop, uint32_t window_pages,
               ImageState& image, Rng& rng)
      : OtaPeer(config, image, rng),
        upstream_(upstream),
        multi_hop_(multi_hop),
        window_(window_pages),
        rtt_(retry_timer()) {}

 protected:
  void on_advertise(Instant now, const wire::Advertise& a, Outbox& out) override;
  void on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox& out) override;
  Instant poll_strategy(Instant now, Outbox& out) override;
  NodeId answer_dest(NodeId requester) const override { return requester; }
  Routing answer_routing() const override { return multi_hop_ ? Routing::kSingle : Routing::kNeighbour; }
  Routing advert_routing() const override {
    return multi_hop_ && image_.is_source() ? Routing::kBroadcast : Routing::kNeighbour;
  }
  Routing manifest_routing(NodeId) const override { return routing(); }
  bool adverts_track_pages() const override { return !multi_hop_; }  // a radio parent's pages matter

 private:
  static constexpr uint32_t kMaxWindow = 16;
  struct Ask {
    uint32_t page = UINT32_MAX;
    Instant timeout_at = Instant::never();
    uint32_t tries = 0;  ///< asks since the page last made progress (they back off)
    Instant asked_at = Instant::never();  ///< the first ask, timed if it was the only one (Karn)
  };

  Routing routing() const { return multi_hop_ ? Routing::kSingle : Routing::kNeighbour; }
  /// Pages the upstream can serve (all of them when it is the source).
  uint32_t upstream_pages() const { return multi_hop_ ? UINT32_MAX : upstream_pages_; }

  NodeId upstream_;
  bool multi_hop_;
  uint32_t window_;
  uint32_t upstream_pages_ = 0;
  ImageId upstream_id_{};
  Instant manifest_at_ = Instant::never();
  Ask asks_[kMaxWindow];
  RttEstimator rtt_;  ///< ask to first chunk, over the asks answered without a repeat
};

}  // namespace meshota::core
