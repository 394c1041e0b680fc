// The attacker's problem of the self-audit over one block (attack_solver.h).
#include "pipeline/attack_solver.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace tvault::pipeline::attack_internal {
namespace {

double Clean(double x) {
  const double r = std::round(x);
  return std::fabs(x - r) < 1e-7 ? r : x;
}

}  // namespace

void Attacker::Remember(const std::vector<double>& x) {
  for (size_t j = 1; j < x.size(); ++j) {
    known_min_[j] = std::min(known_min_[j], x[j]);
    known_max_[j] = std::max(known_max_[j], x[j]);
  }
}

Status Attacker::Build(const std::vector<CellId>& block, const std::vector<size_t>& relations) {
  const std::vector<Cell>& cells = set_.cells();
  glp_prob* p = prob_.get();
  col_.assign(cells.size(), 0);
  for (CellId c : block) {
    col_[c] = glp_add_cols(p, 1);
    const bool at_least_one = zeros_published_ && !w_.hidden[c];
    glp_set_col_bnds(p, col_[c], GLP_LO, at_least_one ? 1.0 : 0.0, 0.0);
    glp_set_col_kind(p, col_[c], GLP_IV);
  }
  known_min_.assign(block.size() + 1, 0);
  for (CellId c : block) known_min_[col_[c]] = static_cast<double>(cells[c].value);
  known_max_ = known_min_;
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (size_t r : relations) {
    const Relation& rel = set_.relations()[r];
    ind.resize(1);
    val.resize(1);
    int64_t rhs = 0;  // minus the published part
    for (const auto& [cell, coef] : rel.terms) {
      if (col_[cell] != 0) {
        ind.push_back(col_[cell]);
        val.push_back(static_cast<double>(coef));
      } else if (w_.suppressed[cell] || w_.hidden[cell]) {
        return Internal("self-audit block misses a withheld cell of " + rel.origin);
      } else {
        rhs -= coef * cells[cell].value;
      }
    }
    if (ind.size() == 1) {
      if (rhs != 0) return InvalidArgument("published numbers contradict " + rel.origin);
      continue;
    }
    const int row = glp_add_rows(p, 1);
    glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
    glp_set_row_bnds(p, row, GLP_FX, static_cast<double>(rhs), static_cast<double>(rhs));
  }
  return Status::Ok();
}

Status Attacker::Bound(CellId cell, bool maximise, bool integer, double* out, int* solves,
                       bool* integral_vertex, const MipStop* stop, bool* stopped) {
  glp_prob* p = prob_.get();
  const std::string what = set_.CellName(cell);
  if (deadline_.Expired()) {
    return Status(Code::kUnsupported, "self-audit ran out of time at " + what);
  }
  glp_set_obj_coef(p, col_[cell], 1.0);
  glp_set_obj_dir(p, maximise ? GLP_MAX : GLP_MIN);
  ++*solves;
  // The reference's MIP for a direction always follows the LP for the same direction, so it
  // starts from that LP's optimal basis. The block solver presolves each MIP instead, which is
  // several times faster on linked year-to-date blocks (the MIP presolver works on a copy, so
  // the LP basis kept for the next warm start is left alone).
  const SolveResult r = integer
                            ? SolveMip(p, deadline_.RemainingMs(), /*from_lp_basis=*/!pool_,
                                       stop)
                            : SolveLp(p, deadline_.RemainingMs(),
                                      pool_ ? LpStart::kWarmPrimal : LpStart::kFresh);
  glp_set_obj_coef(p, col_[cell], 0.0);
  if (stopped != nullptr) *stopped = r.outcome == SolveOutcome::kStopped;
  switch (r.outcome) {
    case SolveOutcome::kStopped:
    case SolveOutcome::kOptimal:
      *out = Clean(r.objective);
      if (integer) *out = std::round(*out);
      if (integer && pool_) {
        std::vector<double> x(glp_get_num_cols(p) + 1, 0);
        for (size_t j = 1; j < x.size(); ++j) x[j] = std::round(glp_mip_col_val(p, j));
        Remember(x);
      }
      if (!integer && (integral_vertex != nullptr || pool_)) {
        // An integral LP optimum is also the integer optimum.
        bool integral = true;
        std::vector<double> x(glp_get_num_cols(p) + 1, 0);
        for (size_t j = 1; j < x.size() && integral; ++j) {
          x[j] = glp_get_col_prim(p, j);
          integral = std::fabs(x[j] - std::round(x[j])) < 1e-9;
          x[j] = std::round(x[j]);
        }
        if (integral_vertex != nullptr) *integral_vertex = integral;
        if (integral && pool_) Remember(x);
      }
      return Status::Ok();
    case SolveOutcome::kUnbounded:
      if (!maximise) break;  // x >= 0 makes every minimum bounded
      *out = kUnbounded;
      return Status::Ok();
    case SolveOutcome::kTimeLimit:
      return Status(Code::kUnsupported, "self-audit ran out of time at " + what);
    default:
      break;
  }
  // The true table is always feasible, so anything else is a solver or model failure.
  return Internal("self-audit solver failed at " + what + ": " + r.detail);
}

}  // namespace tvault::pipeline::attack_internal
