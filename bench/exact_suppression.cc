#include "exact_suppression.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "pipeline/glpk_util.h"

namespace tvault::bench {

using pipeline::Cell;
using pipeline::CellId;
using pipeline::CellState;
using pipeline::CostKind;
using pipeline::Prior;
using pipeline::TableSet;

namespace {

double CostOf(const Cell& c, CostKind cost) {
  return cost == CostKind::kValue ? static_cast<double>(c.value) : 1.0;
}

}  // namespace

PatternCost NewSecondaryCost(const TableSet& set, const pipeline::SuppressionPattern& pattern,
                             CostKind cost) {
  PatternCost out;
  for (const Cell& c : set.cells()) {
    if (pattern.state[c.id] != CellState::kSecondary || c.prior != Prior::kNone) continue;
    ++out.cells;
    out.cost += CostOf(c, cost);
  }
  return out;
}

Result<ExactResult> ExactSecondarySuppression(const TableSet& set, CostKind cost,
                                              double big_m_factor,
                                              double time_limit_seconds) {
  const pipeline::SuppressionPattern primary = pipeline::PrimaryPattern(set);
  const size_t n = set.cells().size();
  std::vector<std::vector<size_t>> relations_of(n);
  for (size_t r = 0; r < set.relations().size(); ++r) {
    for (const auto& [cell, coef] : set.relations()[r].terms) relations_of[cell].push_back(r);
  }
  // The movable cells and blocks exactly as Protector::Run computes them.
  std::vector<bool> movable(n), free(n);
  for (const Cell& c : set.cells()) {
    movable[c.id] = primary.Withheld(c.id) || (c.value >= 1 && c.prior == Prior::kNone);
    free[c.id] = movable[c.id] && !relations_of[c.id].empty();
  }
  const pipeline::CellComponents blocks = pipeline::FreeComponents(set, free);
  auto lower_bound = [](const Cell& c) -> int64_t { return c.hidden ? 0 : 1; };

  struct Demand {
    CellId target;
    int64_t delta;
  };
  std::vector<Demand> demands;
  for (const Cell& c : set.cells()) {
    const pipeline::ProtectionRule& rule = set.RuleOf(c.id);
    if (!pipeline::IsSensitive(rule, c.value)) continue;
    if (c.prior == Prior::kPublishedBefore && !c.hidden) {
      return InvalidArgument(set.CellName(c.id) + " was published before although sensitive");
    }
    if (relations_of[c.id].empty()) continue;
    const int64_t down = pipeline::LowerProtection(rule, c.value);
    const int64_t up = std::max(pipeline::UpperProtection(rule, c.value),
                                pipeline::WidthProtection(rule, c.value) - down);
    if (up > 0) demands.push_back({c.id, up});
    if (down > 0) demands.push_back({c.id, -down});
  }

  pipeline::GlpkProblem prob;
  glp_prob* p = prob.get();
  glp_set_obj_dir(p, GLP_MIN);
  ExactResult out;
  out.demands = static_cast<int>(demands.size());
  // x_j for every free cell that is not withheld yet: the candidates.
  std::map<CellId, int> x;
  for (size_t j = 0; j < n; ++j) {
    if (!free[j] || primary.Withheld(static_cast<CellId>(j))) continue;
    const int col = glp_add_cols(p, 1);
    glp_set_col_kind(p, col, GLP_BV);
    glp_set_obj_coef(p, col, CostOf(set.cells()[j], cost));
    x[static_cast<CellId>(j)] = col;
  }
  out.candidates = static_cast<int>(x.size());
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (const Demand& d : demands) {
    const int block = blocks.component_of[d.target];
    if (block < 0) return Internal(set.CellName(d.target) + " is in no block");
    const std::vector<CellId>& ids = blocks.cells[static_cast<size_t>(block)];
    const double big_m = big_m_factor * static_cast<double>(std::llabs(d.delta));
    std::map<CellId, std::pair<int, int>> y;  // cell -> (up column, down column or 0)
    for (CellId j : ids) {
      const Cell& c = set.cells()[static_cast<size_t>(j)];
      const int up = glp_add_cols(p, 1);
      glp_set_col_kind(p, up, GLP_IV);
      const int64_t cap = c.value - lower_bound(c);
      int down = 0;
      if (cap > 0) {
        down = glp_add_cols(p, 1);
        glp_set_col_kind(p, down, GLP_IV);
      }
      if (j == d.target) {
        const double u = static_cast<double>(std::max<int64_t>(d.delta, 0));
        const double m = static_cast<double>(std::max<int64_t>(-d.delta, 0));
        glp_set_col_bnds(p, up, GLP_FX, u, u);
        if (down != 0) glp_set_col_bnds(p, down, GLP_FX, m, m);
      } else {
        glp_set_col_bnds(p, up, GLP_DB, 0, big_m);
        if (down != 0) {
          glp_set_col_bnds(p, down, GLP_DB, 0, std::min(big_m, static_cast<double>(cap)));
        }
      }
      y[j] = {up, down};
      auto cand = x.find(j);
      if (j != d.target && cand != x.end()) {
        // yp + ym <= M x: a cell changes only when it is suppressed.
        ind.assign({0, up, cand->second});
        val.assign({0, 1.0, -big_m});
        if (down != 0) {
          ind.push_back(down);
          val.push_back(1.0);
        }
        const int row = glp_add_rows(p, 1);
        glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
        glp_set_row_bnds(p, row, GLP_UP, 0, 0);
      }
    }
    for (size_t r : blocks.relations[static_cast<size_t>(block)]) {
      ind.assign(1, 0);
      val.assign(1, 0);
      for (const auto& [cell, coef] : set.relations()[r].terms) {
        if (blocks.component_of[cell] != block) continue;
        const auto& cols = y.at(cell);
        ind.push_back(cols.first);
        val.push_back(static_cast<double>(coef));
        if (cols.second != 0) {
          ind.push_back(cols.second);
          val.push_back(-static_cast<double>(coef));
        }
      }
      const int row = glp_add_rows(p, 1);
      glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
      glp_set_row_bnds(p, row, GLP_FX, 0, 0);
    }
  }
  out.columns = glp_get_num_cols(p);
  out.rows = glp_get_num_rows(p);
  pipeline::Deadline deadline(time_limit_seconds);
  pipeline::SolveResult r = pipeline::SolveMip(p, deadline.RemainingMs());
  if (r.outcome == pipeline::SolveOutcome::kTimeLimit) {
    return Status(Code::kUnsupported, "the exact program was not solved within the time limit");
  }
  if (r.outcome != pipeline::SolveOutcome::kOptimal) {
    return Internal("the exact program failed: " + r.detail);
  }
  for (const auto& [cell, col] : x) {
    if (glp_mip_col_val(p, col) > 0.5) {
      ++out.cells;
      out.cost += CostOf(set.cells()[static_cast<size_t>(cell)], cost);
    }
  }
  return out;
}

}  // namespace tvault::bench
