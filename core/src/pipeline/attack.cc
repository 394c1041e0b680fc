#include "pipeline/attack.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

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

// The attacker's problem over a block of withheld cells: one column per cell of the block,
// one row per relation given, the relation's published cells moved to the right-hand side.
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
  // Minimises or maximises the cell's column; `integer` selects the MIP.
  // For an LP with an optimum, `integral_vertex` (when not null) tells whether the optimal
  // point found is integral, in which case it is also the integer optimum.
  Status Bound(CellId cell, bool maximise, bool integer, double* out, int* solves,
               bool* integral_vertex = nullptr);

  // The smallest and largest value of the cell over the integer points of the block known so
  // far: the true table, and (when pooling) every integral LP optimum and every MIP optimum
  // met. Each is attained by an integer point satisfying every published number, so the
  // integer minimum is <= KnownMin and the integer maximum >= KnownMax. Without pooling both
  // are the true value.
  double KnownMin(CellId cell) const { return known_min_[col_[cell]]; }
  bool pooling() const { return pool_; }
  // The cell's own bound: 1 when suppressed and zeros are published, else 0.
  double LowerBound(CellId cell) const { return glp_get_col_lb(prob_.get(), col_[cell]); }
  double KnownMax(CellId cell) const { return known_max_[col_[cell]]; }

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
                       bool* integral_vertex) {
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
                            ? SolveMip(p, deadline_.RemainingMs(), /*from_lp_basis=*/!pool_)
                            : SolveLp(p, deadline_.RemainingMs(),
                                      pool_ ? LpStart::kWarmPrimal : LpStart::kFresh);
  glp_set_obj_coef(p, col_[cell], 0.0);
  switch (r.outcome) {
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

// Computes the LP and integer ranges of one withheld cell on its block and checks the rule.
// Each MIP runs directly after the LP of the same direction (see Attacker::Bound). The MIP is
// skipped when its answer is already proved: the LP optimum found is an integral point; or
// rounding the LP bound inward (ceil of the minimum, floor of the maximum) reaches a value
// some known integer point attains (Attacker::KnownMin/KnownMax; the true table is one, so
// this covers an LP bound equal to the true value); or the LP maximum is unbounded (rational
// data with an integer point: the integer maximum is unbounded too).
Status AuditCell(const TableSet& set, const WithheldCells& withheld, const Cell& c,
                 Attacker* attacker, AuditReport* report, CellAudit* out) {
  CellAudit a;
  a.cell = c.id;
  a.name = set.CellName(c.id);
  a.value = c.value;
  a.hidden = withheld.hidden[c.id];
  const ProtectionRule& rule = set.RuleOf(c.id);
  a.sensitive = IsSensitive(rule, c.value);
  const double v = static_cast<double>(c.value);
  bool integral = false;
  const double floor_value = attacker->LowerBound(c.id);
  if (attacker->pooling() && attacker->KnownMin(c.id) <= floor_value + 0.5) {
    // A known integer point sits on the cell's own lower bound: that is both minima.
    a.lp_lo = floor_value;
    integral = true;
  } else {
    TVAULT_RETURN_IF_ERROR(
        attacker->Bound(c.id, false, false, &a.lp_lo, &report->solves, &integral));
  }
  a.ilp_lo = a.lp_lo;
  if (!integral && std::ceil(a.lp_lo - kEps) >= attacker->KnownMin(c.id) - 0.5) {
    a.ilp_lo = attacker->KnownMin(c.id);
  } else if (!integral) {
    TVAULT_RETURN_IF_ERROR(attacker->Bound(c.id, false, true, &a.ilp_lo, &report->solves));
  }
  integral = false;
  TVAULT_RETURN_IF_ERROR(
      attacker->Bound(c.id, true, false, &a.lp_hi, &report->solves, &integral));
  a.ilp_hi = a.lp_hi;
  if (!integral && !std::isinf(a.lp_hi) &&
      std::floor(a.lp_hi + kEps) <= attacker->KnownMax(c.id) + 0.5) {
    a.ilp_hi = attacker->KnownMax(c.id);
  } else if (!integral && !std::isinf(a.lp_hi)) {
    TVAULT_RETURN_IF_ERROR(attacker->Bound(c.id, true, true, &a.ilp_hi, &report->solves));
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
    if (!a.ilp_ok) a.reason = a.lp_ok ? ilp_why + " with integrality" : lp_why;
  }
  *out = std::move(a);
  return Status::Ok();
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
  std::vector<bool> free(n);
  for (size_t i = 0; i < n; ++i) free[i] = withheld.suppressed[i] || withheld.hidden[i];
  CellComponents blocks;
  if (options.decompose) {
    blocks = FreeComponents(set, free);
  } else {
    blocks.cells.emplace_back();
    for (size_t i = 0; i < n; ++i) {
      if (free[i]) blocks.cells[0].push_back(static_cast<CellId>(i));
    }
    blocks.relations.emplace_back(set.relations().size());
    std::iota(blocks.relations[0].begin(), blocks.relations[0].end(), size_t{0});
  }
  // Relations without a withheld cell are in no block: check them against the published
  // values here (the monolithic block holds them all and checks them while building).
  if (options.decompose) {
    for (const Relation& rel : set.relations()) {
      int64_t sum = 0;
      bool any_withheld = false;
      for (const auto& [cell, coef] : rel.terms) {
        any_withheld = any_withheld || free[cell];
        sum += coef * set.cells()[cell].value;
      }
      if (!any_withheld && sum != 0) {
        return InvalidArgument("published numbers contradict " + rel.origin);
      }
    }
  }
  const Deadline deadline(options.time_limit_seconds);
  std::vector<CellAudit> audits(n);
  for (size_t b = 0; b < blocks.cells.size(); ++b) {
    Attacker attacker(set, withheld, zeros_published, options.decompose, deadline);
    TVAULT_RETURN_IF_ERROR(attacker.Build(blocks.cells[b], blocks.relations[b]));
    for (CellId id : blocks.cells[b]) {
      TVAULT_RETURN_IF_ERROR(
          AuditCell(set, withheld, set.cells()[id], &attacker, &report, &audits[id]));
    }
  }
  // Cells and failures in id order, whatever the block order.
  for (size_t i = 0; i < n; ++i) {
    if (!free[i]) continue;
    CellAudit& a = audits[i];
    if (!a.ilp_ok) {
      report.failures.push_back(
          a.name + ": " + a.reason + ": attacker's range " + Range(a.ilp_lo, a.ilp_hi) +
          " with integrality, " + Range(a.lp_lo, a.lp_hi) + " as LP; required hi >= " +
          std::to_string(a.value + a.upper) + ", lo <= " + std::to_string(a.value - a.lower) +
          ", hi - lo >= " + std::to_string(a.width));
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
