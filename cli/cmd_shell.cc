// tvault shell: unlock the store once, then run commands at a prompt. The store locks (its
// keys wiped, the database closed) after a configurable time without input, and on Ctrl-D
// or `exit`.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "parse_errors.h"

namespace tvault::cli {
namespace {

// The default idle time before the shell locks.
constexpr int kDefaultLockAfterSeconds = 300;

volatile sig_atomic_t g_shell_interrupted = 0;
void OnShellInterrupt(int) { g_shell_interrupted = 1; }

constexpr char kHelp[] =
    "Commands: list, show, search, add, edit, delete, drafts, conflicts, resolve,\n"
    "attach, attachments, facility list, log show (each as after `tvault`, without\n"
    "--store or passphrases; `COMMAND --help` explains one).\n"
    "`exit` or Ctrl-D locks the store and leaves.\n";

// The commands a shell runs: those that read or write this store and need no other key.
void RegisterShellCommands(CLI::App& app) {
  RegisterList(app);
  RegisterShow(app);
  RegisterSearch(app);
  RegisterAdd(app);
  RegisterEdit(app);
  RegisterDelete(app);
  RegisterDrafts(app);
  RegisterConflicts(app);
  RegisterFacility(app);
  RegisterLog(app);
  RegisterAttach(app);
  RegisterAttachments(app);
}

// Splits a command line into words: spaces separate them, "double" or 'single' quotes group
// them. Returns false on an unterminated quote.
bool SplitWords(const std::string& line, std::vector<std::string>* words) {
  words->clear();
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words->push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return false;
  if (in_word) words->push_back(word);
  return true;
}

// Runs one command line against the unlocked store; errors are printed, never fatal.
void RunLine(const std::vector<std::string>& words) {
  CLI::App app{"tvault shell", "tvault"};
  app.require_subcommand(1);
  RegisterShellCommands(app);
  std::vector<std::string> argv_words = {"tvault"};
  argv_words.insert(argv_words.end(), words.begin(), words.end());
  std::vector<char*> argv;
  for (std::string& w : argv_words) argv.push_back(w.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);
    } else {
      std::cerr << "tvault: " << ParseErrorMessage(app, e, static_cast<int>(argv.size()), argv.data())
                << "\n";
    }
  } catch (const CliError& e) {
    std::cerr << "tvault: " << e.what() << "\n";
  }
  std::cout.flush();
}

enum class Wait { kLine, kIdle, kEnd, kInterrupted };

// Waits for a line on standard input for at most `seconds` (a terminal only: a script's
// input is read as it comes).
Wait ReadLine(int seconds, std::string* line) {
  if (::isatty(0) == 1 && seconds > 0) {
    struct pollfd p = {0, POLLIN, 0};
    const int r = ::poll(&p, 1, seconds * 1000);
    if (r < 0 && errno == EINTR) return Wait::kInterrupted;
    if (r == 0) return Wait::kIdle;
  }
  if (!std::getline(std::cin, *line)) {
    if (g_shell_interrupted) {
      std::cin.clear();
      std::clearerr(stdin);
      return Wait::kInterrupted;
    }
    return Wait::kEnd;
  }
  return Wait::kLine;
}

}  // namespace

void RegisterShell(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    int lock_after = kDefaultLockAfterSeconds;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "shell",
      "Unlock the store once, then run commands (list, show, search, add, edit, ...) at a "
      "prompt; it locks, wiping the keys, after --lock-after seconds without input, on Ctrl-D "
      "and on exit");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--lock-after", opts->lock_after,
                  "Lock after this many seconds without input at a terminal (default 300; 0: "
                  "never)")
      ->check(CLI::Range(0, 24 * 3600));
  cmd->callback([opts]() {
    const std::string dir = ResolveStoreDir(opts->store.dir);
    RequireStore(dir);
    struct sigaction sa = {};
    sa.sa_handler = OnShellInterrupt;
    sigemptyset(&sa.sa_mask);
    struct sigaction old;
    ::sigaction(SIGINT, &sa, &old);
    while (true) {
      StoreFlags flags = opts->store;
      flags.dir = dir;
      std::unique_ptr<Store> store = OpenStore(flags).Release();
      ShellSession session(store.get(), dir);
      std::cout << "Unlocked " << dir << ". " << kHelp;
      if (opts->lock_after > 0) {
        std::cout << "It locks after " << opts->lock_after << " s without input.\n";
      }
      Wait w = Wait::kLine;
      while (true) {
        std::cout << "tvault> " << std::flush;
        std::string line;
        w = ReadLine(opts->lock_after, &line);
        if (w == Wait::kInterrupted) {
          g_shell_interrupted = 0;
          std::cout << "\n(Ctrl-D or exit leaves)\n";
          continue;
        }
        if (w != Wait::kLine) break;
        std::vector<std::string> words;
        if (!SplitWords(line, &words)) {
          std::cerr << "tvault: a quote is not closed\n";
          continue;
        }
        if (words.empty()) continue;
        if (words[0] == "exit" || words[0] == "quit") {
          w = Wait::kEnd;
          break;
        }
        if (words[0] == "help") {
          std::cout << kHelp;
          continue;
        }
        RunLine(words);
      }
      // Lock: the store is closed and its keys wiped before anything else happens.
      session.End();
      store.reset();
      if (w == Wait::kEnd) {
        std::cout << "\nLocked: the keys are wiped.\n";
        break;
      }
      std::cout << "\nLocked after " << opts->lock_after
                << " s without input: the keys are wiped. Enter unlocks again, Ctrl-D "
                   "leaves.\n"
                << std::flush;
      std::string line;
      Wait again;
      do {
        again = ReadLine(0, &line);
      } while (again == Wait::kInterrupted);
      if (again != Wait::kLine) break;
    }
    ::sigaction(SIGINT, &old, nullptr);
  });
}

}  // namespace tvault::cli
