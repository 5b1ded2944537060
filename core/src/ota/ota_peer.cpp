#include "meshota/core/ota/ota_peer.hpp"

#include <bit>

#include "meshota/core/rollout/rollout_rank.hpp"

namespace meshota::core {

OtaPeer::OtaPeer(const OtaPeerConfig& config, ImageState& image, Rng& rng)
    : config_(config), image_(image), rng_(rng), trickle_(config.trickle) {}

void OtaPeer::on_boot(Instant now) {
  now_ = now;
  image_.load();
  heard_neighbour_ = false;
  if (!image_.has_manifest()) return;
  // Announce soon: in a quiet neighbourhood (Trickle at Imax, k = 1) a node on the edge may hear
  // nobody for minutes, and a trial image confirms only once it heard the mesh. The advert says it
  // is listening; a neighbour answers.
  trickle_.start(now, rng_);
  trickle_.inconsistent(now, rng_);
}

bool OtaPeer::offer(Instant now, std::span<const uint8_t> manifest, UnitSource& source, Outbox& out) {
  now_ = now;
  if (!image_.serve_from(manifest, source)) return false;
  holdings_changed(now);
  advertise(out);
  return true;
}

uint32_t OtaPeer::chunk_payload() const { return image_.has_manifest() ? image_.header().chunk_size_bytes : 0; }

void OtaPeer::send(Outbox& out, NodeId dest, Routing routing, std::span<const uint8_t> frame) {
  MessageOut(config_.transport, config_.self).send(out, dest, routing, frame);
}

void OtaPeer::holdings_changed(Instant now) {
  if (!trickle_.running()) trickle_.start(now, rng_);
  trickle_.inconsistent(now, rng_);
}

bool OtaPeer::distrusted(NodeId sender) const {
  for (const NodeId d : distrust_)
    if (d != 0 && d == sender) return true;
  return false;
}

bool OtaPeer::wants(const wire::Advertise& a) const {
  if (a.image_version <= config_.installed_version || distrusted(a.sender)) return false;
  if (!image_.has_manifest()) return true;
  return a.image_id != image_.id() && a.image_version > image_.header().image_version;
}

void OtaPeer::advertise(Outbox& out) {
  if (!image_.has_manifest()) return;
  wire::Advertise a;
  a.sender = config_.self;
  a.image_id = image_.id();
  a.image_version = image_.header().image_version;
  a.page_count = image_.header().page_count;
  a.pages_complete = static_cast<uint16_t>(image_.pages_complete());
  a.flags = wire::kAdvertiseHasManifest |
            (image_.header().image_version == config_.installed_version ? wire::kAdvertiseInstalled : 0) |
            (heard_neighbour_ ? 0 : wire::kAdvertiseListening);
  if (grant_.image_id == a.image_id) {
    a.grant_seq = grant_.seq;
    a.grant_rank = grant_.rank_limit;
    a.flags |= grant_.roll_back ? wire::kAdvertiseRollBack : 0;
  }
  const size_t n = wire::encode(a, frame_);
  if (n == 0) return;
  send(out, kAllNeighbours, advert_routing(), std::span<const uint8_t>(frame_, n));
  ++stats_.adverts_sent;
}

void OtaPeer::request_page(Outbox& out, NodeId target, uint32_t page, ChunkBitmap want, bool nack) {
  // On the radio every neighbour overhears the request (and the answer); on the tree it goes to one.
  request_page(out, target, page, want, nack, on_radio() ? kAllNeighbours : target, Routing::kNeighbour);
}

void OtaPeer::request_page(Outbox& out, NodeId target, uint32_t page, ChunkBitmap want, bool nack, NodeId dest,
                           Routing routing) {
  if (want.empty()) return;
  size_t n = 0;
  if (nack) n = wire::encode(wire::RepairNack{config_.self, target, image_.id(), static_cast<uint16_t>(page), want}, frame_);
  else n = wire::encode(wire::PageRequest{config_.self, target, image_.id(), static_cast<uint16_t>(page), want}, frame_);
  if (n == 0) return;
  send(out, dest, routing, std::span<const uint8_t>(frame_, n));
  ++stats_.requests_sent;
}

void OtaPeer::request_pieces(Outbox& out, NodeId target, uint32_t page, uint32_t first, uint64_t pieces) {
  wire::PieceRequest r{config_.self, target, image_.id(), static_cast<uint16_t>(page), static_cast<uint8_t>(first),
                       pieces};
  const size_t n = wire::encode(r, frame_);
  if (n == 0) return;
  send(out, on_radio() ? kAllNeighbours : target, Routing::kNeighbour, std::span<const uint8_t>(frame_, n));
  ++stats_.requests_sent;
  ++stats_.piece_requests_sent;
}

void OtaPeer::request_manifest(Outbox& out, NodeId target, const ImageId& id, Routing routing) {
  wire::ManifestRequest r;
  r.requester = config_.self;
  r.target = target;
  r.image_id = id;
  r.offset = image_.manifest().receiving(id) ? image_.manifest().next_offset() : 0;
  const size_t n = wire::encode(r, frame_);
  if (n == 0) return;
  send(out, on_radio() ? kAllNeighbours : target, on_radio() ? Routing::kNeighbour : routing,
       std::span<const uint8_t>(frame_, n));
  ++stats_.manifest_requests_sent;
}

OtaPeer::Serve* OtaPeer::serve_slot(Instant now, uint32_t page, bool pieces, uint32_t first, NodeId dest,
                                     Routing routing) {
  Serve* free_slot = nullptr;
  for (Serve& s : serve_) {
    if (s.active && (s.pieces != 0) == pieces && s.page == page && s.dest == dest && s.routing == routing)
      return &s;  // one answer for every asker
    if (!s.active && free_slot == nullptr) free_slot = &s;
  }
  if (free_slot == nullptr) return nullptr;  // busy serving: the asker will ask again
  // A broadcast answer waits a random moment more, so that of two neighbours asked for one page the
  // first to start is heard by the other, which leaves out what it heard (overheard_chunk).
  const Duration wait = dest == kAllNeighbours ? config_.serve_delay + jitter(rng_, config_.serve_jitter)
                                               : config_.serve_delay;
  *free_slot = Serve{true, page, ChunkBitmap(), 0, static_cast<uint8_t>(first), 0, dest, routing, now + wait};
  return free_slot;
}

void OtaPeer::queue_serve(Instant now, uint32_t page, ChunkBitmap chunks, NodeId dest, Routing routing) {
  if (!image_.holds(page) || chunks.empty()) return;
  if (Serve* s = serve_slot(now, page, false, 0, dest, routing)) s->chunks |= chunks;
}

void OtaPeer::queue_pieces(Instant now, uint32_t page, uint32_t first, uint64_t pieces, NodeId dest, Routing routing) {
  if (!image_.holds(page) || pieces == 0) return;
  Serve* s = serve_slot(now, page, true, first, dest, routing);
  if (s == nullptr) return;
  // One answer in pieces per page, from the lower first chunk on: pieces that fall past its eight
  // chunks are left out, and their asker asks again.
  const auto shifted = [](uint64_t bits, uint32_t chunks) { return chunks >= 8 ? 0 : bits << (8 * chunks); };
  if (first < s->first) {
    s->pieces = shifted(s->pieces, s->first - first);
    s->first = static_cast<uint8_t>(first);
  } else {
    pieces = shifted(pieces, first - s->first);
  }
  s->pieces |= pieces;
  if (s->pieces == 0) s->active = false;
}

bool OtaPeer::send_chunk(Outbox& out, const Serve& s, uint32_t index) {
  uint8_t payload[kMaxMessageBytes];
  const uint32_t len = image_.read_chunk(s.page, index, payload);
  if (len == 0) return false;
  wire::Chunk c;
  c.sender = config_.self;
  c.image_id = image_.id();
  c.page = static_cast<uint16_t>(s.page);
  c.index = static_cast<uint8_t>(index);
  c.payload = std::span<const uint8_t>(payload, len);
  const size_t n = wire::encode(c, frame_);
  if (n == 0) return false;
  send(out, s.dest, s.routing, std::span<const uint8_t>(frame_, n));
  ++stats_.chunks_sent;
  return true;
}

bool OtaPeer::send_piece(Outbox& out, const Serve& s, uint32_t index, uint32_t piece) {
  uint8_t payload[wire::kPieceBytes];
  const uint32_t len = image_.read_piece(s.page, index, piece, payload);
  if (len == 0) return false;
  const wire::ChunkPiece p{config_.self, image_.id(), static_cast<uint16_t>(s.page), static_cast<uint8_t>(index),
                           static_cast<uint8_t>(piece), std::span<const uint8_t>(payload, len)};
  const size_t n = wire::encode(p, frame_);
  if (n == 0) return false;
  send(out, s.dest, s.routing, std::span<const uint8_t>(frame_, n));
  ++stats_.pieces_sent;
  return true;
}

bool OtaPeer::serve_piece(Outbox& out, Serve& s) {
  // In request order: chunk first + i / 8, piece i % 8. A piece this node cannot read (past its chunk's
  // end) is skipped.
  while (s.pieces != 0) {
    const auto bit = static_cast<uint32_t>(std::countr_zero(s.pieces));
    s.pieces &= s.pieces - 1;
    if (send_piece(out, s, s.first + bit / 8, bit % 8)) return true;
  }
  return false;
}

bool OtaPeer::paced(const Serve& s) const { return s.dest == kAllNeighbours && config_.serve_gap.us > 0; }

void OtaPeer::serve_due(Instant now, Outbox& out) {
  // An answer to one node goes out whole.
  for (Serve& s : serve_) {
    if (!s.active || s.at > now || paced(s)) continue;
    last_transfer_at_ = now;
    const uint32_t total = image_.chunk_count(s.page);
    for (uint32_t i = s.chunks.next(0, total); i < total; i = s.chunks.next(i + 1, total))
      if (!send_chunk(out, s, i)) break;
    while (serve_piece(out, s)) {
    }
    s = Serve{};
  }
  // Broadcast answers share the radio: one frame per its airtime (serve_gap for a chunk, piece_gap for a
  // piece), so that what a neighbour sends meanwhile is struck from them and a node never queues more
  // than its radio sends; the answer that sent the fewest frames goes first.
  Serve* next = nullptr;
  for (Serve& s : serve_)
    if (s.active && paced(s) && s.at <= now && (next == nullptr || s.sent < next->sent)) next = &s;
  if (next == nullptr) return;
  if (now >= radio_free_at_) {
    last_transfer_at_ = now;
    const bool piece = next->pieces != 0;
    bool sent = false;
    if (piece) {
      sent = serve_piece(out, *next);
    } else {
      const uint32_t total = image_.chunk_count(next->page);
      const uint32_t i = next->chunks.next(0, total);
      next->chunks.reset(i);
      sent = i < total && send_chunk(out, *next, i);
      if (!sent) next->chunks = ChunkBitmap();
    }
    ++next->sent;
    next->active = next->pieces != 0 || !next->chunks.empty();
    if (sent) radio_free_at_ = now + (piece ? config_.piece_gap : config_.serve_gap);
  }
  for (Serve& s : serve_)
    if (s.active && paced(s) && s.at < radio_free_at_) s.at = radio_free_at_;
}

void OtaPeer::overheard_chunk(const wire::Chunk& c) {
  if (c.sender == config_.self || c.image_id != image_.id()) return;
  for (Serve& s : serve_) {
    if (!s.active || s.dest != kAllNeighbours || s.page != c.page || !s.chunks.test(c.index)) continue;
    s.chunks.reset(c.index);
    ++stats_.chunks_suppressed;
    if (s.chunks.empty()) s.active = false;
  }
}

void OtaPeer::overheard_piece(const wire::ChunkPiece& p) {
  if (p.sender == config_.self || p.image_id != image_.id() || p.piece >= wire::kMaxPieces) return;
  for (Serve& s : serve_) {
    if (!s.active || s.pieces == 0 || s.dest != kAllNeighbours || s.page != p.page || p.index < s.first ||
        p.index >= s.first + wire::kPieceRequestChunks)
      continue;
    const uint64_t bit = uint64_t{1} << ((p.index - s.first) * 8 + p.piece);
    if ((s.pieces & bit) == 0) continue;
    s.pieces &= ~bit;
    ++stats_.chunks_suppressed;
    if (s.pieces == 0) s.active = false;
  }
}

void OtaPeer::on_manifest_request(const wire::ManifestRequest& r, NodeId from, Outbox& out) {
  if ((r.target != config_.self && r.target != wire::kAnyNode) || !image_.has_manifest() || r.image_id != image_.id())
    return;
  send_manifest(out, r.offset, answer_dest(from), answer_routing());
}

void OtaPeer::send_manifest(Outbox& out, uint32_t offset, NodeId dest, Routing routing) {
  const uint32_t room = static_cast<uint32_t>(wire::max_manifest_payload(config_.frame_bytes));
  for (uint32_t off = offset; off < image_.manifest().total_bytes(); off += room) {
    wire::ManifestData d;
    d.sender = config_.self;
    d.image_id = image_.id();
    d.total_bytes = image_.manifest().total_bytes();
    d.offset = off;
    d.bytes = image_.manifest().bytes(off, room);
    const size_t n = wire::encode(d, frame_);
    if (n == 0) return;
    send(out, dest, routing, std::span<const uint8_t>(frame_, n));
    ++stats_.manifest_pieces_sent;
  }
}

bool OtaPeer::serves(Instant now, NodeId requester, NodeId target, const ImageId& id, uint32_t page) {
  if ((target != config_.self && target != wire::kAnyNode) || id != image_.id()) return false;
  if (!image_.holds(page)) return false;
  if (!within_budget(now, requester)) {
    ++stats_.requests_limited;
    return false;
  }
  ++stats_.requests_served;
  return true;
}

void OtaPeer::on_page_request(Instant now, const wire::PageRequest& r, NodeId from, Outbox&) {
  if (!serves(now, r.requester, r.target, r.image_id, r.page)) return;
  queue_serve(now, r.page, r.chunks & ChunkBitmap::full(image_.chunk_count(r.page)), answer_dest(from),
              answer_routing());
}

void OtaPeer::on_piece_request(Instant now, const wire::PieceRequest& r, NodeId from) {
  if (!serves(now, r.requester, r.target, r.image_id, r.page)) return;
  queue_pieces(now, r.page, r.first, r.pieces, answer_dest(from), answer_routing());
}

void OtaPeer::set_grant(Instant now, uint16_t rank_limit, bool roll_back) {
  if (!image_.has_manifest()) return;
  if (grant_.image_id != image_.id()) grant_ = RolloutGrant{image_.id()};
  ++grant_.seq;
  grant_.rank_limit = rank_limit;
  grant_.roll_back = roll_back;
  holdings_changed(now);  // advertise it soon
}

bool OtaPeer::granted() const {
  if (!config_.require_grant) return true;
  return image_.has_manifest() && grant_.seq > 0 && grant_.image_id == image_.id() && !grant_.roll_back &&
         rollout_rank(config_.self, image_.id()) < grant_.rank_limit;
}

bool OtaPeer::hear_grant(const wire::Advertise& a) {
  const bool ours = image_.has_manifest() ? a.image_id == image_.id()
                                          : wants(a) || image_.manifest().receiving(a.image_id);
  if (!ours) return false;
  if (grant_.image_id != a.image_id) grant_ = RolloutGrant{a.image_id};
  if (a.grant_seq > grant_.seq) {
    grant_.seq = a.grant_seq;
    grant_.rank_limit = a.grant_rank;
    grant_.roll_back = (a.flags & wire::kAdvertiseRollBack) != 0;
    return true;
  }
  return a.grant_seq < grant_.seq;  // the sender has not heard the latest grant yet
}

void OtaPeer::on_advertise(Instant now, const wire::Advertise& a, Outbox& out) {
  const bool grant_news = hear_grant(a);
  if (image_.has_manifest() && a.image_id == image_.id()) {
    if (grant_news || (a.flags & wire::kAdvertiseListening) != 0)
      trickle_.inconsistent(now, rng_);  // a grant spreads like news of a page; a node that just booted hears us
    else if (a.pages_complete == image_.pages_complete() || !adverts_track_pages()) trickle_.heard_consistent();
    else trickle_.inconsistent(now, rng_);  // someone is ahead or behind: talk sooner
    return;
  }
  if (wants(a)) {
    if (image_.has_manifest()) image_.reset();  // a newer image supersedes the one being fetched
    if ((a.flags & wire::kAdvertiseHasManifest) != 0 && !image_.manifest().receiving(a.image_id))
      request_manifest(out, a.sender, a.image_id, manifest_routing(a.sender));
    return;
  }
  if (image_.has_manifest() && a.image_version < image_.header().image_version) trickle_.inconsistent(now, rng_);
}

void OtaPeer::on_chunk_outcome(Instant, const wire::Chunk&, ChunkOutcome, Outbox&) {}

void OtaPeer::on_request_heard(Instant, const wire::PageRequest&, Outbox&) {}

void OtaPeer::on_piece_outcome(Instant, const wire::ChunkPiece&, ChunkOutcome, Outbox&) {}

void OtaPeer::on_nack(Instant now, const wire::RepairNack& n, Outbox& out) {
  wire::PageRequest as_request{n.requester, n.target, n.image_id, n.page, n.missing};
  on_page_request(now, as_request, n.requester, out);
}

void OtaPeer::on_manifest_data(Instant now, const wire::ManifestData& d) {
  if (image_.has_manifest() && d.image_id == image_.id()) return;
  const uint32_t rejected = image_.manifest().rejected(), old = image_.manifest().rejected_old();
  if (image_.on_manifest(d) == ManifestPiece::kComplete) {
    stats_.manifest_at = now;
    holdings_changed(now);
  }
  const uint32_t replayed = image_.manifest().rejected_old() - old;
  const uint32_t dropped = image_.manifest().rejected() - rejected;
  if (dropped == 0) return;
  stats_.replayed_manifests += replayed;
  stats_.forged_manifests += dropped - replayed;
  distrust(d.sender);
}

void OtaPeer::distrust(NodeId sender) {
  if (sender == config_.self || sender == 0 || distrusted(sender)) return;
  distrust_[distrust_next_] = sender;
  distrust_next_ = (distrust_next_ + 1) % kDistrustSlots;
}

bool OtaPeer::admit_data(Instant now, NodeId sender) {
  if (distrusted(sender)) {
    ++stats_.distrusted_chunks;  // it served poison before: its chunks could spoil any page they join
    return false;
  }
  if (stats_.first_chunk_at == Instant::never()) stats_.first_chunk_at = now;
  return true;
}

bool OtaPeer::poisoned(ChunkOutcome o, NodeId sender, const ImageId& id, uint32_t page, uint32_t index, uint32_t piece,
                       std::span<const uint8_t> payload) {
  // A holder checks a chunk of a held page against its verified copy: poison is caught by the
  // first holder that hears it, whose sender it then ignores, and it does not hold off the install.
  if (o != ChunkOutcome::kHeld || id != image_.id() || image_.chunk_matches(page, index, payload, piece)) return false;
  ++stats_.poisoned_chunks;
  distrust(sender);
  return true;
}

void OtaPeer::after_data(Instant now, ChunkOutcome o) {
  last_transfer_at_ = now;
  if (o == ChunkOutcome::kPageDone) stats_.page_done_at = now;
  if (o == ChunkOutcome::kPageDone && (adverts_track_pages() || image_.written())) holdings_changed(now);
}

void OtaPeer::on_chunk(Instant now, const wire::Chunk& c, Outbox& out) {
  if (!admit_data(now, c.sender)) return;
  overheard_chunk(c);
  const ChunkOutcome o = image_.on_chunk(c);
  if (poisoned(o, c.sender, c.image_id, c.page, c.index, ImageState::kAllOfChunk, c.payload)) return;
  after_data(now, o);
  on_chunk_outcome(now, c, o, out);
  check_install(now);
}

void OtaPeer::on_piece(Instant now, const wire::ChunkPiece& p, Outbox& out) {
  if (!admit_data(now, p.sender)) return;
  overheard_piece(p);
  const ChunkOutcome o = image_.on_piece(p);
  if (poisoned(o, p.sender, p.image_id, p.page, p.index, p.piece, p.payload)) return;
  after_data(now, o);
  on_piece_outcome(now, p, o, out);
  check_install(now);
}

bool OtaPeer::within_budget(Instant now, NodeId requester) {
  if (config_.serve_limit_per_s == 0) return true;
  const uint32_t burst_milli = 2000 * config_.serve_limit_per_s;
  Budget* slot = nullptr;
  for (Budget& b : budget_) {
    if (b.requester == requester) {
      slot = &b;
      break;
    }
    if (slot == nullptr || b.at < slot->at) slot = &b;  // else the least recently asking one
  }
  if (slot->requester != requester) *slot = Budget{requester, burst_milli, now};
  const int64_t refill = (now.us - slot->at.us) * config_.serve_limit_per_s / 1000;  // thousandths
  slot->tokens_milli = static_cast<uint32_t>(refill + slot->tokens_milli > burst_milli ? burst_milli
                                                                                       : refill + slot->tokens_milli);
  slot->at = now;
  if (slot->tokens_milli < 1000) return false;
  slot->tokens_milli -= 1000;
  return true;
}

void OtaPeer::check_install(Instant now) {
  if (!image_.written() || stats_.written_at != Instant::never()) return;
  stats_.written_at = now;
}

void OtaPeer::on_message(Instant now, NodeId from, std::span<const uint8_t> message, Outbox& out) {
  now_ = now;
  wire::Opened frame;  // its CRC checked once, here
  if (wire::open(message, frame) != wire::Status::kOk) {
    ++stats_.bad_messages;
    return;
  }
  heard_neighbour_ = true;
  switch (frame.type) {
    case wire::Type::kAdvertise: {
      wire::Advertise a;
      if (wire::decode(frame, a) != wire::Status::kOk) break;
      ++stats_.adverts_heard;
      if (distrusted(a.sender)) {
        ++stats_.distrusted_adverts;
        return;
      }
      on_advertise(now, a, out);
      return;
    }
    case wire::Type::kManifestRequest: {
      wire::ManifestRequest r;
      if (wire::decode(frame, r) != wire::Status::kOk) break;
      on_manifest_request(r, from, out);
      return;
    }
    case wire::Type::kManifestData: {
      wire::ManifestData d;
      if (wire::decode(frame, d) != wire::Status::kOk) break;
      on_manifest_data(now, d);
      return;
    }
    case wire::Type::kPageRequest: {
      wire::PageRequest r;
      if (wire::decode(frame, r) != wire::Status::kOk) break;
      on_request_heard(now, r, out);
      last_transfer_at_ = now;
      on_page_request(now, r, from, out);
      return;
    }
    case wire::Type::kChunk: {
      wire::Chunk c;
      if (wire::decode(frame, c) != wire::Status::kOk) break;
      on_chunk(now, c, out);
      return;
    }
    case wire::Type::kRepairNack: {
      wire::RepairNack n;
      if (wire::decode(frame, n) != wire::Status::kOk) break;
      on_nack(now, n, out);
      last_transfer_at_ = now;
      return;
    }
    case wire::Type::kPieceRequest: {
      wire::PieceRequest r;
      if (wire::decode(frame, r) != wire::Status::kOk) break;
      last_transfer_at_ = now;
      on_piece_request(now, r, from);
      return;
    }
    case wire::Type::kChunkPiece: {
      wire::ChunkPiece p;
      if (wire::decode(frame, p) != wire::Status::kOk) break;
      on_piece(now, p, out);
      return;
    }
  }
  ++stats_.bad_messages;
}

void OtaPeer::install_or_roll_back(Instant now, Outbox& out) {
  reboot_at_ = Instant::never();  // set again below only while an install waits for quiet
  if (reboot_requested_ || gave_up_ || !image_.has_manifest()) return;
  const uint32_t version = image_.header().image_version;
  if (grant_.roll_back && grant_.image_id == image_.id() && version == config_.installed_version) {
    // The rollout was aborted and this node runs the image: back to the previous one.
    if (!image_.boot().roll_back()) {
      gave_up_ = true;  // no valid image to go back to: keep this one
      return;
    }
    ++stats_.rolled_back;
    out.request_reboot();
    reboot_requested_ = true;
    return;
  }
  // Install once the image is written, if the rollout allows; the next boot runs it on trial.
  if (!image_.written() || !granted() || version <= config_.installed_version) return;
  // Restart reboot_delay after the later of the image written and the last transfer heard or served:
  // a relay that restarts mid-transfer cuts off everyone it serves.
  Instant quiet_since = stats_.written_at == Instant::never() ? now : stats_.written_at;
  if (last_transfer_at_ != Instant::never() && last_transfer_at_ > quiet_since) quiet_since = last_transfer_at_;
  reboot_at_ = quiet_since + config_.reboot_delay;
  if (config_.install_wait_max.us > 0 && stats_.written_at != Instant::never() &&
      reboot_at_ > stats_.written_at + config_.install_wait_max)
    reboot_at_ = stats_.written_at + config_.install_wait_max;
  if (now < reboot_at_) return;
  if (image_.install() != StageResult::kOk) {
    ++stats_.installs_refused;  // anti-rollback, or the boot record could not be written
    gave_up_ = true;
    return;
  }
  out.request_reboot();
  reboot_requested_ = true;
}

Instant OtaPeer::poll(Instant now, Outbox& out) {
  now_ = now;
  if (trickle_.running() && trickle_.poll(now, rng_)) advertise(out);
  serve_due(now, out);
  check_install(now);
  install_or_roll_back(now, out);
  Instant next = earliest(trickle_.running() ? trickle_.deadline() : Instant::never(), poll_strategy(now, out));
  for (const Serve& s : serve_)
    if (s.active) next = earliest(next, s.at);
  if (!reboot_requested_) next = earliest(next, reboot_at_);
  return next;
}

}  // namespace meshota::core
