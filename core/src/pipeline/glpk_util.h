// A thin, safe layer over GLPK (Debian libglpk-dev) for the protect and self-audit stages.
//
// GLPK ends the process (abort) on an invalid call, e.g. a column index out of range, a row
// that names a column twice, or a non-finite number. Callers of this file must therefore build
// problems only from validated input (TableSet guarantees merged, sorted relation terms and
// bounded values); this file adds no error hook, because recovering from GLPK's longjmp would
// leave its environment half torn down. All terminal output is switched off, the presolver is
// on unless a caller asks for a warm start, and every return code and solution status is mapped, never ignored.
#ifndef TVAULT_PIPELINE_GLPK_UTIL_H_
#define TVAULT_PIPELINE_GLPK_UTIL_H_

#include <glpk.h>

#include <chrono>
#include <string>

namespace tvault::pipeline {

// Owns one glp_prob. Constructing one also switches GLPK's terminal output off for the
// calling thread (GLPK keeps one environment per thread).
class GlpkProblem {
 public:
  GlpkProblem();
  ~GlpkProblem();
  GlpkProblem(const GlpkProblem&) = delete;
  GlpkProblem& operator=(const GlpkProblem&) = delete;

  glp_prob* get() const { return p_; }

 private:
  glp_prob* p_;
};

enum class SolveOutcome {
  kOptimal,     // an optimum was found; `objective` holds it
  kUnbounded,   // the objective is unbounded in the optimisation direction
  kInfeasible,  // no feasible (or, for a MIP, no integer feasible) point exists
  kTimeLimit,   // the time limit ran out before the solver finished
  kStopped,     // MIP only: an integer point reached the caller's MipStop target; `objective`
                // holds its value (attained, not necessarily optimal) and the problem's MIP
                // solution (glp_mip_col_val) is that point
  kFailed,      // any other solver failure (numerical trouble, iteration limit)
};

struct SolveResult {
  SolveOutcome outcome = SolveOutcome::kFailed;
  double objective = 0;
  std::string detail;  // GLPK's return code and status, for error messages
};

// How SolveLp starts. kFresh: the LP presolver is on and the search starts afresh. The warm
// starts switch the presolver off and start from the basis the problem holds (the last
// solve's, or GLPK's standard basis for a new problem), falling back to the standard basis if
// that one is unusable: kWarmPrimal (primal simplex) suits a changed objective, whose old
// optimal basis stays primal feasible; kWarmDual (dual simplex, primal if that fails) suits
// changed bounds, whose old optimal basis stays dual feasible. A warm start changes the path,
// never the optimal value; among several optimal points it may return another one.
enum class LpStart { kFresh, kWarmPrimal, kWarmDual };

// Solves the LP (integrality ignored). REQUIRES: time_limit_ms > 0.
SolveResult SolveLp(glp_prob* p, int time_limit_ms, LpStart start = LpStart::kFresh);

// Solves the MIP with branch and cut and a zero optimality gap, so the result does not
// depend on timing: it is either the optimum or kTimeLimit. With `from_lp_basis` the MIP
// presolver is off and the search starts from the optimal basis the caller just obtained from
// SolveLp for the same objective (saving the root LP); otherwise the MIP presolver is on.
// REQUIRES: time_limit_ms > 0; integer columns have integer bounds; with from_lp_basis,
// glp_get_status(p) == GLP_OPT.
//
// With `stop`, the search ends as soon as an integer point reaches stop->target (objective
// >= target when maximising, <= target when minimising): the outcome is then kStopped. An
// optimum found before that is kOptimal as usual, whether or not it reaches the target. Such a
// search branches on the most fractional variable (cheaper per node than the default).
struct MipStop {
  double target = 0;
};
SolveResult SolveMip(glp_prob* p, int time_limit_ms, bool from_lp_basis = false,
                     const MipStop* stop = nullptr);

// A wall-clock budget shared by a sequence of solves.
class Deadline {
 public:
  explicit Deadline(double seconds);
  // Milliseconds left, at least 1 while not expired; 0 once expired.
  int RemainingMs() const;
  bool Expired() const { return RemainingMs() == 0; }

 private:
  std::chrono::steady_clock::time_point end_;
};

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_GLPK_UTIL_H_
