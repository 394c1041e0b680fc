// A store written before issue 20 (return hubs and removals), opened by this tvault through the
// real binary. tests/data/store-v1 was made by the tvault of main at commit ab4ef3a with
// tests/data/make_store_v1.sh: three facilities, fourteen testimonies of January and February
// 2026, and the monthly release of 2026-01 in the ledger, with the tables of that time, in
// format 1 of the report folder (before issue 16).
#include <sys/stat.h>

#include "cli_fixture.h"

namespace tvault::testing {
namespace {

const std::string kFixture = std::string(TVAULT_SOURCE_DIR) + "/tests/data/store-v1";
constexpr char kThree[] = "passphrase\npassphrase\npassphrase\n";

class OldStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [path, bytes] : ReadTree(kFixture)) {
      const std::string to = dir_ / path.substr(kFixture.size() + 1);
      ::mkdir((dir_ / "store").c_str(), 0700);
      ::mkdir((dir_ / "show").c_str(), 0700);
      WriteFileOrDie(to, bytes);
    }
  }
  std::string P(const std::string& name) const { return dir_ / name; }
  RunResult Tv(std::vector<std::string> args) const {
    args.insert(args.end(), {"--store", P("store"), "--passphrase-fd", "3"});
    return RunTvault(args, "", kPassLine);
  }
  RunResult Report(const std::string& month, const std::string& out) const {
    return RunTvault({"report", "--store", P("store"), "--org-secret", P("org.key"), "--sign",
                      P("analyst.key"), "--month", month, "--out", P(out), "--passphrase-fd", "3",
                      "--org-passphrase-fd", "3", "--sign-passphrase-fd", "3"},
                     "", kThree);
  }
  // The names of the tables of report.json in `dir` for the release's own month.
  std::set<std::string> TableNames(const std::string& dir) const {
    google::protobuf::Struct report = ParseJsonObject(ReadFileOrDie(P(dir) + "/report.json"));
    std::set<std::string> names;
    for (const auto& t : report.fields().at("tables").list_value().values()) {
      names.insert(t.struct_value().fields().at("name").string_value());
    }
    return names;
  }

  TempDir dir_;
};

TEST_F(OldStoreTest, RecordsReadBackUnchangedAndTakeTheNewFields) {
  // Every record shows exactly the bytes the old tvault showed; the history is intact.
  RunResult r = Tv({"list", "--json"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(r.out, ReadFileOrDie(kFixture + "/list.jsonl"));
  std::string facility_id;
  int shown = 0;
  for (const auto& [path, bytes] : ReadTree(kFixture + "/show")) {
    const std::string id = path.substr(path.rfind('/') + 1, 32);
    r = Tv({"show", id, "--json"});
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    EXPECT_EQ(r.out, bytes) << id;
    if (Contains(bytes, "\"facility_id\": \"HR-DET-01\"")) facility_id = id;
    ++shown;
  }
  EXPECT_EQ(shown, 14);
  EXPECT_EQ(Tv({"log", "verify"}).exit_code, kOk);

  // The old registry takes a return hub with the states it is operated for.
  r = Tv({"facility", "add", "--id", "RS-RH-01", "--name", "Quillmarsh Return Centre",
          "--country", "RS", "--type", "return_hub", "--operated-for", "GB,EU", "--operator",
          "Interior ministry (fictional)"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  r = Tv({"facility", "list", "--json"});
  EXPECT_TRUE(Contains(r.out, R"("type":"RETURN_HUB","operated_for":["GB","EU"])")) << r.out;
  r = Tv({"facility", "list"});
  EXPECT_TRUE(Contains(r.out, "RETURN_HUB")) << r.out;
  EXPECT_TRUE(Contains(r.out, "(for GB,EU)")) << r.out;

  // An old record edited with the new fields: version 2 has them, version 1 is unchanged.
  ASSERT_FALSE(facility_id.empty());
  const std::string edited = R"({"kind":"FACILITY","monitor_id":"kestrel-07",
    "facility":{"facility_id":"HR-DET-01","stay_kind":"STAY","period_start":"2026-01-20",
    "period_end":"2026-01-29","arrival":"TRANSFERRED_FROM_STATE","transferred_from":"SI",
    "stay_length":{"days":9},"safeguards":[{"safeguard":"LAWYER_ACCESS","provided":"UNKNOWN"}],
    "conditions":[{"condition":"COLD_EXPOSURE","severity":"SEVERE"}]}})";
  WriteFileOrDie(P("edit.json"), edited);
  r = Tv({"edit", facility_id, "--from", P("edit.json")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  r = Tv({"show", facility_id, "--json"});
  EXPECT_TRUE(Contains(r.out, "\"transferred_from\": \"SI\"")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"provided\": \"UNKNOWN\"")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"days\": 9")) << r.out;
  r = Tv({"show", facility_id, "--json", "--version", "1"});
  EXPECT_EQ(r.out, ReadFileOrDie(kFixture + "/show/" + facility_id + ".json"));
  EXPECT_EQ(Tv({"log", "verify"}).exit_code, kOk);
}

TEST_F(OldStoreTest, ASeriesBegunWithoutTheNewTablesKeepsThemAndANewSeriesHasThem) {
  const std::set<std::string> added_later = {"facility_testimonies_by_arrival",
                                             "facility_stay_length",
                                             "site_removals_by_facility_type"};
  // 2026 began with the release of 2026-01, made before the new tables: the release of
  // 2026-02 keeps its table set, and passes report's gate (verify --previous of the series).
  RunResult r = Report("2026-02", "r-2026-02");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::set<std::string> feb = TableNames("r-2026-02");
  EXPECT_TRUE(feb.count("facility_type_conditions"));
  for (const std::string& name : added_later) EXPECT_FALSE(feb.count(name)) << name;
  // The facility tables by type have the new types, as categories no earlier release showed.
  EXPECT_TRUE(Contains(ReadFileOrDie(P("r-2026-02") + "/report.json"), "\"return_hub\""));

  // A series that begins now (2025, no release yet) has them.
  ASSERT_EQ(Tv({"facility", "add", "--id", "RS-RH-01", "--name", "Quillmarsh Return Centre",
                "--country", "RS", "--type", "return_hub", "--operated-for", "GB"})
                .exit_code,
            kOk);
  const std::string hub = R"({"kind":"FACILITY","monitor_id":"kestrel-07","facility":{
    "facility_id":"RS-RH-01","stay_kind":"STAY","period_start":"2025-03-02",
    "period_end":"2025-03-20","arrival":"TRANSFERRED_FROM_STATE","transferred_from":"GB",
    "stay_length":{"range":{"min_days":15,"max_days":20}},
    "conditions":[{"condition":"COLD_EXPOSURE","severity":"SEVERE"}]}})";
  WriteFileOrDie(P("hub.json"), hub);
  ASSERT_EQ(Tv({"add", "--from", P("hub.json")}).exit_code, kOk);
  r = Report("2025-03", "r-2025-03");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::set<std::string> mar = TableNames("r-2025-03");
  for (const std::string& name : added_later) EXPECT_TRUE(mar.count(name)) << name;
  // Its next release keeps them.
  r = Report("2025-04", "r-2025-04");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::set<std::string> apr = TableNames("r-2025-04");
  for (const std::string& name : added_later) EXPECT_TRUE(apr.count(name)) << name;
}

// The release of 2026-01 was written in format 1 of the report folder (before issue 16's
// readers' report); tvault now writes format 2. verify checks each release by its own format's
// rules, byte for byte: alone, and as the --previous release of a format-2 release.
TEST_F(OldStoreTest, ReleasesOfFormatOneStillVerifyAndEveryFileOfThemIsChecked) {
  auto verify = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "verify");
    args.insert(args.end(), {"--signer", P("analyst.pub")});
    return RunTvault(args, "", "");
  };
  ASSERT_EQ(Tv({"ledger", "export", "--month", "2026-01", "--out", P("jan")}).exit_code, kOk);
  const std::string jan_json = ReadFileOrDie(P("jan") + "/report.json");
  ASSERT_TRUE(Contains(jan_json, "\"format\": \"tvault-report/1\"")) << jan_json.substr(0, 99);
  ASSERT_TRUE(Contains(ReadFileOrDie(P("jan") + "/manifest.json"), "tvault-report-manifest/1"));
  RunResult r = verify({P("jan")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "shape: pass")) << r.out;

  r = Report("2026-02", "feb");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(ReadFileOrDie(P("feb") + "/report.json"), "\"tvault-report/2\""));
  EXPECT_TRUE(
      Contains(ReadFileOrDie(P("feb") + "/manifest.json"), "\"tvault-report-manifest/2\""));
  EXPECT_FALSE(ReadFileOrDie(P("feb") + "/2026-02-month-people_by_route.csv").empty());
  EXPECT_FALSE(ReadFileOrDie(P("jan") + "/month-people_by_route.csv").empty());
  r = verify({P("feb"), "--previous", P("jan")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "every check passed")) << r.out;

  // A copy of folder `from` with `file` altered: the first `was` replaced with `is`.
  int copies = 0;
  auto altered = [&](const std::string& from, const std::string& file, const std::string& was,
                     const std::string& is) {
    const std::string dir = P(from + "-" + std::to_string(++copies));
    ::mkdir(dir.c_str(), 0700);
    for (const auto& [path, bytes] : ReadTree(P(from))) {
      WriteFileOrDie(dir + path.substr(P(from).size()), bytes);
    }
    std::string text = ReadFileOrDie(dir + "/" + file);
    const size_t at = text.find(was);
    EXPECT_NE(at, std::string::npos) << file << ": " << was;
    if (at != std::string::npos) text.replace(at, was.size(), is);
    WriteFileOrDie(dir + "/" + file, text);
    return dir;
  };
  // Each file of a format-1 release is checked by format 1's rules, not only by its
  // signature: a count of a CSV, a number of the page, a field that format 1 does not have.
  r = verify({altered("jan", "month-people_by_route.csv", "HR,Total,", "HR,Total,9")});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "month-people_by_route.csv table month/people_by_route cell "
                              "[HR, Total]")) << r.out;
  EXPECT_TRUE(Contains(r.out, "differs from report.json")) << r.out;
  r = verify({altered("jan", "report.html", "<td class=\"s\">suppressed</td>",
                      "<td class=\"n\">1</td>")});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "is not the page of report.json")) << r.out;
  r = verify({altered("jan", "manifest.json", "\n}\n", ",\n \"language\": \"en\"\n}\n")});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "format 1 has no language")) << r.out;
  // A format-2 release relabelled format 1 is held to format 1's rules, and fails them.
  r = verify({altered("feb", "report.json", "\"tvault-report/2\"", "\"tvault-report/1\"")});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "format is not tvault-report-manifest/1")) << r.out;
  EXPECT_TRUE(Contains(r.out, "format 1 has no language")) << r.out;
}

}  // namespace
}  // namespace tvault::testing
