#include "scenario_security.hpp"

#include <array>
#include <string_view>

namespace meshota::sim::detail {
namespace {

constexpr std::array<std::string_view, 3> kSigningKeys = {"enabled", "key_seed", "secret_key"};
constexpr std::array<std::string_view, 3> kAttackerKeys = {"node", "kind", "rate_per_s"};
// In AttackKind order: read_choice's index is cast to the enum.
constexpr std::array<std::string_view, 5> kAttackKinds = {"poison-pages", "forged-manifest", "replayed-manifest",
                                                           "lying-adverts", "request-flood"};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// key_seed: a whole number, or exactly 64 hex digits (the RFC 8032 seed itself).
void read_key_seed(const Section& s, std::array<uint8_t, 32>& seed) {
  if (!s.has("key_seed")) return;
  const YAML::Node v = s.value("key_seed");
  if (v.IsScalar() && v.Scalar().size() == 64) {
    const std::string& h = v.Scalar();
    for (size_t i = 0; i < 32; ++i) {
      const int hi = hex_digit(h[2 * i]), lo = hex_digit(h[2 * i + 1]);
      s.check(hi >= 0 && lo >= 0, "key_seed",
              "has a character that is not hex at digit " + std::to_string(2 * i + (hi < 0 ? 1 : 2)) +
                  "; write a whole number (e.g. key_seed: 7) or 64 hex digits");
      seed[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    return;
  }
  uint64_t n = 0;
  s.read("key_seed", n);
  seed = {};
  for (size_t i = 0; i < 8; ++i) seed[i] = static_cast<uint8_t>(n >> (8 * i));
}

}  // namespace

void read_signing(const Section& ota, Scenario& sc) {
  OtaSpec& o = sc.ota;
  ota.read("security_counter", o.security_counter);
  ota.read("device_security_counter", o.device_security_counter);
  ota.check(o.security_counter >= o.device_security_counter, "security_counter",
            "is " + std::to_string(o.security_counter) + ", below device_security_counter (" +
                std::to_string(o.device_security_counter) +
                "): every node would refuse the image as a rollback; raise it or lower device_security_counter");
  ota.read("serve_limit_per_s", o.serve_limit_per_s);
  ota.read("install_wait_max_s", o.install_wait_max_s);
  ota.check(o.install_wait_max_s >= 0.0, "install_wait_max_s",
            "must not be negative; 0 waits for quiet however long it takes, e.g. 30");
  const Section s = ota.child("signing", kSigningKeys);
  s.read("enabled", o.signing.enabled);
  s.only_when(o.signing.enabled, "key_seed", "enabled: true");
  s.only_when(o.signing.enabled, "secret_key", "enabled: true");
  s.check(!(s.has("key_seed") && s.has("secret_key")), "secret_key",
          "and key_seed both name the signing key; keep one of them");
  read_key_seed(s, o.signing.seed);
  s.read_file_path("secret_key", o.signing.secret_key);
}

void read_attackers(const Section& top, Scenario& sc) {
  const std::vector<YAML::Node> items = top.list("attackers");
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].IsNull())
      top.fail("attackers", "item " + std::to_string(i) + " is empty; write it as '- {node: 7, kind: poison-pages}'");
    const Section s(top.file(), items[i], "attackers[" + std::to_string(i) + "]", kAttackerKeys, items[i].Mark());
    AttackerSpec a;
    a.pos = s.pos();
    s.require("node", "node: 7");
    s.require("kind", "kind: poison-pages");
    s.check(sc.ota.meshota(), "kind",
            "needs ota.protocol: meshota (hostile nodes speak meshota's messages; painlessMesh checks only an MD5)");
    a.kind = static_cast<AttackKind>(s.read_choice("kind", kAttackKinds));
    s.read("node", a.node);
    s.check(a.node < sc.topology.nodes, "node",
            "is " + std::to_string(a.node) + " but the fleet has nodes 0 to " + std::to_string(sc.topology.nodes - 1));
    s.check(a.node != sc.ota.sender, "node", "is the distributing node (ota.sender); pick another node");
    for (const AttackerSpec& b : sc.attackers)
      s.check(b.node != a.node, "node", "is already an attacker (one attack per node); pick another node");
    const bool rated = a.kind == AttackKind::kRequestFlood || a.kind == AttackKind::kPoisonPages;
    s.only_when(rated, "rate_per_s", "kind: request-flood or poison-pages");
    s.read("rate_per_s", a.rate_per_s);
    s.check(a.rate_per_s > 0.0 && a.rate_per_s <= 10000.0, "rate_per_s",
            "must be more than 0 and at most 10000 per second, e.g. 50");
    if (a.kind == AttackKind::kReplayedManifest)
      s.check(sc.ota.device_security_counter >= 1, "kind",
              "replays a genuine manifest with a lower security counter than the nodes', so ota.device_security_counter "
              "must be at least 1; set it (e.g. device_security_counter: 2)");
    sc.attackers.push_back(a);
  }
}

}  // namespace meshota::sim::detail
