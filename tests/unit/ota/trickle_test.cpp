// RFC 6206's rules, driven by hand.

#include <catch2/catch.hpp>

#include "fake_hal.hpp"
#include "meshota/core/ota/trickle.hpp"

using namespace meshota::core;

namespace {

// Polls the timer at its deadlines until `end`; returns the transmission times.
std::vector<Instant> run(Trickle& t, Rng& rng, Instant end) {
  std::vector<Instant> sent;
  for (int guard = 0; guard < 100000 && t.deadline() <= end; ++guard) {
    const Instant at = t.deadline();
    if (t.poll(at, rng)) sent.push_back(at);
  }
  return sent;
}

}  // namespace

TEST_CASE("trickle: alone, it transmits once per interval while I doubles to Imax") {
  meshota::test::FakeRng rng;
  TrickleConfig cfg{Duration::millis(100), Duration::seconds(10), 1};
  Trickle t(cfg);
  t.inconsistent(Instant{0}, rng);  // starts at Imin
  CHECK(t.interval() == cfg.imin);
  const auto sent = run(t, rng, Instant{0} + Duration::seconds(100));
  // 100 ms, 200, 400, ..., 6.4 s, then 10 s intervals: 7 doublings (~12.7 s), then ~8.7 of 10 s.
  CAPTURE(sent.size());
  CHECK(sent.size() >= 14);
  CHECK(sent.size() <= 17);
  CHECK(t.interval() == cfg.imax);
  // The first transmission falls in [Imin/2, Imin).
  REQUIRE(!sent.empty());
  CHECK(sent[0].us >= 50000);
  CHECK(sent[0].us < 100000);
}

TEST_CASE("trickle: k consistent messages heard in an interval suppress its transmission") {
  meshota::test::FakeRng rng;
  Trickle t({Duration::millis(100), Duration::seconds(1), 2});
  t.inconsistent(Instant{0}, rng);
  t.heard_consistent();
  t.heard_consistent();
  CHECK_FALSE(t.poll(t.deadline(), rng));  // at t: c = 2 >= k
  CHECK(t.suppressed() == 1);
  // The next interval starts with c = 0 again.
  const Instant next_t = t.deadline() <= Instant{100000} ? Instant{100000} : t.deadline();
  t.poll(next_t, rng);
  CHECK(t.poll(t.deadline(), rng));
}

TEST_CASE("trickle: an inconsistency resets I to Imin, and does nothing at Imin") {
  meshota::test::FakeRng rng;
  Trickle t({Duration::millis(50), Duration::seconds(60), 1});
  t.start(Instant{0}, rng);
  run(t, rng, Instant{0} + Duration::seconds(300));
  CHECK(t.interval() == Duration::seconds(60));
  const Instant now = Instant{0} + Duration::seconds(300);
  t.inconsistent(now, rng);
  CHECK(t.interval() == Duration::millis(50));
  const Instant deadline = t.deadline();
  CHECK(deadline >= now + Duration::millis(25));
  CHECK(deadline < now + Duration::millis(50));
  t.inconsistent(now + Duration::millis(1), rng);  // already Imin: the interval is kept
  CHECK(t.deadline() == deadline);
}
