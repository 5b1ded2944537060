// `meshota pack`, `sign` and `verify` as a user runs them (docs/signing.md): a
// real image packed and verified, then each kind of damage refused with what
// and where, with keys from fixed seeds.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "meshota/sim/crypto/manifest_signing.hpp"
#include "run_meshota.hpp"

namespace ms = meshota::sim;
using meshota::test::run_meshota;
using Bytes = std::vector<uint8_t>;

namespace {

/// A folder with fleet.key/fleet.pub (seed 7), other.key/other.pub (seed 8) and a packed image.
struct Workspace {
  std::string dir = "/tmp/meshota_sign_test_" + std::to_string(getpid());
  std::string pack = dir + "/fw.mota";

  Workspace() {
    std::filesystem::create_directories(dir);
    for (const auto& [name, seed] : {std::pair{"fleet", 7}, std::pair{"other", 8}}) {
      const ms::KeyPair k = ms::key_pair_from_number(static_cast<uint64_t>(seed));
      ms::write_key_file(dir + "/" + name + ".key", ms::format_secret_key(k), true);
      ms::write_key_file(dir + "/" + name + ".pub", ms::format_public_key(k.public_key), false);
    }
    const auto r = run_meshota("pack --image " + std::string(MESHOTA_DATA_DIR) +
                               "/firmware/hello_world_new.bin --version 3 --security-counter 2 --compress "
                               "--window-bits 12 --key " + dir + "/fleet.key --out " + pack);
    INFO(r.output);
    REQUIRE(r.code == 0);
  }
  ~Workspace() { std::filesystem::remove_all(dir); }

  Bytes bytes() const {
    std::ifstream in(pack, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  /// A copy of the pack as `name`, with `bytes` instead.
  std::string write(const std::string& name, const Bytes& b) const {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return path;
  }
  meshota::test::CommandResult verify(const std::string& path, const std::string& extra = "fleet.pub") const {
    return run_meshota("verify --manifest " + path + " --pub " + dir + "/" + extra);
  }
};

uint32_t units_offset(const Bytes& b) {
  return 16 + (b[12] | b[13] << 8 | b[14] << 16 | static_cast<uint32_t>(b[15]) << 24);
}

}  // namespace

TEST_CASE("cli sign: pack then verify a real image passes every check") {
  const Workspace w;
  const auto r = w.verify(w.pack);
  INFO(r.output);
  CHECK(r.code == 0);
  for (const char* line : {"ok  header: valid", "ok  format: pack v1", "ok  signature: Ed25519 over bytes [16, 144)",
                           "ok  anti-rollback: security_counter 2", "ok  page table: 38 entries",
                           "ok  units: all 38", "ok  image: the units inflate and make 155136 bytes", ": ok"})
    CHECK_THAT(r.output, Catch::Contains(line));
  const auto counter = run_meshota("verify --manifest " + w.pack + " --pub " + w.dir + "/fleet.pub --device-counter 2");
  CHECK(counter.code == 0);
  CHECK_THAT(counter.output, Catch::Contains("security_counter 2 >= device counter 2"));
  // Uncompressed, small pages.
  const std::string plain = w.dir + "/plain.mota";
  REQUIRE(run_meshota("pack --image " + std::string(MESHOTA_DATA_DIR) + "/firmware/hello_world_new.bin --version 1 "
                      "--page-bytes 1024 --key " + w.dir + "/fleet.key --out " + plain).code == 0);
  const auto p = w.verify(plain);
  CHECK(p.code == 0);
  CHECK_THAT(p.output, Catch::Contains("ok  units: all 152"));
}

TEST_CASE("cli sign: verify names the first failure and where it is") {
  const Workspace w;
  const Bytes good = w.bytes();
  const uint32_t units = units_offset(good);
  struct Case {
    const char* name;
    size_t byte;  // bit 0 of this byte is flipped; SIZE_MAX: see `cut`
    size_t cut;   // keep only this many bytes (0: all)
    int code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"version", 16 + 40, 0, 1, "byte 144 (signature): does not verify over bytes [16, 144)"},
      {"image-sha", 16 + 64, 0, 1, "byte 144 (signature): does not verify"},
      {"signature", 16 + 150, 0, 1, "byte 144 (signature): does not verify"},
      {"unit", units + 700, 0, 1, "byte " + std::to_string(units) + " (unit of page 0,"},
      {"last-unit", good.size() - 3, 0, 1, "(unit of page 37, "},
      {"last-unit-again", good.size() - 3, 0, 1, "its SHA-256 does not match page-table entry 37 at byte "},
      {"table", 16 + 200, 0, 1, "byte 208 (page table): its SHA-256"},
      {"magic", 16, 0, 2, "byte 16 (manifest header): does not start with \"MOTA\""},
      {"pack-magic", 0, 0, 2, "byte 0: not a meshota pack file"},
      {"cut-units", SIZE_MAX, good.size() - 100, 2,
       "byte " + std::to_string(good.size() - 100) + " (end of file): the file ends here"},
      {"cut-manifest", SIZE_MAX, 100, 2, "byte 100: the file ends inside the manifest"},
  };
  for (const Case& c : cases) {
    Bytes b = good;
    if (c.byte != SIZE_MAX) b[c.byte] ^= 1;
    if (c.cut != 0) b.resize(c.cut);
    const std::string path = w.write(std::string(c.name) + ".mota", b);
    const auto r = w.verify(path);
    INFO(c.name << ": " << r.output);
    CHECK(r.code == c.code);
    CHECK_THAT(r.output, Catch::Contains(path + ": byte ") && Catch::Contains(c.says));
  }
}

TEST_CASE("cli sign: a wrong key, an unsigned manifest and an old counter fail verification") {
  const Workspace w;
  const auto wrong = w.verify(w.pack, "other.pub");
  CHECK(wrong.code == 1);
  CHECK_THAT(wrong.output, Catch::Contains("byte 144 (signature): does not verify") && Catch::Contains("check --pub"));
  Bytes b = w.bytes();
  std::fill(b.begin() + 16 + 128, b.begin() + 16 + 192, 0);
  const auto unsigned_ = w.verify(w.write("unsigned.mota", b));
  CHECK(unsigned_.code == 1);
  CHECK_THAT(unsigned_.output, Catch::Contains("all zero: the manifest is unsigned"));
  const auto old = run_meshota("verify --manifest " + w.pack + " --pub " + w.dir + "/fleet.pub --device-counter 3");
  CHECK(old.code == 1);
  CHECK_THAT(old.output, Catch::Contains("byte 76 (security_counter): 2 is below the device's counter 3") &&
                             Catch::Contains("--security-counter 3 or higher"));
}

TEST_CASE("cli sign: sign replaces the signature after a key rotation, and keeps everything else") {
  const Workspace w;
  const Bytes before = w.bytes();
  const std::string rotated = w.dir + "/rotated.mota";
  const auto s = run_meshota("sign --manifest " + w.pack + " --key " + w.dir + "/other.key --out " + rotated);
  INFO(s.output);
  REQUIRE(s.code == 0);
  CHECK_THAT(s.output, Catch::Contains("signature replaced"));
  CHECK(w.verify(rotated, "other.pub").code == 0);
  CHECK(w.verify(rotated, "fleet.pub").code == 1);
  std::ifstream in(rotated, std::ios::binary);
  const Bytes after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(after.size() == before.size());
  CHECK(std::equal(before.begin(), before.begin() + 144, after.begin()));
  CHECK(std::equal(before.begin() + 208, before.end(), after.begin() + 208));
  // In place.
  REQUIRE(run_meshota("sign --manifest " + rotated + " --key " + w.dir + "/fleet.key").code == 0);
  CHECK(w.verify(rotated).code == 0);
}

TEST_CASE("cli sign: bad input to pack and sign exits 2 and says what to do") {
  const Workspace w;
  const std::string image = std::string(MESHOTA_DATA_DIR) + "/firmware/hello_world_new.bin";
  const std::string key = " --key " + w.dir + "/fleet.key --out " + w.dir + "/x.mota";
  struct Case {
    std::string args;
    std::string says;
  };
  Bytes bad = w.bytes();
  bad[16] ^= 1;
  const std::string bad_header = w.write("bad-header.mota", bad);
  const std::vector<Case> cases = {
      {"pack --image /nonexistent/fw.bin --version 1" + key, "/nonexistent/fw.bin: cannot open"},
      {"pack --image " + image + " --version 1 --page-bytes 1000" + key, "--page-bytes: 1000 is not a power of two"},
      {"pack --image " + image + " --version 1 --compress --window-bits 16" + key, "--window-bits: 16 is not in 9..15"},
      {"pack --image " + image + " --version 1 --key " + w.dir + "/fleet.pub --out " + w.dir + "/x.mota",
       "is a public key, but a secret key is needed"},
      {"sign --manifest " + bad_header + " --key " + w.dir + "/fleet.key",
       bad_header + ": byte 16 (manifest header): does not start with \"MOTA\""},
      {"sign --manifest " + image + " --key " + w.dir + "/fleet.key", image + ": byte 0: not a meshota pack file"},
      {"verify --manifest " + w.pack + " --pub " + w.dir + "/fleet.key", "is a secret key"},
  };
  for (const Case& c : cases) {
    const auto r = run_meshota(c.args);
    INFO(c.args << "\n" << r.output);
    CHECK(r.code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
  }
  CHECK_FALSE(std::filesystem::exists(w.dir + "/x.mota"));
}
