#include "meshota/sim/attack/hostile_peer.hpp"

#include <algorithm>
#include <cmath>

namespace meshota::sim {

namespace wire = core::wire;

HostilePeer::HostilePeer(const HostileConfig& config, const AttackMaterial& material, core::Rng& rng)
    : config_(config), material_(material), rng_(rng) {
  const PackedImage& g = *material.genuine;
  genuine_ = HostileManifest{g.manifest, g.image_id, g.header.image_version, g.header.page_count};
}

const HostileManifest* HostilePeer::manifest() const {
  switch (config_.kind) {
    case AttackKind::kPoisonPages:
    case AttackKind::kLyingAdverts: return &genuine_;
    case AttackKind::kForgedManifest: return &material_.forged;
    case AttackKind::kReplayedManifest: return &material_.replayed;
    case AttackKind::kRequestFlood: return nullptr;
  }
  return nullptr;
}

void HostilePeer::on_boot(core::Instant now) {
  const core::Instant start = std::max(now, config_.start);
  advert_at_ = manifest() != nullptr ? start : core::Instant::never();
  const bool acts = config_.kind == AttackKind::kPoisonPages || config_.kind == AttackKind::kRequestFlood;
  action_at_ = acts ? start : core::Instant::never();
}

void HostilePeer::send(core::Outbox& out, std::span<const uint8_t> frame) {
  core::MessageOut(config_.transport, config_.self).send(out, core::kAllNeighbours, core::Routing::kNeighbour, frame);
}

void HostilePeer::advertise(core::Outbox& out) {
  const HostileManifest* m = manifest();
  // Every kind claims to hold the whole image and to serve its manifest.
  wire::Advertise a{config_.self, m->id, m->advertised_version, m->page_count, m->page_count,
                    wire::kAdvertiseHasManifest};
  const size_t n = wire::encode(a, frame_);
  if (n == 0) return;
  send(out, std::span<const uint8_t>(frame_, n));
  ++stats_.adverts_sent;
}

void HostilePeer::send_manifest(uint32_t offset, core::Outbox& out) {
  const HostileManifest* m = manifest();
  const auto total = static_cast<uint32_t>(m->bytes.size());
  const auto room = static_cast<uint32_t>(wire::max_manifest_payload(config_.frame_bytes));
  for (uint32_t off = offset; off < total; off += room) {
    const uint32_t n_bytes = std::min(room, total - off);
    wire::ManifestData d{config_.self, m->id, total, off, std::span<const uint8_t>(m->bytes).subspan(off, n_bytes)};
    const size_t n = wire::encode(d, frame_);
    if (n == 0) return;
    send(out, std::span<const uint8_t>(frame_, n));
    ++stats_.manifest_pieces_sent;
  }
}

void HostilePeer::send_poisoned(uint32_t page, uint32_t index, core::Outbox& out) {
  const PackedImage& g = *material_.genuine;
  if (page >= g.header.page_count || index >= g.chunk_count(page)) return;
  const std::span<const uint8_t> genuine = g.chunk(page, index);
  uint8_t payload[core::kMaxMessageBytes];
  std::copy(genuine.begin(), genuine.end(), payload);
  // One flipped byte is enough: the page hash in the signed manifest catches any change.
  payload[genuine.size() / 2] ^= 0xA5;
  wire::Chunk c{config_.self, g.image_id, static_cast<uint16_t>(page), static_cast<uint8_t>(index),
                std::span<const uint8_t>(payload, genuine.size())};
  const size_t n = wire::encode(c, frame_);
  if (n == 0) return;
  send(out, std::span<const uint8_t>(frame_, n));
  ++stats_.poisoned_chunks_sent;
  stats_.poisoned_bytes_sent += n;
}

void HostilePeer::push_or_flood(core::Outbox& out) {
  const PackedImage& g = *material_.genuine;
  const uint32_t chunks_per_page = g.chunk_count(0);
  const uint32_t page = (cursor_ / chunks_per_page) % g.header.page_count;
  const uint32_t index = cursor_ % chunks_per_page;
  ++cursor_;
  if (config_.kind == AttackKind::kPoisonPages) {
    send_poisoned(page, index, out);
    return;
  }
  // request-flood: every page of the genuine image in turn, every chunk, from whoever holds it.
  size_t n = 0;
  if (cursor_ % 8 == 0) {
    n = wire::encode(wire::ManifestRequest{config_.self, wire::kAnyNode, g.image_id, 0}, frame_);
  } else {
    const uint32_t p = rng_.next_u32() % g.header.page_count;
    n = wire::encode(wire::PageRequest{config_.self, wire::kAnyNode, g.image_id, static_cast<uint16_t>(p),
                                       core::ChunkBitmap::full(g.chunk_count(p))},
                     frame_);
  }
  if (n == 0) return;
  send(out, std::span<const uint8_t>(frame_, n));
  ++stats_.requests_sent;
}

void HostilePeer::on_message(core::Instant, core::NodeId, std::span<const uint8_t> message, core::Outbox& out) {
  wire::Type type{};
  if (wire::peek_type(message, type) != wire::Status::kOk) return;
  const HostileManifest* m = manifest();
  if (type == wire::Type::kManifestRequest && m != nullptr && config_.kind != AttackKind::kLyingAdverts) {
    wire::ManifestRequest r;
    if (wire::decode(message, r) == wire::Status::kOk && r.image_id == m->id &&
        (r.target == config_.self || r.target == wire::kAnyNode))
      send_manifest(r.offset, out);
    return;
  }
  if (type != wire::Type::kPageRequest && type != wire::Type::kRepairNack) return;
  wire::PageRequest r;
  if (type == wire::Type::kPageRequest && wire::decode(message, r) != wire::Status::kOk) return;
  if (type == wire::Type::kRepairNack) {
    wire::RepairNack k;
    if (wire::decode(message, k) != wire::Status::kOk) return;
    r = wire::PageRequest{k.requester, k.target, k.image_id, k.page, k.missing};
  }
  if ((r.target != config_.self && r.target != wire::kAnyNode) || m == nullptr || r.image_id != m->id) return;
  ++stats_.requests_heard;
  if (config_.kind != AttackKind::kPoisonPages) return;  // the liar never answers
  const uint32_t total = material_.genuine->chunk_count(r.page);
  for (uint32_t i = r.chunks.next(0, total); i < total; i = r.chunks.next(i + 1, total)) send_poisoned(r.page, i, out);
}

core::Instant HostilePeer::poll(core::Instant now, core::Outbox& out) {
  if (advert_at_ != core::Instant::never() && now >= advert_at_) {
    advertise(out);
    advert_at_ = now + config_.advert_period + core::jitter(rng_, core::Duration{config_.advert_period.us / 4});
  }
  if (action_at_ != core::Instant::never() && now >= action_at_) {
    push_or_flood(out);
    action_at_ = now + core::Duration{std::max<int64_t>(1, std::llround(1e6 / config_.rate_per_s))};
  }
  return core::earliest(advert_at_, action_at_);
}

}  // namespace meshota::sim
