// tvault keys age-identity: the identity file it writes lets the stock `age` tool decrypt files
// encrypted to the organisation key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <sstream>

#include "testing/test_util.h"
#include "tvault/keys.h"

namespace tvault {
namespace {

using testing::ReadFileOrDie;
using testing::RunResult;
using testing::RunTvault;
using testing::TempDir;
using testing::WriteFileOrDie;

bool HaveAge() { return std::system("command -v age >/dev/null 2>&1") == 0; }

// new-org refuses passphrases shorter than 10 characters.
constexpr char kPass[] = "correct horse battery\n";

class AgeIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r = RunTvault({"keys", "new-org", "--out", dir_ / "org", "--kdf", "interactive",
                             "--key-passphrase-fd", "3"},
                            "", kPass);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  RunResult WriteIdentity(const std::string& out, const std::string& pass = kPass) {
    return RunTvault({"keys", "age-identity", "--org-secret", dir_ / "org.key", "--out", out,
                      "--key-passphrase-fd", "3"},
                     "", pass);
  }

  TempDir dir_;
};

TEST_F(AgeIdentityTest, WritesAPrivateAgeKeygenStyleFile) {
  const std::string id = dir_ / "identity.txt";
  RunResult r = WriteIdentity(id);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("destroy it after use"), std::string::npos);

  struct stat st;
  ASSERT_EQ(::stat(id.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::string recipient = ReadOrgPublicKey(dir_ / "org.pub")->ToAgeRecipient();
  std::istringstream text(ReadFileOrDie(id));
  std::string line;
  ASSERT_TRUE(std::getline(text, line));
  EXPECT_EQ(line.rfind("# created: ", 0), 0u) << line;
  ASSERT_TRUE(std::getline(text, line));
  EXPECT_EQ(line, "# public key: " + recipient);
  std::string key;
  while (std::getline(text, line)) {
    if (!line.empty() && line[0] != '#') key = line;
  }
  EXPECT_EQ(key.rfind("AGE-SECRET-KEY-1", 0), 0u);
  EXPECT_EQ(key.size(), 74u);
}

TEST_F(AgeIdentityTest, RefusesOverwriteAndWrongPassphrase) {
  const std::string id = dir_ / "identity.txt";
  WriteFileOrDie(id, "keep me");
  RunResult r = WriteIdentity(id);
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(ReadFileOrDie(id), "keep me");

  const std::string other = dir_ / "other.txt";
  r = WriteIdentity(other, "wrong horse battery\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  struct stat st;
  EXPECT_NE(::stat(other.c_str(), &st), 0) << "identity written despite a wrong passphrase";
}

TEST_F(AgeIdentityTest, StockAgeRoundTripsWithTheIdentity) {
  if (!HaveAge()) GTEST_SKIP() << "age is not installed";
  const std::string id = dir_ / "identity.txt";
  RunResult r = WriteIdentity(id);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string recipient = ReadOrgPublicKey(dir_ / "org.pub")->ToAgeRecipient();
  std::string plain = "testimony bundle\n";
  for (int i = 0; i < 10000; ++i) plain += "line " + std::to_string(i) + "\n";  // > one chunk
  WriteFileOrDie(dir_ / "plain", plain);
  std::string cmd = "age -e -r " + recipient + " " + (dir_ / "plain") + " | age -d -i " + id +
                    " > " + (dir_ / "out");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_TRUE(ReadFileOrDie(dir_ / "out") == plain);
}

}  // namespace
}  // namespace tvault
