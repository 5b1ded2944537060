#include "meshota/core/ota/p2p_agent.hpp"

namespace meshota::core {

void P2pAgent::remember(Instant now, NodeId id, uint16_t pages) {
  Server* slot = nullptr;
  for (Server& s : servers_) {
    if (s.id == id) {
      slot = &s;
      break;
    }
    // Otherwise replace the least useful entry: the fewest pages, the oldest.
    if (slot == nullptr || s.pages < slot->pages || (s.pages == slot->pages && s.heard_at < slot->heard_at)) slot = &s;
  }
  if (slot->id != id) *slot = Server{id, pages, 0, now};
  if (pages > slot->pages) slot->failures = 0;  // it got further: worth asking again
  slot->pages = pages;
  slot->heard_at = now;
}

const P2pAgent::Server* P2pAgent::pick(uint32_t page) const {
  const Server* best = nullptr;
  for (const Server& s : servers_) {
    if (s.id == 0 || s.pages <= page) continue;
    if (best == nullptr || s.failures < best->failures ||
        (s.failures == best->failures && s.id < best->id))
      best = &s;
  }
  return best;
}

void P2pAgent::schedule_request(Instant now) {
  if (!image_.has_manifest() || image_.next_needed() >= image_.header().page_count) return;
  if (request_at_ != Instant::never() || timeout_at_ != Instant::never()) return;
  if (pick(image_.next_needed()) == nullptr) return;  // nobody nearby has it yet: wait for adverts
  request_at_ = now + jitter(rng_, config_.request_jitter);
}

void P2pAgent::on_advertise(Instant now, const wire::Advertise& a, Outbox& out) {
  OtaPeer::on_advertise(now, a, out);
  if (image_.has_manifest() && a.image_id == image_.id()) {
    remember(now, a.sender, a.pages_complete);
    schedule_request(now);
  } else if (wants(a) && (a.flags & wire::kAdvertiseHasManifest) != 0) {
    manifest_from_ = a.sender;
    manifest_id_ = a.image_id;
    manifest_retry_at_ = now + config_.request_timeout;
  }
}

void P2pAgent::on_request_heard(Instant now, const wire::PageRequest& r, Outbox&) {
  // Someone asked for the page this node is about to ask for: its answer is broadcast, so wait for it.
  if (r.requester == config_.self || !image_.has_manifest() || r.image_id != image_.id()) return;
  if (r.page == image_.next_needed() && request_at_ != Instant::never()) {
    request_at_ = Instant::never();
    timeout_at_ = now + config_.answer_timeout;
    missing_at_request_ = image_.missing(r.page).count();
    last_asked_ = r.chunks.highest();
    ++stats_.requests_suppressed;
  }
}

void P2pAgent::on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox&) {
  if (outcome == ChunkOutcome::kBadPage) {
    // A page that fails its hash counts against the server asked for it: a node serving poison
    // (docs/security.md) drops behind every honest holder instead of being asked again and again.
    for (Server& s : servers_)
      if (s.id == asked_ && s.failures < 255) ++s.failures;
  }
  if (outcome == ChunkOutcome::kPageDone || outcome == ChunkOutcome::kBadPage) {
    // The page is done (or must start over): ask for the next one at once.
    request_at_ = timeout_at_ = Instant::never();
    schedule_request(now);
  } else if (c.page == image_.next_needed() && timeout_at_ != Instant::never()) {
    // Data is flowing. Answers go out in chunk order, so the last chunk asked for ends the answer:
    // what is still missing then was lost, and is asked for again at once.
    timeout_at_ = c.index >= last_asked_ ? now : now + config_.data_timeout;
  }
  if (!image_.has_manifest() || timeout_at_ != Instant::never() || request_at_ != Instant::never()) return;
  schedule_request(now);
}

Instant P2pAgent::poll_strategy(Instant now, Outbox& out) {
  if (!image_.has_manifest()) {
    if (manifest_from_ != 0 && now >= manifest_retry_at_) {
      request_manifest(out, manifest_from_, manifest_id_);
      manifest_retry_at_ = now + config_.request_timeout;
    }
    return manifest_from_ != 0 ? manifest_retry_at_ : Instant::never();
  }
  manifest_from_ = 0;
  const uint32_t page = image_.next_needed();
  if (page >= image_.header().page_count) return Instant::never();
  if (timeout_at_ != Instant::never() && now >= timeout_at_) {
    // No page yet: progress since the request is not a failure, silence is.
    const uint32_t missing = image_.missing(page).count();
    for (Server& s : servers_)
      if (s.id == asked_ && missing >= missing_at_request_ && s.failures < 255) ++s.failures;
    timeout_at_ = Instant::never();
    schedule_request(now);
  }
  if (request_at_ != Instant::never() && now >= request_at_) {
    request_at_ = Instant::never();
    if (const Server* s = pick(page)) {
      asked_ = s->id;
      const ChunkBitmap want = image_.missing(page);
      request_page(out, s->id, page, want);
      missing_at_request_ = want.count();
      last_asked_ = want.highest();
      timeout_at_ = now + config_.answer_timeout;
    }
  }
  return earliest(request_at_, timeout_at_);
}

}  // namespace meshota::core
