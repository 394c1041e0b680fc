// BuildModel: the cells and relations of model.h from the published reports.
#include "verify/model.h"

#include <algorithm>
#include <set>

#include "tvault/report.h"

namespace tvault::verify_internal {
namespace {

constexpr char kTotal[] = "Total";

// The structure of one published table: its row and column labels (columns empty for 1-D).
struct Shape {
  std::vector<std::string> rows, cols;
  bool two_d = false;
};

class Builder {
 public:
  Model Take() { return std::move(m_); }

  void AddReport(const Parsed& p) {
    Result<v1::ReportSettings> s = CompleteReportSettings(p.manifest.settings());
    const v1::ReportSettings settings = s.ok() ? *s : p.manifest.settings();
    const std::string year = p.report.month().substr(0, 4);
    for (const v1::ReportTable& t : p.report.tables()) {
      const v1::ProtectionSettings& prot =
          t.unit() == "people" ? settings.people() : settings.testimonies();
      if (t.period() == "by_month") {
        const std::string source =
            t.name() == "people_by_month" ? "people_by_route" : "testimonies_by_route";
        for (const v1::ReportCell& c : t.cells()) {
          if (c.labels_size() != 1) continue;
          AddCell(p, t, c, CellKey(c.labels(0), source, {kTotal, kTotal}), prot);
        }
        continue;
      }
      const std::string period = PeriodOf(p.report, t);
      Shape shape;
      shape.two_d = t.dimensions_size() == 2;
      for (const v1::ReportCell& c : t.cells()) {
        if (c.labels_size() != t.dimensions_size()) return;  // malformed: shape failed it
        std::vector<std::string> labels(c.labels().begin(), c.labels().end());
        AddCell(p, t, c, CellKey(period, t.name(), labels), prot);
        if (labels[0] != kTotal && std::find(shape.rows.begin(), shape.rows.end(), labels[0]) ==
                                       shape.rows.end()) {
          shape.rows.push_back(labels[0]);
        }
        if (shape.two_d && labels[1] != kTotal &&
            std::find(shape.cols.begin(), shape.cols.end(), labels[1]) == shape.cols.end()) {
          shape.cols.push_back(labels[1]);
        }
      }
      if (shapes_.emplace(std::make_pair(period, t.name()), shape).second) {
        AddMargins(period, t.name(), shape);
        periods_[year].insert(period);
      }
    }
  }

  // Links inside every period, then the year-to-date chain of every year.
  void AddLinks() {
    for (const auto& [year, periods] : periods_) {
      for (const std::string& period : periods) AddPeriodLinks(period);
      AddChain(year);
    }
  }

 private:
  void AddCell(const Parsed& p, const v1::ReportTable& t, const v1::ReportCell& c,
               const std::string& key, const v1::ProtectionSettings& prot) {
    const std::string file = p.Name(kReportJsonFile);
    if (c.has_count()) {
      auto [it, added] = m_.published.emplace(key, c.count());
      if (!added && it->second != c.count()) {
        m_.conflicts.push_back({file, TableName(t), CellName(c),
                                "publishes " + std::to_string(c.count()) +
                                    " where another report publishes " +
                                    std::to_string(it->second) + " for the same number"});
      }
      return;
    }
    if (m_.unknown_index.count(key)) return;
    m_.unknown_index[key] = m_.unknowns.size();
    m_.unknowns.push_back({key, true, file, TableName(t), CellName(c), prot});
  }

  void Rel(std::vector<std::pair<std::string, int64_t>> terms, std::string origin) {
    m_.relations.push_back({std::move(terms), std::move(origin)});
  }

  void AddMargins(const std::string& period, const std::string& name, const Shape& s) {
    auto key = [&](const std::string& a, const std::string& b) {
      return s.two_d ? CellKey(period, name, {a, b}) : CellKey(period, name, {a});
    };
    const std::string where = period + "/" + name;
    if (!s.two_d) {
      std::vector<std::pair<std::string, int64_t>> t = {{key(kTotal, ""), 1}};
      for (const std::string& r : s.rows) t.push_back({key(r, ""), -1});
      return Rel(std::move(t), "total of " + where);
    }
    std::vector<std::pair<std::string, int64_t>> grand_rows = {{key(kTotal, kTotal), 1}};
    std::vector<std::pair<std::string, int64_t>> grand_cols = grand_rows;
    for (const std::string& r : s.rows) {
      std::vector<std::pair<std::string, int64_t>> t = {{key(r, kTotal), 1}};
      for (const std::string& c : s.cols) t.push_back({key(r, c), -1});
      Rel(std::move(t), "row " + r + " of " + where);
      grand_rows.push_back({key(r, kTotal), -1});
    }
    for (const std::string& c : s.cols) {
      std::vector<std::pair<std::string, int64_t>> t = {{key(kTotal, c), 1}};
      for (const std::string& r : s.rows) t.push_back({key(r, c), -1});
      Rel(std::move(t), "column " + c + " of " + where);
      grand_cols.push_back({key(kTotal, c), -1});
    }
    Rel(std::move(grand_rows), "grand total of " + where + " (rows)");
    Rel(std::move(grand_cols), "grand total of " + where + " (columns)");
  }

  const Shape* Find(const std::string& period, const std::string& name) const {
    auto it = shapes_.find({period, name});
    return it == shapes_.end() ? nullptr : &it->second;
  }

  void AddPeriodLinks(const std::string& period) {
    const std::string people = CellKey(period, "people_by_route", {kTotal, kTotal});
    const std::string testimonies = CellKey(period, "testimonies_by_route", {kTotal, kTotal});
    for (const char* name : {"people_by_nationality", "people_by_age"}) {
      if (Find(period, name)) {
        Rel({{CellKey(period, name, {kTotal}), 1}, {people, -1}},
            period + ": total of " + name + " = people");
      }
    }
    for (const char* name : {"testimonies_by_asylum_intention", "testimonies_by_minors_involved",
                             "testimonies_by_chain"}) {
      if (Find(period, name)) {
        Rel({{CellKey(period, name, {kTotal}), 1}, {testimonies, -1}},
            period + ": total of " + name + " = testimonies");
      }
    }
    for (const char* name : {"testimonies_by_violence", "testimonies_by_perpetrator"}) {
      if (const Shape* s = Find(period, name)) {
        for (const std::string& r : s->rows) {
          Rel({{CellKey(period, name, {r, kTotal}), 1}, {testimonies, -1}},
              period + ": row " + r + " of " + name + " = testimonies");
        }
      }
    }
    const Shape* fc = Find(period, "facility_type_conditions");
    const Shape* cs = Find(period, "condition_severity");
    if (fc && cs) {
      for (const std::string& c : fc->cols) {
        if (std::find(cs->rows.begin(), cs->rows.end(), c) == cs->rows.end()) continue;
        Rel({{CellKey(period, "facility_type_conditions", {kTotal, c}), 1},
             {CellKey(period, "condition_severity", {c, kTotal}), -1}},
            period + ": condition " + c);
      }
      Rel({{CellKey(period, "facility_type_conditions", {kTotal, kTotal}), 1},
           {CellKey(period, "condition_severity", {kTotal, kTotal}), -1}},
          period + ": conditions total");
    }
  }

  // Whether label tuple `l` can be linked across the tables `shapes`: it is a cell of each,
  // and an "other" label only where every table has the same categories in that dimension.
  // A total over a dimension is the same number in two tables when the categories of that
  // dimension differ only by categories that were empty (a country not yet seen), except in a
  // table of shares, where a type not yet seen still has "not reported" testimonies: there
  // the categories must be the same.
  static bool Linkable(const std::vector<const Shape*>& shapes, const std::vector<std::string>& l,
                       bool shares) {
    for (const Shape* s : shapes) {
      for (size_t d = 0; d < l.size(); ++d) {
        const std::vector<std::string>& labels = d == 0 ? s->rows : s->cols;
        if (l[d] == kTotal) {
          if (shares && labels != (d == 0 ? shapes[0]->rows : shapes[0]->cols)) return false;
          continue;
        }
        if (std::find(labels.begin(), labels.end(), l[d]) == labels.end()) return false;
        if (l[d] == "other" && labels != (d == 0 ? shapes[0]->rows : shapes[0]->cols)) {
          return false;
        }
      }
    }
    return true;
  }

  void AddChain(const std::string& year) {
    auto month_of = [&](int m) { return year + "-" + (m < 10 ? "0" : "") + std::to_string(m); };
    auto ytd_of = [&](int m) { return year + "-01.." + month_of(m); };
    std::set<std::string> names;
    for (const auto& [pn, shape] : shapes_) {
      if (pn.first.rfind(year, 0) == 0) names.insert(pn.second);
    }
    for (const std::string& name : names) {
      std::vector<int> ytds;
      for (int m = 1; m <= 12; ++m) {
        if (Find(ytd_of(m), name)) ytds.push_back(m);
      }
      int prev = 0;
      for (int cur : ytds) {
        std::vector<const Shape*> shapes = {Find(ytd_of(cur), name)};
        if (prev > 0) shapes.push_back(Find(ytd_of(prev), name));
        std::vector<int> published_months;
        bool gap = false;
        for (int m = prev + 1; m <= cur; ++m) {
          if (const Shape* s = Find(month_of(m), name)) {
            shapes.push_back(s);
            published_months.push_back(m);
          } else {
            gap = true;
          }
        }
        const Shape& top = *shapes[0];
        std::vector<std::vector<std::string>> tuples;
        std::vector<std::string> rows = top.rows, cols = top.cols;
        rows.push_back(kTotal);
        cols.push_back(kTotal);
        for (const std::string& r : rows) {
          if (!top.two_d) tuples.push_back({r});
          for (const std::string& c : cols) {
            if (top.two_d) tuples.push_back({r, c});
          }
        }
        const bool route = name == "people_by_route" || name == "testimonies_by_route";
        const bool shares =
            name == "testimonies_by_violence" || name == "testimonies_by_perpetrator";
        for (const std::vector<std::string>& l : tuples) {
          if (!Linkable(shapes, l, shares)) continue;
          std::vector<std::pair<std::string, int64_t>> t = {{CellKey(ytd_of(cur), name, l), 1}};
          if (prev > 0) t.push_back({CellKey(ytd_of(prev), name, l), -1});
          const bool grand = route && l[0] == kTotal && l[1] == kTotal;
          for (int m = prev + 1; m <= cur; ++m) {
            // The grand total of every month is a trend cell (published, suppressed, or
            // hidden when no report shows it).
            if (grand || std::find(published_months.begin(), published_months.end(), m) !=
                             published_months.end()) {
              t.push_back({CellKey(month_of(m), name, l), -1});
            }
          }
          if (gap && !grand) {
            t.push_back({CellKey("gap " + month_of(prev + 1) + ".." + month_of(cur), name, l),
                         -1});
          }
          Rel(std::move(t), "year to date " + ytd_of(cur) + " of " + name);
        }
        prev = cur;
      }
    }
  }

  Model m_;
  std::map<std::pair<std::string, std::string>, Shape> shapes_;  // (period, name)
  std::map<std::string, std::set<std::string>> periods_;          // year -> periods
};

}  // namespace

Model BuildModel(const std::vector<const Parsed*>& reports) {
  Builder b;
  for (const Parsed* p : reports) b.AddReport(*p);
  b.AddLinks();
  Model m = b.Take();
  // A key both published and suppressed: the suppression protects nothing.
  std::vector<Unknown> kept;
  for (Unknown& u : m.unknowns) {
    auto it = m.published.find(u.key);
    if (it != m.published.end()) {
      m.conflicts.push_back({u.file, u.table, u.cell,
                             "suppressed here but published by another report as " +
                                 std::to_string(it->second)});
      continue;
    }
    kept.push_back(std::move(u));
  }
  m.unknowns = std::move(kept);
  m.unknown_index.clear();
  for (size_t i = 0; i < m.unknowns.size(); ++i) m.unknown_index[m.unknowns[i].key] = i;
  // Every other key in a relation is hidden: a number no report shows (>= 0).
  for (const Relation& r : m.relations) {
    for (const auto& [key, coef] : r.terms) {
      if (m.published.count(key) || m.unknown_index.count(key)) continue;
      m.unknown_index[key] = m.unknowns.size();
      Unknown u;
      u.key = key;
      m.unknowns.push_back(u);
    }
  }
  return m;
}

}  // namespace tvault::verify_internal
