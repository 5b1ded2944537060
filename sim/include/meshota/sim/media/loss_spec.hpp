#pragma once
// Loss model parameters, shared by the scenario and the media that draw losses.

namespace meshota::sim {

/// Frame loss on every link direction, each with its own random stream.
enum class LossKind { kNone, kBernoulli, kGilbertElliott };

/// Loss model parameters; probabilities in [0, 1].
struct LossSpec {
  LossKind kind = LossKind::kNone;
  double p = 0.0;              ///< bernoulli: loss probability per segment
  double p_good_to_bad = 0.0;  ///< gilbert-elliott: per segment
  double p_bad_to_good = 0.0;
  double loss_good = 0.0;
  double loss_bad = 0.0;
};

}  // namespace meshota::sim
