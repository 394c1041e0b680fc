// Check 5, checkpoints: the audit-log checkpoint embedded in each report (issue 7).
//
// Each report carries a signed checkpoint note of its store's log and the key that verifies
// it; the report's own minisign signature (check 1) vouches for that key. Offline, verify
// checks that every note verifies against its key, that reports of one store (same origin and
// key) never show a smaller log for a later month, that two notes of the same size have the
// same root, and that the log of each report extends the log of the report before it: the
// later report embeds an RFC 6962 consistency proof from the earlier one's checkpoint (or the
// auditor gives one made by `tvault log prove`), checked with VerifyConsistencyProof. A
// missing proof is a failure unless the store is given, because a store whose history was
// rewritten between two reports would simply leave it out. With --store, verify also asks the
// store for a proof from each checkpoint to its current tree.
#include <algorithm>
#include <optional>

#include "store/log_proof.h"
#include "tvault/audit.h"
#include "tvault/report.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {

namespace {

struct Seen {
  const Parsed* p;
  Checkpoint cp;
};

bool SameStore(const Seen& a, const Seen& b) {
  return a.cp.origin == b.cp.origin &&
         a.p->report.log_verifier_key() == b.p->report.log_verifier_key();
}

// The proof from size `old_size` to `new_size`: embedded in `later`, or given beside it.
std::optional<ConsistencyProofData> FindProof(const v1::Report& later, uint64_t old_size,
                                              uint64_t new_size,
                                              const std::vector<ConsistencyProofData>& given) {
  for (const v1::LogConsistencyProof& p : later.log_proofs()) {
    if (p.old_size() == old_size && p.new_size() == new_size) return internal::ProofFromProto(p);
  }
  for (const ConsistencyProofData& d : given) {
    if (d.old_size == old_size && d.new_size == new_size) return d;
  }
  return std::nullopt;
}

// Checks that the log of each report extends the log of the report of the same store before
// it (by month); `seen` is sorted by month. Consistency is transitive, so consecutive links
// cover every pair. Returns how many links were proved.
size_t CheckLinks(const std::vector<Seen>& seen, const std::vector<ConsistencyProofData>& given,
                  bool have_store, VerifyCheck* check) {
  size_t proved = 0;
  for (size_t j = 1; j < seen.size(); ++j) {
    const Seen& b = seen[j];
    const Seen* a = nullptr;
    for (size_t i = j; i-- > 0;) {
      if (SameStore(seen[i], b)) {
        a = &seen[i];
        break;
      }
    }
    if (a == nullptr || a->cp.size >= b.cp.size) continue;  // unlinked, or checked above
    const std::string what = "the log of " + b.p->report.month() + " (" +
                             std::to_string(b.cp.size) + " entries) and the log of the report "
                             "of " + a->p->report.month() + " (" + std::to_string(a->cp.size) +
                             " entries)";
    std::optional<ConsistencyProofData> proof =
        FindProof(b.p->report, a->cp.size, b.cp.size, given);
    if (!proof) {
      if (!have_store) {
        check->failures.push_back(
            {b.p->Name(kReportJsonFile), "", "",
             "no consistency proof links " + what +
                 ": give the store (--store) or a proof made with `tvault log prove` (--proof)"});
      }
      continue;
    }
    Status st = VerifyConsistencyProof(a->cp, b.cp, *proof);
    if (!st.ok()) {
      check->failures.push_back({b.p->Name(kReportJsonFile), "", "",
                                 "the consistency proof between " + what +
                                     " fails (history was rewritten between them): " +
                                     st.message()});
      continue;
    }
    ++proved;
  }
  return proved;
}

}  // namespace

void CheckCheckpoints(const std::vector<const Parsed*>& reports,
                      const std::vector<ConsistencyProofData>& proofs, Store* store,
                      VerifyCheck* check) {
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
  // By month; a revision (which has the month of the release it follows) after that release.
  std::stable_sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) {
    return std::make_pair(a.p->report.month(), a.p->report.kind() == "revision") <
           std::make_pair(b.p->report.month(), b.p->report.kind() == "revision");
  });
  for (size_t i = 0; i < seen.size(); ++i) {
    for (size_t j = i + 1; j < seen.size(); ++j) {
      const Seen& a = seen[i];
      const Seen& b = seen[j];
      if (!SameStore(a, b)) continue;  // another store: nothing links them
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
  const size_t proved_offline = CheckLinks(seen, proofs, store != nullptr, check);
  if (store == nullptr) {
    check->notes.push_back(std::to_string(seen.size()) +
                           " checkpoint(s) verify; sizes never decrease; " +
                           std::to_string(proved_offline) +
                           " link(s) between consecutive reports proved offline");
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
                         std::to_string(proved_offline) +
                         " link(s) between consecutive reports proved offline; " +
                         std::to_string(proved) +
                         " proved to be prefixes of the store's current log");
}

}  // namespace tvault::verify_internal
