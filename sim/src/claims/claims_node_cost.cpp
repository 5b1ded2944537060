// Claims about what meshota costs a node in RAM and flash: C13, C14, C16.

#include <algorithm>

#include <fmt/format.h>

#include "claim_fleets.hpp"

namespace meshota::sim::detail {
namespace {

// Protocol RAM per receiver (manifest, receive window, writer, inflater) at its largest, mean in KB.
double ram_kb(const ScenarioRun& run) { return run.analysis.ota.ram_mean_bytes / 1024.0; }

Variant window(uint32_t bits) {
  Variant v = meshota(Strategy::kP2p, true);
  auto inner = v.adjust;
  return Variant{fmt::format("{}, window {}", v.name, bits), [=](Scenario& sc) {
                   inner(sc);
                   sc.ota.window_bits = bits;
                 }};
}

}  // namespace

ClaimRow claim_c13(ClaimRunner& r) {
  ClaimRow row = row_for("C13", r);
  row.scenarios = {kF10};
  const ClaimValue plain = measure(r, kF10, meshota(Strategy::kP2p, false), "protocol RAM per node, uncompressed", "KB", ram_kb);
  row.values.push_back(plain);
  std::string verdict;
  for (uint32_t bits : {9u, 12u, 15u}) {
    const ClaimValue packed = measure(r, kF10, window(bits), "", "KB", ram_kb);
    ClaimValue extra = combine(packed, plain, fmt::format("extra RAM for deflate, {} B window", 1u << bits), "KB",
                               [](double a, double b) { return a - b; });
    row.values.push_back(measure(r, kF10, window(bits), fmt::format("bytes sent / image, {} B window", 1u << bits),
                                 "x", [](const ScenarioRun& run) { return run.analysis.ota.ratio; }));
    verdict += fmt::format("{}{} B window: {:+.1f} KB {}", verdict.empty() ? "" : "; ", 1u << bits, extra.mean(),
                           range_verdict(extra, 4, 8));
    row.values.push_back(std::move(extra));
  }
  row.verdict = "+4-8 KB: " + verdict;
  row.explanation =
      "Counted: the largest protocol state of each receiver (manifest, receive window of pages, image writer and "
      "the inflater's allocations through a counting allocator around real zlib), mean over receivers, with "
      "deflate minus without, on F10-tree with https_server.bin. Compressed pages are also smaller, so the "
      "receive window shrinks: the difference is what compression really costs, not the inflater alone.";
  return row;
}

ClaimRow claim_c14(ClaimRunner& r) {
  ClaimRow row = row_for("C14", r);
  row.scenarios = {kF50};
  const Variant bc = meshota(Strategy::kBroadcast, false);
  const ClaimValue node = measure(r, kF50, bc, "broadcast: protocol RAM per receiver", "KB", ram_kb);
  const ClaimValue root = measure(r, kF50, bc, "broadcast: protocol RAM of the source", "KB", [](const ScenarioRun& run) {
    double kb = 0;
    for (const NodeResult& n : run.result.nodes)
      if (n.is_sender) kb = n.ota_ram_bytes / 1024.0;
    return kb;
  });
  row.values = {node, root};
  row.verdict = fmt::format(
      "+2-5 KB per node {} ({:.1f} KB: chunk bitmaps are 8 B per page in assembly, the rest is the receive window "
      "of whole pages, the manifest and the writer); nothing extra on the root: {} ({:.1f} KB for the manifest and "
      "serving state)",
      range_verdict(node, 2, 5), node.mean(), root.max() < 1.0 ? "holds" : "fails", root.mean());
  row.explanation =
      "Counted: the largest protocol state per node during a broadcast rollout on F50-tree (https_server.bin, "
      "4 KB pages, two pages assembled at once), as the simulator's allocators measure it.";
  return row;
}

ClaimRow claim_c16(ClaimRunner& r) {
  ClaimRow row = row_for("C16", r);
  row.scenarios = {kF10};
  const ClaimValue flash = measure(r, kF10, meshota(Strategy::kP2p, true), "P2P + deflate: staging flash per node", "KB",
                                   [](const ScenarioRun& run) { return run.analysis.ota.staging_bytes / 1024.0; });
  const ClaimValue image = measure(r, kF10, meshota(Strategy::kP2p, true), "the image itself", "KB",
                                   [](const ScenarioRun& run) { return static_cast<double>(run.image.bytes.size()) / 1024.0; });
  row.values = {flash, image};
  row.verdict = fmt::format("+200-500 KB {} ({:.0f} KB for a {:.0f} KB image: a node keeps the compressed pages it "
                            "serves, beside the image written to the inactive slot)",
                            range_verdict(flash, 200, 500), flash.mean(), image.mean());
  row.explanation =
      "Counted: staging flash for the page units a node holds and serves to its neighbours (compressed as sent), "
      "F10-tree with https_server.bin; the inactive OTA slot every OTA scheme needs is not counted.";
  return row;
}

}  // namespace meshota::sim::detail
