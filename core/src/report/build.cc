// BuildReport: select, pseudonymise, generalise, aggregate, protect month by month, audit the
// whole year's stack, and describe the result as a v1::Report.
#include <map>

#include "pipeline/attack.h"
#include "pipeline/facts.h"
#include "pipeline/protect.h"
#include "pipeline/tables.h"
#include "report/report_internal.h"
#include "store/log_proof.h"
#include "tvault/report.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

using pipeline::CellId;
using pipeline::CellState;
using pipeline::Counts;
using pipeline::TableSet;
using report_internal::CellsOf;
using report_internal::DescribeTables;
using report_internal::DescribeTrend;
using report_internal::Patterns;
using report_internal::RuleOf;

std::string MonthName(const std::string& year, int m) {
  return year + "-" + (m < 9 ? "0" : "") + std::to_string(m + 1);
}
std::string MonthPeriod(const std::string& year, int m) { return MonthName(year, m); }
std::string YtdPeriod(const std::string& year, int m) {
  return year + "-01.." + MonthName(year, m);
}

// The data of every month of the year to date, and what the stack of reports needs.
struct YearData {
  std::string year;
  int months = 0;                       // 1 = January only
  std::vector<std::string> tables;      // catalogue names, in order
  pipeline::Categories cats;
  std::vector<std::map<std::string, Counts>> month_counts;  // [m][table]
  std::vector<std::map<std::string, Counts>> ytd_counts;
};

Counts Add(const Counts& a, const Counts& b) {
  Counts c = a;
  for (size_t i = 0; i < c.size(); ++i) {
    for (size_t j = 0; j < c[i].size(); ++j) c[i][j] += b[i][j];
  }
  return c;
}

// The tables of reports 1..last (month and year to date of each), linked: ytd(1) = month(1),
// ytd(m) = ytd(m-1) + month(m). Tables of reports before `last` carry the patterns of those
// reports as priors. Returns the table indices of each period by name in `index`.
Result<TableSet> BuildStack(const YearData& y, const v1::ReportSettings& s, int last,
                            const Patterns& priors, std::map<std::string, int>* index) {
  TableSet set;
  const pipeline::ProtectionRule people = RuleOf(s.people());
  const pipeline::ProtectionRule testimonies = RuleOf(s.testimonies());
  pipeline::PeriodTables prev_ytd;
  for (int m = 0; m <= last; ++m) {
    const std::string mp = MonthPeriod(y.year, m), yp = YtdPeriod(y.year, m);
    TVAULT_ASSIGN_OR_RETURN(pipeline::PeriodTables month,
                            pipeline::AddPeriod(set, mp, y.tables, y.month_counts[m], y.cats,
                                                people, testimonies));
    TVAULT_ASSIGN_OR_RETURN(pipeline::PeriodTables ytd,
                            pipeline::AddPeriod(set, yp, y.tables, y.ytd_counts[m], y.cats,
                                                people, testimonies));
    for (const auto& [name, t] : ytd) {
      std::vector<int> parts = {month.at(name)};
      if (m > 0) parts.push_back(prev_ytd.at(name));
      TVAULT_RETURN_IF_ERROR(set.AddCellwiseSum(t, parts));
    }
    for (const auto* period : {&month, &ytd}) {
      for (const auto& [name, t] : *period) {
        const std::string& full = set.tables()[static_cast<size_t>(t)].name;
        (*index)[full] = t;
        auto p = priors.find(full);
        if (p == priors.end()) continue;
        const std::vector<CellId> cells = CellsOf(set.tables()[static_cast<size_t>(t)]);
        for (size_t i = 0; i < cells.size(); ++i) {
          TVAULT_RETURN_IF_ERROR(set.SetPrior(cells[i], p->second[i] == CellState::kPublished
                                                            ? pipeline::Prior::kPublishedBefore
                                                            : pipeline::Prior::kSuppressedBefore));
        }
      }
    }
    prev_ytd = ytd;
  }
  return set;
}

// Records the states of the tables of report `m` from `pattern`.
void KeepPatterns(const TableSet& set, const pipeline::SuppressionPattern& pattern,
                  const std::map<std::string, int>& index, const std::string& prefix_month,
                  const std::string& prefix_ytd, Patterns* out) {
  for (const auto& [full, t] : index) {
    if (full.rfind(prefix_month + "/", 0) != 0 && full.rfind(prefix_ytd + "/", 0) != 0) continue;
    std::vector<CellState> states;
    for (CellId c : CellsOf(set.tables()[static_cast<size_t>(t)])) {
      states.push_back(pattern.state[static_cast<size_t>(c)]);
    }
    (*out)[full] = std::move(states);
  }
}

void Progress(const ReportRequest& r, const std::string& line) {
  if (r.progress) r.progress(line);
}

}  // namespace

Result<BuiltReport> BuildReport(Store& store, const OrgSecretKey& org,
                                const ReportRequest& request) {
  const std::string& month = request.month;
  if (month.size() != 7 || !IsIsoDate(month + "-01")) {
    return InvalidArgument("--month: \"" + month + "\" is not a month (YYYY-MM)");
  }
  const v1::ReportSettings& s = request.settings;
  YearData y;
  y.year = month.substr(0, 4);
  y.months = std::stoi(month.substr(5, 2));
  const std::string from = y.year + "-01";

  std::vector<StageTime> timings;
  StageClock clock;
  Progress(request, "pseudonymising new record versions");
  TVAULT_ASSIGN_OR_RETURN(uint64_t derived, store.DerivePseudonyms(org));
  (void)derived;
  clock.Lap("pseudonymise", &timings);

  Progress(request, "reading " + from + " to " + month);
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::Facility> registry, store.ListFacilities());
  pipeline::YearCollector collector(y.months, pipeline::FacilityTypeLabels(registry));
  TVAULT_RETURN_IF_ERROR(store.ScanForReport(
      from, month, [&](ScannedRecord&& r) { return collector.Add(r); }));
  const pipeline::SelectionCounts counts = collector.counts();
  const uint64_t in_month = collector.selected_in(y.months);
  std::vector<pipeline::MonthFacts> facts = collector.Take();
  TVAULT_ASSIGN_OR_RETURN(uint64_t deleted, store.CountDeleted(from, month));

  y.cats = pipeline::ChooseCategories(s.nationality_min_people(), &facts);
  if (s.tables().empty()) {
    for (const pipeline::TableSpec& t : pipeline::TableCatalogue()) y.tables.push_back(t.name);
  } else {
    // Publication order is the catalogue's, whatever the order of the settings.
    for (const pipeline::TableSpec& t : pipeline::TableCatalogue()) {
      for (const std::string& n : s.tables()) {
        if (n == t.name) y.tables.push_back(n);
      }
    }
  }
  for (int m = 0; m < y.months; ++m) {
    std::map<std::string, Counts> mc;
    for (const std::string& name : y.tables) {
      mc[name] = pipeline::CountTable(*pipeline::FindTable(name), y.cats, facts[m]);
    }
    y.ytd_counts.push_back(m == 0 ? mc : std::map<std::string, Counts>{});
    if (m > 0) {
      for (const auto& [name, c] : mc) {
        y.ytd_counts[m][name] = c.empty() ? c : Add(y.ytd_counts[m - 1].at(name), c);
      }
    }
    y.month_counts.push_back(std::move(mc));
  }
  clock.Lap("scan+aggregate", &timings);

  // Protect report by report: report m may not change what reports 1..m-1 published.
  pipeline::ProtectOptions popts;
  popts.cost = s.suppression_cost() == "unity" ? pipeline::CostKind::kUnity
                                               : pipeline::CostKind::kValue;
  popts.time_limit_seconds = s.protect_time_limit_seconds();
  Patterns patterns;
  std::map<std::string, int> index;
  Result<TableSet> set = InvalidArgument("no months");
  pipeline::SuppressionPattern last_pattern;
  for (int m = 0; m < y.months; ++m) {
    Progress(request, "protecting the report of " + MonthName(y.year, m));
    index.clear();
    set = BuildStack(y, s, m, patterns, &index);
    if (!set.ok()) return set.status();
    Result<pipeline::SuppressionPattern> pattern = pipeline::Protect(*set, popts);
    if (!pattern.ok()) {
      return Status(pattern.status().code(), "protecting the tables of " + MonthName(y.year, m) +
                                                 ": " + pattern.status().message());
    }
    KeepPatterns(*set, *pattern, index, MonthPeriod(y.year, m), YtdPeriod(y.year, m),
                 &patterns);
    last_pattern = std::move(pattern).value();
  }

  clock.Lap("protect", &timings);
  Progress(request, "self-audit: the attacker's bounds of every suppressed cell");
  std::vector<bool> suppressed(set->cells().size());
  for (size_t c = 0; c < suppressed.size(); ++c) suppressed[c] = last_pattern.Suppressed(c);
  pipeline::AuditOptions aopts;
  aopts.time_limit_seconds = s.audit_time_limit_seconds();
  TVAULT_ASSIGN_OR_RETURN(pipeline::AuditReport audit,
                          pipeline::Audit(*set, pipeline::WithheldFrom(*set, suppressed), aopts));
  TVAULT_RETURN_IF_ERROR(pipeline::RequirePassed(audit));
  clock.Lap("self-audit", &timings);

  BuiltReport out;
  out.audit_lines.push_back("self-audit passed: " + std::to_string(audit.cells.size()) +
                            " suppressed cells of " + std::to_string(y.months) +
                            " month(s) and their year-to-date tables, " +
                            std::to_string(audit.solves) + " LP/ILP solves");
  v1::Report& r = out.report;
  r.set_format(kReportFormat);
  r.set_month(month);
  r.set_year_to_date_from(from);
  const int last = y.months - 1;
  DescribeTables(*set, index, patterns, y.tables, MonthPeriod(y.year, last), "month", &r);
  DescribeTables(*set, index, patterns, y.tables, YtdPeriod(y.year, last), "year_to_date", &r);
  DescribeTrend(*set, index, patterns, y.year, y.months, &r);
  TVAULT_ASSIGN_OR_RETURN(std::string checkpoint, store.DataCheckpoint());
  r.set_log_checkpoint(checkpoint);
  r.set_log_verifier_key(store.LogVerifierKey());
  TVAULT_ASSIGN_OR_RETURN(std::vector<ConsistencyProofData> proofs,
                          store.ProofsFromEarlierReports(month));
  for (const ConsistencyProofData& p : proofs) internal::ProofToProto(p, r.add_log_proofs());

  v1::Manifest& man = out.manifest;
  man.set_format(kManifestFormat);
  man.set_code_version(TVAULT_VERSION);
  man.set_month(month);
  *man.mutable_settings() = s;
  man.mutable_records()->set_selected(counts.selected);
  man.mutable_records()->set_in_month(in_month);
  man.mutable_records()->set_deleted_excluded(deleted);
  man.mutable_records()->set_duplicate_people(counts.duplicate_people);
  man.mutable_records()->set_without_pseudonym(counts.without_pseudonym);
  for (const v1::ReportTable& t : r.tables()) {
    if (t.period() != "month" && t.period() != "year_to_date") continue;  // trend: copies
    for (const v1::ReportCell& c : t.cells()) {
      if (c.suppressed()) continue;
      man.set_cells_published(man.cells_published() + 1);
    }
  }
  for (const auto& [full, states] : patterns) {
    if (full.rfind(MonthPeriod(y.year, last) + "/", 0) != 0 &&
        full.rfind(YtdPeriod(y.year, last) + "/", 0) != 0) {
      continue;
    }
    for (CellState st : states) {
      if (st == CellState::kPrimary) man.set_cells_suppressed_primary(man.cells_suppressed_primary() + 1);
      if (st == CellState::kSecondary) {
        man.set_cells_suppressed_secondary(man.cells_suppressed_secondary() + 1);
      }
    }
  }
  clock.Lap("describe", &timings);
  out.timings = std::move(timings);
  return out;
}

}  // namespace tvault
