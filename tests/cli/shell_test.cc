// `tvault shell`: one unlock, several commands at a prompt, and the lock after a short idle
// time or Ctrl-D, which closes the store. Driven through a pseudo-terminal.
#include <dirent.h>

#include "cli/cli_fixture.h"
#include "cli/pty_session.h"

namespace tvault::testing {
namespace {

// Whether process `pid` has a file open whose path ends with `suffix` (its /proc/PID/fd).
bool HasOpen(pid_t pid, const std::string& suffix) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = ::readdir(d)) {
    char target[4096];
    const ssize_t n = ::readlink((dir + "/" + e->d_name).c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    const std::string path(target, static_cast<size_t>(n));
    found = found || (path.size() >= suffix.size() &&
                      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0);
  }
  ::closedir(d);
  return found;
}

class ShellTest : public CliFixture {};

// The passphrase is on fd 3 once: every command after the first unlock runs without it.
TEST_F(ShellTest, OneUnlockSeveralCommandsThenAnIdleLockClosesTheStore) {
  const std::string id = AddOne(SamplePushback("mk-shell"));
  PtySession s({"shell", "--store", store(), "--passphrase-fd", "3", "--lock-after", "2"},
               kPassLine);
  ASSERT_TRUE(s.Expect("Unlocked " + store()));
  ASSERT_TRUE(s.Expect("It locks after 2 s without input."));
  ASSERT_TRUE(s.Answer("tvault> ", "list"));
  ASSERT_TRUE(s.Expect("1 record"));
  EXPECT_TRUE(HasOpen(s.pid(), "/store.db")) << "the store is open while unlocked";
  ASSERT_TRUE(s.Answer("tvault> ", "show " + id.substr(0, 8)));
  ASSERT_TRUE(s.Expect("record " + id));
  ASSERT_TRUE(s.Answer("tvault> ", "facility list"));
  ASSERT_TRUE(s.Expect("HR-DET-01"));
  ASSERT_TRUE(s.Answer("tvault> ", "search \"police came\""));
  ASSERT_TRUE(s.Expect(id.substr(0, 12)));
  // Errors are printed and the shell goes on.
  ASSERT_TRUE(s.Answer("tvault> ", "lsit"));
  ASSERT_TRUE(s.Expect("did you mean `list`?"));
  ASSERT_TRUE(s.Answer("tvault> ", "show --store /elsewhere " + id));
  ASSERT_TRUE(s.Expect("leave it (exit) to use another store"));
  ASSERT_TRUE(s.Answer("tvault> ", "list"));
  ASSERT_TRUE(s.Expect("1 record"));
  EXPECT_FALSE(Contains(s.output(), "Passphrase")) << "asked for a passphrase again";
  EXPECT_FALSE(Contains(s.output(), "cannot read")) << s.output();

  // Two seconds without input: locked, and the database is closed.
  ASSERT_TRUE(s.Expect("tvault> "));
  ASSERT_TRUE(s.Expect("Locked after 2 s without input: the keys are wiped.", 15000));
  bool closed = false;
  for (int i = 0; i < 50 && !closed; ++i) {
    closed = !HasOpen(s.pid(), "/store.db");
    if (!closed) ::usleep(100000);
  }
  EXPECT_TRUE(closed) << "the store is still open after the lock";
  s.CtrlD();
  EXPECT_EQ(s.Wait(), kOk) << s.output();
}

TEST_F(ShellTest, CtrlDLocksAndLeaves) {
  PtySession s({"shell", "--store", store(), "--passphrase-fd", "3"}, kPassLine);
  ASSERT_TRUE(s.Answer("tvault> ", "list"));
  ASSERT_TRUE(s.Expect("0 records"));
  ASSERT_TRUE(s.Expect("tvault> "));
  s.CtrlC();  // at the prompt, Ctrl-C does not leave
  ASSERT_TRUE(s.Expect("(Ctrl-D or exit leaves)"));
  ASSERT_TRUE(s.Expect("tvault> "));
  s.CtrlD();
  ASSERT_TRUE(s.Expect("Locked: the keys are wiped."));
  EXPECT_EQ(s.Wait(), kOk) << s.output();
}

// A missing store is refused before any passphrase is asked (fd 3 is empty).
TEST_F(ShellTest, AMissingStoreFailsBeforeThePassphrase) {
  RunResult r = RunTvault({"shell", "--store", Path("none"), "--passphrase-fd", "3"}, "", "");
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no tvault store here")) << r.err;
}

}  // namespace
}  // namespace tvault::testing
