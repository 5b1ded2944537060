#include "meshota/sim/node/memo_inflater.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

namespace meshota::sim {

bool MemoInflater::reset(uint8_t window_bits, std::span<const uint8_t> dictionary) {
  if (memo_ == nullptr) return zlib_.reset(window_bits, dictionary);
  const uint32_t id = memo_->find(InflateMemo::kRoot, window_bits, dictionary);
  if (id != InflateMemo::kNone) {
    take(id);
    return true;  // only resets that succeeded are recorded
  }
  if (!live_) {
    // The stream it stood for is gone: nothing held, as after zlib's own close.
    ZlibInflater::Accounting a = zlib_.accounting();
    a.allocated_bytes = 0;
    zlib_.set_accounting(a);
    live_ = true;
  }
  const ZlibInflater::Accounting before = zlib_.accounting();
  const bool ok = zlib_.reset(window_bits, dictionary);
  at_ = ok ? record(InflateMemo::kRoot, window_bits, dictionary, core::InflateResult::kOk, 0, {}, before)
           : InflateMemo::kNone;
  return ok;
}

core::InflateResult MemoInflater::inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                                          size_t& produced) {
  if (memo_ == nullptr || at_ == InflateMemo::kNone || out.size() > std::numeric_limits<uint32_t>::max())
    return zlib_.inflate(in, out, consumed, produced);  // not recorded: zlib_ holds the stream
  const auto room = static_cast<uint32_t>(out.size());
  const uint32_t id = memo_->find(at_, room, in);
  if (id != InflateMemo::kNone) {
    const InflateStep& s = memo_->step(id);
    std::copy(s.output.begin(), s.output.end(), out.begin());
    consumed = s.consumed;
    produced = s.output.size();
    const core::InflateResult r = s.result;
    take(id);
    return r;
  }
  if (!live_) replay();
  const ZlibInflater::Accounting before = zlib_.accounting();
  const core::InflateResult r = zlib_.inflate(in, out, consumed, produced);
  at_ = record(at_, room, in, r, consumed, out.first(produced), before);
  return r;
}

void MemoInflater::take(uint32_t id) {
  const InflateStep& s = memo_->step(id);
  if (live_) zlib_.close();
  live_ = false;
  ZlibInflater::Accounting a = zlib_.accounting();
  a.allocated_bytes = s.allocated_after;
  a.peak_bytes = std::max<size_t>(a.peak_bytes, s.peak_during);
  a.allocations += s.allocations;
  zlib_.set_accounting(a);
  at_ = id;
}

void MemoInflater::replay() {
  const std::vector<uint32_t> path = memo_->path_to(at_);
  const ZlibInflater::Accounting saved = zlib_.accounting();
  zlib_.set_accounting({0, saved.peak_bytes, saved.allocations});
  const InflateStep& root = memo_->step(path.back());
  bool same = zlib_.reset(static_cast<uint8_t>(root.param), root.input);
  std::vector<uint8_t> out;
  for (size_t k = path.size() - 1; same && k-- > 0;) {
    const InflateStep& s = memo_->step(path[k]);
    out.resize(s.param);
    size_t consumed = 0, produced = 0;
    const core::InflateResult r = zlib_.inflate(s.input, out, consumed, produced);
    same = r == s.result && consumed == s.consumed && produced == s.output.size();
  }
  if (!same || zlib_.accounting().allocated_bytes != saved.allocated_bytes)
    throw std::logic_error("inflate memo: a replayed stream differs from its record");
  zlib_.set_accounting(saved);  // the replay is the simulator's work, not the node's
  live_ = true;
}

uint32_t MemoInflater::record(uint32_t parent, uint32_t param, std::span<const uint8_t> input,
                              core::InflateResult result, size_t consumed, std::span<const uint8_t> output,
                              const ZlibInflater::Accounting& before) {
  InflateStep s;
  s.parent = parent;
  s.param = param;
  s.input.assign(input.begin(), input.end());
  s.result = result;
  s.consumed = static_cast<uint32_t>(consumed);
  s.output.assign(output.begin(), output.end());
  const ZlibInflater::Accounting after = zlib_.accounting();
  s.allocated_after = static_cast<uint32_t>(after.allocated_bytes);
  s.peak_during = zlib_.last_call_peak_bytes();
  s.allocations = after.allocations - before.allocations;
  return memo_->add(std::move(s));
}

}  // namespace meshota::sim
