// The true count of every cell of a report's year, from the store, for the exact protection
// verdict of the full audit. For a report made before the release basis, TrueCounts reads the
// same facts as the report (select, generalise, aggregate: core/src/pipeline/facts.* and
// tables.*) but nothing of protection or self-audit. A release cannot be recounted (its counts
// depend on what had arrived when it was made): LedgerTrueCounts reads them from the
// publication ledger, where the release recorded the true count of every cell it published or
// hid.
#include "pipeline/facts.h"
#include "pipeline/tables.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {
namespace {

using pipeline::Counts;

// Emits every cell of one table with its margins, as CellKey -> count. With `skip_other`,
// cells labelled "other" are left out: an earlier report may have folded other categories.
void Emit(const std::string& period, const pipeline::TableSpec& spec,
          const pipeline::Categories& cats, const Counts& c, bool skip_other,
          std::map<std::string, int64_t>* out) {
  if (c.empty()) return;
  const std::vector<std::string> rows = pipeline::RowLabels(spec, cats);
  const std::vector<std::string> cols = pipeline::ColumnLabels(spec, cats);
  const std::string total = pipeline::kTotalLabel;
  auto put = [&](const std::vector<std::string>& labels, int64_t v) {
    for (const std::string& l : labels) {
      if (skip_other && l == pipeline::kOtherLabel) return;
    }
    (*out)[CellKey(period, spec.name, labels)] = v;
  };
  if (spec.dimensions.size() == 1) {
    int64_t sum = 0;
    for (size_t i = 0; i < rows.size(); ++i) put({rows[i]}, c[0][i]), sum += c[0][i];
    put({total}, sum);
    return;
  }
  std::vector<int64_t> col_sums(cols.size(), 0);
  int64_t grand = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    int64_t row_sum = 0;
    for (size_t k = 0; k < cols.size(); ++k) {
      put({rows[r], cols[k]}, c[r][k]);
      row_sum += c[r][k];
      col_sums[k] += c[r][k];
    }
    put({rows[r], total}, row_sum);
    grand += row_sum;
  }
  for (size_t k = 0; k < cols.size(); ++k) put({total, cols[k]}, col_sums[k]);
  put({total, total}, grand);
}

}  // namespace

Status TrueCounts(Store& store, const std::string& month, const v1::ReportSettings& settings,
                  std::map<std::string, int64_t>* out) {
  const std::string year = month.substr(0, 4);
  const int months = std::stoi(month.substr(5, 2));
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::Facility> registry, store.ListFacilities());
  pipeline::YearCollector collector(months, pipeline::FacilityTypeLabels(registry));
  TVAULT_RETURN_IF_ERROR(store.ScanForReport(
      year + "-01", month, [&](ScannedRecord&& r) { return collector.Add(r); }));
  std::vector<pipeline::MonthFacts> facts = collector.Take();
  const pipeline::Categories cats =
      pipeline::ChooseCategories(settings.nationality_min_people(), &facts);
  std::map<std::string, Counts> ytd;
  for (int m = 0; m < months; ++m) {
    const std::string name = year + "-" + (m < 9 ? "0" : "") + std::to_string(m + 1);
    const bool current = m + 1 == months;
    for (const pipeline::TableSpec& spec : pipeline::TableCatalogue()) {
      const Counts c = pipeline::CountTable(spec, cats, facts[static_cast<size_t>(m)]);
      Counts& y = ytd[spec.name];
      if (y.empty()) {
        y = c;
      } else {
        for (size_t i = 0; i < y.size() && i < c.size(); ++i) {
          for (size_t j = 0; j < y[i].size() && j < c[i].size(); ++j) y[i][j] += c[i][j];
        }
      }
      Emit(name, spec, cats, c, !current, out);
      Emit(year + "-01.." + name, spec, cats, y, !current, out);
    }
  }
  return Status::Ok();
}

std::vector<std::vector<std::string>> LedgerCellLabels(const v1::LedgerTable& t) {
  const std::string total = pipeline::kTotalLabel;
  const std::vector<std::string> rows(t.rows().begin(), t.rows().end());
  const std::vector<std::string> cols(t.columns().begin(), t.columns().end());
  std::vector<std::vector<std::string>> labels;
  if (cols.empty()) {
    for (const std::string& r : rows) labels.push_back({r});
    labels.push_back({total});
  } else {
    for (const std::string& r : rows)
      for (const std::string& c : cols) labels.push_back({r, c});
    for (const std::string& r : rows) labels.push_back({r, total});
    for (const std::string& c : cols) labels.push_back({total, c});
    labels.push_back({total, total});
  }
  return labels;
}

Status LedgerTrueCounts(const v1::LedgerRelease& release, std::map<std::string, int64_t>* out) {
  for (const v1::LedgerTable& t : release.tables()) {
    const std::vector<std::vector<std::string>> labels = LedgerCellLabels(t);
    if (static_cast<size_t>(t.values_size()) != labels.size()) {
      return Damaged("the ledger's table " + t.period() + "/" + t.name() + " of the release of " +
                     release.month() + " has " + std::to_string(t.values_size()) +
                     " values for " + std::to_string(labels.size()) + " cells");
    }
    for (size_t i = 0; i < labels.size(); ++i) {
      (*out)[CellKey(t.period(), t.name(), labels[i])] = t.values(static_cast<int>(i));
    }
  }
  return Status::Ok();
}

}  // namespace tvault::verify_internal
