#include "pipeline/attack.h"

#include <cmath>
#include <cstdio>

#include "pipeline/glpk_util.h"

namespace tvault::pipeline {
namespace {

// Solver results closer than this to an integer are that integer; comparisons against the
// required levels allow this much slack for floating point.
constexpr double kEps = 1e-6;

double Clean(double x) {
  const double r = std::round(x);
  return std::fabs(x - r) < 1e-7 ? r : x;
}

std::string Num(double x) {
  if (std::isinf(x)) return "inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", x);
  return buf;
}

std::string Range(double lo, double hi) { return "[" + Num(lo) + ", " + Num(hi) + "]"; }

// Why [lo, hi] does not protect `a`, or "" when it does.
std::string Violation(const CellAudit& a, double lo, double hi) {
  const double v = static_cast<double>(a.value);
  if (hi - lo < kEps) return "exact disclosure";
  std::string why;
  if (hi < v + a.upper - kEps) why += "upper bound below " + Num(v + a.upper);
  if (lo > v - a.lower + kEps) {
    why += std::string(why.empty() ? "" : "; ") + "lower bound above " + Num(v - a.lower);
  }
  if (hi - lo < a.width - kEps) {
    why += std::string(why.empty() ? "" : "; ") + "width below " + std::to_string(a.width);
  }
  return why.empty() ? "" : "interval too narrow (" + why + ")";
}

// The attacker's problem: one column per withheld cell, one row per relation.
class Attacker {
 public:
  // `zeros_published`: no suppressed cell is 0, so a suppression marker means ">= 1".
  Attacker(const TableSet& set, const WithheldCells& w, const AuditOptions& options,
           bool zeros_published)
      : set_(set), w_(w), zeros_published_(zeros_published),
        deadline_(options.time_limit_seconds) {}

  Status Build();
  // Minimises or maximises the cell's column; `integer` selects the MIP.
  // For an LP with an optimum, `integral_vertex` (when not null) tells whether the optimal
  // point found is integral, in which case it is also the integer optimum.
  Status Bound(CellId cell, bool maximise, bool integer, double* out, int* solves,
               bool* integral_vertex = nullptr);

  bool Withheld(CellId c) const { return w_.suppressed[c] || w_.hidden[c]; }

 private:
  const TableSet& set_;
  const WithheldCells& w_;
  const bool zeros_published_;
  Deadline deadline_;
  GlpkProblem prob_;
  std::vector<int> col_;  // CellId -> column (0: published)
};

Status Attacker::Build() {
  const std::vector<Cell>& cells = set_.cells();
  glp_prob* p = prob_.get();
  col_.assign(cells.size(), 0);
  for (const Cell& c : cells) {
    if (!Withheld(c.id)) continue;
    col_[c.id] = glp_add_cols(p, 1);
    const bool at_least_one = zeros_published_ && !w_.hidden[c.id];
    glp_set_col_bnds(p, col_[c.id], GLP_LO, at_least_one ? 1.0 : 0.0, 0.0);
    glp_set_col_kind(p, col_[c.id], GLP_IV);
  }
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (const Relation& rel : set_.relations()) {
    ind.resize(1);
    val.resize(1);
    int64_t rhs = 0;  // minus the published part
    for (const auto& [cell, coef] : rel.terms) {
      if (col_[cell] == 0) {
        rhs -= coef * cells[cell].value;
      } else {
        ind.push_back(col_[cell]);
        val.push_back(static_cast<double>(coef));
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
                       bool* integral_vertex) {
  glp_prob* p = prob_.get();
  const std::string what = set_.CellName(cell);
  if (deadline_.Expired()) {
    return Status(Code::kUnsupported, "self-audit ran out of time at " + what);
  }
  glp_set_obj_coef(p, col_[cell], 1.0);
  glp_set_obj_dir(p, maximise ? GLP_MAX : GLP_MIN);
  ++*solves;
  // The MIP for a direction always follows the LP for the same direction, so it can start
  // from that LP's optimal basis.
  const SolveResult r = integer ? SolveMip(p, deadline_.RemainingMs(), /*from_lp_basis=*/true)
                                : SolveLp(p, deadline_.RemainingMs());
  glp_set_obj_coef(p, col_[cell], 0.0);
  switch (r.outcome) {
    case SolveOutcome::kOptimal:
      *out = Clean(r.objective);
      if (integer) *out = std::round(*out);
      if (!integer && integral_vertex != nullptr) {
        // An integral LP optimum is also the integer optimum.
        *integral_vertex = true;
        const int ncols = glp_get_num_cols(p);
        for (int j = 1; j <= ncols && *integral_vertex; ++j) {
          const double x = glp_get_col_prim(p, j);
          *integral_vertex = std::fabs(x - std::round(x)) < 1e-9;
        }
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

}  // namespace

WithheldCells WithheldFrom(const TableSet& set, const std::vector<bool>& suppressed) {
  WithheldCells w;
  w.suppressed = suppressed;
  w.suppressed.resize(set.cells().size(), false);
  w.hidden.assign(set.cells().size(), false);
  for (const Cell& c : set.cells()) w.hidden[c.id] = c.hidden;
  return w;
}

Result<AuditReport> Audit(const TableSet& set, const WithheldCells& withheld,
                          const AuditOptions& options) {
  const size_t n = set.cells().size();
  if (withheld.suppressed.size() != n || withheld.hidden.size() != n) {
    return InvalidArgument("the suppression pattern does not match the table set");
  }
  if (!(options.time_limit_seconds > 0)) return InvalidArgument("audit time limit must be > 0");
  AuditReport report;
  bool zeros_published = true;
  // Threshold and premise checks on what is published.
  for (const Cell& c : set.cells()) {
    const bool sensitive = IsSensitive(set.RuleOf(c.id), c.value);
    if (!withheld.suppressed[c.id] && !withheld.hidden[c.id] && sensitive) {
      report.failures.push_back(set.CellName(c.id) + ": published value " +
                                std::to_string(c.value) + " is below the threshold k = " +
                                std::to_string(set.RuleOf(c.id).k));
    }
    if (withheld.suppressed[c.id] && !withheld.hidden[c.id] && c.value == 0) {
      zeros_published = false;
      report.failures.push_back(set.CellName(c.id) +
                                ": a zero is suppressed, but the attacker model (and the "
                                "published methodology) says zeros are always published");
    }
  }

  // When the premise is broken the attacker cannot rely on it either: every withheld cell is
  // then only known to be >= 0. The report fails anyway, but its ranges stay meaningful.
  Attacker attacker(set, withheld, options, zeros_published);
  TVAULT_RETURN_IF_ERROR(attacker.Build());
  for (const Cell& c : set.cells()) {
    if (!attacker.Withheld(c.id)) continue;
    CellAudit a;
    a.cell = c.id;
    a.name = set.CellName(c.id);
    a.value = c.value;
    a.hidden = withheld.hidden[c.id];
    const ProtectionRule& rule = set.RuleOf(c.id);
    a.sensitive = IsSensitive(rule, c.value);
    // Each MIP directly after the LP of the same direction (see Attacker::Bound). The MIP
    // is skipped when the LP answer is already the integer answer: the LP optimum found is
    // an integral point; or the LP bound equals the true value (the true table is an integer
    // point); or the LP maximum is unbounded (rational data with an integer point: the
    // integer maximum is unbounded too).
    const double v = static_cast<double>(c.value);
    bool integral = false;
    TVAULT_RETURN_IF_ERROR(
        attacker.Bound(c.id, false, false, &a.lp_lo, &report.solves, &integral));
    a.ilp_lo = a.lp_lo;
    if (!integral && std::fabs(a.lp_lo - v) > kEps) {
      TVAULT_RETURN_IF_ERROR(attacker.Bound(c.id, false, true, &a.ilp_lo, &report.solves));
    }
    integral = false;
    TVAULT_RETURN_IF_ERROR(
        attacker.Bound(c.id, true, false, &a.lp_hi, &report.solves, &integral));
    a.ilp_hi = a.lp_hi;
    if (!integral && !std::isinf(a.lp_hi) && std::fabs(a.lp_hi - v) > kEps) {
      TVAULT_RETURN_IF_ERROR(attacker.Bound(c.id, true, true, &a.ilp_hi, &report.solves));
    }
    if (a.ilp_lo > v + kEps || a.ilp_hi < v - kEps || a.lp_lo > a.ilp_lo + kEps ||
        a.lp_hi < a.ilp_hi - kEps) {
      return Internal("self-audit ranges are inconsistent with the true value at " + a.name);
    }
    if (a.sensitive) {
      a.upper = UpperProtection(rule, c.value);
      a.lower = LowerProtection(rule, c.value);
      a.width = WidthProtection(rule, c.value);
      const std::string lp_why = Violation(a, a.lp_lo, a.lp_hi);
      const std::string ilp_why = Violation(a, a.ilp_lo, a.ilp_hi);
      a.lp_ok = lp_why.empty();
      a.ilp_ok = ilp_why.empty();
      if (!a.ilp_ok) {
        a.reason = a.lp_ok ? ilp_why + " with integrality" : lp_why;
        report.failures.push_back(
            a.name + ": " + a.reason + ": attacker's range " + Range(a.ilp_lo, a.ilp_hi) +
            " with integrality, " + Range(a.lp_lo, a.lp_hi) + " as LP; required hi >= " +
            std::to_string(c.value + a.upper) + ", lo <= " + std::to_string(c.value - a.lower) +
            ", hi - lo >= " + std::to_string(a.width));
      }
    }
    report.cells.push_back(std::move(a));
  }
  return report;
}

Status RequirePassed(const AuditReport& report) {
  if (report.passed()) return Status::Ok();
  std::string msg = "self-audit failed on " + std::to_string(report.failures.size()) +
                    " check(s): ";
  for (size_t i = 0; i < report.failures.size() && i < 10; ++i) {
    msg += (i > 0 ? "; " : "") + report.failures[i];
  }
  if (report.failures.size() > 10) msg += "; ...";
  return InvalidArgument(msg);
}

}  // namespace tvault::pipeline
