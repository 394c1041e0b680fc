#include "pipeline/protect.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "pipeline/glpk_util.h"

namespace tvault::pipeline {
namespace {

// Cost per unit of change of a cell that is already withheld: nearly free, but not zero, so
// that the optimum does not wander through withheld cells for nothing.
constexpr double kWithheldWeight = 1e-3;
// Relative tie break: cell j costs (1 + kTieBreak * (j + 1) / (n + 1)) times its base cost,
// so between otherwise equal patterns the one using lower cell ids wins.
constexpr double kTieBreak = 1e-3;

// Reads the change y = yp - ym of every cell from the LP or MIP solution. Returns false when
// some change is not an integer (within 1e-6) or out of range.
bool ReadChange(glp_prob* p, const std::vector<int>& col_up, const std::vector<int>& col_down,
                bool mip, std::vector<int64_t>* y) {
  auto value = [&](int col) { return mip ? glp_mip_col_val(p, col) : glp_get_col_prim(p, col); };
  for (size_t c = 0; c < col_up.size(); ++c) {
    double v = 0;
    if (col_up[c] != 0) v += value(col_up[c]);
    if (col_down[c] != 0) v -= value(col_down[c]);
    if (!std::isfinite(v) || std::fabs(v) > static_cast<double>(kMaxCellValue) * 4) return false;
    const double rounded = std::round(v);
    if (std::fabs(v - rounded) > 1e-6) return false;
    (*y)[c] = static_cast<int64_t>(rounded);
  }
  return true;
}

class Protector {
 public:
  Protector(const TableSet& set, const ProtectOptions& options, SuppressionPattern* pattern)
      : set_(set), options_(options), pattern_(pattern), deadline_(options.time_limit_seconds) {
    relations_of_.resize(set.cells().size());
    for (size_t r = 0; r < set.relations().size(); ++r) {
      for (const auto& [cell, coef] : set.relations()[r].terms) relations_of_[cell].push_back(r);
    }
  }

  Status Run() {
    // Which cells may change, fixed for the whole run (see protect.h), and their blocks.
    const size_t n = set_.cells().size();
    movable_.assign(n, false);
    std::vector<bool> free(n, false);
    for (const Cell& c : set_.cells()) {
      movable_[c.id] = pattern_->Withheld(c.id) || (c.value >= 1 && c.prior == Prior::kNone);
      free[c.id] = movable_[c.id] && !relations_of_[c.id].empty();
    }
    if (options_.decompose) {
      blocks_ = FreeComponents(set_, free);
    } else {
      blocks_.cells.emplace_back();
      blocks_.component_of.assign(n, -1);
      for (size_t i = 0; i < n; ++i) {
        if (!free[i]) continue;
        blocks_.cells[0].push_back(static_cast<CellId>(i));
        blocks_.component_of[i] = 0;
      }
      blocks_.relations.emplace_back(set_.relations().size());
      for (size_t r = 0; r < set_.relations().size(); ++r) blocks_.relations[0][r] = r;
    }
    for (const Cell& c : set_.cells()) {
      const ProtectionRule& rule = set_.RuleOf(c.id);
      if (!IsSensitive(rule, c.value)) continue;
      if (c.prior == Prior::kPublishedBefore && !c.hidden) {
        return InvalidArgument(set_.CellName(c.id) +
                               " was published by an earlier report although 0 < " +
                               std::to_string(c.value) + " < k");
      }
      if (relations_of_[c.id].empty()) continue;  // nothing published constrains it
      const int64_t down = LowerProtection(rule, c.value);
      const int64_t up = std::max(UpperProtection(rule, c.value),
                                  WidthProtection(rule, c.value) - down);
      if (up > 0) TVAULT_RETURN_IF_ERROR(Demand(c.id, up));
      if (down > 0) TVAULT_RETURN_IF_ERROR(Demand(c.id, -down));
    }
    return Status::Ok();
  }

 private:
  // The attacker's lower bound for a withheld cell: 1 when suppressed (zeros are always
  // published, so a suppression marker means "at least 1"), 0 when hidden.
  int64_t LowerBound(const Cell& c) const { return c.hidden ? 0 : 1; }

  // Whether the flow may change cell j (other than the target): it is withheld, or it is a
  // non-zero cell of this report. Computed once by Run().
  bool Movable(const Cell& c) const { return movable_[c.id]; }

  double Weight(const Cell& c) const {
    const double n = static_cast<double>(set_.cells().size());
    double base = kWithheldWeight;
    if (!pattern_->Withheld(c.id)) {
      base = options_.cost == CostKind::kValue ? static_cast<double>(c.value) : 1.0;
    }
    return base * (1.0 + kTieBreak * (c.id + 1.0) / (n + 1.0));
  }

  // Finds and suppresses the cheapest support of an integer change with y[target] = delta.
  Status Demand(CellId target, int64_t delta);
  // Re-checks a change vector in exact arithmetic.
  Status CheckCertificate(CellId target, int64_t delta, const std::vector<int64_t>& y) const;

  const TableSet& set_;
  const ProtectOptions& options_;
  SuppressionPattern* pattern_;
  Deadline deadline_;
  std::vector<std::vector<size_t>> relations_of_;
  std::vector<bool> movable_;
  CellComponents blocks_;  // of the movable cells that are in some relation
};

Status Protector::Demand(CellId target, int64_t delta) {
  const std::vector<Cell>& cells = set_.cells();
  const std::string what = set_.CellName(target);
  if (pattern_->solves >= options_.max_solves) {
    return Status(Code::kUnsupported, "secondary suppression reached its limit of " +
                                          std::to_string(options_.max_solves) +
                                          " solves before protecting " + what);
  }
  if (deadline_.Expired()) {
    return Status(Code::kUnsupported,
                  "secondary suppression ran out of time before protecting " + what);
  }

  GlpkProblem prob;
  glp_prob* p = prob.get();
  glp_set_obj_dir(p, GLP_MIN);
  // Columns: the target's change (fixed), and for each movable cell in some relation an
  // increase yp >= 0 and, when it can go down, a decrease 0 <= ym <= value - lower bound.
  std::vector<int> col_up(cells.size(), 0), col_down(cells.size(), 0);
  auto add_col = [&](int type, double lb, double ub, double cost) {
    const int j = glp_add_cols(p, 1);
    glp_set_col_bnds(p, j, type, lb, ub);
    glp_set_col_kind(p, j, GLP_IV);
    glp_set_obj_coef(p, j, cost);
    return j;
  };
  // Only the target's block can take part in the change (see protect.h).
  const int block = blocks_.component_of[target];
  if (block < 0) return Internal(what + " is not in a block of movable cells");
  col_up[target] = add_col(GLP_FX, static_cast<double>(delta), static_cast<double>(delta), 0);
  for (CellId id : blocks_.cells[block]) {
    const Cell& c = cells[id];
    if (c.id == target) continue;
    const double w = Weight(c);
    col_up[c.id] = add_col(GLP_LO, 0, 0, w);
    const int64_t cap = c.value - LowerBound(c);
    if (cap > 0) col_down[c.id] = add_col(GLP_DB, 0, static_cast<double>(cap), w);
  }
  // Rows: every relation keeps holding, sum coef * (yp - ym) == 0.
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (size_t r : blocks_.relations[block]) {
    const Relation& rel = set_.relations()[r];
    ind.resize(1);
    val.resize(1);
    for (const auto& [cell, coef] : rel.terms) {
      if (col_up[cell] != 0) {
        ind.push_back(col_up[cell]);
        val.push_back(static_cast<double>(coef));
      }
      if (col_down[cell] != 0) {
        ind.push_back(col_down[cell]);
        val.push_back(-static_cast<double>(coef));
      }
    }
    if (ind.size() == 1) continue;
    const int row = glp_add_rows(p, 1);
    glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
    glp_set_row_bnds(p, row, GLP_FX, 0, 0);
  }

  // The LP relaxation first: on network-like structures (one 2-D table with margins) its
  // optimum is already integral. Otherwise, or if it is not, the integer program.
  std::vector<int64_t> y(cells.size(), 0);
  ++pattern_->solves;
  SolveResult r = SolveLp(p, deadline_.RemainingMs());
  bool integral = r.outcome == SolveOutcome::kOptimal &&
                  ReadChange(p, col_up, col_down, /*mip=*/false, &y);
  if (!integral && r.outcome != SolveOutcome::kInfeasible &&
      r.outcome != SolveOutcome::kTimeLimit) {
    if (pattern_->solves >= options_.max_solves) {
      return Status(Code::kUnsupported, "secondary suppression reached its solve limit at " +
                                            what);
    }
    ++pattern_->solves;
    r = SolveMip(p, deadline_.RemainingMs());
    if (r.outcome == SolveOutcome::kOptimal && !ReadChange(p, col_up, col_down, true, &y)) {
      return Internal("solver returned a non-integer change for " + what);
    }
  }
  switch (r.outcome) {
    case SolveOutcome::kOptimal:
      break;
    case SolveOutcome::kInfeasible:
      return InvalidArgument(what + " cannot be protected: no suppression pattern lets it " +
                             (delta > 0 ? "rise by " : "fall by ") +
                             std::to_string(std::llabs(delta)) +
                             " without changing a published number");
    case SolveOutcome::kTimeLimit:
      return Status(Code::kUnsupported,
                    "secondary suppression ran out of time while protecting " + what);
    default:
      return Internal("solver failed while protecting " + what + ": " + r.detail);
  }
  TVAULT_RETURN_IF_ERROR(CheckCertificate(target, delta, y));
  for (const Cell& c : cells) {
    if (y[c.id] != 0 && !pattern_->Withheld(c.id)) {
      pattern_->state[c.id] = CellState::kSecondary;
      ++pattern_->secondary;
    }
  }
  return Status::Ok();
}

Status Protector::CheckCertificate(CellId target, int64_t delta,
                                   const std::vector<int64_t>& y) const {
  const std::string what = "suppression certificate for " + set_.CellName(target);
  if (y[target] != delta) return Internal(what + " does not move the cell");
  for (const Relation& rel : set_.relations()) {
    int64_t sum = 0;
    for (const auto& [cell, coef] : rel.terms) sum += coef * y[cell];
    if (sum != 0) return Internal(what + " breaks relation " + rel.origin);
  }
  for (const Cell& c : set_.cells()) {
    if (y[c.id] == 0) continue;
    if (c.id != target && !Movable(c)) return Internal(what + " moves a fixed cell");
    if (c.value + y[c.id] < LowerBound(c)) return Internal(what + " goes below a bound");
  }
  return Status::Ok();
}

}  // namespace

SuppressionPattern PrimaryPattern(const TableSet& set) {
  SuppressionPattern pattern;
  pattern.state.assign(set.cells().size(), CellState::kPublished);
  for (const Cell& c : set.cells()) {
    const bool sensitive = IsSensitive(set.RuleOf(c.id), c.value);
    if (c.hidden) {
      pattern.state[c.id] = CellState::kHidden;
    } else if (sensitive && c.prior != Prior::kPublishedBefore) {
      pattern.state[c.id] = CellState::kPrimary;
      ++pattern.primary;
    } else if (c.prior == Prior::kSuppressedBefore) {
      pattern.state[c.id] = CellState::kSecondary;
      ++pattern.secondary;
    }
  }
  return pattern;
}

Result<SuppressionPattern> Protect(const TableSet& set, const ProtectOptions& options) {
  if (!(options.time_limit_seconds > 0) || options.max_solves < 1) {
    return InvalidArgument("protection limits must be positive");
  }
  SuppressionPattern pattern = PrimaryPattern(set);
  Protector protector(set, options, &pattern);
  TVAULT_RETURN_IF_ERROR(protector.Run());
  return pattern;
}

}  // namespace tvault::pipeline
