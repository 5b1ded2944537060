#pragma once
// A square root without libm (the freestanding ESP build links no math
// library): Newton's method from above, a fixed number of steps.

namespace meshota::core {

/// sqrt(v) for v >= 0 to float precision for v in [1e-6, 1e12]; 0 for v <= 0.
constexpr float approx_sqrt(float v) {
  if (!(v > 0.0f)) return 0.0f;
  float s = v > 1.0f ? v : 1.0f;  // >= sqrt(v): Newton then decreases monotonically
  for (int i = 0; i < 48; ++i) {
    const float next = 0.5f * (s + v / s);
    if (next >= s) break;
    s = next;
  }
  return s;
}

}  // namespace meshota::core
