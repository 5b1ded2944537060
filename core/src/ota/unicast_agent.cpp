#include "meshota/core/ota/unicast_agent.hpp"

namespace meshota::core {

void UnicastAgent::on_advertise(Instant now, const wire::Advertise& a, Outbox& out) {
  if (a.sender == upstream_ && a.image_version > config_.installed_version) {
    upstream_pages_ = a.pages_complete;
    upstream_id_ = a.image_id;
  }
  // Trickle's bookkeeping only: the manifest comes from the upstream, asked in poll_strategy.
  if (image_.has_manifest() && a.image_id == image_.id()) OtaPeer::on_advertise(now, a, out);
}

void UnicastAgent::on_chunk_outcome(Instant now, const wire::Chunk& c, ChunkOutcome outcome, Outbox&) {
  for (Ask& a : asks_)
    if (a.page == c.page) {
      if (outcome == ChunkOutcome::kPageDone || outcome == ChunkOutcome::kHeld) a = Ask{};
      else if (outcome == ChunkOutcome::kAccepted) {
        if (a.tries == 1 && a.asked_at != Instant::never()) rtt_.sample(now - a.asked_at);
        a.asked_at = Instant::never();
        a.timeout_at = now + rtt_.timeout();  // data flowing
        a.tries = 0;
      }
    }
}

Instant UnicastAgent::poll_strategy(Instant now, Outbox& out) {
  if (!image_.has_manifest()) {
    // The source needs no advertisement to be asked; a radio parent is asked once it advertised.
    // Asked once the upstream has advertised the image (the source floods its adverts on the tree).
    if (upstream_id_ == ImageId{}) return Instant::never();
    if (manifest_at_ == Instant::never() || now >= manifest_at_) {
      request_manifest(out, upstream_, upstream_id_, routing());
      manifest_at_ = now + config_.request_timeout;
    }
    return manifest_at_;
  }
  const uint32_t pages = image_.header().page_count;
  const uint32_t first = image_.next_needed();
  Instant next = Instant::never();
  // Keep up to `window_` pages requested: the next ones not held, that the upstream holds.
  const uint32_t limit = window_ < kMaxWindow ? window_ : kMaxWindow;
  for (uint32_t k = 0; k < limit; ++k) {
    const uint32_t page = first + k;
    Ask& a = asks_[page % limit];
    if (page >= pages || page >= upstream_pages() || image_.holds(page)) {
      if (a.page == page) a = Ask{};
      continue;
    }
    if (a.page != page) a = Ask{page, Instant{0}, 0, Instant::never()};
    if (now >= a.timeout_at) {
      // The timeout follows the measured round trip and backs off per unanswered ask: on a loaded
      // tree a repeat only adds to what delays the answer.
      request_page(out, upstream_, page, image_.missing(page), false, upstream_, routing());
      if (a.tries == 0) a.asked_at = now;
      a.timeout_at = now + rtt_.timeout(a.tries++);
    }
    next = earliest(next, a.timeout_at);
  }
  return next;
}

}  // namespace meshota::core
