#pragma once
// What every meshota OTA strategy shares, as a base component: Trickle-timed
// advertisements of the image a node holds (RFC 6206), fetching and serving
// the manifest, serving the chunks neighbours ask for (gathered for a moment so
// that one answer serves every asker), feeding received chunks to the image
// state, and installing the image once it is written (when the rollout allows).
// Strategies derive from it and decide whom to fetch from and when, and whether
// to push: peer-to-peer (P2pAgent), broadcast with repair (BroadcastAgent),
// windowed unicast (UnicastAgent).

#include <cstdint>

#include "meshota/core/component.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/ota/image_state.hpp"
#include "meshota/core/ota/trickle.hpp"
#include "meshota/core/rtt_estimator.hpp"
#include "meshota/core/transport.hpp"

namespace meshota::core {

/// Timers and limits every strategy shares; defaults are documented in docs/ota-protocol.md.
struct OtaPeerConfig {
  NodeId self = 0;
  Transport transport = Transport::kEspNow;
  uint32_t installed_version = 0;  ///< the running image's version: only newer images are fetched
  TrickleConfig trickle{Duration::millis(50), Duration::seconds(60), 1};
  Duration request_jitter = Duration::millis(10);   ///< random delay before a request: overheard ones suppress it
  Duration request_timeout = Duration::millis(400); ///< no answer to a request for this long: ask again
  Duration data_timeout = Duration::millis(100);    ///< an answer's chunks stopped for this long: ask again
  /// p2p: no chunk of the answer this long after a page request: ask again (another holder if this
  /// one stays silent). An answer is one hop away; at 400 ms a node on lossy links lost 400 ms per
  /// lost request or answer, page after page (F500-rgg: 138 -> 111 s over seeds 1-5).
  Duration answer_timeout = Duration::millis(150);
  Duration serve_delay = Duration::millis(4);       ///< gather requests for a page before answering once
  Duration serve_jitter = Duration::millis(8);      ///< random extra wait before a broadcast answer starts
  Duration serve_gap = Duration::millis(13);        ///< pace of a broadcast answer, per chunk (0: all at once);
                                                    ///< about one full frame's airtime, so a chunk a
                                                    ///< neighbour sends meanwhile is not sent twice
  /// Pace of an answer in pieces (wire::ChunkPiece), per piece: about one ESP-NOW v1 frame's airtime.
  Duration piece_gap = Duration::micros(2600);
  /// p2p on the radio: a round of full chunks that brought some but less than this share (in 1/256) of
  /// the chunks asked, after piece_lossy_pages pages in a row that each had such a round, makes the rest
  /// of the page come in pieces; 0: never ask for pieces. A short frame gets through a link at the edge
  /// of range that loses most full chunk frames (docs/ota-protocol.md).
  uint32_t piece_below_256 = 128;
  uint32_t piece_lossy_pages = 2;
  uint32_t frame_bytes = 1470;                      ///< largest frame (ESP-NOW v2 payload)
  Duration reboot_delay = Duration::seconds(2);     ///< from a written image, and the last chunk or request
                                                    ///< this node heard or served, to the restart: a node
                                                    ///< does not cut off neighbours it is relaying to
  /// Page requests (and NACKs) served per requester per second, bursts of twice that; 0: no limit.
  /// Bounds what one flooding neighbour costs the channel (docs/security.md).
  uint32_t serve_limit_per_s = 0;
  /// Longest wait, after the image is written, for the neighbourhood to go quiet before installing;
  /// zero: no limit. Without it a neighbour that never stops asking keeps a node from installing.
  Duration install_wait_max = Duration{0};
  /// A managed rollout: install only once a grant for the image names this node (its rollout_rank is
  /// below the grant's). Relaying never needs a grant. Off: install as soon as the image is written.
  bool require_grant = false;
};

/// A rollout's decision as it travels in advertisements (see wire::Advertise).
struct RolloutGrant {
  ImageId image_id{};
  uint16_t seq = 0;         ///< 0: none heard
  uint16_t rank_limit = 0;  ///< nodes of a lower rollout_rank may install
  bool roll_back = false;   ///< aborted: nodes running the image go back to the previous one
};

/// Counters every strategy keeps, for reports.
struct OtaPeerStats {
  uint32_t adverts_sent = 0;
  uint32_t adverts_heard = 0;
  uint32_t requests_sent = 0;        ///< PageRequests and RepairNacks
  uint32_t requests_suppressed = 0;  ///< held back because a neighbour asked for the same page
  uint32_t requests_served = 0;
  uint32_t chunks_sent = 0;
  uint32_t chunks_suppressed = 0;    ///< left out of an answer because a neighbour was heard sending them
  uint32_t piece_requests_sent = 0;  ///< PieceRequests (also counted in requests_sent)
  uint32_t pieces_sent = 0;
  uint32_t manifest_requests_sent = 0;
  uint32_t manifest_pieces_sent = 0;
  uint32_t bad_messages = 0;         ///< frames that failed to decode (corrupt, foreign)
  uint32_t forged_manifests = 0;     ///< manifests dropped for a bad header, signature or table
  uint32_t replayed_manifests = 0;   ///< genuine manifests dropped for a security_counter below the device's
  uint32_t distrusted_adverts = 0;   ///< adverts ignored: their sender served a manifest this node dropped
  uint32_t poisoned_chunks = 0;      ///< chunks of held pages that differ from this node's verified copy
  uint32_t distrusted_chunks = 0;    ///< chunks dropped unchecked: their sender had served poison
  uint32_t requests_limited = 0;     ///< page requests left unserved: their requester was over serve_limit_per_s
  uint32_t installs_refused = 0;     ///< written images the boot control would not stage (anti-rollback)
  uint32_t rolled_back = 0;          ///< times the rollout's abort made this node leave the image
  Instant manifest_at = Instant::never();
  Instant first_chunk_at = Instant::never();
  Instant written_at = Instant::never();  ///< image written and verified in the inactive slot
  Instant page_done_at = Instant::never();  ///< the last page this node completed and verified
};

/// The shared part of every strategy (see file comment).
class OtaPeer : public Component {
 public:
  OtaPeer(const OtaPeerConfig& config, ImageState& image, Rng& rng);

  void on_boot(Instant now) override;
  void on_message(Instant now, NodeId from, std::span<const uint8_t> message, Outbox& out) override;
  Instant poll(Instant now, Outbox& out) override;

  /// The distributing node: serve `manifest` and its units from `source`, and start advertising.
  bool offer(Instant now, std::span<const uint8_t> manifest, UnitSource& source, Outbox& out);
  /// The distributing node: a new rollout decision for the offered image, spread with the adverts.
  void set_grant(Instant now, uint16_t rank_limit, bool roll_back);
  const RolloutGrant& grant() const { return grant_; }
  /// Whether the rollout lets this node install the image it holds.
  bool granted() const;
  const OtaPeerStats& stats() const { return stats_; }
  const ImageState& image() const { return image_; }
  const Trickle& trickle() const { return trickle_; }

 protected:
  ~OtaPeer() = default;

  /// Strategy hooks. Each may send through `out`; poll hooks return their next deadline.
  virtual void on_advertise(Instant now, const wire::Advertise& a, Outbox& out);
  virtual void on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox& out);
  virtual void on_request_heard(Instant now, const wire::PageRequest& r, Outbox& out);
  virtual void on_piece_outcome(Instant now, const wire::ChunkPiece& p, ChunkOutcome outcome, Outbox& out);
  virtual void on_nack(Instant now, const wire::RepairNack& n, Outbox& out);
  virtual Instant poll_strategy(Instant now, Outbox& out) = 0;
  /// Where an answer to `requester` goes: on the radio one broadcast serves every neighbour that
  /// needs the page; on the tree the asker alone is answered.
  virtual NodeId answer_dest(NodeId requester) const { return on_radio() ? kAllNeighbours : requester; }
  virtual Routing answer_routing() const { return Routing::kNeighbour; }
  /// How this node's advertisements travel: to its neighbours; a source whose receivers are several
  /// tree hops away floods them instead.
  virtual Routing advert_routing() const { return Routing::kNeighbour; }
  /// How to ask `sender` (an advertiser) for its manifest: it is a neighbour, unless it flooded its advert.
  virtual Routing manifest_routing(NodeId) const { return Routing::kNeighbour; }

  /// Whether neighbours need to hear of every page this node completes (peer-to-peer, and unicast from a
  /// radio parent): then a completed page, or a neighbour with other pages, makes Trickle talk sooner.
  /// Otherwise only a new image does, and adverts stay rare while pages flow.
  virtual bool adverts_track_pages() const { return true; }
  /// The timeout of asks that back off: request_timeout at first, doubled per unanswered ask, at most 64 x.
  RttEstimator retry_timer() const { return RttEstimator(config_.request_timeout, Duration{config_.request_timeout.us * 64}); }

  /// Sends an encoded message to `dest` (kAllNeighbours: every neighbour) with `routing`.
  void send(Outbox& out, NodeId dest, Routing routing, std::span<const uint8_t> frame);
  /// Asks `target` for the chunks `want` of `page` (a PageRequest, or a RepairNack when `nack`), sent to
  /// `dest` with `routing` (by default overheard by every neighbour on the radio, to `target` on the tree).
  void request_page(Outbox& out, NodeId target, uint32_t page, ChunkBitmap want, bool nack = false);
  void request_page(Outbox& out, NodeId target, uint32_t page, ChunkBitmap want, bool nack, NodeId dest,
                    Routing routing);
  /// Asks `target` for the pieces `pieces` of chunks first .. first + 7 of `page` (a PieceRequest,
  /// overheard by every neighbour on the radio).
  void request_pieces(Outbox& out, NodeId target, uint32_t page, uint32_t first, uint64_t pieces);
  /// Sends the manifest from `offset` on as ManifestData pieces to `dest` with `routing`.
  void send_manifest(Outbox& out, uint32_t offset, NodeId dest, Routing routing);
  /// Queues chunks of a held page for `dest` (kAllNeighbours on the radio); they leave after serve_delay.
  void queue_serve(Instant now, uint32_t page, ChunkBitmap chunks, NodeId dest, Routing routing = Routing::kNeighbour);
  /// Asks `target` for the manifest from where this node stands (overheard on the radio; on the
  /// tree `target` must be a neighbour unless `routing` is kSingle).
  void request_manifest(Outbox& out, NodeId target, const ImageId& id, Routing routing = Routing::kNeighbour);
  /// Advertise now and reset Trickle (this node's holdings changed).
  void holdings_changed(Instant now);
  /// Whether the image named by an advertisement is newer than what this node runs and holds (and its
  /// sender never served this node a manifest it had to drop).
  bool wants(const wire::Advertise& a) const;
  /// Whether `sender` served this node a forged or replayed manifest since boot.
  bool distrusted(NodeId sender) const;
  bool on_radio() const { return config_.transport == Transport::kEspNow; }
  uint32_t chunk_payload() const;

  OtaPeerConfig config_;
  ImageState& image_;
  Rng& rng_;
  OtaPeerStats stats_;
  Trickle trickle_;
  Instant now_ = Instant{0};

 private:
  struct Serve {
    bool active = false;
    uint32_t page = 0;
    ChunkBitmap chunks;
    uint64_t pieces = 0;  ///< an answer in pieces: those of chunks first .. first + 7 (as wire::PieceRequest)
    uint8_t first = 0;
    uint16_t sent = 0;    ///< frames of this answer sent so far
    NodeId dest = 0;
    Routing routing = Routing::kNeighbour;
    Instant at = Instant::never();
  };
  static constexpr uint32_t kServeSlots = 8;

  void advertise(Outbox& out);
  void serve_due(Instant now, Outbox& out);
  /// Whether `s` goes out one frame at a time (a broadcast answer on the radio).
  bool paced(const Serve& s) const;
  bool send_chunk(Outbox& out, const Serve& s, uint32_t index);
  bool send_piece(Outbox& out, const Serve& s, uint32_t index, uint32_t piece);
  /// Sends the next piece of an answer in pieces; false when it has none left.
  bool serve_piece(Outbox& out, Serve& s);
  /// The answer `page` joins (for `pieces`: one in pieces from chunk `first`), or a free slot set up
  /// for it; null when every slot is busy.
  Serve* serve_slot(Instant now, uint32_t page, bool pieces, uint32_t first, NodeId dest, Routing routing);
  void queue_pieces(Instant now, uint32_t page, uint32_t first, uint64_t pieces, NodeId dest, Routing routing);
  void overheard_chunk(const wire::Chunk& c);
  void overheard_piece(const wire::ChunkPiece& p);
  void on_manifest_request(const wire::ManifestRequest& r, NodeId from, Outbox& out);
  void on_page_request(Instant now, const wire::PageRequest& r, NodeId from, Outbox& out);
  void check_install(Instant now);
  void on_manifest_data(Instant now, const wire::ManifestData& d);
  void on_piece_request(Instant now, const wire::PieceRequest& r, NodeId from);
  /// Whether this node answers a page or piece request of `requester` to `target` for `page` of `id`:
  /// it is asked, holds the page, and the requester is within serve_limit_per_s (counted either way).
  bool serves(Instant now, NodeId requester, NodeId target, const ImageId& id, uint32_t page);
  void on_chunk(Instant now, const wire::Chunk& c, Outbox& out);
  void on_piece(Instant now, const wire::ChunkPiece& p, Outbox& out);
  /// Whether a chunk or piece from `sender` is looked at: not when its sender served poison before.
  bool admit_data(Instant now, NodeId sender);
  /// Whether a chunk or piece (ImageState::kAllOfChunk: a whole chunk) of a held page differs from this
  /// node's verified copy: poison is caught by the first holder that hears it, whose sender it then ignores.
  bool poisoned(ChunkOutcome o, NodeId sender, const ImageId& id, uint32_t page, uint32_t index, uint32_t piece,
                std::span<const uint8_t> payload);
  /// After a chunk or piece stored or held: the transfer clock and a completed page.
  void after_data(Instant now, ChunkOutcome o);
  void distrust(NodeId sender);
  /// Takes one serve from `requester`'s budget; false when it is spent (serve_limit_per_s).
  bool within_budget(Instant now, NodeId requester);
  /// Takes a newer grant from an advertisement; true when it differs from this node's (talk sooner).
  bool hear_grant(const wire::Advertise& a);
  void install_or_roll_back(Instant now, Outbox& out);

  struct Budget {
    NodeId requester = 0;
    uint32_t tokens_milli = 0;  ///< serves left, in thousandths
    Instant at = Instant::never();
  };
  static constexpr uint32_t kBudgetSlots = 8;
  Budget budget_[kBudgetSlots];

  /// Senders of dropped manifests (newest replaces oldest): their adverts are ignored until reboot, so
  /// one forger costs each node one manifest fetch, not one per advert, and cannot keep resetting a fetch.
  static constexpr uint32_t kDistrustSlots = 4;
  NodeId distrust_[kDistrustSlots] = {};
  uint32_t distrust_next_ = 0;
  Serve serve_[kServeSlots];
  Instant reboot_at_ = Instant::never();
  Instant last_transfer_at_ = Instant::never();  ///< the last chunk or page request heard, sent or served
  Instant radio_free_at_ = Instant{0};  ///< when the last paced answer frame has left the radio
  bool reboot_requested_ = false;
  bool heard_neighbour_ = false;  ///< a meshota frame from a neighbour since this boot (kAdvertiseListening until then)
  bool gave_up_ = false;  ///< an install or rollback failed this boot: not tried again until the next
  RolloutGrant grant_;
  uint8_t frame_[kMaxMessageBytes];
};

}  // namespace meshota::core
