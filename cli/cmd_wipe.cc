// tvault wipe: crypto-erase. Destroys the wrapped data key; the database becomes noise.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "common.h"

namespace tvault::cli {
namespace {

// Asks for the word WIPE on standard error, reading the answer from standard input.
bool Confirm(const std::string& dir) {
  std::cerr << "This destroys the key of " << dir
            << ": every testimony in it becomes unreadable, for ever.\n"
               "Testimonies not yet copied elsewhere are lost. Type WIPE to confirm: ";
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "WIPE";
}

}  // namespace

void RegisterWipe(CLI::App& app) {
  struct Opts {
    std::string dir;
    bool yes = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "wipe", "Crypto-erase the store: overwrite and delete its wrapped data key, then its files "
              "(no passphrase needed)");
  cmd->add_option("--store", opts->dir, "Store directory (default: $TVAULT_STORE)");
  cmd->add_flag("--yes", opts->yes, "Do not ask for confirmation (for scripts)");
  cmd->callback([opts]() {
    opts->dir = ResolveStoreDir(opts->dir);
    if (!opts->yes && !Confirm(opts->dir)) {
      throw CliError(kExitCancelled, "not confirmed: nothing was wiped");
    }
    Check(Store::Wipe(opts->dir));
    std::cout << "wiped " << opts->dir << ": the data key is destroyed\n";
  });
}

}  // namespace tvault::cli
