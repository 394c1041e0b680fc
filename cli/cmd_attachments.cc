// tvault attachments: what is attached to a testimony (kinds, types, sizes, hashes, captions).
// The files themselves stay sealed: see open-attachment.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {
namespace {

std::string AttachmentJson(const AttachmentInfo& a) {
  return std::string("{\"record_id\":") + JsonEscape(a.record_id) +
         ",\"number\":" + std::to_string(a.number) + ",\"id\":" + JsonEscape(a.id) +
         ",\"kind\":" + JsonEscape(a.kind) + ",\"media_type\":" + JsonEscape(a.media_type) +
         ",\"caption\":" + JsonEscape(a.caption) +
         ",\"stripped\":" + (a.stripped ? "true" : "false") +
         ",\"received_size\":" + std::to_string(a.received_size) +
         ",\"received_sha256\":" + JsonEscape(a.received_sha256) +
         ",\"stored_size\":" + std::to_string(a.stored_size) +
         ",\"stored_sha256\":" + JsonEscape(a.stored_sha256) +
         ",\"sealed_size\":" + std::to_string(a.sealed_size) +
         ",\"sealed_sha256\":" + JsonEscape(a.sealed_sha256) +
         ",\"added_at\":" + JsonEscape(a.added_at) + ",\"custody\":" + JsonEscape(a.custody) +
         ",\"detached\":" + (a.detached ? "true" : "false") +
         ",\"detach_reason\":" + JsonEscape(a.detach_reason) +
         ",\"detached_at\":" + JsonEscape(a.detached_at) + "}";
}

}  // namespace

void RegisterAttachments(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "attachments", "List a testimony's attachments: number, kind, type, size, caption");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_flag("--json", opts->json,
                "One JSON object a line, with the SHA-256 hashes and the custody statement");
  cmd->callback([opts]() {
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    std::vector<AttachmentInfo> all = Check(store->Attachments(id));
    for (const AttachmentInfo& a : all) {
      if (opts->json) {
        std::cout << AttachmentJson(a) << "\n";
        continue;
      }
      std::cout << a.number << "  " << a.kind << "  " << a.media_type << "  " << a.stored_size
                << " bytes  " << (a.stripped ? "stripped" : "metadata-kept") << "  "
                << a.added_at << (a.detached ? "  DETACHED (" + a.detach_reason + ")" : "")
                << (a.caption.empty() ? "" : "  " + a.caption) << "\n";
    }
    if (!opts->json) std::cout << all.size() << (all.size() == 1 ? " attachment\n" : " attachments\n");
  });
}

}  // namespace tvault::cli
