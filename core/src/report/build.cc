// BuildReport: one release of a series (docs/methodology.md, section 5). Select the testimonies
// that no earlier release counted, generalise and count them, stack them on every earlier
// release of the year exactly as the ledger holds it, protect only the new cells, audit, and
// describe the result as a v1::Report with the ledger entry that will record it.
#include <map>
#include <set>

#include "pipeline/attack.h"
#include "pipeline/facts.h"
#include "pipeline/protect.h"
#include "pipeline/tables.h"
#include "report/labels.h"
#include "report/report_internal.h"
#include "report/series.h"
#include "store/log_proof.h"
#include "tvault/report.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

using pipeline::CellId;
using pipeline::CellState;
using pipeline::Counts;
using pipeline::MonthFacts;
using pipeline::PeriodTables;
using report_internal::SeriesStack;

void Progress(const ReportRequest& r, const std::string& line) {
  if (r.progress) r.progress(line);
}

// The settings a series must keep from release to release: what is counted and how it is
// protected (time budgets may change).
std::string SeriesSettingsKey(const v1::ReportSettings& s) {
  v1::ReportSettings k = s;
  k.clear_protect_time_limit_seconds();
  k.clear_audit_time_limit_seconds();
  return k.SerializeAsString();
}

std::vector<std::string> TablesOf(const v1::ReportSettings& s) {
  std::vector<std::string> out;
  // Publication order is the catalogue's, whatever the order of the settings.
  for (const pipeline::TableSpec& t : pipeline::TableCatalogue()) {
    bool wanted = s.tables().empty();
    for (const std::string& n : s.tables()) wanted = wanted || n == t.name;
    if (wanted) out.push_back(t.name);
  }
  return out;
}

std::map<std::string, Counts> CountAll(const std::vector<std::string>& tables,
                                       const pipeline::Categories& cats, const MonthFacts& f) {
  std::map<std::string, Counts> out;
  for (const std::string& name : tables) {
    out[name] = pipeline::CountTable(*pipeline::FindTable(name), cats, f);
  }
  return out;
}

std::map<std::string, Counts> Sum(std::map<std::string, Counts> a,
                                  const std::map<std::string, Counts>& b) {
  for (auto& [name, c] : a) {
    const Counts& d = b.at(name);
    for (size_t i = 0; i < c.size(); ++i) {
      for (size_t j = 0; j < c[i].size(); ++j) c[i][j] += d[i][j];
    }
  }
  return a;
}

// What one release counts: the facts of its records, and which records they are.
struct Selection {
  MonthFacts facts;
  std::vector<CountedRecord> counted;
};

// The records of the year up to `month` that no release of any series counted (release basis),
// each person counted once per incident month within the release.
Status SelectRelease(Store& store, const std::string& month,
                     const std::map<std::string, std::string>& facility_types,
                     Selection* out) {
  std::set<std::string> counted;
  TVAULT_RETURN_IF_ERROR(store.ScanCounted("", [&](CountedRecord&& c) {
    counted.insert(c.id);
    return Status::Ok();
  }));
  pipeline::PersonOnce once;
  const std::string year = month.substr(0, 4);
  return store.ScanForReport(year + "-01", month, [&](ScannedRecord&& r) -> Status {
    const RecordInfo& info = r.version.info;
    if (counted.count(info.id)) return Status::Ok();
    const bool people = once.First(info.incident_month, r.person);
    TVAULT_RETURN_IF_ERROR(pipeline::AddTestimonyFacts(r.version.testimony, people,
                                                       facility_types, info.id, &out->facts));
    CountedRecord c;
    c.id = info.id;
    c.version = info.version;
    c.series = year;
    c.month = month;
    c.view = std::move(r.version.testimony);
    c.people_counted = people;
    out->counted.push_back(std::move(c));
    return Status::Ok();
  });
}

// What a revision counts, split three ways against what the releases of the year counted: a
// record counted then and contributing exactly the same now is kept; otherwise what it
// contributed then is removed and what it contributes now is added.
struct RevisionSelection {
  MonthFacts now, kept, added, removed;
};

Status SelectRevision(Store& store, const std::string& year,
                      const std::map<std::string, std::string>& facility_types,
                      RevisionSelection* out) {
  std::map<std::string, CountedRecord> then;
  TVAULT_RETURN_IF_ERROR(store.ScanCounted(year, [&](CountedRecord&& c) {
    then.emplace(c.id, std::move(c));
    return Status::Ok();
  }));
  pipeline::PersonOnce once;
  TVAULT_RETURN_IF_ERROR(
      store.ScanForReport(year + "-01", year + "-12", [&](ScannedRecord&& r) -> Status {
        const RecordInfo& info = r.version.info;
        const bool people = once.First(info.incident_month, r.person);
        const v1::Testimony& view = r.version.testimony;
        TVAULT_RETURN_IF_ERROR(
            pipeline::AddTestimonyFacts(view, people, facility_types, info.id, &out->now));
        auto it = then.find(info.id);
        if (it != then.end() && it->second.people_counted == people &&
            it->second.view.SerializeAsString() == view.SerializeAsString()) {
          TVAULT_RETURN_IF_ERROR(
              pipeline::AddTestimonyFacts(view, people, facility_types, info.id, &out->kept));
        } else {
          TVAULT_RETURN_IF_ERROR(
              pipeline::AddTestimonyFacts(view, people, facility_types, info.id, &out->added));
          if (it != then.end()) {
            TVAULT_RETURN_IF_ERROR(pipeline::AddTestimonyFacts(
                it->second.view, it->second.people_counted, facility_types, info.id,
                &out->removed));
          }
        }
        if (it != then.end()) then.erase(it);
        return Status::Ok();
      }));
  // Counted then, gone now: deleted, or moved out of the year.
  for (const auto& [id, c] : then) {
    TVAULT_RETURN_IF_ERROR(
        pipeline::AddTestimonyFacts(c.view, c.people_counted, facility_types, id, &out->removed));
  }
  return Status::Ok();
}

// Nationalities with their own category in `cats`.
std::set<std::string> KeptNationalities(const pipeline::Categories& cats) {
  std::set<std::string> keep;
  for (const std::string& n : cats.nationalities) {
    if (n != pipeline::kOtherLabel && n != pipeline::kUnknownLabel) keep.insert(n);
  }
  return keep;
}

// The cells of the tables of `periods`, published or not.
std::vector<CellId> CellsOfPeriods(const SeriesStack& s,
                                   const std::vector<const PeriodTables*>& periods) {
  std::vector<CellId> out;
  for (const PeriodTables* p : periods) {
    for (const auto& [name, t] : *p) {
      for (CellId c : report_internal::CellsOf(s.set.tables()[static_cast<size_t>(t)])) {
        out.push_back(c);
      }
    }
  }
  return out;
}

}  // namespace

Result<BuiltReport> BuildReport(Store& store, const OrgSecretKey& org,
                                const ReportRequest& request) {
  std::string month = request.month;
  const bool revision = request.revision;
  if (month.size() != 7 || !IsIsoDate(month + "-01")) {
    return InvalidArgument("--month: \"" + month + "\" is not a month (YYYY-MM)");
  }
  if (!revision) TVAULT_RETURN_IF_ERROR(CheckReportMonth(month));
  if (report_internal::FindCatalogue(request.language) == nullptr) {
    return InvalidArgument("--lang: \"" + request.language + "\" is not a language of the "
                           "report's labels (" + ReportLanguages() + ")");
  }
  const v1::ReportSettings& s = request.settings;
  const std::string year = month.substr(0, 4);
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::LedgerRelease> ledger, store.Releases(year));
  const v1::LedgerRelease* last = ledger.empty() ? nullptr : &ledger.back();
  for (const v1::LedgerRelease& r : ledger) {
    if (r.kind() == report_internal::kKindRevision) {
      return InvalidArgument("the series " + year + " was closed by its revision (after the "
                             "release of " + r.month() + "): no release of " + year +
                             " can follow it");
    }
  }
  if (revision) {
    if (last == nullptr) {
      return InvalidArgument("--revision " + year + ": the ledger holds no release of " + year +
                             " to revise");
    }
    month = last->month();
  } else if (last != nullptr && month <= last->month()) {
    return Status(Code::kAlreadyExists,
                  "--month " + month + ": the ledger already holds the release of " +
                      last->month() + "; a release must come after the last one (`tvault "
                      "ledger export` writes a published release again)");
  }
  if (last != nullptr && SeriesSettingsKey(ledger.front().settings()) != SeriesSettingsKey(s)) {
    return InvalidArgument("the settings differ from those of the series " + year +
                           " (first release " + ledger.front().month() +
                           "): every release of a year keeps its thresholds, tables and cost");
  }
  // A table added to the catalogue since the series began stays out of it (TablesOfSeries).
  std::set<std::string> previous_tables;
  if (last != nullptr) {
    for (const v1::LedgerTable& t : last->tables()) previous_tables.insert(t.name());
  }
  const std::vector<std::string> tables = pipeline::TablesOfSeries(
      TablesOf(s), last == nullptr ? nullptr : &previous_tables);

  std::vector<StageTime> timings;
  StageClock clock;
  Progress(request, "pseudonymising new record versions");
  TVAULT_ASSIGN_OR_RETURN(uint64_t derived, store.DerivePseudonyms(org));
  (void)derived;
  clock.Lap("pseudonymise", &timings);

  Progress(request, revision ? "reading " + year + " as it stands now"
                             : "reading what no release has counted, up to " + month);
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::Facility> registry, store.ListFacilities());
  const std::map<std::string, std::string> types = pipeline::FacilityTypeLabels(registry);
  pipeline::Categories before;
  std::set<std::string> folded_before, folded;
  if (last != nullptr) {
    before = report_internal::CategoriesOf(last->categories());
    folded_before.insert(last->categories().folded().begin(), last->categories().folded().end());
  }
  Selection release;
  RevisionSelection rev;
  pipeline::Categories cats;
  if (revision) {
    TVAULT_RETURN_IF_ERROR(SelectRevision(store, year, types, &rev));
    cats = pipeline::GrowCategories(before, folded_before, s.nationality_min_people(), &rev.now,
                                    &folded);
    for (MonthFacts* f : {&rev.kept, &rev.added, &rev.removed}) {
      pipeline::FoldNationalities(KeptNationalities(cats), f);
    }
  } else {
    TVAULT_RETURN_IF_ERROR(SelectRelease(store, month, types, &release));
    cats = pipeline::GrowCategories(before, folded_before, s.nationality_min_people(),
                                    &release.facts, &folded);
  }
  clock.Lap("scan+aggregate", &timings);

  // Every earlier release as published, then this one.
  TVAULT_ASSIGN_OR_RETURN(SeriesStack stack,
                          report_internal::StackOfLedger(ledger, cats, tables, s));
  const bool first = stack.months.empty();
  std::vector<std::pair<std::string, PeriodTables>> published;  // (period name, tables)
  std::vector<std::pair<std::string, PeriodTables>> unpublished;
  if (revision) {
    const std::string p = report_internal::RevisionPeriod(year);
    TVAULT_ASSIGN_OR_RETURN(PeriodTables now,
                            report_internal::AddLinkedPeriod(&stack, p, tables,
                                                             CountAll(tables, cats, rev.now),
                                                             cats, s));
    PeriodTables parts[3];
    const std::pair<const char*, const MonthFacts*> linking[3] = {
        {" kept", &rev.kept}, {" added", &rev.added}, {" removed", &rev.removed}};
    for (int i = 0; i < 3; ++i) {
      TVAULT_ASSIGN_OR_RETURN(
          parts[i], report_internal::AddLinkedPeriod(&stack, p + linking[i].first, tables,
                                                     CountAll(tables, cats, *linking[i].second),
                                                     cats, s));
      for (CellId c : CellsOfPeriods(stack, {&parts[i]})) {
        TVAULT_RETURN_IF_ERROR(stack.set.SetHidden(c, true));
      }
      unpublished.push_back({p + linking[i].first, parts[i]});
    }
    TVAULT_RETURN_IF_ERROR(report_internal::LinkCellwise(&stack, now, {&parts[0], &parts[1]}));
    TVAULT_RETURN_IF_ERROR(
        report_internal::LinkCellwise(&stack, stack.last_ytd, {&parts[0], &parts[2]}));
    published.push_back({p, now});
  } else {
    const std::map<std::string, Counts> own = CountAll(tables, cats, release.facts);
    TVAULT_ASSIGN_OR_RETURN(PeriodTables mt, report_internal::AddLinkedPeriod(
                                                 &stack, month, tables, own, cats, s));
    const std::map<std::string, Counts> ytd_counts =
        first ? own : Sum(report_internal::CountsOf(stack, stack.last_ytd), own);
    TVAULT_ASSIGN_OR_RETURN(
        PeriodTables yt,
        report_internal::AddLinkedPeriod(&stack, report_internal::YtdPeriodOf(month), tables,
                                         ytd_counts, cats, s));
    std::vector<const PeriodTables*> parts = {&mt};
    if (!first) parts.push_back(&stack.last_ytd);
    TVAULT_RETURN_IF_ERROR(report_internal::LinkCellwise(&stack, yt, parts));
    published.push_back({month, mt});
    published.push_back({report_internal::YtdPeriodOf(month), yt});
  }

  Progress(request, "protecting the " + std::string(revision ? "revision of " + year
                                                               : "release of " + month));
  pipeline::ProtectOptions popts;
  popts.cost = s.suppression_cost() == "unity" ? pipeline::CostKind::kUnity
                                               : pipeline::CostKind::kValue;
  popts.time_limit_seconds = s.protect_time_limit_seconds();
  // The certificates that protected the series so far, carried into this release's tables.
  std::vector<report_internal::Certificate> seeds;
  if (!revision && !ledger.empty() && ledger.back().kind() == report_internal::kKindMonthly) {
    seeds = report_internal::SeedsOf(stack, ledger.back(),
                                     report_internal::YtdPeriodOf(ledger.back().month()),
                                     report_internal::YtdPeriodOf(month));
    popts.seeds = &seeds;
  }
  Result<pipeline::SuppressionPattern> pattern = pipeline::Protect(stack.set, popts);
  if (!pattern.ok()) {
    return Status(pattern.status().code(),
                  "protecting the " + std::string(revision ? "revision" : "release") + " of " +
                      month + ": " + pattern.status().message());
  }
  clock.Lap("protect", &timings);

  Progress(request, "self-audit: the attacker's bounds of every suppressed cell");
  std::vector<bool> suppressed(stack.set.cells().size());
  for (size_t c = 0; c < suppressed.size(); ++c) suppressed[c] = pattern->Suppressed(c);
  pipeline::AuditOptions aopts;
  aopts.time_limit_seconds = s.audit_time_limit_seconds();
  // The components of earlier releases alone were audited when those releases were made, over
  // exactly the same relations and constants (the ledger's numbers).
  aopts.skip_settled_components = true;
  // The protection's certificates, checked again here: a sensitive cell they already show
  // to be protected needs no solve (AuditOptions::points).
  aopts.points = &pattern->certificates;
  TVAULT_ASSIGN_OR_RETURN(
      pipeline::AuditReport audit,
      pipeline::Audit(stack.set, pipeline::WithheldFrom(stack.set, suppressed), aopts));
  TVAULT_RETURN_IF_ERROR(pipeline::RequirePassed(audit));
  clock.Lap("self-audit", &timings);

  BuiltReport out;
  out.audit_lines.push_back(
      "protection: " + std::to_string(pattern->primary) + " primary and " +
      std::to_string(pattern->secondary) + " secondary suppressions, " +
      std::to_string(pattern->solves) + " LP/ILP solves (" +
      std::to_string(pattern->cleanup_solves) + " in the clean-up, " +
      std::to_string(pattern->released) + " cells published again" +
      (pattern->cleanup_untried > 0
           ? ", stopped by the time or solve limit with " +
                 std::to_string(pattern->cleanup_untried) + " cells untried"
           : std::string()) + "), " +
      std::to_string(pattern->seeded) + " demands met by earlier releases' certificates (" +
      std::to_string(seeds.size()) + " carried, " + std::to_string(pattern->seeds_rejected) +
      " not valid), " + std::to_string(pattern->settled) + " sensitive cells settled");
  out.audit_lines.push_back(
      "self-audit passed: " + std::to_string(audit.cells.size()) + " withheld cells (" +
      std::to_string(audit.settled_cells) + " more settled by earlier releases) of " +
      std::to_string(stack.months.size() + 1) + " release(s) of " + year + ", " +
      std::to_string(audit.solves) + " LP/ILP solves, " +
      std::to_string(audit.cells_from_points) + " cells decided by the protection's " +
      "certificates (" + std::to_string(audit.points_rejected) + " not valid)");
  for (const auto& [name, period] : published) {
    for (const auto& [table, t] : period) {
      std::vector<CellState> states;
      for (CellId c : report_internal::CellsOf(stack.set.tables()[static_cast<size_t>(t)])) {
        states.push_back(pattern->state[static_cast<size_t>(c)]);
      }
      stack.patterns[name + "/" + table] = std::move(states);
    }
  }
  v1::Report& r = out.report;
  r.set_format(kReportFormat);
  r.set_month(month);
  r.set_year_to_date_from(year + "-01");
  r.set_basis(report_internal::kBasisRelease);
  r.set_kind(revision ? report_internal::kKindRevision : report_internal::kKindMonthly);
  if (revision) {
    r.set_previous_release(month);
    report_internal::DescribeTables(stack.set, stack.index, stack.patterns, tables,
                                    published[0].first, "revision", &r);
  } else {
    if (!first) r.set_previous_release(stack.months.back());
    report_internal::DescribeTables(stack.set, stack.index, stack.patterns, tables, month,
                                    "month", &r);
    report_internal::DescribeTables(stack.set, stack.index, stack.patterns, tables,
                                    report_internal::YtdPeriodOf(month), "year_to_date", &r);
    std::vector<std::string> months = stack.months;
    months.push_back(month);
    report_internal::DescribeTrend(stack.set, stack.index, stack.patterns, months, &r);
  }
  report_internal::DescribeFacilities(registry, &r);
  TVAULT_ASSIGN_OR_RETURN(std::string checkpoint, store.DataCheckpoint());
  r.set_log_checkpoint(checkpoint);
  r.set_log_verifier_key(store.LogVerifierKey());
  TVAULT_ASSIGN_OR_RETURN(std::vector<ConsistencyProofData> proofs,
                          store.ProofsFromEarlierReports(revision ? month + "~" : month));
  for (const ConsistencyProofData& p : proofs) internal::ProofToProto(p, r.add_log_proofs());

  v1::Manifest& man = out.manifest;
  man.set_format(kManifestFormat);
  man.set_code_version(TVAULT_VERSION);
  man.set_month(month);
  *man.mutable_settings() = s;
  man.set_language(request.language.empty() ? "en" : request.language);
  for (const v1::ReportTable& t : r.tables()) {
    if (t.period() == "by_month") continue;  // trend: copies of earlier releases
    for (const v1::ReportCell& c : t.cells()) {
      if (c.suppressed()) {
        man.set_cells_suppressed(man.cells_suppressed() + 1);
      } else {
        man.set_cells_published(man.cells_published() + 1);
      }
    }
  }

  // What the ledger will keep of this release (RecordRelease adds the files).
  v1::LedgerRelease& entry = out.ledger;
  entry.set_series(year);
  entry.set_month(month);
  entry.set_kind(r.kind());
  entry.set_previous_release(r.previous_release());
  *entry.mutable_settings() = s;
  *entry.mutable_categories() = report_internal::LedgerCategoriesOf(cats, folded);
  entry.set_made_by("report");
  for (const auto& [name, period] : published) {
    report_internal::AppendLedgerTables(stack, period, name, pattern->state, false, &entry);
  }
  for (const auto& [name, period] : unpublished) {
    report_internal::AppendLedgerTables(stack, period, name, pattern->state, true, &entry);
  }
  report_internal::AppendCertificates(stack, pattern->certificates, &entry);
  out.counted = std::move(release.counted);
  out.utility = UtilityOf(entry);
  clock.Lap("describe", &timings);
  out.timings = std::move(timings);
  return out;
}

}  // namespace tvault
