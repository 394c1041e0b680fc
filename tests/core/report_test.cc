// The monthly report end to end through the public API, on a real store on disk: every
// published cell is 0 or >= k, the self-audit passes, the signatures verify (ours and the stock
// minisign), the output is byte-identical when made twice, and no identity, narrative or
// pseudonym reaches any output file.
#include <gtest/gtest.h>

#include <cstdlib>

#include "pipeline/pseudonymise.h"
#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/report.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

constexpr char kMonth[] = "2026-04";  // four months of reports stacked

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    ASSERT_TRUE(WriteNewOrgKeyPair(*tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewSigner(*tmp_ / "analyst", Pass("sign pass"), FastKdf()).ok());
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-01";
    ASSERT_TRUE(
        Store::Create(*tmp_ / "vault", Pass("store pass"), *ReadOrgPublicKey(*tmp_ / "org.pub"),
                      opts)
            .ok());
    auto store = Store::Open(*tmp_ / "vault", Pass("store pass"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AddFacilities(DemoFacilities()).ok());
    DemoOptions demo;
    demo.count = 2000;
    demo.seed = 7;
    demo.until_month = "2026-10";  // twelve months, November 2025 to October 2026
    std::vector<InputRecord> in;
    for (v1::Testimony& t : GenerateDemoTestimonies(demo)) {
      in.push_back({"demo " + std::to_string(in.size() + 1), std::move(t)});
    }
    // Planted markers: the same person twice (counted once), and a second person.
    for (int i = 0; i < 3; ++i) {
      v1::Testimony t = testing::SamplePushback(i < 2 ? "ZQXPLANTA" : "ZQXPLANTB");
      t.mutable_pushback()->set_incident_date(i == 0 ? "2026-04-03" : "2026-04-17");
      t.mutable_identity()->set_date_of_birth("1990-01-0" + std::to_string(i < 2 ? 1 : 2));
      in.push_back({"planted " + std::to_string(i), std::move(t)});
    }
    auto added = (*store)->Add(std::move(in));
    ASSERT_TRUE(added.ok()) << added.status().message();
  }
  static void TearDownTestSuite() {
    delete first_;
    first_ = nullptr;
    delete tmp_;
    tmp_ = nullptr;
  }

  // The report of kMonth, made once for the tests that only read it (a report of a year's
  // store takes seconds).
  static const std::pair<BuiltReport, std::vector<OutputFile>>& First() {
    if (first_ == nullptr) {
      first_ = new std::pair<BuiltReport, std::vector<OutputFile>>();
      first_->second = Make(&first_->first);
    }
    return *first_;
  }

  static OrgSecretKey Org() { return *ReadOrgSecretKey(*tmp_ / "org.key", Pass("org pass")); }

  // Builds and renders the report of kMonth.
  static std::vector<OutputFile> Make(BuiltReport* built_out = nullptr) {
    auto store = Store::Open(*tmp_ / "vault", Pass("store pass"));
    EXPECT_TRUE(store.ok());
    ReportRequest req;
    req.month = kMonth;
    req.settings = *CompleteReportSettings(v1::ReportSettings());
    Result<BuiltReport> built = BuildReport(**store, Org(), req);
    EXPECT_TRUE(built.ok()) << built.status().message();
    if (!built.ok()) return {};
    auto signer = ReadSignerSecretKey(*tmp_ / "analyst.key", Pass("sign pass"));
    auto files = RenderReport(*built, *signer);
    EXPECT_TRUE(files.ok());
    if (built_out) *built_out = *built;
    return *files;
  }

  static TempDir* tmp_;
  static std::pair<BuiltReport, std::vector<OutputFile>>* first_;
};
TempDir* ReportTest::tmp_ = nullptr;
std::pair<BuiltReport, std::vector<OutputFile>>* ReportTest::first_ = nullptr;

TEST_F(ReportTest, EveryPublishedCellIsZeroOrAtLeastKAndCountsAddUp) {
  const BuiltReport& built = First().first;
  ASSERT_FALSE(First().second.empty());
  const v1::Report& r = built.report;
  EXPECT_EQ(r.format(), kReportFormat);
  int tables = 0, suppressed = 0;
  for (const v1::ReportTable& t : r.tables()) {
    ++tables;
    for (const v1::ReportCell& c : t.cells()) {
      EXPECT_NE(c.has_count(), c.suppressed()) << t.name();
      if (c.has_count()) {
        EXPECT_TRUE(c.count() == 0 || c.count() >= t.k())
            << t.period() << "/" << t.name() << " publishes " << c.count();
      } else {
        ++suppressed;
        EXPECT_FALSE(c.has_percent());
      }
    }
  }
  EXPECT_EQ(tables, 15 + 15 + 2);  // every table for the month and the year, and two trends
  EXPECT_GT(suppressed, 0);
  EXPECT_GT(built.manifest.cells_suppressed(), 0u);
  // The planted person testified twice this month: the people of one testimony are counted.
  int not_counted = 0;
  for (const CountedRecord& c : built.counted) not_counted += !c.people_counted;
  EXPECT_GE(not_counted, 1);
  // The first release of the year counts every record of the year so far, once.
  EXPECT_EQ(built.ledger.kind(), "monthly");
  EXPECT_EQ(r.basis(), "release");
  EXPECT_EQ(r.previous_release(), "");
  EXPECT_FALSE(r.log_checkpoint().empty());
  EXPECT_NE(r.log_verifier_key().find("tvault/store/"), std::string::npos);
}

TEST_F(ReportTest, SameStoreSameSettingsGiveByteIdenticalFiles) {
  const std::vector<OutputFile>& a = First().second;
  std::vector<OutputFile> b = Make();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_TRUE(a[i].bytes == b[i].bytes) << a[i].name << " differs between two runs";
  }
}

TEST_F(ReportTest, SignaturesVerifyWithOursAndStockMinisign) {
  const std::vector<OutputFile>& files = First().second;
  TempDir out;
  const std::string dir = out / "report";
  ASSERT_TRUE(WriteReportFolder(dir, files).ok());
  auto pub = SignerPublicKey::ReadFile(*tmp_ / "analyst.pub");
  ASSERT_TRUE(pub.ok());
  int checked = 0;
  for (size_t i = 0; i + 1 < files.size(); i += 2) {
    ASSERT_EQ(files[i + 1].name, files[i].name + kSignatureSuffix);
    auto comment = VerifyMinisign(*pub, files[i].bytes, files[i + 1].bytes);
    ASSERT_TRUE(comment.ok()) << files[i].name;
    EXPECT_NE(comment->find("file:" + files[i].name), std::string::npos);
    if (std::system("command -v minisign >/dev/null 2>&1") == 0) {
      const std::string cmd = "minisign -Vq -p '" + *tmp_ / "analyst.pub" + "' -m '" + dir +
                              "/" + files[i].name + "' >/dev/null 2>&1";
      EXPECT_EQ(std::system(cmd.c_str()), 0) << files[i].name;
    }
    ++checked;
  }
  EXPECT_GT(checked, 20);
  // A changed byte fails.
  std::string altered = files[0].bytes;
  altered[altered.size() / 2] ^= 1;
  EXPECT_FALSE(VerifyMinisign(*pub, altered, files[1].bytes).ok());
  // The folder is never mixed with another report.
  EXPECT_EQ(WriteReportFolder(dir, files).code(), Code::kAlreadyExists);
}

TEST_F(ReportTest, NoIdentityNarrativeOrPseudonymInAnyOutput) {
  const std::vector<OutputFile>& files = First().second;
  ASSERT_FALSE(files.empty());
  const SecretBytes key = pipeline::PseudonymKey(Org());
  std::vector<std::string> pseudonyms;
  for (const char* m : {"ZQXPLANTA", "ZQXPLANTB"}) {
    v1::Identity id = testing::SamplePushback(m).identity();
    id.set_date_of_birth(std::string("1990-01-0") + (m[8] == 'A' ? "1" : "2"));
    pseudonyms.push_back(*pipeline::PseudonymOf(key, id));
  }
  for (const OutputFile& f : files) {
    for (const char* m : {"ZQXPLANTA", "ZQXPLANTB", "zqxplanta", "zqxplantb", "mon-01",
                          "walked for two nights"}) {
      EXPECT_EQ(testing::FindMarker(f.bytes, m), "") << m << " found in " << f.name;
    }
    for (const std::string& p : pseudonyms) {
      EXPECT_EQ(testing::FindMarker(f.bytes, p), "") << "a pseudonym in " << f.name;
      static const char kHex[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char c : p) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
      }
      EXPECT_EQ(f.bytes.find(hex), std::string::npos) << "a pseudonym (hex) in " << f.name;
    }
  }
}

TEST_F(ReportTest, PseudonymsAreDerivedOnceAndLogged) {
  auto store = Store::Open(*tmp_ / "vault", Pass("store pass"));
  ASSERT_TRUE(store.ok());
  (void)(*store)->DerivePseudonyms(Org());
  EXPECT_EQ(*(*store)->DerivePseudonyms(Org()), 0u);  // nothing left to derive
  int entries = 0;
  for (const AuditEntry& e : *(*store)->AuditLog()) entries += e.action == "pseudonymise";
  EXPECT_EQ(entries, 1);
  // Another organisation's key is refused before anything is opened.
  TempDir other;
  ASSERT_TRUE(WriteNewOrgKeyPair(other / "org", Pass("x"), FastKdf()).ok());
  auto wrong = ReadOrgSecretKey(other / "org.key", Pass("x"));
  EXPECT_EQ((*store)->DerivePseudonyms(*wrong).status().code(), Code::kInvalidArgument);
}

TEST(ReportSettingsTest, BadSettingsNameTheField) {
  auto bad_k = ParseReportSettingsJson(R"({"people": {"k": 5, "upper_percent": -1}})", "s.json");
  ASSERT_FALSE(bad_k.ok());
  EXPECT_NE(bad_k.status().message().find("settings.people"), std::string::npos);
  auto bad_table = ParseReportSettingsJson(R"({"tables": ["nope"]})", "s.json");
  EXPECT_NE(bad_table.status().message().find("unknown table \"nope\""), std::string::npos);
  auto unknown = ParseReportSettingsJson(R"({"colour": "red"})", "s.json");
  EXPECT_NE(unknown.status().message().find("s.json"), std::string::npos);
  auto ok = ParseReportSettingsJson(R"({"testimonies": {"k": 4}, "tables": ["people_by_age"]})",
                                    "s.json");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->testimonies().k(), 4u);
  EXPECT_EQ(ok->people().k(), 5u);
  EXPECT_EQ(ok->nationality_min_people(), 1u);
}

}  // namespace
}  // namespace tvault
