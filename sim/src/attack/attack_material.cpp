#include "meshota/sim/attack/attack_material.hpp"

#include "meshota/sim/crypto/manifest_signing.hpp"

namespace meshota::sim {
namespace {

HostileManifest hostile(const PackedImage& p, uint32_t advertised_version) {
  return HostileManifest{p.manifest, p.image_id, advertised_version, p.header.page_count};
}

}  // namespace

AttackMaterial make_attack_material(const PackedImage& genuine, std::span<const uint8_t> old_image,
                                    const PackOptions& o, uint32_t device_security_counter) {
  AttackMaterial m;
  m.genuine = &genuine;
  // Forged: the genuine image's bytes as a "newer" version, signed with the attacker's own key; a
  // node that trusted it would fetch and install whatever pages the attacker serves.
  PackOptions forged = o;
  forged.version = o.version + 1;
  const KeyPair attacker_key = key_pair_from_number(0xBAD5EED);
  forged.signing_key = &attacker_key;
  m.forged = hostile(pack_image(old_image, forged), forged.version);
  // Replayed: an older genuine release (the factory image, version 1), signed by the fleet key,
  // whose counter the devices have moved past; the replayer claims a newer version in its adverts.
  PackOptions old = o;
  old.version = 1;
  old.security_counter = device_security_counter == 0 ? 0 : device_security_counter - 1;
  m.replayed = hostile(pack_image(old_image, old), o.version + 1);
  return m;
}

}  // namespace meshota::sim
