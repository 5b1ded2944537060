#pragma once
// Peer-to-peer dissemination in the style of Deluge (Hui and Culler 2004):
// pages strictly in order, so distant parts of the mesh work on different
// pages at once; each page is requested with a bitmap of its missing chunks
// from a neighbour that advertised it; the answer is broadcast on the radio so
// every neighbour needing that page listens; a request overheard for the same
// page suppresses one's own; advertisements are Trickle-timed, so a node that
// was off during the rollout hears a newer image when it returns.

#include "meshota/core/ota/ota_peer.hpp"

namespace meshota::core {

/// The peer-to-peer strategy (see file comment).
class P2pAgent final : public OtaPeer {
 public:
  P2pAgent(const OtaPeerConfig& config, ImageState& image, Rng& rng) : OtaPeer(config, image, rng) {}

 protected:
  void on_advertise(Instant now, const wire::Advertise& a, Outbox& out) override;
  void on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox& out) override;
  void on_request_heard(Instant now, const wire::PageRequest& r, Outbox& out) override;
  void on_piece_outcome(Instant now, const wire::ChunkPiece& p, ChunkOutcome outcome, Outbox& out) override;
  Instant poll_strategy(Instant now, Outbox& out) override;

 private:
  struct Server {
    NodeId id = 0;
    uint16_t pages = 0;     ///< pages_complete it last advertised
    uint8_t failures = 0;   ///< requests to it that brought nothing
    Instant heard_at = Instant::never();
  };
  static constexpr uint32_t kServers = 6;

  void remember(Instant now, NodeId id, uint16_t pages);
  const Server* pick(uint32_t page) const;
  void schedule_request(Instant now);
  /// A chunk or piece of `page` did `outcome`; `answer_end`: it was the last one asked for.
  void heard(Instant now, ChunkOutcome outcome, uint32_t page, bool answer_end);
  /// Asks `server` for what is missing of `page`: whole chunks, or pieces of the first missing ones.
  void ask(Instant now, Outbox& out, const Server& server, uint32_t page);
  /// What is still missing of `page`, counted as the current round asks: chunks, or pieces.
  uint32_t outstanding(uint32_t page) const;
  /// A round of whole chunks ended with `missing` of `page` left: if it brought some but less than
  /// piece_below, on the piece_lossy_pages-th page in a row to lose so, the rest of the page comes in pieces.
  void judge_round(uint32_t page, uint32_t missing);

  Server servers_[kServers];
  uint32_t page_ = UINT32_MAX;          ///< the page being fetched
  NodeId asked_ = 0;
  Instant request_at_ = Instant::never();
  Instant timeout_at_ = Instant::never();
  uint32_t missing_at_request_ = 0;
  uint32_t last_asked_ = 0;             ///< the highest chunk index of the request (in pieces: index * 8 + piece)
  uint32_t lossy_pages_ = 0;            ///< pages in a row before page_ with a lossy round
  bool page_lossy_ = false;             ///< page_ had a round that brought under piece_below of what it asked
  bool by_piece_ = false;               ///< page_ comes in pieces: its links lose most whole chunk frames
  NodeId manifest_from_ = 0;
  ImageId manifest_id_{};
  Instant manifest_retry_at_ = Instant::never();
};

}  // namespace meshota::core
