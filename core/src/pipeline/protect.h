// The "protect" stage: primary suppression of every sensitive cell (0 < v < k), then
// secondary suppression until, for every sensitive cell, an attacker who holds every published
// number of every linked table (this report's and earlier reports') cannot narrow the cell
// below its protection levels (table_set.h pins the inequalities).
//
// Algorithm (docs/methodology-protection.md has the long form). Cells are visited in id order,
// this report's cells (Prior::kNone) before the earlier reports' cells;
// for each sensitive cell i with value v and each direction (up by U, down by D, where
// D = LPL(v) and U = max(UPL(v), SPL(v) - D)), a small integer program looks for the cheapest
// integer change y of the cells, with y_i = +U (or -D), that keeps every relation true
// (sum coef * y = 0), keeps every changed cell >= 1 (>= 0 if hidden), and never touches a
// published zero or a cell published by an earlier report. Cost per unit of change is the
// cell's value or 1 (ProtectOptions::cost), nearly 0 for cells already suppressed, with a tie
// break by cell id. Every cell the optimum changes is suppressed. Because y is an integer
// vector, a + y is an integer table that agrees with every published number and has cell i at
// v + U (or v - D): the certificate that the attacker's integer (hence also continuous) range
// reaches that far. Each certificate is re-checked in exact integer arithmetic. Suppressing
// more cells only widens every range, so one pass suffices.
//
// The cells that may change never vary during a run (a secondary suppression picks a cell
// that could already change), so the connected components of the movable cells through the
// relations are computed once and each program is restricted to its target's component.
// A certificate stays valid for the rest of the run, so a demand that an earlier certificate
// already meets (it moves the target at least as far in the same direction) is not solved
// again.
//
// Clean-up (ProtectOptions::cleanup). The greedy pass meets each demand at its cheapest given
// the cells suppressed so far, so an early choice can be made redundant by a later one. After
// it, every secondary suppression of this run (never a primary cell, never a cell an earlier
// report suppressed) is tried for publication again, most costly first: the cell is published
// when every demand whose certificate changes it gets another certificate that changes only
// withheld cells (a kept one, or a new solve of its block with every published cell fixed);
// otherwise it stays suppressed. Every demand therefore ends with a checked certificate, as
// after the greedy pass. One pass suffices: publishing cells only removes certificates, so a
// cell that had to stay suppressed still has to later.
//
// The clean-up only publishes more; the greedy pattern is already protected. So when the time
// or solve limit is reached during the clean-up, it stops there: the cell being tried and every
// candidate not yet tried stay suppressed (SuppressionPattern::cleanup_untried), and Protect
// returns that pattern, which is as protected as any. Only a limit reached in the greedy pass
// is an error. A pattern cut short by the time limit depends on the machine's speed; one cut
// short by the solve limit does not.
//
// The result is deterministic: GLPK is solved to proven optimality (zero gap) from the same
// problem built in the same order; a time or solve limit in the greedy pass is an error, never
// a partial pattern (in the clean-up, see above).
#ifndef TVAULT_PIPELINE_PROTECT_H_
#define TVAULT_PIPELINE_PROTECT_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::pipeline {

// What it costs to suppress a cell, i.e. the information lost.
enum class CostKind {
  kValue,  // the cell's count (tau-Argus "frequency"-like cost): prefer small cells
  kUnity,  // 1 per cell: prefer few suppressions
};

struct ProtectOptions {
  CostKind cost = CostKind::kValue;
  // Wall-clock budget for all solves; running out is an error (kUnsupported).
  double time_limit_seconds = 120.0;
  // At most this many integer programs; running out is an error (kUnsupported).
  int max_solves = 100000;
  // True: each program has columns only for the connected component of the target among the
  // cells that may change (FreeComponents in table_set.h over the movable cells). False: the
  // monolithic reference, columns for every movable cell. Cells outside the target's
  // component cannot take part in a change of the target (their block is independent and
  // costs more than zero once it moves), so both solve the same program; the reference is
  // kept to test that, and is much slower on linked multi-month sets.
  bool decompose = true;
  // Whether to run the clean-up pass after the greedy one (see above). It publishes again the
  // secondary suppressions that the final pattern does not need; the solves it makes count
  // against the same time and solve limits. False: the greedy pattern alone (for tests and the
  // benchmark).
  bool cleanup = true;
  // Whether to skip the demands of the sensitive cells of settled blocks. A block (a
  // component of the movable cells, see above) is settled when none of its cells has
  // Prior::kNone: it consists only of cells withheld by earlier reports, and every cell its
  // relations tie it to is a constant, published by an earlier report or a published zero of
  // this one. Its cells then have exactly the freedom they had when the earlier report was
  // published, and that report's protection proved their demands; the skipped cells are
  // counted in SuppressionPattern::settled. A block that holds any cell of this report (for
  // example an earlier suppression that this report's year-to-date table ties to its own
  // cells) is not settled, and its sensitive cells get their demands as before.
  // REQUIRES (when true): every earlier report was protected by Protect with the same
  // protection rules and the same relations among its cells as this set holds, and its
  // published and suppressed cells carry Prior::kPublishedBefore / kSuppressedBefore here
  // (hidden earlier cells kSuppressedBefore too). False: every sensitive cell is demanded,
  // the old behaviour, for tests and for sets whose priors were not produced that way. It
  // never changes the pattern when the requirement holds, only the work.
  bool skip_settled_blocks = true;
  // Candidate certificates carried from the series' earlier releases (each an integer change,
  // cells ascending): a demand whose target one of them moves far enough, while every cell it
  // changes is already withheld, is met by it without a solve. Each is checked exactly first
  // (every relation holds, no cell below its bound, no fixed cell moved); one that fails is
  // ignored. Adopting a seed never suppresses a cell. Seeds still valid under the final
  // pattern are passed on in SuppressionPattern::certificates, adopted or not.
  const std::vector<std::vector<std::pair<CellId, int64_t>>>* seeds = nullptr;
};

enum class CellState {
  kPublished,
  kPrimary,     // suppressed because 0 < v < k
  kSecondary,   // suppressed to protect a primary cell
  kHidden,      // never published (Cell::hidden)
};

struct SuppressionPattern {
  std::vector<CellState> state;  // indexed by CellId
  int primary = 0;
  int secondary = 0;
  int solves = 0;                // integer programs solved
  int released = 0;              // greedy secondary suppressions the clean-up published again
  int settled = 0;               // sensitive cells of settled blocks, not demanded again
  int seeded = 0;                // demands met by a seed (ProtectOptions::seeds)
  int cleanup_solves = 0;        // of `solves`, those the clean-up made
  // Candidates the clean-up left suppressed untried because the time or solve limit came
  // first (see "Clean-up" above); 0 when it tried them all.
  int cleanup_untried = 0;
  int seeds_rejected = 0;        // seeds that did not check
  // The checked certificates of this run that are valid under the final pattern (every cell
  // they change is withheld), each as its changes by ascending cell id. Each is an integer
  // change y with sum coef * y = 0 over every relation and value + y >= the cell's lower
  // bound (1 suppressed, 0 hidden): value + y is an integer table that agrees with every
  // published number. Together they move every sensitive cell demanded in this run as far as
  // its protection levels require. Witnesses for a later check (report's gate hands them to
  // verify, which checks each one itself); never published, as they are built on true counts.
  std::vector<std::vector<std::pair<CellId, int64_t>>> certificates;

  // True when the cell's value is withheld (primary, secondary or hidden).
  bool Withheld(CellId cell) const { return state[cell] != CellState::kPublished; }
  bool Suppressed(CellId cell) const {
    return state[cell] == CellState::kPrimary || state[cell] == CellState::kSecondary;
  }
};

// The primary pattern alone: every non-hidden cell with 0 < v < k is kPrimary (a cell
// suppressed by an earlier report is kPrimary or kSecondary by its value), hidden cells are
// kHidden, the rest kPublished. Not safe to publish by itself; the audit shows why.
SuppressionPattern PrimaryPattern(const TableSet& set);

// Primary and secondary suppression. Fails with kInvalidArgument when a sensitive cell cannot
// be protected at all (e.g. an earlier report published everything around it, or it was
// published before with 0 < v < k), naming the cell; with kUnsupported when the time or solve
// limit runs out; with kInternal when a solver certificate does not check.
Result<SuppressionPattern> Protect(const TableSet& set, const ProtectOptions& options);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_PROTECT_H_
