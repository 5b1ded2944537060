// Nodes inflating through one shared InflateMemo see exactly what their own
// zlib would give them: output, counts, state_bytes() and peak, whatever the
// order in which they lead or follow, resume from a dictionary, or go their
// own way with a unit nobody else had.

#include <catch2/catch.hpp>
#include <vector>

#include "meshota/sim/node/memo_inflater.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::sim::InflateMemo;
using meshota::sim::MemoInflater;
using meshota::sim::ZlibInflater;
using meshota::test::Bytes;

namespace {

constexpr uint8_t kWindowBits = 12;

/// A node's memo inflater beside the plain zlib it must agree with.
struct Twin {
  explicit Twin(InflateMemo& memo) : shared(&memo) {}
  ZlibInflater own;
  MemoInflater shared;

  void agree() const {
    CHECK(shared.state_bytes() == own.state_bytes());
    CHECK(shared.peak_state_bytes() == own.peak_state_bytes());
  }
  void reset(std::span<const uint8_t> dictionary) {
    REQUIRE(shared.reset(kWindowBits, dictionary) == own.reset(kWindowBits, dictionary));
    agree();
  }
  /// Inflates `unit` in calls of at most `room` bytes of output, as the image writer does.
  void inflate(std::span<const uint8_t> unit, size_t room) {
    Bytes a(room), b(room);
    size_t used = 0;
    for (int call = 0; call < 64; ++call) {
      size_t ca = 0, pa = 0, cb = 0, pb = 0;
      const InflateResult ra = own.inflate(unit.subspan(used), a, ca, pa);
      const InflateResult rb = shared.inflate(unit.subspan(used), b, cb, pb);
      REQUIRE(rb == ra);
      REQUIRE(cb == ca);
      REQUIRE(pb == pa);
      CHECK(std::equal(a.begin(), a.begin() + static_cast<long>(pa), b.begin()));
      agree();
      used += ca;
      if (ra != InflateResult::kOutputFull) break;
    }
  }
};

}  // namespace

TEST_CASE("ota inflate memo: shared streams give every node what its own zlib gives", "[ota][inflate]") {
  const Bytes image = meshota::test::firmware("hello_world_new.bin");
  const auto p = meshota::test::pack(image, meshota::test::deflate_options(kWindowBits));
  const uint32_t pages = p.header.page_count;
  REQUIRE(pages > 8);
  const size_t room = p.header.page_size_bytes / 3 + 7;  // several calls per page
  InflateMemo memo;
  Twin a(memo), b(memo), c(memo), d(memo);
  for (Twin* t : {&a, &b, &c}) t->reset({});
  const size_t resume = size_t{4} * p.header.page_size_bytes;
  d.reset(std::span<const uint8_t>(image).subspan(resume - (size_t{1} << kWindowBits), size_t{1} << kWindowBits));
  Bytes bad = p.units[6];
  bad[bad.size() / 2] ^= 0x5a;
  for (uint32_t k = 0; k < pages; ++k) {
    CAPTURE(k);
    // The lead changes hands: a leads on even pages, b on odd ones; c follows, and
    // at page 6 gets a damaged unit, then starts over from a dictionary.
    if (k % 2 == 0) {
      a.inflate(p.units[k], room);
      b.inflate(p.units[k], room);
    } else {
      b.inflate(p.units[k], room);
      a.inflate(p.units[k], room);
    }
    if (k == 6) {
      c.inflate(bad, room);
      c.reset(std::span<const uint8_t>(image).subspan(size_t{6} * p.header.page_size_bytes - (size_t{1} << kWindowBits),
                                                      size_t{1} << kWindowBits));
    }
    c.inflate(p.units[k], room);
    if (k >= 4) d.inflate(p.units[k], room);
  }
  // A newcomer follows a's whole stream from the memo, with a different room: its own way.
  Twin e(memo);
  e.reset({});
  for (uint32_t k = 0; k < pages; ++k) e.inflate(p.units[k], k < 3 ? room : room + 1);
}
