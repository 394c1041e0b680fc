// The exact optimum of secondary suppression, as one mixed-integer program, for the benchmark
// that compares Protect (which meets the demands one at a time, each at its cheapest) with the
// cheapest pattern that meets them all at once (docs/performance.md, scenario 5).
//
// The program uses Protect's own protection model (protect.h): the same demands (target cell,
// signed change), the same movable cells and bounds, the same relations. It adds one binary
// x_j per cell that Protect could suppress secondarily, and per demand a copy of the integer
// change vector y restricted to the target's block, with y_target fixed to the demand and
// |y_j| <= M * x_j for every such cell (yp_j + ym_j <= M x_j). The objective is the number of
// cells x_j set (unity cost) or the sum of their values (value cost).
//
// M is big_m_factor * |demand|. For relations whose elementary circuits change every cell by
// at most the target's change (true for additive tables with margins, whose matrices are
// totally unimodular), a certificate exists with every |y_j| <= |demand|, so factor 1 is
// exact; the benchmark uses a larger factor and checks that the optimum does not move.
// Only for small sets: the program has one copy of the block per demand.
#ifndef TVAULT_BENCH_EXACT_SUPPRESSION_H_
#define TVAULT_BENCH_EXACT_SUPPRESSION_H_

#include "pipeline/protect.h"
#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::bench {

struct ExactResult {
  int demands = 0;          // (cell, direction) demands, as Protect sees them
  int candidates = 0;       // cells that could be suppressed secondarily
  int columns = 0;          // size of the program
  int rows = 0;
  int cells = 0;            // cells suppressed secondarily by the optimum
  double cost = 0;          // their total cost (count or values)
};

// Solves the joint program for `set` (priors included) with `cost`. kUnsupported when GLPK
// does not prove optimality within `time_limit_seconds`.
Result<ExactResult> ExactSecondarySuppression(const pipeline::TableSet& set,
                                              pipeline::CostKind cost, double big_m_factor,
                                              double time_limit_seconds);

// The cells `pattern` suppressed secondarily beyond what earlier reports did, and their cost.
struct PatternCost {
  int cells = 0;
  double cost = 0;
};
PatternCost NewSecondaryCost(const pipeline::TableSet& set,
                             const pipeline::SuppressionPattern& pattern,
                             pipeline::CostKind cost);

}  // namespace tvault::bench

#endif  // TVAULT_BENCH_EXACT_SUPPRESSION_H_
