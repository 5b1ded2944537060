// Two peer-to-peer agents driven by hand over a link that loses most whole
// chunk frames from the holder (a receiver at the edge of range): the receiver
// turns to pieces once pages in a row lost most of a round, still writes the
// image, and the holder's answers never leave faster than one frame per
// airtime. Without pieces (piece_below 0) the same link never sees a piece.

#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <vector>

#include "meshota/core/ota/image_writer.hpp"
#include "meshota/core/ota/p2p_agent.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"
#include "meshota/sim/ota/meshota_stack.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;

namespace {

constexpr NodeId kSource = 1, kReceiver = 2;

/// One node's image state and agent, over fake flash and real SHA-256 and zlib.
struct Peer {
  Peer(const meshota::sim::PackedImage& p, OtaPeerConfig cfg)
      : flash(2, 512 * 1024, 4096),
        stage(1, 512 * 1024, 4096),
        manifest(p.manifest.size()),
        offsets(p.header.page_count + 1),
        unit(p.header.max_unit_bytes()),
        work(ImageWriter::work_bytes_for(p.header)),
        buffers(2, Bytes(p.header.max_unit_bytes())),
        image(ImageStorage{flash, stage, boot, state, sha, &inflater}, ManifestTrust{},
              ImageBuffers{manifest, offsets, unit, work, window()}),
        agent(cfg, image, rng) {}

  std::span<PageAssembler* const> window() {
    for (Bytes& b : buffers) assemblers.push_back(std::make_unique<PageAssembler>(b, sha));
    for (auto& a : assemblers) window_.push_back(a.get());
    return window_;
  }

  meshota::test::FakeFlash flash, stage;
  meshota::test::FakeBoot boot;
  meshota::test::FakeStateStore state;
  meshota::sim::OpenSslSha256 sha;
  meshota::sim::ZlibInflater inflater;
  meshota::test::FakeRng rng;
  Bytes manifest;
  std::vector<uint32_t> offsets;
  Bytes unit, work;
  std::vector<Bytes> buffers;
  std::vector<std::unique_ptr<PageAssembler>> assemblers;
  std::vector<PageAssembler*> window_;
  ImageState image;
  P2pAgent agent;
};

struct InFlight {
  Instant at;
  NodeId to;
  Bytes frame;
};

struct LinkRun {
  bool written = false;
  uint32_t piece_requests = 0, pieces_heard = 0, chunks_lost = 0;
  bool paced = true;  ///< no two holder frames closer than the airtime of the first
  double written_s = -1;
};

/// Runs source and receiver until the receiver has written the image (or 600 s pass). Of the whole
/// chunk frames from the source, 1 in 3 reaches the receiver; every other frame arrives, 1 ms later.
LinkRun run_link(double piece_below) {
  const Bytes& fw = meshota::test::firmware("hello_world_new.bin");
  // As the radio fleets: 16 KB pages deflated, about 7 chunks of 7 pieces each.
  meshota::sim::PackOptions o = meshota::test::deflate_options(12, 16384);
  o.chunk_size = static_cast<uint16_t>(wire::kMaxChunkPayloadV2);
  const meshota::sim::PackedImage p = meshota::test::pack(fw, o);
  OtaPeerConfig cfg;
  cfg.piece_below_256 = static_cast<uint32_t>(piece_below * 256);
  cfg.self = kSource;
  Peer source(p, cfg);
  cfg.self = kReceiver;
  Peer receiver(p, cfg);
  meshota::sim::PackedUnitSource units(p);

  LinkRun r;
  std::deque<InFlight> air;
  Outbox out;
  Instant last_source_frame = Instant::never();
  Duration last_gap{0};
  uint32_t chunk_frames = 0;
  const auto collect = [&](NodeId from, Instant now) {
    for (size_t i = 0; i < out.size(); ++i) {
      const Bytes f(out.bytes(i).begin(), out.bytes(i).end());
      wire::Type type{};
      REQUIRE(wire::peek_type(f, type) == wire::Status::kOk);
      if (from == kReceiver && type == wire::Type::kPieceRequest) ++r.piece_requests;
      if (from == kSource && (type == wire::Type::kChunk || type == wire::Type::kChunkPiece)) {
        if (last_source_frame != Instant::never() && now - last_source_frame < last_gap) r.paced = false;
        last_source_frame = now;
        last_gap = type == wire::Type::kChunk ? cfg.serve_gap : cfg.piece_gap;
        if (type == wire::Type::kChunk && ++chunk_frames % 3 != 0) {
          ++r.chunks_lost;
          continue;
        }
      }
      if (from == kSource && type == wire::Type::kChunkPiece) ++r.pieces_heard;
      air.push_back({now + Duration::millis(1), from == kSource ? kReceiver : kSource, f});
    }
    out.clear();
  };

  Instant now{0};
  source.agent.on_boot(now);
  receiver.agent.on_boot(now);
  REQUIRE(source.agent.offer(now, p.manifest, units, out));
  collect(kSource, now);
  while (now < Instant{600'000'000} && !receiver.image.written()) {
    Instant next = source.agent.poll(now, out);
    collect(kSource, now);
    next = earliest(next, receiver.agent.poll(now, out));
    collect(kReceiver, now);
    for (const InFlight& f : air) next = earliest(next, f.at);
    REQUIRE(next != Instant::never());
    now = next > now ? next : Instant{now.us + 1};
    while (!air.empty() && air.front().at <= now) {
      const InFlight f = air.front();
      air.pop_front();
      Peer& to = f.to == kSource ? source : receiver;
      to.agent.on_message(now, f.to == kSource ? kReceiver : kSource, f.frame, out);
      collect(f.to, now);
    }
  }
  r.written = receiver.image.written();
  r.written_s = static_cast<double>(now.us) / 1e6;
  std::printf("ota p2p over a link losing 2 in 3 chunk frames, piece_below %.2f: written at %.1f s, %u piece "
              "requests, %u pieces heard, %u chunk frames lost\n",
              piece_below, r.written_s, r.piece_requests, r.pieces_heard, r.chunks_lost);
  return r;
}

}  // namespace

TEST_CASE("ota p2p: a receiver that loses 2 in 3 whole chunk frames fetches in pieces and writes the image",
          "[ota][p2p]") {
  const LinkRun pieces = run_link(0.5);
  CHECK(pieces.written);
  CHECK(pieces.piece_requests > 0);
  CHECK(pieces.pieces_heard > 0);
  CHECK(pieces.chunks_lost > 0);
  CHECK(pieces.paced);

  const LinkRun whole = run_link(0.0);  // never in pieces: whole chunks only, over the same link
  CHECK(whole.written);
  CHECK(whole.piece_requests == 0);
  CHECK(whole.pieces_heard == 0);
  CHECK(whole.paced);
  CHECK(pieces.written_s < whole.written_s);  // pieces get through where whole chunks do not
}
