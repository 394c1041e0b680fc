// tvault trust add | list | remove: the monitors whose signed bundles this store accepts.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "tvault/signing.h"

namespace tvault::cli {

void RegisterTrust(CLI::App& app) {
  CLI::App* trust = app.add_subcommand(
      "trust", "Manage the signer keys whose bundles this store imports (each change is logged)");
  trust->require_subcommand(1);

  struct AddOpts {
    StoreFlags store;
    std::string key_file, name, log_key;
  };
  auto add_opts = std::make_shared<AddOpts>();
  CLI::App* add = trust->add_subcommand(
      "add", "Trust a monitor's signer public key (the .pub from `tvault keys new-signer`); "
             "check its key id with the monitor over another channel first");
  AddStoreFlags(add, &add_opts->store);
  add->add_option("pubkey", add_opts->key_file, "The monitor's signer public key file")
      ->required();
  add->add_option("--name", add_opts->name, "A name for this monitor, shown in import reports")
      ->required();
  add->add_option("--log-key", add_opts->log_key,
                  "Bind the key at once to the monitor's store: its audit-log key, as `tvault "
                  "log key` prints it on their device (otherwise the first imported bundle "
                  "binds it)");
  add->callback([add_opts]() {
    SignerPublicKey key = Check(SignerPublicKey::ReadFile(add_opts->key_file));
    StoreRef store = OpenStore(add_opts->store);
    Check(store->TrustSigner(key, add_opts->name, add_opts->log_key));
    std::cout << "trusted " << add_opts->name << " (key id " << key.KeyIdHex() << ")";
    if (add_opts->log_key.empty()) {
      std::cout << "; the first bundle it signs binds it to that bundle's store\n";
    } else {
      std::cout << ", bound to store " << add_opts->log_key.substr(13, 32) << "\n";
    }
  });

  auto list_opts = std::make_shared<StoreFlags>();
  CLI::App* list = trust->add_subcommand("list", "List the trusted signer keys");
  AddStoreFlags(list, list_opts.get());
  list->callback([list_opts]() {
    StoreRef store = OpenStoreForReading(*list_opts);
    for (const TrustedSigner& s : Check(store->TrustedSigners())) {
      std::cout << s.name << "\t" << s.key.KeyIdHex() << "\t" << s.added_at << "\t"
                << (s.store_id.empty() ? "(not bound yet)" : s.store_id) << "\n";
    }
  });

  struct RemoveOpts {
    StoreFlags store;
    std::string who;
  };
  auto rm_opts = std::make_shared<RemoveOpts>();
  CLI::App* rm = trust->add_subcommand(
      "remove", "Stop accepting bundles signed by a key (records already imported stay)");
  AddStoreFlags(rm, &rm_opts->store);
  rm->add_option("who", rm_opts->who, "The name or the key id")->required();
  rm->callback([rm_opts]() {
    StoreRef store = OpenStore(rm_opts->store);
    Check(store->DistrustSigner(rm_opts->who));
    std::cout << "removed " << rm_opts->who << "\n";
  });
}

}  // namespace tvault::cli
