// Commands that replace or destroy a store's key file, run at the same time (issue 19, items 13
// and 14). Two threads of this process stand in for two tvault processes: the lock they contend
// for (flock on the store's directory) is held per open file, not per process.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

class StoreRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    org_ = *ReadOrgPublicKey(tmp_ / "org.pub");
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-07";
    ASSERT_TRUE(Store::Create(dir_, Pass("old pass"), org_, opts).ok());
  }

  bool KeyFileExists() const {
    struct stat st;
    return ::stat((dir_ + "/" + kStoreKeyFile).c_str(), &st) == 0;
  }

  TempDir tmp_;
  std::string dir_;
  OrgPublicKey org_;
};

// Item 13. Each new wrapping costs an Argon2id run at the interactive profile (0.1 s on an idle
// machine, seconds on a loaded one), the window in which both passwd used to check the old
// passphrase and then both wrote. Two rounds.
TEST_F(StoreRaceTest, TwoPasswdAtOnceOneSucceedsTheOtherIsToldItsPassphraseIsWrong) {
  for (int round = 0; round < 2; ++round) {
    const std::string old_pass = round == 0 ? "old pass" : "winner " + std::to_string(round - 1);
    std::atomic<int> ready{0};
    Status results[2];
    auto run = [&](int i) {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      results[i] = Store::ChangePassphrase(dir_, Pass(old_pass),
                                           Pass("new " + std::to_string(i)),
                                           KdfParams::Interactive());
    };
    std::thread a(run, 0), b(run, 1);
    a.join();
    b.join();
    int ok = results[0].ok() + results[1].ok();
    ASSERT_EQ(ok, 1) << "round " << round << ": both passwd succeeded, one new passphrase is "
                     << "lost (" << results[0].message() << " / " << results[1].message() << ")";
    int winner = results[0].ok() ? 0 : 1;
    EXPECT_EQ(results[1 - winner].code(), Code::kWrongPassphrase) << results[1 - winner].message();
    EXPECT_TRUE(Store::Open(dir_, Pass("new " + std::to_string(winner))).ok());
    // The next round starts from the winner's passphrase under a name of its own.
    ASSERT_TRUE(Store::ChangePassphrase(dir_, Pass("new " + std::to_string(winner)),
                                        Pass("winner " + std::to_string(round)), FastKdf())
                    .ok());
  }
}

// Item 14. The folder holds another file, so it survives the wipe; a passwd that had read the
// key before the wipe used to write a fresh store.key into it afterwards.
TEST_F(StoreRaceTest, WipeDuringPasswdLeavesNoUsableStore) {
  testing::WriteFileOrDie(dir_ + "/notes.txt", "not part of the store");
  std::atomic<bool> started{false};
  Status passwd;
  std::thread a([&] {
    started = true;
    passwd = Store::ChangePassphrase(dir_, Pass("old pass"), Pass("new pass"),
                                     KdfParams::Interactive());
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Status wipe = Store::Wipe(dir_);
  a.join();
  EXPECT_TRUE(wipe.ok()) << wipe.message();
  EXPECT_FALSE(KeyFileExists()) << "a store.key exists after a successful wipe (passwd: "
                                << (passwd.ok() ? "ok" : passwd.message()) << ")";
  EXPECT_EQ(Store::Open(dir_, Pass("new pass")).status().code(), Code::kNotFound);
  EXPECT_EQ(Store::Open(dir_, Pass("old pass")).status().code(), Code::kNotFound);
  // And a passwd after the wipe refuses rather than writing a key into the folder.
  EXPECT_EQ(Store::ChangePassphrase(dir_, Pass("old pass"), Pass("x"), FastKdf()).code(),
            Code::kNotFound);
  EXPECT_FALSE(KeyFileExists());
}

// Item 14: every key temporary is destroyed, also when a wipe was interrupted after store.key
// was gone (each temporary holds the data key wrapped like store.key).
TEST_F(StoreRaceTest, WipeDestroysKeyTemporariesEvenWithoutTheKeyFile) {
  const std::string key = testing::ReadFileOrDie(dir_ + "/" + kStoreKeyFile);
  const std::string tmp = dir_ + "/" + kStoreKeyFile + ".tmp.AbC123";
  testing::WriteFileOrDie(tmp, key);
  ASSERT_EQ(::unlink((dir_ + "/" + kStoreKeyFile).c_str()), 0);
  ASSERT_TRUE(Store::Wipe(dir_).ok());
  struct stat st;
  EXPECT_NE(::stat(tmp.c_str(), &st), 0) << "a wrapped data key survived the wipe";
  EXPECT_NE(::stat(dir_.c_str(), &st), 0) << "the store folder was left";
  EXPECT_EQ(Store::Wipe(dir_).code(), Code::kNotFound);
}

}  // namespace
}  // namespace tvault
