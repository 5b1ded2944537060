#pragma once
// Test doubles for the core's HAL (header-only, shared by the core unit tests):
// NOR-like flash that refuses a write to a byte not erased since its last
// write, boot control, a key/value state store, an Rng, an in-RAM image
// source, and helpers that encode frames as a peer would and decode what a
// node puts in its Outbox.

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "meshota/core/codec/base64.hpp"
#include "meshota/core/hal.hpp"
#include "meshota/core/hal/image_source.hpp"
#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/outbox.hpp"
#include "meshota/core/pm/pm_codec.hpp"
#include "meshota/sim/node/digest.hpp"

namespace meshota::test {

using Bytes = std::vector<uint8_t>;

/// Firmware slots in RAM. Every byte starts "programmed" (0x00), so writing
/// without erasing its page first fails and counts a violation.
class FakeFlash final : public core::FirmwareStore {
 public:
  explicit FakeFlash(uint32_t slots = 2, uint32_t slot_size = 16 * 1024, uint32_t page = 1024)
      : slot_size_(slot_size), page_(page), bytes_(slots, Bytes(slot_size, 0x00)),
        programmed_(slots, std::vector<bool>(slot_size, true)) {}

  uint32_t slot_count() const override { return static_cast<uint32_t>(bytes_.size()); }
  uint32_t slot_size_bytes() const override { return slot_size_; }
  uint32_t page_size_bytes() const override { return page_; }

  bool erase_page(uint32_t slot, uint32_t page_index) override {
    if (fail_erases || slot >= slot_count() || uint64_t{page_index + 1} * page_ > slot_size_) return false;
    for (uint32_t i = page_index * page_; i < (page_index + 1) * page_; ++i) {
      bytes_[slot][i] = 0xFF;
      programmed_[slot][i] = false;
    }
    ++erases;
    return true;
  }

  bool write(uint32_t slot, uint32_t offset, std::span<const uint8_t> data) override {
    if (fail_writes || slot >= slot_count() || uint64_t{offset} + data.size() > slot_size_) return false;
    for (size_t i = 0; i < data.size(); ++i)
      if (programmed_[slot][offset + i]) {
        ++violations;
        return false;
      }
    for (size_t i = 0; i < data.size(); ++i) {
      bytes_[slot][offset + i] = data[i];
      programmed_[slot][offset + i] = true;
    }
    ++writes;
    return true;
  }

  bool read(uint32_t slot, uint32_t offset, std::span<uint8_t> out) const override {
    if (fail_reads || slot >= slot_count() || uint64_t{offset} + out.size() > slot_size_) return false;
    std::copy_n(bytes_[slot].begin() + offset, out.size(), out.begin());
    return true;
  }

  Bytes contents(uint32_t slot, uint32_t offset, size_t size) const {
    Bytes b(size);
    if (!read(slot, offset, b)) b.clear();
    return b;
  }

  uint32_t erases = 0;
  uint32_t writes = 0;
  uint32_t violations = 0;  ///< writes refused because a byte was not erased first
  bool fail_writes = false;
  bool fail_erases = false;
  bool fail_reads = false;

 private:
  uint32_t slot_size_;
  uint32_t page_;
  std::vector<Bytes> bytes_;
  std::vector<std::vector<bool>> programmed_;
};

class FakeBoot final : public core::BootControl {
 public:
  uint32_t running_slot() const override { return running; }
  bool set_boot_slot(uint32_t slot) override {
    ++set_calls;
    if (slot >= 2) return false;
    boot = slot;
    return true;
  }
  /// What a restart does: the slot chosen to boot becomes the running one.
  void reboot() { running = boot; }

  uint32_t running = 0;
  uint32_t boot = 0;
  uint32_t set_calls = 0;
};

class FakeStateStore final : public core::StateStore {
 public:
  int32_t read(std::string_view key, std::span<uint8_t> out) const override {
    const auto it = records.find(std::string(key));
    if (it == records.end() || it->second.size() > out.size()) return -1;
    std::copy(it->second.begin(), it->second.end(), out.begin());
    return static_cast<int32_t>(it->second.size());
  }
  bool write(std::string_view key, std::span<const uint8_t> data) override {
    if (fail_writes) return false;
    records[std::string(key)] = Bytes(data.begin(), data.end());
    ++writes;
    return true;
  }
  bool has(const std::string& key) const { return records.count(key) != 0; }
  std::string text(const std::string& key) const {
    const auto it = records.find(key);
    return it == records.end() ? std::string() : std::string(it->second.begin(), it->second.end());
  }

  std::map<std::string, Bytes> records;
  uint32_t writes = 0;
  bool fail_writes = false;
};

class FakeRng final : public core::Rng {
 public:
  uint32_t next_u32() override {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

 private:
  uint32_t state_ = 2463534242u;
};

/// One node's HAL objects; they outlive Node instances to model a reboot.
struct FakeHal {
  FakeFlash flash;
  FakeBoot boot;
  FakeStateStore state;
  FakeRng rng;
  sim::OpenSslMd5 md5;
  core::Hal hal{flash, boot, state, rng, md5};
};

/// The image a distributing node offers, split into chunks on request.
class MemoryImage final : public core::ImageSource {
 public:
  explicit MemoryImage(Bytes image) : bytes(std::move(image)) {}
  uint32_t read_chunk(uint32_t part_no, uint32_t chunk_bytes, std::span<uint8_t> out) override {
    ++reads;
    const uint64_t offset = uint64_t{part_no} * chunk_bytes;
    if (offset >= bytes.size()) return 0;
    const size_t n = std::min({size_t{chunk_bytes}, bytes.size() - offset, out.size()});
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
    return static_cast<uint32_t>(n);
  }
  Bytes bytes;
  uint32_t reads = 0;
};

/// Deterministic pseudo-random bytes (an "image").
inline Bytes pattern_bytes(size_t n, uint32_t seed) {
  Bytes b(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& v : b) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<uint8_t>(x >> 24);
  }
  return b;
}

inline std::string md5_of(const Bytes& b) { return sim::md5_hex(b); }

inline std::string as_text(std::span<const uint8_t> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

/// pm_encode into a fresh buffer; empty when the codec refused.
inline Bytes encode(const core::PmOtaPackage& p) {
  Bytes b(32 * 1024);
  b.resize(core::pm_encode(p, b));
  return b;
}

inline Bytes encode_data(const core::PmOtaPackage& p, std::span<const uint8_t> chunk) {
  Bytes b(32 * 1024);
  b.resize(core::pm_encode_data(p, chunk, b));
  return b;
}

/// Standard base64 text to bytes; `ok` false when the core's decoder refuses it.
inline Bytes from_base64(std::string_view text, bool* ok = nullptr) {
  Bytes b(text.size());
  const int64_t n = core::base64_decode(text, b);
  if (ok != nullptr) *ok = n >= 0;
  b.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return b;
}

/// The image a sender offers, and the frames it would send about it.
struct TestImage {
  Bytes bytes = pattern_bytes(3000, 42);
  uint32_t chunk = 256;
  std::string md5 = md5_of(bytes);
  core::NodeId sender = 2002;

  uint32_t parts() const { return static_cast<uint32_t>((bytes.size() + chunk - 1) / chunk); }
  Bytes chunk_of(uint32_t part) const {
    const size_t begin = size_t{part} * chunk;
    const size_t end = std::min(bytes.size(), begin + chunk);
    return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(begin), bytes.begin() + static_cast<std::ptrdiff_t>(end));
  }
  core::PmOtaPackage announce_pkg(bool broadcasted = false, bool forced = false) const {
    core::PmOtaPackage a;
    a.type = core::PmType::kOtaAnnounce;
    a.from = sender;
    a.routing = core::Routing::kBroadcast;
    a.md5.assign(md5);
    a.hardware.assign("ESP32");
    a.role.assign("sensor");
    a.no_part = parts();
    a.broadcasted = broadcasted;
    a.forced = forced;
    return a;
  }
  Bytes announce(bool broadcasted = false, bool forced = false) const {
    return encode(announce_pkg(broadcasted, forced));
  }
  /// Data for `part` sent to `dest` (BROADCAST routing when broadcasted).
  Bytes data(uint32_t part, core::NodeId dest, bool broadcasted = false, const Bytes* payload = nullptr) const {
    core::PmOtaPackage d = announce_pkg(broadcasted);
    d.type = core::PmType::kOtaData;
    d.routing = broadcasted ? core::Routing::kBroadcast : core::Routing::kSingle;
    d.dest = dest;
    d.part_no = part;
    const Bytes c = payload != nullptr ? *payload : chunk_of(part);
    return encode_data(d, c);
  }
};

/// One frame a node emitted, decoded as an OTA package (data kept as a copy).
struct Sent {
  core::OutFrame frame;
  std::string text;
  core::PmDecodeStatus status = core::PmDecodeStatus::kNotJson;
  core::PmOtaPackage pkg;
  std::string data_b64;
};

/// Takes every frame out of `out` (then clears it, reboot flag included).
inline std::vector<Sent> drain(core::Outbox& out) {
  std::vector<Sent> sent;
  for (size_t i = 0; i < out.size(); ++i) {
    Sent s;
    s.frame = out.frame(i);
    s.text = as_text(out.bytes(i));
    core::JsonReader json;
    if (json.parse(s.text)) s.status = core::pm_decode(json, s.pkg);
    s.data_b64 = std::string(s.pkg.data_base64);
    s.pkg.data_base64 = {};
    sent.push_back(s);
  }
  out.clear();
  return sent;
}

}  // namespace meshota::test
