#include "meshota/core/ota/broadcast_agent.hpp"

namespace meshota::core {

NodeId BroadcastAgent::answer_dest(NodeId requester) const { return on_radio() ? kAllNeighbours : requester; }

// Repairs on the tree go back hop by hop to whoever asked; on the radio one broadcast serves all.
Routing BroadcastAgent::answer_routing() const { return on_radio() ? Routing::kNeighbour : Routing::kSingle; }

void BroadcastAgent::on_advertise(Instant now, const wire::Advertise& a, Outbox& out) {
  OtaPeer::on_advertise(now, a, out);
  // A holder to ask for repairs. How far the push has come is told by the chunks, not by holdings:
  // the source holds every page from the start.
  if (image_.has_manifest() && a.image_id == image_.id() && a.pages_complete > image_.next_needed())
    holder_ = a.sender;
}

void BroadcastAgent::on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox&) {
  last_chunk_at_ = now;
  if (outcome == ChunkOutcome::kNoManifest) {
    seen_id_ = c.image_id;
    seen_image_ = true;
  }
  if (c.page > highest_seen_) highest_seen_ = c.page;
  // A chunk of the page this node needs, or of a later one, comes from a node likely to hold it; one of an
  // earlier page (a relay behind) does not: NACKing such a node would go unanswered for good.
  if (on_radio() && image_.has_manifest() && c.page >= image_.next_needed()) holder_ = c.sender;
  if (outcome == ChunkOutcome::kHeld && c.page == relay_page_) ++relay_heard_;
  if (outcome == ChunkOutcome::kPageDone && on_radio() && relay_at_ == Instant::never()) {
    // Verified: worth relaying, unless the neighbours do it first.
    relay_page_ = c.page;
    relay_heard_ = 0;
    relay_at_ = now + jitter(rng_, bc_.relay_jitter);
  }
  if (outcome == ChunkOutcome::kPageDone && c.page == nack_page_) nack_at_ = Instant::never();
  if (outcome == ChunkOutcome::kAccepted && c.page == nack_page_) nack_tries_ = 0;  // the repair is coming
}

Instant BroadcastAgent::push(Instant now, Outbox& out) {
  if (!image_.is_source()) return Instant::never();
  if (!pushing_) {
    pushing_ = true;
    // The manifest first: nobody can check a chunk before it.
    send_manifest(out, 0, kAllNeighbours, on_radio() ? Routing::kNeighbour : Routing::kBroadcast);
    push_at_ = now + bc_.chunk_gap;
    return push_at_;
  }
  if (push_page_ >= image_.header().page_count || now < push_at_) return push_at_;
  // One chunk per gap: the pace keeps relays' queues (and painlessMesh's node sync) unharmed.
  const ChunkBitmap one = ChunkBitmap(uint64_t{1} << push_chunk_);
  queue_serve(now, push_page_, one, kAllNeighbours, on_radio() ? Routing::kNeighbour : Routing::kBroadcast);
  if (++push_chunk_ >= image_.chunk_count(push_page_)) {
    push_chunk_ = 0;
    ++push_page_;
  }
  push_at_ = push_page_ < image_.header().page_count ? now + bc_.chunk_gap : Instant::never();
  return push_at_;
}

Instant BroadcastAgent::relay(Instant now) {
  if (relay_at_ == Instant::never() || now < relay_at_) return relay_at_;
  // Counter-based suppression: enough neighbours relayed this page already.
  if (relay_heard_ < bc_.relay_copies * image_.chunk_count(relay_page_))
    queue_serve(now, relay_page_, ChunkBitmap::full(image_.chunk_count(relay_page_)), kAllNeighbours);
  relay_at_ = Instant::never();
  relay_page_ = UINT32_MAX;
  return Instant::never();
}

Instant BroadcastAgent::repair(Instant now, Outbox& out) {
  if (image_.is_source()) return Instant::never();
  if (!image_.has_manifest()) {
    // Chunks of an image whose manifest was missed: ask the neighbour they came from, or the source.
    if (!seen_image_) return Instant::never();
    if (nack_at_ == Instant::never() || now >= nack_at_) {
      const NodeId from = on_radio() && holder_ != 0 ? holder_ : source_;
      request_manifest(out, from, seen_id_, Routing::kSingle);
      nack_at_ = now + config_.request_timeout;
    }
    return nack_at_;
  }
  const uint32_t page = image_.next_needed();
  if (page >= image_.header().page_count) return Instant::never();
  const bool behind = highest_seen_ >= page + bc_.lag_pages;
  const bool idle = last_chunk_at_ != Instant::never() && now >= last_chunk_at_ + bc_.idle_nack;
  if (!behind && !idle) {
    nack_at_ = Instant::never();
    return last_chunk_at_ == Instant::never() ? Instant::never() : last_chunk_at_ + bc_.idle_nack;
  }
  if (nack_at_ == Instant::never() || nack_page_ != page) {
    if (nack_page_ != page) nack_tries_ = 0;
    nack_page_ = page;
    nack_at_ = now + jitter(rng_, config_.request_jitter);
  }
  if (now < nack_at_) return nack_at_;
  if (on_radio()) {
    // The holder first; after upstream_tries unanswered NACKs whoever holds the page answers.
    const NodeId target = holder_ != 0 && nack_tries_ < bc_.upstream_tries ? holder_ : wire::kAnyNode;
    request_page(out, target, page, image_.missing(page), true);
  } else if (upstream_ != 0 && upstream_ != source_ && nack_tries_ < bc_.upstream_tries) {
    request_page(out, upstream_, page, image_.missing(page), true, upstream_, Routing::kNeighbour);
  } else {
    request_page(out, source_, page, image_.missing(page), true, source_, Routing::kSingle);
  }
  // On the tree unanswered NACKs back off: TCP loses nothing, so a late answer is queued, not lost, and
  // a repeat only adds to the queue. On the radio a NACK or its answer was lost: ask again soon, at a
  // jittered period: at a fixed one, two hidden neighbours NACKing in step lost every answer to each
  // other's NACK for good (F500-rgg, broadcast, Trickle Imin 300 ms: 4 nodes never updated).
  nack_at_ = now + (on_radio() ? config_.request_timeout + jitter(rng_, config_.request_jitter)
                               : nack_timer_.timeout(nack_tries_));
  ++nack_tries_;
  return nack_at_;
}

Instant BroadcastAgent::poll_strategy(Instant now, Outbox& out) {
  return earliest(push(now, out), earliest(relay(now), repair(now, out)));
}

}  // namespace meshota::core
