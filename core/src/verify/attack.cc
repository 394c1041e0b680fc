// Check 4, attack: for every suppressed cell of the model, the smallest and largest value
// consistent with every published number, as an LP and as an integer program, solved with
// GLPK directly (this file shares no code with the report's protection or self-audit).
//
// Unknowns are the model's withheld cells: >= 1 when suppressed (zeros are published), >= 0
// when hidden, integers, no upper bound. Published cells are constants moved to the right-hand
// side. The verdict follows docs/methodology-protection.md section 2: with v the true count
// and [lo, hi] the integer range, a sensitive cell (0 < v < k) needs
//   hi >= v + UPL(v),  lo <= v - LPL(v),  hi - lo >= SPL(v).
// A range that is a single point v (exact disclosure, as an LP or only with integrality)
// fails when v < k; when v >= k the cell was a complementary suppression and exposes nobody
// (a later report can pin an earlier complement), which is noted. Otherwise, without the
// store, v is unknown and the check is value-free: a cell that is certainly sensitive
// (hi < k) fails when no value in its range would meet the three inequalities. With the
// store, v is known and the rule is applied exactly.
#include <glpk.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "verify/model.h"
#include "verify/witness.h"

namespace tvault::verify_internal {
namespace {

constexpr double kEps = 1e-6;
// With `skip_settled` (report's gate, whose own self-audit solves every integer program of its
// model to the bound it needs), an integer program that runs longer than this is judged on its
// LP bound, which contains the integer range, and counted in the notes.
constexpr int kGateIntegerMs = 20000;
constexpr double kInf = std::numeric_limits<double>::infinity();

int64_t CeilPct(double percent, int64_t v) {
  return static_cast<int64_t>(std::ceil(percent * static_cast<double>(v) / 100.0 - 1e-9));
}

// Whether the integer range [lo, hi] (hi may be +inf) protects a cell of true value v.
// The protection levels of a cell of true value v: upper, lower, width.
struct Levels {
  int64_t upl, lpl, spl;
};
Levels LevelsOf(const v1::ProtectionSettings& s, int64_t v) {
  return {std::max<int64_t>(CeilPct(s.upper_percent(), v), s.upper_min()),
          std::min<int64_t>(std::max<int64_t>(CeilPct(s.lower_percent(), v), s.lower_min()),
                            v - 1),
          std::max<int64_t>(CeilPct(s.width_percent(), v), s.width_min())};
}

bool Protects(const v1::ProtectionSettings& s, int64_t v, double lo, double hi) {
  const Levels l = LevelsOf(s, v);
  return hi >= static_cast<double>(v + l.upl) && lo <= static_cast<double>(v - l.lpl) &&
         hi - lo >= static_cast<double>(l.spl);
}

std::string Num(double x) {
  if (std::isinf(x)) return "unbounded";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

struct Range {
  double lo = 0, hi = kInf;
};

// Ends a branch and bound at the first integer point past `stop` (Solver::Optimise).
struct StopRule {
  int dir;
  double stop;
  bool reached = false;
  double value = 0;

  static void Callback(glp_tree* tree, void* info) {
    auto* r = static_cast<StopRule*>(info);
    if (glp_ios_reason(tree) != GLP_IBINGO) return;
    const double v = glp_mip_obj_val(glp_ios_get_prob(tree));
    if (r->dir == GLP_MAX ? v >= r->stop - kEps : v <= r->stop + kEps) {
      r->reached = true;
      r->value = v;
      glp_ios_terminate(tree);
    }
  }
};

class Solver {
 public:
  Solver() : p_(glp_create_prob()) { glp_term_out(GLP_OFF); }
  ~Solver() { glp_delete_prob(p_); }
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  // Loads the unknowns `cols` (indices into m.unknowns; column j + 1 is cols[j]) and the
  // relations `rows`, whose unknowns must all be among `cols`.
  void Load(const Model& m, const std::vector<size_t>& cols,
            const std::vector<const Relation*>& rows) {
    std::map<size_t, int> column;
    if (!cols.empty()) glp_add_cols(p_, static_cast<int>(cols.size()));
    for (size_t j = 0; j < cols.size(); ++j) {
      column[cols[j]] = static_cast<int>(j) + 1;
      glp_set_col_bnds(p_, static_cast<int>(j) + 1, GLP_LO, m.unknowns[cols[j]].suppressed ? 1 : 0,
                       0);
      glp_set_col_kind(p_, static_cast<int>(j) + 1, GLP_IV);
    }
    for (const Relation* r : rows) {
      std::map<int, double> coef;
      int64_t rhs = 0;
      for (const auto& [key, c] : r->terms) {
        auto pub = m.published.find(key);
        if (pub != m.published.end()) {
          rhs -= c * pub->second;
        } else {
          coef[column.at(m.unknown_index.at(key))] += static_cast<double>(c);
        }
      }
      std::vector<int> idx = {0};
      std::vector<double> val = {0};
      for (const auto& [j, c] : coef) {
        if (c != 0) idx.push_back(j), val.push_back(c);
      }
      if (idx.size() == 1) continue;
      const int row = glp_add_rows(p_, 1);
      glp_set_row_bnds(p_, row, GLP_FX, static_cast<double>(rhs), static_cast<double>(rhs));
      glp_set_mat_row(p_, row, static_cast<int>(idx.size()) - 1, idx.data(), val.data());
    }
  }

  // Optimises unknown `j` (1-based) in direction `dir`. Returns false on a solver failure or
  // time limit (`why` says which); `value` is +inf when unbounded.
  // With `stop` finite, the integer program ends at the first integer point at least `stop`
  // (GLP_MAX) or at most `stop` (GLP_MIN): `value` is then that point's value, a bound the
  // optimum is at least as far as, and `*stopped` is set.
  bool Optimise(int j, int dir, bool integer, int time_ms, double* value, bool* lp_integral,
                std::string* why, double stop = kInf, bool* stopped = nullptr) {
    if (stopped != nullptr) *stopped = false;
    for (int c = 1; c <= glp_get_num_cols(p_); ++c) glp_set_obj_coef(p_, c, c == j ? 1 : 0);
    glp_set_obj_dir(p_, dir);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.tm_lim = time_ms;
    sm.presolve = GLP_OFF;
    int rc = glp_simplex(p_, &sm);
    if (rc == GLP_EFAIL || rc == GLP_ESING || rc == GLP_ECOND || rc == GLP_EBADB) {
      glp_adv_basis(p_, 0);  // a fresh basis, then once more
      rc = glp_simplex(p_, &sm);
    }
    if (rc == GLP_ETMLIM) return *why = "time limit", false;
    if (rc != 0) return *why = "simplex failed (code " + std::to_string(rc) + ")", false;
    const int st = glp_get_status(p_);
    if (st == GLP_UNBND) {
      *value = dir == GLP_MAX ? kInf : -kInf;
      *lp_integral = true;
      return true;
    }
    if (st != GLP_OPT) return *why = "no solution (status " + std::to_string(st) + ")", false;
    *value = glp_get_obj_val(p_);
    *lp_integral = true;
    for (int c = 1; c <= glp_get_num_cols(p_); ++c) {
      const double x = glp_get_col_prim(p_, c);
      if (std::fabs(x - std::round(x)) > kEps) *lp_integral = false;
    }
    if (!integer || *lp_integral) return true;
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.tm_lim = time_ms;
    io.mip_gap = 0;
    io.presolve = GLP_OFF;  // starts from the optimal basis just found
    // Cuts and best-bound backtracking close the gap of a min/max of one integer cell fast.
    io.gmi_cuts = GLP_ON;
    io.mir_cuts = GLP_ON;
    io.bt_tech = GLP_BT_BLB;
    StopRule rule{dir, stop};
    if (!std::isinf(stop)) {
      // Only a point past `stop` is wanted: dive for it (most fractional branching and the
      // feasibility pump find integer points early) and end there.
      io.br_tech = GLP_BR_MFV;
      io.fp_heur = GLP_ON;
      io.cb_func = &StopRule::Callback;
      io.cb_info = &rule;
    }
    rc = glp_intopt(p_, &io);
    if (rc == GLP_ESTOP && rule.reached) {
      *value = rule.value;
      if (stopped != nullptr) *stopped = true;
      return true;
    }
    if (rc == GLP_ETMLIM) return *why = "time limit", false;
    if (rc != 0 || glp_mip_status(p_) != GLP_OPT) {
      return *why = "branch and cut failed (code " + std::to_string(rc) + ")", false;
    }
    *value = glp_mip_obj_val(p_);
    return true;
  }

  bool Feasible(int time_ms) {
    for (int c = 1; c <= glp_get_num_cols(p_); ++c) glp_set_obj_coef(p_, c, 0);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.tm_lim = time_ms;
    sm.presolve = GLP_ON;  // reports infeasibility directly
    const int rc = glp_simplex(p_, &sm);
    if (rc == GLP_ENOPFS) return false;
    if (rc == 0 && glp_get_status(p_) == GLP_NOFEAS) return false;
    glp_adv_basis(p_, 0);
    return true;
  }

 private:
  glp_prob* p_;
};


// The relations without an unknown are checked in integers: those that do not
// hold go to `broken`. The others are grouped into the components of their unknowns.
struct Blocks {
  std::vector<std::vector<size_t>> unknowns;            // per component, ascending
  std::vector<std::vector<const Relation*>> relations;  // per component
  std::vector<bool> touched;                            // holds a cell of the current report
  std::vector<const Relation*> broken;
};

Blocks Split(const Model& m) {
  const size_t n = m.unknowns.size();
  std::vector<size_t> parent(n);
  for (size_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  Blocks b;
  std::vector<long> first_unknown(m.relations.size(), -1);
  for (size_t r = 0; r < m.relations.size(); ++r) {
    int64_t rhs = 0;
    for (const auto& [key, c] : m.relations[r].terms) {
      auto pub = m.published.find(key);
      if (pub != m.published.end()) {
        rhs -= c * pub->second;
        continue;
      }
      const size_t u = m.unknown_index.at(key);
      if (first_unknown[r] < 0) {
        first_unknown[r] = static_cast<long>(u);
      } else {
        parent[find(u)] = find(static_cast<size_t>(first_unknown[r]));
      }
    }
    if (first_unknown[r] < 0 && rhs != 0) b.broken.push_back(&m.relations[r]);
  }
  std::map<size_t, size_t> component;  // root -> index
  std::vector<size_t> of(n);
  for (size_t i = 0; i < n; ++i) {
    auto [it, added] = component.emplace(find(i), b.unknowns.size());
    if (added) {
      b.unknowns.emplace_back();
      b.relations.emplace_back();
      b.touched.push_back(false);
    }
    of[i] = it->second;
    b.unknowns[it->second].push_back(i);
    if (m.current_keys.count(m.unknowns[i].key)) b.touched[it->second] = true;
  }
  for (size_t r = 0; r < m.relations.size(); ++r) {
    if (first_unknown[r] < 0) continue;
    const size_t c = of[static_cast<size_t>(first_unknown[r])];
    b.relations[c].push_back(&m.relations[r]);
    for (const auto& [key, coef] : m.relations[r].terms) {
      if (m.current_keys.count(key)) b.touched[c] = true;
    }
  }
  return b;
}

// Whether integer points with values `lo` and `hi` (both in the cell's integer range) are
// enough for the verdict on `u` to be a pass: the range is not a single value, and, when the
// cell is sensitive (by its true value, or certainly so without it: hi < k), [lo, hi] already
// meets the protection levels. The verdict's checks below only get easier as the range
// widens, so a pass here is a pass on the exact range.
bool WitnessedPass(const Unknown& u, int64_t lo, int64_t hi,
                   const std::map<std::string, int64_t>* true_values) {
  if (hi <= lo) return false;
  const int64_t k = u.protection.k();
  const double dlo = static_cast<double>(lo), dhi = static_cast<double>(hi);
  if (true_values != nullptr && true_values->count(u.key)) {
    const int64_t v = true_values->at(u.key);
    return v <= 0 || v >= k || Protects(u.protection, v, dlo, dhi);
  }
  if (hi >= k) return true;
  for (int64_t v = std::max<int64_t>(1, lo); v <= hi; ++v) {
    if (Protects(u.protection, v, dlo, dhi)) return true;
  }
  return false;
}

// Check 4 on one component: the ranges of its suppressed unknowns `cols` (the columns of
// `solver`, in order) and the verdict on each. `witnesses` (null when none fit the component)
// spare the solves of the cells whose checked points already show a pass.
template <typename Remaining>
Status AttackBlock(const Model& m, const std::vector<size_t>& cols, Solver& solver,
                   const std::map<std::string, int64_t>* true_values, Remaining remaining_ms,
                   int ilp_cap_ms, const Witnesses* witnesses, int* solves, int* capped,
                   size_t* witnessed, VerifyCheck* check) {
  for (size_t j = 0; j < cols.size(); ++j) {
    const Unknown& u = m.unknowns[cols[j]];
    if (!u.suppressed) continue;
    if (witnesses != nullptr && WitnessedPass(u, witnesses->Lo(cols[j]),
                                              witnesses->Hi(cols[j]), true_values)) {
      ++*witnessed;
      check->notes.push_back(u.table + " " + u.cell + ": integer [<=" +
                             std::to_string(witnesses->Lo(cols[j])) + ", >=" +
                             std::to_string(witnesses->Hi(cols[j])) +
                             "] shown by checked integer tables: protected");
      continue;
    }
    Range lp, ip;
    bool integral[2] = {false, false};
    std::string why;
    for (int d = 0; d < 2; ++d) {
      if (remaining_ms() == 0)
        return Status(Code::kUnsupported, "verify: time limit of the attack check");
      if (!solver.Optimise(static_cast<int>(j) + 1, d == 0 ? GLP_MIN : GLP_MAX, false,
                           remaining_ms(), d == 0 ? &lp.lo : &lp.hi, &integral[d], &why)) {
        return Status(Code::kUnsupported, "verify: solving " + u.table + " " + u.cell + ": " + why);
      }
      ++*solves;
    }
    // The integer range, as far as the verdict needs it. An integer program stops at the
    // first point past what the verdict asks (the bound is then shown as "<=" or ">="): with
    // the true value, past its protection levels; without it, at a point of k or more (the
    // cell is then not certainly below k) and one below that (not a single value).
    ip = lp;
    bool lo_stopped = false, hi_stopped = false;
    const int64_t k = u.protection.k();
    const bool known = true_values != nullptr && true_values->count(u.key) > 0;
    const int64_t v = known ? true_values->at(u.key) : 0;
    auto integer = [&](int dir, double stop, double* bound, bool* stopped) -> Status {
      if (integral[dir == GLP_MIN ? 0 : 1]) return Status::Ok();
      if (remaining_ms() == 0)
        return Status(Code::kUnsupported, "verify: time limit of the attack check");
      bool lp_int = false;
      const int limit = ilp_cap_ms > 0 ? std::min(ilp_cap_ms, remaining_ms()) : remaining_ms();
      if (!solver.Optimise(static_cast<int>(j) + 1, dir, true, std::max(1, limit), bound, &lp_int,
                           &why, stop, stopped)) {
        if (ilp_cap_ms > 0 && why == "time limit" && remaining_ms() > 0) {
          // Capped (report's gate only): *bound holds the LP optimum, which the integer
          // range lies within; the report's own self-audit solved the integer programs.
          ++*capped;
          return Status::Ok();
        }
        return Status(Code::kUnsupported,
                      "verify: solving " + u.table + " " + u.cell + " with integrality: " + why);
      }
      ++*solves;
      return Status::Ok();
    };
    if (known && v > 0 && v < k) {
      const Levels l = LevelsOf(u.protection, v);
      TVAULT_RETURN_IF_ERROR(integer(GLP_MIN, static_cast<double>(v - l.lpl), &ip.lo, &lo_stopped));
      const double want = std::max(static_cast<double>(v + l.upl),
                                   std::ceil(ip.lo - kEps) + static_cast<double>(l.spl));
      TVAULT_RETURN_IF_ERROR(integer(GLP_MAX, want, &ip.hi, &hi_stopped));
    } else if (!known) {
      TVAULT_RETURN_IF_ERROR(integer(GLP_MAX, static_cast<double>(k), &ip.hi, &hi_stopped));
      const double top = std::isinf(ip.hi) ? kInf : std::floor(ip.hi + kEps);
      TVAULT_RETURN_IF_ERROR(integer(GLP_MIN, top >= static_cast<double>(k) ? top - 1 : -kInf,
                                     &ip.lo, &lo_stopped));
    }
    // A known complement (v >= k) or zero needs no integer range: its verdict does not
    // depend on it, and the integer bounds of the LP range are shown.
    const double ilo = std::ceil(ip.lo - kEps),
                 ihi = std::isinf(ip.hi) ? kInf : std::floor(ip.hi + kEps);
    std::string line = u.table + " " + u.cell + ": LP [" + Num(lp.lo) + ", " + Num(lp.hi) +
                       "], integer [" + (lo_stopped ? "<=" : "") + Num(ilo) + ", " +
                       (hi_stopped ? ">=" : "") + Num(ihi) + "]";
    std::string failure;
    if (ihi - ilo < kEps) {
      // The value is then known to the reader, and so is whether it is sensitive: a
      // complementary suppression of k or more that later numbers pin exposes nobody.
      if (ilo >= static_cast<double>(k)) {
        line += ", exactly " + Num(ilo) + " >= k: a complement, nobody exposed";
      } else if (lp.hi - lp.lo < kEps) {
        failure = "exact disclosure: the published numbers give it as " + Num(ilo);
      } else {
        failure = "exact disclosure with integrality: only " + Num(ilo) + " fits";
      }
    } else if (true_values != nullptr && true_values->count(u.key)) {
      const int64_t v = true_values->at(u.key);
      if (v > 0 && v < k && !Protects(u.protection, v, ilo, ihi)) {
        failure = "interval too narrow for its true value " + std::to_string(v);
      }
      line += v > 0 && v < k ? ", sensitive" : ", complement";
    } else if (ihi < static_cast<double>(k)) {
      bool any = false;
      for (int64_t v = std::max<int64_t>(1, static_cast<int64_t>(ilo));
           v <= static_cast<int64_t>(ihi); ++v) {
        any = any || Protects(u.protection, v, ilo, ihi);
      }
      if (!any)
        failure =
            "interval too narrow for every value below k = " + std::to_string(k) + " it can take";
    }
    if (!failure.empty()) {
      check->failures.push_back(
          {u.file, u.table, u.cell, failure + " (" + line.substr(line.find(": ") + 2) + ")"});
    }
    check->notes.push_back(line + (failure.empty() ? ": protected" : ": FAILS"));
  }
  return Status::Ok();
}


}  // namespace

Status CheckAttack(const std::vector<const Parsed*>& reports,
                   const std::map<std::string, int64_t>* true_values, double time_limit_seconds,
                   bool skip_settled, const VerifyWitnesses* witnesses, VerifyCheck* check) {
  Model m = BuildModel(reports);
  return AttackModel(m, reports[0]->Name("report.json"), true_values, time_limit_seconds,
                     skip_settled, witnesses, check);
}

Status AttackModel(const Model& m, const std::string& file,
                   const std::map<std::string, int64_t>* true_values, double time_limit_seconds,
                   bool skip_settled, const VerifyWitnesses* given, VerifyCheck* check) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(time_limit_seconds * 1000));
  auto remaining_ms = [&]() {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<int64_t>(0, left.count()));
  };
  check->failures.insert(check->failures.end(), m.conflicts.begin(), m.conflicts.end());
  const Blocks blocks = Split(m);
  for (const Relation* r : blocks.broken) {
    check->failures.push_back({file, "", "", "published numbers do not add up: " + r->origin});
  }
  size_t suppressed = 0;
  for (const Unknown& u : m.unknowns) suppressed += u.suppressed;
  const size_t summary = check->notes.size();
  check->notes.push_back(std::to_string(m.published.size()) + " published numbers, " +
                         std::to_string(suppressed) + " suppressed, " +
                         std::to_string(m.unknowns.size() - suppressed) + " hidden, " +
                         std::to_string(m.relations.size()) + " relations");
  if (!blocks.broken.empty()) {
    check->failures.push_back({file, "", "",
                               "no table agrees with every published number, so the "
                               "suppressed cells cannot be assessed"});
    return Status::Ok();
  }
  int solves = 0, capped = 0;
  size_t settled = 0, witnessed = 0;
  std::unique_ptr<Witnesses> witnesses;
  if (given != nullptr) witnesses = std::make_unique<Witnesses>(m, *given);
  for (size_t b = 0; b < blocks.unknowns.size(); ++b) {
    if (skip_settled && !blocks.touched[b]) {
      for (size_t i : blocks.unknowns[b]) settled += m.unknowns[i].suppressed;
      continue;
    }
    Solver solver;
    solver.Load(m, blocks.unknowns[b], blocks.relations[b]);
    if (!solver.Feasible(std::max(1, remaining_ms()))) {
      check->failures.push_back({file, "", "",
                                 "no table agrees with every published number, so the "
                                 "suppressed cells cannot be assessed"});
      return Status::Ok();
    }
    // Report's gate caps each integer program (kGateIntegerMs); an auditor's check does not.
    const bool fits =
        witnesses != nullptr && witnesses->Fits(blocks.unknowns[b], blocks.relations[b]);
    TVAULT_RETURN_IF_ERROR(AttackBlock(m, blocks.unknowns[b], solver, true_values, remaining_ms,
                                       skip_settled ? kGateIntegerMs : 0,
                                       fits ? witnesses.get() : nullptr, &solves, &capped,
                                       &witnessed, check));
  }
  check->notes[summary] += "; " + std::to_string(solves) + " LP/ILP solves";
  if (witnesses != nullptr) {
    check->notes[summary] += "; " + std::to_string(witnessed) +
                             " suppressed cells shown wide enough by checked integer tables (" +
                             std::to_string(witnesses->used()) + " fitted, " +
                             std::to_string(witnesses->rejected()) + " rejected)";
  }
  if (capped > 0) {
    check->notes[summary] += "; " + std::to_string(capped) +
                             " integer programs capped, judged on their LP bound";
  }
  if (settled > 0) {
    check->notes[summary] += "; " + std::to_string(settled) +
                             " suppressed cells in parts that hold no number of this report, "
                             "checked when the earlier reports were";
  }
  return Status::Ok();
}

}  // namespace tvault::verify_internal
