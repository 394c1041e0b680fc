// Shared by the files of core/src/report/: the suppression states of a whole stack of reports
// and how its tables become v1::ReportTable messages.
#ifndef TVAULT_REPORT_REPORT_INTERNAL_H_
#define TVAULT_REPORT_REPORT_INTERNAL_H_

#include <map>
#include <string>
#include <vector>

#include "pipeline/protect.h"
#include "pipeline/table_set.h"
#include "tvault/status.h"
#include "tvault/v1/report.pb.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::report_internal {

// The protection rule a ProtectionSettings message describes (field by field).
pipeline::ProtectionRule RuleOf(const v1::ProtectionSettings& s);

// TableSet name ("<period>/<table>") -> the state of each of its cells, in CellsOf order.
using Patterns = std::map<std::string, std::vector<pipeline::CellState>>;

// Every cell of a table in the published order: interior, row totals, column totals, total.
std::vector<pipeline::CellId> CellsOf(const pipeline::Table& t);

// Appends the tables `tables` of `period` ("2026-10" or "2026-01..2026-10") to `report`, with
// `period_kind` "month" or "year_to_date". Percentages of tables of shares are taken over the
// grand total of testimonies_by_route of the same period.
void DescribeTables(const pipeline::TableSet& set, const std::map<std::string, int>& index,
                    const Patterns& patterns, const std::vector<std::string>& tables,
                    const std::string& period, const std::string& period_kind,
                    v1::Report* report);

// Appends people_by_month and testimonies_by_month: the grand totals of the own tables of each
// release of `months` (the year's releases so far), as each release published them
// (suppressed where it suppressed them).
void DescribeTrend(const pipeline::TableSet& set, const std::map<std::string, int>& index,
                   const Patterns& patterns, const std::vector<std::string>& months,
                   v1::Report* report);

// Appends to `report` the registry name, country and type of every facility of its
// facility_testimonies tables (in their order; an id the registry no longer holds is left
// out, and report.html shows its id).
void DescribeFacilities(const std::vector<v1::Facility>& registry, v1::Report* report);

// Percent = count / base * 100, rounded half up to one decimal, in exact integer arithmetic.
// REQUIRES: base > 0.
double Percent(uint64_t count, uint64_t base);

// The protobuf JSON mapping exactly as docs/formats.md fixes it for report.json and
// manifest.json (snake_case names, two-space indent, defaults printed). kInternal only on a bug.
Result<std::string> CanonicalJson(const google::protobuf::Message& m);

// Lower-case hex SHA-256 of `bytes`, as the manifest lists files.
std::string HexSha256(const std::string& bytes);

// "<month>-<period>-<name>.csv", e.g. "2026-04-month-people_by_route.csv"; a revision's
// "<year>-revision-<name>.csv".
std::string CsvFileName(const v1::Report& r, const v1::ReportTable& t);

// A table as tidy CSV (RFC 4180, CRLF, UTF-8; docs/formats.md): a header "period,period_kind,
// table,unit,<dimension names>,total,value,status,percent", then one row per cell of `t` in
// report.json's order: value empty and status kSuppressedMarker when suppressed, "published"
// otherwise; total "true" on a margin.
std::string RenderCsv(const v1::Report& r, const v1::ReportTable& t);

// report.html for readers (docs/formats.md, "report.html"): self-contained (no script, no
// external resource), in the language of manifest.language() (labels.h; REQUIRES: a known
// one). Every number on it is a published cell of report.json (or a threshold of the
// manifest's settings), tagged with the cell it shows.
std::string RenderHtml(const v1::Report& report, const v1::Manifest& manifest);

// Format 1 of the folder (kReportFormatV1; format_v1.cc), which verify still checks: the CSV
// file name "<period>-<name>.csv"; the canonical JSON of format 1 (CanonicalJson without the
// fields format 2 added, which must be empty); and format 1's report.html, byte for byte.
std::string CsvFileNameV1(const v1::ReportTable& t);
Result<std::string> CanonicalJsonV1(const google::protobuf::Message& m);
std::string RenderHtmlV1(const v1::Report& report, const v1::Manifest& manifest);

}  // namespace tvault::report_internal

#endif  // TVAULT_REPORT_REPORT_INTERNAL_H_
