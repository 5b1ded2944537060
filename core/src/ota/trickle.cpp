#include "meshota/core/ota/trickle.hpp"

namespace meshota::core {
namespace {

// Uniform in [lo, hi) microseconds (lo when the range is empty).
int64_t uniform_us(Rng& rng, int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(hi - lo);
  const uint64_t draw = (uint64_t{rng.next_u32()} << 32) | rng.next_u32();
  return lo + static_cast<int64_t>(draw % span);
}

}  // namespace

void Trickle::start(Instant now, Rng& rng) {
  running_ = true;
  i_ = Duration{uniform_us(rng, config_.imin.us, config_.imax.us + 1)};
  begin_interval(now, rng);
}

void Trickle::begin_interval(Instant now, Rng& rng) {
  c_ = 0;
  interval_end_ = now + i_;
  fire_at_ = now + Duration{uniform_us(rng, i_.us / 2, i_.us)};
}

void Trickle::inconsistent(Instant now, Rng& rng) {
  if (!running_) {
    running_ = true;
    i_ = config_.imin;
    begin_interval(now, rng);
    return;
  }
  if (i_ == config_.imin) return;
  i_ = config_.imin;
  begin_interval(now, rng);
}

bool Trickle::poll(Instant now, Rng& rng) {
  if (!running_) return false;
  bool transmit = false;
  if (now >= fire_at_) {
    fire_at_ = Instant::never();
    transmit = c_ < config_.k;
    if (transmit) ++sent_;
    else ++suppressed_;
  }
  if (now >= interval_end_) {
    // Rule 5: double I up to Imax and begin a new interval at the old one's end
    // (or now, if the caller was so late that the new one would be over too).
    i_ = Duration{i_.us * 2 > config_.imax.us ? config_.imax.us : i_.us * 2};
    begin_interval(interval_end_ + i_ <= now ? now : interval_end_, rng);
  }
  return transmit;
}

}  // namespace meshota::core
