#include "pipeline/table_set.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace tvault::pipeline {
namespace {

// ceil(percent * v / 100), with a small tolerance so that 30% of 10 is 3 and not 4 when the
// product is computed as 3.0000000000000004.
int64_t PercentCeil(double percent, int64_t v) {
  const double x = percent * static_cast<double>(v) / 100.0;
  return static_cast<int64_t>(std::ceil(x - 1e-9));
}

std::string JoinLabels(const std::vector<std::string>& labels) {
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i];
  }
  return out;
}

Status CheckLabels(const std::vector<std::string>& labels, const std::string& table) {
  if (labels.empty()) return InvalidArgument("table '" + table + "' has an empty dimension");
  std::set<std::string> seen;
  for (const std::string& l : labels) {
    if (l.empty() || l == kTotalLabel) {
      return InvalidArgument("table '" + table + "' has an empty or reserved label '" + l + "'");
    }
    if (!seen.insert(l).second) {
      return InvalidArgument("table '" + table + "' repeats the label '" + l + "'");
    }
  }
  return Status::Ok();
}

// Every cell of a table in a fixed order: interior, row totals, column totals, grand total.
std::vector<CellId> AllCellsOf(const Table& t) {
  std::vector<CellId> out = t.interior;
  out.insert(out.end(), t.row_totals.begin(), t.row_totals.end());
  out.insert(out.end(), t.column_totals.begin(), t.column_totals.end());
  out.push_back(t.grand_total);
  return out;
}

}  // namespace

ProtectionRule PeopleRule() { return ProtectionRule{}; }

ProtectionRule TestimonyRule() {
  ProtectionRule rule;
  rule.k = 3;
  return rule;
}

Status ValidateRule(const ProtectionRule& r) {
  if (r.k < 1 || r.k > kMaxCellValue) return InvalidArgument("threshold k must be >= 1");
  for (double p : {r.upper_percent, r.lower_percent, r.width_percent}) {
    if (!std::isfinite(p) || p < 0 || p > 1000) {
      return InvalidArgument("a protection percentage is outside [0, 1000]");
    }
  }
  for (int64_t m : {r.upper_min, r.lower_min, r.width_min}) {
    if (m < 0 || m > 1000000) return InvalidArgument("a protection minimum is outside [0, 1e6]");
  }
  return Status::Ok();
}

bool IsSensitive(const ProtectionRule& rule, int64_t v) { return v > 0 && v < rule.k; }

int64_t UpperProtection(const ProtectionRule& r, int64_t v) {
  return std::max(PercentCeil(r.upper_percent, v), r.upper_min);
}

int64_t LowerProtection(const ProtectionRule& r, int64_t v) {
  return std::min(std::max(PercentCeil(r.lower_percent, v), r.lower_min), v - 1);
}

int64_t WidthProtection(const ProtectionRule& r, int64_t v) {
  return std::max(PercentCeil(r.width_percent, v), r.width_min);
}

Status TableSet::CheckNewTable(const std::string& name, const ProtectionRule& rule,
                               const std::vector<std::vector<std::string>>& dims) const {
  if (name.empty()) return InvalidArgument("a table needs a name");
  for (const Table& t : tables_) {
    if (t.name == name) return InvalidArgument("table '" + name + "' already exists");
  }
  TVAULT_RETURN_IF_ERROR(ValidateRule(rule).WithContext("table '" + name + "'"));
  for (const auto& d : dims) TVAULT_RETURN_IF_ERROR(CheckLabels(d, name));
  return Status::Ok();
}

CellId TableSet::NewCell(int table, std::vector<std::string> labels, int64_t value) {
  Cell c;
  c.id = static_cast<CellId>(cells_.size());
  c.table = table;
  c.labels = std::move(labels);
  c.value = value;
  cells_.push_back(std::move(c));
  return cells_.back().id;
}

Status TableSet::AddRelation(std::vector<std::pair<CellId, int64_t>> terms,
                             std::string origin) {
  std::map<CellId, int64_t> merged;
  for (const auto& [cell, coef] : terms) {
    if (!ValidCell(cell)) return NotFound("relation " + origin + " names an unknown cell");
    merged[cell] += coef;
  }
  Relation rel;
  rel.origin = std::move(origin);
  int64_t sum = 0;
  for (const auto& [cell, coef] : merged) {
    if (coef == 0) continue;
    rel.terms.emplace_back(cell, coef);
    // Values are <= 2^40 and coefficients small, so this cannot overflow for sane inputs;
    // guard anyway.
    if (coef > 1000000 || coef < -1000000) {
      return InvalidArgument("relation " + rel.origin + " has a coefficient out of range");
    }
    sum += coef * cells_[cell].value;
  }
  if (rel.terms.empty()) return Status::Ok();  // 0 == 0 says nothing
  if (sum != 0) {
    return InvalidArgument("the counts do not satisfy relation " + rel.origin);
  }
  relations_.push_back(std::move(rel));
  return Status::Ok();
}

Result<int> TableSet::AddTable2D(const std::string& name, const ProtectionRule& rule,
                                 const std::vector<std::string>& rows,
                                 const std::vector<std::string>& columns,
                                 const std::vector<std::vector<int64_t>>& counts) {
  TVAULT_RETURN_IF_ERROR(CheckNewTable(name, rule, {rows, columns}));
  if (counts.size() != rows.size()) {
    return InvalidArgument("table '" + name + "': counts do not have one row per label");
  }
  std::vector<int64_t> row_sum(rows.size(), 0), col_sum(columns.size(), 0);
  int64_t grand = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (counts[r].size() != columns.size()) {
      return InvalidArgument("table '" + name + "': row '" + rows[r] + "' has the wrong width");
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      const int64_t v = counts[r][c];
      if (v < 0 || v > kMaxCellValue) {
        return InvalidArgument("table '" + name + "': a count is negative or too large");
      }
      row_sum[r] += v;
      col_sum[c] += v;
      grand += v;
      if (grand > kMaxCellValue) return InvalidArgument("table '" + name + "': total too large");
    }
  }
  const int t = static_cast<int>(tables_.size());
  Table table;
  table.name = name;
  table.rule = rule;
  table.dims = {rows, columns};
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      table.interior.push_back(NewCell(t, {rows[r], columns[c]}, counts[r][c]));
    }
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    table.row_totals.push_back(NewCell(t, {rows[r], kTotalLabel}, row_sum[r]));
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    table.column_totals.push_back(NewCell(t, {kTotalLabel, columns[c]}, col_sum[c]));
  }
  table.grand_total = NewCell(t, {kTotalLabel, kTotalLabel}, grand);
  tables_.push_back(table);

  const size_t nc = columns.size();
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::pair<CellId, int64_t>> terms = {{table.row_totals[r], -1}};
    for (size_t c = 0; c < nc; ++c) terms.emplace_back(table.interior[r * nc + c], 1);
    TVAULT_RETURN_IF_ERROR(
        AddRelation(std::move(terms), "row '" + rows[r] + "' of table '" + name + "'"));
  }
  for (size_t c = 0; c < nc; ++c) {
    std::vector<std::pair<CellId, int64_t>> terms = {{table.column_totals[c], -1}};
    for (size_t r = 0; r < rows.size(); ++r) terms.emplace_back(table.interior[r * nc + c], 1);
    TVAULT_RETURN_IF_ERROR(
        AddRelation(std::move(terms), "column '" + columns[c] + "' of table '" + name + "'"));
  }
  std::vector<std::pair<CellId, int64_t>> by_rows = {{table.grand_total, -1}};
  for (CellId id : table.row_totals) by_rows.emplace_back(id, 1);
  TVAULT_RETURN_IF_ERROR(AddRelation(std::move(by_rows), "row totals of table '" + name + "'"));
  std::vector<std::pair<CellId, int64_t>> by_cols = {{table.grand_total, -1}};
  for (CellId id : table.column_totals) by_cols.emplace_back(id, 1);
  TVAULT_RETURN_IF_ERROR(
      AddRelation(std::move(by_cols), "column totals of table '" + name + "'"));
  return t;
}

Result<int> TableSet::AddTable1D(const std::string& name, const ProtectionRule& rule,
                                 const std::vector<std::string>& labels,
                                 const std::vector<int64_t>& counts) {
  TVAULT_RETURN_IF_ERROR(CheckNewTable(name, rule, {labels}));
  if (counts.size() != labels.size()) {
    return InvalidArgument("table '" + name + "': counts do not have one value per label");
  }
  int64_t total = 0;
  for (int64_t v : counts) {
    if (v < 0 || v > kMaxCellValue) {
      return InvalidArgument("table '" + name + "': a count is negative or too large");
    }
    total += v;
    if (total > kMaxCellValue) return InvalidArgument("table '" + name + "': total too large");
  }
  const int t = static_cast<int>(tables_.size());
  Table table;
  table.name = name;
  table.rule = rule;
  table.dims = {labels};
  for (size_t i = 0; i < labels.size(); ++i) {
    table.interior.push_back(NewCell(t, {labels[i]}, counts[i]));
  }
  table.grand_total = NewCell(t, {kTotalLabel}, total);
  tables_.push_back(table);
  std::vector<std::pair<CellId, int64_t>> terms = {{table.grand_total, -1}};
  for (CellId id : table.interior) terms.emplace_back(id, 1);
  TVAULT_RETURN_IF_ERROR(AddRelation(std::move(terms), "total of table '" + name + "'"));
  return t;
}

Status TableSet::AddSumRelation(CellId target, const std::vector<CellId>& parts,
                                const std::string& origin) {
  if (!ValidCell(target)) return NotFound("relation " + origin + " names an unknown cell");
  std::vector<std::pair<CellId, int64_t>> terms = {{target, -1}};
  for (CellId p : parts) terms.emplace_back(p, 1);
  return AddRelation(std::move(terms), origin);
}

Status TableSet::AddCellwiseSum(int target, const std::vector<int>& sources) {
  const int nt = static_cast<int>(tables_.size());
  if (target < 0 || target >= nt) return NotFound("unknown target table");
  const Table& tt = tables_[target];
  std::vector<const Table*> src;
  for (int s : sources) {
    if (s < 0 || s >= nt || s == target) return NotFound("unknown or self source table");
    if (tables_[s].dims != tt.dims) {
      return InvalidArgument("table '" + tables_[s].name + "' does not have the shape of '" +
                             tt.name + "'");
    }
    src.push_back(&tables_[s]);
  }
  const std::vector<CellId> target_cells = AllCellsOf(tt);
  std::vector<std::vector<CellId>> source_cells;
  for (const Table* s : src) source_cells.push_back(AllCellsOf(*s));
  for (size_t i = 0; i < target_cells.size(); ++i) {
    std::vector<CellId> parts;
    for (const auto& cells : source_cells) parts.push_back(cells[i]);
    TVAULT_RETURN_IF_ERROR(AddSumRelation(target_cells[i], parts,
                                          "cellwise sum into table '" + tt.name + "'"));
  }
  return Status::Ok();
}

Status TableSet::AddMarginLink(int two_d, int axis, int one_d) {
  const int nt = static_cast<int>(tables_.size());
  if (two_d < 0 || two_d >= nt || one_d < 0 || one_d >= nt) return NotFound("unknown table");
  const Table& a = tables_[two_d];
  const Table& b = tables_[one_d];
  if (a.dims.size() != 2 || b.dims.size() != 1 || (axis != 0 && axis != 1)) {
    return InvalidArgument("a margin link needs a 2-D table, an axis 0 or 1, and a 1-D table");
  }
  const std::vector<std::string>& labels = a.dims[axis];
  const std::vector<CellId>& margin = axis == 0 ? a.row_totals : a.column_totals;
  if (std::set<std::string>(labels.begin(), labels.end()) !=
      std::set<std::string>(b.dims[0].begin(), b.dims[0].end())) {
    return InvalidArgument("tables '" + a.name + "' and '" + b.name + "' have different labels");
  }
  const std::string origin = "margin of '" + a.name + "' shared with '" + b.name + "'";
  for (size_t i = 0; i < labels.size(); ++i) {
    const size_t j = std::find(b.dims[0].begin(), b.dims[0].end(), labels[i]) - b.dims[0].begin();
    TVAULT_RETURN_IF_ERROR(AddSumRelation(b.interior[j], {margin[i]}, origin));
  }
  return AddSumRelation(b.grand_total, {a.grand_total}, origin);
}

Status TableSet::SetHidden(CellId cell, bool hidden) {
  if (!ValidCell(cell)) return NotFound("unknown cell");
  cells_[cell].hidden = hidden;
  return Status::Ok();
}

Status TableSet::SetPrior(CellId cell, Prior prior) {
  if (!ValidCell(cell)) return NotFound("unknown cell");
  cells_[cell].prior = prior;
  return Status::Ok();
}

Status TableSet::SetTablePrior(int table, Prior prior) {
  if (table < 0 || table >= static_cast<int>(tables_.size())) return NotFound("unknown table");
  for (Cell& c : cells_) {
    if (c.table == table) c.prior = prior;
  }
  return Status::Ok();
}

Result<CellId> TableSet::Find(const std::string& table,
                              const std::vector<std::string>& labels) const {
  for (const Cell& c : cells_) {
    if (tables_[c.table].name == table && c.labels == labels) return c.id;
  }
  return NotFound("no cell [" + JoinLabels(labels) + "] in table '" + table + "'");
}

std::string TableSet::CellName(CellId cell) const {
  const Cell& c = cells_[cell];
  return "table '" + tables_[c.table].name + "' [" + JoinLabels(c.labels) + "]";
}

}  // namespace tvault::pipeline
