// The protection pass of protect.h as a class, shared by the greedy pass (protect.cc) and the
// clean-up (protect_cleanup.cc). Internal to Protect: nothing else includes this header.
#ifndef TVAULT_PIPELINE_PROTECTOR_H_
#define TVAULT_PIPELINE_PROTECTOR_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/glpk_util.h"
#include "pipeline/protect.h"

namespace tvault::pipeline::protect_internal {

// Cost per unit of change of a cell that is already withheld: nearly free, but not zero, so
// that the optimum does not wander through withheld cells for nothing.
constexpr double kWithheldWeight = 1e-3;
// The greedy pass accepts an integer change costing at most this much more than the LP
// relaxation's optimum, a lower bound on every integer change. On the year-to-date blocks of
// a late month, proving the cheapest change optimal was a third of protect's time; on that
// month the pattern stayed the same, and on the 300-testimony year later releases took slightly
// different paths (docs/performance.md, stop 24).
constexpr double kGreedyMipGap = 0.05;
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
    if (options_.seeds != nullptr) CheckSeeds(*options_.seeds);
    // A block with no cell of this report is settled (see ProtectOptions::skip_settled_blocks).
    std::vector<bool> settled(blocks_.cells.size(), options_.skip_settled_blocks);
    for (const Cell& c : set_.cells()) {
      const int block = blocks_.component_of[c.id];
      if (block >= 0 && c.prior == Prior::kNone) settled[block] = false;
    }
    reach_up_.assign(n, 0);
    reach_down_.assign(n, 0);
    // This release's cells first, then the earlier releases' cells of blocks it reaches: the
    // suppressions made for the new cells often make an earlier release's certificate
    // (ProtectOptions::seeds) valid again, and it then needs no solve.
    for (const bool earlier : {false, true}) {
      for (const Cell& c : set_.cells()) {
        if ((c.prior != Prior::kNone) != earlier) continue;
        const ProtectionRule& rule = set_.RuleOf(c.id);
        if (!IsSensitive(rule, c.value)) continue;
        if (c.prior == Prior::kPublishedBefore && !c.hidden) {
          return InvalidArgument(set_.CellName(c.id) +
                                 " was published by an earlier report although 0 < " +
                                 std::to_string(c.value) + " < k");
        }
        if (relations_of_[c.id].empty()) continue;  // nothing published constrains it
        const int block = blocks_.component_of[c.id];
        if (block >= 0 && settled[block]) {
          ++pattern_->settled;  // its demands were proved when its release was protected
          continue;
        }
        const int64_t down = LowerProtection(rule, c.value);
        const int64_t up = std::max(UpperProtection(rule, c.value),
                                    WidthProtection(rule, c.value) - down);
        for (const int64_t delta : {up, -down}) {
          if (delta == 0) continue;
          demands_.push_back({c.id, delta});
          TVAULT_RETURN_IF_ERROR(Demand(c.id, delta));
        }
      }
    }
    if (options_.cleanup) {
      const int before = pattern_->solves;
      TVAULT_RETURN_IF_ERROR(Cleanup());
      pattern_->cleanup_solves = pattern_->solves - before;
    }
    KeepValidCertificates();
    return Status::Ok();
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
  // only withheld cells; otherwise leaves it suppressed. Sets *limit, leaving the cell
  // suppressed, when the time or solve limit is reached on the way.
  Status TryRelease(CellId cell, bool* limit);
  // Finds a certificate for demand `d` under the current pattern: a kept one whose cells are
  // all withheld, or a new one from the target's block program with every published cell
  // fixed. Sets *found to false when none exists (the demand would be unprotected). Without
  // `integer` only the LP is solved: when its optimum is not integral, *found and *fractional
  // are set and the call must be repeated with `integer` to decide.
  Status Recertify(size_t d, bool integer, bool* found, bool* fractional);
  // The index of the first kept certificate that proves demand `d` and moves only withheld
  // cells, or -1.
  int FindCertificate(size_t d) const;
  // Copies to the pattern the certificates that change only withheld cells, and the seeds
  // that do and were not adopted.
  void KeepValidCertificates();
  // Keeps the seeds that check (ProtectOptions::seeds), indexed by the cells they move.
  void CheckSeeds(const std::vector<std::vector<std::pair<CellId, int64_t>>>& seeds);
  // Meets the demand with a checked seed that moves the target far enough and only withheld
  // cells: it becomes a certificate of the run. False when there is none.
  bool AdoptSeed(CellId target, int64_t delta);
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
  // Seeds that checked, those adopted, and per cell the seeds that move it.
  std::vector<Certificate> seeds_;
  std::vector<bool> adopted_;
  std::vector<std::vector<int>> seeds_moving_;
  // Clean-up state: the certificate each demand relies on, and per cell whether it is a
  // secondary suppression of this run that the clean-up has not yet tried to publish.
  // Empty until Cleanup() starts; while cleaning, programs fix every published cell at zero.
  std::vector<int> assigned_;
  std::vector<bool> pending_;
  bool cleaning_ = false;
  std::vector<bool> zero_;  // scratch of PropagationRulesOut, all false between calls
};

}  // namespace tvault::pipeline::protect_internal

#endif  // TVAULT_PIPELINE_PROTECTOR_H_
