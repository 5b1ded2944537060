#include "meshota/sim/node/memo_sha256.hpp"

#include <algorithm>

namespace meshota::sim {

void MemoSha256::begin() {
  live_ = true;
  at_ = ShaMemo::kNone;
  if (memo_ != nullptr) {
    at_ = memo_->find(ShaMemo::kRoot, ShaStep::kBegin, {});
    if (at_ == ShaMemo::kNone) at_ = memo_->add(ShaStep{ShaMemo::kRoot, ShaStep::kBegin, {}, {}});
    live_ = at_ == ShaMemo::kNone;
  }
  if (live_) sha_.begin();
}

void MemoSha256::update(std::span<const uint8_t> data) {
  if (at_ == ShaMemo::kNone) {
    sha_.update(data);
    return;
  }
  const uint32_t id = memo_->find(at_, ShaStep::kUpdate, data);
  if (id != ShaMemo::kNone) {
    at_ = id;
    live_ = false;
    return;
  }
  if (!live_) replay();
  sha_.update(data);
  at_ = memo_->add(ShaStep{at_, ShaStep::kUpdate, {data.begin(), data.end()}, {}});
}

void MemoSha256::finish(uint8_t (&digest)[kDigestBytes]) {
  const uint32_t from = at_;
  at_ = ShaMemo::kNone;
  if (from == ShaMemo::kNone) {
    sha_.finish(digest);
    return;
  }
  const uint32_t id = memo_->find(from, ShaStep::kFinish, {});
  if (id != ShaMemo::kNone) {
    std::ranges::copy(memo_->step(id).digest, digest);
    live_ = true;  // as after OpenSSL's own finish: a new begin() comes next
    return;
  }
  if (!live_) {
    at_ = from;
    replay();
    at_ = ShaMemo::kNone;
  }
  sha_.finish(digest);
  ShaStep s{from, ShaStep::kFinish, {}, {}};
  std::ranges::copy(digest, s.digest.begin());
  memo_->add(std::move(s));
}

void MemoSha256::replay() {
  const std::vector<uint32_t> path = memo_->path_to(at_);  // last first; path.back() is the begin
  sha_.begin();
  for (size_t k = path.size() - 1; k-- > 0;) sha_.update(memo_->step(path[k]).input);
  live_ = true;
}

}  // namespace meshota::sim
