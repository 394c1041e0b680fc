// tvault show: one record, its latest or a given version, or its whole history.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterShow(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id;
    std::string version;
    bool history = false;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Show one testimony (identity stays [sealed]: this device cannot read it)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix of at least 6 digits)")->required();
  cmd->add_option("--version", opts->version,
                  "Show this version instead of the latest: N, or N:HASH as `tvault conflicts` "
                  "prints it (a competing or set-aside version)");
  cmd->add_flag("--history", opts->history, "Show every version, oldest first");
  cmd->add_flag("--json", opts->json,
                "The testimony in the protobuf JSON mapping (edit it and pass it to "
                "`tvault edit --from`)");
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(opts->store);
    std::string id = ResolveRecordId(*store, opts->id);
    std::vector<RecordVersion> versions;
    if (opts->history) {
      versions = Check(store->History(id));
    } else {
      versions.push_back(opts->version.empty() ? Check(store->Get(id))
                                               : Check(store->GetVersion(id, opts->version)));
    }
    for (const RecordVersion& v : versions) {
      if (opts->json) {
        if (v.info.deleted) {
          std::cout << "{\"id\":" << JsonEscape(v.info.id) << ",\"version\":" << v.info.version
                    << ",\"deleted\":true,\"delete_reason\":" << JsonEscape(v.info.delete_reason)
                    << "}\n";
        } else {
          std::cout << MessageToJson(v.testimony, !opts->history) << "\n";
        }
        continue;
      }
      // Everything from the record is escaped for the terminal: a reason or a date that came in
      // a bundle is the author's text, never a control sequence for this screen.
      std::cout << "record " << TerminalSafe(v.info.id) << "  version " << v.info.version
                << "  (" << KindName(v.info.kind) << ")\n"
                << "created " << TerminalSafe(v.info.created_at) << "  this version "
                << TerminalSafe(v.info.updated_at) << "\n";
      if (v.info.deleted) {
        std::cout << "DELETED: " << TerminalSafe(v.info.delete_reason) << "\n";
      } else {
        PrintTestimony(v.testimony, std::cout);
      }
      if (opts->history) std::cout << "\n";
    }
  });
}

}  // namespace tvault::cli
