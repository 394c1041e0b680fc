// tvault passwd: a new passphrase. Rewraps the data key; the database is not re-encrypted.
#include <iostream>

#include "commands.h"
#include "common.h"

namespace tvault::cli {

void RegisterPasswd(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    PassphraseSource new_pass;
    std::string kdf;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "passwd", "Change the store passphrase (rewraps the data key; atomic: a crash leaves the "
                "old or the new passphrase working)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--new-passphrase-fd", opts->new_pass.fd,
                  "Read the new passphrase from this file descriptor (may be the same as "
                  "--passphrase-fd: then its second line)");
  cmd->add_option("--kdf", opts->kdf,
                  "KDF cost for the new wrapping: interactive, moderate, sensitive (default: "
                  "keep the store's current cost)");
  cmd->callback([opts]() {
    opts->store.dir = ResolveStoreDir(opts->store.dir);
    std::optional<KdfParams> kdf;
    if (!opts->kdf.empty()) kdf = Check(KdfParams::FromName(opts->kdf));
    SecretBytes old_pass =
        ReadPassphrase(opts->store.pass, "Current passphrase for " + opts->store.dir + ": ", false);
    SecretBytes new_pass = ReadPassphrase(opts->new_pass, "New passphrase: ", true);
    Check(Store::ChangePassphrase(opts->store.dir, old_pass, new_pass, kdf));
    std::cout << "passphrase changed for " << opts->store.dir << "\n";
  });
}

}  // namespace tvault::cli
