// tvault demo-data: deterministic fictional testimonies as JSON lines, for demos and tests.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/demo.h"
#include "tvault/schema.h"

namespace tvault::cli {

void RegisterDemoData(CLI::App& app) {
  struct Opts {
    DemoOptions demo;
    bool facilities = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "demo-data",
      "Print fictional demo testimonies as JSON lines (deterministic for a given seed); with "
      "--facilities, print the fictional facility registry instead");
  cmd->add_option("--count", opts->demo.count, "How many testimonies")->capture_default_str();
  cmd->add_option("--seed", opts->demo.seed, "Seed of the generator")->capture_default_str();
  cmd->add_option("--until", opts->demo.until_month,
                  "Incidents fall in the twelve months ending with this one (YYYY-MM), never "
                  "on or after today; a month after the current one is refused")
      ->capture_default_str();
  cmd->add_flag("--facilities", opts->facilities, "Print the facility registry");
  cmd->callback([opts]() {
    ParseMonth("--until", opts->demo.until_month);
    // No date after today: validation refuses one (a stay that ends after today, say), so
    // demo data must never make one (docs/demo-data.md, "Dates").
    opts->demo.today = TodayUtc();
    if (opts->demo.until_month > opts->demo.today.substr(0, 7)) {
      throw CliError(kExitUsage, "--until: " + opts->demo.until_month +
                                     " is after the current month (" +
                                     opts->demo.today.substr(0, 7) + ")");
    }
    std::ios::sync_with_stdio(false);
    if (opts->facilities) {
      for (const v1::Facility& f : DemoFacilities()) std::cout << MessageToJson(f, false) << "\n";
      return;
    }
    for (const v1::Testimony& t : GenerateDemoTestimonies(opts->demo)) {
      std::cout << MessageToJson(t, false) << "\n";
    }
  });
}

}  // namespace tvault::cli
