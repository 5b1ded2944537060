#include "meshota/sim/media/independent_links.hpp"

#include <algorithm>

namespace meshota::sim {

IndependentLinks::IndependentLinks(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MeshTree& tree,
                                   const MediumSpec& spec, uint64_t seed, bool node_timeout, RunResult& result,
                                   TreeChannelListener& listener)
    : queue_(queue),
      first_handler_(first_handler),
      frames_(frames),
      tree_(tree),
      medium_(tree.nodes(), spec, seed, node_timeout),
      result_(result),
      listener_(listener) {}

void IndependentLinks::write(uint32_t node, uint32_t link, uint32_t frame, uint32_t, bool last, SimTime at_ns) {
  if (!last) return;  // the pipe carries whole messages: it waits for the last piece
  const bool upward = node == link;
  const uint32_t to = upward ? tree_.parent(link) : link;
  const auto bytes = static_cast<uint32_t>(frames_.frame(frame).bytes.size());
  TypeTraffic& t = result_.traffic[static_cast<size_t>(frames_.frame(frame).kind)];
  const Transmission tx = medium_.transmit(link, node, upward, bytes, at_ns);
  t.retransmissions += tx.retransmissions;
  switch (tx.outcome) {
    case Transmission::Outcome::kQueued:
      queue_.push(tx.arrival_ns, first_handler_ + kDeliver, frames_.new_transit(Transit{frame, node, to, tx.epoch, link}));
      return;
    case Transmission::Outcome::kTimedOut:
      ++t.lost;
      ++result_.nodes[node].frames_dropped;
      queue_.push(std::max(tx.drop_at_ns, queue_.now()), first_handler_ + kBroken, link);
      return;
    case Transmission::Outcome::kLinkDown:
    case Transmission::Outcome::kQueueFull:
      ++t.lost;
      ++result_.nodes[node].frames_dropped;
      return;
  }
}

void IndependentLinks::dispatch(const Event& e) {
  if (e.handler - first_handler_ == kBroken) {
    if (medium_.up(e.payload)) listener_.on_broken(e.payload);
    return;
  }
  const Transit tr = frames_.transit(e.payload);
  const uint32_t link = tr.link;
  const bool upward = link == tr.from;
  const auto bytes = static_cast<uint32_t>(frames_.frame(tr.frame).bytes.size());
  medium_.dequeued(link, upward, bytes, tr.epoch);
  if (tr.epoch != medium_.epoch(link) || !medium_.up(link))
    ++result_.traffic[static_cast<size_t>(frames_.frame(tr.frame).kind)].lost;
  else
    listener_.on_message(tr.to, link, tr.frame);
  frames_.end_transit(e.payload);
}

}  // namespace meshota::sim
