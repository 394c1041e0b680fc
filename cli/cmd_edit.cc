// tvault edit: store a new version of a testimony; earlier versions are kept.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "guided.h"
#include "render.h"

namespace tvault::cli {

void RegisterEdit(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id;
    std::string from;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "edit",
      "Store a new version of a testimony, from guided prompts (Enter keeps each current "
      "value) or from a JSON file; old versions are kept");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("--from", opts->from,
                  "One JSON testimony replacing the current one (e.g. edited output of "
                  "`tvault show --json`); without identity, the sealed identity is kept");
  cmd->callback([opts]() {
    InputRecord replacement;
    if (!opts->from.empty()) {
      std::vector<InputRecord> records =
          CheckInput(opts->from, ParseTestimoniesJson(ReadInputFile(opts->from, kMaxJsonRecordBytes)));
      if (records.size() != 1) {
        throw CliError(kExitInvalidInput,
                       opts->from + ": holds " + std::to_string(records.size()) +
                           " testimonies; edit takes exactly one");
      }
      replacement = std::move(records[0]);
      replacement.where = opts->from + ": " + replacement.where;
    }
    StoreRef store = OpenStore(opts->store);
    std::string id = ResolveRecordId(*store, opts->id);
    // A conflicted record is refused before the first question, not after the last.
    for (const ConflictInfo& c : Check(store->Conflicts())) {
      if (c.id == id) {
        throw CliError(kExitInvalidInput,
                       "record " + id + " has a conflict: settle it first (`tvault conflicts`, "
                       "then `tvault resolve " + id.substr(0, 8) + " --keep TOKEN`)");
      }
    }
    if (opts->from.empty()) {
      RecordVersion current = Check(store->Get(id));
      if (current.info.deleted) throw CliError(kExitInvalidInput, "record " + id + " is deleted");
      Draft draft;
      draft.kind = current.info.kind;
      draft.record_id = id;
      draft.testimony = std::move(current.testimony);
      RunGuided(*store, std::move(draft));
      return;
    }
    uint32_t version = Check(store->Edit(id, std::move(replacement)));
    std::cout << "stored version " << version << " of " << id << "\n";
  });
}

}  // namespace tvault::cli
