// meshota's binary OTA messages: every type round-trips with boundary values,
// every truncation and every single-bit flip of every type is refused with a
// status (run under ASan: no read outside the exact-size input), random bytes
// never crash, and the size constants match what the encoder produces.

#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "meshota/core/codec/crc16.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/core/transport.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;

namespace {

const ImageId kId = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
const ImageId kIdMax = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

template <typename Msg>
Bytes enc(const Msg& m, size_t cap = wire::kMaxFrameBytes) {
  Bytes b(cap);
  b.resize(wire::encode(m, b));
  return b;
}

/// Tries every decoder; true when any of them accepted the bytes.
bool any_decoder_accepts(const Bytes& b) {
  wire::Advertise a;
  wire::ManifestRequest mr;
  wire::ManifestData md;
  wire::PageRequest pr;
  wire::Chunk c;
  wire::RepairNack n;
  wire::PieceRequest q;
  wire::ChunkPiece p;
  wire::Type t{};
  return wire::decode(b, a) == wire::Status::kOk || wire::decode(b, mr) == wire::Status::kOk ||
         wire::decode(b, md) == wire::Status::kOk || wire::decode(b, pr) == wire::Status::kOk ||
         wire::decode(b, c) == wire::Status::kOk || wire::decode(b, n) == wire::Status::kOk ||
         wire::decode(b, q) == wire::Status::kOk || wire::decode(b, p) == wire::Status::kOk ||
         wire::peek_type(b, t) == wire::Status::kOk;
}

/// Re-seals a frame after a test edited its body: new CRC over the edited bytes.
void reseal(Bytes& b) {
  const uint16_t crc = crc16_ccitt(std::span<const uint8_t>(b).first(b.size() - 2));
  b[b.size() - 2] = static_cast<uint8_t>(crc);
  b[b.size() - 1] = static_cast<uint8_t>(crc >> 8);
}

struct Sample {
  std::string name;
  Bytes frame;
};

/// One encoded instance of every message type, fields at their limits.
std::vector<Sample> samples(const Bytes& payload) {
  std::vector<Sample> s;
  s.push_back({"Advertise", enc(wire::Advertise{0xFFFFFFFF, kIdMax, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0xFF, 0xFFFF, 0xFFFF})});
  s.push_back({"ManifestRequest", enc(wire::ManifestRequest{0, wire::kAnyNode, kId, 0xFFFFFFFF})});
  s.push_back({"ManifestData", enc(wire::ManifestData{7, kId, 0xFFFFFFFF, 0xFFFFFFFF - 3, std::span(payload).first(3)})});
  s.push_back({"PageRequest", enc(wire::PageRequest{1, 2, kId, 0xFFFF, ChunkBitmap(~uint64_t{0})})});
  s.push_back({"Chunk", enc(wire::Chunk{9, kId, 0xFFFF, 63, std::span(payload).first(wire::kMaxChunkPayloadV1)})});
  s.push_back({"RepairNack", enc(wire::RepairNack{3, 4, kId, 0, ChunkBitmap(uint64_t{1} << 63)})});
  s.push_back({"Chunk-1byte", enc(wire::Chunk{0, kId, 0, 0, std::span(payload).first(1)})});
  s.push_back({"PieceRequest", enc(wire::PieceRequest{5, wire::kAnyNode, kIdMax, 0xFFFF, 56, ~uint64_t{0}})});
  s.push_back({"ChunkPiece", enc(wire::ChunkPiece{6, kId, 0xFFFF, 63, 7, std::span(payload).first(wire::kPieceBytes)})});
  return s;
}

}  // namespace

TEST_CASE("ota wire: CRC-16/CCITT-FALSE has its catalogue check value", "[ota][wire]") {
  const std::string check = "123456789";
  CHECK(crc16_ccitt(std::span(reinterpret_cast<const uint8_t*>(check.data()), check.size())) == 0x29B1);
  CHECK(crc16_ccitt({}) == 0xFFFF);
}

TEST_CASE("ota wire: CRC-16 matches a bit-by-bit CRC at every length and split", "[ota][wire]") {
  // The host build computes sixteen bytes per step, by tables or (x86-64 with PCLMULQDQ, from
  // 64 bytes) by carry-less folding; every length up to the largest ESP-NOW frame and the chained calls
  // cover both paths, their tails and the initial value carried in.
  const Bytes data = meshota::test::pattern_bytes(kMaxMessageBytes, 11);
  for (size_t n = 0; n <= data.size(); ++n) {
    uint16_t bitwise = 0xFFFF;
    for (size_t i = 0; i < n; ++i) {
      bitwise = static_cast<uint16_t>(bitwise ^ (data[i] << 8));
      for (int bit = 0; bit < 8; ++bit)
        bitwise = static_cast<uint16_t>((bitwise & 0x8000) != 0 ? (bitwise << 1) ^ 0x1021 : bitwise << 1);
    }
    const std::span<const uint8_t> all = std::span(data).first(n);
    CHECK(crc16_ccitt(all) == bitwise);
    CHECK(crc16_ccitt(all.subspan(n / 3), crc16_ccitt(all.first(n / 3))) == bitwise);
  }
}

TEST_CASE("ota wire: an opened frame decodes as its bytes do, once its CRC is checked", "[ota][wire]") {
  const wire::PageRequest request{1, 2, kId, 5, ChunkBitmap(0x33)};
  const Bytes b = enc(request);
  wire::Opened frame;
  REQUIRE(wire::open(b, frame) == wire::Status::kOk);
  CHECK(frame.type == wire::Type::kPageRequest);
  wire::PageRequest from_bytes, from_frame;
  REQUIRE(wire::decode(b, from_bytes) == wire::Status::kOk);
  REQUIRE(wire::decode(frame, from_frame) == wire::Status::kOk);
  CHECK(from_frame == from_bytes);
  CHECK(from_frame == request);
  wire::RepairNack nack;
  CHECK(wire::decode(frame, nack) == wire::Status::kWrongType);
  Bytes flipped = b;
  flipped[10] ^= 1;
  CHECK(wire::open(flipped, frame) == wire::Status::kBadCrc);
}

TEST_CASE("ota wire: every message type round-trips with boundary values", "[ota][wire]") {
  const Bytes payload = meshota::test::pattern_bytes(wire::kMaxChunkPayloadV2, 5);
  wire::Type type{};

  SECTION("Advertise") {
    for (const wire::Advertise& m : {wire::Advertise{0, ImageId{}, 0, 1, 0, 0},
                                     wire::Advertise{0xFFFFFFFF, kIdMax, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0xFF, 0xFFFF, 0xFFFF},
                                     wire::Advertise{42, kId, 7, 186, 93, wire::kAdvertiseHasManifest, 3, 1234}}) {
      const Bytes b = enc(m);
      REQUIRE(b.size() == wire::kAdvertiseBytes);
      wire::Advertise out;
      REQUIRE(wire::decode(b, out) == wire::Status::kOk);
      CHECK(out == m);
      CHECK(wire::peek_type(b, type) == wire::Status::kOk);
      CHECK(type == wire::Type::kAdvertise);
    }
  }
  SECTION("ManifestRequest") {
    for (const wire::ManifestRequest& m : {wire::ManifestRequest{0, 0, ImageId{}, 0},
                                           wire::ManifestRequest{0xFFFFFFFE, wire::kAnyNode, kIdMax, 0xFFFFFFFF}}) {
      const Bytes b = enc(m);
      REQUIRE(b.size() == wire::kManifestRequestBytes);
      wire::ManifestRequest out;
      REQUIRE(wire::decode(b, out) == wire::Status::kOk);
      CHECK(out == m);
      CHECK((wire::peek_type(b, type) == wire::Status::kOk && type == wire::Type::kManifestRequest));
    }
  }
  SECTION("ManifestData: payload is a view into the frame") {
    for (size_t n : {size_t{1}, wire::kMaxManifestPayloadV1, wire::kMaxManifestPayloadV2}) {
      const wire::ManifestData m{0xFFFFFFFF, kId, static_cast<uint32_t>(n) + 100, 100, std::span(payload).first(n)};
      const Bytes b = enc(m);
      REQUIRE(b.size() == wire::kManifestDataFixedBytes + n);
      wire::ManifestData out;
      REQUIRE(wire::decode(b, out) == wire::Status::kOk);
      CHECK(out.sender == m.sender);
      CHECK(out.image_id == m.image_id);
      CHECK(out.total_bytes == m.total_bytes);
      CHECK(out.offset == m.offset);
      CHECK(Bytes(out.bytes.begin(), out.bytes.end()) == Bytes(payload.begin(), payload.begin() + static_cast<long>(n)));
      CHECK(out.bytes.data() >= b.data());
      CHECK(out.bytes.data() + out.bytes.size() <= b.data() + b.size());
    }
  }
  SECTION("PageRequest and RepairNack") {
    for (uint64_t bits : {uint64_t{1}, uint64_t{1} << 63, ~uint64_t{0}, uint64_t{0x0123456789abcdef}}) {
      const wire::PageRequest r{5, wire::kAnyNode, kId, 0xFFFF, ChunkBitmap(bits)};
      const Bytes b = enc(r);
      REQUIRE(b.size() == wire::kPageRequestBytes);
      wire::PageRequest ro;
      REQUIRE(wire::decode(b, ro) == wire::Status::kOk);
      CHECK(ro == r);
      const wire::RepairNack n{0, 0xFFFFFFFE, kIdMax, 0, ChunkBitmap(bits)};
      const Bytes nb = enc(n);
      REQUIRE(nb.size() == wire::kRepairNackBytes);
      wire::RepairNack no;
      REQUIRE(wire::decode(nb, no) == wire::Status::kOk);
      CHECK(no == n);
    }
  }
  SECTION("Chunk: index 0..63, payload 1..max, view into the frame") {
    for (uint8_t index : {uint8_t{0}, uint8_t{31}, uint8_t{63}})
      for (size_t n : {size_t{1}, wire::kMaxChunkPayloadV1, wire::kMaxChunkPayloadV2}) {
        const wire::Chunk m{0xFFFFFFFF, kIdMax, 0xFFFF, index, std::span(payload).first(n)};
        const Bytes b = enc(m);
        REQUIRE(b.size() == wire::kChunkFixedBytes + n);
        wire::Chunk out;
        REQUIRE(wire::decode(b, out) == wire::Status::kOk);
        CHECK(out.sender == m.sender);
        CHECK(out.image_id == m.image_id);
        CHECK(out.page == m.page);
        CHECK(out.index == index);
        CHECK(Bytes(out.payload.begin(), out.payload.end()) == Bytes(payload.begin(), payload.begin() + static_cast<long>(n)));
      }
  }
}

TEST_CASE("ota wire: piece requests and chunk pieces round-trip; a piece fits an ESP-NOW v1 frame", "[ota][wire]") {
  STATIC_REQUIRE(wire::kPieceRequestBytes == 33);
  STATIC_REQUIRE(wire::kChunkPieceFixedBytes == 22);
  STATIC_REQUIRE(wire::kPieceBytes == 228);
  STATIC_REQUIRE(wire::kChunkPieceFixedBytes + wire::kPieceBytes == wire::kEspNowV1MaxBytes);
  // A full v2 chunk is 7 pieces (6 x 228 + 81); a 228-byte chunk one; past 8 pieces none.
  STATIC_REQUIRE(wire::all_pieces(wire::kMaxChunkPayloadV2) == 0x7F);
  STATIC_REQUIRE(wire::all_pieces(228) == 0x01);
  STATIC_REQUIRE(wire::all_pieces(229) == 0x03);
  STATIC_REQUIRE(wire::all_pieces(8 * 228) == 0xFF);
  STATIC_REQUIRE(wire::all_pieces(8 * 228 + 1) == 0);
  STATIC_REQUIRE(wire::all_pieces(0) == 0);
  // A 4096-byte unit in 1449-byte chunks: 1449, 1449, 1198, then nothing; the last piece of a chunk is short.
  STATIC_REQUIRE(wire::cut_bytes(4096, 1449, 0) == 1449);
  STATIC_REQUIRE(wire::cut_bytes(4096, 1449, 2) == 1198);
  STATIC_REQUIRE(wire::cut_bytes(4096, 1449, 3) == 0);
  STATIC_REQUIRE(wire::cut_bytes(1449, wire::kPieceBytes, 6) == 81);
  STATIC_REQUIRE(wire::cut_bytes(1449, wire::kPieceBytes, 7) == 0);

  for (const wire::PieceRequest& m : {wire::PieceRequest{1, 2, kId, 0, 0, 1},
                                      wire::PieceRequest{0, wire::kAnyNode, kIdMax, 0xFFFF, 56, ~uint64_t{0}},
                                      wire::PieceRequest{7, 9, kId, 3, 62, 0xFF7F}}) {
    const Bytes b = enc(m);
    REQUIRE(b.size() == wire::kPieceRequestBytes);
    wire::PieceRequest out;
    REQUIRE(wire::decode(b, out) == wire::Status::kOk);
    CHECK(out == m);
  }
  CHECK(wire::PieceRequest{1, 2, kId, 0, 5, 0x7F00}.mask(1) == 0x7F);
  CHECK(wire::PieceRequest{1, 2, kId, 0, 5, 0x7F00}.mask(8) == 0);
  const Bytes payload = meshota::test::pattern_bytes(wire::kPieceBytes + 1, 9);
  for (size_t n : {size_t{1}, size_t{81}, wire::kPieceBytes}) {
    const wire::ChunkPiece m{0xFFFFFFFF, kIdMax, 0xFFFF, 63, 7, std::span(payload).first(n)};
    const Bytes b = enc(m);
    REQUIRE(b.size() == wire::kChunkPieceFixedBytes + n);
    wire::ChunkPiece out;
    REQUIRE(wire::decode(b, out) == wire::Status::kOk);
    CHECK(out.sender == m.sender);
    CHECK(out.image_id == m.image_id);
    CHECK(out.page == m.page);
    CHECK(out.index == 63);
    CHECK(out.piece == 7);
    CHECK(Bytes(out.payload.begin(), out.payload.end()) == Bytes(payload.begin(), payload.begin() + static_cast<long>(n)));
  }

  // Out of range: never encoded, refused when sealed into a frame.
  CHECK(enc(wire::PieceRequest{1, 2, kId, 0, 0, 0}).empty());                 // asks for nothing
  CHECK(enc(wire::PieceRequest{wire::kAnyNode, 2, kId, 0, 0, 1}).empty());    // no requester
  CHECK(enc(wire::PieceRequest{1, 2, kId, 0, 64, 1}).empty());                // no chunk 64
  CHECK(enc(wire::PieceRequest{1, 2, kId, 0, 60, uint64_t{1} << 32}).empty()); // chunk 60 + 4 = 64
  CHECK(enc(wire::ChunkPiece{1, kId, 0, 64, 0, std::span(payload).first(1)}).empty());
  CHECK(enc(wire::ChunkPiece{1, kId, 0, 0, 8, std::span(payload).first(1)}).empty());
  CHECK(enc(wire::ChunkPiece{1, kId, 0, 0, 0, payload}).empty());  // one byte past a piece
  CHECK(enc(wire::ChunkPiece{1, kId, 0, 0, 0, {}}).empty());
  Bytes past = enc(wire::PieceRequest{1, 2, kId, 0, 60, 1});
  past[27] = 1;  // byte 4 of the pieces (after requester, target, image_id, page, first): chunk 64
  reseal(past);
  wire::PieceRequest q;
  CHECK(wire::decode(past, q) == wire::Status::kBadValue);
  Bytes piece8 = enc(wire::ChunkPiece{1, kId, 0, 0, 0, std::span(payload).first(4)});
  piece8[19] = 8;  // piece
  reseal(piece8);
  wire::ChunkPiece p;
  CHECK(wire::decode(piece8, p) == wire::Status::kBadValue);
}

TEST_CASE("ota wire: frame sizes fit ESP-NOW v1 (250 B) and v2 (1470 B)", "[ota][wire]") {
  STATIC_REQUIRE(wire::kFrameOverheadBytes == 6);
  STATIC_REQUIRE(wire::kAdvertiseBytes == 31);
  STATIC_REQUIRE(wire::kManifestRequestBytes == 26);
  STATIC_REQUIRE(wire::kPageRequestBytes == 32);
  STATIC_REQUIRE(wire::kRepairNackBytes == 32);
  STATIC_REQUIRE(wire::kChunkFixedBytes == 21);
  STATIC_REQUIRE(wire::kManifestDataFixedBytes == 26);
  STATIC_REQUIRE(wire::kMaxChunkPayloadV1 == 229);
  STATIC_REQUIRE(wire::kMaxChunkPayloadV2 == 1449);
  STATIC_REQUIRE(wire::kMaxManifestPayloadV1 == 224);
  STATIC_REQUIRE(wire::kMaxManifestPayloadV2 == 1444);
  const Bytes payload(wire::kMaxChunkPayloadV2 + 1, 0xA5);
  // The largest payloads fill a frame exactly; one byte more does not fit.
  for (const auto& [frame, chunk, manifest] :
       {std::tuple{wire::kEspNowV1MaxBytes, wire::kMaxChunkPayloadV1, wire::kMaxManifestPayloadV1},
        std::tuple{wire::kEspNowV2MaxBytes, wire::kMaxChunkPayloadV2, wire::kMaxManifestPayloadV2}}) {
    CHECK(enc(wire::Chunk{1, kId, 2, 3, std::span(payload).first(chunk)}, frame).size() == frame);
    CHECK(enc(wire::Chunk{1, kId, 2, 3, std::span(payload).first(chunk + 1)}, frame).empty());
    CHECK(enc(wire::ManifestData{1, kId, 5000, 0, std::span(payload).first(manifest)}, frame).size() == frame);
    CHECK(enc(wire::ManifestData{1, kId, 5000, 0, std::span(payload).first(manifest + 1)}, frame).empty());
  }
  for (const auto& s : samples(payload)) {
    CAPTURE(s.name);
    CHECK(s.frame.size() <= wire::kEspNowV1MaxBytes);
  }
  std::printf("ota wire sizes (bytes): Advertise %zu, ManifestRequest %zu, ManifestData %zu + payload, PageRequest %zu, "
              "Chunk %zu + payload, RepairNack %zu; max chunk payload v1 %zu, v2 %zu; max manifest payload v1 %zu, v2 %zu\n",
              wire::kAdvertiseBytes, wire::kManifestRequestBytes, wire::kManifestDataFixedBytes, wire::kPageRequestBytes,
              wire::kChunkFixedBytes, wire::kRepairNackBytes, wire::kMaxChunkPayloadV1, wire::kMaxChunkPayloadV2,
              wire::kMaxManifestPayloadV1, wire::kMaxManifestPayloadV2);
}

TEST_CASE("ota wire: every truncation of every message type is refused", "[ota][wire]") {
  const Bytes payload = meshota::test::pattern_bytes(wire::kMaxChunkPayloadV2, 6);
  for (const auto& s : samples(payload)) {
    CAPTURE(s.name);
    REQUIRE(!s.frame.empty());
    for (size_t len = 0; len < s.frame.size(); ++len) {
      CAPTURE(len);
      // An exact-size copy: under ASan any read past the prefix is caught.
      const Bytes prefix(s.frame.begin(), s.frame.begin() + static_cast<long>(len));
      REQUIRE_FALSE(any_decoder_accepts(prefix));
      wire::Type t{};
      CHECK(wire::peek_type(prefix, t) == wire::Status::kTruncated);
    }
  }
}

TEST_CASE("ota wire: every single-bit flip of every message type is refused", "[ota][wire]") {
  const Bytes payload = meshota::test::pattern_bytes(wire::kMaxChunkPayloadV2, 7);
  size_t flips = 0;
  for (const auto& s : samples(payload)) {
    CAPTURE(s.name);
    REQUIRE(any_decoder_accepts(s.frame));
    for (size_t bit = 0; bit < s.frame.size() * 8; ++bit) {
      CAPTURE(bit);
      Bytes b = s.frame;
      b[bit / 8] = static_cast<uint8_t>(b[bit / 8] ^ (1u << (bit % 8)));
      REQUIRE_FALSE(any_decoder_accepts(b));
      ++flips;
    }
  }
  CHECK(flips > 2000);
}

TEST_CASE("ota wire: each refusal names its reason", "[ota][wire]") {
  const Bytes payload(16, 0x11);
  const Bytes adv = enc(wire::Advertise{1, kId, 2, 10, 5, 0});
  wire::Advertise a;
  wire::Chunk c;
  wire::Type t{};

  CHECK(wire::decode(Bytes{'{', '"', 'f'}, a) == wire::Status::kBadMagic);  // painlessMesh JSON
  Bytes v = adv;
  v[0] = wire::kMagic | 2;
  CHECK(wire::decode(v, a) == wire::Status::kBadVersion);
  Bytes longer = adv;
  longer.push_back(0);
  CHECK(wire::decode(longer, a) == wire::Status::kBadLength);
  Bytes crc = adv;
  crc[10] ^= 0x40;
  CHECK(wire::decode(crc, a) == wire::Status::kBadCrc);
  CHECK(wire::decode(adv, c) == wire::Status::kWrongType);
  Bytes unknown = adv;
  unknown[1] = 0x7F;
  reseal(unknown);
  CHECK(wire::decode(unknown, a) == wire::Status::kUnknownType);
  CHECK(wire::peek_type(unknown, t) == wire::Status::kUnknownType);
  // A body of the wrong size for its type, with a consistent length and CRC.
  Bytes shorter(adv.begin(), adv.end() - 3);
  shorter[2] = static_cast<uint8_t>(shorter.size());
  reseal(shorter);
  CHECK(wire::decode(shorter, a) == wire::Status::kBadLength);

  SECTION("out-of-range fields are refused by the decoder, and never encoded") {
    Bytes over = adv;  // pages_complete (offset 22) above page_count
    over[22] = 11;
    reseal(over);
    CHECK(wire::decode(over, a) == wire::Status::kBadValue);
    CHECK(enc(wire::Advertise{1, kId, 2, 10, 11, 0}).empty());
    CHECK(enc(wire::Advertise{1, kId, 2, 0, 0, 0}).empty());

    Bytes idx = enc(wire::Chunk{1, kId, 0, 0, payload});
    idx[18] = 64;  // index
    reseal(idx);
    CHECK(wire::decode(idx, c) == wire::Status::kBadValue);
    CHECK(enc(wire::Chunk{1, kId, 0, 64, payload}).empty());
    CHECK(enc(wire::Chunk{1, kId, 0, 0, {}}).empty());

    CHECK(enc(wire::PageRequest{1, 2, kId, 0, ChunkBitmap()}).empty());
    CHECK(enc(wire::RepairNack{1, 2, kId, 0, ChunkBitmap()}).empty());
    CHECK(enc(wire::PageRequest{wire::kAnyNode, 2, kId, 0, ChunkBitmap(1)}).empty());
    CHECK(enc(wire::ManifestRequest{wire::kAnyNode, 2, kId, 0}).empty());
    CHECK(enc(wire::ManifestData{1, kId, 10, 0, payload}).empty());  // 16 bytes past a 10-byte manifest
    CHECK(enc(wire::ManifestData{1, kId, 10, 0, {}}).empty());

    Bytes zero = enc(wire::PageRequest{1, 2, kId, 0, ChunkBitmap(1)});
    zero[22] = 0;  // the bitmap's only bit (after requester, target, image_id, page)
    reseal(zero);
    wire::PageRequest pr;
    CHECK(wire::decode(zero, pr) == wire::Status::kBadValue);
  }
  SECTION("an encoder refuses a buffer too small, byte by byte") {
    const wire::Chunk m{1, kId, 0, 0, payload};
    const size_t need = enc(m).size();
    for (size_t cap = 0; cap < need; ++cap) CHECK(enc(m, cap).empty());
  }
  SECTION("a failed decode leaves the output untouched") {
    wire::Advertise before{9, kId, 9, 9, 9, 9};
    wire::Advertise out = before;
    CHECK(wire::decode(crc, out) != wire::Status::kOk);
    CHECK(out == before);
  }
}

TEST_CASE("ota wire: random bytes and random sealed frames never crash a decoder", "[ota][wire]") {
  const uint32_t seed = meshota::test::test_seed("wire garbage");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  uint32_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    Bytes b(rng() % 300);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    const bool sealed = round % 2 == 1 && b.size() >= wire::kFrameOverheadBytes;
    if (sealed) {  // a valid header and CRC around random fields: exercises every body parser
      b[0] = wire::kMagicVersion;
      b[1] = static_cast<uint8_t>(1 + rng() % 8);
      b[2] = static_cast<uint8_t>(b.size());
      b[3] = static_cast<uint8_t>(b.size() >> 8);
      reseal(b);
    }
    const bool any = any_decoder_accepts(b);  // every decoder runs on every buffer
    wire::Type t{};
    if (wire::peek_type(b, t) != wire::Status::kOk) {
      CHECK_FALSE(any);
      continue;
    }
    // A sealed frame of a known type: its own decoder accepts it or names a
    // field; whatever it accepts is canonical (re-encodes to the same bytes).
    Bytes again;
    wire::Status st = wire::Status::kOk;
    switch (t) {
      case wire::Type::kAdvertise: { wire::Advertise m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kManifestRequest: { wire::ManifestRequest m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kManifestData: { wire::ManifestData m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kPageRequest: { wire::PageRequest m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kChunk: { wire::Chunk m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kRepairNack: { wire::RepairNack m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kPieceRequest: { wire::PieceRequest m; st = wire::decode(b, m); again = enc(m); break; }
      case wire::Type::kChunkPiece: { wire::ChunkPiece m; st = wire::decode(b, m); again = enc(m); break; }
    }
    if (st != wire::Status::kOk) {
      CHECK((st == wire::Status::kBadLength || st == wire::Status::kBadValue));
      continue;
    }
    ++accepted;
    CHECK(again == b);
  }
  CHECK(accepted > 100);
}
