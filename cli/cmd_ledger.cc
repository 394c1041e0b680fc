// tvault ledger: the analyst's publication ledger (docs/methodology.md, section 5): every
// release this store published, in order, with how much of it stayed published; and any
// release written out again, byte for byte as it was published.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/report.h"

namespace tvault::cli {
namespace {

std::string Share(uint64_t part, uint64_t whole) {
  if (whole == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) /
                                               static_cast<double>(whole));
  return buf;
}

void RegisterList(CLI::App* ledger) {
  struct Opts {
    StoreFlags store;
    std::string year;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = ledger->add_subcommand(
      "list", "List the releases in the ledger, in the order they were published, with the "
              "share of cells, testimonies and people that stayed published");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--year", opts->year, "Only the series of this year (YYYY)");
  cmd->add_flag("--json", opts->json, "One JSON object per line");
  cmd->callback([opts]() {
    StoreRef store = OpenStore(opts->store);
    for (const v1::LedgerRelease& r : Check(store->Releases(opts->year))) {
      const ReleaseUtility u = UtilityOf(r);
      if (opts->json) {
        std::cout << "{\"series\":" << JsonEscape(r.series()) << ",\"month\":"
                  << JsonEscape(r.month()) << ",\"kind\":" << JsonEscape(r.kind())
                  << ",\"previous_release\":" << JsonEscape(r.previous_release())
                  << ",\"files\":" << r.files_size() << ",\"cells\":" << u.cells
                  << ",\"cells_published\":" << u.cells_published
                  << ",\"nonzero_cells\":" << u.nonzero_cells
                  << ",\"nonzero_cells_published\":" << u.nonzero_cells_published
                  << ",\"testimonies\":" << u.testimonies
                  << ",\"testimonies_published\":" << u.testimonies_published
                  << ",\"people\":" << u.people << ",\"people_published\":" << u.people_published
                  << "}\n";
        continue;
      }
      std::printf("%s %-8s %-9s testimonies %5llu (%s published)  people %6llu (%s)  non-zero "
                  "cells %s published\n",
                  r.month().c_str(), r.kind().c_str(), r.series().c_str(),
                  static_cast<unsigned long long>(u.testimonies),
                  Share(u.testimonies_published, u.testimonies).c_str(),
                  static_cast<unsigned long long>(u.people),
                  Share(u.people_published, u.people).c_str(),
                  Share(u.nonzero_cells_published, u.nonzero_cells).c_str());
    }
  });
}

void RegisterExport(CLI::App* ledger) {
  struct Opts {
    StoreFlags store;
    std::string month;
    bool revision = false;
    std::string out;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = ledger->add_subcommand(
      "export", "Write a published release again into a new folder, byte for byte (its files "
                "and signatures as the ledger keeps them)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--month", opts->month, "The month of the release, YYYY-MM")->required();
  cmd->add_flag("--revision", opts->revision,
                "The revision that follows the release of --month, not the release itself");
  cmd->add_option("--out", opts->out, "The folder to create (must not exist, or be empty)")
      ->required();
  cmd->callback([opts]() {
    Check(CheckReportFolder(opts->out));
    StoreRef store = OpenStore(opts->store);
    const std::string kind = opts->revision ? "revision" : "monthly";
    for (const v1::LedgerRelease& r : Check(store->Releases(opts->month.substr(0, 4)))) {
      if (r.month() != opts->month || r.kind() != kind) continue;
      std::vector<OutputFile> files;
      for (const v1::LedgerFile& f : r.files()) files.push_back({f.name(), f.bytes()});
      Check(WriteReportFolder(opts->out, files));
      std::cout << "wrote " << opts->out << ": the " << kind << " release of " << r.month()
                << ", " << files.size() << " files\n";
      return;
    }
    throw CliError(kExitNotFound, "the ledger holds no " + kind + " release of " + opts->month);
  });
}

}  // namespace

void RegisterLedger(CLI::App& app) {
  CLI::App* ledger = app.add_subcommand(
      "ledger", "The publication ledger: every release this store published (list, export)");
  ledger->require_subcommand(1);
  RegisterList(ledger);
  RegisterExport(ledger);
}

}  // namespace tvault::cli
