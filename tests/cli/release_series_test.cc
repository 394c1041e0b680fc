// A year's series of releases through the real binary (issue 15, "Must show"): late data, edits
// and deletions of published records, a small network for twelve months, the numbers of the
// manifest and the HTML, `verify --previous` in any order and against an altered release, and
// the publication ledger. Every store is real, every testimony is written by the test (so that
// it knows every true count), and the attacker is tests/cli/attacker.py, which shares no code
// with tvault.
#include <algorithm>
#include <regex>

#include "series_fixture.h"
#include "tvault/report.h"

namespace tvault::testing {
namespace {

constexpr char kYear[] = "2025";

std::string MonthOf(int m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%s-%02d", kYear, m);
  return buf;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlowBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSlowBuild = true;
#else
constexpr bool kSlowBuild = false;
#endif
#else
constexpr bool kSlowBuild = false;
#endif

// The cells of `period` that `rec` counts in (every non-zero cell of a table holding it alone),
// each with its true value in `truth`.
std::vector<std::pair<CellRef, long>> TouchedCells(const Rec& rec, const std::string& period,
                                                   const Cells& truth) {
  std::vector<std::pair<CellRef, long>> out;
  for (const auto& [key, v] : Aggregate({rec})) {
    CellRef ref;
    ref.period = period;
    ref.table = key.substr(0, key.find('|'));
    std::string rest = key.substr(key.find('|') + 1);
    for (size_t p; (p = rest.find(',')) != std::string::npos; rest = rest.substr(p + 1)) {
      ref.labels.push_back(rest.substr(0, p));
    }
    ref.labels.push_back(rest);
    out.push_back({ref, At(truth, key)});
  }
  return out;
}

// Every sensitive cell of `period` (true value in 1..k-1: the cells that must be suppressed and
// keep their protection interval), from the test's own aggregation `truth`.
std::vector<std::pair<CellRef, long>> SensitiveCells(const std::string& period,
                                                     const Cells& truth) {
  std::vector<std::pair<CellRef, long>> out;
  const Rule rule;
  for (const auto& [key, v] : truth) {
    CellRef ref;
    ref.period = period;
    ref.table = key.substr(0, key.find('|'));
    if (v < 1 || v >= rule.KOf(ref.table)) continue;
    std::string rest = key.substr(key.find('|') + 1);
    for (size_t p; (p = rest.find(',')) != std::string::npos; rest = rest.substr(p + 1)) {
      ref.labels.push_back(rest.substr(0, p));
    }
    ref.labels.push_back(rest);
    out.push_back({ref, v});
  }
  return out;
}

std::vector<CellRef> Refs(const std::vector<std::pair<CellRef, long>>& cells) {
  std::vector<CellRef> out;
  for (const auto& [ref, v] : cells) out.push_back(ref);
  return out;
}

// Three people, a route, a nationality, ages, violence and a perpetrator that the ordinary
// months see rarely or never: every cell it touches is small.
Rec LateRecord(const std::string& date) {
  Rec r;
  r.name = "Late arrival " + date;
  r.date = date;
  r.from = "SI";
  r.to = "HR";
  r.nationalities = {{"ER", 3}};
  r.ages = {"AGE_0_13", "AGE_14_17", "AGE_36_PLUS"};
  r.violence = {"DOG_ATTACK", "EXPOSURE_COLD_WATER"};
  r.perpetrators = {"MILITARY"};
  r.asylum = "UNKNOWN";
  r.minors = "YES";
  r.chain = {"SI", "HR", "BA"};
  return r;
}

class ReleaseSeriesTest : public SeriesFixture {};

// 1. A testimony of three people dated two months back arrives after a release: the next
// release counts it (month and year to date), passes verify stacked with every earlier
// release, and no cell it touches is narrowed below its protection interval.
TEST_F(ReleaseSeriesTest, LateTestimonyLandsInTheNextReleaseAndStaysProtected) {
  std::vector<Rec> counted_before;  // everything the releases up to April counted
  std::vector<std::string> earlier;
  for (int m = 1; m <= 4; ++m) {
    std::vector<Rec> recs = MonthRecs(MonthOf(m), 20, 1);
    AddRecs(recs, "month-" + MonthOf(m));
    counted_before = Concat(counted_before, recs);
    earlier.push_back(Release(MonthOf(m)));
  }
  ASSERT_FALSE(HasFailure());
  // After April's release: May's testimonies, and one dated in March that arrives late.
  const Rec late = LateRecord(MonthOf(3) + "-14");
  const std::vector<Rec> may = MonthRecs(MonthOf(5), 20, 1);
  AddRecs(Concat(may, {late}), "may-and-late");
  const std::string may_dir = Release(MonthOf(5));
  ASSERT_FALSE(HasFailure());

  RunResult v = Verify(may_dir, earlier);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);

  // The release counts May's testimonies and the late one; its year to date everything.
  const Cells month_truth = Aggregate(Concat(may, {late}));
  const Cells ytd_truth = Aggregate(Concat(counted_before, Concat(may, {late})));
  ExpectPeriodMatches(may_dir, "month " + MonthOf(5), month_truth);
  ExpectPeriodMatches(may_dir, "year_to_date " + MonthOf(5), ytd_truth);
  // April's numbers as published are not revised: the late record is in none of them.
  ExpectPeriodMatches(earlier.back(), "year_to_date " + MonthOf(4), Aggregate(counted_before));
  const std::map<std::string, long> cells = ReportCells(may_dir);
  EXPECT_EQ(cells.at("by_month " + MonthOf(5) + "|testimonies_by_month|" + MonthOf(5)), 21);

  std::vector<std::pair<CellRef, long>> touched =
      TouchedCells(late, "month " + MonthOf(5), month_truth);
  for (auto& c : TouchedCells(late, "year_to_date " + MonthOf(5), ytd_truth)) touched.push_back(c);
  // And every other sensitive cell of the release.
  std::set<std::string> seen;
  for (const auto& c : touched) seen.insert(c.first.Name());
  for (const auto& [period, truth] :
       {std::make_pair("month " + MonthOf(5), &month_truth),
        std::make_pair("year_to_date " + MonthOf(5), &ytd_truth)}) {
    for (auto& c : SensitiveCells(period, *truth)) {
      if (seen.insert(c.first.Name()).second) touched.push_back(c);
    }
  }
  std::vector<std::string> all = earlier;
  all.push_back(may_dir);
  google::protobuf::Struct attack = Attack(all, Refs(touched));
  const int judged = ExpectProtected(attack, touched);
  // ER (3 people) is below k = 5 in both periods: the test must have judged suppressed cells.
  EXPECT_GE(judged, 2) << "the late record's cells were not suppressed at all?";
  RecordProperty("suppressed_cells_judged", judged);
}

// 2. An edit that moves a published record to another route and nationality, and the deletion
// of a published record: the next monthly release revises nothing; the annual revision applies
// both; both pass verify with every earlier release, and the cells the changed records touch in
// the revision keep their protection.
TEST_F(ReleaseSeriesTest, EditAndDeletionOfPublishedRecordsWaitForTheRevision) {
  Rec moved;
  moved.name = "Moved later";
  moved.date = MonthOf(1) + "-20";
  moved.from = "HR";
  moved.to = "BA";
  moved.nationalities = {{"SY", 2}};
  moved.ages = {"AGE_18_25", "AGE_26_35"};
  moved.violence = {"BEATING"};
  moved.perpetrators = {"BORDER_POLICE"};
  Rec gone = moved;
  gone.name = "Deleted later";
  gone.date = MonthOf(2) + "-03";
  gone.from = "HU";
  gone.to = "RS";
  gone.nationalities = {{"AF", 1}};
  gone.ages = {"AGE_14_17"};
  gone.minors = "YES";
  gone.violence = {"PEPPER_SPRAY", "THEFT"};

  std::vector<Rec> original;  // every record as the monthly releases counted it
  std::vector<std::string> earlier;
  std::string moved_id, gone_id;
  for (int m = 1; m <= 3; ++m) {
    std::vector<Rec> recs = MonthRecs(MonthOf(m), 20, 2);
    AddRecs(recs, "month-" + MonthOf(m));
    original = Concat(original, recs);
    if (m == 1) moved_id = AddRecWithId(moved, "moved"), original.push_back(moved);
    if (m == 2) gone_id = AddRecWithId(gone, "gone"), original.push_back(gone);
    earlier.push_back(Release(MonthOf(m)));
  }
  ASSERT_FALSE(HasFailure());

  // The corrections: to a route, a nationality, a violence type and a perpetrator no release
  // has seen (every cell of them small); the other record deleted.
  Rec moved_now = moved;
  moved_now.from = "RS";
  moved_now.to = "MK";
  moved_now.nationalities = {{"ER", 2}};
  moved_now.ages = {"AGE_0_13", "AGE_26_35"};
  moved_now.minors = "YES";
  moved_now.violence = {"ELECTRIC_SHOCK"};
  moved_now.perpetrators = {"COAST_GUARD"};
  TvOk({"edit", moved_id, "--from", WriteWork("moved-edit.json", RecJson(moved_now))});
  TvOk({"delete", gone_id, "--reason", "duplicate of another testimony"});
  const std::vector<Rec> april = MonthRecs(MonthOf(4), 20, 2);
  AddRecs(april, "month-" + MonthOf(4));
  const std::string april_dir = Release(MonthOf(4));
  ASSERT_FALSE(HasFailure());
  RunResult v = Verify(april_dir, earlier);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  // No published number is revised: April counts only April's testimonies, and its year to
  // date is March's as published plus April.
  ExpectPeriodMatches(april_dir, "month " + MonthOf(4), Aggregate(april));
  ExpectPeriodMatches(april_dir, "year_to_date " + MonthOf(4), Aggregate(Concat(original, april)));
  earlier.push_back(april_dir);

  // The revision: the year's records as they stand now.
  const std::string rev_dir = Path("revision-2025");
  RunResult r = Revision(kYear, rev_dir);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  v = Verify(rev_dir, earlier);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  std::vector<Rec> now;
  for (const Rec& x : Concat(original, april)) {
    if (x.name == gone.name) continue;
    now.push_back(x.name == moved.name ? moved_now : x);
  }
  const Cells rev_truth = Aggregate(now);
  ExpectPeriodMatches(rev_dir, "revision 2025", rev_truth);

  std::vector<std::pair<CellRef, long>> touched;
  std::set<std::string> seen;
  for (const Rec* x : {&moved, &moved_now, &gone}) {
    for (auto& c : TouchedCells(*x, "revision 2025", rev_truth)) {
      if (seen.insert(c.first.Name()).second) touched.push_back(c);
    }
  }
  for (auto& c : SensitiveCells("revision 2025", rev_truth)) {
    if (seen.insert(c.first.Name()).second) touched.push_back(c);
  }
  std::vector<std::string> all = earlier;
  all.push_back(rev_dir);
  const int judged = ExpectProtected(Attack(all, Refs(touched)), touched);
  EXPECT_GE(judged, 4) << "the moved record's new cells (2 people, 1 testimony) are below k";
  RecordProperty("suppressed_cells_judged", judged);

  // The revision closes the year, and the ledger writes it again byte for byte.
  RunResult again = Report(Path("after-revision"), MonthOf(5));
  EXPECT_EQ(again.exit_code, kInvalidInput) << Describe(again);
  EXPECT_NE(::access(Path("after-revision").c_str(), F_OK), 0);
  TvOk({"ledger", "export", "--month", MonthOf(4), "--revision", "--out", Path("rev-export")});
  std::map<std::string, std::string> a = ReadTree(rev_dir), b = ReadTree(Path("rev-export"));
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [path, bytes] : a) {
    EXPECT_TRUE(b[Path("rev-export") + path.substr(rev_dir.size())] == bytes) << path;
  }
}

// 3. A small network: about 25 testimonies a month for a year, with a perpetrator type and a
// nationality that first appear in July. Every release is made in order and passes verify
// stacked with every earlier one; then the revision.
TEST_F(ReleaseSeriesTest, SmallNetworkPublishesTwelveReleasesThatVerify) {
  GenOptions opt;
  opt.new_categories_from = 7;
  std::vector<std::string> dirs;
  std::vector<Rec> all;
  int judged = 0;
  for (int m = 1; m <= 12; ++m) {
    std::vector<Rec> recs = MonthRecs(MonthOf(m), 25, 3, opt);
    AddRecs(recs, "month-" + MonthOf(m));
    all = Concat(all, recs);
    RunResult r = Report(ReleaseDir(MonthOf(m)), MonthOf(m));
    ASSERT_EQ(r.exit_code, kOk) << "report --month " << MonthOf(m) << ": " << Describe(r);
    const bool check = !kSlowBuild || m == 2 || m == 7 || m == 12;
    if (check) {
      RunResult v = Verify(ReleaseDir(MonthOf(m)), dirs);
      EXPECT_EQ(v.exit_code, 0) << MonthOf(m) << " against " << dirs.size() << " earlier: "
                                << Describe(v);
    }
    dirs.push_back(ReleaseDir(MonthOf(m)));
    // July (where MILITARY and ER first appear) and December: every sensitive cell of the
    // release keeps its protection interval against the independent attacker.
    if (m == 7 || m == 12) {
      std::vector<std::pair<CellRef, long>> cells =
          SensitiveCells("month " + MonthOf(m), Aggregate(recs));
      for (auto& c : SensitiveCells("year_to_date " + MonthOf(m), Aggregate(all))) {
        cells.push_back(c);
      }
      judged += ExpectProtected(Attack(dirs, Refs(cells)), cells);
    }
  }
  EXPECT_GE(judged, 10);
  RecordProperty("suppressed_cells_judged", judged);
  // The categories that appeared in July are published from July on, and December's year to
  // date is the year's data.
  ExpectPeriodMatches(dirs.back(), "year_to_date " + MonthOf(12), Aggregate(all));
  const std::map<std::string, long> june = ReportCells(dirs[5]);
  EXPECT_EQ(june.count("year_to_date " + MonthOf(6) + "|people_by_nationality|ER"), 0u);
  const std::map<std::string, long> july = ReportCells(dirs[6]);
  EXPECT_EQ(july.count("year_to_date " + MonthOf(7) + "|people_by_nationality|ER"), 1u);

  const std::string rev_dir = Path("revision-2025");
  RunResult r = Revision(kYear, rev_dir);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  RunResult v = Verify(rev_dir, dirs);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  ExpectPeriodMatches(rev_dir, "revision 2025", Aggregate(all));
  // Every sensitive cell of the revision (a year of 300 testimonies may have none), against
  // the whole year; and the independent model agrees with every number published.
  dirs.push_back(rev_dir);
  std::vector<std::pair<CellRef, long>> cells = SensitiveCells("revision 2025", Aggregate(all));
  ExpectProtected(Attack(dirs, Refs(cells)), cells);
}

// Digit runs of `text` that are not part of a date (YYYY-MM[-DD]), an age band label, a
// version, a hash or a key id.
std::vector<std::string> NumbersIn(std::string text) {
  static const std::regex drop(
      R"([0-9]{4}-[0-9]{2}(-[0-9]{2})?|\b[0-9]+-[0-9]+\b|\b[0-9]+\+|[0-9]+\.[0-9]+\.[0-9]+|\b[0-9A-Fa-f]{16,}\b|SHA-256)");
  text = std::regex_replace(text, drop, " ");
  std::vector<std::string> out;
  static const std::regex number(R"([0-9]+(\.[0-9]+)?)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
       it != std::sregex_iterator(); ++it) {
    out.push_back(it->str());
  }
  return out;
}

// The visible text of an HTML page: no tags, no style, entities of digits left as they are.
std::string VisibleText(std::string html) {
  html = std::regex_replace(html, std::regex(R"(<style[\s\S]*?</style>)"), " ");
  html = std::regex_replace(html, std::regex(R"(<[^>]*>)"), " ");
  return html;
}

void CollectKeys(const google::protobuf::Value& v, const std::string& path,
                 std::vector<std::pair<std::string, const google::protobuf::Value*>>* out) {
  if (v.has_struct_value()) {
    for (const auto& [k, x] : v.struct_value().fields()) CollectKeys(x, path + "." + k, out);
  } else if (v.has_list_value()) {
    for (const auto& x : v.list_value().values()) CollectKeys(x, path + "[]", out);
  }
  out->push_back({path, &v});
}

// 4. Every number in manifest.json is a setting, a count of cells or a hash; every number in
// report.html's text is a count or percent of report.json, or a threshold.
TEST_F(ReleaseSeriesTest, ManifestAndHtmlPublishOnlyNumbersOfTheModel) {
  std::vector<std::string> dirs;
  for (int m = 1; m <= 3; ++m) {
    std::vector<Rec> recs = MonthRecs(MonthOf(m), 15, 4);
    if (m == 3) recs.push_back(LateRecord(MonthOf(1) + "-05"));
    AddRecs(recs, "month-" + MonthOf(m));
    dirs.push_back(Release(MonthOf(m)));
  }
  ASSERT_FALSE(HasFailure());
  const std::string rev_dir = Path("revision-2025");
  RunResult r = Revision(kYear, rev_dir);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  dirs.push_back(rev_dir);

  for (const std::string& dir : dirs) {
    SCOPED_TRACE(dir);
    google::protobuf::Value manifest;
    *manifest.mutable_struct_value() = ParseJsonObject(ReadFileOrDie(dir + "/manifest.json"));
    std::vector<std::pair<std::string, const google::protobuf::Value*>> keys;
    CollectKeys(manifest, "", &keys);
    int suppressed_cells = 0, published_cells = 0;
    for (const auto& [key, count] : ReportCells(dir)) {
      if (key.rfind("by_month", 0) == 0) continue;
      ++(count < 0 ? suppressed_cells : published_cells);
    }
    for (const auto& [path, value] : keys) {
      for (const char* banned : {"records", "selected", "in_month", "deleted_excluded",
                                 "duplicate_people", "without_pseudonym", "primary",
                                 "secondary"}) {
        const std::string leaf = path.substr(path.rfind('.') + 1);
        EXPECT_NE(leaf, banned) << "manifest.json publishes " << path;
      }
      if (!value->has_number_value()) continue;
      const bool allowed = path.rfind(".settings.", 0) == 0 || path == ".cells_published" ||
                           path == ".cells_suppressed";
      EXPECT_TRUE(allowed) << "manifest.json: a number outside the settings and cell counts: "
                           << path << " = " << value->number_value();
    }
    EXPECT_EQ(Field(manifest.struct_value(), "cells_published"), std::to_string(published_cells));
    EXPECT_EQ(Field(manifest.struct_value(), "cells_suppressed"),
              std::to_string(suppressed_cells));

    // Every CSV shows exactly the cells of report.json, with the same counts.
    const std::map<std::string, long> json_cells = ReportCells(dir);
    const std::string month = Field(ParseJsonObject(ReadFileOrDie(dir + "/report.json")), "month");
    size_t csv_cells = 0;
    for (const auto& [path, bytes] : ReadTree(dir)) {
      const std::string name = path.substr(dir.size() + 1);
      if (name.size() < 4 || name.substr(name.size() - 4) != ".csv") continue;
      std::vector<std::string> lines = SplitLines(bytes);
      for (std::string& l : lines) {
        if (!l.empty() && l.back() == '\r') l.pop_back();  // RFC 4180 line ends
      }
      ASSERT_FALSE(lines.empty()) << name;
      auto split = [](std::string rest) {  // codes only: no quoted field in these tables
        std::vector<std::string> f;
        for (size_t q; (q = rest.find(',')) != std::string::npos; rest = rest.substr(q + 1)) {
          f.push_back(rest.substr(0, q));
        }
        f.push_back(rest);
        return f;
      };
      // period,period_kind,table,unit,<dimensions>,total,value,status,percent
      const std::vector<std::string> header = split(lines[0]);
      ASSERT_GE(header.size(), 9u) << name;
      ASSERT_EQ(header[3], "unit") << name;
      const size_t dims = header.size() - 8;
      for (size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> f = split(lines[i]);
        ASSERT_EQ(f.size(), header.size()) << name << ": " << lines[i];
        const std::string& period = f[1];
        const std::string pid = period == "revision" ? "revision " + month.substr(0, 4)
                                                     : period + " " + month;
        EXPECT_EQ(name.rfind((period == "revision" ? month.substr(0, 4) : month) + "-" + period +
                                 "-" + f[2] + ".csv", 0),
                  0u)
            << name << " does not say its month, period and table";
        const std::string key = pid + "|" + CellKey(f[2], std::vector<std::string>(
                                                              f.begin() + 4,
                                                              f.begin() + 4 + static_cast<long>(dims)));
        auto it = json_cells.find(key);
        ASSERT_NE(it, json_cells.end()) << name << ": " << lines[i] << " is not in report.json";
        EXPECT_EQ(f[5 + dims], it->second < 0 ? "" : std::to_string(it->second))
            << name << ": " << lines[i];
        EXPECT_EQ(f[6 + dims], it->second < 0 ? kSuppressedMarker : "published")
            << name << ": " << lines[i];
        ++csv_cells;
      }
    }
    EXPECT_EQ(csv_cells, json_cells.size()) << "the CSV files and report.json hold other cells";

    // report.html: the numbers a reader sees.
    google::protobuf::Struct report = ParseJsonObject(ReadFileOrDie(dir + "/report.json"));
    std::set<std::string> known;  // counts and percents of report.json, thresholds
    std::set<int> ks;
    for (const auto& tv : report.fields().at("tables").list_value().values()) {
      const auto& t = tv.struct_value();
      ks.insert(static_cast<int>(t.fields().at("k").number_value()));
      for (const auto& cv : t.fields().at("cells").list_value().values()) {
        const auto& c = cv.struct_value();
        if (c.fields().count("count")) {
          known.insert(std::to_string(static_cast<long>(c.fields().at("count").number_value())));
        }
        if (c.fields().count("percent")) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.1f", c.fields().at("percent").number_value());
          known.insert(buf);
        }
      }
    }
    for (int k : ks) known.insert(std::to_string(k));
    std::string text = VisibleText(ReadFileOrDie(dir + "/report.html"));
    // The explanation of the rule names the thresholds: "a count of 1 to 4 people, or 1 to 2
    // testimonies", k - 1 of each class.
    std::smatch rule;
    const std::regex rule_re(
        R"(a count of\s+1\s+to\s+([0-9]+)\s+people, or\s+1\s+to\s+([0-9]+)\s+testimonies)");
    if (std::regex_search(text, rule, rule_re)) {
      EXPECT_EQ(rule[1].str(), "4");
      EXPECT_EQ(rule[2].str(), "2");
      text = std::regex_replace(text, rule_re, " ");
    }
    // Age bands are labelled "0 to 13 years" ... "36 years and older".
    text = std::regex_replace(text, std::regex("[0-9]+ to [0-9]+ years|[0-9]+ years and older"),
                              " ");
    // The signing key's id, as minisign prints it (hex without leading zeros: it may be shorter
    // than 16 digits).
    const std::string key_id = Field(manifest.struct_value(), "signer_key_id");
    ASSERT_GE(key_id.size(), 8u);
    for (size_t p; (p = text.find(key_id)) != std::string::npos;) text.replace(p, key_id.size(), " ");
    // The year of the series names a period ("revision 2025"), like a month does.
    text = std::regex_replace(text, std::regex(std::string("\\b") + kYear + "\\b(?!-[0-9])"), " ");
    int numbers = 0;
    for (const std::string& n : NumbersIn(text)) {
      ++numbers;
      EXPECT_TRUE(known.count(n)) << "report.html shows " << n
                                  << ", which is no count, percent or threshold of report.json";
    }
    EXPECT_GT(numbers, 50);
  }
}

// 5. verify --previous accepts the earlier releases in any order, and fails, naming the
// folder, when one of them is altered by one byte.
TEST_F(ReleaseSeriesTest, VerifyAcceptsAnyOrderAndRejectsAnAlteredEarlierRelease) {
  std::vector<std::string> dirs;
  for (int m = 1; m <= 4; ++m) {
    std::vector<Rec> recs = MonthRecs(MonthOf(m), 15, 5);
    if (m == 3) recs.push_back(LateRecord(MonthOf(1) + "-09"));
    AddRecs(recs, "month-" + MonthOf(m));
    dirs.push_back(Release(MonthOf(m)));
  }
  ASSERT_FALSE(HasFailure());
  const std::string last = dirs.back();
  std::vector<std::string> earlier(dirs.begin(), dirs.end() - 1);
  std::vector<std::vector<std::string>> orders = {earlier, {earlier[2], earlier[0], earlier[1]},
                                                  {earlier[1], earlier[2], earlier[0]}};
  for (const auto& order : orders) {
    RunResult v = Verify(last, order);
    EXPECT_EQ(v.exit_code, 0) << Describe(v);
  }
  // February altered by one byte: a digit of one count in report.json.
  const std::string altered = Path("altered-february");
  ASSERT_EQ(::mkdir(altered.c_str(), 0700), 0);
  for (const auto& [path, bytes] : ReadTree(dirs[1])) {
    WriteFileOrDie(altered + path.substr(dirs[1].size()), bytes);
  }
  std::string json = ReadFileOrDie(altered + "/report.json");
  const size_t at = json.find("\"count\": 1");
  ASSERT_NE(at, std::string::npos);
  json[at + 9] = '2';
  WriteFileOrDie(altered + "/report.json", json);
  RunResult v = Verify(last, {earlier[2], altered, earlier[0]});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.out + v.err, "altered-february")) << Describe(v);
}

// 6. The ledger lists the releases in order and writes any of them again byte for byte; a
// second release of a published month is refused and changes nothing in the store.
TEST_F(ReleaseSeriesTest, LedgerListsExportsAndRefusesARepublishedMonth) {
  std::vector<std::string> dirs;
  for (int m = 1; m <= 3; ++m) {
    AddRecs(MonthRecs(MonthOf(m), 15, 6), "month-" + MonthOf(m));
    dirs.push_back(Release(MonthOf(m)));
  }
  ASSERT_FALSE(HasFailure());
  RunResult r = TvOk({"ledger", "list", "--json"});
  std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  for (int m = 1; m <= 3; ++m) {
    google::protobuf::Struct row = ParseJsonObject(lines[static_cast<size_t>(m - 1)]);
    EXPECT_EQ(Field(row, "month"), MonthOf(m));
    EXPECT_EQ(Field(row, "series"), kYear);
    EXPECT_EQ(Field(row, "kind"), "monthly");
    EXPECT_EQ(Field(row, "previous_release"), m == 1 ? "" : MonthOf(m - 1));
    EXPECT_EQ(Field(row, "testimonies"), "15");
  }
  for (int m = 1; m <= 3; ++m) {
    const std::string out = Path("export-" + MonthOf(m));
    TvOk({"ledger", "export", "--month", MonthOf(m), "--out", out});
    std::map<std::string, std::string> a = ReadTree(dirs[static_cast<size_t>(m - 1)]),
                                       b = ReadTree(out);
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [path, bytes] : a) {
      EXPECT_TRUE(b[out + path.substr(dirs[static_cast<size_t>(m - 1)].size())] == bytes)
          << path << " differs from its export";
    }
  }
  RunResult missing = Tv({"ledger", "export", "--month", MonthOf(5), "--out", Path("none")});
  EXPECT_EQ(missing.exit_code, kNotFound) << Describe(missing);

  // A month already published, and one before the last release: refused (kAlreadyExists,
  // exit 7 "refusing to overwrite"), no folder, the store unchanged byte for byte.
  AddRecs(MonthRecs(MonthOf(3), 5, 7), "more-march");
  const std::map<std::string, std::string> before = ReadTree(store());
  for (const std::string& month : {MonthOf(3), MonthOf(2)}) {
    RunResult again = Report(Path("again-" + month), month);
    EXPECT_EQ(again.exit_code, kExists) << Describe(again);
    EXPECT_TRUE(Contains(again.err, "ledger")) << again.err;
    EXPECT_NE(::access(Path("again-" + month).c_str(), F_OK), 0);
  }
  const std::map<std::string, std::string> after = ReadTree(store());
  ASSERT_EQ(before.size(), after.size());
  for (const auto& [path, bytes] : before) {
    EXPECT_TRUE(after.count(path) && after.at(path) == bytes) << path << " changed";
  }
  EXPECT_EQ(SplitLines(TvOk({"ledger", "list"}).out).size(), 3u);
}

}  // namespace
}  // namespace tvault::testing

namespace tvault::testing {
namespace {

// A report.json of one release holding people_by_route for `month` and the year to date, each
// cell "HR/BA" etc. given as a count or -1 (suppressed). Nothing else: enough for attacker.py.
std::string FakeReport(const std::string& month, const std::string& previous,
                       const std::map<std::string, long>& month_cells,
                       const std::map<std::string, long>& ytd_cells) {
  auto table = [](const std::string& period, const std::map<std::string, long>& cells) {
    std::string t = "{\"name\":\"people_by_route\",\"unit\":\"people\",\"period\":" +
                    Quote(period) + ",\"dimensions\":[\"pushed_from\",\"pushed_to\"],\"k\":5," +
                    "\"cells\":[";
    bool first = true;
    for (const auto& [labels, v] : cells) {
      const std::string a = labels.substr(0, labels.find('/')),
                        b = labels.substr(labels.find('/') + 1);
      t += std::string(first ? "" : ",") + "{\"labels\":[" + Quote(a) + "," + Quote(b) + "]," +
           (v < 0 ? "\"suppressed\":true}" : "\"count\":" + std::to_string(v) + "}");
      first = false;
    }
    return t + "]}";
  };
  return "{\"format\":\"tvault-report/1\",\"month\":" + Quote(month) +
         ",\"basis\":\"release\",\"kind\":\"monthly\",\"previous_release\":" + Quote(previous) +
         ",\"tables\":[" + table("month", month_cells) + "," + table("year_to_date", ytd_cells) +
         "]}";
}

// The attacker itself must find what is there to find, or the tests above could not fail: a
// suppressed cell pinned by its margins, and one pinned by the year-to-date chain.
TEST(ReleaseSeriesAttacker, PinsCellsThatArePinned) {
  TempDir dir;
  // January: everything published. HR/BA 7 (4 + 3).
  const std::map<std::string, long> jan = {{"HR/BA", 7},  {"HR/RS", 10},   {"HR/Total", 17},
                                           {"Total/BA", 7}, {"Total/RS", 10}, {"Total/Total", 17}};
  // February: HR/BA = 2 and HR/RS = 9 suppressed in the month, published in the year to date
  // (9 and 19): the chain pins both. HR/RS's row margins do not (the row total is suppressed).
  const std::map<std::string, long> feb = {{"HR/BA", -1},   {"HR/RS", -1},   {"HR/Total", -1},
                                           {"Total/BA", -1}, {"Total/RS", -1}, {"Total/Total", 11}};
  const std::map<std::string, long> feb_ytd = {{"HR/BA", 9},  {"HR/RS", 19},   {"HR/Total", 28},
                                               {"Total/BA", 9}, {"Total/RS", 19}, {"Total/Total", 28}};
  ASSERT_EQ(::mkdir((dir / "jan").c_str(), 0700), 0);
  ASSERT_EQ(::mkdir((dir / "feb").c_str(), 0700), 0);
  WriteFileOrDie(dir / "jan/report.json", FakeReport("2025-01", "", jan, jan));
  WriteFileOrDie(dir / "feb/report.json", FakeReport("2025-02", "2025-01", feb, feb_ytd));
  const std::string req = R"({"cells": [
    {"period": "month 2025-02", "table": "people_by_route", "labels": ["HR", "BA"]},
    {"period": "month 2025-02", "table": "people_by_route", "labels": ["HR", "RS"]},
    {"period": "month 2025-02", "table": "people_by_route", "labels": ["SI", "HR"]}]})";
  WriteFileOrDie(dir / "req.json", req);
  RunResult r = RunProgram({kPython, AttackerScript(), "--request", dir / "req.json",
                            dir / "feb", dir / "jan"});
  ASSERT_EQ(r.exit_code, 0) << "tests/cli/attacker.py needs /usr/bin/python3 with python3-scipy "
                               "(scripts/bootstrap.sh installs it): "
                            << Describe(r);
  google::protobuf::Struct out = ParseJsonObject(r.out);
  const auto& cells = out.fields().at("cells").list_value().values();
  ASSERT_EQ(cells.size(), 3);
  for (int i = 0; i < 2; ++i) {
    const auto& c = cells[i].struct_value();
    const long want = i == 0 ? 2 : 9;
    for (const char* kind : {"lp", "ilp"}) {
      const auto& range = c.fields().at(kind).list_value().values();
      EXPECT_EQ(range[0].number_value(), want) << kind << " " << ToJson(c);
      EXPECT_EQ(range[1].number_value(), want) << kind << " " << ToJson(c);
    }
  }
  // A category absent from a published table is a known zero.
  EXPECT_EQ(Field(cells[2].struct_value(), "published"), "true");
  EXPECT_EQ(Field(cells[2].struct_value(), "count"), "0");
  EXPECT_EQ(out.fields().at("inconsistent").list_value().values_size(), 0);

  // An altered published number contradicts the chain: the model says so.
  std::map<std::string, long> bad = feb_ytd;
  bad["HR/BA"] = 10;
  bad["HR/Total"] = 29;
  bad["Total/BA"] = 10;
  bad["Total/Total"] = 29;
  WriteFileOrDie(dir / "feb/report.json", FakeReport("2025-02", "2025-01", feb, bad));
  r = RunProgram({kPython, AttackerScript(), dir / "feb", dir / "jan"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_GT(ParseJsonObject(r.out).fields().at("inconsistent").list_value().values_size(), 0)
      << r.out;
}

}  // namespace
}  // namespace tvault::testing
