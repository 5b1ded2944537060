#include "meshota/core/ota/p2p_agent.hpp"

#include <bit>

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
  // A node fetching in pieces keeps asking for them: whole chunks are what its links lose.
  if (r.page == image_.next_needed() && request_at_ != Instant::never() && !(by_piece_ && r.page == page_)) {
    request_at_ = Instant::never();
    timeout_at_ = now + config_.answer_timeout;
    missing_at_request_ = image_.missing(r.page).count();
    last_asked_ = r.chunks.highest();
    ++stats_.requests_suppressed;
  }
}

void P2pAgent::on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox&) {
  heard(now, outcome, c.page, !by_piece_ && c.index >= last_asked_);
}

void P2pAgent::on_piece_outcome(Instant now, const wire::ChunkPiece& p, ChunkOutcome outcome, Outbox&) {
  heard(now, outcome, p.page, by_piece_ && p.index * 8u + p.piece >= last_asked_);
}

void P2pAgent::heard(Instant now, ChunkOutcome outcome, uint32_t page, bool answer_end) {
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
  } else if (page == image_.next_needed() && timeout_at_ != Instant::never()) {
    // Data is flowing. Answers go out in order, so the last chunk (or piece) asked for ends the answer:
    // what is still missing then was lost, and is asked for again at once.
    timeout_at_ = answer_end ? now : now + config_.data_timeout;
  }
  if (!image_.has_manifest() || timeout_at_ != Instant::never() || request_at_ != Instant::never()) return;
  schedule_request(now);
}

uint32_t P2pAgent::outstanding(uint32_t page) const {
  const ChunkBitmap missing = image_.missing(page);
  if (!by_piece_) return missing.count();
  uint32_t n = 0;
  const uint32_t total = image_.chunk_count(page);
  for (uint32_t i = missing.next(0, total); i < total; i = missing.next(i + 1, total))
    n += static_cast<uint32_t>(std::popcount(image_.missing_pieces(page, i)));
  return n;
}

void P2pAgent::judge_round(uint32_t page, uint32_t missing) {
  // Only on the radio: the tree's TCP loses nothing, a slow answer there is a queue, not a weak link.
  if (!on_radio() || by_piece_ || page != page_ || config_.piece_below_256 == 0 || missing_at_request_ == 0) return;
  // Only an answer that came and lost most of itself says so: one that never came (a busy or silent
  // server, a lost request) does not.
  const uint32_t brought = missing < missing_at_request_ ? missing_at_request_ - missing : 0;
  const bool lossy = brought > 0 && brought * 256 < config_.piece_below_256 * missing_at_request_;
  page_lossy_ = page_lossy_ || lossy;
  // A busy neighbourhood loses a round now and then; a weak link loses one on page after page.
  by_piece_ = lossy && lossy_pages_ >= config_.piece_lossy_pages;
}

void P2pAgent::ask(Instant now, Outbox& out, const Server& server, uint32_t page) {
  if (page != page_) {
    page_ = page;
    lossy_pages_ = page_lossy_ ? lossy_pages_ + 1 : 0;
    page_lossy_ = false;
    by_piece_ = false;  // a new page starts with whole chunks
  }
  asked_ = server.id;
  timeout_at_ = now + config_.answer_timeout;
  const ChunkBitmap want = image_.missing(page);
  if (by_piece_) {
    // The first missing chunks, in pieces (a chunk too large for pieces has none: whole chunks then).
    const uint32_t total = image_.chunk_count(page), first = want.next(0, total);
    uint64_t pieces = 0;
    for (uint32_t i = 0; i < wire::kPieceRequestChunks && first + i < total; ++i)
      pieces |= uint64_t{image_.missing_pieces(page, first + i)} << (8 * i);
    if (pieces != 0) {
      request_pieces(out, server.id, page, first, pieces);
      missing_at_request_ = outstanding(page);
      last_asked_ = first * 8 + static_cast<uint32_t>(63 - std::countl_zero(pieces));
      return;
    }
    by_piece_ = false;
  }
  request_page(out, server.id, page, want);
  missing_at_request_ = want.count();
  last_asked_ = want.highest();
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
    const uint32_t missing = outstanding(page);
    for (Server& s : servers_)
      if (s.id == asked_ && missing >= missing_at_request_ && s.failures < 255) ++s.failures;
    judge_round(page, missing);
    timeout_at_ = Instant::never();
    schedule_request(now);
  }
  if (request_at_ != Instant::never() && now >= request_at_) {
    request_at_ = Instant::never();
    if (const Server* s = pick(page)) ask(now, out, *s, page);
  }
  return earliest(request_at_, timeout_at_);
}

}  // namespace meshota::core
