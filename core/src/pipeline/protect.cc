#include "pipeline/protect.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/glpk_util.h"
#include "pipeline/protector.h"

namespace tvault::pipeline {
namespace protect_internal {
namespace {

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

}  // namespace

void Protector::SetBlocks(const std::vector<bool>& free) {
  const size_t n = set_.cells().size();
  if (options_.decompose) {
    blocks_ = FreeComponents(set_, free);
  } else {
    blocks_ = CellComponents{};
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
  programs_.clear();
  programs_.resize(blocks_.cells.size());
}

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
    // While cleaning, a certificate may change only withheld cells: a cell of the block that
    // the clean-up published before the program was built is fixed.
    const bool fixed = cleaning_ && !pattern_->Withheld(c.id);
    bp->up[k] = add_col(fixed ? GLP_FX : GLP_LO, 0, 0, w);
    const int64_t cap = c.value - LowerBound(c);
    if (cap > 0) {
      bp->down[k] = add_col(fixed ? GLP_FX : GLP_DB, 0, fixed ? 0 : static_cast<double>(cap), w);
    }
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

Status Protector::CheckLimits(const std::string& what) const {
  if (pattern_->solves >= options_.max_solves) {
    return Status(Code::kUnsupported, "secondary suppression reached its limit of " +
                                          std::to_string(options_.max_solves) +
                                          " solves before protecting " + what);
  }
  if (deadline_.Expired()) {
    return Status(Code::kUnsupported,
                  "secondary suppression ran out of time before protecting " + what);
  }
  return Status::Ok();
}

Status Protector::Solve(int block, CellId target, int64_t delta, SolveStage stage,
                        std::vector<int64_t>* y, SolveResult* r, bool* fractional) {
  const std::vector<Cell>& cells = set_.cells();
  const std::string what = set_.CellName(target);
  // When decomposing, the block's program is kept and each LP starts from the previous
  // optimal basis (only bounds and costs changed, so the dual simplex resumes); the reference
  // builds the whole program afresh for every demand and presolves it.
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
  bool integral = false;
  if (stage != SolveStage::kMipOnly) {
    ++pattern_->solves;
    *r = SolveLp(p, deadline_.RemainingMs(), start);
    integral = r->outcome == SolveOutcome::kOptimal && ReadChange(bp, ids, false, y);
  }
  if (stage == SolveStage::kLpOnly) {
    *fractional = !integral && r->outcome == SolveOutcome::kOptimal;
  } else if (!integral && r->outcome != SolveOutcome::kInfeasible &&
             r->outcome != SolveOutcome::kTimeLimit) {
    if (pattern_->solves >= options_.max_solves) {
      return Status(Code::kUnsupported, "secondary suppression reached its solve limit at " +
                                            what);
    }
    ++pattern_->solves;
    // When decomposing, the integer program starts from the optimal basis of its LP
    // relaxation instead of presolving the whole block afresh: on the year-to-date blocks of a
    // late month the presolve and the fresh root LP were most of protect's time. After
    // kLpThenMip that basis is the LP just solved; the clean-up's kMipOnly solves the LP again
    // first (other demands' LPs ran on this program since), warm.
    bool from_basis = false;
    if (options_.decompose) {
      if (stage == SolveStage::kMipOnly) *r = SolveLp(p, deadline_.RemainingMs(), start);
      from_basis = r->outcome == SolveOutcome::kOptimal && glp_get_status(p) == GLP_OPT;
    }
    // A relaxation that is infeasible or out of time already answers (see the switch of the
    // callers); only an optimal one goes on to the integer program.
    // The clean-up's integer program (kMipOnly) asks only whether some change exists with
    // the cell published: it stops at the first integer point. Proving that point cheapest
    // could take branch and bound minutes on a year-to-date block, and its cost decides
    // nothing (the cell is published either way). The greedy pass's program chooses what to
    // suppress, so its cost matters: it stops at the first integer point within
    // kGreedyMipGap of the LP bound, which no integer point can beat.
    const MipStop first_point{std::numeric_limits<double>::max()};
    const MipStop near_bound{from_basis ? r->objective * (1.0 + kGreedyMipGap) : 0.0};
    const MipStop* stop = stage == SolveStage::kMipOnly ? &first_point
                          : from_basis                 ? &near_bound
                                                       : nullptr;
    if (stage != SolveStage::kMipOnly || !options_.decompose || from_basis) {
      *r = SolveMip(p, deadline_.RemainingMs(), from_basis, stop);
    }
    if (r->outcome == SolveOutcome::kStopped) r->outcome = SolveOutcome::kOptimal;
    if (r->outcome == SolveOutcome::kOptimal && !ReadChange(bp, ids, true, y)) {
      return Internal("solver returned a non-integer change for " + what);
    }
  }
  // Free the target's columns again for the next demand in this block (the target is
  // withheld, so it is free in the clean-up's programs too).
  glp_set_col_bnds(p, bp.up[k], GLP_LO, 0, 0);
  if (bp.down[k] != 0) glp_set_col_bnds(p, bp.down[k], GLP_DB, 0, static_cast<double>(cap));
  return Status::Ok();
}

Status Protector::Demand(CellId target, int64_t delta) {
  const std::string what = set_.CellName(target);
  TVAULT_RETURN_IF_ERROR(CheckLimits(what));

  // An earlier certificate of this run that already moves the target at least this far in
  // this direction proves the demand: its cells are all withheld now, and suppressing more
  // since then only widened every range (the reference solves every demand).
  if (options_.decompose && (delta > 0 ? reach_up_[target] >= delta
                                       : reach_down_[target] <= delta)) {
    return Status::Ok();
  }
  if (options_.decompose && AdoptSeed(target, delta)) return Status::Ok();

  // Only the target's block can take part in the change (see protect.h).
  const int block = blocks_.component_of[target];
  if (block < 0) return Internal(what + " is not in a block of movable cells");
  std::vector<int64_t> y(set_.cells().size(), 0);
  SolveResult r;
  TVAULT_RETURN_IF_ERROR(Solve(block, target, delta, SolveStage::kLpThenMip, &y, &r));
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
  AddCertificate(blocks_.cells[block], y);
  for (CellId id : blocks_.cells[block]) {
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
  // A relation none of whose cells moves holds trivially; check every other one.
  std::vector<size_t> touched;
  for (const Cell& c : set_.cells()) {
    if (y[c.id] == 0) continue;
    if (c.id != target && !Movable(c)) return Internal(what + " moves a fixed cell");
    if (c.value + y[c.id] < LowerBound(c)) return Internal(what + " goes below a bound");
    touched.insert(touched.end(), relations_of_[c.id].begin(), relations_of_[c.id].end());
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (size_t r : touched) {
    const Relation& rel = set_.relations()[r];
    int64_t sum = 0;
    for (const auto& [cell, coef] : rel.terms) sum += coef * y[cell];
    if (sum != 0) return Internal(what + " breaks relation " + rel.origin);
  }
  return Status::Ok();
}

int Protector::AddCertificate(const std::vector<CellId>& ids, const std::vector<int64_t>& y) {
  if (certificates_moving_.empty()) certificates_moving_.resize(set_.cells().size());
  Certificate cert;
  for (CellId id : ids) {  // ascending
    if (y[id] != 0) cert.moves.emplace_back(id, y[id]);
  }
  const int index = static_cast<int>(certificates_.size());
  for (const auto& [id, change] : cert.moves) certificates_moving_[id].push_back(index);
  certificates_.push_back(std::move(cert));
  return index;
}

void Protector::KeepValidCertificates() {
  auto keep = [&](const Certificate& cert) {
    bool valid = !cert.moves.empty();
    for (const auto& [id, unused] : cert.moves) valid = valid && pattern_->Withheld(id);
    if (valid) pattern_->certificates.push_back(cert.moves);
  };
  for (const Certificate& cert : certificates_) keep(cert);
  for (size_t s = 0; s < seeds_.size(); ++s) {
    if (!adopted_[s]) keep(seeds_[s]);
  }
}

void Protector::CheckSeeds(const std::vector<std::vector<std::pair<CellId, int64_t>>>& seeds) {
  const size_t n = set_.cells().size();
  seeds_moving_.assign(n, {});
  std::vector<int64_t> y(n, 0);
  for (const auto& seed : seeds) {
    bool valid = !seed.empty();
    std::vector<size_t> touched;
    for (const auto& [id, delta] : seed) {
      valid = valid && id >= 0 && static_cast<size_t>(id) < n && delta != 0;
      if (!valid) break;
      const Cell& c = set_.cells()[static_cast<size_t>(id)];
      // A cell published by an earlier release, or a published zero, is a constant.
      valid = movable_[id] && c.value + delta >= LowerBound(c);
      y[static_cast<size_t>(id)] += delta;
      touched.insert(touched.end(), relations_of_[id].begin(), relations_of_[id].end());
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (size_t r = 0; valid && r < touched.size(); ++r) {
      int64_t sum = 0;
      for (const auto& [cell, coef] : set_.relations()[touched[r]].terms) sum += coef * y[cell];
      valid = sum == 0;
    }
    Certificate cert;
    for (const auto& [id, delta] : seed) {
      if (id >= 0 && static_cast<size_t>(id) < n) {
        if (y[static_cast<size_t>(id)] != 0) cert.moves.emplace_back(id, y[id]);
        y[static_cast<size_t>(id)] = 0;
      }
    }
    if (!valid || !std::is_sorted(cert.moves.begin(), cert.moves.end()) ||
        cert.moves.size() != seed.size()) {
      ++pattern_->seeds_rejected;
      continue;
    }
    for (const auto& [id, unused] : cert.moves) {
      seeds_moving_[id].push_back(static_cast<int>(seeds_.size()));
    }
    seeds_.push_back(std::move(cert));
  }
  adopted_.assign(seeds_.size(), false);
}

bool Protector::AdoptSeed(CellId target, int64_t delta) {
  if (seeds_moving_.empty()) return false;
  for (int s : seeds_moving_[target]) {
    if (adopted_[s]) continue;
    const Certificate& seed = seeds_[s];
    const int64_t change = seed.Of(target);
    if (delta > 0 ? change < delta : change > delta) continue;
    bool withheld = true;
    for (const auto& [id, unused] : seed.moves) withheld = withheld && pattern_->Withheld(id);
    if (!withheld) continue;
    adopted_[s] = true;
    ++pattern_->seeded;
    if (certificates_moving_.empty()) certificates_moving_.resize(set_.cells().size());
    const int index = static_cast<int>(certificates_.size());
    for (const auto& [id, move] : seed.moves) {
      certificates_moving_[id].push_back(index);
      reach_up_[id] = std::max(reach_up_[id], move);
      reach_down_[id] = std::min(reach_down_[id], move);
    }
    certificates_.push_back(seed);
    return true;
  }
  return false;
}

int Protector::FindCertificate(size_t d) const {
  const DemandSpec& demand = demands_[d];
  if (certificates_moving_.empty()) return -1;
  for (int index : certificates_moving_[demand.target]) {
    const Certificate& cert = certificates_[index];
    const int64_t change = cert.Of(demand.target);
    if (demand.delta > 0 ? change < demand.delta : change > demand.delta) continue;
    bool valid = true;
    for (const auto& [id, unused] : cert.moves) valid = valid && pattern_->Withheld(id);
    if (valid) return index;
  }
  return -1;
}


}  // namespace protect_internal

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
  protect_internal::Protector protector(set, options, &pattern);
  TVAULT_RETURN_IF_ERROR(protector.Run());
  return pattern;
}

}  // namespace tvault::pipeline
