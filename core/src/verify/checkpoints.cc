// Check 5, checkpoints: the audit-log checkpoint embedded in each report (issue 7).
//
// Each report carries a signed checkpoint note of its store's log and the key that verifies
// it; the report's own minisign signature (check 1) vouches for that key. Offline, verify can
// check that every note verifies against its key, that reports of one store (same origin and
// key) never show a smaller log for a later month, and that two notes of the same size have
// the same root. That a later log *extends* an earlier one needs a consistency proof, which
// only the store can give: with --store, verify asks the store for a proof from each earlier
// checkpoint to the current tree and checks it with VerifyConsistencyProof, so a rewritten
// history between two reports is caught.
#include <algorithm>

#include "tvault/audit.h"
#include "tvault/report.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {

void CheckCheckpoints(const std::vector<const Parsed*>& reports, Store* store,
                      VerifyCheck* check) {
  struct Seen {
    const Parsed* p;
    Checkpoint cp;
  };
  std::vector<Seen> seen;
  for (const Parsed* p : reports) {
    const v1::Report& r = p->report;
    Result<Checkpoint> cp = VerifyCheckpointNote(r.log_checkpoint(), r.log_verifier_key());
    if (!cp.ok()) {
      check->failures.push_back({p->Name(kReportJsonFile), "", "",
                                 "log_checkpoint does not verify against log_verifier_key: " +
                                     cp.status().message()});
      continue;
    }
    seen.push_back({p, *cp});
  }
  std::sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) {
    return a.p->report.month() < b.p->report.month();
  });
  for (size_t i = 0; i < seen.size(); ++i) {
    for (size_t j = i + 1; j < seen.size(); ++j) {
      const Seen& a = seen[i];
      const Seen& b = seen[j];
      if (a.cp.origin != b.cp.origin ||
          a.p->report.log_verifier_key() != b.p->report.log_verifier_key()) {
        continue;  // another store: nothing links them
      }
      if (b.cp.size < a.cp.size) {
        check->failures.push_back(
            {b.p->Name(kReportJsonFile), "", "",
             "the log of " + b.p->report.month() + " has " + std::to_string(b.cp.size) +
                 " entries, fewer than the " + std::to_string(a.cp.size) + " of the report of " +
                 a.p->report.month() + ": history was removed"});
      } else if (b.cp.size == a.cp.size && b.cp.root != a.cp.root) {
        check->failures.push_back({b.p->Name(kReportJsonFile), "", "",
                                   "the log has the same size as in the report of " +
                                       a.p->report.month() + " but another root"});
      }
    }
  }
  if (store == nullptr) {
    check->notes.push_back(std::to_string(seen.size()) +
                           " checkpoint(s) verify; sizes never decrease. Without --store "
                           "verify cannot prove that later logs extend earlier ones");
    return;
  }
  size_t proved = 0;
  for (const Seen& s : seen) {
    if (s.p->report.log_verifier_key() != store->LogVerifierKey()) {
      check->failures.push_back({s.p->Name(kReportJsonFile), "", "",
                                 "the checkpoint is not of the given store's log"});
      continue;
    }
    Result<std::string> latest = store->LatestCheckpoint();
    Result<ConsistencyProofData> proof = store->ProveLog(s.p->report.log_checkpoint());
    if (!latest.ok() || !proof.ok()) {
      check->failures.push_back(
          {s.p->Name(kReportJsonFile), "", "",
           "the store cannot prove that its log extends this checkpoint: " +
               (latest.ok() ? proof.status() : latest.status()).message()});
      continue;
    }
    Result<Checkpoint> now = VerifyCheckpointNote(*latest, store->LogVerifierKey());
    Status st = now.ok() ? VerifyConsistencyProof(s.cp, *now, *proof) : now.status();
    if (!st.ok()) {
      check->failures.push_back({s.p->Name(kReportJsonFile), "", "",
                                 "the store's log does not extend this checkpoint: " +
                                     st.message()});
      continue;
    }
    ++proved;
  }
  check->notes.push_back(std::to_string(seen.size()) + " checkpoint(s) verify; " +
                         std::to_string(proved) +
                         " proved to be prefixes of the store's current log");
}

}  // namespace tvault::verify_internal
