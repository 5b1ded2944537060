#pragma once
// A node's SHA-256: OpenSSL, except for the steps some node of the run has
// already taken from the same point with the same bytes (ShaMemo): a page or
// an image every node verifies is hashed once, the other nodes compare the
// bytes and copy the digest. A step the memo has not seen replays the
// recorded path on the node's own context first.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/step_memo.hpp"

namespace meshota::sim {

/// One recorded step of a SHA-256 stream: begin, update (its bytes) or finish (its digest).
struct ShaStep {
  enum Kind : uint32_t { kBegin, kUpdate, kFinish };
  uint32_t parent = 0;
  uint32_t param = kBegin;  ///< the Kind
  std::vector<uint8_t> input;
  std::array<uint8_t, core::Sha256Hasher::kDigestBytes> digest{};  ///< kFinish only

  size_t bytes() const { return input.size() + digest.size(); }
};

/// The steps every node's SHA-256 streams took.
using ShaMemo = StepMemo<ShaStep>;

/// OpenSSL's SHA-256 sharing identical streams with the run's other nodes (see file comment).
class MemoSha256 final : public core::Sha256Hasher {
 public:
  /// `memo` null: plain OpenSSL.
  explicit MemoSha256(ShaMemo* memo) : memo_(memo) {}

  void begin() override;
  void update(std::span<const uint8_t> data) override;
  void finish(uint8_t (&digest)[kDigestBytes]) override;

 private:
  /// Brings the context to the step the stream stands at, by hashing the recorded path again.
  void replay();

  OpenSslSha256 sha_;
  ShaMemo* memo_;
  uint32_t at_ = ShaMemo::kNone;  ///< the step the stream stands at; kNone: not recorded (sha_ holds it)
  bool live_ = true;              ///< sha_ holds the stream; else only the memo does, up to at_
};

}  // namespace meshota::sim
