// The store's append-only audit log: entries, their RFC 6962 tree, and signed checkpoints.
#ifndef TVAULT_STORE_AUDIT_LOG_H_
#define TVAULT_STORE_AUDIT_LOG_H_

#include <string>
#include <vector>

#include "store/db.h"
#include "store/merkle.h"
#include "tvault/audit.h"
#include "tvault/store.h"

namespace tvault::internal {

// The exact bytes hashed into the tree for one entry (docs/formats.md):
//   "<seq>\t<time>\t<actor>\t<action>\t<record_id>\t<record_version>\t<content_hash hex>\n"
// REQUIRES: no field contains a tab or newline (all are codes, hex or fixed words).
std::string EncodeAuditEntry(const AuditEntry& e);

// Appends entries within one write transaction, then stores the new tree head and a signed
// checkpoint of it. Loading reads only the frontier (O(log n)), so appending stays cheap at
// any log size.
class LogWriter {
 public:
  // REQUIRES: inside a write transaction on `db`.
  static Result<LogWriter> Load(Db& db);

  Status Append(const std::string& actor, const std::string& action, const std::string& record_id,
                uint32_t record_version, const std::string& content_hash_raw);

  // Stores the frontier and, when anything was appended, a checkpoint signed with `seed`.
  Status Finish(const std::string& origin, const SecretBytes& seed);

 private:
  explicit LogWriter(Db* db) : db_(db) {}
  Db* db_;
  MerkleFrontier frontier_;
  bool appended_ = false;
};

// Reads every entry in sequence order.
Result<std::vector<AuditEntry>> ReadAuditEntries(Db& db);

// The latest stored checkpoint note, or kNotFound.
Result<std::string> LatestCheckpointNote(Db& db);

// Recomputes the log: leaf hashes, sequence without gaps, every stored checkpoint's root (and
// signature against `verifier_key`), the stored frontier, and each of `external` (checkpoint
// notes from bundles, reports or `log checkpoint`). Returns the problems found, each naming
// the entry or checkpoint; empty when the log is intact.
Result<std::vector<std::string>> VerifyAuditLog(Db& db, const std::string& verifier_key,
                                                const std::vector<std::string>& external);

// The consistency proof from the checkpoint `old_note` (verified against `verifier_key`) to the
// current tree head, or to the checkpoint `new_note` when it is not empty.
Result<ConsistencyProofData> ProveAuditLog(Db& db, const std::string& verifier_key,
                                           const std::string& old_note,
                                           const std::string& new_note = "");

// Consistency proofs from the log's first `old_size` entries, for each of `old_sizes` in order,
// to its first `new_size`, over leaves recomputed from the entries once. Sizes that are 0 or
// not below `new_size` have nothing to prove and are skipped. kDamaged when the log has fewer
// than `new_size` entries.
Result<std::vector<ConsistencyProofData>> ProveAuditLogSizes(
    Db& db, const std::vector<uint64_t>& old_sizes, uint64_t new_size);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_AUDIT_LOG_H_
