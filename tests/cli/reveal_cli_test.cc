// `tvault reveal` through the real binary: the identity comes back only with the organisation
// secret, and every reveal leaves an audit-log entry that holds no part of it.
#include "cli_fixture.h"

namespace tvault::testing {
namespace {

class RevealCliTest : public CliFixture {
 protected:
  // `reveal` with the store's and then the organisation key's passphrase on fd 3.
  RunResult Reveal(const std::string& id, const std::string& org_key) const {
    return RunTvault({"reveal", id, "--org-secret", org_key, "--json", "--store", store(),
                      "--passphrase-fd", "3", "--org-passphrase-fd", "3"},
                     "", std::string(kPassLine) + kPassLine);
  }
  size_t LogLines() const { return SplitLines(TvOk({"log", "show", "--json"}).out).size(); }
};

TEST_F(RevealCliTest, RevealIsLoggedAndRefusalsLogNothing) {
  v1::Testimony t = SamplePushback("REVEALCLI");
  const std::string id = AddOne(t);
  const std::string other = Path("other");
  ASSERT_EQ(RunTvault({"keys", "new-org", "--out", other, "--kdf", "interactive",
                       "--key-passphrase-fd", "3"}, "", kPassLine).exit_code, 0);

  const size_t before = LogLines();
  RunResult wrong = Reveal(id, other + ".key");
  EXPECT_EQ(wrong.exit_code, 4) << Describe(wrong);
  EXPECT_TRUE(Contains(wrong.err, "not this store's")) << wrong.err;
  RunResult unknown = Reveal("ffffffffff", World().org_key);
  EXPECT_EQ(unknown.exit_code, 6) << Describe(unknown);
  EXPECT_EQ(wrong.out + unknown.out, "");
  EXPECT_EQ(LogLines(), before);

  RunResult r = Reveal(id, World().org_key);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  google::protobuf::Struct identity = ParseJsonObject(r.out);
  EXPECT_EQ(Field(identity, "name"), "REVEALCLI-name");
  EXPECT_EQ(Field(identity, "phone"), "REVEALCLI-phone");
  EXPECT_TRUE(Contains(r.err, "recorded in the audit log"));

  RunResult log = TvOk({"log", "show", "--json"});
  std::vector<std::string> lines = SplitLines(log.out);
  ASSERT_EQ(lines.size(), before + 1);
  google::protobuf::Struct e = ParseJsonObject(lines.back());
  EXPECT_EQ(Field(e, "action"), "reveal");
  EXPECT_EQ(Field(e, "record_id"), id);
  EXPECT_EQ(Field(e, "record_version"), "1");
  EXPECT_EQ(FindMarker(log.out, "REVEALCLI"), "");
  EXPECT_EQ(Tv({"log", "verify"}).exit_code, kOk);
}

}  // namespace
}  // namespace tvault::testing
