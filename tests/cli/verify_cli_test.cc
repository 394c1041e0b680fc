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

TEST_F(VerifyCliTest, AlteredFileExitsOneAndNamesIt) {
  std::string csv = ReadFileOrDie(Path("r/month-people_by_route.csv"));
  csv.back() = ' ';  // the last CRLF loses its LF
  WriteFileOrDie(Path("r/month-people_by_route.csv"), csv);
  RunResult r = Verify();
  EXPECT_EQ(r.exit_code, kVerifyFailed) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "integrity: FAIL")) << r.out;
  EXPECT_TRUE(Contains(r.out, "month-people_by_route.csv")) << r.out;

  r = Verify({"--json"});
  EXPECT_EQ(r.exit_code, kVerifyFailed) << Describe(r);
  EXPECT_EQ(Field(ParseJsonObject(r.out), "passed"), "false") << r.out;
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
