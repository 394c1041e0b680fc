// tvault list: the latest version of every record, one line each.
#include <cstdio>
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
    if (!opts->month.empty()) {
      if (opts->month.size() != 7 || !IsIsoDate(opts->month + "-01")) {
        throw CliError(kExitUsage, "--month: \"" + opts->month + "\" is not YYYY-MM");
      }
      filter.month = opts->month;
    }
    filter.include_deleted = opts->deleted;
    std::unique_ptr<Store> store = OpenStore(opts->store);
    std::vector<RecordInfo> rows = Check(store->List(filter));
    if (opts->json) {
      for (const RecordInfo& r : rows) std::cout << RecordInfoJson(r) << "\n";
      return;
    }
    std::printf("%-12s %3s %-8s %-7s %-14s %6s  %s\n", "ID", "V", "KIND", "MONTH", "WHERE",
                "PEOPLE", "UPDATED");
    for (const RecordInfo& r : rows) {
      std::string where = r.kind == v1::PUSHBACK ? r.pushed_from + " -> " + r.pushed_to
                                                 : r.facility_id;
      std::printf("%-12s %3u %-8s %-7s %-14s %6u  %s%s\n", r.id.substr(0, 12).c_str(),
                  r.version, KindName(r.kind).c_str(), r.incident_month.c_str(), where.c_str(),
                  r.people, r.updated_at.c_str(), r.deleted ? "  [deleted]" : "");
    }
    std::printf("%zu record%s\n", rows.size(), rows.size() == 1 ? "" : "s");
  });
}

}  // namespace tvault::cli
