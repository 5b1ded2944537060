#include "meshota/core/node.hpp"

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

void Node::on_frame(Instant now, std::span<const uint8_t> bytes, Outbox& out) {
  ++stats_.frames_received;
  if (!json_.parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))) {
    ++stats_.frames_not_json;
    return;
  }
  const int type = pm_type_of(json_);
  if (type < 0) {
    ++stats_.frames_untyped;
    return;
  }
  if (type == static_cast<int>(PmType::kBroadcast) || type == static_cast<int>(PmType::kSingle))
    ++stats_.user_messages;
  for (size_t i = 0; i < component_count_; ++i) components_[i]->on_package(now, json_, type, out);
}

Instant Node::poll(Instant now, Outbox& out) {
  Instant next = Instant::never();
  for (size_t i = 0; i < component_count_; ++i) next = earliest(next, components_[i]->poll(now, out));
  return next;
}

}  // namespace meshota::core
