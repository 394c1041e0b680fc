// The "aggregate" stage: the fixed catalogue of published tables, their categories, and how
// the facts of a period fill them. docs/methodology.md describes every table.
#ifndef TVAULT_PIPELINE_TABLES_H_
#define TVAULT_PIPELINE_TABLES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/facts.h"
#include "pipeline/table_set.h"
#include "tvault/status.h"

namespace tvault::pipeline {

enum class Unit { kPeople, kTestimonies };

// Column labels of the tables of shares (a testimony mentions a type or it does not).
constexpr char kReportedLabel[] = "reported";
constexpr char kNotReportedLabel[] = "not reported";

struct TableSpec {
  std::string name;                     // e.g. "people_by_route"
  std::string title;                    // for readers
  Unit unit;
  std::vector<std::string> dimensions;  // one or two names
  // A table of shares: rows are types, columns kReportedLabel / kNotReportedLabel, and every
  // row total equals the number of testimonies (the base of its percentages).
  bool shares = false;
  // Added to the catalogue after series had begun (issue 20). Earlier releases in a ledger do
  // not have it, and a table that appears in the middle of a series has no year to date to
  // link to: it is published only in a series whose first release has it (TablesOfSeries).
  bool added_later = false;
};

// Every table, in publication order.
const std::vector<TableSpec>& TableCatalogue();
const TableSpec* FindTable(const std::string& name);

// The tables of `wanted` (catalogue names, in catalogue order) that a release of a series
// publishes: every one when the release is the first of its series (`previous` null), and
// otherwise every one that is not added_later and every added_later one that `previous` (the
// table names of the series' previous release) holds.
std::vector<std::string> TablesOfSeries(const std::vector<std::string>& wanted,
                                        const std::set<std::string>* previous);

// The categories of every dimension, fixed for a whole report (all its months), so that the
// tables of every period have the same shape and a year-to-date table is the cell-wise sum of
// its months. Derived from the facts of the year to date.
struct Categories {
  std::vector<std::string> from, to;           // countries seen
  std::vector<std::string> nationalities;      // kept codes, then kOtherLabel, kUnknownLabel
  std::vector<std::string> violence, perpetrators;  // lower-case enum names seen
  std::vector<std::string> facilities, facility_types, conditions, severities;
};

// The categories of closed lists, every value but UNSPECIFIED, in the order readers know from
// the forms: violence types, perpetrator types, conditions, severities (enum order) and
// facility types (sorted labels). A release publishes every one of them every time, so that
// no category can first appear in the middle of a series.
Categories ClosedCategories();

// The categories of a series after one more release (docs/methodology.md, section 5):
// `before` (the series' categories so far, with `folded_before`, the nationalities folded into
// kOtherLabel when first seen) grown by what `facts` shows, the closed lists in full. A
// nationality first seen now gets its own category when it has at least
// `nationality_min_people` people in `facts`, and is folded for the rest of the series
// otherwise; a category once in a series stays. Folds `facts` accordingly and adds the newly
// folded codes to `folded`.
Categories GrowCategories(const Categories& before, const std::set<std::string>& folded_before,
                          uint32_t nationality_min_people, MonthFacts* facts,
                          std::set<std::string>* folded);

// Chooses the categories and folds rare nationalities (fewer than `nationality_min_people`
// people in the year to date) into kOtherLabel in every month of `months`.
Categories ChooseCategories(uint32_t nationality_min_people, std::vector<MonthFacts>* months);

// The counts of one table: rows x columns for 2-D, one row for 1-D.
using Counts = std::vector<std::vector<int64_t>>;

// The counts of table `spec` over `facts`. The shape follows `cats`; empty when a dimension
// has no category (the table is then left out of the report).
Counts CountTable(const TableSpec& spec, const Categories& cats, const MonthFacts& facts);

// Row and column labels of a table (columns empty for 1-D).
std::vector<std::string> RowLabels(const TableSpec& spec, const Categories& cats);
std::vector<std::string> ColumnLabels(const TableSpec& spec, const Categories& cats);

// The tables of one period as added to a TableSet: catalogue name -> TableSet index.
using PeriodTables = std::map<std::string, int>;

// Adds the tables `names` of one period (their TableSet names are "<period>/<name>") with the
// given counts, and the links between them: every table of people has the same total as
// people_by_route, every table of pushback testimonies (and each row of a table of shares) the
// same total as testimonies_by_route, facility_testimonies_by_arrival and facility_stay_length the same
// total as facility_testimonies, and condition_severity's rows are facility_type_conditions'
// columns.
Result<PeriodTables> AddPeriod(TableSet& set, const std::string& period,
                               const std::vector<std::string>& names,
                               const std::map<std::string, Counts>& counts,
                               const Categories& cats, const ProtectionRule& people,
                               const ProtectionRule& testimonies);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_TABLES_H_
