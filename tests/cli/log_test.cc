// The audit-log commands through the real binary: verify, checkpoint, key, prove, and the
// offline check-proof an auditor runs without the store.
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace tvault {
namespace {

using testing::RunResult;
using testing::RunTvault;
using testing::TempDir;

const char kPass[] = "log test passphrase\n";

TEST(LogCli, CheckpointProveAndCheckProofOffline) {
  TempDir tmp;
  const std::string store = tmp / "vault";
  ASSERT_EQ(RunTvault({"keys", "new-org", "--out", tmp / "org", "--kdf", "interactive",
                       "--key-passphrase-fd", "3"}, "", kPass).exit_code, 0);
  ASSERT_EQ(RunTvault({"init", "--store", store, "--org-key", tmp / "org.pub", "--kdf",
                       "interactive", "--passphrase-fd", "3"}, "", kPass).exit_code, 0);
  auto run = [&](std::vector<std::string> args) {
    args.push_back("--store");
    args.push_back(store);
    args.push_back("--passphrase-fd");
    args.push_back("3");
    return RunTvault(args, "", kPass);
  };
  testing::WriteFileOrDie(tmp / "demo.jsonl", RunTvault({"demo-data", "--count", "5"}).out);
  testing::WriteFileOrDie(tmp / "fac.jsonl", RunTvault({"demo-data", "--facilities"}).out);
  ASSERT_EQ(run({"facility", "add", "--from", tmp / "fac.jsonl"}).exit_code, 0);
  ASSERT_EQ(run({"add", "--from", tmp / "demo.jsonl"}).exit_code, 0);

  RunResult old_cp = run({"log", "checkpoint"});
  ASSERT_EQ(old_cp.exit_code, 0) << old_cp.err;
  EXPECT_EQ(old_cp.out.find("tvault/store/"), 0u);
  testing::WriteFileOrDie(tmp / "old.cp", old_cp.out);
  ASSERT_EQ(run({"add", "--from", tmp / "demo.jsonl"}).exit_code, 0);
  testing::WriteFileOrDie(tmp / "new.cp", run({"log", "checkpoint"}).out);
  std::string key = run({"log", "key"}).out;
  ASSERT_FALSE(key.empty());
  key.pop_back();

  RunResult verify = run({"log", "verify", "--checkpoint", tmp / "old.cp"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("audit log intact"), std::string::npos);

  RunResult proof = run({"log", "prove", "--from", tmp / "old.cp"});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  testing::WriteFileOrDie(tmp / "proof.txt", proof.out);
  RunResult check = RunTvault({"log", "check-proof", "--key", key, "--old", tmp / "old.cp",
                               "--new", tmp / "new.cp", "--proof", tmp / "proof.txt"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("consistent"), std::string::npos);

  // Old and new swapped: the proof does not fit, and check-proof says so (exit 5).
  RunResult swapped = RunTvault({"log", "check-proof", "--key", key, "--old", tmp / "new.cp",
                                 "--new", tmp / "old.cp", "--proof", tmp / "proof.txt"});
  EXPECT_EQ(swapped.exit_code, 5) << swapped.err;

  // A checkpoint with its size changed no longer verifies.
  std::string forged = testing::ReadFileOrDie(tmp / "old.cp");
  size_t nl = forged.find('\n');
  forged.insert(nl + 1, "1");
  testing::WriteFileOrDie(tmp / "forged.cp", forged);
  RunResult bad = run({"log", "verify", "--checkpoint", tmp / "forged.cp"});
  EXPECT_EQ(bad.exit_code, 5);
  EXPECT_NE(bad.out.find("FAIL given checkpoint 1"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace tvault
