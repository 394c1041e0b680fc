// tvault keys new-org: the organisation key pair (coordinators, once).
// tvault keys new-signer: a signer key (each monitor and analyst), minisign-compatible.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "tvault/keys.h"
#include "tvault/signing.h"

namespace tvault::cli {

void RegisterKeys(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "Create organisation and signer keys");
  keys->require_subcommand(1);
  RegisterKeysAgeIdentity(keys);

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
    RequireNewFile(opts->out + ".pub");
    RequireNewFile(opts->out + ".key");
    SecretBytes pass = ReadPassphrase(opts->pass, "New passphrase for " + opts->out + ".key: ", true);
    Check(WriteNewOrgKeyPair(opts->out, pass, kdf));
    OrgPublicKey pub = Check(ReadOrgPublicKey(opts->out + ".pub"));
    std::cout << "wrote " << opts->out << ".pub (public: copy to monitors' devices)\n"
              << "wrote " << opts->out << ".key (secret: coordinators only)\n"
              << "fingerprint " << pub.Fingerprint() << "\n";
  });

  auto signer_opts = std::make_shared<Opts>();
  CLI::App* signer = keys->add_subcommand(
      "new-signer",
      "Create a signer key: OUT.pub (a minisign public key: anyone can check signatures with "
      "`minisign -V -p OUT.pub`) and OUT.key (the secret half, passphrase-protected)");
  signer->add_option("--out", signer_opts->out, "Path prefix of the two files")->required();
  signer->add_option("--kdf", signer_opts->kdf,
                     "Passphrase KDF cost: interactive, moderate, sensitive")
      ->capture_default_str();
  signer->add_option("--key-passphrase-fd", signer_opts->pass.fd,
                     "Read the passphrase for OUT.key from this file descriptor");
  signer->callback([signer_opts]() {
    const Opts& o = *signer_opts;
    KdfParams kdf = Check(KdfParams::FromName(o.kdf));
    RequireNewFile(o.out + ".pub");
    RequireNewFile(o.out + ".key");
    SecretBytes pass = ReadPassphrase(o.pass, "New passphrase for " + o.out + ".key: ", true);
    Check(WriteNewSigner(o.out, pass, kdf));
    SignerPublicKey pub = Check(SignerPublicKey::ReadFile(o.out + ".pub"));
    std::cout << "wrote " << o.out << ".pub (public: minisign format, give it to verifiers)\n"
              << "wrote " << o.out << ".key (secret: keep it with its owner only)\n"
              << "key id " << pub.KeyIdHex() << "\n";
  });
}

}  // namespace tvault::cli
