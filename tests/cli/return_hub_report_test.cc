// The demo data's return hubs and removals in a report, through the real binary: demo-data
// with the current generator (return hubs in RS, AL, XK and BA holding people transferred from
// GB; removals from informal sites in Serbia), one release of the whole year, and report.json's
// facility tables by type, arrival, length of stay and site removals, every cell published or
// suppressed like any other and passed by report's gate (verify --previous).
#include "report_fixture.h"

namespace tvault::testing {
namespace {

class ReturnHubReportTest : public ReportFixture {};

using Cells = std::vector<const google::protobuf::Struct*>;

// The cells of table `name` of the release's own month in `report`.
Cells MonthCells(const google::protobuf::Struct& report, const std::string& name) {
  Cells out;
  for (const auto& t : report.fields().at("tables").list_value().values()) {
    const auto& f = t.struct_value().fields();
    if (f.at("name").string_value() != name || f.at("period").string_value() != "month") continue;
    for (const auto& c : f.at("cells").list_value().values()) out.push_back(&c.struct_value());
  }
  return out;
}

std::string Labels(const google::protobuf::Struct& cell) {
  std::string out;
  for (const auto& l : cell.fields().at("labels").list_value().values()) {
    out += (out.empty() ? "" : ",") + l.string_value();
  }
  return out;
}

// A cell shows something: a count above zero, or the suppressed marker.
bool Shows(const google::protobuf::Struct& cell) {
  const auto& f = cell.fields();
  const bool suppressed = f.count("suppressed") && f.at("suppressed").bool_value();
  return suppressed || (f.count("count") && f.at("count").number_value() > 0);
}

TEST_F(ReturnHubReportTest, DemoReportShowsReturnHubsArrivalsStaysAndSiteRemovals) {
  RunResult keys = RunTvault({"keys", "new-signer", "--out", Path("analyst"), "--kdf",
                              "interactive", "--key-passphrase-fd", "3"},
                             "", kPassLine);
  ASSERT_EQ(keys.exit_code, kOk) << Describe(keys);
  RunResult demo =
      RunTvault({"demo-data", "--count", "600", "--seed", "20", "--until", "2026-10"});
  ASSERT_EQ(demo.exit_code, kOk) << Describe(demo);
  ASSERT_TRUE(Contains(demo.out, "\"facility_id\":\"RS-RH-01\"") ||
              Contains(demo.out, "\"facility_id\":\"AL-RH-01\""));
  TvOk({"add", "--from", WriteWork("year.jsonl", demo.out)});
  // One release counts the whole year (the release of 2026-10 is the first of 2026).
  RunResult r = Report(Path("r"), "2026-10");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "attack passed")) << r.err;
  const google::protobuf::Struct report = ParseJsonObject(ReadFileOrDie(Path("r/report.json")));

  // Return hubs are a row of the facility tables by type, and it shows testimonies.
  int hub_cells = 0, hub_shown = 0;
  for (const auto* c : MonthCells(report, "facility_type_conditions")) {
    const std::string l = Labels(*c);
    if (l.rfind("return_hub,", 0) != 0) continue;
    ++hub_cells;
    hub_shown += Shows(*c);
    if (l == "return_hub,Total") {
      EXPECT_TRUE(Shows(*c)) << "no return-hub testimony counted";
    }
  }
  EXPECT_GT(hub_cells, 10);
  EXPECT_GT(hub_shown, 0);
  // Facility testimonies per return hub.
  bool hub_row = false;
  for (const auto* c : MonthCells(report, "facility_testimonies")) {
    if (Labels(*c).find("-RH-") != std::string::npos) hub_row = hub_row || Shows(*c);
  }
  EXPECT_TRUE(hub_row);
  // How people came to be held, and for how long: every facility testimony in one row.
  std::set<std::string> arrivals, stays;
  for (const auto* c : MonthCells(report, "facility_testimonies_by_arrival")) {
    if (Shows(*c)) arrivals.insert(Labels(*c));
  }
  EXPECT_TRUE(arrivals.count("transferred_from_state")) << arrivals.size();
  EXPECT_TRUE(arrivals.count("unknown"));
  EXPECT_TRUE(arrivals.count("Total"));
  for (const auto* c : MonthCells(report, "facility_stay_length")) {
    if (Shows(*c)) stays.insert(Labels(*c));
  }
  EXPECT_GE(stays.size(), 4u);
  // Removals from informal sites, by the type of the Serbian centre people were taken to.
  bool removal = false;
  for (const auto* c : MonthCells(report, "site_removals_by_facility_type")) {
    const std::string l = Labels(*c);
    if (l == "asylum" || l == "transit") removal = removal || Shows(*c);
  }
  EXPECT_TRUE(removal);

  // An independent verify of the folder agrees.
  r = RunTvault({"verify", Path("r"), "--signer", Path("analyst.pub")});
  EXPECT_EQ(r.exit_code, kOk) << Describe(r);
}

}  // namespace
}  // namespace tvault::testing
