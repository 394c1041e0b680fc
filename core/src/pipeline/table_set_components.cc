// FreeComponents (declared in table_set.h): connected components of the free cells of a
// TableSet under "appear in the same relation", by union-find over the relations.
#include <algorithm>
#include <numeric>

#include "pipeline/table_set.h"

namespace tvault::pipeline {
namespace {

// Union-find over cell ids, with path halving; the root of a set is its smallest id, so the
// result does not depend on the order of the unions.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }

  CellId Find(CellId x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  void Union(CellId a, CellId b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<CellId> parent_;
};

}  // namespace

CellComponents FreeComponents(const TableSet& set, const std::vector<bool>& free) {
  const size_t n = set.cells().size();
  auto is_free = [&](CellId c) { return static_cast<size_t>(c) < free.size() && free[c]; };
  DisjointSets sets(n);
  for (const Relation& rel : set.relations()) {
    CellId first = -1;
    for (const auto& [cell, coef] : rel.terms) {
      if (!is_free(cell)) continue;
      if (first < 0) {
        first = cell;
      } else {
        sets.Union(first, cell);
      }
    }
  }
  CellComponents out;
  out.component_of.assign(n, -1);
  // Visiting cells in id order meets each component first at its smallest id (its root), so
  // components come out ordered by smallest id and each one's cells ascending.
  std::vector<int> index_of_root(n, -1);
  for (CellId c = 0; c < static_cast<CellId>(n); ++c) {
    if (!is_free(c)) continue;
    const CellId root = sets.Find(c);
    if (index_of_root[root] < 0) {
      index_of_root[root] = static_cast<int>(out.cells.size());
      out.cells.emplace_back();
    }
    out.component_of[c] = index_of_root[root];
    out.cells[index_of_root[root]].push_back(c);
  }
  out.relations.resize(out.cells.size());
  for (size_t r = 0; r < set.relations().size(); ++r) {
    for (const auto& [cell, coef] : set.relations()[r].terms) {
      if (!is_free(cell)) continue;
      out.relations[out.component_of[cell]].push_back(r);
      break;  // every free cell of a relation is in the same component
    }
  }
  return out;
}

}  // namespace tvault::pipeline
