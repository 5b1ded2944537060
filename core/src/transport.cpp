#include "meshota/core/transport.hpp"

#include "meshota/core/codec/json_writer.hpp"

namespace meshota::core {

bool MessageOut::send(Outbox& out, NodeId dest, Routing routing, std::span<const uint8_t> message) const {
  const std::span<uint8_t> space = out.reserve();
  size_t n = 0;
  if (transport_ == Transport::kEspNow) {
    if (routing != Routing::kNeighbour || message.size() > space.size()) {
      out.count_overflow();
      return false;
    }
    for (size_t i = 0; i < message.size(); ++i) space[i] = message[i];
    n = message.size();
  } else {
    // A plugin package as painlessMesh writes them: from, routing, type, then its own fields.
    JsonWriter w(space);
    w.begin_object();
    w.field_uint("from", self_);
    w.field_uint("routing", static_cast<uint64_t>(routing));
    w.field_uint("type", static_cast<uint64_t>(kPmMeshotaType));
    w.field_uint("dest", dest);
    w.field_base64("data", message);
    w.end_object();
    w.terminate();
    n = w.size();
  }
  if (n == 0 || !out.commit(dest, routing, n)) {
    out.count_overflow();
    return false;
  }
  return true;
}

}  // namespace meshota::core
