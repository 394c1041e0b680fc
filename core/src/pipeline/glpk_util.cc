#include "pipeline/glpk_util.h"

#include <algorithm>
#include <climits>

namespace tvault::pipeline {
namespace {

std::string Detail(const char* what, int rc, int status) {
  return std::string(what) + " returned " + std::to_string(rc) + ", status " +
         std::to_string(status);
}

// The state of SolveMip's callback: the caller's target and the original direction (the
// presolver may hand the tree a transformed problem).
struct StopState {
  double target;
  bool maximise;
  bool reached = false;
};

// On every new incumbent, ends the search when it reaches the target.
void StopAtTarget(glp_tree* tree, void* info) {
  if (glp_ios_reason(tree) != GLP_IBINGO) return;
  StopState* s = static_cast<StopState*>(info);
  glp_prob* q = glp_ios_get_prob(tree);
  double value = glp_mip_obj_val(q);
  if ((glp_get_obj_dir(q) == GLP_MAX) != s->maximise) value = -value;
  // Integer data: the incumbent's value is an integer up to rounding error.
  const double slack = 1e-6;
  if (s->maximise ? value >= s->target - slack : value <= s->target + slack) {
    s->reached = true;
    glp_ios_terminate(tree);
  }
}

}  // namespace

GlpkProblem::GlpkProblem() {
  glp_term_out(GLP_OFF);
  p_ = glp_create_prob();
}

GlpkProblem::~GlpkProblem() { glp_delete_prob(p_); }

SolveResult SolveLp(glp_prob* p, int time_limit_ms, LpStart start) {
  const bool warm_start = start != LpStart::kFresh;
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = warm_start ? GLP_OFF : GLP_ON;
  if (start == LpStart::kWarmDual) parm.meth = GLP_DUALP;
  parm.tm_lim = std::max(time_limit_ms, 1);
  int rc = glp_simplex(p, &parm);
  if (warm_start && (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND)) {
    // The held basis is invalid or ill-conditioned (e.g. left behind by branch and bound):
    // restart from the standard basis, which is always valid.
    glp_std_basis(p);
    rc = glp_simplex(p, &parm);
  }
  SolveResult r;
  if (rc == 0) {
    const int st = glp_get_status(p);
    r.detail = Detail("glp_simplex", rc, st);
    if (st == GLP_OPT) {
      r.outcome = SolveOutcome::kOptimal;
      r.objective = glp_get_obj_val(p);
    } else if (st == GLP_UNBND) {
      r.outcome = SolveOutcome::kUnbounded;
    } else if (st == GLP_NOFEAS) {
      r.outcome = SolveOutcome::kInfeasible;
    }
    return r;
  }
  r.detail = Detail("glp_simplex", rc, 0);
  // With the presolver on, an infeasible problem is reported as "no primal feasible
  // solution" and an unbounded one (of a feasible problem) as "no dual feasible solution".
  if (rc == GLP_ENOPFS) r.outcome = SolveOutcome::kInfeasible;
  if (rc == GLP_ENODFS) r.outcome = SolveOutcome::kUnbounded;
  if (rc == GLP_ETMLIM) r.outcome = SolveOutcome::kTimeLimit;
  return r;
}

SolveResult SolveMip(glp_prob* p, int time_limit_ms, bool from_lp_basis, const MipStop* stop) {
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = from_lp_basis ? GLP_OFF : GLP_ON;
  // Cuts and the feasibility pump are deterministic and find integer points quickly on
  // table structures that are not totally unimodular (linked and year-to-date tables).
  parm.gmi_cuts = GLP_ON;
  parm.mir_cuts = GLP_ON;
  parm.fp_heur = GLP_ON;
  parm.mip_gap = 0.0;
  parm.tm_lim = std::max(time_limit_ms, 1);
  StopState state{stop != nullptr ? stop->target : 0, glp_get_obj_dir(p) == GLP_MAX};
  if (stop != nullptr) {
    // A search that only needs an integer point past the target branches on the most
    // fractional variable: GLPK's default (Driebeck-Tomlin) computes a row of the simplex table
    // for every fractional variable at every node, which on the audit's year-to-date blocks
    // cost about 3x the whole month-3 self-audit (7.5-8.5 s against 2.5-2.9 s CPU,
    // docs/performance.md). It changes the path only: the point found still reaches the target.
    parm.br_tech = GLP_BR_MFV;
    parm.cb_func = StopAtTarget;
    parm.cb_info = &state;
  }
  const int rc = glp_intopt(p, &parm);
  SolveResult r;
  if (rc == GLP_ESTOP && state.reached && glp_mip_status(p) == GLP_FEAS) {
    r.detail = Detail("glp_intopt", rc, GLP_FEAS);
    r.outcome = SolveOutcome::kStopped;
    r.objective = glp_mip_obj_val(p);
    return r;
  }
  if (rc == 0) {
    const int st = glp_mip_status(p);
    r.detail = Detail("glp_intopt", rc, st);
    if (st == GLP_OPT) {
      r.outcome = SolveOutcome::kOptimal;
      r.objective = glp_mip_obj_val(p);
    } else if (st == GLP_NOFEAS) {
      r.outcome = SolveOutcome::kInfeasible;
    }
    return r;
  }
  r.detail = Detail("glp_intopt", rc, glp_mip_status(p));
  if (rc == GLP_ENOPFS) r.outcome = SolveOutcome::kInfeasible;
  if (rc == GLP_ENODFS) r.outcome = SolveOutcome::kUnbounded;
  if (rc == GLP_ETMLIM) r.outcome = SolveOutcome::kTimeLimit;
  return r;
}

Deadline::Deadline(double seconds) {
  const double ms = std::clamp(seconds * 1000.0, 1.0, static_cast<double>(INT_MAX / 2));
  end_ = std::chrono::steady_clock::now() +
         std::chrono::milliseconds(static_cast<int64_t>(ms));
}

int Deadline::RemainingMs() const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        end_ - std::chrono::steady_clock::now())
                        .count();
  if (left <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(left, INT_MAX / 2));
}

}  // namespace tvault::pipeline
