// Running a guided interview (prompts.h) against a store, and keeping its outcome: a record,
// a new version, a draft, or nothing. Shared by `add`, `edit` and `drafts resume`.
#ifndef TVAULT_CLI_GUIDED_H_
#define TVAULT_CLI_GUIDED_H_

#include "tvault/drafts.h"
#include "tvault/store.h"

namespace tvault::cli {

// Runs the interview for `draft`: a new testimony (draft.id and draft.record_id empty), an
// edit of draft.record_id (draft.id empty, draft.testimony its latest version), or a draft
// that was kept (draft.id set). Ctrl-C is caught for the length of the interview and asks
// whether to keep a draft. Prints what was stored on standard output. Throws CliError:
// kExitCancelled when the interview stopped (saying whether a draft was kept), or the error of
// the store; when storing the finished testimony fails, the answers are kept as a draft first
// and the message says so.
void RunGuided(Store& store, Draft draft);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_GUIDED_H_
