#include "meshota/sim/pm/mesh_tree.hpp"

namespace meshota::sim {

MeshTree::MeshTree(const Topology& initial)
    : root_(initial.root),
      parent_(initial.nodes, kNoNode),
      first_child_(initial.nodes, kNoNode),
      next_sibling_(initial.nodes, kNoNode),
      prev_sibling_(initial.nodes, kNoNode),
      child_count_(initial.nodes, 0) {
  // Children in the topology's order, so iteration order (and thus every
  // result built on it) matches the static tree's.
  for (uint32_t v = initial.nodes; v-- > 0;)
    for (uint32_t k = initial.child_offsets[v + 1]; k-- > initial.child_offsets[v];) attach(initial.children[k], v);
  version_ = 0;
}

void MeshTree::unlink_child(uint32_t v) {
  const uint32_t p = parent_[v];
  if (prev_sibling_[v] != kNoNode) next_sibling_[prev_sibling_[v]] = next_sibling_[v];
  else first_child_[p] = next_sibling_[v];
  if (next_sibling_[v] != kNoNode) prev_sibling_[next_sibling_[v]] = prev_sibling_[v];
  prev_sibling_[v] = next_sibling_[v] = kNoNode;
  --child_count_[p];
}

void MeshTree::detach(uint32_t v) {
  if (parent_[v] == kNoNode) return;
  unlink_child(v);
  parent_[v] = kNoNode;
  ++version_;
}

void MeshTree::attach(uint32_t v, uint32_t ap) {
  if (parent_[v] != kNoNode) unlink_child(v);
  parent_[v] = ap;
  next_sibling_[v] = first_child_[ap];
  if (first_child_[ap] != kNoNode) prev_sibling_[first_child_[ap]] = v;
  first_child_[ap] = v;
  ++child_count_[ap];
  ++version_;
}

bool MeshTree::in_subtree(uint32_t v, uint32_t of) const {
  // Bounded: a walk up a tree of n nodes takes fewer than n steps.
  for (uint32_t steps = 0; v != kNoNode && steps <= nodes(); ++steps, v = parent_[v])
    if (v == of) return true;
  return false;
}

uint32_t MeshTree::top(uint32_t v) const {
  for (uint32_t steps = 0; parent_[v] != kNoNode && steps <= nodes(); ++steps) v = parent_[v];
  return v;
}

uint32_t MeshTree::depth(uint32_t v) const {
  uint32_t d = 0;
  while (parent_[v] != kNoNode && d <= nodes()) v = parent_[v], ++d;
  return d;
}

uint32_t MeshTree::next_hop(uint32_t from, uint32_t to) const {
  // If `to` hangs below `from`, the way is the child on that path; otherwise up.
  uint32_t child = kNoNode;
  for (uint32_t v = to, steps = 0; v != kNoNode && steps <= nodes(); child = v, v = parent_[v], ++steps)
    if (v == from) return child == kNoNode ? from : child;
  if (top(from) != top(to)) return kNoNode;
  return parent_[from];
}

uint32_t MeshTree::hops(uint32_t a, uint32_t b) const {
  if (top(a) != top(b)) return UINT32_MAX;
  uint32_t da = depth(a), db = depth(b), n = 0;
  while (da > db) a = parent_[a], --da, ++n;
  while (db > da) b = parent_[b], --db, ++n;
  while (a != b) a = parent_[a], b = parent_[b], n += 2;
  return n;
}

uint32_t MeshTree::subtree_size(uint32_t v) const {
  // Iterative walk over the child/sibling links; every node is visited once.
  uint32_t count = 0;
  uint32_t cur = v;
  for (uint32_t steps = 0; steps <= nodes(); ++steps) {
    ++count;
    if (first_child_[cur] != kNoNode) {
      cur = first_child_[cur];
      continue;
    }
    while (cur != v && next_sibling_[cur] == kNoNode) cur = parent_[cur];
    if (cur == v) break;
    cur = next_sibling_[cur];
  }
  return count;
}

}  // namespace meshota::sim
