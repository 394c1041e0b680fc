#include "pipeline/protect.h"

#include <algorithm>
#include <cmath>
#include <memory>
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

// One block's integer program: for every cell of the block (by position) an increase column
// yp >= 0 and, when the cell can go down, a decrease column 0 <= ym <= value - lower bound;
// one row per relation of the block, sum coef * (yp - ym) == 0. A demand fixes its target's
// two columns, solves, and frees them again.
struct BlockProgram {
  GlpkProblem prob;
  std::vector<int> up, down;  // column per position, 0 when absent
};

// Reads the change y = yp - ym of every cell of `block` from the LP or MIP solution into
// (*y)[cell]. Returns false when some change is not an integer (within 1e-6) or out of range.
bool ReadChange(const BlockProgram& bp, const std::vector<CellId>& block, bool mip,
                std::vector<int64_t>* y) {
  glp_prob* p = bp.prob.get();
  auto value = [&](int col) { return mip ? glp_mip_col_val(p, col) : glp_get_col_prim(p, col); };
  for (size_t k = 0; k < block.size(); ++k) {
    double v = 0;
    if (bp.up[k] != 0) v += value(bp.up[k]);
    if (bp.down[k] != 0) v -= value(bp.down[k]);
    if (!std::isfinite(v) || std::fabs(v) > static_cast<double>(kMaxCellValue) * 4) return false;
    const double rounded = std::round(v);
    if (std::fabs(v - rounded) > 1e-6) return false;
    (*y)[block[k]] = static_cast<int64_t>(rounded);
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
      blocks_.relations.emplace_back();
      blocks_.component_of.assign(n, -1);
      for (size_t i = 0; i < n; ++i) {
        if (!free[i]) continue;
        blocks_.cells[0].push_back(static_cast<CellId>(i));
        blocks_.component_of[i] = 0;
      }
      for (size_t r = 0; r < set_.relations().size(); ++r) {
        for (const auto& [cell, coef] : set_.relations()[r].terms) {
          if (!free[cell]) continue;
          blocks_.relations[0].push_back(r);
          break;
        }
      }
    }
    position_.assign(n, 0);
    for (const auto& ids : blocks_.cells) {
      for (size_t k = 0; k < ids.size(); ++k) position_[ids[k]] = k;
    }
    reach_up_.assign(n, 0);
    reach_down_.assign(n, 0);
    programs_.clear();
    programs_.resize(blocks_.cells.size());
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
  // Builds the program of a block with the current weights.
  std::unique_ptr<BlockProgram> Build(int block) const;
  // Sets the cost of a cell's columns to its current weight.
  void UpdateCost(int block, CellId cell);
  // Re-checks a change vector in exact arithmetic.
  Status CheckCertificate(CellId target, int64_t delta, const std::vector<int64_t>& y) const;

  const TableSet& set_;
  const ProtectOptions& options_;
  SuppressionPattern* pattern_;
  Deadline deadline_;
  std::vector<std::vector<size_t>> relations_of_;
  std::vector<bool> movable_;
  CellComponents blocks_;  // of the movable cells that are in some relation
  std::vector<size_t> position_;  // CellId -> position in its block
  // Per cell, the largest rise and the largest fall (<= 0) of any certificate found so far.
  std::vector<int64_t> reach_up_, reach_down_;
  // Per block, its program, kept across demands when decomposing (built on first use).
  std::vector<std::unique_ptr<BlockProgram>> programs_;
};

std::unique_ptr<BlockProgram> Protector::Build(int block) const {
  auto bp = std::make_unique<BlockProgram>();
  glp_prob* p = bp->prob.get();
  glp_set_obj_dir(p, GLP_MIN);
  const std::vector<CellId>& ids = blocks_.cells[block];
  bp->up.assign(ids.size(), 0);
  bp->down.assign(ids.size(), 0);
  auto add_col = [&](int type, double lb, double ub, double cost) {
    const int j = glp_add_cols(p, 1);
    glp_set_col_bnds(p, j, type, lb, ub);
    glp_set_col_kind(p, j, GLP_IV);
    glp_set_obj_coef(p, j, cost);
    return j;
  };
  for (size_t k = 0; k < ids.size(); ++k) {
    const Cell& c = set_.cells()[ids[k]];
    const double w = Weight(c);
    bp->up[k] = add_col(GLP_LO, 0, 0, w);
    const int64_t cap = c.value - LowerBound(c);
    if (cap > 0) bp->down[k] = add_col(GLP_DB, 0, static_cast<double>(cap), w);
  }
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (size_t r : blocks_.relations[block]) {
    ind.resize(1);
    val.resize(1);
    for (const auto& [cell, coef] : set_.relations()[r].terms) {
      if (blocks_.component_of[cell] != block) continue;  // fixed: no change
      const size_t k = position_[cell];
      ind.push_back(bp->up[k]);
      val.push_back(static_cast<double>(coef));
      if (bp->down[k] != 0) {
        ind.push_back(bp->down[k]);
        val.push_back(-static_cast<double>(coef));
      }
    }
    const int row = glp_add_rows(p, 1);
    glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
    glp_set_row_bnds(p, row, GLP_FX, 0, 0);
  }
  return bp;
}

void Protector::UpdateCost(int block, CellId cell) {
  BlockProgram* bp = programs_[block].get();
  if (bp == nullptr) return;
  const size_t k = position_[cell];
  const double w = Weight(set_.cells()[cell]);
  glp_set_obj_coef(bp->prob.get(), bp->up[k], w);
  if (bp->down[k] != 0) glp_set_obj_coef(bp->prob.get(), bp->down[k], w);
}

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

  // An earlier certificate of this run that already moves the target at least this far in
  // this direction proves the demand: its cells are all withheld now, and suppressing more
  // since then only widened every range (the reference solves every demand).
  if (options_.decompose && (delta > 0 ? reach_up_[target] >= delta
                                       : reach_down_[target] <= delta)) {
    return Status::Ok();
  }

  // Only the target's block can take part in the change (see protect.h). When decomposing,
  // the block's program is kept and each LP starts from the previous optimal basis (only
  // bounds and costs changed, so the dual simplex resumes); the reference builds the whole
  // program afresh for every demand and presolves it.
  const int block = blocks_.component_of[target];
  if (block < 0) return Internal(what + " is not in a block of movable cells");
  if (!options_.decompose || programs_[block] == nullptr) programs_[block] = Build(block);
  BlockProgram& bp = *programs_[block];
  glp_prob* p = bp.prob.get();
  const size_t k = position_[target];
  const int64_t cap = cells[target].value - LowerBound(cells[target]);
  if (delta < -cap) return Internal(what + " cannot fall below its bound by design");
  glp_set_col_bnds(p, bp.up[k], GLP_FX, std::max<double>(delta, 0), std::max<double>(delta, 0));
  if (bp.down[k] != 0) {
    glp_set_col_bnds(p, bp.down[k], GLP_FX, std::max<double>(-delta, 0),
                     std::max<double>(-delta, 0));
  }
  const LpStart start = options_.decompose ? LpStart::kWarmDual : LpStart::kFresh;
  const std::vector<CellId>& ids = blocks_.cells[block];

  // The LP relaxation first: on network-like structures (one 2-D table with margins) its
  // optimum is often integral. Otherwise, or if it is not, the integer program.
  std::vector<int64_t> y(cells.size(), 0);
  ++pattern_->solves;
  SolveResult r = SolveLp(p, deadline_.RemainingMs(), start);
  bool integral = r.outcome == SolveOutcome::kOptimal && ReadChange(bp, ids, false, &y);
  if (!integral && r.outcome != SolveOutcome::kInfeasible &&
      r.outcome != SolveOutcome::kTimeLimit) {
    if (pattern_->solves >= options_.max_solves) {
      return Status(Code::kUnsupported, "secondary suppression reached its solve limit at " +
                                            what);
    }
    ++pattern_->solves;
    r = SolveMip(p, deadline_.RemainingMs());
    if (r.outcome == SolveOutcome::kOptimal && !ReadChange(bp, ids, true, &y)) {
      return Internal("solver returned a non-integer change for " + what);
    }
  }
  // Free the target's columns again for the next demand in this block.
  glp_set_col_bnds(p, bp.up[k], GLP_LO, 0, 0);
  if (bp.down[k] != 0) glp_set_col_bnds(p, bp.down[k], GLP_DB, 0, static_cast<double>(cap));
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
  for (CellId id : ids) {
    reach_up_[id] = std::max(reach_up_[id], y[id]);
    reach_down_[id] = std::min(reach_down_[id], y[id]);
    if (y[id] != 0 && !pattern_->Withheld(id)) {
      pattern_->state[id] = CellState::kSecondary;
      ++pattern_->secondary;
      UpdateCost(block, id);  // now nearly free for later demands
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
