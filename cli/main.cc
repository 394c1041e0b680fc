// The tvault command. Parses arguments, then hands over to one subcommand; every error ends
// here as one line on stderr and a documented exit code (docs/cli.md).
#include <CLI/CLI.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <iostream>

#include "commands.h"
#include "common.h"
#include "parse_errors.h"
#include "render.h"

int main(int argc, char** argv) {
  using namespace tvault::cli;
  // Before anything reads a passphrase or a key: a crash must never dump secrets to disk.
  if (!tvault::DisableCoreDumps().ok() || !tvault::InitCrypto().ok()) {
    std::cerr << "tvault: cannot set up secure memory (libsodium) or disable core dumps\n";
    return kExitUnsupported;
  }
  // Under a file size limit (`ulimit -f`) a write past it raises SIGXFSZ, whose default action
  // kills the process mid-write (exit 153). Ignored, the write fails with EFBIG instead, and
  // the command reports it as an I/O error (exit 8) and leaves the store as it was.
  ::signal(SIGXFSZ, SIG_IGN);
  // Files tvault creates (store, keys, exports) are readable by their owner only.
  ::umask(077);
  CLI::App app{
      "tvault: an encrypted, offline-first store of incident testimonies.\n"
      "Passphrases are read from a no-echo prompt or --passphrase-fd N, never from arguments.\n"
      "Exit codes: 0 ok, 2 usage, 3 wrong passphrase, 4 invalid input, 5 damaged or altered,\n"
      "6 not found, 7 already exists, 8 I/O error, 9 unsupported, 10 cancelled, 1 other.",
      "tvault"};
  app.set_version_flag("--version", std::string("tvault ") + TVAULT_VERSION);
  app.require_subcommand(1);
  RegisterKeys(app);
  RegisterInit(app);
  RegisterAdd(app);
  RegisterList(app);
  RegisterSearch(app);
  RegisterShow(app);
  RegisterEdit(app);
  RegisterDrafts(app);
  RegisterShell(app);
  RegisterDelete(app);
  RegisterPasswd(app);
  RegisterWipe(app);
  RegisterFacility(app);
  RegisterDemoData(app);
  RegisterLog(app);
  RegisterReport(app);
  RegisterVerify(app);
  RegisterBundle(app);
  RegisterTrust(app);
  RegisterConflicts(app);
  RegisterReveal(app);
  RegisterAttach(app);
  RegisterAttachments(app);
  RegisterOpenAttachment(app);
  RegisterExportAttachment(app);
  RegisterDetach(app);
  RegisterLedger(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too, successfully.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "tvault: " << TerminalSafe(ParseErrorMessage(app, e, argc, argv)) << "\n";
    return kExitUsage;
  } catch (const CliError& e) {
    std::cerr << "tvault: " << TerminalSafe(e.what()) << "\n";
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "tvault: internal error: " << TerminalSafe(e.what()) << "\n";
    return kExitFailure;
  }
  return kExitOk;
}
