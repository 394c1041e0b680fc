// tvault open-attachment: decrypts one attachment with the organisation secret. Like reveal,
// every opening is an audit-log entry ("open-attachment") committed before a byte is written.
#include <iostream>

#include "attachment_out.h"
#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterOpenAttachment(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id, org_secret, out;
    uint32_t number = 0;
    PassphraseSource org_pass;
    bool to_stdout = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "open-attachment",
      "Decrypt one attachment with the organisation secret key, to a new file or standard "
      "output. Each opening is recorded in the audit log (action `open-attachment`) before "
      "anything is written. Passphrases are read in order: store, then --org-secret");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("n", opts->number, "The attachment's number (see `tvault attachments`)")
      ->required();
  cmd->add_option("--org-secret", opts->org_secret, "The organisation secret key file (org.key)")
      ->required();
  cmd->add_option("--org-passphrase-fd", opts->org_pass.fd,
                  "Read the organisation key's passphrase from this file descriptor");
  cmd->add_option("--out", opts->out, "Write the file here (never overwritten)");
  cmd->add_flag("--stdout", opts->to_stdout, "Write the file to standard output");
  cmd->callback([opts]() {
    if (opts->to_stdout == !opts->out.empty()) throw CliError(kExitUsage, "give --out FILE or --stdout");
    RequireInputFile(opts->org_secret);
    if (!opts->out.empty()) RequireNewFile(opts->out);
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    SecretBytes pass =
        ReadPassphrase(opts->org_pass, "Passphrase for " + opts->org_secret + ": ", false);
    OrgSecretKey org = CheckInput(opts->org_secret, ReadOrgSecretKey(opts->org_secret, pass));
    AttachmentInfo info;
    WriteAttachmentOutput(opts->out, opts->to_stdout, [&](const Store::AttachmentSink& sink) {
      info = Check(store->OpenAttachment(id, opts->number, org, sink));
    });
    std::cerr << "tvault: opened attachment " << opts->number << " of record " << id << " ("
              << info.media_type << ", " << info.stored_size
              << " bytes, sha256 " << info.stored_sha256
              << "); this opening is recorded in the audit log\n";
  });
}

}  // namespace tvault::cli
