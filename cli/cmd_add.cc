// tvault add: record testimonies, by guided prompts or from a JSON file.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "guided.h"
#include "render.h"

namespace tvault::cli {

// The largest input file accepted by --from (docs/cli.md). The whole file and every record
// parsed from it are held in memory until the one transaction that stores them all (all or
// nothing): measured, 20,000 demo records (27 MB, about 1.3 KiB each) peak at 70 MiB above the
// Argon2id baseline, under three times the file. 256 MiB keeps the peak under 1 GiB, within a
// field laptop's memory, and still holds some 200,000 such records; a larger set is imported
// as several files.
constexpr size_t kMaxImportFileBytes = size_t{256} << 20;

void RegisterAdd(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string kind;
    std::string from;
    bool timings = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "add",
      "Record a testimony with guided prompts (KIND is pushback, facility or removal; < goes "
      "back, every answer is reviewed before saving, Ctrl-C offers to keep a draft), or add "
      "every testimony of a JSON file with --from (all or nothing)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("kind", opts->kind,
                  "pushback, facility, or removal (a forcible removal from an informal site "
                  "into a facility: a pushback record of incident kind SITE_REMOVAL) for guided "
                  "prompts (docs/cli.md, \"add\")");
  cmd->add_option("--from", opts->from,
                  "JSON lines, one JSON array or one JSON object of testimonies (protobuf JSON "
                  "mapping, docs/schema.md); - for standard input");
  cmd->add_flag("--timings", opts->timings,
                "With --from: print the time of each stage on standard error "
                "(docs/performance.md)");
  cmd->callback([opts]() {
    if (opts->kind.empty() == opts->from.empty()) {
      throw CliError(kExitUsage, "give either a KIND for guided prompts or --from FILE");
    }
    if (!opts->from.empty()) {
      // Parse before asking for the passphrase: a broken file fails fast and touches nothing.
      std::vector<StageTime> timings;
      StageClock clock;
      std::string text = ReadInputFile(opts->from, kMaxImportFileBytes);
      std::vector<InputRecord> records = CheckInput(opts->from, ParseTestimoniesJson(text));
      for (InputRecord& r : records) r.where = opts->from + ": " + r.where;
      std::string().swap(text);
      clock.Lap("read+parse", &timings);
      StoreRef store = OpenStore(opts->store);
      clock.Lap("open store", &timings);
      std::vector<std::string> ids = Check(store->Add(std::move(records)));
      clock.Lap("validate+seal+write", &timings);
      if (opts->timings) PrintTimings(timings);
      std::cout << "added " << ids.size() << " testimon" << (ids.size() == 1 ? "y" : "ies")
                << " from " << opts->from << "\n";
      return;
    }
    Draft draft;
    if (opts->kind == "removal") {
      draft.kind = v1::PUSHBACK;
      draft.testimony.mutable_pushback()->set_incident_kind(v1::SITE_REMOVAL);
    } else {
      draft.kind = ParseKind(opts->kind);
    }
    StoreRef store = OpenStore(opts->store);
    RunGuided(*store, std::move(draft));
  });
}

}  // namespace tvault::cli
