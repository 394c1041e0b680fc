// tvault conflicts: records edited on two devices since they last met.
// tvault resolve ID --keep VERSION: settles one (logged).
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterConflicts(CLI::App& app) {
  auto opts = std::make_shared<StoreFlags>();
  CLI::App* cmd = app.add_subcommand(
      "conflicts",
      "List records whose history forked (edited on two devices since they last synchronised): "
      "the last agreed version and every competing version, with the token to pass to "
      "`tvault resolve ID --keep TOKEN`");
  AddStoreFlags(cmd, opts.get());
  cmd->callback([opts]() {
    std::unique_ptr<Store> store = OpenStoreForReading(*opts);
    std::vector<ConflictInfo> all = Check(store->Conflicts());
    if (all.empty()) {
      std::cout << "no conflicts\n";
      return;
    }
    for (const ConflictInfo& c : all) {
      std::cout << c.id << ": agreed up to version " << c.agreed_version << "; competing:\n";
      for (const ConflictCandidate& v : c.candidates) {
        std::cout << "  " << v.token << (v.head ? " (newest of its branch)" : "")
                  << (v.tombstone ? " deleted" : "") << " stored " << v.created_at << "\n";
      }
    }
  });

  struct ResolveOpts {
    StoreFlags store;
    std::string id, keep;
  };
  auto ropts = std::make_shared<ResolveOpts>();
  CLI::App* resolve = app.add_subcommand(
      "resolve",
      "Settle a conflict by keeping the branch that holds VERSION (a token from `tvault "
      "conflicts`, or a version number when it names one version alone). The other branches "
      "stay stored, set aside; the decision is logged");
  AddStoreFlags(resolve, &ropts->store);
  resolve->add_option("id", ropts->id, "The record id")->required();
  resolve->add_option("--keep", ropts->keep, "VERSION or VERSION:HASH to keep")->required();
  resolve->callback([ropts]() {
    std::unique_ptr<Store> store = OpenStore(ropts->store);
    const std::string id = ResolveRecordId(*store, ropts->id);
    Check(store->Resolve(id, ropts->keep));
    RecordVersion now = Check(store->Get(id));
    std::cout << "resolved " << id << ": kept " << ropts->keep << "; latest version is now "
              << now.info.version << "\n";
  });
}

}  // namespace tvault::cli
