#include "pipeline/attack.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "pipeline/attack_solver.h"
#include "pipeline/glpk_util.h"

namespace tvault::pipeline {
namespace {

using attack_internal::Attacker;
using attack_internal::kEps;

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

// The integer minimum (maximise false) or maximum of a cell after its LP bound `lp`:
// `integral` says the LP optimum found was an integral point (then it is the integer
// optimum). Otherwise the integer program is skipped when its answer is already proved:
// rounding the LP bound inward (ceil of the minimum, floor of the maximum) reaches a value
// some known integer point attains (Attacker::KnownMin/KnownMax; the true table is one, so
// this covers an LP bound equal to the true value); or the LP maximum is unbounded (rational
// data with an integer point: the integer maximum is unbounded too). With `need` (not NaN)
// the caller only needs to know whether the attacker reaches `need` (<= need for a minimum,
// >= need for a maximum): a known integer point that reaches it answers without a solve, and
// the integer program stops at the first point that does. *exact is then false and *out the
// value of an integer point that reaches `need` (the attacker's range reaches at least that
// far). Each MIP runs directly after the LP of the same direction (see Attacker::Bound).
Status IntegerBound(Attacker* attacker, CellId cell, bool maximise, double lp, bool integral,
                    double need, double* out, bool* exact, int* solves) {
  *exact = true;
  *out = lp;
  if (integral || (maximise && std::isinf(lp))) return Status::Ok();
  const double known = maximise ? attacker->KnownMax(cell) : attacker->KnownMin(cell);
  const double rounded = maximise ? std::floor(lp + kEps) : std::ceil(lp - kEps);
  if (maximise ? rounded <= known + 0.5 : rounded >= known - 0.5) {
    *out = known;
    return Status::Ok();
  }
  if (!std::isnan(need) && (maximise ? known >= need - kEps : known <= need + kEps)) {
    *out = known;
    *exact = false;
    return Status::Ok();
  }
  const MipStop stop{need};
  bool stopped = false;
  TVAULT_RETURN_IF_ERROR(attacker->Bound(cell, maximise, true, out, solves, nullptr,
                                         std::isnan(need) ? nullptr : &stop, &stopped));
  *exact = !stopped;
  return Status::Ok();
}

// Computes the LP and integer ranges of one withheld cell on its block and checks the rule.
// LP ranges are always exact. Integer ranges are exact with `exact_ranges`; otherwise:
// - of a sensitive cell, each integer program stops once it proves what the rule needs: the
//   minimum once some integer point is <= v - LPL, then the maximum once one is >= max(v +
//   UPL, lo + SPL) with lo the minimum just found (exact or not, an attained value, so the
//   true minimum is at most it). A range that then fails the rule with an inexact bound is
//   solved again exactly and judged on that, so a verdict never rests on an early stop;
// - of a non-sensitive cell that is not hidden, no integer program runs (the rule does not
//   apply to it and nothing needs its integer range): the integer range is what known
//   integer points attain, or exact when the LP already proves it.
Status AuditCell(const TableSet& set, const WithheldCells& withheld, const Cell& c,
                 bool exact_ranges, Attacker* attacker, AuditReport* report, CellAudit* out) {
  CellAudit a;
  a.cell = c.id;
  a.name = set.CellName(c.id);
  a.value = c.value;
  a.hidden = withheld.hidden[c.id];
  const ProtectionRule& rule = set.RuleOf(c.id);
  a.sensitive = IsSensitive(rule, c.value);
  if (a.sensitive) {
    a.upper = UpperProtection(rule, c.value);
    a.lower = LowerProtection(rule, c.value);
    a.width = WidthProtection(rule, c.value);
  }
  const double v = static_cast<double>(c.value);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool early = !exact_ranges && a.sensitive;
  // A non-sensitive published-marker cell needs no integer range: any known point "reaches"
  // the need, which is set to the value itself (the true table attains it).
  const bool skip_ilp = !exact_ranges && !a.sensitive && !a.hidden;
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
  const double need_lo = early ? v - a.lower : skip_ilp ? v : nan;
  TVAULT_RETURN_IF_ERROR(IntegerBound(attacker, c.id, false, a.lp_lo, integral, need_lo,
                                      &a.ilp_lo, &a.ilp_lo_exact, &report->solves));
  integral = false;
  TVAULT_RETURN_IF_ERROR(
      attacker->Bound(c.id, true, false, &a.lp_hi, &report->solves, &integral));
  const double need_hi =
      early ? std::max(v + a.upper, a.ilp_lo + a.width) : skip_ilp ? v : nan;
  TVAULT_RETURN_IF_ERROR(IntegerBound(attacker, c.id, true, a.lp_hi, integral, need_hi,
                                      &a.ilp_hi, &a.ilp_hi_exact, &report->solves));
  if (a.sensitive && !Violation(a, a.ilp_lo, a.ilp_hi).empty()) {
    // Judge on the exact range: an attained bound only shows the range is at least this wide.
    if (!a.ilp_lo_exact) {
      TVAULT_RETURN_IF_ERROR(attacker->Bound(c.id, false, true, &a.ilp_lo, &report->solves));
      a.ilp_lo_exact = true;
    }
    if (!a.ilp_hi_exact) {
      TVAULT_RETURN_IF_ERROR(attacker->Bound(c.id, true, true, &a.ilp_hi, &report->solves));
      a.ilp_hi_exact = true;
    }
  }
  if (a.ilp_lo > v + kEps || a.ilp_hi < v - kEps || a.lp_lo > a.ilp_lo + kEps ||
      a.lp_hi < a.ilp_hi - kEps) {
    return Internal("self-audit ranges are inconsistent with the true value at " + a.name);
  }
  if (a.sensitive) {
    const std::string lp_why = Violation(a, a.lp_lo, a.lp_hi);
    const std::string ilp_why = Violation(a, a.ilp_lo, a.ilp_hi);
    a.lp_ok = lp_why.empty();
    a.ilp_ok = ilp_why.empty();
    if (!a.ilp_ok) a.reason = a.lp_ok ? ilp_why + " with integrality" : lp_why;
  }
  *out = std::move(a);
  return Status::Ok();
}

// The values each cell takes over the true table and the points of AuditOptions::points that
// check (see there); counts the others in report->points_rejected.
void KnownValues(const TableSet& set, const WithheldCells& withheld,
                 const std::vector<std::vector<std::pair<CellId, int64_t>>>& points,
                 std::vector<int64_t>* lo, std::vector<int64_t>* hi, AuditReport* report) {
  const size_t n = set.cells().size();
  lo->resize(n);
  hi->resize(n);
  for (const Cell& c : set.cells()) (*lo)[c.id] = (*hi)[c.id] = c.value;
  std::vector<std::vector<size_t>> relations_of(n);
  for (size_t r = 0; r < set.relations().size(); ++r) {
    for (const auto& [cell, coef] : set.relations()[r].terms) relations_of[cell].push_back(r);
  }
  std::vector<int64_t> y(n, 0);
  for (const auto& point : points) {
    bool valid = true;
    std::vector<size_t> touched;
    for (const auto& [id, change] : point) {
      valid = valid && id >= 0 && static_cast<size_t>(id) < n &&
              (withheld.suppressed[id] || withheld.hidden[id]);
      if (!valid) break;
      y[id] += change;
      touched.insert(touched.end(), relations_of[id].begin(), relations_of[id].end());
    }
    for (const auto& [id, change] : point) {
      if (!valid) break;
      const int64_t floor = withheld.hidden[id] ? 0 : 1;
      valid = set.cells()[id].value + y[id] >= floor;
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (size_t k = 0; valid && k < touched.size(); ++k) {
      int64_t sum = 0;
      for (const auto& [cell, coef] : set.relations()[touched[k]].terms) sum += coef * y[cell];
      valid = sum == 0;
    }
    for (const auto& [id, change] : point) {
      if (id < 0 || static_cast<size_t>(id) >= n) continue;
      if (valid) {
        const int64_t v = set.cells()[id].value + y[id];
        (*lo)[id] = std::min((*lo)[id], v);
        (*hi)[id] = std::max((*hi)[id], v);
      }
    }
    for (const auto& [id, change] : point) {
      if (id >= 0 && static_cast<size_t>(id) < n) y[id] = 0;
    }
    if (!valid) ++report->points_rejected;
  }
}

// Fills *out from the known values alone when they decide the cell's verdict (see
// AuditOptions::points); returns false when the cell must be solved.
bool DecidedByPoints(const TableSet& set, const WithheldCells& withheld, const Cell& c,
                     int64_t lo, int64_t hi, CellAudit* out) {
  const ProtectionRule& rule = set.RuleOf(c.id);
  CellAudit a;
  a.cell = c.id;
  a.value = c.value;
  a.hidden = withheld.hidden[c.id];
  a.sensitive = IsSensitive(rule, c.value);
  if (a.sensitive) {
    a.upper = UpperProtection(rule, c.value);
    a.lower = LowerProtection(rule, c.value);
    a.width = WidthProtection(rule, c.value);
    if (hi < c.value + a.upper || lo > c.value - a.lower || hi - lo < a.width) return false;
  }
  a.name = set.CellName(c.id);
  a.lp_lo = a.ilp_lo = static_cast<double>(lo);
  a.lp_hi = a.ilp_hi = static_cast<double>(hi);
  a.ilp_lo_exact = a.ilp_hi_exact = false;
  a.from_points = true;
  *out = std::move(a);
  return true;
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
  CellComponents blocks = FreeComponents(set, free);
  // Settled components (AuditOptions::skip_settled_components) are dropped here.
  std::vector<bool> settled(n, false);
  if (options.skip_settled_components) {
    std::vector<bool> keep(blocks.cells.size(), false);
    for (size_t b = 0; b < blocks.cells.size(); ++b) {
      for (CellId id : blocks.cells[b]) {
        keep[b] = keep[b] || set.cells()[id].prior == Prior::kNone;
      }
    }
    CellComponents kept;
    for (size_t b = 0; b < blocks.cells.size(); ++b) {
      if (keep[b]) {
        kept.cells.push_back(std::move(blocks.cells[b]));
        kept.relations.push_back(std::move(blocks.relations[b]));
        continue;
      }
      for (CellId id : blocks.cells[b]) settled[id] = true;
      report.settled_cells += static_cast<int>(blocks.cells[b].size());
    }
    blocks = std::move(kept);
  }
  if (!options.decompose) {
    // The monolithic reference: one block of every withheld cell that is not settled, with
    // every relation but those of settled components (which hold only settled withheld cells
    // and published constants).
    std::vector<bool> dropped(set.relations().size(), false);
    for (size_t r = 0; r < set.relations().size(); ++r) {
      for (const auto& [cell, coef] : set.relations()[r].terms) {
        dropped[r] = dropped[r] || settled[cell];
      }
    }
    blocks = CellComponents{};
    blocks.cells.emplace_back();
    for (size_t i = 0; i < n; ++i) {
      if (free[i] && !settled[i]) blocks.cells[0].push_back(static_cast<CellId>(i));
    }
    blocks.relations.emplace_back();
    for (size_t r = 0; r < set.relations().size(); ++r) {
      if (!dropped[r]) blocks.relations[0].push_back(r);
    }
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
  const bool use_points = options.points != nullptr && !options.exact_ranges;
  std::vector<int64_t> known_lo, known_hi;
  if (use_points) {
    // The true table is one of the points: it must fit every relation.
    for (const Relation& rel : set.relations()) {
      int64_t sum = 0;
      for (const auto& [cell, coef] : rel.terms) sum += coef * set.cells()[cell].value;
      if (sum != 0) return InvalidArgument("the true counts contradict " + rel.origin);
    }
    KnownValues(set, withheld, *options.points, &known_lo, &known_hi, &report);
  }
  for (size_t b = 0; b < blocks.cells.size(); ++b) {
    std::vector<CellId> unsettled;
    for (CellId id : blocks.cells[b]) {
      if (use_points && DecidedByPoints(set, withheld, set.cells()[id], known_lo[id],
                                        known_hi[id], &audits[id])) {
        ++report.cells_from_points;
      } else {
        unsettled.push_back(id);
      }
    }
    if (unsettled.empty()) continue;
    // The block's program is built only when some cell needs a solve.
    Attacker attacker(set, withheld, zeros_published, options.decompose, deadline);
    TVAULT_RETURN_IF_ERROR(attacker.Build(blocks.cells[b], blocks.relations[b]));
    for (CellId id : unsettled) {
      TVAULT_RETURN_IF_ERROR(
          AuditCell(set, withheld, set.cells()[id], options.exact_ranges, &attacker, &report,
                    &audits[id]));
    }
  }
  // Cells and failures in id order, whatever the block order.
  for (size_t i = 0; i < n; ++i) {
    if (!free[i] || settled[i]) continue;
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
