#pragma once
// What hostile nodes know and carry (docs/security.md): the genuine image (a
// hostile node can be a mesh member that fetched it), a forged manifest of a
// "newer" image signed by the attacker's own key (or unsigned), and a replayed
// manifest: the genuine signed manifest of an older release whose security
// counter is below the devices'.

#include <cstdint>
#include <vector>

#include "meshota/core/ota/image_id.hpp"
#include "meshota/sim/ota/image_pack.hpp"

namespace meshota::sim {

/// A manifest an attacker serves, with the id and version it advertises for it.
struct HostileManifest {
  std::vector<uint8_t> bytes;
  core::ImageId id{};
  uint32_t advertised_version = 0;  ///< what its adverts claim (a replayer lies here)
  uint16_t page_count = 0;
};

/// Everything the attackers of one run serve, built once per run.
struct AttackMaterial {
  const PackedImage* genuine = nullptr;
  HostileManifest forged;    ///< version genuine + 1, signed by a key the nodes do not trust
  HostileManifest replayed;  ///< genuine key, version 1, security counter device - 1
};

/// Builds the forged and replayed manifests from the genuine image, the packer's options (whose
/// signing_key, the fleet's, signs the replayed one) and the old image's bytes.
AttackMaterial make_attack_material(const PackedImage& genuine, std::span<const uint8_t> old_image,
                                    const PackOptions& genuine_options, uint32_t device_security_counter);

}  // namespace meshota::sim
