// The offline log check of `verify`: each report embeds consistency proofs from the checkpoints
// of the store's earlier reports, so an auditor holding two reports, and nothing else, can
// check that the later log extends the earlier one. Missing, altered and dishonest proofs fail,
// including those of a store whose history an insider rewrote and re-signed in full.
#include <gtest/gtest.h>

#include "testing/log_forge.h"
#include "testing/report_forge.h"
#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/report.h"
#include "tvault/verify.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Folder;
using testing::Pass;
using testing::TempDir;

class VerifyLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("o"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewSigner(tmp_ / "analyst", Pass("a"), FastKdf()).ok());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    ASSERT_TRUE(Store::Create(dir_, Pass("s"), *ReadOrgPublicKey(tmp_ / "org.pub"), opts).ok());
    auto store = Open();
    ASSERT_TRUE(store->AddFacilities(DemoFacilities()).ok());
    AddDemo(*store, 1);
  }

  std::unique_ptr<Store> Open() { return std::move(Store::Open(dir_, Pass("s"))).value(); }

  // 120 demo testimonies of January and February 2026, in one transaction.
  void AddDemo(Store& store, uint64_t seed) {
    DemoOptions demo;
    demo.count = 120;
    demo.seed = seed;
    demo.until_month = "2026-02";
    std::vector<InputRecord> in;
    for (v1::Testimony& t : GenerateDemoTestimonies(demo)) {
      in.push_back({"demo " + std::to_string(in.size() + 1), std::move(t)});
    }
    ASSERT_TRUE(store.Add(std::move(in)).ok());
  }

  // The report of `month`, logged in the store as `tvault report` does.
  Folder MakeReport(Store& store, const std::string& month) {
    auto org = ReadOrgSecretKey(tmp_ / "org.key", Pass("o"));
    EXPECT_TRUE(org.ok());
    if (!org.ok()) return {};
    EXPECT_TRUE(store.DerivePseudonyms(*org).ok());
    ReportRequest req;
    req.month = month;
    req.settings = *CompleteReportSettings(v1::ReportSettings());
    Result<BuiltReport> built = BuildReport(store, *org, req);
    EXPECT_TRUE(built.ok()) << built.status().message();
    if (!built.ok()) return {};
    auto files = RenderReport(*built, Signer());
    EXPECT_TRUE(files.ok());
    Folder folder = testing::ToFolder(*files);
    EXPECT_TRUE(store.LogReport(month, folder.at(kManifestFile)).ok());
    return folder;
  }

  SignerSecretKey Signer() { return *ReadSignerSecretKey(tmp_ / "analyst.key", Pass("a")); }

  // Verifies `later` after `earlier`, without the store.
  VerifyCheck CheckpointsOf(const Folder& later, const Folder& earlier,
                            const std::vector<ConsistencyProofData>& proofs = {}) {
    static int n = 0;
    const std::string a = tmp_ / ("later-" + std::to_string(++n));
    const std::string b = tmp_ / ("earlier-" + std::to_string(n));
    testing::WriteFolder(a, later);
    testing::WriteFolder(b, earlier);
    VerifyRequest req;
    req.signer = *SignerPublicKey::ReadFile(tmp_ / "analyst.pub");
    req.report = *ReadReportFolder(a);
    req.previous.push_back(*ReadReportFolder(b));
    req.proofs = proofs;
    Result<VerifyResult> r = VerifyReport(req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    for (const VerifyCheck& c : r->checks) {
      if (c.name == kCheckCheckpoints) return c;
    }
    return {};
  }

  static bool Fails(const VerifyCheck& c, const std::string& reason) {
    for (const VerifyFailure& f : c.failures) {
      if (f.reason.find(reason) != std::string::npos) return true;
    }
    return false;
  }

  static std::string Dump(const VerifyCheck& c) {
    std::string s;
    for (const VerifyFailure& f : c.failures) s += f.file + ": " + f.reason + "\n";
    for (const std::string& n : c.notes) s += n + "\n";
    return s;
  }

  void RewriteHistory(uint64_t seq) { testing::RewriteAuditEntry(dir_, Pass("s"), seq); }

  TempDir tmp_;
  std::string dir_;
};

TEST_F(VerifyLogTest, LaterReportProvesItsLogExtendsTheEarlierOne) {
  Folder jan, feb;
  {
    auto store = Open();
    jan = MakeReport(*store, "2026-01");
    AddDemo(*store, 2);  // the log grows between the two reports
    feb = MakeReport(*store, "2026-02");
  }
  v1::Report feb_report = testing::ReportOf(feb);
  ASSERT_EQ(feb_report.log_proofs_size(), 1);
  EXPECT_EQ(testing::ReportOf(jan).log_proofs_size(), 0);
  VerifyCheck ok = CheckpointsOf(feb, jan);
  EXPECT_TRUE(ok.passed()) << Dump(ok);
  EXPECT_TRUE(Dump(ok).find("1 link(s) between consecutive reports proved offline") !=
              std::string::npos)
      << Dump(ok);

  // The same report re-signed without its proof: the link is not proved, and that is a
  // failure, since a rewritten history would leave the proof out.
  const v1::LogConsistencyProof embedded = feb_report.log_proofs(0);
  feb_report.clear_log_proofs();
  Folder bare = testing::Render(feb_report, testing::ManifestOf(feb), Signer());
  VerifyCheck missing = CheckpointsOf(bare, jan);
  EXPECT_TRUE(Fails(missing, "no consistency proof links")) << Dump(missing);

  // Given beside it (as `tvault log prove` writes it), the proof is found and checked.
  ConsistencyProofData given{embedded.old_size(), embedded.new_size(),
                             {embedded.hashes().begin(), embedded.hashes().end()}};
  VerifyCheck beside = CheckpointsOf(bare, jan, {given});
  EXPECT_TRUE(beside.passed()) << Dump(beside);

  // One altered hash: the proof no longer links the two checkpoints.
  std::string h = embedded.hashes(0);
  h[0] ^= 1;
  *feb_report.add_log_proofs() = embedded;
  feb_report.mutable_log_proofs(0)->set_hashes(0, h);
  VerifyCheck altered =
      CheckpointsOf(testing::Render(feb_report, testing::ManifestOf(feb), Signer()), jan);
  EXPECT_TRUE(Fails(altered, "history was rewritten")) << Dump(altered);
}

TEST_F(VerifyLogTest, HistoryRewrittenAndResignedBetweenReportsFails) {
  Folder jan;
  {
    auto store = Open();
    jan = MakeReport(*store, "2026-01");
    AddDemo(*store, 2);
  }
  // Entry 3 (the first testimonies' "add", covered by January's checkpoint) is rewritten, and
  // every checkpoint re-signed: the store's own log check can no longer see it.
  RewriteHistory(3);
  Folder feb;
  {
    auto store = Open();
    ASSERT_TRUE(store->VerifyLog({})->empty());
    feb = MakeReport(*store, "2026-02");
  }
  VerifyCheck c = CheckpointsOf(feb, jan);
  EXPECT_TRUE(Fails(c, "history was rewritten")) << Dump(c);
  // January's published checkpoint, given to the store's own check, catches it too.
  auto store = Open();
  auto problems = store->VerifyLog({testing::ReportOf(jan).log_checkpoint()});
  ASSERT_TRUE(problems.ok());
  EXPECT_FALSE(problems->empty());
}

}  // namespace
}  // namespace tvault
