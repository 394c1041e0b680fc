// BuildModel: the cells and relations of model.h from the published reports.
#include "verify/model.h"

#include <algorithm>
#include <set>

#include "tvault/report.h"

namespace tvault::verify_internal {
namespace {

constexpr char kTotal[] = "Total";
constexpr char kOther[] = "other";
constexpr char kReported[] = "reported";
constexpr char kNotReported[] = "not reported";

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void AddUnique(std::vector<std::string>* v, const std::string& x) {
  if (!Contains(*v, x)) v->push_back(x);
}

bool IsSharesTable(const std::string& name) {
  return name == "testimonies_by_violence" || name == "testimonies_by_perpetrator";
}

// The structure of one table: its row and column labels (columns empty for 1-D). For a table
// of a release (basis "release"), `rows` and `cols` are completed with the categories the
// same table has elsewhere in the year (an absent category is a known zero, docs/auditing.md);
// `pub_rows` and `pub_cols` are the labels as published. A table of shares is not completed
// (its column totals count the "not reported" testimonies of the rows it lists): a row it does
// not list is in `extra_rows`, with its cells known from the period's testimonies.
struct Shape {
  std::vector<std::string> rows, cols;
  std::vector<std::string> pub_rows, pub_cols;
  std::vector<std::string> extra_rows;
  std::vector<std::string> dims;
  bool two_d = false;
  bool release = false;
  bool hidden = false;  // a revision's unpublished linking table
};

// A report of basis "release": a monthly release or the year's revision.
struct Release {
  const Parsed* p = nullptr;
  std::string year, month, previous;
  bool revision = false;
};

class Builder {
 public:
  Model Take() { return std::move(m_); }

  void AddReport(const Parsed& p) {
    Result<v1::ReportSettings> s = CompleteReportSettings(p.manifest.settings());
    const v1::ReportSettings settings = s.ok() ? *s : p.manifest.settings();
    const std::string year = p.report.month().substr(0, 4);
    const bool release = p.report.basis() == "release";
    if (release) {
      releases_.push_back({&p, year, p.report.month(), p.report.previous_release(),
                           p.report.kind() == "revision"});
    }
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
      if (period.empty()) continue;  // an unknown period: the shape check failed it
      Shape shape;
      shape.two_d = t.dimensions_size() == 2;
      shape.release = release;
      shape.dims.assign(t.dimensions().begin(), t.dimensions().end());
      bool malformed = false;
      for (const v1::ReportCell& c : t.cells()) {
        if (c.labels_size() != t.dimensions_size() || c.labels_size() < 1 ||
            c.labels_size() > 2) {
          malformed = true;  // the shape check failed it
          break;
        }
        std::vector<std::string> labels(c.labels().begin(), c.labels().end());
        AddCell(p, t, c, CellKey(period, t.name(), labels), prot);
        if (labels[0] != kTotal) AddUnique(&shape.rows, labels[0]);
        if (shape.two_d && labels[1] != kTotal) AddUnique(&shape.cols, labels[1]);
      }
      if (malformed) continue;
      shape.pub_rows = shape.rows;
      shape.pub_cols = shape.cols;
      if (shapes_.emplace(std::make_pair(period, t.name()), shape).second) {
        periods_[year].insert(period);
        if (release) release_tables_[year].push_back({period, t.name()});
      }
    }
  }

  // Completes the tables of releases, adds the revision's hidden tables, then margins and the
  // links inside every period, then the year-to-date chain of every year.
  void AddLinks() {
    CheckSeries();
    for (const auto& [year, tables] : release_tables_) CompleteYear(year, tables);
    for (const Release& r : releases_) {
      if (r.revision) AddRevisionTables(r);
    }
    for (const auto& [pn, shape] : shapes_) AddMargins(pn.first, pn.second, shape);
    for (const auto& [year, periods] : periods_) {
      for (const std::string& period : periods) AddPeriodLinks(period);
      AddChain(year);
    }
    for (const Release& r : releases_) {
      if (r.revision) {
        AddRevisionLinks(r);
      } else {
        AddReleaseChain(r);
      }
    }
    AddZeros();
  }

 private:
  void AddCell(const Parsed& p, const v1::ReportTable& t, const v1::ReportCell& c,
               const std::string& key, const v1::ProtectionSettings& prot) {
    if (first_ == nullptr) first_ = &p;
    if (first_ == &p) m_.current_keys.insert(key);
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

  void Fail(const Parsed& p, const std::string& why) {
    m_.conflicts.push_back({p.Name(kReportJsonFile), "", "", why});
  }

  // The series of releases of each year must be whole and linear: every release the given
  // ones follow is given too (the attack cannot be judged on part of the stack), no two
  // releases of one month or following the same one, at most one revision, and no monthly
  // release after it.
  void CheckSeries() {
    std::map<std::string, std::map<std::string, const Release*>> monthly;  // year, month
    std::map<std::string, const Release*> revision;                         // year
    for (const Release& r : releases_) {
      if (r.revision) {
        auto [it, added] = revision.emplace(r.year, &r);
        if (!added) Fail(*r.p, "a second revision of " + r.year);
        continue;
      }
      auto [it, added] = monthly[r.year].emplace(r.month, &r);
      if (!added && it->second->p->folder->files.at(kReportJsonFile) !=
                        r.p->folder->files.at(kReportJsonFile)) {
        Fail(*r.p, "a second release of " + r.month);
      }
    }
    std::map<std::string, const Release*> followed;  // previous month -> release
    for (const Release& r : releases_) {
      const std::string what =
          r.revision ? "the revision of " + r.year : "release " + r.month;
      if (r.previous.empty()) {
        if (r.revision) Fail(*r.p, what + " names no release it follows");
      } else if (monthly[r.year].count(r.previous) == 0) {
        Fail(*r.p, what + " follows " + r.previous +
                       ", which was not given (--previous): the attack is judged on the whole "
                       "series of the year, every earlier release included");
      }
      if (r.revision) continue;
      if (!r.previous.empty()) {
        auto [it, added] = followed.emplace(r.previous, &r);
        if (!added && it->second->month != r.month) {
          Fail(*r.p, "releases " + it->second->month + " and " + r.month + " both follow " +
                         r.previous + ": the series forks");
        }
      }
      auto rev = revision.find(r.year);
      if (rev != revision.end() && r.month > rev->second->month) {
        Fail(*r.p, "release " + r.month + " comes after the revision of " + r.year +
                       ", which closed the series");
      }
    }
    for (const auto& [year, rev] : revision) {
      auto& months = monthly[year];
      if (!months.empty() && months.rbegin()->first != rev->previous) {
        Fail(*rev->p, "the revision of " + year + " follows " + rev->previous +
                          ", not the year's last release " + months.rbegin()->first);
      }
    }
  }

  const Release* FindRelease(const std::string& year, const std::string& month) const {
    for (const Release& r : releases_) {
      if (!r.revision && r.year == year && r.month == month) return &r;
    }
    return nullptr;
  }

  // Completes every table of the releases of `year` with the categories that the same table
  // has in another release of the year: categories only grow in a series, so a category a
  // table does not list was not seen when it was made, and is a published zero. Not "other"
  // of nationalities, which a later release can fill with codes folded since.
  void CompleteYear(const std::string& year,
                    const std::vector<std::pair<std::string, std::string>>& tables) {
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> all;
    for (const auto& pn : tables) {
      const Shape& s = shapes_.at(pn);
      auto& [rows, cols] = all[pn.second];
      for (const std::string& r : s.pub_rows) AddUnique(&rows, r);
      for (const std::string& c : s.pub_cols) AddUnique(&cols, c);
    }
    (void)year;
    for (const auto& pn : tables) {
      Shape& s = shapes_.at(pn);
      const auto& [rows, cols] = all[pn.second];
      const std::string& period = pn.first;
      const std::string& name = pn.second;
      auto completable = [&](size_t d, const std::string& l) {
        return !(l == kOther && d < s.dims.size() && s.dims[d] == "nationality");
      };
      if (IsSharesTable(name) && s.two_d) {
        const std::string testimonies = CellKey(period, "testimonies_by_route", {kTotal, kTotal});
        for (const std::string& r : rows) {
          if (Contains(s.rows, r)) continue;
          s.extra_rows.push_back(r);
          const std::string where = period + "/" + name + " [" + r + "]";
          Zero(CellKey(period, name, {r, kReported}), where);
          Rel({{CellKey(period, name, {r, kNotReported}), 1}, {testimonies, -1}},
              where + ": a type not listed is not reported by every testimony");
          Rel({{CellKey(period, name, {r, kTotal}), 1}, {testimonies, -1}},
              where + ": a type not listed, row total = testimonies");
        }
        continue;
      }
      std::vector<std::string> new_rows, new_cols;
      for (const std::string& r : rows) {
        if (!Contains(s.rows, r) && completable(0, r)) new_rows.push_back(r);
      }
      for (const std::string& c : cols) {
        if (!Contains(s.cols, c) && completable(1, c)) new_cols.push_back(c);
      }
      const std::string where = period + "/" + name;
      if (!s.two_d) {
        for (const std::string& r : new_rows) Zero(CellKey(period, name, {r}), where);
      } else {
        std::vector<std::string> all_rows = s.rows, all_cols = s.cols;
        all_rows.insert(all_rows.end(), new_rows.begin(), new_rows.end());
        all_cols.insert(all_cols.end(), new_cols.begin(), new_cols.end());
        all_rows.push_back(kTotal);
        all_cols.push_back(kTotal);
        for (const std::string& r : all_rows) {
          for (const std::string& c : all_cols) {
            if (Contains(new_rows, r) || Contains(new_cols, c)) {
              Zero(CellKey(period, name, {r, c}), where);
            }
          }
        }
      }
      s.rows.insert(s.rows.end(), new_rows.begin(), new_rows.end());
      s.cols.insert(s.cols.end(), new_cols.begin(), new_cols.end());
    }
  }

  void Zero(const std::string& key, const std::string& where) { zeros_.emplace(key, where); }

  // The known zeros of absent categories, as published numbers.
  void AddZeros() {
    for (const auto& [key, where] : zeros_) {
      auto pub = m_.published.find(key);
      if (pub != m_.published.end()) {
        if (pub->second != 0) {
          m_.conflicts.push_back({"", where, "", "the number " + key + " is published as " +
                                                     std::to_string(pub->second) +
                                                     " by one report and is an absent "
                                                     "category (0) of another"});
        }
        continue;
      }
      auto unk = m_.unknown_index.find(key);
      if (unk != m_.unknown_index.end()) {
        const Unknown& u = m_.unknowns[unk->second];
        m_.conflicts.push_back({u.file, u.table, u.cell,
                                "suppressed here, but an absent category (0) of " + where});
        continue;
      }
      m_.published[key] = 0;
    }
  }

  // The revision's unpublished tables "<year> revision kept", "... added", "... removed": the
  // shape of the revision table, with its margins and the links of a period.
  void AddRevisionTables(const Release& r) {
    const std::string period = r.year + " revision";
    std::vector<std::pair<std::string, Shape>> hidden;
    for (const auto& [pn, s] : shapes_) {
      if (pn.first != period) continue;
      for (const char* part : {" kept", " added", " removed"}) {
        // The categories of the revision table, completed (a type a table of shares does
        // not list is left out: its cells are not a sum of the hidden tables' margins).
        Shape h = s;
        h.hidden = true;
        h.extra_rows.clear();
        h.pub_rows = h.rows;
        h.pub_cols = h.cols;
        hidden.push_back({period + part + std::string("\n") + pn.second, h});
      }
    }
    for (auto& [key, h] : hidden) {
      const size_t nl = key.find('\n');
      const std::string p = key.substr(0, nl), name = key.substr(nl + 1);
      if (shapes_.emplace(std::make_pair(p, name), h).second) periods_[r.year].insert(p);
    }
  }

  const Shape* Find(const std::string& period, const std::string& name) const {
    auto it = shapes_.find({period, name});
    return it == shapes_.end() ? nullptr : &it->second;
  }

  // The shape of an old-basis table (reports made before the release basis).
  const Shape* FindOld(const std::string& period, const std::string& name) const {
    const Shape* s = Find(period, name);
    return s != nullptr && !s->release ? s : nullptr;
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
    // Every facility testimony is in one row of these, as in facility_testimonies.
    for (const char* name : {"facility_testimonies_by_arrival", "facility_stay_length"}) {
      if (Find(period, name) && Find(period, "facility_testimonies")) {
        Rel({{CellKey(period, name, {kTotal}), 1},
             {CellKey(period, "facility_testimonies", {kTotal}), -1}},
            period + ": total of " + name + " = facility testimonies");
      }
    }
    const Shape* fc = Find(period, "facility_type_conditions");
    const Shape* cs = Find(period, "condition_severity");
    if (fc && cs) {
      for (const std::string& c : fc->cols) {
        if (!Contains(cs->rows, c)) continue;
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
        if (!Contains(labels, l[d])) return false;
        if (l[d] == kOther && labels != (d == 0 ? shapes[0]->rows : shapes[0]->cols)) {
          return false;
        }
      }
    }
    return true;
  }

  // Linkable for the completed tables of releases: every category is a cell of each (listed,
  // a known zero, or for a table of shares a row known from the testimonies), but "other" of
  // nationalities only where every table lists the same nationalities, and a total over the
  // types of a table of shares only where every table lists the same types.
  static bool LinkableRelease(const std::vector<const Shape*>& shapes,
                              const std::vector<std::string>& l, bool shares) {
    const Shape* first = shapes[0];
    for (const Shape* s : shapes) {
      for (size_t d = 0; d < l.size(); ++d) {
        const std::vector<std::string>& pub = d == 0 ? s->pub_rows : s->pub_cols;
        const std::vector<std::string>& pub0 = d == 0 ? first->pub_rows : first->pub_cols;
        if (l[d] == kTotal) {
          if (shares && d == 0 && !SameSet(pub, pub0)) return false;
          continue;
        }
        const std::vector<std::string>& labels = d == 0 ? s->rows : s->cols;
        if (!Contains(labels, l[d]) && !(d == 0 && Contains(s->extra_rows, l[d]))) return false;
        if (l[d] == kOther && d < s->dims.size() && s->dims[d] == "nationality" &&
            !SameSet(pub, pub0)) {
          return false;
        }
      }
    }
    return true;
  }

  static bool SameSet(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  }

  // Every label tuple of `s` (completed, extra rows of shares included), margins included.
  static std::vector<std::vector<std::string>> Tuples(const Shape& s) {
    std::vector<std::string> rows = s.rows, cols = s.cols;
    rows.insert(rows.end(), s.extra_rows.begin(), s.extra_rows.end());
    rows.push_back(kTotal);
    cols.push_back(kTotal);
    std::vector<std::vector<std::string>> out;
    for (const std::string& r : rows) {
      if (!s.two_d) {
        out.push_back({r});
        continue;
      }
      for (const std::string& c : cols) out.push_back({r, c});
    }
    return out;
  }

  static std::string YtdOf(const std::string& month) {
    return month.substr(0, 4) + "-01.." + month;
  }

  // The release basis: YTD(m) = YTD(previous release) + month(m), cell by cell, exactly (a
  // month with no release counted nothing). A table the previous release does not show is
  // hidden there.
  void AddReleaseChain(const Release& r) {
    const std::string ytd = YtdOf(r.month);
    const std::string prev_ytd = r.previous.empty() ? "" : YtdOf(r.previous);
    for (const auto& [pn, top] : shapes_) {
      if (pn.first != ytd || !top.release) continue;
      const std::string& name = pn.second;
      std::vector<const Shape*> shapes = {&top};
      if (const Shape* s = Find(r.month, name)) shapes.push_back(s);
      if (!prev_ytd.empty()) {
        if (const Shape* s = Find(prev_ytd, name)) shapes.push_back(s);
      }
      const bool shares = IsSharesTable(name);
      for (const std::vector<std::string>& l : Tuples(top)) {
        if (!LinkableRelease(shapes, l, shares)) continue;
        std::vector<std::pair<std::string, int64_t>> t = {{CellKey(ytd, name, l), 1},
                                                          {CellKey(r.month, name, l), -1}};
        if (!prev_ytd.empty()) t.push_back({CellKey(prev_ytd, name, l), -1});
        Rel(std::move(t), "year to date " + ytd + " of " + name + " (release after " +
                              (r.previous.empty() ? std::string("none") : r.previous) + ")");
      }
    }
  }

  // The revision: for every cell l of each revision table, revision[l] = kept[l] + added[l]
  // and YTD(previous release)[l] = kept[l] + removed[l], through the hidden tables.
  void AddRevisionLinks(const Release& r) {
    const std::string period = r.year + " revision";
    const std::string prev_ytd = r.previous.empty() ? "" : YtdOf(r.previous);
    for (const auto& [pn, rev] : shapes_) {
      if (pn.first != period || rev.hidden) continue;
      const std::string& name = pn.second;
      const Shape* kept = Find(period + " kept", name);
      if (kept == nullptr) continue;
      const Shape* ytd = prev_ytd.empty() ? nullptr : Find(prev_ytd, name);
      const bool shares = IsSharesTable(name);
      for (const std::vector<std::string>& l : Tuples(*kept)) {
        Rel({{CellKey(period, name, l), 1},
             {CellKey(period + " kept", name, l), -1},
             {CellKey(period + " added", name, l), -1}},
            "revision " + r.year + " of " + name + " = kept + added");
        if (prev_ytd.empty()) continue;
        if (ytd != nullptr && !LinkableRelease({&rev, ytd}, l, shares)) continue;
        Rel({{CellKey(prev_ytd, name, l), 1},
             {CellKey(period + " kept", name, l), -1},
             {CellKey(period + " removed", name, l), -1}},
            "year to date " + prev_ytd + " of " + name + " = kept + removed (revision)");
      }
    }
  }

  // Reports made before the release basis: YTD(m) = YTD(m-1) + month(m), through the months
  // published and a gap unknown for the months that are not.
  void AddChain(const std::string& year) {
    auto month_of = [&](int m) { return year + "-" + (m < 10 ? "0" : "") + std::to_string(m); };
    auto ytd_of = [&](int m) { return year + "-01.." + month_of(m); };
    std::set<std::string> names;
    for (const auto& [pn, shape] : shapes_) {
      if (pn.first.rfind(year, 0) == 0 && !shape.release) names.insert(pn.second);
    }
    for (const std::string& name : names) {
      std::vector<int> ytds;
      for (int m = 1; m <= 12; ++m) {
        if (FindOld(ytd_of(m), name)) ytds.push_back(m);
      }
      int prev = 0;
      for (int cur : ytds) {
        std::vector<const Shape*> shapes = {FindOld(ytd_of(cur), name)};
        if (prev > 0) shapes.push_back(FindOld(ytd_of(prev), name));
        std::vector<int> published_months;
        bool gap = false;
        for (int m = prev + 1; m <= cur; ++m) {
          if (const Shape* s = FindOld(month_of(m), name)) {
            shapes.push_back(s);
            published_months.push_back(m);
          } else {
            gap = true;
          }
        }
        const Shape& top = *shapes[0];
        const bool route = name == "people_by_route" || name == "testimonies_by_route";
        const bool shares = IsSharesTable(name);
        for (const std::vector<std::string>& l : Tuples(top)) {
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
  const Parsed* first_ = nullptr;  // the report under check: the first one added
  std::map<std::pair<std::string, std::string>, Shape> shapes_;  // (period, name)
  std::map<std::string, std::set<std::string>> periods_;          // year -> periods
  std::vector<Release> releases_;
  // year -> the (period, name) of every table published by a release of that year
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> release_tables_;
  std::map<std::string, std::string> zeros_;  // key -> where the category is absent
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
