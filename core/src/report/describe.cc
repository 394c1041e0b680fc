#include <algorithm>

#include "pipeline/facts.h"
#include "pipeline/tables.h"
#include "report/report_internal.h"

namespace tvault::report_internal {

using pipeline::CellId;
using pipeline::CellState;

std::vector<CellId> CellsOf(const pipeline::Table& t) {
  std::vector<CellId> out = t.interior;
  out.insert(out.end(), t.row_totals.begin(), t.row_totals.end());
  out.insert(out.end(), t.column_totals.begin(), t.column_totals.end());
  out.push_back(t.grand_total);
  return out;
}

pipeline::ProtectionRule RuleOf(const v1::ProtectionSettings& s) {
  pipeline::ProtectionRule r;
  r.k = s.k();
  r.upper_percent = s.upper_percent();
  r.upper_min = s.upper_min();
  r.lower_percent = s.lower_percent();
  r.lower_min = s.lower_min();
  r.width_percent = s.width_percent();
  r.width_min = s.width_min();
  return r;
}

double Percent(uint64_t count, uint64_t base) {
  // round(1000 * count / base) with halves up, then / 10.
  const uint64_t tenths = (2000 * count + base) / (2 * base);
  return static_cast<double>(tenths) / 10.0;
}

namespace {

void FillCell(const pipeline::TableSet& set, CellId id, CellState state, v1::ReportCell* out) {
  const pipeline::Cell& cell = set.cells()[static_cast<size_t>(id)];
  for (const std::string& l : cell.labels) out->add_labels(l);
  if (state == CellState::kPublished) {
    out->set_count(static_cast<uint64_t>(cell.value));
  } else {
    out->set_suppressed(true);
  }
}

}  // namespace

void DescribeTables(const pipeline::TableSet& set, const std::map<std::string, int>& index,
                    const Patterns& patterns, const std::vector<std::string>& tables,
                    const std::string& period, const std::string& period_kind,
                    v1::Report* report) {
  // The base of the percentages: testimonies of the period, when published.
  std::optional<uint64_t> base;
  const std::string base_name = period + "/testimonies_by_route";
  if (auto it = index.find(base_name); it != index.end()) {
    const pipeline::Table& t = set.tables()[static_cast<size_t>(it->second)];
    if (patterns.at(base_name).back() == CellState::kPublished) {
      base = static_cast<uint64_t>(set.cells()[static_cast<size_t>(t.grand_total)].value);
    }
  }
  for (const std::string& name : tables) {
    auto it = index.find(period + "/" + name);
    if (it == index.end()) continue;  // a dimension without categories: nothing to show
    const pipeline::TableSpec& spec = *pipeline::FindTable(name);
    const pipeline::Table& t = set.tables()[static_cast<size_t>(it->second)];
    const std::vector<pipeline::CellState>& states = patterns.at(it->first);
    v1::ReportTable* out = report->add_tables();
    out->set_name(name);
    out->set_title(spec.title);
    out->set_unit(spec.unit == pipeline::Unit::kPeople ? "people" : "testimonies");
    out->set_period(period_kind);
    for (const std::string& d : spec.dimensions) out->add_dimensions(d);
    out->set_k(t.rule.k);
    if (spec.shares) out->set_percent_base("testimonies_by_route Total");
    const std::vector<CellId> cells = CellsOf(t);
    for (size_t i = 0; i < cells.size(); ++i) {
      v1::ReportCell* c = out->add_cells();
      FillCell(set, cells[i], states[i], c);
      // Shares: the "reported" column only, over the period's testimonies.
      if (spec.shares && c->has_count() && base && *base > 0 &&
          c->labels_size() == 2 && c->labels(1) == pipeline::kReportedLabel &&
          c->labels(0) != pipeline::kTotalLabel) {
        c->set_percent(Percent(c->count(), *base));
      }
    }
  }
}

void DescribeTrend(const pipeline::TableSet& set, const std::map<std::string, int>& index,
                   const Patterns& patterns, const std::vector<std::string>& months,
                   v1::Report* report) {
  struct Trend {
    const char* name;
    const char* source;
    const char* title;
    const char* unit;
  };
  const Trend trends[] = {
      {"people_by_month", "people_by_route", "People pushed back, month by month", "people"},
      {"testimonies_by_month", "testimonies_by_route", "Pushback testimonies, month by month",
       "testimonies"},
  };
  for (const Trend& trend : trends) {
    v1::ReportTable out;
    out.set_name(trend.name);
    out.set_title(trend.title);
    out.set_unit(trend.unit);
    out.set_period("by_month");
    out.add_dimensions("month");
    for (const std::string& month : months) {
      const std::string full = month + "/" + trend.source;
      auto it = index.find(full);
      if (it == index.end()) break;
      const pipeline::Table& t = set.tables()[static_cast<size_t>(it->second)];
      out.set_k(t.rule.k);
      v1::ReportCell* c = out.add_cells();
      c->add_labels(month);
      if (patterns.at(full).back() == CellState::kPublished) {
        c->set_count(static_cast<uint64_t>(set.cells()[static_cast<size_t>(t.grand_total)].value));
      } else {
        c->set_suppressed(true);
      }
    }
    if (out.cells_size() == static_cast<int>(months.size())) *report->add_tables() = std::move(out);
  }
}

void DescribeFacilities(const std::vector<v1::Facility>& registry, v1::Report* report) {
  std::vector<std::string> ids;
  for (const v1::ReportTable& t : report->tables()) {
    if (t.name() != "facility_testimonies") continue;
    for (const v1::ReportCell& c : t.cells()) {
      if (c.labels_size() == 1 && c.labels(0) != pipeline::kTotalLabel &&
          std::find(ids.begin(), ids.end(), c.labels(0)) == ids.end()) {
        ids.push_back(c.labels(0));
      }
    }
  }
  for (const std::string& id : ids) {
    for (const v1::Facility& f : registry) {
      if (f.id() != id) continue;
      v1::FacilityLabel* l = report->add_facilities();
      l->set_id(f.id());
      l->set_name(f.name());
      l->set_country(f.country());
      l->set_type(pipeline::FacilityTypeLabel(f.type()));
      break;
    }
  }
}

}  // namespace tvault::report_internal
