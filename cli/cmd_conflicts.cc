// tvault conflicts: records edited on two devices since they last met, with where each
// competing version came from and how the versions differ, field by field.
// tvault resolve ID --keep VERSION: settles one (logged).
#include <iostream>
#include <map>
#include <set>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {
namespace {

// Free-text fields are not repeated in the difference: `show --version` shows them whole.
bool IsLongText(const std::string& field) {
  return field == "narrative" || field.find("description") != std::string::npos;
}

std::string Origin(const ConflictCandidate& c) {
  if (c.local) {
    return "made in this store (" + c.origin_store.substr(0, 12) +
           ") or imported before origins were recorded";
  }
  std::string s = "from store " + (c.origin_store.empty() ? "(unknown)" : c.origin_store.substr(0, 12)) +
                  ", signer " + c.signer_key_id;
  if (!c.signer_name.empty()) s += " \"" + c.signer_name + "\"";
  return s + ", received " + c.received_at;
}

// The fields on which the agreed version and the newest version of each branch differ.
void PrintDifference(Store& store, const ConflictInfo& c) {
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> columns;
  if (c.agreed_version > 0) {
    RecordVersion agreed = Check(store.Get(c.id, c.agreed_version));
    columns.emplace_back(std::to_string(c.agreed_version) + " (agreed)",
                         agreed.info.deleted ? std::map<std::string, std::string>{}
                                             : TestimonyFields(agreed.testimony));
  }
  for (const ConflictCandidate& v : c.candidates) {
    if (!v.head) continue;
    RecordVersion rv = Check(store.GetVersion(c.id, v.token));
    std::map<std::string, std::string> fields;
    if (rv.info.deleted) {
      fields["(deleted)"] = rv.info.delete_reason;
    } else {
      fields = TestimonyFields(rv.testimony);
    }
    columns.emplace_back(v.token, std::move(fields));
  }
  std::set<std::string> names;
  for (const auto& col : columns) {
    for (const auto& [name, value] : col.second) names.insert(name);
  }
  size_t differing = 0;
  std::cout << "  differences, field by field:\n";
  for (const std::string& name : names) {
    std::set<std::string> values;
    for (const auto& col : columns) {
      auto it = col.second.find(name);
      values.insert(it == col.second.end() ? "" : it->second);
    }
    if (values.size() < 2) continue;
    ++differing;
    std::cout << "    " << TerminalSafe(name) << ":\n";
    for (const auto& col : columns) {
      auto it = col.second.find(name);
      std::string value = it == col.second.end() ? "(not set)" : it->second;
      if (IsLongText(name) && it != col.second.end()) {
        value = "(" + std::to_string(value.size()) + " bytes; `tvault show " + c.id.substr(0, 8) +
                " --version " + col.first.substr(0, col.first.find(' ')) + "`)";
      }
      // Values may have come in a bundle: escaped for the terminal, as `show` does.
      std::cout << "      " << col.first << ": " << TerminalSafe(value) << "\n";
    }
  }
  if (differing == 0) std::cout << "    (none: the versions hold the same answers)\n";
}

}  // namespace

void RegisterConflicts(CLI::App& app) {
  auto opts = std::make_shared<StoreFlags>();
  CLI::App* cmd = app.add_subcommand(
      "conflicts",
      "List records whose history forked (edited on two devices since they last synchronised): "
      "the last agreed version, every competing version with its origin (store, signer, time), "
      "the fields on which they differ, and the token to pass to `tvault resolve ID --keep "
      "TOKEN` or `tvault show ID --version TOKEN`");
  AddStoreFlags(cmd, opts.get());
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(*opts);
    std::vector<ConflictInfo> all = Check(store->Conflicts());
    if (all.empty()) {
      std::cout << "no conflicts\n";
      return;
    }
    for (const ConflictInfo& c : all) {
      std::cout << c.id << ": agreed up to version " << c.agreed_version << "; competing:\n";
      for (const ConflictCandidate& v : c.candidates) {
        std::cout << "  " << v.token << (v.head ? " (newest of its branch)" : "")
                  << (v.tombstone ? " deleted" : "") << " stored " << TerminalSafe(v.created_at)
                  << "\n"
                  << "      " << TerminalSafe(Origin(v)) << "\n";
      }
      PrintDifference(*store, c);
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
  resolve->add_option("id", ropts->id, "Record id (or a unique prefix of at least 6 digits)")
      ->required();
  resolve->add_option("--keep", ropts->keep, "VERSION or VERSION:HASH to keep")->required();
  resolve->callback([ropts]() {
    StoreRef store = OpenStore(ropts->store);
    const std::string id = ResolveRecordId(*store, ropts->id);
    Check(store->Resolve(id, ropts->keep));
    RecordVersion now = Check(store->Get(id));
    std::cout << "resolved " << id << ": kept " << ropts->keep << "; latest version is now "
              << now.info.version << "\n";
  });
}

}  // namespace tvault::cli
