// tvault edit: store a new version of a testimony; earlier versions are kept.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "prompts.h"
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
    std::unique_ptr<Store> store = OpenStore(opts->store);
    std::string id = ResolveRecordId(*store, opts->id);
    if (opts->from.empty()) {
      RecordVersion current = Check(store->Get(id));
      if (current.info.deleted) throw CliError(kExitInvalidInput, "record " + id + " is deleted");
      std::vector<v1::Facility> facilities = Check(store->ListFacilities());
      std::optional<v1::Testimony> t = PromptTestimony(current.info.kind, &current.testimony,
                                                       facilities, TodayUtc(), std::cin, std::cout);
      if (!t) throw CliError(kExitCancelled, "cancelled: nothing was written");
      replacement.where = "edit";
      replacement.testimony = std::move(*t);
      replacement.testimony.set_id(id);
    }
    uint32_t version = Check(store->Edit(id, std::move(replacement)));
    std::cout << "stored version " << version << " of " << id << "\n";
  });
}

}  // namespace tvault::cli
