#include "meshota/core/ota/wire.hpp"

#include <cstring>

#include "meshota/core/codec/byte_reader.hpp"
#include "meshota/core/codec/byte_writer.hpp"
#include "meshota/core/codec/crc16.hpp"

namespace meshota::core::wire {
namespace {

constexpr uint8_t kLastType = static_cast<uint8_t>(Type::kChunkPiece);

void begin_frame(ByteWriter& w, Type type) {
  w.u8(kMagicVersion);
  w.u8(static_cast<uint8_t>(type));
  w.u16(0);  // length, patched by end_frame
}

size_t end_frame(ByteWriter& w) {
  const size_t total = w.size() + kCrcBytes;
  if (!w.ok() || total > kMaxFrameBytes) return 0;
  w.patch_u16(2, static_cast<uint16_t>(total));
  w.u16(crc16_ccitt(w.written()));
  return w.size();
}

void put_id(ByteWriter& w, const ImageId& id) { w.bytes(id); }

void take_id(ByteReader& r, ImageId& id) {
  const auto b = r.bytes(id.size());
  if (b.size() == id.size()) std::memcpy(id.data(), b.data(), id.size());
}

// Everything but the body: magic, version, length against the real size, CRC, type.
Status open_frame(std::span<const uint8_t> in, Type& type, std::span<const uint8_t>& body) {
  if (in.empty()) return Status::kTruncated;
  if ((in[0] & 0xF0) != kMagic) return Status::kBadMagic;
  if ((in[0] & 0x0F) != kVersion) return Status::kBadVersion;
  if (in.size() < kFrameOverheadBytes) return Status::kTruncated;
  const size_t length = size_t{in[2]} | (size_t{in[3]} << 8);
  if (length > in.size()) return Status::kTruncated;
  if (length < in.size() || length < kFrameOverheadBytes) return Status::kBadLength;
  const uint16_t crc = static_cast<uint16_t>(in[length - 2] | (in[length - 1] << 8));
  if (crc16_ccitt(in.first(length - kCrcBytes)) != crc) return Status::kBadCrc;
  if (in[1] == 0 || in[1] > kLastType) return Status::kUnknownType;
  type = static_cast<Type>(in[1]);
  body = in.subspan(kHeaderBytes, length - kFrameOverheadBytes);
  return Status::kOk;
}

Status expect(const Opened& in, Type want) { return in.type == want ? Status::kOk : Status::kWrongType; }

template <typename Msg>
Status decode_frame(std::span<const uint8_t> in, Msg& out) {
  Opened frame;
  if (const Status s = open(in, frame); s != Status::kOk) return s;
  return decode(frame, out);
}

// A fixed-size body must have been read exactly.
Status close_fixed(const ByteReader& r) {
  return r.ok() && r.remaining() == 0 ? Status::kOk : Status::kBadLength;
}

bool valid(const Advertise& m) { return m.page_count >= 1 && m.pages_complete <= m.page_count; }
bool valid(const ManifestRequest& m) { return m.requester != kAnyNode; }
bool valid(const ManifestData& m) {
  return !m.bytes.empty() && uint64_t{m.offset} + m.bytes.size() <= m.total_bytes;
}
bool valid(const PageRequest& m) { return !m.chunks.empty() && m.requester != kAnyNode; }
bool valid(const Chunk& m) { return m.index < ChunkBitmap::kMaxChunks && !m.payload.empty(); }
bool valid(const RepairNack& m) { return !m.missing.empty() && m.requester != kAnyNode; }
bool valid(const PieceRequest& m) {
  if (m.requester == kAnyNode || m.first >= ChunkBitmap::kMaxChunks || m.pieces == 0) return false;
  const uint32_t room = ChunkBitmap::kMaxChunks - m.first;  // chunks first .. 63
  return room >= kPieceRequestChunks || (m.pieces >> (8 * room)) == 0;
}
bool valid(const ChunkPiece& m) {
  return m.index < ChunkBitmap::kMaxChunks && m.piece < kMaxPieces && !m.payload.empty() &&
         m.payload.size() <= kPieceBytes;
}

// A decoded message whose fields are in range becomes the caller's; otherwise kBadValue, `out` unchanged.
template <typename Msg>
Status accept(const Msg& m, Msg& out) {
  if (!valid(m)) return Status::kBadValue;
  out = m;
  return Status::kOk;
}

// PageRequest and RepairNack share their layout.
void put_page_bits(ByteWriter& w, uint32_t requester, uint32_t target, const ImageId& id, uint16_t page,
                   ChunkBitmap bits) {
  w.u32(requester);
  w.u32(target);
  put_id(w, id);
  w.u16(page);
  w.u64(bits.bits());
}

template <typename Msg>
Status take_page_bits(const Opened& in, Type type, Msg& out, ChunkBitmap Msg::*bits) {
  if (const Status s = expect(in, type); s != Status::kOk) return s;
  ByteReader r(in.body);
  Msg m;
  m.requester = r.u32();
  m.target = r.u32();
  take_id(r, m.image_id);
  m.page = r.u16();
  m.*bits = ChunkBitmap(r.u64());
  if (const Status s = close_fixed(r); s != Status::kOk) return s;
  return accept(m, out);
}

}  // namespace

size_t encode(const Advertise& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kAdvertise);
  w.u32(m.sender);
  put_id(w, m.image_id);
  w.u32(m.image_version);
  w.u16(m.page_count);
  w.u16(m.pages_complete);
  w.u8(m.flags);
  w.u16(m.grant_seq);
  w.u16(m.grant_rank);
  return end_frame(w);
}

size_t encode(const ManifestRequest& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kManifestRequest);
  w.u32(m.requester);
  w.u32(m.target);
  put_id(w, m.image_id);
  w.u32(m.offset);
  return end_frame(w);
}

size_t encode(const ManifestData& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kManifestData);
  w.u32(m.sender);
  put_id(w, m.image_id);
  w.u32(m.total_bytes);
  w.u32(m.offset);
  w.bytes(m.bytes);
  return end_frame(w);
}

size_t encode(const PageRequest& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kPageRequest);
  put_page_bits(w, m.requester, m.target, m.image_id, m.page, m.chunks);
  return end_frame(w);
}

size_t encode(const Chunk& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kChunk);
  w.u32(m.sender);
  put_id(w, m.image_id);
  w.u16(m.page);
  w.u8(m.index);
  w.bytes(m.payload);
  return end_frame(w);
}

size_t encode(const RepairNack& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kRepairNack);
  put_page_bits(w, m.requester, m.target, m.image_id, m.page, m.missing);
  return end_frame(w);
}

size_t encode(const PieceRequest& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kPieceRequest);
  w.u32(m.requester);
  w.u32(m.target);
  put_id(w, m.image_id);
  w.u16(m.page);
  w.u8(m.first);
  w.u64(m.pieces);
  return end_frame(w);
}

size_t encode(const ChunkPiece& m, std::span<uint8_t> out) {
  if (!valid(m)) return 0;
  ByteWriter w(out);
  begin_frame(w, Type::kChunkPiece);
  w.u32(m.sender);
  put_id(w, m.image_id);
  w.u16(m.page);
  w.u8(m.index);
  w.u8(m.piece);
  w.bytes(m.payload);
  return end_frame(w);
}

Status decode(const Opened& in, Advertise& out) {
  if (const Status s = expect(in, Type::kAdvertise); s != Status::kOk) return s;
  ByteReader r(in.body);
  Advertise m;
  m.sender = r.u32();
  take_id(r, m.image_id);
  m.image_version = r.u32();
  m.page_count = r.u16();
  m.pages_complete = r.u16();
  m.flags = r.u8();
  m.grant_seq = r.u16();
  m.grant_rank = r.u16();
  if (const Status s = close_fixed(r); s != Status::kOk) return s;
  return accept(m, out);
}

Status decode(const Opened& in, ManifestRequest& out) {
  if (const Status s = expect(in, Type::kManifestRequest); s != Status::kOk) return s;
  ByteReader r(in.body);
  ManifestRequest m;
  m.requester = r.u32();
  m.target = r.u32();
  take_id(r, m.image_id);
  m.offset = r.u32();
  if (const Status s = close_fixed(r); s != Status::kOk) return s;
  return accept(m, out);
}

Status decode(const Opened& in, ManifestData& out) {
  if (const Status s = expect(in, Type::kManifestData); s != Status::kOk) return s;
  ByteReader r(in.body);
  ManifestData m;
  m.sender = r.u32();
  take_id(r, m.image_id);
  m.total_bytes = r.u32();
  m.offset = r.u32();
  if (!r.ok()) return Status::kBadLength;
  m.bytes = r.rest();
  return accept(m, out);
}

Status decode(const Opened& in, PageRequest& out) {
  return take_page_bits(in, Type::kPageRequest, out, &PageRequest::chunks);
}

Status decode(const Opened& in, Chunk& out) {
  if (const Status s = expect(in, Type::kChunk); s != Status::kOk) return s;
  ByteReader r(in.body);
  Chunk m;
  m.sender = r.u32();
  take_id(r, m.image_id);
  m.page = r.u16();
  m.index = r.u8();
  if (!r.ok()) return Status::kBadLength;
  m.payload = r.rest();
  return accept(m, out);
}

Status decode(const Opened& in, RepairNack& out) {
  return take_page_bits(in, Type::kRepairNack, out, &RepairNack::missing);
}

Status decode(const Opened& in, PieceRequest& out) {
  if (const Status s = expect(in, Type::kPieceRequest); s != Status::kOk) return s;
  ByteReader r(in.body);
  PieceRequest m;
  m.requester = r.u32();
  m.target = r.u32();
  take_id(r, m.image_id);
  m.page = r.u16();
  m.first = r.u8();
  m.pieces = r.u64();
  if (const Status s = close_fixed(r); s != Status::kOk) return s;
  return accept(m, out);
}

Status decode(const Opened& in, ChunkPiece& out) {
  if (const Status s = expect(in, Type::kChunkPiece); s != Status::kOk) return s;
  ByteReader r(in.body);
  ChunkPiece m;
  m.sender = r.u32();
  take_id(r, m.image_id);
  m.page = r.u16();
  m.index = r.u8();
  m.piece = r.u8();
  if (!r.ok()) return Status::kBadLength;
  m.payload = r.rest();
  return accept(m, out);
}

Status open(std::span<const uint8_t> in, Opened& out) { return open_frame(in, out.type, out.body); }

Status peek_type(std::span<const uint8_t> in, Type& type) {
  Opened frame;
  const Status s = open(in, frame);
  if (s == Status::kOk) type = frame.type;
  return s;
}

Status decode(std::span<const uint8_t> in, Advertise& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, ManifestRequest& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, ManifestData& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, PageRequest& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, Chunk& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, RepairNack& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, PieceRequest& out) { return decode_frame(in, out); }
Status decode(std::span<const uint8_t> in, ChunkPiece& out) { return decode_frame(in, out); }

}  // namespace meshota::core::wire
