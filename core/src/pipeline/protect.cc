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

// A demand as Run() makes it: cell `target` must be able to move by `delta` (up or down).
struct DemandSpec {
  CellId target = 0;
  int64_t delta = 0;
};

// A checked certificate: the cells it changes, ascending by id, and by how much. It proves
// every demand whose target it moves at least as far in the same direction, for as long as
// every cell it changes is withheld.
struct Certificate {
  std::vector<std::pair<CellId, int64_t>> moves;

  int64_t Of(CellId cell) const {
    const auto it = std::lower_bound(moves.begin(), moves.end(),
                                     std::make_pair(cell, std::numeric_limits<int64_t>::min()));
    return it != moves.end() && it->first == cell ? it->second : 0;
  }
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
    SetBlocks(free);
    reach_up_.assign(n, 0);
    reach_down_.assign(n, 0);
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
      for (const int64_t delta : {up, -down}) {
        if (delta == 0) continue;
        demands_.push_back({c.id, delta});
        TVAULT_RETURN_IF_ERROR(Demand(c.id, delta));
      }
    }
    return options_.cleanup ? Cleanup() : Status::Ok();
  }

 private:
  // The attacker's lower bound for a withheld cell: 1 when suppressed (zeros are always
  // published, so a suppression marker means "at least 1"), 0 when hidden.
  int64_t LowerBound(const Cell& c) const { return c.hidden ? 0 : 1; }

  // Whether the flow may change cell j (other than the target): it is withheld, or it is a
  // non-zero cell of this report. Computed once by Run().
  bool Movable(const Cell& c) const { return movable_[c.id]; }

  // What publishing the cell is worth under ProtectOptions::cost.
  double BaseCost(const Cell& c) const {
    return options_.cost == CostKind::kValue ? static_cast<double>(c.value) : 1.0;
  }

  // The cost per unit of change of a cell: its base cost when published, and also during the
  // clean-up when it is a secondary suppression not yet decided (so that new certificates
  // avoid the cells the clean-up may still publish); nearly free when otherwise withheld.
  double Weight(const Cell& c) const {
    const double n = static_cast<double>(set_.cells().size());
    double base = kWithheldWeight;
    if (!pattern_->Withheld(c.id) || (!pending_.empty() && pending_[c.id])) base = BaseCost(c);
    return base * (1.0 + kTieBreak * (c.id + 1.0) / (n + 1.0));
  }

  // Partitions the cells with free[id] into the blocks the programs are built on (one block
  // of them all for the reference), and drops the programs built so far.
  void SetBlocks(const std::vector<bool>& free);
  // Finds and suppresses the cheapest support of an integer change with y[target] = delta.
  Status Demand(CellId target, int64_t delta);
  // The solve and time limits, checked before every solve; `what` names the target.
  Status CheckLimits(const std::string& what) const;
  // Solves the program of `block` (built if needed) for the cheapest integer change with
  // y[target] = delta: the LP relaxation, then the integer program if the LP optimum is not
  // integral (kLpThenMip). The outcome is in *r, the change (when optimal) in *y. kLpOnly
  // stops after the LP and sets *fractional when its optimum is not integral (*y is then not
  // a change); kMipOnly solves the integer program alone. Fails only on the solve limit or a
  // non-integer answer.
  enum class SolveStage { kLpThenMip, kLpOnly, kMipOnly };
  Status Solve(int block, CellId target, int64_t delta, SolveStage stage,
               std::vector<int64_t>* y, SolveResult* r, bool* fractional = nullptr);
  // Builds the program of a block with the current weights.
  std::unique_ptr<BlockProgram> Build(int block) const;
  // Sets the cost of a cell's columns to its current weight.
  void UpdateCost(int block, CellId cell);
  // Re-checks a change vector in exact arithmetic.
  Status CheckCertificate(CellId target, int64_t delta, const std::vector<int64_t>& y) const;
  // Keeps the checked change `y` of the cells `ids` as a certificate; returns its index.
  int AddCertificate(const std::vector<CellId>& ids, const std::vector<int64_t>& y);

  // The clean-up after the greedy pass ("Clean-up" in protect.h): tries to publish again
  // every secondary suppression of this run, most costly first, keeping each change only when
  // every demand still has a certificate.
  Status Cleanup();
  // Publishes `cell` if every demand whose certificate moves it gets another one that moves
  // only withheld cells; otherwise leaves it suppressed.
  Status TryRelease(CellId cell);
  // Finds a certificate for demand `d` under the current pattern: a kept one whose cells are
  // all withheld, or a new one from the target's block program with every published cell
  // fixed. Sets *found to false when none exists (the demand would be unprotected). Without
  // `integer` only the LP is solved: when its optimum is not integral, *found and *fractional
  // are set and the call must be repeated with `integer` to decide.
  Status Recertify(size_t d, bool integer, bool* found, bool* fractional);
  // The index of the first kept certificate that proves demand `d` and moves only withheld
  // cells, or -1.
  int FindCertificate(size_t d) const;
  // Fixes both columns of `cell` at zero (it is published), or frees them again.
  void FixAtZero(int block, CellId cell, bool fixed);
  // A quick proof that publishing `cell` leaves some demand of `demands` without a
  // certificate: with the cell's change fixed at zero, a relation left with a single withheld
  // cell whose change is not yet known to be zero fixes that one's change at zero too, and so
  // on; true when this reaches the target of one of `demands`. Exact reasoning, only
  // incomplete: false says nothing, and the solver then decides.
  bool PropagationRulesOut(CellId cell, const std::vector<size_t>& demands);

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
  // Every demand of the run, in the order made, and every certificate found.
  std::vector<DemandSpec> demands_;
  std::vector<Certificate> certificates_;
  std::vector<std::vector<int>> certificates_moving_;  // CellId -> certificates that move it
  // Clean-up state: the certificate each demand relies on, and per cell whether it is a
  // secondary suppression of this run that the clean-up has not yet tried to publish.
  // Empty until Cleanup() starts; while cleaning, programs fix every published cell at zero.
  std::vector<int> assigned_;
  std::vector<bool> pending_;
  bool cleaning_ = false;
  std::vector<bool> zero_;  // scratch of PropagationRulesOut, all false between calls
};

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
    *r = SolveMip(p, deadline_.RemainingMs());
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

Status Protector::TryRelease(CellId cell) {
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
  for (size_t i = 0; i < affected.size() && found; ++i) {
    bool fractional = false;
    TVAULT_RETURN_IF_ERROR(Recertify(affected[i], false, &found, &fractional));
    if (fractional) undecided.push_back(affected[i]);
  }
  for (size_t i = 0; i < undecided.size() && found; ++i) {
    bool fractional = false;
    TVAULT_RETURN_IF_ERROR(Recertify(undecided[i], true, &found, &fractional));
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
  for (CellId id : candidates) TVAULT_RETURN_IF_ERROR(TryRelease(id));
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
