// The report as its readers get it (issue 16): CSV read by a stock CSV parser and checked
// against report.json, a month that has not ended refused, a month without data said so.
#include <sys/stat.h>
#include <unistd.h>

#include <google/protobuf/struct.pb.h>

#include <regex>

#include "report_fixture.h"
#include "util/clock.h"

namespace tvault::testing {
namespace {

constexpr char kPython3[] = "/usr/bin/python3";

std::string Script(const char* name) {
  return std::string(TVAULT_SOURCE_DIR) + "/tests/cli/" + name;
}

class ReportReadersTest : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    SetUpReporting(300);
  }

  RunResult ReportIn(const std::string& out, const std::string& month, const std::string& lang) {
    return RunTvault({"report", "--store", store(), "--org-secret", World().org_key, "--sign",
                      Path("analyst.key"), "--month", month, "--out", out, "--lang", lang,
                      "--passphrase-fd", "3", "--org-passphrase-fd", "3",
                      "--sign-passphrase-fd", "3"},
                     "", kThreePasses);
  }

  // Three releases of the demo data, in Arabic (right to left), French and English.
  void ThreeReleases() {
    ASSERT_EQ(ReportIn(Path("jan"), "2026-01", "ar").exit_code, kOk);
    RunResult r = ReportIn(Path("feb"), "2026-02", "fr");
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    r = ReportIn(Path("mar"), "2026-03", "en");
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }
};

// The visible text of an HTML page: tags, styles and character references removed.
std::string Visible(const std::string& html) {
  std::string out;
  bool in_style = false;
  for (size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      const size_t end = html.find('>', i);
      if (end == std::string::npos) break;
      const std::string tag = html.substr(i, end - i + 1);
      in_style = tag.rfind("<style", 0) == 0 ? true : tag == "</style>" ? false : in_style;
      out += ' ';
      i = end + 1;
      continue;
    }
    if (!in_style) out += html[i];
    ++i;
  }
  return out;
}

// Every number of report.html, in three releases and two languages, is the report.json cell it
// is tagged with, suppressed cells included (tests/cli/report_html_check.py, which also finds
// any untagged number); the labels are names, not codes; verify accepts each release.
TEST_F(ReportReadersTest, EveryNumberOfTheHtmlIsItsCellOfReportJson) {
  ThreeReleases();
  ASSERT_FALSE(HasFailure());
  for (const char* dir : {"jan", "feb", "mar"}) {
    RunResult check = RunProgram({kPython3, Script("report_html_check.py"), Path(dir)});
    EXPECT_EQ(check.exit_code, 0) << dir << ": " << Describe(check);
    EXPECT_TRUE(Contains(check.out, "every number of report.html is its cell")) << check.out;
  }
  const std::string en = ReadFileOrDie(Path("mar/report.html"));
  const std::string fr = ReadFileOrDie(Path("feb/report.html"));
  EXPECT_TRUE(Contains(en, "<html lang=\"en\" dir=\"ltr\">"));
  EXPECT_TRUE(Contains(fr, "<html lang=\"fr\" dir=\"ltr\">"));
  EXPECT_TRUE(
      Contains(ReadFileOrDie(Path("jan/report.html")), "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(Contains(en, "<meta name=\"viewport\""));
  const std::string text = Visible(en);
  for (const char* name : {"Croatia", "Bosnia and Herzegovina", "Exposure to cold or water",
                           "Dog attack", "Border police", "In brief", "How to read this report",
                           "Month by month", "2026-03-month-people_by_route.csv"}) {
    EXPECT_TRUE(Contains(text, name)) << "report.html does not show " << name;
  }
  for (const char* code : {"dog_attack", "exposure_cold_water", "pushed_from", "border_police",
                           " HR ", "HR-DET-01"}) {
    EXPECT_FALSE(Contains(text, code)) << "report.html shows the code " << code;
  }
  EXPECT_TRUE(Contains(Visible(fr), "Croatie")) << "the French page names countries in French";
  EXPECT_TRUE(Contains(Visible(fr), "Comment lire ce rapport"));
  // Facilities by their registry name, country and type.
  const google::protobuf::Struct report = ParseJsonObject(ReadFileOrDie(Path("mar/report.json")));
  ASSERT_TRUE(report.fields().count("facilities"));
  const auto& facilities = report.fields().at("facilities").list_value().values();
  EXPECT_FALSE(facilities.empty()) << "no facility testimony up to March in the demo data";
  for (const auto& f : facilities) {
    const std::string name = Field(f.struct_value(), "name");
    EXPECT_TRUE(Contains(text, name)) << "report.html does not name the facility " << name;
  }
  // The checker is not blind: one count changed in the page fails it.
  std::string html = en;
  const std::smatch m = [&] {
    std::smatch x;
    std::regex_search(html, x, std::regex("class=\"n\" data-cell=\"[^\"]*\">([0-9]+)<"));
    return x;
  }();
  ASSERT_FALSE(m.empty());
  html.replace(static_cast<size_t>(m.position(1)), static_cast<size_t>(m.length(1)),
               std::to_string(std::stoi(m[1].str()) + 1));
  ASSERT_EQ(::mkdir(Path("bad").c_str(), 0700), 0);
  for (const char* f : {"report.json", "manifest.json"}) {
    WriteFileOrDie(Path(std::string("bad/") + f), ReadFileOrDie(Path(std::string("mar/") + f)));
  }
  WriteFileOrDie(Path("bad/report.html"), html);
  RunResult bad = RunProgram({kPython3, Script("report_html_check.py"), Path("bad")});
  EXPECT_EQ(bad.exit_code, 1) << Describe(bad);
}

// report.html in headless Chromium at a desktop and a phone width: nothing overflows the
// viewport (tests/cli/report_layout_check.py), in each language.
TEST_F(ReportReadersTest, TheHtmlFitsADesktopAndAPhoneInChromium) {
  ThreeReleases();
  ASSERT_FALSE(HasFailure());
  for (const char* dir : {"jan", "feb", "mar"}) {
    RunResult r =
        RunProgram({kPython3, Script("report_layout_check.py"), Path(dir), "1280", "390"});
    ASSERT_NE(r.exit_code, 2) << "headless Chromium is needed (scripts/bootstrap.sh installs "
                                 "Debian's chromium): "
                              << Describe(r);
    EXPECT_EQ(r.exit_code, 0) << dir << ": " << Describe(r);
    EXPECT_TRUE(Contains(r.out, "390 px: pass")) << r.out;
    EXPECT_TRUE(Contains(r.out, "1280 px: pass")) << r.out;
  }
}

TEST_F(ReportReadersTest, AnUnknownLanguageIsRefusedBeforeAnythingIsRead) {
  RunResult r = ReportIn(Path("x"), "2026-01", "xx");
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "--lang: \"xx\" is not a language")) << r.err;
  EXPECT_NE(::access(Path("x").c_str(), F_OK), 0);
}

// Every CSV of two releases (the second with a year to date and a trend of two months) parsed
// by Python's csv module: one row per cell of report.json, value numeric or empty, status,
// period and totals as docs/formats.md says.
TEST_F(ReportReadersTest, EveryCsvReadsBackAsReportJsonInAStockCsvParser) {
  ASSERT_EQ(Report(Path("jan"), "2026-01").exit_code, kOk);
  RunResult r = Report(Path("feb"), "2026-02");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  for (const char* dir : {"jan", "feb"}) {
    RunResult check = RunProgram({kPython3, Script("report_csv_check.py"), Path(dir)});
    EXPECT_EQ(check.exit_code, 0) << dir << ": " << Describe(check);
    EXPECT_TRUE(Contains(check.out, "every row is its cell of report.json")) << check.out;
  }
  // The checker is not blind: a suppressed cell given a value, or a count changed, fails it.
  const std::string csv = Path("feb/2026-02-year_to_date-people_by_route.csv");
  std::string bytes = ReadFileOrDie(csv);
  const size_t at = bytes.find(",,suppressed,");
  ASSERT_NE(at, std::string::npos) << "February suppresses nothing in its route table";
  bytes.replace(at, 13, ",3,suppressed,");
  WriteFileOrDie(csv, bytes);
  RunResult bad = RunProgram({kPython3, Script("report_csv_check.py"), Path("feb")});
  EXPECT_EQ(bad.exit_code, 1) << Describe(bad);
  EXPECT_TRUE(Contains(bad.out, "a suppressed cell reads value='3'")) << bad.out;
}

// A month that has not ended (this one, or one to come) is refused before anything is read or
// written; the ledger stays empty, so the same month can be published once it has ended.
TEST_F(ReportReadersTest, AMonthThatHasNotEndedIsRefused) {
  const std::string this_month = internal::TodayUtc().substr(0, 7);
  const std::string next_year = std::to_string(std::stoi(this_month.substr(0, 4)) + 1) + "-01";
  for (const std::string& month : {this_month, next_year}) {
    RunResult r = Report(Path("r-" + month), month);
    EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "--month " + month + ": the month has not ended yet")) << r.err;
    EXPECT_NE(::access(Path("r-" + month).c_str(), F_OK), 0) << "a folder was written";
  }
  RunResult ledger = TvOk({"ledger", "list"});
  EXPECT_FALSE(Contains(ledger.out, this_month)) << ledger.out;
}

// A release that counts no testimony is made (the series goes on) and says so.
TEST_F(ReportReadersTest, AMonthWithoutDataSaysSo) {
  RunResult r = Report(Path("empty"), "2025-06");  // the demo data starts in November 2025
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no testimony was counted in the release of 2025-06")) << r.err;
}

}  // namespace
}  // namespace tvault::testing
