#include "meshota/sim/node/zlib_inflater.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace meshota::sim {
namespace {

// Each block starts with its size, kept in a slot aligned like malloc's result.
constexpr size_t kPrefixBytes = alignof(std::max_align_t);

}  // namespace

ZlibInflater::ZlibInflater() : strm_(std::make_unique<z_stream_s>()) {}

ZlibInflater::~ZlibInflater() { close(); }

void ZlibInflater::close() {
  if (open_) inflateEnd(strm_.get());
  open_ = false;
}

void ZlibInflater::set_accounting(const Accounting& a) {
  allocated_bytes_ = a.allocated_bytes;
  peak_bytes_ = a.peak_bytes;
  allocations_ = a.allocations;
}

void* ZlibInflater::allocate(void* self, unsigned items, unsigned size) {
  auto* z = static_cast<ZlibInflater*>(self);
  const size_t bytes = size_t{items} * size;
  auto* p = static_cast<unsigned char*>(std::malloc(bytes + kPrefixBytes));
  if (p == nullptr) return Z_NULL;
  std::memcpy(p, &bytes, sizeof(bytes));
  z->allocated_bytes_ += bytes;
  z->peak_bytes_ = std::max(z->peak_bytes_, z->allocated_bytes_);
  z->call_peak_bytes_ = std::max(z->call_peak_bytes_, z->allocated_bytes_);
  ++z->allocations_;
  return p + kPrefixBytes;
}

void ZlibInflater::release(void* self, void* p) {
  if (p == nullptr) return;
  auto* block = static_cast<unsigned char*>(p) - kPrefixBytes;
  size_t bytes = 0;
  std::memcpy(&bytes, block, sizeof(bytes));
  static_cast<ZlibInflater*>(self)->allocated_bytes_ -= bytes;
  std::free(block);
}

bool ZlibInflater::reset(uint8_t window_bits, std::span<const uint8_t> dictionary) {
  // A fresh stream each time: inflateReset2 would keep a window sized for the
  // previous image, and the measured figure must be that of this one.
  close();
  call_peak_bytes_ = allocated_bytes_;
  if (window_bits < 9 || window_bits > 15 || dictionary.size() > (size_t{1} << window_bits)) return false;
  *strm_ = z_stream_s{};
  strm_->zalloc = &ZlibInflater::allocate;
  strm_->zfree = &ZlibInflater::release;
  strm_->opaque = this;
  if (inflateInit2(strm_.get(), -static_cast<int>(window_bits)) != Z_OK) return false;
  open_ = true;
  // Raw inflate takes a dictionary at any time; it becomes the window's history.
  if (!dictionary.empty() &&
      inflateSetDictionary(strm_.get(), dictionary.data(), static_cast<uInt>(dictionary.size())) != Z_OK) {
    close();
    return false;
  }
  return true;
}

core::InflateResult ZlibInflater::inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                                          size_t& produced) {
  consumed = 0;
  produced = 0;
  call_peak_bytes_ = allocated_bytes_;
  if (!open_ || in.size() > std::numeric_limits<uInt>::max() || out.size() > std::numeric_limits<uInt>::max())
    return core::InflateResult::kDataError;
  // zlib's next_in is not const-qualified in its API, but inflate only reads it.
  strm_->next_in = const_cast<Bytef*>(in.data());
  strm_->avail_in = static_cast<uInt>(in.size());
  strm_->next_out = out.data();
  strm_->avail_out = static_cast<uInt>(out.size());
  const int rc = ::inflate(strm_.get(), Z_NO_FLUSH);
  consumed = in.size() - strm_->avail_in;
  produced = out.size() - strm_->avail_out;
  strm_->next_in = Z_NULL;
  strm_->next_out = Z_NULL;
  switch (rc) {
    case Z_STREAM_END:
      return core::InflateResult::kStreamEnd;
    case Z_OK:
    case Z_BUF_ERROR:  // no progress possible: more input or more room needed
      return strm_->avail_out == 0 ? core::InflateResult::kOutputFull : core::InflateResult::kOk;
    default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR, Z_STREAM_ERROR
      return core::InflateResult::kDataError;
  }
}

}  // namespace meshota::sim
