// Drives the real `tvault` binary through a pseudo-terminal, as a monitor at a keyboard would:
// the test waits for a question to appear, then types an answer, Ctrl-C or Ctrl-D. The child
// is a session leader with the pty as its controlling terminal, so Ctrl-C (byte 0x03) reaches
// it as SIGINT through the terminal's line discipline, exactly as from a keyboard.
#ifndef TVAULT_TESTS_CLI_PTY_SESSION_H_
#define TVAULT_TESTS_CLI_PTY_SESSION_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "testing/test_util.h"

namespace tvault::testing {

class PtySession {
 public:
  // Starts `tvault args...`, with `fd3` readable on file descriptor 3 (the passphrase) and
  // `env` entries ("NAME=value") added to its environment.
  PtySession(const std::vector<std::string>& args, const std::string& fd3,
             const std::vector<std::string>& env = {}) {
    WriteFileOrDie(io_ / "fd3", fd3);
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      const int f3 = ::open((io_ / "fd3").c_str(), O_RDONLY);
      ::dup2(f3, 3);
      for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<std::string> copy = args;
      std::string bin = TVAULT_BINARY;
      std::vector<char*> argv = {bin.data()};
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      _exit(127);
    }
    EXPECT_GT(pid_, 0) << "forkpty failed";
  }

  ~PtySession() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }

  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  // Waits until `text` appears in the output after the previous match. Returns false (and
  // fails the test, showing the output) when it does not within `timeout_ms`.
  bool Expect(const std::string& text, int timeout_ms = 30000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      const size_t at = out_.find(text, pos_);
      if (at != std::string::npos) {
        pos_ = at + text.size();
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0 || !ReadSome(static_cast<int>(left))) {
        ADD_FAILURE() << "waited for \"" << text << "\"; the output after the last match:\n"
                      << out_.substr(pos_);
        return false;
      }
    }
  }

  // Waits for `question`, then types `answer` and Enter.
  bool Answer(const std::string& question, const std::string& answer) {
    if (!Expect(question)) return false;
    Send(answer + "\n");
    return true;
  }

  void Send(const std::string& bytes) {
    // A short pause lets the child reach its read, as a person typing would.
    ::usleep(20000);
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  void CtrlC() { Send("\x03"); }
  void CtrlD() { Send("\x04"); }

  // Reads the rest of the output and waits for the child to end; returns its exit code
  // (128 + signal when killed).
  int Wait(int timeout_ms = 60000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline && ReadSome(200)) {
    }
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        ADD_FAILURE() << "tvault did not end; output:\n" << out_;
        break;
      }
      ReadSome(100);
    }
    exited_ = true;
    while (ReadSome(50)) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  const std::string& output() const { return out_; }
  pid_t pid() const { return pid_; }
  // The output after the last match.
  std::string rest() const { return out_.substr(pos_); }

 private:
  // Reads what is there within `timeout_ms`; false when nothing more can come (EOF / EIO).
  bool ReadSome(int timeout_ms) {
    struct pollfd p = {master_, POLLIN, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r <= 0) return r == 0;  // timeout: more may come
    char buf[4096];
    const ssize_t n = ::read(master_, buf, sizeof buf);
    if (n <= 0) return false;
    out_.append(buf, static_cast<size_t>(n));
    return true;
  }

  TempDir io_;
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string out_;
  size_t pos_ = 0;
};

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_PTY_SESSION_H_
