// tvault reveal: the identity of the person behind one testimony, opened with the
// organisation secret. Every reveal is an audit-log entry ("reveal"), committed before the
// identity is printed; the identity itself is never logged.
#include <sodium.h>

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {
namespace {

// Overwrites every field of `id` with zeros, then clears it: clearing a protobuf string does
// not wipe its buffer.
void Wipe(v1::Identity* id) {
  for (std::string* s : {id->mutable_name(), id->mutable_phone(), id->mutable_contact(),
                         id->mutable_date_of_birth()}) {
    sodium_memzero(s->data(), s->size());
  }
  id->Clear();
}

}  // namespace


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
    RequireInputFile(opts->org_secret);
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    SecretBytes pass =
        ReadPassphrase(opts->org_pass, "Passphrase for " + opts->org_secret + ": ", false);
    OrgSecretKey org = CheckInput(opts->org_secret, ReadOrgSecretKey(opts->org_secret, pass));
    v1::Identity identity = Check(store->RevealIdentity(id, opts->version, org));
    // Every copy of the revealed identity made here is overwritten once printed (issue 19,
    // item 8): the message's fields and the text printed from them.
    std::string text;
    text.reserve(16384);  // room for every line at once: no reallocation leaves a copy behind
    if (opts->json) {
      text = MessageToJson(identity, /*pretty=*/false) + "\n";
    } else {
      for (const auto& [label, value] :
           {std::pair<const char*, const std::string*>{"name           ", &identity.name()},
            {"date of birth  ", &identity.date_of_birth()},
            {"phone          ", &identity.phone()},
            {"contact        ", &identity.contact()}}) {
        std::string safe = TerminalSafe(*value);
        text.append(label).append(safe).append("\n");
        sodium_memzero(safe.data(), safe.size());
      }
    }
    std::cout << text << std::flush;
    sodium_memzero(text.data(), text.size());
    Wipe(&identity);
    std::cerr << "tvault: this reveal of record " << id << " is recorded in the audit log\n";
  });
}

}  // namespace tvault::cli
