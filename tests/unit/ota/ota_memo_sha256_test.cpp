// Nodes hashing through one shared ShaMemo get the digests their own SHA-256
// gives, whether they lead, follow, or part ways with the recorded streams.

#include <catch2/catch.hpp>
#include <array>
#include <vector>

#include "meshota/sim/node/memo_sha256.hpp"
#include "ota_test_util.hpp"

using meshota::sim::MemoSha256;
using meshota::sim::sha256_of;
using meshota::sim::ShaMemo;
using meshota::test::Bytes;

namespace {

using Digest = std::array<uint8_t, 32>;

/// Hashes `data` in pieces of `piece` bytes.
Digest hash(MemoSha256& h, std::span<const uint8_t> data, size_t piece) {
  h.begin();
  for (size_t at = 0; at < data.size(); at += piece) h.update(data.subspan(at, std::min(piece, data.size() - at)));
  uint8_t d[32];
  h.finish(d);
  Digest out;
  std::copy(std::begin(d), std::end(d), out.begin());
  return out;
}

}  // namespace

TEST_CASE("ota sha memo: shared streams give every node its own digest", "[ota]") {
  const Bytes image = meshota::test::pattern_bytes(20000, 3);
  Bytes other = image;
  other[15000] ^= 1;  // parts ways after the first pieces
  const std::span<const uint8_t> all(image);
  ShaMemo memo;
  MemoSha256 a(&memo), b(&memo), c(&memo), plain(nullptr);
  CHECK(hash(a, all, 4096) == sha256_of(all));      // records
  CHECK(hash(b, all, 4096) == sha256_of(all));      // follows
  CHECK(hash(c, other, 4096) == sha256_of(other));  // follows, then replays and goes its own way
  CHECK(hash(a, other, 4096) == sha256_of(other));  // follows c all the way
  CHECK(hash(b, all, 1000) == sha256_of(all));      // other pieces: a stream of its own
  CHECK(hash(c, all.first(5000), 4096) == sha256_of(all.first(5000)));  // finishes where nobody did
  CHECK(hash(plain, all, 4096) == sha256_of(all));
  // A begin in the middle of a stream starts over.
  b.begin();
  b.update(all.first(4096));
  CHECK(hash(b, all, 4096) == sha256_of(all));
}
