// tvault drafts list | resume ID | discard ID: guided interviews stopped before they were
// saved (Ctrl-C, then "keep a draft"), kept encrypted in the store (tvault/drafts.h).
#include <iostream>

#include "commands.h"
#include "common.h"
#include "guided.h"
#include "render.h"

namespace tvault::cli {
namespace {

// The shortest draft id prefix the store accepts (Store::GetDraft).
constexpr size_t kMinDraftPrefix = 4;

// Checks the form of a draft id before any passphrase is asked.
void CheckDraftId(const std::string& id) {
  bool hex = id.size() >= kMinDraftPrefix && id.size() <= 32;
  for (char c : id) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex) {
    throw CliError(kExitUsage, "\"" + id + "\" is not a draft id: give at least 4 of its hex "
                               "digits, as `tvault drafts list` shows them");
  }
}

}  // namespace

void RegisterDrafts(CLI::App& app) {
  CLI::App* drafts = app.add_subcommand(
      "drafts",
      "Guided interviews stopped before saving (Ctrl-C, then keep a draft): list, resume or "
      "discard them. Drafts are kept encrypted in the store, never listed as testimonies, "
      "counted in reports or exported in bundles");
  drafts->require_subcommand(1);

  auto list_opts = std::make_shared<StoreFlags>();
  CLI::App* list = drafts->add_subcommand("list", "List the drafts, oldest first");
  AddStoreFlags(list, list_opts.get());
  list->callback([list_opts]() {
    StoreRef store = OpenStore(*list_opts);
    std::vector<Draft> all = Check(store->ListDrafts());
    for (const Draft& d : all) {
      std::cout << d.id.substr(0, 8) << "  " << KindName(d.kind) << "  "
                << (d.record_id.empty() ? std::string("new testimony")
                                        : "edit of " + d.record_id.substr(0, 8))
                << "  question " << d.step + 1 << "  changed " << d.updated_at << "\n";
    }
    std::cout << all.size() << " draft" << (all.size() == 1 ? "" : "s") << "\n";
  });

  struct IdOpts {
    StoreFlags store;
    std::string id;
    bool yes = false;
  };
  auto resume_opts = std::make_shared<IdOpts>();
  CLI::App* resume = drafts->add_subcommand(
      "resume", "Go on with a draft where it stopped; its answers show in [brackets]");
  AddStoreFlags(resume, &resume_opts->store);
  resume->add_option("id", resume_opts->id, "Draft id (or at least 4 of its first digits)")
      ->required();
  resume->callback([resume_opts]() {
    CheckDraftId(resume_opts->id);
    StoreRef store = OpenStore(resume_opts->store);
    RunGuided(*store, Check(store->GetDraft(resume_opts->id)));
  });

  auto discard_opts = std::make_shared<IdOpts>();
  CLI::App* discard = drafts->add_subcommand(
      "discard", "Delete a draft for good (asks first unless --yes)");
  AddStoreFlags(discard, &discard_opts->store);
  discard->add_option("id", discard_opts->id, "Draft id (or at least 4 of its first digits)")
      ->required();
  discard->add_flag("--yes", discard_opts->yes, "Do not ask for confirmation");
  discard->callback([discard_opts]() {
    CheckDraftId(discard_opts->id);
    StoreRef store = OpenStore(discard_opts->store);
    Draft d = Check(store->GetDraft(discard_opts->id));
    if (!discard_opts->yes) {
      std::cout << "Discard draft " << d.id.substr(0, 8) << " (" << KindName(d.kind)
                << ", changed " << d.updated_at << ") for good? Type yes to discard: "
                << std::flush;
      std::string answer;
      if (!std::getline(std::cin, answer) || (answer != "yes" && answer != "y")) {
        throw CliError(kExitCancelled, "cancelled: draft " + d.id.substr(0, 8) + " is kept");
      }
    }
    Check(store->DiscardDraft(d.id));
    std::cout << "discarded draft " << d.id.substr(0, 8) << "\n";
  });
}

}  // namespace tvault::cli
