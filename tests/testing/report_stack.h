// A realistic stack of linked report tables for the protect and self-audit stages, shared by
// the tests and bench/pipeline_scale.cc: per month the tables of a monthly report (people and
// testimonies by pushed-from x pushed-to, people by pushed-from, violence types,
// nationalities, age bands, asylum intention, chain pushbacks, perpetrators, facility x
// condition), and from the second month their year-to-date tables, linked by
// YTD(2) = M(1) + M(2) and YTD(m) = YTD(m-1) + M(m). Counts are deterministic pseudo-random
// draws (Poisson with per-cell means spread log-uniformly over [min_mean, max_mean]), so many
// cells are small.
#ifndef TVAULT_TESTS_TESTING_REPORT_STACK_H_
#define TVAULT_TESTS_TESTING_REPORT_STACK_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "pipeline/protect.h"
#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::testing {

// Category counts of one month's tables.
struct ReportShape {
  int countries = 8;
  int violence_types = 18;
  int nationalities = 15;
  int age_bands = 6;
  int asylum = 3;
  int chain = 3;
  int perpetrators = 11;
  int facilities = 25;
  int conditions = 13;
  double min_mean = 0.5;
  double max_mean = 20.0;

  // The report as it will be published (the defaults above).
  static ReportShape Real() { return ReportShape{}; }
  // A miniature with the same links, small enough for the monolithic reference solvers.
  static ReportShape Small();
};

// Builds months 1..`months` (>= 1) of `shape`. The cells of the first prior.size() ids get
// those priors: building m months gives the cells of months 1..m-1 the same ids as building
// m-1 months, so the priors of an earlier run carry over.
Result<pipeline::TableSet> BuildReportStack(const ReportShape& shape, int months,
                                            uint32_t seed,
                                            const std::vector<pipeline::Prior>& prior);

// What an attacker holds after month `months` of a year protected month by month.
struct ProtectedStack {
  pipeline::TableSet set;             // every month so far, earlier months with their priors
  pipeline::SuppressionPattern last;  // the last month's pattern over the whole set
  std::vector<pipeline::Prior> prior; // the priors the last month was protected under
  double last_seconds = 0;            // time of the last month's Protect
  double total_seconds = 0;           // time of all months' Protect
};

// Protects month 1, then month 2 with month 1's published and suppressed cells as priors, and
// so on up to `months`, as the monthly reports would be produced. `on_month`, when set, is
// called after each month with its number, set, pattern and Protect time.
using MonthDone = std::function<void(int month, const pipeline::TableSet& set,
                                     const pipeline::SuppressionPattern& pattern,
                                     double seconds)>;
Result<ProtectedStack> ProtectMonthByMonth(const ReportShape& shape, int months, uint32_t seed,
                                           const pipeline::ProtectOptions& options,
                                           const MonthDone& on_month = nullptr);

// The suppressed cells of a pattern, as the self-audit takes them.
std::vector<bool> SuppressedCells(const pipeline::SuppressionPattern& pattern);

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_REPORT_STACK_H_
