// The attacker's problem over one block of withheld cells, as the self-audit (attack.h)
// solves it. Internal to Audit: nothing else includes this header.
#ifndef TVAULT_PIPELINE_ATTACK_SOLVER_H_
#define TVAULT_PIPELINE_ATTACK_SOLVER_H_

#include <vector>

#include "pipeline/attack.h"
#include "pipeline/glpk_util.h"
#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::pipeline::attack_internal {

// One block's problem: one column per cell of the block, one row per relation given, the
// relation's published cells moved to the right-hand side.
class Attacker {
 public:
  // `zeros_published`: no suppressed cell is 0, so a suppression marker means ">= 1".
  // `pool`: remember the integer points met on the way (see KnownMin) so that AuditCell can
  // skip integer programs whose answer they already prove.
  Attacker(const TableSet& set, const WithheldCells& w, bool zeros_published, bool pool,
           const Deadline& deadline)
      : set_(set), w_(w), zeros_published_(zeros_published), pool_(pool),
        deadline_(deadline) {}

  // Builds the problem. REQUIRES: `cells` are withheld, ascending, and every withheld cell of
  // every relation in `relations` is among them. A relation with no withheld cell is checked
  // against the published values instead.
  Status Build(const std::vector<CellId>& cells, const std::vector<size_t>& relations);

  // Minimises or maximises the cell's column; `integer` selects the MIP. For an LP with an
  // optimum, `integral_vertex` (when not null) tells whether the optimal point found is
  // integral, in which case it is also the integer optimum. For a MIP with `stop`, the search
  // ends at the first integer point whose value reaches stop->target (see SolveMip); *out is
  // then that point's value, attained but not necessarily optimal, and *stopped (REQUIRED
  // with `stop`) is set to true; otherwise *out is the optimum and *stopped false.
  Status Bound(CellId cell, bool maximise, bool integer, double* out, int* solves,
               bool* integral_vertex = nullptr, const MipStop* stop = nullptr,
               bool* stopped = nullptr);

  // The smallest and largest value of the cell over the integer points of the block known so
  // far: the true table, and (when pooling) every integral LP optimum and every integer point
  // a MIP returned (optimal or stopped). Each is attained by an integer point satisfying every
  // published number, so the integer minimum is <= KnownMin and the integer maximum >=
  // KnownMax. Without pooling both are the true value.
  double KnownMin(CellId cell) const { return known_min_[col_[cell]]; }
  double KnownMax(CellId cell) const { return known_max_[col_[cell]]; }
  bool pooling() const { return pool_; }
  // The cell's own bound: 1 when suppressed and zeros are published, else 0.
  double LowerBound(CellId cell) const { return glp_get_col_lb(prob_.get(), col_[cell]); }

 private:
  // Widens the known ranges by the point `x` (1-based by column). REQUIRES: x is integral.
  void Remember(const std::vector<double>& x);

  const TableSet& set_;
  const WithheldCells& w_;
  const bool zeros_published_;
  const bool pool_;
  const Deadline& deadline_;
  GlpkProblem prob_;
  std::vector<int> col_;  // CellId -> column (0: not in this block)
  std::vector<double> known_min_, known_max_;  // by column
};

// Solver results closer than this to an integer are that integer; comparisons against the
// required levels allow this much slack for floating point.
constexpr double kEps = 1e-6;

}  // namespace tvault::pipeline::attack_internal

#endif  // TVAULT_PIPELINE_ATTACK_SOLVER_H_
