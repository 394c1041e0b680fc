// tvault delete: a tombstone version with a reason. Nothing is erased; history stays.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterDelete(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id;
    std::string reason;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "delete", "Mark a testimony deleted (a tombstone with a reason; earlier versions are kept)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("--reason", opts->reason, "Why, e.g. \"duplicate of 3f2a...\"")->required();
  cmd->callback([opts]() {
    StoreRef store = OpenStore(opts->store);
    std::string id = ResolveRecordId(*store, opts->id);
    Check(store->Delete(id, opts->reason));
    std::cout << "deleted " << id << " (tombstone stored; history kept)\n";
  });
}

}  // namespace tvault::cli
