// tvault list: the latest version of every record, one line each.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/schema.h"

namespace tvault::cli {

void RegisterList(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string kind;
    std::string month;
    bool json = false;
    bool deleted = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand("list", "List testimonies (latest versions)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--kind", opts->kind, "Only pushback or facility");
  cmd->add_option("--month", opts->month, "Only incidents of this month (YYYY-MM)");
  cmd->add_flag("--deleted", opts->deleted, "Include deleted records (tombstones)");
  cmd->add_flag("--json", opts->json, "One JSON object per line");
  cmd->callback([opts]() {
    ListFilter filter;
    if (!opts->kind.empty()) filter.kind = ParseKind(opts->kind);
    if (!opts->month.empty()) filter.month = ParseMonth("--month", opts->month);
    filter.include_deleted = opts->deleted;
    StoreRef store = OpenStoreForReading(opts->store);
    std::vector<RecordInfo> rows = Check(store->List(filter));
    if (opts->json) {
      for (const RecordInfo& r : rows) std::cout << RecordInfoJson(r) << "\n";
      return;
    }
    PrintRecordTable(rows);
  });
}

}  // namespace tvault::cli
