// What every subcommand shares: errors and exit codes, the --store and passphrase options,
// opening a store. Only cli/ throws and ends the process; core/ returns Status.
#ifndef TVAULT_CLI_COMMON_H_
#define TVAULT_CLI_COMMON_H_

#include <CLI/CLI.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tvault/secret.h"
#include "tvault/status.h"
#include "tvault/store.h"
#include "tvault/timing.h"

namespace tvault::cli {

// Exit codes, documented in docs/cli.md. Stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // anything not listed below (a bug in tvault)
  kExitUsage = 2,          // bad flags or arguments
  kExitWrongPassphrase = 3,
  kExitInvalidInput = 4,   // a record, field or file that breaks the rules
  kExitDamaged = 5,        // a store or key file that was altered or is damaged
  kExitNotFound = 6,
  kExitExists = 7,         // refusing to overwrite
  kExitIo = 8,             // disk full, read-only, permissions, store in use
  kExitUnsupported = 9,    // newer format, or no SQLCipher codec
  kExitCancelled = 10,     // the user stopped (Ctrl-D, declined a confirmation)
};

// Thrown by commands; main() prints "tvault: <message>" and exits with `code`.
struct CliError : std::runtime_error {
  CliError(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

int ExitCodeFor(Code code);

// Throws CliError for a non-OK status.
void Check(const Status& s);
template <typename T>
T Check(Result<T> r) {
  Check(r.status());
  return std::move(r).value();
}

// Like Check, but an error message starts with "<file>: " so the user knows which input broke.
template <typename T>
T CheckInput(const std::string& file, Result<T> r) {
  Check(r.status().WithContext(file));
  return std::move(r).value();
}

// How a command gets its passphrases: a no-echo prompt on the terminal, or a file descriptor.
struct PassphraseSource {
  int fd = -1;  // --passphrase-fd; -1 means prompt on /dev/tty
};

// Reads one passphrase (one line from the fd, or a no-echo prompt). With `confirm` (a new
// passphrase), a prompt asks twice and requires the same answer, and a passphrase shorter than
// 10 bytes is refused. Throws CliError when none can be read.
SecretBytes ReadPassphrase(const PassphraseSource& src, const std::string& prompt, bool confirm);

// Options shared by every command that opens a store.
struct StoreFlags {
  std::string dir;
  PassphraseSource pass;
};

// Adds --store (default $TVAULT_STORE) and --passphrase-fd to `cmd`.
void AddStoreFlags(CLI::App* cmd, StoreFlags* flags);

// Returns `dir`, or $TVAULT_STORE when `dir` is empty. Throws CliError when neither is set.
std::string ResolveStoreDir(const std::string& dir);

// Prints each stage as "timing: STAGE cpu=SECONDS wall=SECONDS" on standard error (the
// `--timings` flag of add, bundle import and report; docs/performance.md).
void PrintTimings(const std::vector<StageTime>& timings);

// Throws CliError before anything is asked: kExitNotFound when `path` does not exist, kExitIo
// when it cannot be read or is not a regular file. "-" (standard input) passes.
void RequireInputFile(const std::string& path);

// A store as OpenStore gives it to a command: opened for the command (owned), or, inside
// `tvault shell`, the shell's unlocked store (borrowed: the shell closes it when it locks).
class StoreRef {
 public:
  StoreRef() = default;
  explicit StoreRef(std::unique_ptr<Store> owned) : owned_(std::move(owned)), store_(owned_.get()) {}
  static StoreRef Borrow(Store* store) {
    StoreRef r;
    r.store_ = store;
    return r;
  }
  Store* operator->() const { return store_; }
  Store& operator*() const { return *store_; }
  Store* get() const { return store_; }
  // The store, when this reference owns it; null otherwise.
  std::unique_ptr<Store> Release() {
    store_ = nullptr;
    return std::move(owned_);
  }

 private:
  std::unique_ptr<Store> owned_;
  Store* store_ = nullptr;
};

// While one is alive (and until End), OpenStore gives every command the shell's store at
// `dir` without asking for a passphrase, and refuses another store.
class ShellSession {
 public:
  ShellSession(Store* store, const std::string& dir);
  ~ShellSession() { End(); }
  ShellSession(const ShellSession&) = delete;
  ShellSession& operator=(const ShellSession&) = delete;
  void End();
};

// Throws CliError (kExitExists) when `path` exists: a file tvault would create and never
// overwrites, checked before any passphrase is asked.
void RequireNewFile(const std::string& path);

// Throws CliError (kExitNotFound) unless `dir` holds a tvault store (its key file).
void RequireStore(const std::string& dir);

// Resolves --store, checks that it holds a store (kExitNotFound otherwise, before any
// passphrase is asked), reads the passphrase and opens the store; inside `tvault shell`, gives
// the shell's store instead. Throws CliError.
StoreRef OpenStore(StoreFlags& flags);
// Like OpenStore, for commands that only read: a store on read-only media opens
// (Store::Open with OpenMode::kRead); inside `tvault shell`, the shell's store.
StoreRef OpenStoreForReading(StoreFlags& flags);

// Reads a whole input file ("-" is standard input) of at most `max_bytes`. Throws CliError:
// kExitNotFound or kExitIo when it cannot be read; kExitInvalidInput, naming the file and the
// limit, when it is larger (a regular file is refused by its size before it is read).
std::string ReadInputFile(const std::string& path, size_t max_bytes);

// Today's date (UTC) as YYYY-MM-DD.
std::string TodayUtc();

// True when standard error is a terminal (progress lines are only drawn there).
bool StderrIsTerminal();

}  // namespace tvault::cli

#endif  // TVAULT_CLI_COMMON_H_
