// Times the protect and self-audit stages on a realistic stack of linked monthly and
// year-to-date report tables (tests/testing/report_stack.h), with the decomposed solvers and,
// on request, the monolithic reference formulations in the same run, and prints the ratios.
//
//   tvault_pipeline_bench [--months N] [--small] [--seed S] [--reference]
//                         [--reference-limit SECONDS] [--per-release] [--before]
//
// Protect is run month by month, as the monthly reports would be; the figure that matters is
// the last month's (every earlier month stacked and fixed). The audit plays the attacker of the
// last month, who holds every month's tables. Timing is printed, never asserted.
//
// --per-release also audits every month as the report does (skipping the settled components,
// AuditOptions::skip_settled_components) and prints each month's protect and audit seconds:
// the cost of a release should be about flat in the month. --before adds, for the first and
// the last month, the cost without the settled-block skips and with exact integer ranges (the
// behaviour before those were added) on the same set.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "pipeline/attack.h"
#include "pipeline/protect.h"
#include "testing/report_stack.h"

namespace {

using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::Protect;
using tvault::pipeline::ProtectOptions;
using tvault::pipeline::WithheldFrom;
using tvault::testing::ReportShape;

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds of this process so far: the machine is shared, so wall time is noisy; the
// program is single-threaded, so CPU time is the time on one core.
double Cpu() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Whether two audits computed the same ranges for the same cells.
bool SameRanges(const AuditReport& a, const AuditReport& b) {
  if (a.cells.size() != b.cells.size()) return false;
  for (size_t i = 0; i < a.cells.size(); ++i) {
    const auto& x = a.cells[i];
    const auto& y = b.cells[i];
    if (x.cell != y.cell || std::fabs(x.lp_lo - y.lp_lo) > 1e-6 || x.ilp_lo != y.ilp_lo ||
        x.ilp_hi != y.ilp_hi || !(x.lp_hi == y.lp_hi || std::fabs(x.lp_hi - y.lp_hi) < 1e-6)) {
      std::printf("  range differs at %s: [%g, %g]/[%g, %g] vs [%g, %g]/[%g, %g]\n",
                  x.name.c_str(), x.lp_lo, x.lp_hi, x.ilp_lo, x.ilp_hi, y.lp_lo, y.lp_hi,
                  y.ilp_lo, y.ilp_hi);
      return false;
    }
  }
  return true;
}

// The self-audit of one release as the report runs it, on one line.
void PrintReleaseAudit(const tvault::pipeline::TableSet& set,
                       const tvault::pipeline::SuppressionPattern& p) {
  AuditOptions options;
  options.time_limit_seconds = 3600;
  options.skip_settled_components = true;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Audit(set, WithheldFrom(set, tvault::testing::SuppressedCells(p)), options);
  const double s = Since(t0);
  if (!r.ok()) {
    std::printf(", audit error: %s", r.status().message().c_str());
    return;
  }
  std::printf(", audit %.3f s (%d solves, %zu cells, %d settled, %s)", s, r->solves,
              r->cells.size(), r->settled_cells, r->passed() ? "passed" : "FAILED");
}

// The same release protected and audited as before the settled-block skips and the early
// stops existed, on the same set (the pattern is the same: the skips change only the work).
void PrintBefore(const tvault::pipeline::TableSet& set,
                 const tvault::pipeline::SuppressionPattern& p) {
  ProtectOptions options;
  options.time_limit_seconds = 3600;
  options.skip_settled_blocks = false;
  auto t0 = std::chrono::steady_clock::now();
  auto again = Protect(set, options);
  const double protect_s = Since(t0);
  AuditOptions audit;
  audit.time_limit_seconds = 3600;
  audit.exact_ranges = true;
  t0 = std::chrono::steady_clock::now();
  auto r = Audit(set, WithheldFrom(set, tvault::testing::SuppressedCells(p)), audit);
  const double audit_s = Since(t0);
  std::printf("    before: protect %.3f s (%d solves, same pattern: %s), audit %.3f s "
              "(%d solves, %s)\n",
              protect_s, again.ok() ? again->solves : -1,
              again.ok() && again->state == p.state ? "yes" : "NO", audit_s,
              r.ok() ? r->solves : -1, r.ok() && r->passed() ? "passed" : "FAILED");
}

}  // namespace

int main(int argc, char** argv) {
  int months = 12;
  uint32_t seed = 20261125;
  bool reference = false;
  bool per_release = false, before = false;
  double reference_limit = 300;
  ReportShape shape = ReportShape::Real();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  for (int i = 1; i < argc; ++i) {
    const bool more = i + 1 < argc;
    if (!std::strcmp(argv[i], "--months") && more) {
      months = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--seed") && more) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (!std::strcmp(argv[i], "--small")) {
      shape = ReportShape::Small();
    } else if (!std::strcmp(argv[i], "--reference")) {
      reference = true;
    } else if (!std::strcmp(argv[i], "--per-release")) {
      per_release = true;
    } else if (!std::strcmp(argv[i], "--before")) {
      before = per_release = true;
    } else if (!std::strcmp(argv[i], "--reference-limit") && more) {
      reference_limit = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--months N] [--small] [--seed S] [--reference] "
                           "[--reference-limit SECONDS] [--per-release] [--before]\n",
                   argv[0]);
      return 2;
    }
  }

  ProtectOptions fast;
  fast.time_limit_seconds = 3600;
  double c0 = Cpu();
  auto stack = tvault::testing::ProtectMonthByMonth(
      shape, months, seed, fast,
      [&](int m, const tvault::pipeline::TableSet& set,
          const tvault::pipeline::SuppressionPattern& p, double s) {
        std::printf("  month %2d: %zu cells, %d solves, %d settled, protect %.3f s", m,
                    set.cells().size(), p.solves, p.settled, s);
        if (per_release) PrintReleaseAudit(set, p);
        std::printf("\n");
        if (before && (m == 1 || m == months)) PrintBefore(set, p);
      });
  const double stack_cpu = Cpu() - c0;
  if (!stack.ok()) {
    std::fprintf(stderr, "protect failed: %s\n", stack.status().message().c_str());
    return 1;
  }
  const auto& set = stack->set;
  const auto& last = stack->last;
  std::printf("%d months: %zu cells, %zu relations, %zu tables; last month %d primary, "
              "%d secondary (all months), %d solves\n",
              months, set.cells().size(), set.relations().size(), set.tables().size(),
              last.primary, last.secondary, last.solves);
  std::printf("protect (decomposed): last month %.3f s, all %d months %.3f s (%.3f s CPU)\n",
              stack->last_seconds, months, stack->total_seconds, stack_cpu);

  c0 = Cpu();
  auto t0 = std::chrono::steady_clock::now();
  auto again = Protect(set, fast);
  const double protect_s = Since(t0), protect_cpu = Cpu() - c0;
  std::printf("protect (decomposed), last month again: %.3f s (%.3f s CPU)\n", protect_s,
              protect_cpu);
  std::printf("protect re-run identical: %s\n",
              again.ok() && again->state == last.state ? "yes" : "NO");

  {
    // The sizes of the attacker's blocks: the largest bounds the audit's cost.
    std::vector<bool> free = tvault::testing::SuppressedCells(last);
    const auto blocks = tvault::pipeline::FreeComponents(set, free);
    size_t largest = 0;
    for (const auto& b : blocks.cells) largest = std::max(largest, b.size());
    std::printf("attacker's blocks: %zu, largest %zu cells\n", blocks.cells.size(), largest);
    std::fflush(stdout);
  }
  const auto withheld = WithheldFrom(set, tvault::testing::SuppressedCells(last));
  AuditOptions audit_fast;
  audit_fast.time_limit_seconds = 3600;
  c0 = Cpu();
  t0 = std::chrono::steady_clock::now();
  auto audit = Audit(set, withheld, audit_fast);
  const double audit_s = Since(t0), audit_cpu = Cpu() - c0;
  if (!audit.ok()) {
    std::fprintf(stderr, "audit failed: %s\n", audit.status().message().c_str());
    return 1;
  }
  std::printf("audit (decomposed): %.3f s (%.3f s CPU), %d solves, %zu withheld cells, %s\n",
              audit_s, audit_cpu, audit->solves, audit->cells.size(), audit->passed() ? "passed" : "FAILED");
  if (!audit->passed()) std::printf("  %s\n", audit->failures[0].c_str());
  std::fflush(stdout);
  if (!reference) return audit->passed() ? 0 : 1;

  ProtectOptions slow = fast;
  slow.decompose = false;
  slow.time_limit_seconds = reference_limit;
  c0 = Cpu();
  auto ref = Protect(set, slow);
  const double ref_protect_s = Cpu() - c0;
  if (ref.ok()) {
    std::printf("protect (monolithic reference), last month: %.3f s CPU, ratio %.1fx, same "
                "pattern: %s\n",
                ref_protect_s, ref_protect_s / protect_cpu,
                ref->state == last.state ? "yes" : "no (tie)");
  } else {
    std::printf("protect (monolithic reference): %s after %.1f s CPU (ratio > %.1fx)\n",
                ref.status().message().c_str(), ref_protect_s, ref_protect_s / protect_cpu);
  }
  AuditOptions audit_slow;
  audit_slow.decompose = false;
  audit_slow.time_limit_seconds = reference_limit;
  c0 = Cpu();
  auto ref_audit = Audit(set, withheld, audit_slow);
  const double ref_audit_s = Cpu() - c0;
  if (ref_audit.ok()) {
    std::printf("audit (monolithic reference): %.3f s CPU, %d solves, ratio %.1fx, same "
                "ranges: %s\n",
                ref_audit_s, ref_audit->solves, ref_audit_s / audit_cpu,
                SameRanges(*audit, *ref_audit) ? "yes" : "NO");
  } else {
    std::printf("audit (monolithic reference): %s after %.1f s CPU (ratio > %.1fx)\n",
                ref_audit.status().message().c_str(), ref_audit_s, ref_audit_s / audit_cpu);
  }
  return audit->passed() ? 0 : 1;
}
