// tvault log show: the store's audit log (no identities, narratives or passphrases in it).
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterLog(CLI::App& app) {
  CLI::App* log = app.add_subcommand("log", "The store's append-only audit log");
  log->require_subcommand(1);
  struct Opts {
    StoreFlags store;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* show = log->add_subcommand("show", "List every audit-log entry");
  AddStoreFlags(show, &opts->store);
  show->add_flag("--json", opts->json, "One JSON object per line");
  show->callback([opts]() {
    std::unique_ptr<Store> store = OpenStore(opts->store);
    for (const AuditEntry& e : Check(store->AuditLog())) {
      if (opts->json) {
        std::cout << "{\"seq\":" << e.seq << ",\"time\":" << JsonEscape(e.time)
                  << ",\"actor\":" << JsonEscape(e.actor) << ",\"action\":" << JsonEscape(e.action)
                  << ",\"record_id\":" << JsonEscape(e.record_id)
                  << ",\"record_version\":" << e.record_version
                  << ",\"content_hash\":" << JsonEscape(e.content_hash) << "}\n";
      } else {
        std::printf("%6llu %s %-10s %-18s %s%s\n", static_cast<unsigned long long>(e.seq),
                    e.time.c_str(), e.actor.c_str(), e.action.c_str(), e.record_id.c_str(),
                    e.record_id.empty() ? "" : (" v" + std::to_string(e.record_version)).c_str());
      }
    }
  });
}

}  // namespace tvault::cli
