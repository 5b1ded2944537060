#include "meshota/core/pm/pm_codec.hpp"

#include "meshota/core/codec/json_writer.hpp"

namespace meshota::core {
namespace {

// Field order follows the upstream addTo() chain: BroadcastPackage (from,
// routing, type), Announce (md5, hardware, role, [forced], noPart, broadcasted,
// [compressed]), DataRequest (dest, partNo), Data (data).
void write_ota_fields(JsonWriter& w, const PmOtaPackage& p) {
  w.begin_object();
  w.field_uint("from", p.from);
  w.field_uint("routing", static_cast<uint64_t>(p.routing));
  w.field_uint("type", static_cast<uint64_t>(p.type));
  w.field_string("md5", p.md5.view());
  w.field_string("hardware", p.hardware.view());
  w.field_string("role", p.role.view());
  if (p.forced) w.field_bool("forced", true);
  w.field_uint("noPart", p.no_part);
  w.field_bool("broadcasted", p.broadcasted);
  if (p.compressed) w.field_bool("compressed", true);
  if (p.type != PmType::kOtaAnnounce) {
    w.field_uint("dest", p.dest);
    w.field_uint("partNo", p.part_no);
  }
}

size_t finish(JsonWriter& w) {
  w.end_object();
  w.terminate();
  return w.size();
}

template <size_t N>
bool read_fixed(const JsonReader& json, std::string_view key, FixedString<N>& out, PmDecodeStatus& status) {
  std::string_view raw;
  if (!json.get_raw_string(key, raw)) {
    status = PmDecodeStatus::kMissingField;
    return false;
  }
  // ArduinoJson decodes escapes, so limits apply to the decoded text.
  char buf[N];
  std::string_view text;
  if (!json.get_string(key, std::span<char>(buf, N), text) || !out.assign(text)) {
    status = PmDecodeStatus::kBadValue;
    return false;
  }
  return true;
}

}  // namespace

size_t pm_encode(const PmOtaPackage& pkg, std::span<uint8_t> out) {
  JsonWriter w(out);
  write_ota_fields(w, pkg);
  return finish(w);
}

size_t pm_encode_data(const PmOtaPackage& pkg, std::span<const uint8_t> chunk, std::span<uint8_t> out) {
  JsonWriter w(out);
  write_ota_fields(w, pkg);
  w.field_base64("data", chunk);
  return finish(w);
}

size_t pm_encode(const PmUserMessage& msg, std::span<uint8_t> out) {
  // protocol::Single::addTo writes type, dest, from, msg; Broadcast only
  // overwrites `type`, which keeps its first position.
  JsonWriter w(out);
  w.begin_object();
  w.field_uint("type", static_cast<uint64_t>(msg.type));
  w.field_uint("dest", msg.dest);
  w.field_uint("from", msg.from);
  w.field_string("msg", msg.msg);
  return finish(w);
}

int pm_type_of(const JsonReader& json) {
  uint32_t type = 0;
  if (!json.get_u32("type", type) || type > 0xffff) return -1;
  return static_cast<int>(type);
}

PmDecodeStatus pm_decode(const JsonReader& json, PmOtaPackage& out) {
  const int type = pm_type_of(json);
  if (type < 0) return PmDecodeStatus::kMissingField;
  if (type < 10 || type > 12) return PmDecodeStatus::kWrongType;
  out = PmOtaPackage{};
  out.type = static_cast<PmType>(type);
  uint32_t routing = 0;
  if (!json.get_u32("from", out.from) || !json.get_u32("routing", routing) ||
      !json.get_u32("noPart", out.no_part))
    return PmDecodeStatus::kMissingField;
  if (routing > 2) return PmDecodeStatus::kBadValue;
  out.routing = static_cast<Routing>(routing);
  PmDecodeStatus status = PmDecodeStatus::kOk;
  if (!read_fixed(json, "md5", out.md5, status) || !read_fixed(json, "hardware", out.hardware, status) ||
      !read_fixed(json, "role", out.role, status))
    return status;
  // Optional flags: upstream reads them only when present and boolean.
  bool flag = false;
  if (json.get_bool("forced", flag)) out.forced = flag;
  if (json.get_bool("broadcasted", flag)) out.broadcasted = flag;
  if (json.get_bool("compressed", flag)) out.compressed = flag;
  if (out.type == PmType::kOtaAnnounce) return PmDecodeStatus::kOk;
  if (!json.get_u32("dest", out.dest) || !json.get_u32("partNo", out.part_no))
    return PmDecodeStatus::kMissingField;
  if (out.type == PmType::kOtaData && !json.get_raw_string("data", out.data_base64))
    return PmDecodeStatus::kMissingField;
  return PmDecodeStatus::kOk;
}

PmDecodeStatus pm_decode(const JsonReader& json, std::span<char> msg_buf, PmUserMessage& out) {
  const int type = pm_type_of(json);
  if (type < 0) return PmDecodeStatus::kMissingField;
  if (type != 8 && type != 9) return PmDecodeStatus::kWrongType;
  out = PmUserMessage{};
  out.type = static_cast<PmType>(type);
  if (!json.get_u32("dest", out.dest) || !json.get_u32("from", out.from))
    return PmDecodeStatus::kMissingField;
  if (!json.get_string("msg", msg_buf, out.msg)) return PmDecodeStatus::kMissingField;
  return PmDecodeStatus::kOk;
}

}  // namespace meshota::core
