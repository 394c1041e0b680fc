// tvault init: create an encrypted store.
#include <iostream>

#include "commands.h"
#include "common.h"

namespace tvault::cli {

void RegisterInit(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string org_key;
    std::string monitor;
    std::string kdf = "moderate";
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand("init", "Create a new encrypted store");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--org-key", opts->org_key,
                  "The organisation's public key (org.pub): identities are sealed to it")
      ->required();
  cmd->add_option("--monitor", opts->monitor,
                  "This device's monitor code (a code name, never a legal name), used as the "
                  "default monitor_id and audit-log actor");
  cmd->add_option("--kdf", opts->kdf, "Passphrase KDF cost: interactive, moderate, sensitive")
      ->capture_default_str();
  cmd->callback([opts]() {
    opts->store.dir = ResolveStoreDir(opts->store.dir);
    KdfParams kdf = Check(KdfParams::FromName(opts->kdf));
    OrgPublicKey org = Check(ReadOrgPublicKey(opts->org_key));
    SecretBytes pass = ReadPassphrase(opts->store.pass, "New passphrase for the store: ", true);
    CreateOptions create;
    create.kdf = kdf;
    create.monitor_id = opts->monitor;
    Check(Store::Create(opts->store.dir, pass, org, create));
    std::cout << "created store " << opts->store.dir << " (organisation key "
              << org.Fingerprint() << ")\n";
  });
}

}  // namespace tvault::cli
