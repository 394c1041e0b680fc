// The witnesses of report's gate (VerifyWitnesses), checked against the attacker's model. A
// witness is only ever used to show that a range is at least as wide as a point shows; every
// point is checked here in exact integer arithmetic first, so a wrong witness can only cost
// solver time (it is dropped), never make a verdict pass.
#include "verify/witness.h"

#include <map>

namespace tvault::verify_internal {

Witnesses::Witnesses(const Model& m, const VerifyWitnesses& w) : m_(m) {
  for (const v1::LedgerRelease* r : w.truth) {
    if (r == nullptr || !LedgerTrueCounts(*r, &base_).ok()) {
      base_.clear();  // a damaged truth: no witness at all
      break;
    }
  }
  base_value_.assign(m.unknowns.size(), 0);
  has_base_.assign(m.unknowns.size(), false);
  for (size_t u = 0; u < m.unknowns.size(); ++u) {
    auto it = base_.find(m.unknowns[u].key);
    if (it == base_.end()) continue;
    base_value_[u] = it->second;
    has_base_[u] = it->second >= (m.unknowns[u].suppressed ? 1 : 0);
  }

  // Each change as (unknown, delta); one that names a cell that is not an unknown of the
  // model (a published number would move), or leaves a cell below its lower bound, is dropped.
  std::vector<std::vector<std::pair<size_t, int64_t>>> changes;
  std::map<std::string, std::vector<size_t>> changes_of_key;
  for (const v1::LedgerCertificate* change : w.changes) {
    // The net change of each unknown: a cell named twice moves by the sum, never by each
    // delta on its own (that would widen its range by points that are not tables).
    std::map<size_t, int64_t> net;
    bool fits = change != nullptr;
    for (int i = 0; fits && i < change->moves_size(); ++i) {
      const v1::LedgerMove& mv = change->moves(i);
      auto u = m.unknown_index.find(CellKey(
          mv.period(), mv.table(), {mv.labels().begin(), mv.labels().end()}));
      fits = u != m.unknown_index.end() && has_base_[u->second];
      if (fits) net[u->second] += mv.delta();
    }
    std::vector<std::pair<size_t, int64_t>> moves;
    for (const auto& [u, delta] : net) {
      if (delta == 0) continue;
      fits = fits && base_value_[u] + delta >= (m.unknowns[u].suppressed ? 1 : 0);
      moves.emplace_back(u, delta);
    }
    fits = fits && !moves.empty();
    if (!fits) {
      ++rejected_;
      continue;
    }
    for (const auto& [u, delta] : moves) changes_of_key[m.unknowns[u].key].push_back(changes.size());
    changes.push_back(std::move(moves));
  }
  // Every relation a change touches must still hold: sum coef * delta = 0.
  std::vector<bool> fits(changes.size(), true);
  for (const Relation& r : m.relations) {
    std::map<size_t, int64_t> sums;  // change -> sum over this relation
    for (const auto& [key, coef] : r.terms) {
      auto it = changes_of_key.find(key);
      if (it == changes_of_key.end()) continue;
      const size_t u = m.unknown_index.at(key);
      for (size_t c : it->second) {
        for (const auto& [cu, delta] : changes[c]) {
          if (cu == u) sums[c] += coef * delta;
        }
      }
    }
    for (const auto& [c, sum] : sums) {
      if (sum != 0) fits[c] = false;
    }
  }
  lo_ = base_value_;
  hi_ = base_value_;
  for (size_t c = 0; c < changes.size(); ++c) {
    if (!fits[c]) {
      ++rejected_;
      continue;
    }
    ++used_;
    for (const auto& [u, delta] : changes[c]) {
      lo_[u] = std::min(lo_[u], base_value_[u] + delta);
      hi_[u] = std::max(hi_[u], base_value_[u] + delta);
    }
  }
}

bool Witnesses::Fits(const std::vector<size_t>& unknowns,
                     const std::vector<const Relation*>& relations) const {
  if (base_.empty()) return false;
  for (size_t u : unknowns) {
    if (!has_base_[u]) return false;
  }
  for (const Relation* r : relations) {
    int64_t sum = 0;
    for (const auto& [key, coef] : r->terms) {
      auto pub = m_.published.find(key);
      if (pub != m_.published.end()) {
        sum += coef * pub->second;
      } else {
        sum += coef * base_value_[m_.unknown_index.at(key)];
      }
    }
    if (sum != 0) return false;
  }
  return true;
}

}  // namespace tvault::verify_internal
