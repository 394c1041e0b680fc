// tvault reveal: the identity of the person behind one testimony, opened with the
// organisation secret. Every reveal is an audit-log entry ("reveal"), committed before the
// identity is printed; the identity itself is never logged.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterReveal(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id;
    uint32_t version = 0;
    std::string org_secret;
    PassphraseSource org_pass;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "reveal",
      "Print the sealed identity of one testimony, opened with the organisation secret key. "
      "Each reveal is recorded in the audit log (action `reveal`) before anything is printed. "
      "Passphrases are read in order: store, then --org-secret");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix of at least 6 digits)")
      ->required();
  cmd->add_option("--version", opts->version, "Reveal this version's identity, not the latest");
  cmd->add_option("--org-secret", opts->org_secret, "The organisation secret key file (org.key)")
      ->required();
  cmd->add_option("--org-passphrase-fd", opts->org_pass.fd,
                  "Read the organisation key's passphrase from this file descriptor");
  cmd->add_flag("--json", opts->json, "The identity as one JSON object (protobuf JSON mapping)");
  cmd->callback([opts]() {
    std::unique_ptr<Store> store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    SecretBytes pass =
        ReadPassphrase(opts->org_pass, "Passphrase for " + opts->org_secret + ": ", false);
    OrgSecretKey org = CheckInput(opts->org_secret, ReadOrgSecretKey(opts->org_secret, pass));
    v1::Identity identity = Check(store->RevealIdentity(id, opts->version, org));
    if (opts->json) {
      std::cout << MessageToJson(identity, /*pretty=*/false) << "\n";
    } else {
      std::cout << "name           " << identity.name() << "\n"
                << "date of birth  " << identity.date_of_birth() << "\n"
                << "phone          " << identity.phone() << "\n"
                << "contact        " << identity.contact() << "\n";
    }
    std::cerr << "tvault: this reveal of record " << id << " is recorded in the audit log\n";
    identity.Clear();
  });
}

}  // namespace tvault::cli
