// The simulator's side of authenticity and hostile nodes (docs/security.md):
// signing the offered image and giving every node the fleet's public key,
// the devices' anti-rollback counters, installing hostile peers, and measuring
// what they achieved.

#include <algorithm>
#include <cmath>

#include "meshota/sim/crypto/manifest_signing.hpp"
#include "meshota/sim/engine/simulator.hpp"

namespace meshota::sim {

PackOptions Simulator::signing_options(PackOptions o) {
  o.security_counter = sc_.ota.security_counter;
  if (!sc_.ota.signing.enabled) return o;
  fleet_key_ = sc_.ota.signing.secret_key.empty() ? key_pair_from_seed(sc_.ota.signing.seed)
                                                  : read_secret_key_file(sc_.ota.signing.secret_key);
  if (!verifier_) verifier_ = std::make_unique<SodiumVerifier>();
  meshota_.trust = core::ManifestTrust{verifier_.get(), &fleet_key_.public_key, 0};
  o.signing_key = &fleet_key_;
  return o;
}

void Simulator::setup_attacks(const FirmwareImage& old_image) {
  hostile_.resize(topo_.nodes);
  if (sc_.attackers.empty()) return;
  attack_ = make_attack_material(packed_, old_image.bytes, pack_options_, sc_.ota.device_security_counter);
}

bool Simulator::is_attacker(uint32_t i) const {
  return std::any_of(sc_.attackers.begin(), sc_.attackers.end(), [i](const AttackerSpec& a) { return a.node == i; });
}

bool Simulator::start_hostile(uint32_t i) {
  const auto it = std::find_if(sc_.attackers.begin(), sc_.attackers.end(), [i](const AttackerSpec& a) { return a.node == i; });
  if (it == sc_.attackers.end()) return false;
  SimNode& n = *nodes_[i];
  if (!hostile_[i]) {
    HostileConfig c;
    c.kind = it->kind;
    c.self = n.config.id;
    c.transport = meshota_.peer.transport;
    c.frame_bytes = meshota_.peer.frame_bytes;
    c.start = core::Instant{std::llround(sc_.ota.start_s * 1e6)};
    c.rate_per_s = it->rate_per_s;
    hostile_[i] = std::make_unique<HostilePeer>(c, attack_, n.rng);
  }
  n.core->add_component(*hostile_[i]);
  return true;
}

uint32_t Simulator::device_security_counter(uint32_t i, bool runs_new) const {
  // The boot record's counter (BootControl, with safety's boot manager), at least the scenario's starting
  // value; a node running the offered image holds at least its counter even without a boot manager.
  const uint32_t base = std::max(sc_.ota.device_security_counter, nodes_[i]->boot.security_counter());
  const bool new_image = runs_new || i == sc_.ota.sender;
  return new_image ? std::max(base, sc_.ota.security_counter) : base;
}

bool Simulator::stored_poison(uint32_t i) {
  // Independent of the page hashes: every unit the node staged is compared with the genuine one.
  if (!nodes_[i]->meshota) return false;
  core::ImageState& img = nodes_[i]->meshota->image();
  if (!img.has_manifest() || img.is_source()) return false;
  if (img.id() != packed_.image_id) return img.pages_complete() > 0;  // pages of an image nobody offered
  uint8_t buf[core::kMaxMessageBytes];
  for (uint32_t p = 0; p < packed_.header.page_count; ++p) {
    if (!img.holds(p)) continue;
    for (uint32_t k = 0; k < packed_.chunk_count(p); ++k) {
      const uint32_t n = img.read_chunk(p, k, buf);
      const auto genuine = packed_.chunk(p, k);
      if (n != genuine.size() || !std::equal(genuine.begin(), genuine.end(), buf)) return true;
    }
  }
  return false;
}

void Simulator::collect_attacks(RunResult& r) {
  r.signed_manifest = sc_.ota.signing.enabled;
  AttackResult& a = r.attacks;
  for (const AttackerSpec& s : sc_.attackers) a.attackers.push_back(AttackerResult{s.kind, s.node, hostile_[s.node]->stats()});
  if (a.attackers.empty()) return;
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    const NodeResult& nr = r.nodes[i];
    if (nr.is_attacker) continue;
    if (nr.boot_slot_sha256 != image_.sha256 && nr.boot_slot_sha256 != old_sha256_) ++a.wrong_image_nodes;
    if (stored_poison(i)) ++a.poison_reach;
    if (nr.image.bad_pages > 0) ++a.nodes_dropped_bad_pages;
    a.bad_pages += nr.image.bad_pages;
    a.forged_dropped += nr.ota.forged_manifests;
    a.replayed_dropped += nr.ota.replayed_manifests;
    a.distrusted_adverts += nr.ota.distrusted_adverts;
    a.distrusted_chunks += nr.ota.distrusted_chunks;
    a.poisoned_chunks_caught += nr.ota.poisoned_chunks;
    a.requests_limited += nr.ota.requests_limited;
  }
}

}  // namespace meshota::sim
