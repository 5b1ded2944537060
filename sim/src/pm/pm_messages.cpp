#include "meshota/sim/pm/pm_messages.hpp"

#include <fmt/format.h>

#include <string_view>

#include "meshota/core/pm/pm_codec.hpp"

namespace meshota::sim {
namespace {

// One node of the re-rooted tree still to write: the node, the neighbour it was reached from, and
// which of its neighbours comes next (0 = its parent, 1.. = its children in order).
struct TreeCursor {
  uint32_t node;
  uint32_t came_from;
  uint32_t next;  // kNoNode when the parent is next, else the next child to visit
  bool parent_done;
  bool wrote_sub;
};

// NodeTree::addTo: {"nodeId":N[,"root":true][,"subs":[...]]}. Written with an explicit stack,
// because radio meshes form chains deep enough to worry a recursive writer.
void write_tree(std::string& out, const MeshTree& tree, const std::vector<uint32_t>& ids, uint32_t root,
                uint32_t start, uint32_t exclude) {
  auto open = [&](uint32_t v) {
    out += fmt::format("{{\"nodeId\":{}", ids[v]);
    if (v == root) out += ",\"root\":true";
  };
  std::vector<TreeCursor> stack;
  open(start);
  stack.push_back({start, exclude, tree.first_child(start), false, false});
  while (!stack.empty()) {
    TreeCursor& f = stack.back();
    uint32_t nbr = kNoNode;
    if (!f.parent_done) {
      f.parent_done = true;
      const uint32_t p = tree.parent(f.node);
      if (p != kNoNode && p != f.came_from) nbr = p;
    }
    while (nbr == kNoNode && f.next != kNoNode) {
      const uint32_t c = f.next;
      f.next = tree.next_sibling(c);
      if (c != f.came_from) nbr = c;
    }
    if (nbr == kNoNode) {
      out += f.wrote_sub ? "]}" : "}";
      stack.pop_back();
      continue;
    }
    out += f.wrote_sub ? "," : ",\"subs\":[";
    f.wrote_sub = true;
    const uint32_t from = f.node;
    open(nbr);
    stack.push_back({nbr, from, tree.first_child(nbr), false, false});
  }
}

}  // namespace

std::string pm_node_sync(const MeshTree& tree, const std::vector<uint32_t>& ids, uint32_t root, uint32_t from,
                         uint32_t to, bool reply) {
  std::string out;
  write_tree(out, tree, ids, root, from, to);
  out.pop_back();  // NodeSyncRequest::addTo appends its own keys after the tree's
  out += fmt::format(",\"type\":{},\"dest\":{},\"from\":{}}}", reply ? kPmNodeSyncReply : kPmNodeSyncRequest, ids[to],
                     ids[from]);
  out.push_back('\0');
  return out;
}

std::string pm_time_sync(uint32_t from_id, uint32_t to_id, int step, uint32_t t0, uint32_t t1, uint32_t t2) {
  std::string out = fmt::format("{{\"type\":{},\"dest\":{},\"from\":{},\"msg\":{{\"type\":{}", kPmTimeSync, to_id,
                                from_id, step);
  if (step >= 1) out += fmt::format(",\"t0\":{}", t0);
  if (step >= 2) out += fmt::format(",\"t1\":{},\"t2\":{}", t1, t2);
  out += "}}";
  out.push_back('\0');
  return out;
}

std::string pm_hello(uint32_t from_id) {
  core::PmUserMessage m;
  m.type = core::PmType::kBroadcast;
  m.dest = 0;
  m.from = from_id;
  const std::string text = fmt::format("Hello from node {}", from_id);
  m.msg = text;
  std::string out(text.size() + 96, '\0');
  const size_t n = core::pm_encode(m, std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()), out.size()));
  out.resize(n);
  return out;
}

int pm_message_type(const std::vector<uint8_t>& bytes) {
  static constexpr std::string_view kKey = "\"type\":";
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  // The first "type" key at nesting depth 1: node syncs carry nested trees
  // before theirs, time syncs a nested msg.type after theirs.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    else if (c == '"') {
      if (depth == 1 && text.compare(i, kKey.size(), kKey) == 0) {
        int type = 0;
        size_t j = i + kKey.size();
        if (j >= text.size() || text[j] < '0' || text[j] > '9') return -1;
        for (; j < text.size() && text[j] >= '0' && text[j] <= '9' && type < 100000; ++j) type = type * 10 + (text[j] - '0');
        return type;
      }
      in_string = true;
    }
  }
  return -1;
}

}  // namespace meshota::sim
