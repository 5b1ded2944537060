#include "report_attacks.hpp"

#include <fmt/format.h>

namespace meshota::sim::detail {

using J = nlohmann::ordered_json;

const char* attack_kind_name(AttackKind k) {
  switch (k) {
    case AttackKind::kPoisonPages: return "poison-pages";
    case AttackKind::kForgedManifest: return "forged-manifest";
    case AttackKind::kReplayedManifest: return "replayed-manifest";
    case AttackKind::kLyingAdverts: return "lying-adverts";
    case AttackKind::kRequestFlood: return "request-flood";
  }
  return "?";
}

J attacks_json(const ReportInput& in) {
  const AttackResult& a = in.result.attacks;
  J attackers = J::array();
  for (const AttackerResult& x : a.attackers)
    attackers.push_back({{"node", x.node},
                         {"kind", attack_kind_name(x.kind)},
                         {"adverts_sent", x.sent.adverts_sent},
                         {"manifest_pieces_sent", x.sent.manifest_pieces_sent},
                         {"requests_heard", x.sent.requests_heard},
                         {"requests_sent", x.sent.requests_sent},
                         {"poisoned_chunks_sent", x.sent.poisoned_chunks_sent},
                         {"poisoned_bytes_sent", x.sent.poisoned_bytes_sent}});
  return J{{"attackers", attackers},
           {"signed_manifest", in.result.signed_manifest},
           {"wrong_image_nodes", a.wrong_image_nodes},
           {"poison_reach", a.poison_reach},
           {"nodes_dropped_bad_pages", a.nodes_dropped_bad_pages},
           {"bad_pages", a.bad_pages},
           {"poisoned_chunks_caught", a.poisoned_chunks_caught},
           {"forged_manifests_dropped", a.forged_dropped},
           {"replayed_manifests_dropped", a.replayed_dropped},
           {"distrusted_adverts", a.distrusted_adverts},
           {"distrusted_chunks", a.distrusted_chunks},
           {"requests_limited", a.requests_limited},
           {"updated", in.result.updated},
           {"receivers", in.result.receivers},
           {"last_updated_s", in.analysis.last_updated_s}};
}

std::string attacks_markdown(const ReportInput& in) {
  const AttackResult& a = in.result.attacks;
  std::string md = "## Attacks\n\n";
  md += fmt::format("Manifest {}. Hostile nodes run the attack instead of the meshota stack and are not receivers "
                    "(docs/security.md).\n\n",
                    in.result.signed_manifest ? "signed (Ed25519), every node checks it" : "unsigned");
  md += "| node | kind | adverts | manifest pieces | requests asked of it | requests sent | poisoned chunks | poison bytes |\n";
  md += "|---:|---|---:|---:|---:|---:|---:|---:|\n";
  for (const AttackerResult& x : a.attackers)
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", x.node, attack_kind_name(x.kind),
                      x.sent.adverts_sent, x.sent.manifest_pieces_sent, x.sent.requests_heard, x.sent.requests_sent,
                      x.sent.poisoned_chunks_sent, x.sent.poisoned_bytes_sent);
  md += "\n";
  md += fmt::format("- **Nodes on a wrong image: {}** (running neither the offered image nor the old one).\n",
                    a.wrong_image_nodes);
  md += fmt::format("- **Poison reach: {} node(s)** staged a unit that differs from the genuine one; {} node(s) "
                    "dropped {} page(s) on a wrong hash; {} poisoned chunk(s) caught by holders comparing with their "
                    "verified copy.\n",
                    a.poison_reach, a.nodes_dropped_bad_pages, a.bad_pages, a.poisoned_chunks_caught);
  md += fmt::format("- Manifests dropped: {} forged (bad signature, header or table), {} replayed (security counter "
                    "below the device's); {} adverts and {} chunks ignored from distrusted senders; {} requests left "
                    "unserved over the per-requester limit.\n",
                    a.forged_dropped, a.replayed_dropped, a.distrusted_adverts, a.distrusted_chunks,
                    a.requests_limited);
  md += fmt::format("- Honest receivers updated: {} of {}", in.result.updated, in.result.receivers);
  if (in.analysis.last_updated_s >= 0) md += fmt::format(", the last {:.1f} s after the offer", in.analysis.last_updated_s);
  md += ".\n\n";
  return md;
}

}  // namespace meshota::sim::detail
