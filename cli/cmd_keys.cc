// tvault keys new-org: the organisation key pair (coordinators, once).
#include <iostream>

#include "commands.h"
#include "common.h"
#include "tvault/keys.h"

namespace tvault::cli {

void RegisterKeys(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "Create organisation keys");
  keys->require_subcommand(1);

  struct Opts {
    std::string out;
    std::string kdf = "moderate";
    PassphraseSource pass;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* org = keys->add_subcommand(
      "new-org",
      "Create the organisation key pair: OUT.pub (an age recipient, given to every monitor's "
      "device) and OUT.key (the secret half, passphrase-protected, coordinators only)");
  org->add_option("--out", opts->out, "Path prefix of the two files")->required();
  org->add_option("--kdf", opts->kdf, "Passphrase KDF cost: interactive, moderate, sensitive")
      ->capture_default_str();
  org->add_option("--key-passphrase-fd", opts->pass.fd,
                  "Read the passphrase for OUT.key from this file descriptor");
  org->callback([opts]() {
    KdfParams kdf = Check(KdfParams::FromName(opts->kdf));
    SecretBytes pass = ReadPassphrase(opts->pass, "New passphrase for " + opts->out + ".key: ", true);
    Check(WriteNewOrgKeyPair(opts->out, pass, kdf));
    OrgPublicKey pub = Check(ReadOrgPublicKey(opts->out + ".pub"));
    std::cout << "wrote " << opts->out << ".pub (public: copy to monitors' devices)\n"
              << "wrote " << opts->out << ".key (secret: coordinators only)\n"
              << "fingerprint " << pub.Fingerprint() << "\n";
  });
}

}  // namespace tvault::cli
