#include "meshota/core/pm/pm_ota_sender.hpp"

#include "meshota/core/pm/pm_codec.hpp"

namespace meshota::core {

PmOtaSender::PmOtaSender(NodeId self, const PmOtaConfig& config, ImageSource& image)
    : self_(self), config_(config), image_(image) {}

void PmOtaSender::on_boot(Instant) {
  // offerOTA() is an application call; a rebooted sender offers again only
  // when the application calls offer() again.
  offering_ = false;
  next_announce_ = Instant::never();
}

void PmOtaSender::offer(Instant now, const PmOffer& offer, Outbox& out) {
  offer_ = offer;
  offering_ = true;
  announces_left_ = config_.announce_count;
  // TaskScheduler runs a freshly enabled task at once.
  next_announce_ = now;
  poll(now, out);
}

void PmOtaSender::send_announce(Outbox& out) {
  PmOtaPackage a;
  a.type = PmType::kOtaAnnounce;
  a.from = self_;
  a.routing = Routing::kBroadcast;
  a.md5 = offer_.md5;
  a.hardware = offer_.hardware;
  a.role = offer_.role;
  a.forced = offer_.forced;
  a.no_part = offer_.no_part;
  a.broadcasted = offer_.broadcasted;
  a.compressed = offer_.compressed;
  const size_t n = pm_encode(a, out.reserve());
  if (n == 0 || !out.commit(0, Routing::kBroadcast, n)) {
    out.count_overflow();
    return;
  }
  ++stats_.announces_sent;
}

Instant PmOtaSender::poll(Instant now, Outbox& out) {
  if (offering_ && announces_left_ > 0 && now >= next_announce_) {
    send_announce(out);
    --announces_left_;
    next_announce_ = announces_left_ > 0 ? now + config_.announce_interval : Instant::never();
  }
  return announces_left_ > 0 ? next_announce_ : Instant::never();
}

void PmOtaSender::on_package(Instant, const JsonReader& json, int type, Outbox& out) {
  if (type != static_cast<int>(PmType::kOtaDataRequest)) return;
  PmOtaPackage req;
  if (pm_decode(json, req) != PmDecodeStatus::kOk || req.dest != self_) return;
  // Upstream answers every DataRequest addressed to it through the
  // application callback, whatever md5 it names; the callback reads by partNo.
  const uint32_t chunk_bytes = offer_.chunk_bytes < kPmMaxChunkBytes ? offer_.chunk_bytes : kPmMaxChunkBytes;
  const uint32_t size = image_.read_chunk(req.part_no, chunk_bytes, std::span<uint8_t>(chunk_, chunk_bytes));
  if (size == 0) {
    ++stats_.requests_unanswerable;
    return;
  }
  // Data::replyTo(req): from/dest swap; BROADCAST routing when broadcasted.
  PmOtaPackage d = req;
  d.type = PmType::kOtaData;
  d.from = req.dest;
  d.dest = req.from;
  d.routing = req.broadcasted ? Routing::kBroadcast : Routing::kSingle;
  const size_t n = pm_encode_data(d, std::span<const uint8_t>(chunk_, size), out.reserve());
  if (n == 0 || !out.commit(d.dest, d.routing, n)) {
    out.count_overflow();
    return;
  }
  ++stats_.requests_answered;
  if (req.broadcasted) ++stats_.data_broadcast;
}

}  // namespace meshota::core
