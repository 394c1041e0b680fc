// `tvault keys new-signer` through the real binary, and the stock minisign tool reading the
// public key file it writes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "testing/test_util.h"
#include "tvault/signing.h"

namespace tvault {
namespace {

using testing::Pass;
using testing::ReadFileOrDie;
using testing::RunResult;
using testing::RunTvault;
using testing::TempDir;
using testing::WriteFileOrDie;

RunResult NewSigner(const std::string& out, const std::string& fd3 = "signer pass\n") {
  return RunTvault({"keys", "new-signer", "--out", out, "--kdf", "interactive",
                    "--key-passphrase-fd", "3"},
                   "", fd3);
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command` in a shell; returns its exit code and appends its stdout and stderr to *output.
int Shell(const std::string& command, std::string* output) {
  FILE* p = ::popen((command + " </dev/null 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(KeysNewSigner, WritesBothFilesAndPrintsTheKeyId) {
  TempDir dir;
  RunResult r = NewSigner(dir / "alice");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto pub = SignerPublicKey::ReadFile(dir / "alice.pub");
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_NE(r.out.find("key id " + pub->KeyIdHex() + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFileOrDie(dir / "alice.pub"),
            pub->ToMinisignText("tvault signer public key " + pub->KeyIdHex()));

  struct stat st;
  ASSERT_EQ(0, ::stat((dir / "alice.key").c_str(), &st));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFileOrDie(dir / "alice.key").substr(0, 8), "TVLTSIGK");

  // The passphrase from fd 3 (without its newline) opens the key, and it matches the .pub.
  auto key = ReadSignerSecretKey(dir / "alice.key", Pass("signer pass"));
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->public_key(), *pub);
  // The passphrase never reaches the output.
  EXPECT_EQ(r.out.find("signer pass"), std::string::npos);
  EXPECT_EQ(r.err.find("signer pass"), std::string::npos);
}

TEST(KeysNewSigner, RefusesToOverwrite) {
  TempDir dir;
  ASSERT_EQ(NewSigner(dir / "s").exit_code, 0);
  const std::string pub = ReadFileOrDie(dir / "s.pub");
  const std::string key = ReadFileOrDie(dir / "s.key");
  RunResult again = NewSigner(dir / "s");
  EXPECT_EQ(again.exit_code, 7) << again.err;
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(ReadFileOrDie(dir / "s.pub"), pub);
  EXPECT_EQ(ReadFileOrDie(dir / "s.key"), key);

  WriteFileOrDie(dir / "t.key", "something else");
  EXPECT_EQ(NewSigner(dir / "t").exit_code, 7);
  EXPECT_EQ(ReadFileOrDie(dir / "t.key"), "something else");
}

TEST(KeysNewSigner, RejectsAnUnknownKdfAndAMissingOut) {
  TempDir dir;
  RunResult r = RunTvault({"keys", "new-signer", "--out", dir / "s", "--kdf", "cheap",
                           "--key-passphrase-fd", "3"},
                          "", "p\n");
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(RunTvault({"keys", "new-signer"}).exit_code, 2);
  EXPECT_FALSE(SignerPublicKey::ReadFile(dir / "s.pub").ok());
}

TEST(KeysNewSigner, StockMinisignAcceptsThePublicKeyFile) {
  if (std::system("command -v minisign >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the minisign tool is not installed";
  }
  TempDir dir;
  ASSERT_EQ(NewSigner(dir / "analyst").exit_code, 0);
  auto key = ReadSignerSecretKey(dir / "analyst.key", Pass("signer pass"));
  ASSERT_TRUE(key.ok()) << key.status().message();
  const std::string report = "Quarterly report\n";
  WriteFileOrDie(dir / "report.txt", report);
  WriteFileOrDie(dir / "report.txt.minisig", *key->Sign(report, "report 2024-Q2"));

  std::string out;
  EXPECT_EQ(Shell("minisign -V -p " + Quote(dir / "analyst.pub") + " -m " +
                      Quote(dir / "report.txt"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("Trusted comment: report 2024-Q2"), std::string::npos) << out;

  out.clear();
  WriteFileOrDie(dir / "report.txt", report + "appended");
  EXPECT_NE(Shell("minisign -V -p " + Quote(dir / "analyst.pub") + " -m " +
                      Quote(dir / "report.txt"),
                  &out),
            0)
      << out;
}

}  // namespace
}  // namespace tvault
