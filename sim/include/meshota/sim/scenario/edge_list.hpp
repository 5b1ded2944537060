#pragma once
// Edge-list topology files (data/topologies/*.txt): a `# nodes N edges E`
// header, then one `u v` pair per line. Parsed strictly, because a silently
// wrong graph would make every benchmark number built on it wrong too.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meshota::sim {

/// An undirected graph read from an edge-list file: node ids 0..nodes-1.
struct EdgeList {
  uint32_t nodes = 0;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
};

/// Reads and checks an edge-list file; throws InputError (line 0 if the file
/// cannot be opened).
EdgeList read_edge_list(const std::string& path);

/// Parses edge-list text; `name_for_errors` is the file name used in the
/// InputError messages. Blank lines and lines starting with `#` after the
/// header are ignored.
EdgeList parse_edge_list(std::string_view text, const std::string& name_for_errors);

}  // namespace meshota::sim
