#pragma once
// One node's meshota OTA in the simulator: the image state over the node's
// flash, staging area and state store, and its strategy component. Like the
// node's other RAM it is built at every boot and thrown away at every reset;
// the flash and the state store keep what must survive.

#include <memory>
#include <optional>
#include <vector>

#include "meshota/core/ota/ota_peer.hpp"
#include "meshota/core/ota/broadcast_agent.hpp"
#include "meshota/core/ota/p2p_agent.hpp"
#include "meshota/core/ota/unicast_agent.hpp"
#include "meshota/sim/ota/image_pack.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

struct SimNode;

/// The distributing node's units, read from the packed image.
class PackedUnitSource final : public core::UnitSource {
 public:
  explicit PackedUnitSource(const PackedImage& image) : image_(image) {}
  bool read(uint32_t page, uint32_t from, std::span<uint8_t> out) override;

 private:
  const PackedImage& image_;
};

/// What every node's stack is sized and configured from (one per run).
struct MeshotaSetup {
  const PackedImage* image = nullptr;
  Strategy strategy = Strategy::kP2p;
  core::OtaPeerConfig peer;  ///< self and installed_version are set per node
  core::ManifestTrust trust;  ///< who signs (min_security_counter is set per node)
  uint32_t window_pages = 2;
  uint32_t unicast_window_pages = 2;
  core::Duration push_chunk_gap = core::Duration::millis(20);
  bool radio = false;  ///< ESP-NOW frames; otherwise painlessMesh's tree (multi-hop unicast)
};

/// One node's meshota OTA (see file comment).
class MeshotaStack {
 public:
  MeshotaStack(SimNode& node, const MeshotaSetup& setup, core::NodeId self, uint32_t installed_version,
               core::NodeId source, core::NodeId upstream, uint32_t min_security_counter);
  ~MeshotaStack();
  MeshotaStack(const MeshotaStack&) = delete;
  MeshotaStack& operator=(const MeshotaStack&) = delete;

  core::OtaPeer& peer();
  const core::OtaPeer& peer() const;
  const core::ImageState& image() const { return image_; }
  core::ImageState& image() { return image_; }

 private:
  std::vector<uint8_t> manifest_, unit_, work_;
  std::vector<uint32_t> offsets_;
  std::vector<std::vector<uint8_t>> window_buffers_;
  std::vector<std::unique_ptr<core::PageAssembler>> assemblers_;
  std::vector<core::PageAssembler*> window_;
  core::ImageState image_;
  std::optional<core::P2pAgent> p2p_;
  std::optional<core::BroadcastAgent> broadcast_;
  std::optional<core::UnicastAgent> unicast_;
};

}  // namespace meshota::sim
