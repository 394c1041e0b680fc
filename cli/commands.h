// One Register function per subcommand file; main.cc calls them all.
#ifndef TVAULT_CLI_COMMANDS_H_
#define TVAULT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace tvault::cli {

void RegisterKeys(CLI::App& app);
// `keys age-identity`, in cmd_keys_age.cc.
void RegisterKeysAgeIdentity(CLI::App* keys);
void RegisterInit(CLI::App& app);
void RegisterAdd(CLI::App& app);
void RegisterList(CLI::App& app);
void RegisterSearch(CLI::App& app);
void RegisterShow(CLI::App& app);
void RegisterEdit(CLI::App& app);
void RegisterDelete(CLI::App& app);
void RegisterPasswd(CLI::App& app);
void RegisterWipe(CLI::App& app);
void RegisterFacility(CLI::App& app);
void RegisterDemoData(CLI::App& app);
void RegisterLog(CLI::App& app);
void RegisterReport(CLI::App& app);
void RegisterVerify(CLI::App& app);
void RegisterBundle(CLI::App& app);
void RegisterTrust(CLI::App& app);
// `conflicts` and `resolve`, in cmd_conflicts.cc.
void RegisterConflicts(CLI::App& app);
void RegisterReveal(CLI::App& app);
// Attachments: attach, attachments, open-attachment, export-attachment, detach.
void RegisterAttach(CLI::App& app);
void RegisterAttachments(CLI::App& app);
void RegisterOpenAttachment(CLI::App& app);
void RegisterExportAttachment(CLI::App& app);
void RegisterDetach(CLI::App& app);
// `ledger list` and `ledger export`, in cmd_ledger.cc.
void RegisterLedger(CLI::App& app);
// `drafts list|resume|discard`, in cmd_drafts.cc.
void RegisterDrafts(CLI::App& app);
// `shell`, in cmd_shell.cc: unlock once, then run commands at a prompt.
void RegisterShell(CLI::App& app);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_COMMANDS_H_
