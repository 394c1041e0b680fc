// The clean-up after the greedy pass of Protect ("Clean-up" in protect.h).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "pipeline/protector.h"

namespace tvault::pipeline::protect_internal {

void Protector::FixAtZero(int block, CellId cell, bool fixed) {
  BlockProgram* bp = programs_[block].get();
  if (bp == nullptr) return;  // built later from the current pattern
  const size_t k = position_[cell];
  const Cell& c = set_.cells()[cell];
  glp_prob* p = bp->prob.get();
  glp_set_col_bnds(p, bp->up[k], fixed ? GLP_FX : GLP_LO, 0, 0);
  if (bp->down[k] != 0) {
    const double cap = static_cast<double>(c.value - LowerBound(c));
    glp_set_col_bnds(p, bp->down[k], fixed ? GLP_FX : GLP_DB, 0, fixed ? 0 : cap);
  }
}

Status Protector::Recertify(size_t d, bool integer, bool* found, bool* fractional) {
  const DemandSpec& demand = demands_[d];
  *fractional = false;
  const int kept = integer ? -1 : FindCertificate(d);
  if (kept >= 0) {
    assigned_[d] = kept;
    *found = true;
    return Status::Ok();
  }
  const std::string what = set_.CellName(demand.target);
  TVAULT_RETURN_IF_ERROR(CheckLimits(what));
  const int block = blocks_.component_of[demand.target];
  if (block < 0) return Internal(what + " is not in a block of movable cells");
  std::vector<int64_t> y(set_.cells().size(), 0);
  SolveResult r;
  TVAULT_RETURN_IF_ERROR(Solve(block, demand.target, demand.delta,
                               integer ? SolveStage::kMipOnly : SolveStage::kLpOnly, &y, &r,
                               fractional));
  switch (r.outcome) {
    case SolveOutcome::kOptimal:
      break;
    case SolveOutcome::kInfeasible:
      *found = false;
      return Status::Ok();
    case SolveOutcome::kTimeLimit:
      return Status(Code::kUnsupported,
                    "secondary suppression ran out of time while reducing the suppressions "
                    "around " + what);
    default:
      return Internal("solver failed while reducing the suppressions around " + what + ": " +
                      r.detail);
  }
  *found = true;
  if (*fractional) return Status::Ok();  // the integer program decides
  TVAULT_RETURN_IF_ERROR(CheckCertificate(demand.target, demand.delta, y));
  for (CellId id : blocks_.cells[block]) {
    if (y[id] != 0 && !pattern_->Withheld(id)) {
      return Internal("suppression certificate for " + what + " moves a published cell");
    }
  }
  assigned_[d] = AddCertificate(blocks_.cells[block], y);
  return Status::Ok();
}

bool Protector::PropagationRulesOut(CellId cell, const std::vector<size_t>& demands) {
  zero_.resize(set_.cells().size(), false);
  std::vector<CellId> queue = {cell};
  zero_[cell] = true;
  for (size_t next = 0; next < queue.size(); ++next) {
    for (size_t r : relations_of_[queue[next]]) {
      CellId only = -1;
      int open = 0;
      for (const auto& [id, coef] : set_.relations()[r].terms) {
        if (!pattern_->Withheld(id) || zero_[id]) continue;
        only = id;
        if (++open > 1) break;
      }
      if (open == 1) {
        zero_[only] = true;
        queue.push_back(only);
      }
    }
  }
  bool ruled_out = false;
  for (size_t d : demands) ruled_out = ruled_out || zero_[demands_[d].target];
  for (CellId id : queue) zero_[id] = false;
  return ruled_out;
}

Status Protector::TryRelease(CellId cell, bool* limit) {
  *limit = false;
  const int block = blocks_.component_of[cell];
  pending_[cell] = false;
  if (block < 0) return Internal(set_.CellName(cell) + " is not in a block of movable cells");
  // The demands that rely on the cell.
  std::vector<size_t> affected;
  for (size_t d = 0; d < demands_.size(); ++d) {
    if (certificates_[assigned_[d]].Of(cell) != 0) affected.push_back(d);
  }
  // Demands whose target shares a relation with the cell first: they are the likeliest to
  // fail, and a failure ends the attempt (the order changes no decision, only the work).
  std::stable_partition(affected.begin(), affected.end(), [&](size_t d) {
    for (size_t r : relations_of_[demands_[d].target]) {
      for (const auto& [id, coef] : set_.relations()[r].terms) {
        if (id == cell) return true;
      }
    }
    return false;
  });
  pattern_->state[cell] = CellState::kPublished;
  bool found = !PropagationRulesOut(cell, affected);
  if (found) FixAtZero(block, cell, true);
  // The LPs first: one that is infeasible settles the matter before any integer program.
  std::vector<size_t> undecided;
  // A limit reached on the way (kUnsupported: time or solves) ends the clean-up with the cell
  // suppressed again, below.
  auto recertify = [&](size_t d, bool integer, bool* fractional) {
    Status s = Recertify(d, integer, &found, fractional);
    if (s.code() == Code::kUnsupported) {
      *limit = true;
      found = false;
      return Status::Ok();
    }
    return s;
  };
  for (size_t i = 0; i < affected.size() && found; ++i) {
    bool fractional = false;
    TVAULT_RETURN_IF_ERROR(recertify(affected[i], false, &fractional));
    if (fractional) undecided.push_back(affected[i]);
  }
  for (size_t i = 0; i < undecided.size() && found; ++i) {
    bool fractional = false;
    TVAULT_RETURN_IF_ERROR(recertify(undecided[i], true, &fractional));
  }
  if (found) {
    --pattern_->secondary;
    ++pattern_->released;
    return Status::Ok();
  }
  // Some demand needs the cell. The certificates found meanwhile do not move it, so they stay
  // valid with it suppressed again; from now on it is as cheap as any other withheld cell.
  pattern_->state[cell] = CellState::kSecondary;
  FixAtZero(block, cell, false);
  UpdateCost(block, cell);
  return Status::Ok();
}

Status Protector::Cleanup() {
  const std::vector<Cell>& cells = set_.cells();
  std::vector<CellId> candidates;
  for (const Cell& c : cells) {
    // Only this run's choices: a cell suppressed by an earlier report stays suppressed.
    if (pattern_->state[c.id] == CellState::kSecondary && c.prior == Prior::kNone) {
      candidates.push_back(c.id);
    }
  }
  if (candidates.empty()) return Status::Ok();
  // Most costly first; between equal costs the higher id, which Protect's tie break already
  // counts as the more costly.
  std::sort(candidates.begin(), candidates.end(), [&](CellId a, CellId b) {
    const double ca = BaseCost(cells[a]), cb = BaseCost(cells[b]);
    return ca != cb ? ca > cb : a > b;
  });
  // Every demand is proved by some certificate of the greedy pass (all of whose cells are
  // withheld now).
  assigned_.assign(demands_.size(), -1);
  for (size_t d = 0; d < demands_.size(); ++d) {
    assigned_[d] = FindCertificate(d);
    if (assigned_[d] < 0) {
      return Internal("no certificate kept for " + set_.CellName(demands_[d].target));
    }
  }
  pending_.assign(cells.size(), false);
  for (CellId id : candidates) pending_[id] = true;
  // A certificate may now change only withheld cells, so its program needs only the target's
  // block of withheld cells (the argument of "One block at a time" with the published cells
  // fixed): far smaller than the block of movable cells. The programs are built on first use
  // with the clean-up's costs (Build reads pending_); a cell published meanwhile is fixed at
  // zero in its block's program.
  std::vector<bool> withheld(cells.size(), false);
  for (const Cell& c : cells) {
    withheld[c.id] = pattern_->Withheld(c.id) && !relations_of_[c.id].empty();
  }
  cleaning_ = true;
  SetBlocks(withheld);
  for (size_t i = 0; i < candidates.size(); ++i) {
    bool limit = false;
    TVAULT_RETURN_IF_ERROR(TryRelease(candidates[i], &limit));
    if (limit) {
      // The cell being tried stayed suppressed; so do the ones not tried ("Clean-up").
      pattern_->cleanup_untried = static_cast<int>(candidates.size() - i);
      break;
    }
  }
  return Status::Ok();
}


}  // namespace tvault::pipeline::protect_internal
