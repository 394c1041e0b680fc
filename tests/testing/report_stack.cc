#include "testing/report_stack.h"

#include <chrono>
#include <cmath>
#include <string>

namespace tvault::testing {
namespace {

using pipeline::CellId;
using pipeline::Prior;
using pipeline::ProtectionRule;
using pipeline::TableSet;

using Grid = std::vector<std::vector<int64_t>>;
using Line = std::vector<int64_t>;

// A small deterministic generator (SplitMix64) with its own Poisson and weighted draws, so
// that the counts do not depend on the standard library's distributions.
class Draw {
 public:
  explicit Draw(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  // Knuth's multiplication method; means stay below 40, so it is exact enough and quick.
  int64_t Poisson(double mean) {
    const double limit = std::exp(-mean);
    double p = Uniform();
    int64_t k = 0;
    while (p > limit) {
      p *= Uniform();
      ++k;
    }
    return k;
  }
  double Mean(double lo, double hi) { return lo * std::pow(hi / lo, Uniform()); }

 private:
  uint64_t s_;
};

std::vector<std::string> Labels(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// One month's counts of every table.
struct Month {
  Grid people_route, testimony_route, facility;
  Line people_from, violence, nationality, age, asylum, chain, perpetrators;
};

// Spreads `total` over the categories with weights 1, 1/2, 1/3, ... (a long tail).
Line Spread(Draw* d, int64_t total, int n) {
  Line out(n, 0);
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += 1.0 / (i + 1);
  for (int64_t p = 0; p < total; ++p) {
    double u = d->Uniform() * sum;
    int i = 0;
    while (i + 1 < n && u >= 1.0 / (i + 1)) u -= 1.0 / (++i);
    ++out[i];
  }
  return out;
}

Grid PoissonGrid(Draw* d, const std::vector<double>& means, int rows, int cols) {
  Grid g(rows, Line(cols));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) g[r][c] = d->Poisson(means[r * cols + c]);
  }
  return g;
}

Line PoissonLine(Draw* d, const std::vector<double>& means) {
  Line l;
  for (double m : means) l.push_back(d->Poisson(m));
  return l;
}

int64_t Sum(const Grid& g) {
  int64_t s = 0;
  for (const Line& l : g) {
    for (int64_t v : l) s += v;
  }
  return s;
}

// Per-cell means, fixed over the year, so months look alike.
struct Means {
  std::vector<double> route, facility, violence, perpetrators;
};

std::vector<double> MeansOf(Draw* d, const ReportShape& s, int n, double scale) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(scale * d->Mean(s.min_mean, s.max_mean));
  return out;
}

Month DrawMonth(Draw* d, const ReportShape& s, const Means& m) {
  Month out;
  const int n = s.countries;
  out.people_route = PoissonGrid(d, m.route, n, n);
  out.testimony_route = out.people_route;
  for (Line& row : out.testimony_route) {
    for (int64_t& v : row) {
      if (v > 0) v = std::min<int64_t>(v, 1 + d->Poisson((v - 1) / 3.0));  // groups of ~3
    }
  }
  for (const Line& row : out.people_route) {
    int64_t t = 0;
    for (int64_t v : row) t += v;
    out.people_from.push_back(t);
  }
  const int64_t people = Sum(out.people_route), testimonies = Sum(out.testimony_route);
  out.nationality = Spread(d, people, s.nationalities);
  out.age = Spread(d, people, s.age_bands);
  out.asylum = Spread(d, testimonies, s.asylum);
  out.chain = Spread(d, testimonies, s.chain);
  out.violence = PoissonLine(d, m.violence);
  out.perpetrators = PoissonLine(d, m.perpetrators);
  out.facility = PoissonGrid(d, m.facility, s.facilities, s.conditions);
  return out;
}

void Accumulate(Month* into, const Month& add) {
  auto grid = [](Grid* a, const Grid& b) {
    for (size_t r = 0; r < a->size(); ++r) {
      for (size_t c = 0; c < (*a)[r].size(); ++c) (*a)[r][c] += b[r][c];
    }
  };
  auto line = [](Line* a, const Line& b) {
    for (size_t i = 0; i < a->size(); ++i) (*a)[i] += b[i];
  };
  grid(&into->people_route, add.people_route);
  grid(&into->testimony_route, add.testimony_route);
  grid(&into->facility, add.facility);
  for (auto f : {&Month::people_from, &Month::violence, &Month::nationality, &Month::age,
                 &Month::asylum, &Month::chain, &Month::perpetrators}) {
    line(&(into->*f), add.*f);
  }
}

// The tables of one month (or year-to-date), in a fixed order; returns their indices in the
// order people_route, testimony_route, people_from, violence, nationality, age, asylum,
// chain, perpetrators, facility, so that two calls can be linked table by table.
Result<std::vector<int>> AddMonth(TableSet* set, const ReportShape& s, const Month& m,
                                  const std::string& suffix) {
  const ProtectionRule people = pipeline::PeopleRule(), testimonies = pipeline::TestimonyRule();
  const auto countries = Labels("c", s.countries);
  std::vector<int> t;
  auto add = [&](Result<int> r) -> Status {
    if (!r.ok()) return r.status();
    t.push_back(*r);
    return Status::Ok();
  };
  TVAULT_RETURN_IF_ERROR(add(set->AddTable2D("people_route" + suffix, people, countries,
                                             countries, m.people_route)));
  TVAULT_RETURN_IF_ERROR(add(set->AddTable2D("testimony_route" + suffix, testimonies,
                                             countries, countries, m.testimony_route)));
  TVAULT_RETURN_IF_ERROR(
      add(set->AddTable1D("people_from" + suffix, people, countries, m.people_from)));
  TVAULT_RETURN_IF_ERROR(add(set->AddTable1D("violence" + suffix, testimonies,
                                             Labels("v", s.violence_types), m.violence)));
  TVAULT_RETURN_IF_ERROR(add(set->AddTable1D("nationality" + suffix, people,
                                             Labels("n", s.nationalities), m.nationality)));
  TVAULT_RETURN_IF_ERROR(
      add(set->AddTable1D("age" + suffix, people, Labels("a", s.age_bands), m.age)));
  TVAULT_RETURN_IF_ERROR(
      add(set->AddTable1D("asylum" + suffix, testimonies, Labels("y", s.asylum), m.asylum)));
  TVAULT_RETURN_IF_ERROR(
      add(set->AddTable1D("chain" + suffix, testimonies, Labels("h", s.chain), m.chain)));
  TVAULT_RETURN_IF_ERROR(add(set->AddTable1D("perpetrators" + suffix, testimonies,
                                             Labels("p", s.perpetrators), m.perpetrators)));
  TVAULT_RETURN_IF_ERROR(add(set->AddTable2D("facility" + suffix, testimonies,
                                             Labels("f", s.facilities),
                                             Labels("k", s.conditions), m.facility)));
  // Links within the month: people by pushed-from is a margin of people by route; the totals
  // of people by nationality and by age band are the number of people; those of asylum
  // intention and chain pushbacks the number of testimonies.
  TVAULT_RETURN_IF_ERROR(set->AddMarginLink(t[0], 0, t[2]));
  const CellId people_total = set->tables()[t[0]].grand_total;
  const CellId testimony_total = set->tables()[t[1]].grand_total;
  for (int i : {4, 5}) {
    TVAULT_RETURN_IF_ERROR(set->AddSumRelation(set->tables()[t[i]].grand_total, {people_total},
                                               "people total" + suffix));
  }
  for (int i : {6, 7}) {
    TVAULT_RETURN_IF_ERROR(set->AddSumRelation(set->tables()[t[i]].grand_total,
                                               {testimony_total}, "testimony total" + suffix));
  }
  return t;
}

std::string Suffix(const char* kind, int month) {
  return std::string("/") + kind + (month < 10 ? "0" : "") + std::to_string(month);
}

}  // namespace

ReportShape ReportShape::Small() {
  ReportShape s;
  s.countries = 3;
  s.violence_types = 4;
  s.nationalities = 3;
  s.age_bands = 3;
  s.asylum = 2;
  s.chain = 2;
  s.perpetrators = 3;
  s.facilities = 3;
  s.conditions = 3;
  s.min_mean = 0.5;
  s.max_mean = 8;
  return s;
}

Result<TableSet> BuildReportStack(const ReportShape& shape, int months, uint32_t seed,
                                  const std::vector<Prior>& prior) {
  if (months < 1) return InvalidArgument("a report stack needs at least one month");
  Draw d(seed);
  Means means;
  const int n = shape.countries;
  means.route = MeansOf(&d, shape, n * n, 1.0);
  means.facility = MeansOf(&d, shape, shape.facilities * shape.conditions, 0.5);
  means.violence = MeansOf(&d, shape, shape.violence_types, 1.0);
  means.perpetrators = MeansOf(&d, shape, shape.perpetrators, 1.0);
  TableSet set;
  Month ytd;
  std::vector<int> previous;  // YTD(m-1)'s tables, or M(1)'s in month 2
  for (int m = 1; m <= months; ++m) {
    const Month month = DrawMonth(&d, shape, means);
    auto tables = AddMonth(&set, shape, month, Suffix("m", m));
    if (!tables.ok()) return tables.status();
    if (m == 1) {
      ytd = month;
      previous = *tables;
      continue;
    }
    Accumulate(&ytd, month);
    auto ytd_tables = AddMonth(&set, shape, ytd, Suffix("ytd", m));
    if (!ytd_tables.ok()) return ytd_tables.status();
    for (size_t i = 0; i < tables->size(); ++i) {
      TVAULT_RETURN_IF_ERROR(set.AddCellwiseSum((*ytd_tables)[i], {previous[i], (*tables)[i]}));
    }
    previous = *ytd_tables;
  }
  if (prior.size() > set.cells().size()) return InvalidArgument("more priors than cells");
  for (size_t i = 0; i < prior.size(); ++i) {
    TVAULT_RETURN_IF_ERROR(set.SetPrior(static_cast<CellId>(i), prior[i]));
  }
  return set;
}

std::vector<bool> SuppressedCells(const pipeline::SuppressionPattern& pattern) {
  std::vector<bool> out(pattern.state.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = pattern.Suppressed(static_cast<CellId>(i));
  return out;
}

Result<ProtectedStack> ProtectMonthByMonth(const ReportShape& shape, int months, uint32_t seed,
                                           const pipeline::ProtectOptions& options,
                                           const MonthDone& on_month) {
  ProtectedStack out;
  for (int m = 1; m <= months; ++m) {
    auto set = BuildReportStack(shape, m, seed, out.prior);
    if (!set.ok()) return set.status();
    const auto t0 = std::chrono::steady_clock::now();
    auto pattern = pipeline::Protect(*set, options);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!pattern.ok()) return pattern.status().WithContext("month " + std::to_string(m));
    out.last_seconds = s;
    out.total_seconds += s;
    out.set = std::move(*set);
    out.last = std::move(*pattern);
    if (on_month) on_month(m, out.set, out.last, s);
    if (m == months) break;
    out.prior.assign(out.set.cells().size(), Prior::kPublishedBefore);
    for (size_t i = 0; i < out.prior.size(); ++i) {
      if (out.last.Suppressed(static_cast<CellId>(i))) out.prior[i] = Prior::kSuppressedBefore;
    }
  }
  return out;
}

}  // namespace tvault::testing
