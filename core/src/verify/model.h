// The attacker's model, rebuilt from published reports alone (docs/auditing.md, check 4).
//
// Every number a report publishes or withholds is a cell, named by CellKey (period, table,
// labels). Cells of different reports with the same key are the same number: a trend cell
// "people_by_month [2026-02]" is the cell "2026-02|people_by_route|Total|Total", and the
// year-to-date table of a previous report is the same period whichever report shows it.
// Relations (sum of coefficient * cell = 0) come from docs/methodology.md, written here
// again rather than taken from the pipeline:
//   - margins: every row, column and grand total of a 2-D table, the total of a 1-D table;
//   - links in a period: the totals of people_by_nationality and people_by_age equal the
//     total of people_by_route; the totals of the 1-D tables of pushback testimonies and every
//     row total of a table of shares equal the total of testimonies_by_route; the column
//     totals of facility_type_conditions equal the row totals of condition_severity, and so do
//     their grand totals;
//   - the year: YTD(m) = YTD(m-1) + month(m), cell by cell, for the published year-to-date
//     tables of one year, through the months that are published and one unknown "gap" cell
//     per label for the months that are not (the trend tables fill the gap of the totals).
//     A label is linked only when it exists in every table of the relation, and "other" only
//     when those tables fold the same categories into it; a total of a table of shares only
//     when its categories are the same in every table of the relation.
//   - releases (Report.basis "release"): YTD(m) = YTD(previous release) + month(m) exactly,
//     with no gap; a category a table does not list but the same table of another release of
//     the year does is a known zero ("other" of nationalities excepted; a type missing from a
//     table of shares is 0 reported and the period's testimonies not reported); a revision
//     links through hidden tables "<year> revision kept/added/removed":
//     revision = kept + added, YTD(previous release) = kept + removed. A release whose previous
//     release is not among the reports is a failure (the series must be whole).
// Cells that no report shows (gaps, a total of a table not published) are hidden unknowns.
#ifndef TVAULT_VERIFY_MODEL_H_
#define TVAULT_VERIFY_MODEL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tvault/v1/report.pb.h"
#include "tvault/verify.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {

// A withheld cell: suppressed by a report (known to be >= 1) or hidden (>= 0).
struct Unknown {
  std::string key;
  bool suppressed = false;
  std::string file;                   // where it is suppressed, for messages
  std::string table;                  // "<period kind>/<name>"
  std::string cell;                   // "[labels]"
  v1::ProtectionSettings protection;  // of the report that suppressed it (completed)
};

struct Relation {
  std::vector<std::pair<std::string, int64_t>> terms;  // cell key, coefficient
  std::string origin;
};

struct Model {
  std::map<std::string, int64_t> published;   // key -> published count
  std::map<std::string, size_t> unknown_index;
  std::vector<Unknown> unknowns;
  std::vector<Relation> relations;
  // Two reports disagree on a number, or a report publishes what another suppresses.
  std::vector<VerifyFailure> conflicts;
  // The keys of every cell the report under check (the first one given) shows.
  std::set<std::string> current_keys;
};

// Builds the model of `reports` (the current one first). REQUIRES: every report parsed and
// its shape checked (malformed tables are skipped, never trusted).
Model BuildModel(const std::vector<const Parsed*>& reports);

// Check 4 on a model (attack.cc): appends to `check` a failure for every suppressed unknown
// that the published numbers disclose exactly (as an LP, or only with integrality) or narrow
// below its protection levels, one note per suppressed unknown with its ranges, and a failure
// naming `file` when the published numbers contradict each other. kUnsupported when the
// solver fails or the time limit runs out: never a pass.
//
// The attacker's problem is solved block by block: published numbers are constants, so the
// unknowns split into independent components (two unknowns are in one when a relation holds
// both), and a cell's range over its own component is its range over the whole problem. With
// `skip_settled`, a component none of whose relations or unknowns touches a cell of the report
// under check is not solved: it is exactly the problem the earlier reports were checked on
// (REQUIRES then: they were, e.g. the ledger's releases, each checked when it was published),
// and an integer program that runs past kGateIntegerMs (attack.cc) is judged on its LP bound:
// the mode of report's gate, behind a self-audit that solves the integer programs itself.
// `witnesses` (report's gate; null for an auditor): integer points checked against `m`
// (witness.h) that spare the solves of cells they already show wide enough.
Status AttackModel(const Model& m, const std::string& file,
                   const std::map<std::string, int64_t>* true_values, double time_limit_seconds,
                   bool skip_settled, const VerifyWitnesses* witnesses, VerifyCheck* check);

}  // namespace tvault::verify_internal

#endif  // TVAULT_VERIFY_MODEL_H_
