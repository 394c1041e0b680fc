// Secret hygiene of a running tvault, seen from outside the process as an attacker with the
// same user id (or a crash handler) would see it. `tvault passwd` runs on a pseudo-terminal as
// an unprivileged user; the test types the current passphrase at the no-echo prompt, and while
// tvault waits at the next prompt (the passphrase now in its memory) it checks:
//   - the passphrase is in neither /proc/PID/cmdline nor /proc/PID/environ, and was not echoed;
//   - /proc/PID/limits shows a core file size of 0 (RLIMIT_CORE);
//   - the process is not dumpable (PR_SET_DUMPABLE 0): the kernel then makes its /proc/PID
//     entries owned by root instead of by the user it runs as.
// Temporary files: LeakTest.NoMarkerReachesAnyFile (leak_test.cc) scans $TMPDIR and the store.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/test_util.h"

namespace tvault::testing {
namespace {

constexpr uid_t kNobody = 65534;
constexpr char kOldPass[] = "hygiene-old-passphrase-7Qx";

std::string ReadProc(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reads from `fd` into `*screen` until it contains `want` or 10 s pass.
bool WaitFor(int fd, const std::string& want, std::string* screen) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (screen->find(want) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p = {fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    screen->append(buf, static_cast<size_t>(n));
  }
  return true;
}

TEST(SecretHygiene, PassphraseAtAPromptIsInNoProcFileAndTheProcessCannotDumpCore) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root: the process runs as nobody, so that dumpability shows in the "
                    "owner of its /proc entries";
  }
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string slave_name = ::ptsname(master);

  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    int slave = ::open(slave_name.c_str(), O_RDWR);  // Becomes the controlling terminal.
    if (slave < 0) _exit(126);
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
      _exit(125);
    }
    std::string bin = TVAULT_BINARY;
    std::vector<std::string> args = {bin, "passwd", "--store", "/nonexistent/tvault-store"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    char env0[] = "PATH=/usr/bin:/bin";
    char env1[] = "TVAULT_HYGIENE_PROBE=1";
    char* envp[] = {env0, env1, nullptr};
    ::execve(bin.c_str(), argv.data(), envp);
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  std::string screen;
  ASSERT_TRUE(WaitFor(master, "Current passphrase", &screen)) << screen;
  ::usleep(100 * 1000);  // Let tvault switch echo off (TCSAFLUSH drops earlier input).
  const std::string typed = std::string(kOldPass) + "\n";
  ASSERT_EQ(::write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  ASSERT_TRUE(WaitFor(master, "New passphrase", &screen)) << screen;

  // tvault now holds kOldPass and waits at the second prompt.
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string cmdline = ReadProc(proc + "/cmdline");
  const std::string environ = ReadProc(proc + "/environ");
  EXPECT_NE(cmdline.find("passwd"), std::string::npos) << "cmdline not read";
  EXPECT_NE(environ.find("TVAULT_HYGIENE_PROBE=1"), std::string::npos) << "environ not read";
  EXPECT_EQ(FindMarker(cmdline, kOldPass), "") << "passphrase in /proc/PID/cmdline";
  EXPECT_EQ(FindMarker(environ, kOldPass), "") << "passphrase in /proc/PID/environ";
  EXPECT_EQ(screen.find(kOldPass), std::string::npos) << "the passphrase was echoed";

  const std::string limits = ReadProc(proc + "/limits");
  const size_t core = limits.find("Max core file size");
  ASSERT_NE(core, std::string::npos) << limits;
  std::istringstream line(limits.substr(core + std::string("Max core file size").size()));
  std::string soft, hard;
  line >> soft >> hard;
  EXPECT_EQ(soft, "0") << limits;
  EXPECT_EQ(hard, "0") << limits;

  const std::string status = ReadProc(proc + "/status");
  EXPECT_NE(status.find("\nUid:\t65534\t65534"), std::string::npos) << status;
  struct stat st;
  ASSERT_EQ(::stat((proc + "/environ").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u) << "/proc/PID owned by the process's user: it is still dumpable";

  ::kill(pid, SIGKILL);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ::close(master);
}

// The control for the dumpability check above: a process of the same user that did not drop
// dumpability has its /proc entries owned by that user, so the check can fail.
TEST(SecretHygiene, ControlADumpableProcessOwnsItsProcEntries) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, like the test above";
  pid_t pid = ::fork();
  if (pid == 0) {
    // After setuid the kernel makes a process undumpable until it execs a program, as tvault
    // is exec'd above; so the control execs one too.
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
      _exit(125);
    }
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  struct stat st = {};
  for (int i = 0; i < 100; ++i) {  // Until the child has dropped to nobody.
    ASSERT_EQ(::stat(("/proc/" + std::to_string(pid) + "/environ").c_str(), &st), 0);
    if (st.st_uid == kNobody) break;
    ::usleep(10 * 1000);
  }
  EXPECT_EQ(st.st_uid, kNobody);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace
}  // namespace tvault::testing
