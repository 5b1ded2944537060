#include "meshota/core/node.hpp"

#include "meshota/core/codec/base64.hpp"
#include "meshota/core/pm/pm_codec.hpp"

namespace meshota::core {

Node::Node(const NodeConfig& config, Hal& hal) : config_(config) {
  if (config_.pm_ota_receiver) {
    receiver_.emplace(config_.id, config_.is_root, config_.hardware.view(), config_.role.view(),
                      config_.pm_ota, hal);
    components_[component_count_++] = &*receiver_;
  }
  if (config_.pm_ota_source != nullptr) {
    sender_.emplace(config_.id, config_.pm_ota, *config_.pm_ota_source);
    components_[component_count_++] = &*sender_;
  }
}

void Node::on_boot(Instant now) {
  for (size_t i = 0; i < component_count_; ++i) components_[i]->on_boot(now);
}

bool Node::add_component(Component& c) {
  if (component_count_ == kMaxComponents) return false;
  components_[component_count_++] = &c;
  return true;
}

void Node::on_frame(Instant now, NodeId from_hop, std::span<const uint8_t> bytes, Outbox& out) {
  ++stats_.frames_received;
  if (config_.transport == Transport::kEspNow) {
    ++stats_.messages;
    for (size_t i = 0; i < component_count_; ++i) components_[i]->on_message(now, from_hop, bytes, out);
    return;
  }
  if (!json_.parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))) {
    ++stats_.frames_not_json;
    return;
  }
  const int type = pm_type_of(json_);
  if (type < 0) {
    ++stats_.frames_untyped;
    return;
  }
  if (type == kPmMeshotaType) {
    on_envelope(now, out);
    return;
  }
  if (type == static_cast<int>(PmType::kBroadcast) || type == static_cast<int>(PmType::kSingle))
    ++stats_.user_messages;
  for (size_t i = 0; i < component_count_; ++i) components_[i]->on_package(now, json_, type, out);
}

void Node::on_envelope(Instant now, Outbox& out) {
  uint64_t from = 0;
  std::string_view data;
  if (!json_.get_uint("from", from) || from > UINT32_MAX || !json_.get_raw_string("data", data)) {
    ++stats_.bad_envelopes;
    return;
  }
  const int64_t n = base64_decode(data, message_);
  if (n <= 0) {
    ++stats_.bad_envelopes;
    return;
  }
  ++stats_.messages;
  const std::span<const uint8_t> message(message_, static_cast<size_t>(n));
  for (size_t i = 0; i < component_count_; ++i)
    components_[i]->on_message(now, static_cast<NodeId>(from), message, out);
}

Instant Node::poll(Instant now, Outbox& out) {
  Instant next = Instant::never();
  for (size_t i = 0; i < component_count_; ++i) next = earliest(next, components_[i]->poll(now, out));
  return next;
}

}  // namespace meshota::core
