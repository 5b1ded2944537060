#pragma once
// Per-link frame loss: Bernoulli or Gilbert-Elliott (bursty). Each link
// direction owns one LossModel with its own random stream, so what one link
// draws never depends on what happens elsewhere.

#include <cstdint>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// Loss state and random stream of one link direction; lost() draws once.
class LossModel {
 public:
  LossModel() = default;
  LossModel(const LossSpec& spec, uint64_t seed)
      : kind_(spec.kind),
        rng_(seed),
        p_loss_good_(RngStream::threshold(spec.kind == LossKind::kBernoulli ? spec.p : spec.loss_good)),
        p_loss_bad_(RngStream::threshold(spec.loss_bad)),
        p_good_bad_(RngStream::threshold(spec.p_good_to_bad)),
        p_bad_good_(RngStream::threshold(spec.p_bad_to_good)) {}

  /// Whether the next segment is lost; Gilbert-Elliott moves its state first.
  bool lost() {
    switch (kind_) {
      case LossKind::kNone: return false;
      case LossKind::kBernoulli: return rng_.chance(p_loss_good_);
      case LossKind::kGilbertElliott:
        bad_ = bad_ ? !rng_.chance(p_bad_good_) : rng_.chance(p_good_bad_);
        return rng_.chance(bad_ ? p_loss_bad_ : p_loss_good_);
    }
    return false;
  }

 private:
  LossKind kind_ = LossKind::kNone;
  RngStream rng_;
  uint64_t p_loss_good_ = 0;
  uint64_t p_loss_bad_ = 0;
  uint64_t p_good_bad_ = 0;
  uint64_t p_bad_good_ = 0;
  bool bad_ = false;
};

}  // namespace meshota::sim
