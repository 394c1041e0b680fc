// `tvault verify` through the real binary: its exit codes (0 all pass, 1 a check failed,
// 2 could not run), the failure lines naming the file, the --json document, and the full
// audit with the store's and the organisation key's passphrases on one descriptor.
#include "report_fixture.h"

namespace tvault::testing {
namespace {

constexpr int kVerifyFailed = 1;
constexpr int kVerifyCouldNotRun = 2;

class VerifyCliTest : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    SetUpReporting(300);
    RunResult r = Report(Path("r"));
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }

  RunResult Verify(std::vector<std::string> extra = {}, const std::string& fd3 = "") {
    std::vector<std::string> args = {"verify", Path("r"), "--signer", Path("analyst.pub")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTvault(args, "", fd3);
  }
};

TEST_F(VerifyCliTest, HonestReportExitsZeroInTextAndJson) {
  RunResult r = Verify();
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "integrity: pass")) << r.out;
  EXPECT_TRUE(Contains(r.out, "attack: pass")) << r.out;
  EXPECT_TRUE(Contains(r.out, "every check passed")) << r.out;

  r = Verify({"--json"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  google::protobuf::Struct doc = ParseJsonObject(r.out);
  EXPECT_EQ(Field(doc, "passed"), "true") << r.out;
  EXPECT_EQ(doc.fields().at("checks").list_value().values_size(), 5) << r.out;
}

TEST_F(VerifyCliTest, FullAuditReadsBothPassphrasesFromOneDescriptor) {
  RunResult r = Verify({"--store", store(), "--org-secret", World().org_key, "--passphrase-fd",
                        "3", "--org-passphrase-fd", "3"},
                       "passphrase\npassphrase\n");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "store: pass")) << r.out;
}

// Issue 19, item 9: the store check opens every sealed identity (to search the report for
// them). It is logged before, like a reveal, so no identity is opened without a trace.
TEST_F(VerifyCliTest, OpeningTheIdentitiesForTheStoreCheckIsLoggedFirst) {
  auto actions = [&]() {
    std::vector<std::string> out;
    for (const std::string& line : SplitLines(TvOk({"log", "show", "--json"}).out)) {
      out.push_back(Field(ParseJsonObject(line), "action"));
    }
    return out;
  };
  const std::vector<std::string> before = actions();
  RunResult r = Verify({"--store", store(), "--org-secret", World().org_key, "--passphrase-fd",
                        "3", "--org-passphrase-fd", "3"},
                       "passphrase\npassphrase\n");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::vector<std::string> after = actions();
  ASSERT_EQ(after.size(), before.size() + 1) << "no audit entry for the opened identities";
  EXPECT_EQ(after.back(), "open-identities");
  const google::protobuf::Struct entry =
      ParseJsonObject(SplitLines(TvOk({"log", "show", "--json"}).out).back());
  EXPECT_EQ(Field(entry, "record_id"), "verify 2026-01");
  EXPECT_EQ(TvOk({"log", "verify"}).exit_code, kOk);
  // With the wrong organisation key nothing is logged (and nothing opened).
  RunResult other = RunTvault({"keys", "new-org", "--out", Path("other"), "--kdf", "interactive",
                               "--key-passphrase-fd", "3"},
                              "", kPassLine);
  ASSERT_EQ(other.exit_code, kOk) << Describe(other);
  r = Verify({"--store", store(), "--org-secret", Path("other.key"), "--passphrase-fd", "3",
              "--org-passphrase-fd", "3"},
             "passphrase\npassphrase\n");
  EXPECT_NE(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(actions().size(), after.size());
}

TEST_F(VerifyCliTest, AlteredFileExitsOneAndNamesIt) {
  std::string csv = ReadFileOrDie(Path("r/2026-01-month-people_by_route.csv"));
  csv.back() = ' ';  // the last CRLF loses its LF
  WriteFileOrDie(Path("r/2026-01-month-people_by_route.csv"), csv);
  RunResult r = Verify();
  EXPECT_EQ(r.exit_code, kVerifyFailed) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "integrity: FAIL")) << r.out;
  EXPECT_TRUE(Contains(r.out, "2026-01-month-people_by_route.csv")) << r.out;

  r = Verify({"--json"});
  EXPECT_EQ(r.exit_code, kVerifyFailed) << Describe(r);
  EXPECT_EQ(Field(ParseJsonObject(r.out), "passed"), "false") << r.out;
}

// Two reports with testimonies added between them: the later one embeds the proof that its log
// extends the earlier one's, and `log prove --from --to` makes the same proof by hand.
TEST_F(VerifyCliTest, LaterReportLinksItsLogToTheEarlierOneOffline) {
  // A testimony of a later month: the log grows, and January's numbers stay as published.
  v1::Testimony later = SamplePushback("LATER");
  later.mutable_pushback()->set_incident_date("2026-09-01");
  AddOne(later);
  ASSERT_EQ(Report(Path("r2"), "2026-02").exit_code, kOk);
  RunResult r = RunTvault({"verify", Path("r2"), "--previous", Path("r"), "--signer",
                           Path("analyst.pub")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "1 link(s) between consecutive reports proved offline")) << r.out;

  for (const char* dir : {"r", "r2"}) {
    WriteWork(std::string(dir) + ".cp",
              Field(ParseJsonObject(ReadFileOrDie(Path(std::string(dir) + "/report.json"))),
                    "log_checkpoint"));
  }
  RunResult proof = TvOk({"log", "prove", "--from", Path("r.cp"), "--to", Path("r2.cp")});
  WriteWork("link.proof", proof.out);
  std::string key = TvOk({"log", "key"}).out;
  key.pop_back();
  RunResult check = RunTvault({"log", "check-proof", "--key", key, "--old", Path("r.cp"),
                               "--new", Path("r2.cp"), "--proof", Path("link.proof")});
  EXPECT_EQ(check.exit_code, kOk) << Describe(check);
  r = RunTvault({"verify", Path("r2"), "--previous", Path("r"), "--signer", Path("analyst.pub"),
                 "--proof", Path("link.proof")});
  EXPECT_EQ(r.exit_code, kOk) << Describe(r);
  // A file that is not a proof: verify could not run (exit 2), naming the file.
  r = RunTvault({"verify", Path("r2"), "--signer", Path("analyst.pub"), "--proof",
                 Path("r.cp")});
  EXPECT_EQ(r.exit_code, kVerifyCouldNotRun) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "r.cp")) << r.err;
}

TEST_F(VerifyCliTest, WhatCannotBeReadExitsTwo) {
  RunResult r = RunTvault({"verify", Path("nowhere"), "--signer", Path("analyst.pub")});
  EXPECT_EQ(r.exit_code, kVerifyCouldNotRun) << Describe(r);
  r = RunTvault({"verify", Path("r"), "--signer", Path("nobody.pub")});
  EXPECT_EQ(r.exit_code, kVerifyCouldNotRun) << Describe(r);
  r = Verify({"--store", store()});
  EXPECT_EQ(r.exit_code, kVerifyCouldNotRun) << Describe(r);
  r = Verify({"--store", store(), "--org-secret", World().org_key, "--passphrase-fd", "3",
              "--org-passphrase-fd", "3"},
             "wrong passphrase\npassphrase\n");
  EXPECT_EQ(r.exit_code, kVerifyCouldNotRun) << Describe(r);
}

}  // namespace
}  // namespace tvault::testing
