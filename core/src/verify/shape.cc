// Check 2, shape, for report.json and manifest.json: canonical JSON, known tables with their
// fixed titles, units and dimensions, labels that are category codes of a closed list (so no
// free text, identifier or pseudonym can hide in one), cells in the published order, one of
// count and suppressed per cell, and percentages only where docs/methodology.md allows them.
// The CSV and HTML files are compared with report.json in formats.cc. Also check 3,
// thresholds.
#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/tables.h"
#include "report/report_internal.h"
#include "tvault/report.h"
#include "tvault/schema.h"
#include "tvault/v1/testimony.pb.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {

void CheckFormats(const Parsed& p, VerifyCheck* check);         // formats.cc
void CheckFacilityLabels(const Parsed& p, VerifyCheck* check);  // formats.cc

namespace {

const char* const kAgeBands[] = {"0-13", "14-17", "18-25", "26-35", "36+", "unknown"};
const char* const kStayBands[] = {"0-6",  "7-29", "30-89", "90-179", "180+",
                                  "range across bands", "unknown"};

// The lower-case labels of an enum's values, prefix removed, UNSPECIFIED excluded; exactly how
// docs/methodology.md names violence, perpetrator, condition and severity categories.
std::set<std::string> EnumLabels(const google::protobuf::EnumDescriptor* e,
                                 const std::string& prefix) {
  std::set<std::string> out;
  for (int i = 0; i < e->value_count(); ++i) {
    std::string name = e->value(i)->name();
    if (name.find("UNSPECIFIED") != std::string::npos) continue;
    if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.insert(name);
  }
  return out;
}

bool IsFacilityId(const std::string& s) {
  if (s.size() < 2 || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IsMonth(const std::string& s) { return s.size() == 7 && IsIsoDate(s + "-01"); }

// Report.basis, Report.kind (proto/tvault/v1/report.proto).
constexpr char kBasisRelease[] = "release";
constexpr char kKindMonthly[] = "monthly";
constexpr char kKindRevision[] = "revision";

// Whether `label` is a category of dimension `dim`; `why` says what was expected.
bool KnownLabel(const std::string& dim, const std::string& label, std::string* why) {
  static const std::set<std::string> violence =
      EnumLabels(v1::ViolenceType_descriptor(), "VIOLENCE_");
  static const std::set<std::string> perpetrators =
      EnumLabels(v1::PerpetratorType_descriptor(), "PERPETRATOR_");
  static const std::set<std::string> conditions =
      EnumLabels(v1::Condition_descriptor(), "CONDITION_");
  static const std::set<std::string> severities =
      EnumLabels(v1::Severity_descriptor(), "SEVERITY_");
  static const std::set<std::string> arrivals = EnumLabels(v1::Arrival_descriptor(), "ARRIVAL_");
  auto in = [&](const std::set<std::string>& s, const char* what) {
    *why = what;
    return s.count(label) > 0;
  };
  if (dim == "pushed_from" || dim == "pushed_to") {
    *why = "an ISO 3166-1 alpha-2 country code";
    return IsIsoCountryCode(label);
  }
  if (dim == "nationality") {
    *why = "an ISO 3166-1 alpha-2 code, \"other\" or \"unknown\"";
    return IsIsoCountryCode(label) || label == "other" || label == "unknown";
  }
  if (dim == "age_band") {
    *why = "an age band of docs/methodology.md";
    return std::find(std::begin(kAgeBands), std::end(kAgeBands), label) != std::end(kAgeBands);
  }
  if (dim == "stay_days") {
    *why = "a length-of-stay band of docs/methodology.md";
    return std::find(std::begin(kStayBands), std::end(kStayBands), label) != std::end(kStayBands);
  }
  if (dim == "arrival") return in(arrivals, "an arrival of the schema");
  if (dim == "violence") return in(violence, "a violence type of the schema");
  if (dim == "perpetrator") return in(perpetrators, "a perpetrator type of the schema");
  if (dim == "condition") return in(conditions, "a condition of the schema");
  if (dim == "severity") return in(severities, "a severity of the schema");
  if (dim == "reported")
    return in({"reported", "not reported"}, "\"reported\" or \"not reported\"");
  if (dim == "asylum_intention" || dim == "minors_involved") {
    return in({"yes", "no", "unknown"}, "yes, no or unknown");
  }
  if (dim == "chain") return in({"chain", "single border"}, "\"chain\" or \"single border\"");
  if (dim == "facility_type") {
    return in({"reception", "asylum", "transit", "detention", "informal_site", "return_hub",
               "pre_removal_detention", "other"},
              "a facility type of the registry");
  }
  if (dim == "facility") {
    *why = "a facility id of the registry (2-32 of A-Z, 0-9, '-')";
    return IsFacilityId(label);
  }
  *why = "a known dimension";
  return false;
}

struct Ctx {
  const Parsed& p;
  VerifyCheck* check;
  void Fail(const v1::ReportTable* t, const v1::ReportCell* c, const std::string& why) const {
    check->failures.push_back(
        {p.Name(kReportJsonFile), t ? TableName(*t) : "", c ? CellName(*c) : "", why});
  }
};

// The labels of a table's cells must be: interior cells row by row, then row totals, column
// totals and the grand total (2-D), or the total (1-D); trend tables: months 01..M in order.
void CheckLayout(const Ctx& x, const v1::ReportTable& t, const v1::Report& r) {
  std::vector<std::vector<std::string>> got;
  for (const v1::ReportCell& c : t.cells()) got.push_back({c.labels().begin(), c.labels().end()});
  std::vector<std::vector<std::string>> want;
  if (t.period() == "by_month" && r.basis() == kBasisRelease) {
    // One cell per release of the year so far, in order: months of the report's year, rising,
    // ending with the release before this one and this one.
    bool ok = !got.empty();
    std::string last;
    for (const auto& l : got) {
      ok = ok && l.size() == 1 && IsMonth(l[0]) && l[0].substr(0, 4) == r.month().substr(0, 4) &&
           l[0] > last;
      if (ok) last = l[0];
    }
    ok = ok && last == r.month();
    if (ok && r.previous_release().empty()) ok = got.size() == 1;
    if (ok && !r.previous_release().empty()) {
      ok = got.size() >= 2 && got[got.size() - 2][0] == r.previous_release();
    }
    if (!ok) {
      x.Fail(&t, nullptr,
             "cells are not the year's releases in order, ending with the previous release and "
             "this one");
    }
    want = got;
  } else if (t.period() == "by_month") {
    const int months = std::stoi(r.month().substr(5, 2));
    for (int m = 1; m <= months; ++m) {
      want.push_back({r.month().substr(0, 5) + (m < 10 ? "0" : "") + std::to_string(m)});
    }
  } else if (t.dimensions_size() == 1) {
    for (size_t i = 0; i + 1 < got.size(); ++i) want.push_back(got[i]);
    want.push_back({pipeline::kTotalLabel});
  } else {
    std::vector<std::string> rows, cols;
    for (const auto& l : got) {
      if (l.size() != 2 || l[0] == pipeline::kTotalLabel || l[1] == pipeline::kTotalLabel) break;
      if (std::find(rows.begin(), rows.end(), l[0]) == rows.end()) rows.push_back(l[0]);
      if (std::find(cols.begin(), cols.end(), l[1]) == cols.end()) cols.push_back(l[1]);
    }
    for (const auto& r0 : rows)
      for (const auto& c0 : cols) want.push_back({r0, c0});
    for (const auto& r0 : rows) want.push_back({r0, pipeline::kTotalLabel});
    for (const auto& c0 : cols) want.push_back({pipeline::kTotalLabel, c0});
    want.push_back({pipeline::kTotalLabel, pipeline::kTotalLabel});
  }
  if (got != want) x.Fail(&t, nullptr, "cells are not the full table in the published order");
  std::set<std::vector<std::string>> seen;
  for (const auto& l : got) {
    if (!seen.insert(l).second) x.Fail(&t, nullptr, "two cells have the same labels");
  }
}

void CheckTable(const Ctx& x, const v1::ReportTable& t, const v1::Report& r,
                const v1::ReportSettings& s) {
  const bool trend = t.period() == "by_month";
  const bool revision = r.kind() == kKindRevision;
  if (t.period() != "month" && t.period() != "year_to_date" && !trend &&
      t.period() != "revision") {
    return x.Fail(&t, nullptr, "unknown period \"" + t.period() + "\"");
  }
  // A revision publishes only the year's revision tables; a monthly report never one.
  if (revision && t.period() != "revision") {
    return x.Fail(&t, nullptr, "a revision publishes only tables of period \"revision\"");
  }
  if (!revision && t.period() == "revision") {
    return x.Fail(&t, nullptr, "a table of period \"revision\" in a report that is not a revision");
  }
  std::string unit, title;
  std::vector<std::string> dims;
  bool shares = false;
  if (trend) {
    if (t.name() == "people_by_month") {
      unit = "people", title = "People pushed back, month by month";
    } else if (t.name() == "testimonies_by_month") {
      unit = "testimonies", title = "Pushback testimonies, month by month";
    } else {
      return x.Fail(&t, nullptr, "not a trend table of the catalogue");
    }
    dims = {"month"};
  } else {
    const pipeline::TableSpec* spec = pipeline::FindTable(t.name());
    if (spec == nullptr) return x.Fail(&t, nullptr, "not a table of the catalogue");
    unit = spec->unit == pipeline::Unit::kPeople ? "people" : "testimonies";
    title = spec->title;
    dims = spec->dimensions;
    shares = spec->shares;
  }
  if (t.title() != title) x.Fail(&t, nullptr, "the title is not the catalogue's");
  if (t.unit() != unit) x.Fail(&t, nullptr, "unit \"" + t.unit() + "\", expected " + unit);
  if (std::vector<std::string>(t.dimensions().begin(), t.dimensions().end()) != dims) {
    return x.Fail(&t, nullptr, "dimensions are not the catalogue's");
  }
  const uint32_t k = unit == "people" ? s.people().k() : s.testimonies().k();
  if (t.k() != k) {
    x.Fail(&t, nullptr,
           "k " + std::to_string(t.k()) + " differs from the manifest's " + std::to_string(k));
  }
  const std::string base = shares ? "testimonies_by_route Total" : "";
  if (t.percent_base() != base) x.Fail(&t, nullptr, "unexpected percent_base");
  CheckLayout(x, t, r);
  for (const v1::ReportCell& c : t.cells()) {
    if (c.labels_size() != static_cast<int>(dims.size())) {
      x.Fail(&t, &c, "wrong number of labels");
      continue;
    }
    for (int i = 0; i < c.labels_size() && !trend; ++i) {
      std::string why;
      if (c.labels(i) != pipeline::kTotalLabel &&
          !KnownLabel(dims[static_cast<size_t>(i)], c.labels(i), &why)) {
        x.Fail(&t, &c, "label \"" + c.labels(i) + "\" is not " + why);
      }
    }
    if (c.has_count() == c.suppressed()) {
      x.Fail(&t, &c, "must have exactly one of count and suppressed");
    }
    if (c.has_percent() && c.suppressed()) {
      x.Fail(&t, &c, "a suppressed cell carries a percentage, which reveals its count");
    } else if (c.has_percent() && !shares) {
      x.Fail(&t, &c, "a percentage on a table that is not a table of shares");
    }
  }
}

// Percent = count / base * 100 rounded half up to one decimal; checked in integers.
bool PercentMatches(double percent, uint64_t count, uint64_t base) {
  const uint64_t tenths = (2000 * count + base) / (2 * base);
  const double p = static_cast<double>(tenths) / 10.0;
  return p == percent;
}

void CheckPercents(const Ctx& x, const v1::Report& r) {
  for (const v1::ReportTable& t : r.tables()) {
    if (t.percent_base().empty()) continue;
    std::optional<uint64_t> base;
    for (const v1::ReportTable& b : r.tables()) {
      if (b.name() != "testimonies_by_route" || b.period() != t.period() || b.cells().empty()) {
        continue;
      }
      const v1::ReportCell& total = *b.cells().rbegin();
      if (total.has_count()) base = total.count();
    }
    for (const v1::ReportCell& c : t.cells()) {
      const bool eligible = c.labels_size() == 2 && c.labels(1) == "reported" &&
                            c.labels(0) != pipeline::kTotalLabel && c.has_count();
      if (!c.has_percent()) {
        if (eligible && base && *base > 0) x.Fail(&t, &c, "the percentage is missing");
        continue;
      }
      if (!eligible || !base || *base == 0) {
        x.Fail(&t, &c, "a percentage where its count or base is not published");
      } else if (!PercentMatches(c.percent(), c.count(), *base)) {
        x.Fail(&t, &c,
               "percentage " + std::to_string(c.percent()) + " is not " +
                   std::to_string(c.count()) + " of " + std::to_string(*base));
      }
    }
  }
}

// basis, kind and previous_release: empty in a report made before the release basis; else a
// monthly release follows an earlier month of its year (or none), and a revision follows the
// release of its own month (the year's last).
void CheckSeriesFields(const Ctx& x, const v1::Report& r) {
  if (r.basis().empty()) {
    if (!r.kind().empty() || !r.previous_release().empty()) {
      x.Fail(nullptr, nullptr, "kind or previous_release without a basis");
    }
    return;
  }
  if (r.basis() != kBasisRelease) {
    return x.Fail(nullptr, nullptr, "basis \"" + r.basis() + "\" is not \"release\"");
  }
  const std::string& prev = r.previous_release();
  if (r.kind() == kKindMonthly) {
    if (!prev.empty() &&
        (!IsMonth(prev) || prev.substr(0, 4) != r.month().substr(0, 4) || prev >= r.month())) {
      x.Fail(nullptr, nullptr,
             "previous_release \"" + prev + "\" is not an earlier month of the same year");
    }
  } else if (r.kind() == kKindRevision) {
    if (prev != r.month()) {
      x.Fail(nullptr, nullptr,
             "a revision's previous_release must be its month (the release it follows)");
    }
  } else {
    x.Fail(nullptr, nullptr, "kind \"" + r.kind() + "\" is not \"monthly\" or \"revision\"");
  }
}

// The manifest's cell counts (reports of the release basis): the cells of the month and
// year-to-date tables (or the revision's), published and suppressed, as report.json has them.
void CheckCellCounts(const Parsed& p, VerifyCheck* check) {
  if (p.report.basis() != kBasisRelease) return;
  uint64_t published = 0, suppressed = 0;
  for (const v1::ReportTable& t : p.report.tables()) {
    if (t.period() == "by_month") continue;
    for (const v1::ReportCell& c : t.cells()) {
      if (c.has_count()) ++published;
      if (c.suppressed()) ++suppressed;
    }
  }
  if (p.manifest.cells_published() != published || p.manifest.cells_suppressed() != suppressed) {
    check->failures.push_back(
        {p.Name(kManifestFile), "", "",
         "cells_published " + std::to_string(p.manifest.cells_published()) +
             " and cells_suppressed " + std::to_string(p.manifest.cells_suppressed()) +
             " are not report.json's " + std::to_string(published) + " and " +
             std::to_string(suppressed)});
  }
}

}  // namespace

void CheckShape(const Parsed& p, VerifyCheck* check) {
  const Ctx x{p, check};
  const v1::Report& r = p.report;
  const v1::Manifest& m = p.manifest;
  // A release of format 1 (made before format 2) is checked by format 1's rules.
  const bool v1 = r.format() == kReportFormatV1;
  for (const auto& [file, msg] :
       {std::pair<const char*, const google::protobuf::Message*>{kReportJsonFile, &r},
        {kManifestFile, &m}}) {
    Result<std::string> canonical = v1 ? CanonicalJsonV1(*msg) : CanonicalJson(*msg);
    if (!canonical.ok() || *canonical != p.folder->files.at(file)) {
      check->failures.push_back({p.Name(file), "", "",
                                 "not in the canonical JSON form of docs/formats.md (extra "
                                 "content, reordered or duplicate fields)"});
    }
  }
  if (r.format() != kReportFormat && !v1) {
    x.Fail(nullptr, nullptr, "format is not " + std::string(kReportFormat) + " (nor " +
                                 kReportFormatV1 + ", of earlier releases)");
  }
  if (v1 && r.facilities_size() > 0) x.Fail(nullptr, nullptr, "format 1 has no facilities");
  if (!IsMonth(r.month())) return x.Fail(nullptr, nullptr, "month is not YYYY-MM");
  if (r.year_to_date_from() != r.month().substr(0, 4) + "-01") {
    x.Fail(nullptr, nullptr, "year_to_date_from is not January of the report's year");
  }
  CheckSeriesFields(x, r);
  auto mfail = [&](const std::string& why) {
    check->failures.push_back({p.Name(kManifestFile), "", "", why});
  };
  const char* manifest_format = v1 ? kManifestFormatV1 : kManifestFormat;
  if (m.format() != manifest_format) mfail("format is not " + std::string(manifest_format));
  if (m.month() != r.month()) mfail("month differs from report.json's");
  for (const char c : m.code_version()) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') {
      mfail("code_version is not a version number");
      break;
    }
  }
  if (v1 && !m.language().empty()) {
    mfail("format 1 has no language");
    return;
  }
  if (!v1 && !IsReportLanguage(m.language())) {
    mfail("language \"" + m.language() + "\" is not one of the report's catalogues (" +
          ReportLanguages() + ")");
    return;
  }
  Result<v1::ReportSettings> complete = CompleteReportSettings(m.settings());
  if (!complete.ok()) {
    mfail("settings are not valid: " + complete.status().message());
    return;
  }
  std::set<std::pair<std::string, std::string>> seen;
  std::set<std::string> csvs;
  for (const v1::ReportTable& t : r.tables()) {
    if (!seen.insert({t.period(), t.name()}).second) x.Fail(&t, nullptr, "published twice");
    if (!m.settings().tables().empty() && t.period() != "by_month" &&
        std::find(m.settings().tables().begin(), m.settings().tables().end(), t.name()) ==
            m.settings().tables().end()) {
      x.Fail(&t, nullptr, "not among the tables of the manifest's settings");
    }
    CheckTable(x, t, r, m.settings());
    csvs.insert(v1 ? report_internal::CsvFileNameV1(t) : report_internal::CsvFileName(r, t));
  }
  CheckPercents(x, r);
  CheckFacilityLabels(p, check);
  CheckCellCounts(p, check);
  std::set<std::string> listed;
  for (const v1::ManifestFile& f : m.files()) listed.insert(f.name());
  std::set<std::string> want = csvs;
  want.insert(kReportJsonFile);
  want.insert(kReportHtmlFile);
  if (listed != want) mfail("files are not report.json, report.html and one CSV per table");
  CheckFormats(p, check);
  check->notes.push_back(p.folder->dir + ": " + std::to_string(r.tables_size()) +
                         " tables checked");
}

void CheckThresholds(const Parsed& p, VerifyCheck* check) {
  const v1::ReportSettings& s = p.manifest.settings();
  size_t published = 0;
  for (const v1::ReportTable& t : p.report.tables()) {
    const uint32_t k = t.unit() == "people" ? s.people().k() : s.testimonies().k();
    for (const v1::ReportCell& c : t.cells()) {
      if (!c.has_count()) continue;
      ++published;
      if (c.count() != 0 && c.count() < k) {
        check->failures.push_back({p.Name(kReportJsonFile), TableName(t), CellName(c),
                                   "publishes " + std::to_string(c.count()) +
                                       ", below the threshold k = " + std::to_string(k)});
      }
    }
  }
  check->notes.push_back(
      p.folder->dir + ": " + std::to_string(published) +
      " published counts, each 0 or >= k (people k = " + std::to_string(s.people().k()) +
      ", testimonies k = " + std::to_string(s.testimonies().k()) + ")");
}

}  // namespace tvault::verify_internal
