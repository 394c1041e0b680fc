// tvault export-attachment: writes one attachment as the age file it is stored as. No secret
// is needed or used: only the organisation identity opens it (`age -d -i identity.txt`).
#include <iostream>

#include "attachment_out.h"
#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterExportAttachment(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id, out;
    uint32_t number = 0;
    bool to_stdout = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "export-attachment",
      "Write one attachment, still encrypted, as an age file that the organisation identity "
      "opens (`tvault keys age-identity`, then `age -d -i identity.txt`)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("n", opts->number, "The attachment's number (see `tvault attachments`)")
      ->required();
  cmd->add_option("--out", opts->out, "Write the age file here (never overwritten)");
  cmd->add_flag("--stdout", opts->to_stdout, "Write the age file to standard output");
  cmd->callback([opts]() {
    if (opts->to_stdout == !opts->out.empty()) throw CliError(kExitUsage, "give --out FILE or --stdout");
    if (!opts->out.empty()) RequireNewFile(opts->out);
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    AttachmentInfo info;
    WriteAttachmentOutput(opts->out, opts->to_stdout, [&](const Store::AttachmentSink& sink) {
      info = Check(store->ExportSealedAttachment(id, opts->number, sink));
    });
    std::cerr << "tvault: wrote attachment " << opts->number << " of record " << id
              << " as an age file (" << info.sealed_size << " bytes, sha256 "
              << info.sealed_sha256 << ")\n";
  });
}

}  // namespace tvault::cli
