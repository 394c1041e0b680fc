// Drafts: guided interviews stopped before they were saved (the monitor pressed Ctrl-C), kept
// to be finished later. A draft lives only in the encrypted store, in a table of its own
// (docs/formats.md, "Database schema, version 8"): it is not a record, so it is never listed,
// counted in a report, exported in a bundle or written to the audit log. Its identity is
// sealed to the organisation key like a record's, so this device cannot read it back.
#ifndef TVAULT_DRAFTS_H_
#define TVAULT_DRAFTS_H_

#include <cstdint>
#include <string>

#include "tvault/v1/testimony.pb.h"

namespace tvault {

struct Draft {
  std::string id;           // 32 lowercase hex digits; set by Store::SaveDraft
  v1::Kind kind = v1::KIND_UNSPECIFIED;
  std::string record_id;    // the record being edited; empty for a new testimony
  uint32_t step = 0;        // where the interview stopped: the CLI's question number
  std::string created_at;   // RFC 3339 UTC; set by the store
  std::string updated_at;   // RFC 3339 UTC; set by the store
  // The answers so far. Never validated (a draft is unfinished). When read back, it holds no
  // plaintext identity: an identity typed before the draft was kept is in sealed_identity.
  v1::Testimony testimony;
};

// What finishing a draft stored: a new record (version 1) or a new version of the record the
// draft was editing.
struct FinishedDraft {
  std::string record_id;
  uint32_t version = 0;
};

}  // namespace tvault

#endif  // TVAULT_DRAFTS_H_
