// Where `open-attachment` and `export-attachment` write: a new file that appears whole or not
// at all, or standard output.
#ifndef TVAULT_CLI_ATTACHMENT_OUT_H_
#define TVAULT_CLI_ATTACHMENT_OUT_H_

#include <functional>
#include <string>

#include "tvault/store.h"

namespace tvault::cli {

// Runs `produce` with a sink that writes to a temporary file beside `path` (mode 0600), which
// becomes `path` only if `produce` succeeds; `path` is never overwritten (kExitExists, checked
// before `produce` runs). With `to_stdout`, the sink writes to standard output instead. Throws
// CliError.
void WriteAttachmentOutput(const std::string& path, bool to_stdout,
                           const std::function<void(const Store::AttachmentSink&)>& produce);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_ATTACHMENT_OUT_H_
