#include "common.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace tvault::cli {
namespace {

constexpr size_t kMaxPassphraseBytes = 1024;
// New passphrases shorter than this are refused: Argon2id slows guessing, it cannot save a
// four-letter word. Long passphrases of several words are what docs/guide-monitor.md advises.
constexpr size_t kMinNewPassphraseBytes = 10;

// The terminal state to restore if Ctrl-C arrives while echo is off.
int g_tty_fd = -1;
struct termios g_saved_termios;

void RestoreTerminalAndDie(int sig) {
  if (g_tty_fd >= 0) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
  signal(sig, SIG_DFL);
  raise(sig);
}

// Reads bytes from `fd` up to a newline or EOF into secure memory, one byte at a time so that
// nothing past the newline is consumed (the same fd may carry a second passphrase).
// Returns false on EOF before any byte or on a read error.
bool ReadLineSecure(int fd, SecretBytes* out) {
  SecretBytes buf(kMaxPassphraseBytes);
  size_t n = 0;
  bool any = false;
  for (;;) {
    char c;
    ssize_t r = ::read(fd, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    any = true;
    if (c == '\n') break;
    if (n == buf.size()) throw CliError(kExitInvalidInput, "passphrase longer than 1024 bytes");
    buf.data()[n++] = static_cast<uint8_t>(c);
  }
  if (!any) return false;
  if (n > 0 && buf.data()[n - 1] == '\r') --n;
  *out = SecretBytes::CopyOf(buf.data(), n);
  return true;
}

SecretBytes PromptOnce(const std::string& prompt) {
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    throw CliError(kExitUsage,
                   "no terminal to ask for the passphrase; use --passphrase-fd N in scripts");
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  struct termios t;
  bool have_termios = tcgetattr(tty, &t) == 0;
  if (have_termios) {
    g_saved_termios = t;
    g_tty_fd = tty;
    signal(SIGINT, RestoreTerminalAndDie);
    signal(SIGTERM, RestoreTerminalAndDie);
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(tty, TCSAFLUSH, &t);
  }
  SecretBytes out;
  bool ok = ReadLineSecure(tty, &out);
  if (have_termios) {
    tcsetattr(tty, TCSAFLUSH, &g_saved_termios);
    g_tty_fd = -1;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
  }
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  if (!ok) throw CliError(kExitCancelled, "cancelled: no passphrase entered");
  return out;
}

}  // namespace

int ExitCodeFor(Code code) {
  switch (code) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument: return kExitInvalidInput;
    case Code::kWrongPassphrase: return kExitWrongPassphrase;
    case Code::kDamaged: return kExitDamaged;
    case Code::kNotFound: return kExitNotFound;
    case Code::kAlreadyExists: return kExitExists;
    case Code::kIoError: return kExitIo;
    case Code::kUnsupported: return kExitUnsupported;
    case Code::kCancelled: return kExitCancelled;
    case Code::kInternal: return kExitFailure;
  }
  return kExitFailure;
}

void Check(const Status& s) {
  if (!s.ok()) throw CliError(ExitCodeFor(s.code()), s.message());
}

SecretBytes ReadPassphrase(const PassphraseSource& src, const std::string& prompt, bool confirm) {
  SecretBytes pass;
  if (src.fd >= 0) {
    if (!ReadLineSecure(src.fd, &pass)) {
      throw CliError(kExitUsage, "no passphrase could be read from file descriptor " +
                                     std::to_string(src.fd));
    }
  } else {
    pass = PromptOnce(prompt);
    if (confirm) {
      SecretBytes again = PromptOnce("Repeat to confirm: ");
      if (again.size() != pass.size() ||
          (pass.size() > 0 && std::memcmp(again.data(), pass.data(), pass.size()) != 0)) {
        throw CliError(kExitInvalidInput, "the two passphrases differ; nothing was changed");
      }
    }
  }
  if (pass.size() == 0) throw CliError(kExitInvalidInput, "the passphrase is empty");
  if (confirm && pass.size() < kMinNewPassphraseBytes) {
    throw CliError(kExitInvalidInput, "a new passphrase needs at least " +
                                          std::to_string(kMinNewPassphraseBytes) +
                                          " characters; several words are best");
  }
  return pass;
}

void AddStoreFlags(CLI::App* cmd, StoreFlags* flags) {
  cmd->add_option("--store", flags->dir, "Store directory (default: $TVAULT_STORE)");
  cmd->add_option("--passphrase-fd", flags->pass.fd,
                  "Read the store passphrase from this file descriptor (one line) instead of "
                  "prompting");
}

std::string ResolveStoreDir(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("TVAULT_STORE");
  if (env == nullptr || *env == '\0') {
    throw CliError(kExitUsage, "no store given: use --store DIR or set TVAULT_STORE");
  }
  return env;
}

void RequireInputFile(const std::string& path) {
  if (path == "-") return;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    throw CliError(err == ENOENT ? kExitNotFound : kExitIo, path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) throw CliError(kExitIo, path + ": not a regular file");
  if (::access(path.c_str(), R_OK) != 0) {
    throw CliError(kExitIo, path + ": " + std::strerror(errno));
  }
}

namespace {

Store* g_shell_store = nullptr;
std::string* g_shell_dir = nullptr;

}  // namespace

ShellSession::ShellSession(Store* store, const std::string& dir) {
  g_shell_store = store;
  g_shell_dir = new std::string(dir);
}

void ShellSession::End() {
  g_shell_store = nullptr;
  delete g_shell_dir;
  g_shell_dir = nullptr;
}

void RequireNewFile(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    throw CliError(kExitExists, path + ": already exists, refusing to overwrite");
  }
}

void RequireStore(const std::string& dir) {
  struct stat st;
  if (::stat((dir + "/" + kStoreKeyFile).c_str(), &st) != 0) {
    throw CliError(kExitNotFound,
                   dir + ": no tvault store here (no " + std::string(kStoreKeyFile) + ")");
  }
}

namespace {

StoreRef OpenStoreIn(StoreFlags& flags, OpenMode mode) {
  if (g_shell_store != nullptr) {
    const char* env = std::getenv("TVAULT_STORE");
    if (!flags.dir.empty() && flags.dir != *g_shell_dir && (env == nullptr || flags.dir != env)) {
      throw CliError(kExitUsage, "this shell has " + *g_shell_dir +
                                     " unlocked; leave it (exit) to use another store");
    }
    flags.dir = *g_shell_dir;
    return StoreRef::Borrow(g_shell_store);
  }
  flags.dir = ResolveStoreDir(flags.dir);
  RequireStore(flags.dir);
  SecretBytes pass = ReadPassphrase(flags.pass, "Passphrase for " + flags.dir + ": ", false);
  return StoreRef(Check(Store::Open(flags.dir, pass, mode)));
}

}  // namespace

StoreRef OpenStore(StoreFlags& flags) { return OpenStoreIn(flags, OpenMode::kReadWrite); }

StoreRef OpenStoreForReading(StoreFlags& flags) { return OpenStoreIn(flags, OpenMode::kRead); }

namespace {

// "256 MiB", or "1048575 bytes" when the limit is not a whole number of MiB.
std::string LimitText(size_t max_bytes) {
  if (max_bytes >= (size_t{1} << 20) && max_bytes % (size_t{1} << 20) == 0) {
    return std::to_string(max_bytes >> 20) + " MiB";
  }
  return std::to_string(max_bytes) + " bytes";
}

[[noreturn]] void RefuseLarger(int fd, const std::string& path, size_t max_bytes) {
  if (fd != 0) ::close(fd);
  throw CliError(kExitInvalidInput, path + ": larger than the limit of " + LimitText(max_bytes) +
                                        " for this input; split it into several files");
}

}  // namespace

std::string ReadInputFile(const std::string& path, size_t max_bytes) {
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw CliError(err == ENOENT ? kExitNotFound : kExitIo, path + ": " + std::strerror(err));
  }
  // A regular file too large is refused before a byte is read; a pipe, when it passes the limit.
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) > max_bytes) {
    RefuseLarger(fd, path, max_bytes);
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      if (fd != 0) ::close(fd);
      throw CliError(kExitIo, path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) RefuseLarger(fd, path, max_bytes);
    out.append(buf, static_cast<size_t>(n));
  }
  if (fd != 0) ::close(fd);
  return out;
}

std::string TodayUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool StderrIsTerminal() { return ::isatty(2) == 1; }

void PrintTimings(const std::vector<StageTime>& timings) {
  for (const StageTime& t : timings) {
    std::fprintf(stderr, "timing: %s cpu=%.3f wall=%.3f\n", t.stage.c_str(), t.cpu_seconds,
                 t.wall_seconds);
  }
}

}  // namespace tvault::cli
