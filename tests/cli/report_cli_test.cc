// `tvault report` through the real binary: the folder it writes, the stock minisign check of
// every file, byte-identical reruns, the audit-log entries, and refusals that write nothing.
#include <cstdlib>

#include "report_fixture.h"

namespace tvault::testing {
namespace {

class ReportCliTest : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    SetUpReporting(400);
  }
};

TEST_F(ReportCliTest, WritesASignedFolderThatStockMinisignAcceptsAndTheLedgerKeepsIt) {
  RunResult r = Report(Path("r1"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "signed files")) << r.out;
  EXPECT_TRUE(Contains(r.err, "self-audit passed")) << r.err;
  std::map<std::string, std::string> files = ReadTree(Path("r1"));
  for (const char* name : {"/report.json", "/report.html", "/manifest.json",
                           "/2026-01-month-people_by_route.csv",
                           "/2026-01-year_to_date-testimonies_by_violence.csv",
                           "/2026-01-by_month-testimonies_by_month.csv"}) {
    EXPECT_EQ(files.count(Path("r1") + name), 1u) << name;
  }
  const bool have_minisign = std::system("command -v minisign >/dev/null 2>&1") == 0;
  int signed_files = 0;
  for (const auto& [path, bytes] : files) {
    if (path.size() > 8 && path.substr(path.size() - 8) == ".minisig") continue;
    ASSERT_EQ(files.count(path + ".minisig"), 1u) << path << " has no signature";
    ++signed_files;
    if (!have_minisign) continue;
    const std::string cmd = "minisign -Vq -p '" + Path("analyst.pub") + "' -m '" + path + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "minisign rejects " << path;
  }
  EXPECT_EQ(files.size(), 2u * static_cast<size_t>(signed_files));
  // The HTML is self-contained: no script, no external resource.
  std::string html = files[Path("r1") + "/report.html"];
  EXPECT_TRUE(Contains(html, "<ul class=\"bars\">"));
  EXPECT_FALSE(Contains(html, "<script"));
  const std::string svg_ns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (size_t p; (p = html.find(svg_ns)) != std::string::npos;) html.erase(p, svg_ns.size());
  EXPECT_FALSE(Contains(html, "http")) << "report.html loads something from elsewhere";

  // The same month again: refused, since the ledger already holds it; `ledger export` writes
  // the published release again, byte for byte.
  r = Report(Path("r2"));
  EXPECT_EQ(r.exit_code, kExists) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "already holds the release of 2026-01")) << r.err;
  EXPECT_NE(::access(Path("r2").c_str(), F_OK), 0);
  TvOk({"ledger", "export", "--month", "2026-01", "--out", Path("r3")});
  std::map<std::string, std::string> again = ReadTree(Path("r3"));
  ASSERT_EQ(again.size(), files.size());
  for (const auto& [path, bytes] : files) {
    EXPECT_TRUE(again[Path("r3") + path.substr(Path("r1").size())] == bytes)
        << path << " differs";
  }
  // The release and the one pseudonymisation are in the audit log.
  RunResult log = TvOk({"log", "show"});
  size_t reports = 0, pos = 0;
  while ((pos = log.out.find(" report ", pos)) != std::string::npos) ++reports, ++pos;
  EXPECT_EQ(reports, 1u) << log.out;
  EXPECT_TRUE(Contains(log.out, "pseudonymise")) << log.out;
  TvOk({"log", "verify"});
}

// The last gate: a release whose series `verify --previous` would reject is neither written nor
// recorded. Here the earlier release is signed by another analyst key than this one, so the
// independent check cannot vouch for the stack (verify takes one signer per series).
TEST_F(ReportCliTest, AReleaseTheIndependentCheckRejectsIsNeitherWrittenNorRecorded) {
  ASSERT_EQ(Report(Path("r1"), "2026-01").exit_code, kOk);
  RunResult r = RunTvault({"keys", "new-signer", "--out", Path("other"), "--kdf", "interactive",
                           "--key-passphrase-fd", "3"},
                          "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const auto before = ReadTree(store());
  r = RunTvault({"report", "--store", store(), "--org-secret", World().org_key, "--sign",
                 Path("other.key"), "--month", "2026-02", "--out", Path("r2"), "--passphrase-fd",
                 "3", "--org-passphrase-fd", "3", "--sign-passphrase-fd", "3"},
                "", kThreePasses);
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "independent check")) << r.err;
  EXPECT_TRUE(Contains(r.err, "integrity")) << r.err;
  EXPECT_NE(::access(Path("r2").c_str(), F_OK), 0);
  EXPECT_EQ(ReadTree(store()), before) << "a refused release changed the store";
  // With the series' key it goes through.
  EXPECT_EQ(Report(Path("r2"), "2026-02").exit_code, kOk);
}

TEST_F(ReportCliTest, RefusalsWriteNothing) {
  // A folder that is not empty: refused before any passphrase is read.
  ASSERT_EQ(::mkdir(Path("full").c_str(), 0700), 0);
  WriteWork("full/keep.txt", "x");
  RunResult r = Report(Path("full"), "2026-01", "");
  EXPECT_EQ(r.exit_code, kExists) << Describe(r);
  // A wrong signing-key passphrase: exit 3, no folder.
  r = Report(Path("r-wrong"), "2026-01", "passphrase\npassphrase\nnot it\n");
  EXPECT_EQ(r.exit_code, kWrongPassphrase) << Describe(r);
  EXPECT_NE(::access(Path("r-wrong").c_str(), F_OK), 0);
  // Not a month.
  r = Report(Path("r-bad"), "2026-13");
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "--month")) << r.err;
  EXPECT_NE(::access(Path("r-bad").c_str(), F_OK), 0);
  // A settings file with an unknown table names the file and the table.
  const std::string settings = WriteWork("s.json", R"({"tables": ["people_by_planet"]})");
  r = RunTvault({"report", "--store", store(), "--org-secret", World().org_key, "--sign",
                 Path("analyst.key"), "--month", "2026-01", "--out", Path("r-s"), "--settings",
                 settings, "--passphrase-fd", "3"},
                "", kThreePasses);
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "people_by_planet")) << r.err;
}

}  // namespace
}  // namespace tvault::testing
