#include "meshota/sim/ota/pack_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim {
namespace {

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint32_t get_u32(const std::vector<uint8_t>& in, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{in[at + i]} << (8 * i);
  return v;
}

[[noreturn]] void bad(const std::string& path, uint64_t byte, const std::string& what) {
  throw InputError(path, 0, 0, "byte " + std::to_string(byte) + ": " + what);
}

}  // namespace

std::vector<uint8_t> encode_pack_file(std::span<const uint8_t> manifest, const std::vector<std::vector<uint8_t>>& units) {
  std::vector<uint8_t> out(std::begin(kPackMagic), std::end(kPackMagic));
  put_u32(out, kPackFormatVersion);
  put_u32(out, static_cast<uint32_t>(manifest.size()));
  out.insert(out.end(), manifest.begin(), manifest.end());
  for (const auto& u : units) out.insert(out.end(), u.begin(), u.end());
  return out;
}

PackFile read_pack_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_binary_file(path);
  if (bytes.size() < kPackPreambleBytes || !std::equal(std::begin(kPackMagic), std::end(kPackMagic), bytes.begin()))
    bad(path, 0, "not a meshota pack file (it must start with \"MOTAPACK\"); make one with `meshota pack`");
  if (const uint32_t v = get_u32(bytes, 8); v != kPackFormatVersion)
    bad(path, 8, "pack format version " + std::to_string(v) + " is unknown to this meshota (it reads version " +
                     std::to_string(kPackFormatVersion) + "); use the meshota that made it, or pack again");
  const uint32_t manifest_bytes = get_u32(bytes, 12);
  if (bytes.size() - kPackPreambleBytes < manifest_bytes)
    bad(path, bytes.size(), "the file ends inside the manifest (" + std::to_string(manifest_bytes) +
                                " bytes from byte 16, per the length at byte 12): it was cut short; copy or pack it again");
  PackFile p;
  p.manifest.assign(bytes.begin() + kPackPreambleBytes, bytes.begin() + kPackPreambleBytes + manifest_bytes);
  p.units.assign(bytes.begin() + kPackPreambleBytes + manifest_bytes, bytes.end());
  return p;
}

std::vector<uint8_t> read_binary_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, std::string("cannot open: ") + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path, 0, 0, "cannot read the file");
  return bytes;
}

void write_file_atomically(const std::string& path, std::span<const uint8_t> bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) throw std::runtime_error("cannot create a file beside " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == bytes.size() && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = ok ? errno : saved;
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
  }
}

}  // namespace meshota::sim
