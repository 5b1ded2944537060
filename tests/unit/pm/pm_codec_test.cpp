// painlessMesh's wire format: the bytes the codec writes must be exactly what
// ArduinoJson writes upstream (field order, optional flags, escaping, the
// trailing '\0'), decoding must give every field back, and malformed frames
// must come back with the status that names what is wrong.

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "fake_hal.hpp"
#include "meshota/core/codec/base64.hpp"
#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/pm/pm_codec.hpp"

using namespace meshota::core;
using meshota::test::as_text;
using meshota::test::Bytes;
using meshota::test::encode;
using meshota::test::encode_data;
using meshota::test::from_base64;

namespace {

const std::string kMd5 = "0123456789abcdef0123456789abcdef";

PmOtaPackage announce() {
  PmOtaPackage p;
  p.type = PmType::kOtaAnnounce;
  p.from = 123;
  p.routing = Routing::kBroadcast;
  p.md5.assign(kMd5);
  p.hardware.assign("ESP32");
  p.role.assign("sensor");
  p.no_part = 5;
  return p;
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

/// The expected frame: JSON text plus the '\0' that ends every message.
std::string framed(const std::string& json) { return json + std::string(1, '\0'); }

PmDecodeStatus decode_text(const std::string& text, PmOtaPackage& out) {
  JsonReader json;
  REQUIRE(json.parse(text));
  return pm_decode(json, out);
}

size_t encode_user(const PmUserMessage& m, Bytes& buf) {
  buf.assign(1024, 0);
  buf.resize(pm_encode(m, buf));
  return buf.size();
}

}  // namespace

TEST_CASE("core: Announce, DataRequest and Data are encoded byte for byte as upstream", "[core][codec]") {
  const std::string head = R"({"from":123,"routing":2,"type":10,"md5":")" + kMd5 +
                           R"(","hardware":"ESP32","role":"sensor",)";
  SECTION("Announce without the optional flags") {
    CHECK(as_text(encode(announce())) == framed(head + R"("noPart":5,"broadcasted":false})"));
  }
  SECTION("forced and compressed appear only when true, in their upstream places") {
    PmOtaPackage p = announce();
    p.forced = true;
    p.broadcasted = true;
    p.compressed = true;
    CHECK(as_text(encode(p)) ==
          framed(head + R"("forced":true,"noPart":5,"broadcasted":true,"compressed":true})"));
  }
  SECTION("DataRequest adds dest and partNo") {
    PmOtaPackage p = announce();
    p.type = PmType::kOtaDataRequest;
    p.routing = Routing::kSingle;
    p.from = 1001;
    p.dest = 2002;
    p.part_no = 2;
    p.hardware.assign("ESP8266");
    CHECK(as_text(encode(p)) ==
          framed(R"({"from":1001,"routing":1,"type":11,"md5":")" + kMd5 +
                 R"(","hardware":"ESP8266","role":"sensor","noPart":5,"broadcasted":false,)"
                 R"("dest":2002,"partNo":2})"));
  }
  SECTION("Data adds the chunk as padded base64; data_base64 of the struct is ignored") {
    PmOtaPackage p = announce();
    p.type = PmType::kOtaData;
    p.routing = Routing::kSingle;
    p.from = 2002;
    p.dest = 1001;
    p.part_no = 4;
    p.data_base64 = "IGNORED";
    const Bytes chunk = bytes_of("hello");
    const Bytes frame = encode_data(p, chunk);
    CHECK(as_text(frame) == framed(R"({"from":2002,"routing":1,"type":12,"md5":")" + kMd5 +
                                   R"(","hardware":"ESP32","role":"sensor","noPart":5,)"
                                   R"("broadcasted":false,"dest":1001,"partNo":4,"data":"aGVsbG8="})"));
    // The size returned counts the terminator, which is the last byte.
    REQUIRE(!frame.empty());
    CHECK(frame.back() == '\0');
    CHECK(std::count(frame.begin(), frame.end(), '\0') == 1);
  }
}

TEST_CASE("core: encoding into a too small buffer returns 0 and never writes past it", "[core][codec]") {
  PmOtaPackage p = announce();
  p.type = PmType::kOtaData;
  const Bytes chunk = meshota::test::pattern_bytes(100, 7);
  const Bytes full = encode_data(p, chunk);
  REQUIRE(full.size() > 100);
  for (size_t cap = 0; cap < full.size(); ++cap) {
    Bytes buf(cap + 8, 0xAB);  // a guard zone after the span handed to the codec
    CAPTURE(cap);
    CHECK(pm_encode_data(p, chunk, std::span<uint8_t>(buf.data(), cap)) == 0);
    CHECK(std::all_of(buf.begin() + static_cast<std::ptrdiff_t>(cap), buf.end(),
                      [](uint8_t b) { return b == 0xAB; }));
  }
  Bytes exact(full.size());
  CHECK(pm_encode_data(p, chunk, exact) == full.size());
  CHECK(exact == full);
}

TEST_CASE("core: user messages type 9 and 8 keep upstream order and escaping", "[core][codec]") {
  PmUserMessage m;
  m.type = PmType::kSingle;
  m.dest = 5;
  m.from = 4294967295u;
  const std::string msg = std::string("a\"b\\c\nd\te") + '\x01' + "f/\x7f";
  m.msg = msg;
  const std::string escaped = R"(a\"b\\c\nd\te\u0001f/)" + std::string("\x7f");
  Bytes buf;
  encode_user(m, buf);
  CHECK(as_text(buf) == framed(R"({"type":9,"dest":5,"from":4294967295,"msg":")" + escaped + "\"}"));

  m.type = PmType::kBroadcast;
  m.dest = 0;
  encode_user(m, buf);
  CHECK(as_text(buf) == framed(R"({"type":8,"dest":0,"from":4294967295,"msg":")" + escaped + "\"}"));

  // And back: the escapes are decoded.
  const std::string wire = as_text(buf);  // the reader keeps views into it
  JsonReader json;
  REQUIRE(json.parse(wire));
  char text[64];
  PmUserMessage back;
  REQUIRE(pm_decode(json, text, back) == PmDecodeStatus::kOk);
  CHECK(back.type == PmType::kBroadcast);
  CHECK(back.dest == 0);
  CHECK(back.from == 4294967295u);
  CHECK(back.msg == msg);
  PmOtaPackage ota;
  CHECK(pm_decode(json, ota) == PmDecodeStatus::kWrongType);
}

TEST_CASE("core: random OTA packages survive encode, parse and decode", "[core][codec]") {
  const uint32_t seed = GENERATE(1u, 2u, 3u, 20240601u);
  CAPTURE(seed);
  std::mt19937 rng(seed);
  auto pick = [&](uint32_t lo, uint32_t hi) { return std::uniform_int_distribution<uint32_t>(lo, hi)(rng); };
  auto any_u32 = [&]() -> uint32_t {
    switch (pick(0, 3)) {
      case 0: return 0;
      case 1: return UINT32_MAX;
      default: return static_cast<uint32_t>(rng());
    }
  };
  // Printable ASCII without '"' and '\\' (escaped strings: see the test below).
  auto text = [&](size_t max_len, bool hex) {
    std::string s(pick(0, static_cast<uint32_t>(max_len)), ' ');
    for (char& c : s) {
      do c = hex ? "0123456789abcdef"[pick(0, 15)] : static_cast<char>(pick(0x20, 0x7e));
      while (c == '"' || c == '\\');
    }
    return s;
  };
  for (int i = 0; i < 300; ++i) {
    CAPTURE(i);
    PmOtaPackage p;
    p.type = static_cast<PmType>(pick(10, 12));
    p.from = any_u32();
    p.routing = static_cast<Routing>(pick(0, 2));
    const std::string md5 = text(32, true), hw = text(16, false), role = text(32, false);
    REQUIRE(p.md5.assign(md5));
    REQUIRE(p.hardware.assign(hw));
    REQUIRE(p.role.assign(role));
    p.forced = pick(0, 1) == 1;
    p.no_part = any_u32();
    p.broadcasted = pick(0, 1) == 1;
    p.compressed = pick(0, 1) == 1;
    if (p.type != PmType::kOtaAnnounce) {
      p.dest = any_u32();
      p.part_no = any_u32();
    }
    const Bytes chunk = meshota::test::pattern_bytes(pick(0, 300), static_cast<uint32_t>(rng()));
    const Bytes frame = p.type == PmType::kOtaData ? encode_data(p, chunk) : encode(p);
    const std::string wire = as_text(frame);
    CAPTURE(wire);
    REQUIRE(!frame.empty());
    JsonReader json;
    REQUIRE(json.parse(wire));
    CHECK(pm_type_of(json) == static_cast<int>(p.type));
    PmOtaPackage q;
    REQUIRE(pm_decode(json, q) == PmDecodeStatus::kOk);
    CHECK(q.type == p.type);
    CHECK(q.from == p.from);
    CHECK(q.routing == p.routing);
    CHECK(q.md5.view() == md5);
    CHECK(q.hardware.view() == hw);
    CHECK(q.role.view() == role);
    CHECK(q.forced == p.forced);
    CHECK(q.no_part == p.no_part);
    CHECK(q.broadcasted == p.broadcasted);
    CHECK(q.compressed == p.compressed);
    CHECK(q.dest == p.dest);
    CHECK(q.part_no == p.part_no);
    if (p.type == PmType::kOtaData) {
      bool ok = false;
      CHECK(from_base64(q.data_base64, &ok) == chunk);
      CHECK(ok);
    } else {
      CHECK(q.data_base64.empty());
    }
  }
}

// JSON escapes in md5/hardware/role must come back decoded, as ArduinoJson
// hands them to upstream: a role `a"b` is `a"b`, not `a\"b`.
TEST_CASE("core: escaped characters in hardware and role round-trip", "[core][codec]") {
  PmOtaPackage p = announce();
  p.hardware.assign("ESP\"32");
  p.role.assign("a\\b\tc");
  PmOtaPackage q;
  REQUIRE(decode_text(as_text(encode(p)), q) == PmDecodeStatus::kOk);
  CHECK(q.hardware.view() == "ESP\"32");
  CHECK(q.role.view() == "a\\b\tc");
}

TEST_CASE("core: a Data package with a 1024-byte chunk is about 1.5x the chunk", "[core][codec]") {
  PmOtaPackage p;
  p.type = PmType::kOtaData;
  p.routing = Routing::kSingle;
  p.from = 3000000001u;
  p.dest = 4000000002u;
  p.md5.assign("9e107d9d372bb6826bd81d3542a419d6");
  p.hardware.assign("ESP32");
  p.role.assign("sensor");
  p.no_part = 1000;
  p.part_no = 999;
  const Bytes chunk = meshota::test::pattern_bytes(1024, 3);
  const Bytes frame = encode_data(p, chunk);
  PmOtaPackage q;
  const std::string wire = as_text(frame);  // q.data_base64 is a view into it
  REQUIRE(decode_text(wire, q) == PmDecodeStatus::kOk);
  CHECK(q.data_base64.size() == 1368);
  CHECK(base64_encoded_size(1024) == 1368);
  INFO("Data frame for a 1024-byte chunk: " << frame.size() << " bytes (x"
                                            << static_cast<double>(frame.size()) / 1024.0 << ")");
  CHECK(frame.size() >= 1500);
  CHECK(frame.size() <= 1600);
  WARN("Data frame for a 1024-byte chunk: " << frame.size() << " bytes");
}

TEST_CASE("core: malformed frames decode to the status naming the problem", "[core][codec]") {
  const std::string md5 = kMd5;
  // Each required field of a Data package, with its JSON text.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"from", "2002"},       {"routing", "1"},          {"type", "12"},       {"md5", '"' + md5 + '"'},
      {"hardware", "\"ESP32\""}, {"role", "\"sensor\""}, {"noPart", "3"},     {"broadcasted", "false"},
      {"dest", "1001"},       {"partNo", "0"},           {"data", "\"aGVsbG8=\""}};
  auto build = [&](const std::string& drop, const std::string& key, const std::string& value) {
    std::string s = "{";
    for (const auto& [k, v] : fields) {
      if (k == drop) continue;
      if (s.size() > 1) s += ',';
      s += '"' + k + "\":" + (k == key ? value : v);
    }
    return s + "}";
  };
  PmOtaPackage out;
  SECTION("the full package decodes") {
    const std::string text = build("", "", "");  // data_base64 is a view into it
    REQUIRE(decode_text(text, out) == PmDecodeStatus::kOk);
    CHECK(out.data_base64 == "aGVsbG8=");
  }
  SECTION("not one JSON object is refused by the reader") {
    JsonReader json;
    for (const char* bad : {"", "hello", "{\"type\":10", "[1,2]", "{\"type\":10}{\"type\":10}",
                            "{type:10}", "{\"type\"}", "\"type\""}) {
      CAPTURE(bad);
      CHECK_FALSE(json.parse(bad));
      CHECK(pm_decode(json, out) != PmDecodeStatus::kOk);
    }
  }
  SECTION("every required field missing") {
    for (const auto& [k, v] : fields) {
      if (k == "broadcasted") continue;  // optional, as upstream
      CAPTURE(k);
      CHECK(decode_text(build(k, "", ""), out) == PmDecodeStatus::kMissingField);
    }
    CHECK(decode_text(build("broadcasted", "", ""), out) == PmDecodeStatus::kOk);
  }
  SECTION("a field of the wrong JSON type counts as missing") {
    CHECK(decode_text(build("", "from", "\"2002\""), out) == PmDecodeStatus::kMissingField);
    CHECK(decode_text(build("", "md5", "5"), out) == PmDecodeStatus::kMissingField);
    CHECK(decode_text(build("", "partNo", "true"), out) == PmDecodeStatus::kMissingField);
  }
  SECTION("out of range values") {
    CHECK(decode_text(build("", "routing", "3"), out) == PmDecodeStatus::kBadValue);
    CHECK(decode_text(build("", "md5", '"' + md5 + "0\""), out) == PmDecodeStatus::kBadValue);
    CHECK(decode_text(build("", "hardware", "\"ESP32-0123456789ab\""), out) == PmDecodeStatus::kBadValue);
    CHECK(decode_text(build("", "role", '"' + std::string(33, 'r') + '"'), out) == PmDecodeStatus::kBadValue);
    CHECK(decode_text(build("", "role", '"' + std::string(32, 'r') + '"'), out) == PmDecodeStatus::kOk);
  }
  SECTION("other package types") {
    CHECK(decode_text(build("", "type", "9"), out) == PmDecodeStatus::kWrongType);
    CHECK(decode_text(build("", "type", "13"), out) == PmDecodeStatus::kWrongType);
    CHECK(decode_text(R"({"type":9,"dest":1,"from":2})", out) == PmDecodeStatus::kWrongType);
    JsonReader json;
    REQUIRE(json.parse(R"({"type":9,"dest":1,"from":2})"));
    char buf[8];
    PmUserMessage m;
    CHECK(pm_decode(json, buf, m) == PmDecodeStatus::kMissingField);
  }
}

TEST_CASE("core: base64 matches the RFC 4648 test vectors and refuses bad input", "[core][base64]") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [raw, b64] : vectors) {
    CAPTURE(raw);
    const Bytes in = bytes_of(raw);
    std::string enc(base64_encoded_size(in.size()), '?');
    CHECK(base64_encode(in, enc) == b64.size());
    CHECK(enc == b64);
    bool ok = false;
    CHECK(from_base64(b64, &ok) == in);
    CHECK(ok);
  }
  for (const char* bad : {"Zm9*", "Zm 9", "Zm9v\n", "Zm9", "Zm9vY", "Z", "Zg==Zm9v", "Zm=v", "=m9v",
                          "Z===", "====", "Zm9vYg=a"}) {
    CAPTURE(bad);
    Bytes out(16);
    CHECK(base64_decode(bad, out) == -1);
  }
  // Too small an output is refused rather than overrun, both ways.
  Bytes two(2);
  CHECK(base64_decode("Zm9v", two) == -1);
  char three[3];
  const Bytes foo = bytes_of("foo");
  CHECK(base64_encode(foo, three) == 0);
  // All byte values and lengths round-trip.
  std::mt19937 rng(99);
  for (size_t len = 0; len < 70; ++len) {
    CAPTURE(len);
    const Bytes raw = meshota::test::pattern_bytes(len, static_cast<uint32_t>(rng()));
    std::string enc(base64_encoded_size(len), '?');
    REQUIRE(base64_encode(raw, enc) == enc.size());
    CHECK(from_base64(enc) == raw);
  }
}
