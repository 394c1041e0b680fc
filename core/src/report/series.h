// A series of releases (one year) as the publication ledger holds it, turned back into the
// linked tables an attacker holds: every earlier release exactly as it was published (its true
// counts and the state of every cell, read from the ledger, never recomputed), grown to the
// series' current categories, where a category a release did not show is a published zero.
#ifndef TVAULT_REPORT_SERIES_H_
#define TVAULT_REPORT_SERIES_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/tables.h"
#include "report/report_internal.h"
#include "tvault/status.h"
#include "tvault/v1/ledger.pb.h"

namespace tvault::report_internal {

constexpr char kKindMonthly[] = "monthly";
constexpr char kKindRevision[] = "revision";
constexpr char kBasisRelease[] = "release";

pipeline::Categories CategoriesOf(const v1::LedgerCategories& c);
v1::LedgerCategories LedgerCategoriesOf(const pipeline::Categories& c,
                                        const std::set<std::string>& folded);

// "2026-01..2026-05": the year-to-date period of the release of `month`.
std::string YtdPeriodOf(const std::string& month);
// "2026 revision" and its unpublished linking tables ("2026 revision kept", ...).
std::string RevisionPeriod(const std::string& year);

// The linked tables of a series: every period's tables by TableSet name, the states of every
// cell, and the year-to-date tables of the last release added.
struct SeriesStack {
  pipeline::TableSet set;
  std::map<std::string, int> index;   // "<period>/<name>" -> table index
  Patterns patterns;                  // states of earlier releases' cells (CellsOf order)
  pipeline::PeriodTables last_ytd;    // name -> table of the last release's year to date
  std::vector<std::string> months;    // the months of the releases in the stack, in order
};

// Adds every monthly release of `ledger` (one series, in order) to a new stack, grown to
// `cats`: the release's own tables and its year to date, linked YTD(r) = YTD(r-1) + month(r),
// every cell fixed as the release published it (kPublishedBefore or kSuppressedBefore).
// kDamaged when the ledger's counts do not add up.
Result<SeriesStack> StackOfLedger(const std::vector<v1::LedgerRelease>& ledger,
                                  const pipeline::Categories& cats,
                                  const std::vector<std::string>& tables,
                                  const v1::ReportSettings& settings);

// Adds one period's tables with `counts` to `stack` (recording their indices), and links
// them cell by cell: target = sum of `parts` (tables of the same names).
Result<pipeline::PeriodTables> AddLinkedPeriod(SeriesStack* stack, const std::string& period,
                                               const std::vector<std::string>& tables,
                                               const std::map<std::string, pipeline::Counts>& counts,
                                               const pipeline::Categories& cats,
                                               const v1::ReportSettings& settings);
Status LinkCellwise(SeriesStack* stack, const pipeline::PeriodTables& target,
                    const std::vector<const pipeline::PeriodTables*>& parts);

// The counts of a period's tables (name -> counts) as the stack holds them.
std::map<std::string, pipeline::Counts> CountsOf(const SeriesStack& stack,
                                                 const pipeline::PeriodTables& period);

// Every table of `period` in `stack` as the ledger keeps it, with the states of `pattern`.
void AppendLedgerTables(const SeriesStack& stack, const pipeline::PeriodTables& period,
                        const std::string& period_name,
                        const std::vector<pipeline::CellState>& pattern, bool hidden,
                        v1::LedgerRelease* out);

// A certificate of the protection: changed cells, ascending, and by how much.
using Certificate = std::vector<std::pair<pipeline::CellId, int64_t>>;

// Appends the certificates of the protection (SuppressionPattern::certificates) to the ledger
// entry `out`, each cell named by period, table and labels. A certificate that moves a cell of
// no table of the stack is left out.
void AppendCertificates(const SeriesStack& stack, const std::vector<Certificate>& certificates,
                        v1::LedgerRelease* out);

// The certificates of the release `previous` (the last of the series) as candidates for this
// release's protection (ProtectOptions::seeds): cells found in the stack by name, and every
// change of a cell of the year to date `ytd_before` repeated on the same cell of `ytd_now`,
// which the link YTD(now) = YTD(before) + month(now) needs. One that names a cell the stack
// does not hold is left out. Protect checks each before using it.
std::vector<Certificate> SeedsOf(const SeriesStack& stack, const v1::LedgerRelease& previous,
                                 const std::string& ytd_before, const std::string& ytd_now);

}  // namespace tvault::report_internal

#endif  // TVAULT_REPORT_SERIES_H_
