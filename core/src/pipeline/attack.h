// The "self-audit" stage: plays the attacker against a suppression pattern before anything is
// published. It shares nothing with protect.h but the TableSet and the rule definitions: it
// formulates its own problem from the published numbers only.
//
// The attacker's problem. Unknowns: x_j for every withheld cell j (suppressed or hidden).
// Constraints: every relation of the TableSet, with published cells replaced by their
// published values; x_j >= 1 for a suppressed cell (zeros are always published, so a
// suppression marker says "at least 1"); x_j >= 0 for a hidden cell; no upper bounds. For each
// withheld cell the audit minimises and maximises x_j (a) as an LP over the reals and (b) as
// an integer program (counts are integers). The integer range is inside the LP range and is
// the one the rule is checked against; both are reported. An integer program stops as soon
// as it proves what the rule needs (unless AuditOptions::exact_ranges): the integer range of
// a cell is then a range the attacker reaches at least (CellAudit::ilp_lo_exact and
// ilp_hi_exact say which bounds are exact optima), and a verdict of failure is always taken
// on the exact range.
//
// A sensitive cell (0 < v < k) fails when, on the integer range [lo, hi] (and on the LP range
// too, which can only be wider), any of hi >= v + UPL, lo <= v - LPL, hi - lo >= SPL does not
// hold (table_set.h). Published cells are constants, so the problem splits into independent
// blocks, one per connected component of withheld cells, and each cell's range is computed on
// its own block alone (AuditOptions::decompose). The failure reason says "exact disclosure" when lo == hi. The audit also
// fails a published cell with 0 < v < k, and a suppressed cell whose value is 0 (it breaks
// the zeros-are-published premise; the ranges are then computed with x_j >= 0 throughout).
#ifndef TVAULT_PIPELINE_ATTACK_H_
#define TVAULT_PIPELINE_ATTACK_H_

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::pipeline {

constexpr double kUnbounded = std::numeric_limits<double>::infinity();

// Which cells the attacker does not see, by CellId: suppressed cells (the marker is
// published) and hidden cells (nothing is published).
struct WithheldCells {
  std::vector<bool> suppressed;
  std::vector<bool> hidden;
};

struct AuditOptions {
  // Wall-clock budget for all solves; running out is an error (kUnsupported), never a pass.
  double time_limit_seconds = 300.0;
  // True: solve the attacker's problem per connected component of withheld cells (see
  // FreeComponents in table_set.h), reusing the LP basis within a component. False: the
  // monolithic reference, one problem over every withheld cell, each LP presolved afresh.
  // Both give the same ranges (the feasible set is a product of the components' sets); the
  // reference is kept to test that, and is much slower on linked multi-month sets.
  bool decompose = true;
  // Whether to skip the settled components: those components of withheld cells (see
  // FreeComponents) none of whose cells has Prior::kNone. Such a component holds only cells
  // withheld by earlier reports, tied by relations only to each other and to constants
  // (numbers published by earlier reports, or published zeros of this one), so the attacker
  // has exactly the freedom over it that the audit of its own report measured. Its cells are
  // counted in AuditReport::settled_cells and left out of AuditReport::cells.
  // REQUIRES (when true): every earlier report was audited, and passed, with the same
  // protection rules and the same relations among its cells as this set holds, and its
  // published and suppressed cells carry Prior::kPublishedBefore / kSuppressedBefore here.
  // Default false: the audit checks everything.
  bool skip_settled_components = false;
  // True: every integer program is solved to optimality and every withheld cell gets its
  // exact integer range (for tests that compare ranges). False: an integer program of a
  // sensitive cell stops once it proves the rule's needs, and a non-sensitive cell that is
  // not hidden gets no integer program (its integer range then comes from known integer
  // points; the rule does not apply to it). The verdicts are the same either way.
  bool exact_ranges = false;
  // Integer points the attacker can reach, given as changes from the true table (cell,
  // change), for example the protection's certificates (SuppressionPattern::certificates).
  // Each is checked here in exact integers against the set: it moves only withheld cells,
  // none below its bound (1 when suppressed, 0 when hidden) and every relation it touches
  // still sums to zero; one that does not check is ignored and counted in
  // AuditReport::points_rejected. With points and without exact_ranges, a cell is not solved
  // when the values that the true table and the checked points give it already decide its
  // verdict: a sensitive cell whose known values meet the rule (the LP and integer ranges
  // can only be wider), and any cell the rule does not apply to. Such a cell's ranges are
  // the known ones (CellAudit::from_points). The verdicts are the same as without points:
  // a point only proves what a solve would find, and a sensitive cell the points do not
  // settle is solved as before. nullptr: no points.
  const std::vector<std::vector<std::pair<CellId, int64_t>>>* points = nullptr;
};

struct CellAudit {
  CellId cell = 0;
  std::string name;           // TableSet::CellName
  int64_t value = 0;          // the true count
  bool hidden = false;
  bool sensitive = false;     // 0 < value < k: the rule applies
  double lp_lo = 0, lp_hi = kUnbounded;    // continuous range
  double ilp_lo = 0, ilp_hi = kUnbounded;  // integer range
  // Whether ilp_lo (ilp_hi) is the integer optimum. When false it is the value of an integer
  // table consistent with everything published (the true minimum is <= ilp_lo, the true
  // maximum >= ilp_hi) that already meets what the rule requires (AuditOptions::exact_ranges).
  bool ilp_lo_exact = true, ilp_hi_exact = true;
  // True when no solve ran for the cell (AuditOptions::points): both ranges are then only the
  // known values, which the true ranges contain, and neither bound is exact.
  bool from_points = false;
  // Required: hi >= value + upper, lo <= value - lower, hi - lo >= width (sensitive only).
  int64_t upper = 0, lower = 0, width = 0;
  bool lp_ok = true;
  bool ilp_ok = true;
  std::string reason;         // empty when both pass
};

struct AuditReport {
  std::vector<CellAudit> cells;       // one per withheld cell, in id order
  std::vector<std::string> failures;  // one sentence per failure, naming table and cell
  int solves = 0;
  int settled_cells = 0;              // withheld cells skipped as settled (AuditOptions)
  int points_rejected = 0;            // AuditOptions::points that did not check
  int cells_from_points = 0;          // cells decided by the points, without a solve
  bool passed() const { return failures.empty(); }
};

// Plays the attacker. Fails (Status) only when the audit could not be completed: shapes that
// do not match the set, a relation the published numbers contradict, the time limit, or a
// solver failure. A completed audit that found disclosures returns a report with !passed().
Result<AuditReport> Audit(const TableSet& set, const WithheldCells& withheld,
                          const AuditOptions& options);

// The withheld cells as the set marks them hidden, plus `suppressed`.
WithheldCells WithheldFrom(const TableSet& set, const std::vector<bool>& suppressed);

// OK when the report passed; otherwise kInvalidArgument listing the failures (at most ten).
Status RequirePassed(const AuditReport& report);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_ATTACK_H_
