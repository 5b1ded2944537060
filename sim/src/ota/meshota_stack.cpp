#include "meshota/sim/ota/meshota_stack.hpp"

#include <algorithm>

#include "meshota/sim/node/sim_node.hpp"

namespace meshota::sim {

bool PackedUnitSource::read(uint32_t page, uint32_t from, std::span<uint8_t> out) {
  if (page >= image_.units.size()) return false;
  const std::vector<uint8_t>& unit = image_.units[page];
  if (from > unit.size() || out.size() > unit.size() - from) return false;
  std::copy_n(unit.begin() + from, out.size(), out.begin());
  return true;
}

namespace {

core::ImageStorage storage_of(SimNode& n) {
  return core::ImageStorage{n.flash, n.stage, n.boot, n.state, n.sha, &n.inflater};
}

}  // namespace

MeshotaStack::MeshotaStack(SimNode& node, const MeshotaSetup& setup, core::NodeId self, uint32_t installed_version,
                           core::NodeId source, core::NodeId upstream, uint32_t min_security_counter)
    : manifest_(setup.image->manifest.size()),
      unit_(setup.image->header.max_unit_bytes()),
      work_(core::ImageWriter::work_bytes_for(setup.image->header)),
      offsets_(size_t{setup.image->header.page_count} + 1),
      window_buffers_(setup.window_pages, std::vector<uint8_t>(setup.image->header.max_unit_bytes())),
      assemblers_([&] {
        std::vector<std::unique_ptr<core::PageAssembler>> a;
        for (std::vector<uint8_t>& b : window_buffers_) a.push_back(std::make_unique<core::PageAssembler>(b, node.sha));
        return a;
      }()),
      window_([&] {
        std::vector<core::PageAssembler*> w;
        for (auto& a : assemblers_) w.push_back(a.get());
        return w;
      }()),
      image_(storage_of(node), core::ManifestTrust{setup.trust.verifier, setup.trust.key, min_security_counter},
             core::ImageBuffers{manifest_, offsets_, unit_, work_, std::span<core::PageAssembler* const>(window_)}) {
  core::OtaPeerConfig cfg = setup.peer;
  cfg.self = self;
  cfg.installed_version = installed_version;
  switch (setup.strategy) {
    case Strategy::kP2p: p2p_.emplace(cfg, image_, node.rng); break;
    case Strategy::kBroadcast: {
      core::BroadcastConfig bc;
      bc.chunk_gap = setup.push_chunk_gap;
      broadcast_.emplace(cfg, bc, source, upstream, image_, node.rng);
      break;
    }
    case Strategy::kUnicast:
      // On the tree the source is asked hop by hop; on the radio a node asks its routing-tree parent.
      unicast_.emplace(cfg, setup.radio ? upstream : source, !setup.radio, setup.unicast_window_pages, image_, node.rng);
      break;
  }
}

MeshotaStack::~MeshotaStack() = default;

core::OtaPeer& MeshotaStack::peer() {
  if (p2p_) return *p2p_;
  if (broadcast_) return *broadcast_;
  return *unicast_;
}
const core::OtaPeer& MeshotaStack::peer() const { return const_cast<MeshotaStack*>(this)->peer(); }

}  // namespace meshota::sim
