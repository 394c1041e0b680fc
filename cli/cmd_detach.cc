// tvault detach: marks an attachment detached (a tombstone with a reason, as `delete` is for
// records). The sealed file stays in the store, as earlier versions of a record do.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterDetach(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id, reason;
    uint32_t number = 0;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "detach", "Mark an attachment detached (a tombstone with a reason; the sealed file is kept)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("n", opts->number, "The attachment's number (see `tvault attachments`)")
      ->required();
  cmd->add_option("--reason", opts->reason, "Why, e.g. \"wrong testimony\"")->required();
  cmd->callback([opts]() {
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    Check(store->Detach(id, opts->number, opts->reason));
    std::cout << "detached attachment " << opts->number << " of record " << id
              << " (tombstone stored; the sealed file is kept)\n";
  });
}

}  // namespace tvault::cli
