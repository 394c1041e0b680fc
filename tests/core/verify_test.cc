// VerifyReport through the public API: honest reports of a real store pass every check (alone,
// with the previous month, and in the full audit against the store); each way of publishing
// something wrong fails the check that is meant to catch it, naming the file, table and cell.
// Forged folders are made with tests/testing/report_forge.h.
#include "tvault/verify.h"

#include <gtest/gtest.h>

#include "testing/report_forge.h"
#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/report.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Folder;
using testing::CheckOf;
using testing::Dump;
using testing::MakeTable;
using testing::Names;
using testing::Pass;
using testing::TempDir;

class VerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    ASSERT_TRUE(WriteNewOrgKeyPair(*tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewSigner(*tmp_ / "analyst", Pass("sign pass"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewSigner(*tmp_ / "mallory", Pass("sign pass"), FastKdf()).ok());
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-01";
    ASSERT_TRUE(Store::Create(*tmp_ / "vault", Pass("store pass"),
                              *ReadOrgPublicKey(*tmp_ / "org.pub"), opts)
                    .ok());
    auto store = Store::Open(*tmp_ / "vault", Pass("store pass"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AddFacilities(DemoFacilities()).ok());
    early_checkpoint_ = *(*store)->LatestCheckpoint();
    DemoOptions demo;
    demo.count = 240;
    demo.seed = 5;
    demo.until_month = "2026-03";
    std::vector<InputRecord> in;
    for (v1::Testimony& t : GenerateDemoTestimonies(demo)) {
      in.push_back({"demo " + std::to_string(in.size() + 1), std::move(t)});
    }
    v1::Testimony planted = testing::SamplePushback("ZQXPLANTA");
    planted.mutable_pushback()->set_incident_date("2026-03-05");
    in.push_back({"planted", std::move(planted)});
    auto ids = (*store)->Add(std::move(in));
    ASSERT_TRUE(ids.ok());
    // An attachment of the planted record, whose caption the store scan looks for.
    testing::WriteFileOrDie(*tmp_ / "photo.bin", "not a real photo");
    AttachOptions attach;
    attach.keep_metadata = true;
    attach.caption = "Bruises on the left forearm of ZQXCAPTION, two days later.";
    ASSERT_TRUE((*store)->Attach(ids->back(), *tmp_ / "photo.bin", attach).ok());
    for (const char* month : {"2026-02", "2026-03"}) {
      ReportRequest req;
      req.month = month;
      req.settings = *CompleteReportSettings(v1::ReportSettings());
      Result<BuiltReport> built = BuildReport(**store, Org(), req);
      ASSERT_TRUE(built.ok()) << built.status().message();
      // Published: the release is recorded in the store's ledger, which the full audit reads.
      auto files = PublishReport(**store, *built, Signer("analyst"));
      ASSERT_TRUE(files.ok()) << files.status().message();
      (*honest_)[month] = testing::ToFolder(*files);
    }
    checkpoint_ = *(*store)->LatestCheckpoint();
    verifier_key_ = (*store)->LogVerifierKey();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  static OrgSecretKey Org() { return *ReadOrgSecretKey(*tmp_ / "org.key", Pass("org pass")); }
  static SignerSecretKey Signer(const std::string& name) {
    return *ReadSignerSecretKey(*tmp_ / (name + ".key"), Pass("sign pass"));
  }

  // Writes `folder` as <tmp>/<name> and returns the path.
  static std::string Put(const std::string& name, const Folder& folder) {
    const std::string dir = *tmp_ / name;
    testing::WriteFolder(dir, folder);
    return dir;
  }

  // Verifies the folder `dir` (after `previous`) with the analyst's key; with `with_store`, the
  // full audit.
  static VerifyResult Verify(const std::string& dir, const std::vector<std::string>& previous = {},
                             bool with_store = false) {
    VerifyRequest req;
    req.signer = *SignerPublicKey::ReadFile(*tmp_ / "analyst.pub");
    req.report = *ReadReportFolder(dir);
    for (const std::string& p : previous) req.previous.push_back(*ReadReportFolder(p));
    std::unique_ptr<Store> store;
    std::optional<OrgSecretKey> org;
    if (with_store) {
      store = std::move(Store::Open(*tmp_ / "vault", Pass("store pass"))).value();
      org.emplace(Org());
      req.store = store.get();
      req.org = &*org;
    }
    Result<VerifyResult> r = VerifyReport(req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : VerifyResult();
  }

  static Folder Honest(const std::string& month) { return honest_->at(month); }

  static TempDir* tmp_;
  static std::map<std::string, Folder>* honest_;
  static std::string checkpoint_, verifier_key_, early_checkpoint_;
};
TempDir* VerifyTest::tmp_ = nullptr;
std::map<std::string, Folder>* VerifyTest::honest_ = new std::map<std::string, Folder>();
std::string VerifyTest::checkpoint_, VerifyTest::verifier_key_, VerifyTest::early_checkpoint_;

TEST_F(VerifyTest, HonestReportPassesEveryCheck) {
  // February is the year's first release: it is judged alone.
  VerifyResult r = Verify(Put("honest-02", Honest("2026-02")));
  EXPECT_TRUE(r.passed()) << Dump(r);
  ASSERT_EQ(r.checks.size(), 5u);
  for (const VerifyCheck& c : r.checks) EXPECT_TRUE(c.ran) << c.name;
  // The attack check did real work: suppressed cells were attacked.
  EXPECT_GT(CheckOf(r, kCheckAttack).notes.size(), 3u);
}

TEST_F(VerifyTest, HonestReportsPassWithThePreviousMonth) {
  const std::string feb = Put("honest-02b", Honest("2026-02"));
  VerifyResult r = Verify(Put("honest-03b", Honest("2026-03")), {feb});
  EXPECT_TRUE(r.passed()) << Dump(r);
}

// A release is judged with every earlier release of its year; alone, the attack check names
// the one missing.
TEST_F(VerifyTest, ReleaseWithoutTheReleaseItFollowsFailsAttack) {
  VerifyResult r = Verify(Put("honest-03a", Honest("2026-03")));
  EXPECT_TRUE(Names(CheckOf(r, kCheckAttack), "", "",
                    "release 2026-03 follows 2026-02, which was not given (--previous)"))
      << Dump(r);
}

TEST_F(VerifyTest, FullAuditAgainstTheStorePasses) {
  VerifyResult r = Verify(Put("honest-03c", Honest("2026-03")),
                          {Put("honest-02c", Honest("2026-02"))}, true);
  EXPECT_TRUE(r.passed()) << Dump(r);
  ASSERT_EQ(r.checks.size(), 6u);
  EXPECT_TRUE(CheckOf(r, kCheckStore).ran);
  // The store proved that its log extends both reports' checkpoints.
  const std::vector<std::string>& notes = CheckOf(r, kCheckCheckpoints).notes;
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("2 proved"), std::string::npos) << notes.back();
}

TEST_F(VerifyTest, PublishedCountBelowKFailsThresholds) {
  Folder f = Honest("2026-03");
  v1::Report report = testing::ReportOf(f);
  std::string table, cell;
  for (v1::ReportTable& t : *report.mutable_tables()) {
    for (v1::ReportCell& c : *t.mutable_cells()) {
      if (c.suppressed() && table.empty() && t.unit() == "people") {
        c.set_suppressed(false);
        c.set_count(2);
        table = t.period() + "/" + t.name();
        cell = "[" + c.labels(0) + (c.labels_size() > 1 ? ", " + c.labels(1) : "") + "]";
      }
    }
  }
  ASSERT_FALSE(table.empty()) << "no suppressed cell of people";
  v1::Manifest manifest = testing::ManifestOf(f);
  manifest.set_cells_published(manifest.cells_published() + 1);
  manifest.set_cells_suppressed(manifest.cells_suppressed() - 1);
  VerifyResult r = Verify(Put("below-k", testing::Render(report, manifest, Signer("analyst"))));
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(r);
  EXPECT_TRUE(CheckOf(r, kCheckShape).passed()) << Dump(r);
  EXPECT_TRUE(Names(CheckOf(r, kCheckThresholds), table, cell, "below the threshold k = 5"))
      << Dump(r);
}

// A later report whose log is shorter than an earlier one's: history was removed in between.
TEST_F(VerifyTest, LaterReportWithAShorterLogFailsCheckpoints) {
  v1::Report mar = testing::ReportOf(Honest("2026-03"));
  mar.set_log_checkpoint(early_checkpoint_);
  const std::string dir = Put(
      "short-log", testing::Render(mar, testing::ManifestOf(Honest("2026-03")), Signer("analyst")));
  VerifyResult alone = Verify(dir);
  EXPECT_TRUE(CheckOf(alone, kCheckCheckpoints).passed()) << Dump(alone);
  VerifyResult r = Verify(dir, {Put("short-log-02", Honest("2026-02"))});
  EXPECT_TRUE(Names(CheckOf(r, kCheckCheckpoints), "", "", "history was removed")) << Dump(r);
  // A note that does not verify against the report's key.
  mar.set_log_checkpoint(early_checkpoint_ + "x");
  r = Verify(Put("bad-note",
                 testing::Render(mar, testing::ManifestOf(Honest("2026-03")), Signer("analyst"))));
  EXPECT_TRUE(Names(CheckOf(r, kCheckCheckpoints), "", "", "does not verify")) << Dump(r);
}

TEST_F(VerifyTest, ChangedCellResignedWithAnotherKeyFailsIntegrity) {
  Folder f = Honest("2026-03");
  v1::Report report = testing::ReportOf(f);
  bool changed = false;
  for (v1::ReportCell& c : *report.mutable_tables(0)->mutable_cells()) {
    if (c.has_count() && c.count() >= 5 && !changed) c.set_count(c.count() + 1), changed = true;
  }
  ASSERT_TRUE(changed);
  Folder forged = testing::Render(report, testing::ManifestOf(f), Signer("mallory"));
  VerifyResult r = Verify(Put("other-key", forged));
  const VerifyCheck& integrity = CheckOf(r, kCheckIntegrity);
  EXPECT_FALSE(integrity.passed());
  EXPECT_TRUE(Names(integrity, "", "", "signature does not verify")) << Dump(r);
  EXPECT_TRUE(Names(integrity, "", "", "names signer key")) << Dump(r);
  EXPECT_FALSE(r.passed());
}

TEST_F(VerifyTest, ChangedCellWithStaleManifestHashFailsIntegrity) {
  Folder f = Honest("2026-03");
  std::string& csv = f["2026-03-month-people_by_route.csv"];
  const size_t total = csv.rfind("Total,Total,true,");
  ASSERT_NE(total, std::string::npos);
  csv.insert(total + 17, "1");  // the grand total gains a leading digit
  testing::Resign(&f, "2026-03-month-people_by_route.csv", Signer("analyst"), false);
  VerifyResult r = Verify(Put("stale-hash", f));
  const VerifyCheck& integrity = CheckOf(r, kCheckIntegrity);
  bool named = false;
  for (const VerifyFailure& x : integrity.failures) {
    named = named || (x.file.find("2026-03-month-people_by_route.csv") != std::string::npos &&
                      x.reason.find("differs from the manifest") != std::string::npos);
  }
  EXPECT_TRUE(named) << Dump(r);
  EXPECT_FALSE(r.passed());
}

TEST_F(VerifyTest, RemovedSuppressionMarkerFailsShape) {
  Folder f = Honest("2026-03");
  std::string name, cell;
  for (auto& [file, bytes] : f) {
    if (file.find(".csv") == std::string::npos || file.find(".minisig") != std::string::npos)
      continue;
    const size_t at = bytes.find(",,suppressed,");
    if (at == std::string::npos) continue;
    bytes.replace(at, 13, ",2,published,");
    name = file;
    break;
  }
  ASSERT_FALSE(name.empty()) << "the honest report suppresses nothing in a 1-column CSV";
  testing::Resign(&f, name, Signer("analyst"), true);
  VerifyResult r = Verify(Put("no-marker", f));
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(r);
  const VerifyCheck& shape = CheckOf(r, kCheckShape);
  bool named = false;
  for (const VerifyFailure& x : shape.failures) {
    named = named || (x.file.find(name) != std::string::npos && !x.cell.empty() &&
                      x.reason.find("differs from report.json (suppressed)") != std::string::npos);
  }
  EXPECT_TRUE(named) << Dump(r);
}

TEST_F(VerifyTest, PercentageOfASuppressedCellFailsShape) {
  Folder f = Honest("2026-03");
  v1::Report report = testing::ReportOf(f);
  std::string table, cell;
  for (v1::ReportTable& t : *report.mutable_tables()) {
    if (t.percent_base().empty() || !table.empty()) continue;
    for (v1::ReportCell& c : *t.mutable_cells()) {
      if (c.suppressed() && table.empty()) {
        c.set_percent(12.5);
        table = t.period() + "/" + t.name();
        cell = "[" + c.labels(0) + ", " + c.labels(1) + "]";
      }
    }
  }
  ASSERT_FALSE(table.empty()) << "no suppressed cell in a table of shares";
  VerifyResult r =
      Verify(Put("percent", testing::Render(report, testing::ManifestOf(f), Signer("analyst"))));
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(r);
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), table, cell, "carries a percentage")) << Dump(r);
}

// Facility names are the one text of report.json that is not a code: each must be a facility
// of facility_testimonies, once, in its order, a short line with a country and a type.
TEST_F(VerifyTest, FacilityNamesThatAreNoFacilityOrNoShortLineFailShape) {
  Folder f = Honest("2026-03");
  const v1::Report honest = testing::ReportOf(f);
  ASSERT_GT(honest.facilities_size(), 0) << "the honest report names no facility";
  v1::Report report = honest;
  report.mutable_facilities(0)->set_name("Camp\nWitness: someone");
  VerifyResult r =
      Verify(Put("fac-name", testing::Render(report, testing::ManifestOf(f), Signer("analyst"))));
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(r);
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "", "", "not a short line")) << Dump(r);
  report = honest;
  *report.add_facilities() = honest.facilities(0);
  report.mutable_facilities(report.facilities_size() - 1)->set_id("XX-NOT-01");
  r = Verify(Put("fac-id", testing::Render(report, testing::ManifestOf(f), Signer("analyst"))));
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "", "", "is not a facility of facility_testimonies"))
      << Dump(r);
}

TEST_F(VerifyTest, PlantedNameInTheHtmlFailsShapeAndTheStoreScan) {
  Folder f = Honest("2026-03");
  std::string& html = f["report.html"];
  const size_t end = html.find("</body>");
  ASSERT_NE(end, std::string::npos);
  // Another case than stored ("ZQXPLANTA-name"), and an accent: found after folding.
  html.insert(end, "<p>Witness: zqxplantá-NAME</p>\n");
  testing::Resign(&f, "report.html", Signer("analyst"), true);
  const std::string dir = Put("planted", f);
  VerifyResult r = Verify(dir);
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(r);
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "", "", "is not the page of report.json")) << Dump(r);
  VerifyResult full = Verify(dir, {}, true);
  EXPECT_TRUE(Names(CheckOf(full, kCheckStore), "", "", "holds a name of record")) << Dump(full);
  EXPECT_TRUE(Names(CheckOf(full, kCheckStore), "", "", "differs from the ledger's copy"))
      << Dump(full);
}

TEST_F(VerifyTest, PlantedAttachmentCaptionFailsTheStoreScan) {
  Folder f = Honest("2026-03");
  std::string& html = f["report.html"];
  const size_t end = html.find("</body>");
  ASSERT_NE(end, std::string::npos);
  html.insert(end, "<p>bruises on the LEFT forearm of zqxcaption, two days later</p>\n");
  testing::Resign(&f, "report.html", Signer("analyst"), true);
  VerifyResult full = Verify(Put("planted-caption", f), {}, true);
  EXPECT_TRUE(Names(CheckOf(full, kCheckStore), "", "", "holds an attachment caption of record"))
      << Dump(full);
  // The honest report passes the same scan.
  VerifyResult honest = Verify(Put("honest-caption", Honest("2026-03")), {}, true);
  EXPECT_FALSE(Names(CheckOf(honest, kCheckStore), "", "", "attachment caption")) << Dump(honest);
}

// Facility types x conditions alone protects [detention, food] = 1 (it can be 1 to 6); the row
// totals of condition_severity repeat its column totals and give it away.
TEST_F(VerifyTest, SuppressedCellRecoverableFromTwoLinkedTablesFailsAttack) {
  const v1::ReportTable fc = MakeTable(
      "facility_type_conditions", "month", 3, {"detention", "reception"}, {"food", "water"},
      {{1, 6}, {5, 4}},
      {{"detention", "food"}, {"detention", "water"}, {"Total", "food"}, {"Total", "water"}});
  const v1::ReportTable cs = MakeTable("condition_severity", "month", 3, {"food", "water"},
                                       {"minor", "severe"}, {{3, 3}, {5, 5}}, {});
  testing::Forged alone = testing::MakeReport("2026-01", {fc}, checkpoint_, verifier_key_);
  VerifyResult r =
      Verify(Put("fc-alone", testing::Render(alone.report, alone.manifest, Signer("analyst"))));
  EXPECT_TRUE(r.passed()) << Dump(r);

  testing::Forged both = testing::MakeReport("2026-01", {fc, cs}, checkpoint_, verifier_key_);
  r = Verify(Put("fc-cs", testing::Render(both.report, both.manifest, Signer("analyst"))));
  EXPECT_TRUE(CheckOf(r, kCheckShape).passed()) << Dump(r);
  EXPECT_TRUE(CheckOf(r, kCheckThresholds).passed()) << Dump(r);
  EXPECT_TRUE(Names(CheckOf(r, kCheckAttack), "month/facility_type_conditions", "[detention, food]",
                    "exact disclosure: the published numbers give it as 1"))
      << Dump(r);
}

// March alone hides [HR, BA] = 2 of the month (1 to 6 fit); with February's year to date, the
// difference of the two year-to-date tables gives it exactly.
TEST_F(VerifyTest, DifferenceOfTwoMonthsYearToDateFailsAttack) {
  const std::vector<std::string> from = {"HR", "SI"}, to = {"BA", "RS"};
  testing::Forged feb = testing::MakeReport(
      "2026-02",
      {MakeTable("people_by_route", "month", 5, from, to, {{5, 5}, {6, 5}}, {}),
       MakeTable("people_by_route", "year_to_date", 5, from, to, {{10, 5}, {6, 8}}, {})},
      checkpoint_, verifier_key_);
  testing::Forged mar = testing::MakeReport(
      "2026-03",
      {MakeTable("people_by_route", "month", 5, from, to, {{2, 5}, {5, 6}},
                 {{"HR", "BA"}, {"HR", "RS"}, {"SI", "BA"}, {"SI", "RS"}}),
       MakeTable("people_by_route", "year_to_date", 5, from, to, {{12, 10}, {11, 14}}, {})},
      checkpoint_, verifier_key_);
  const std::string feb_dir =
      Put("diff-02", testing::Render(feb.report, feb.manifest, Signer("analyst")));
  const std::string mar_dir =
      Put("diff-03", testing::Render(mar.report, mar.manifest, Signer("analyst")));
  VerifyResult alone = Verify(mar_dir);
  EXPECT_TRUE(alone.passed()) << Dump(alone);
  VerifyResult r = Verify(mar_dir, {feb_dir});
  EXPECT_TRUE(Names(CheckOf(r, kCheckAttack), "month/people_by_route", "[HR, BA]",
                    "exact disclosure: the published numbers give it as 2"))
      << Dump(r);
  EXPECT_FALSE(r.passed());
}

}  // namespace
}  // namespace tvault
