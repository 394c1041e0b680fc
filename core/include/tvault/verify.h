// The auditor's check of a published report (docs/auditing.md), independent of the code path
// that produced it: nothing here calls the report's protection or self-audit code.
//
// VerifyReport runs separate checks and reports each on its own:
//   integrity    every file's minisign signature (with the auditor's copy of the analyst key)
//                and trusted comment, the manifest's SHA-256 of every file, no missing or extra
//                file, the manifest's signer key id;
//   shape        report.json and manifest.json parse strictly and are in canonical form; only
//                known tables, titles, units, dimensions and category codes; cells in the
//                published order; percentages only where their count and base are published
//                and equal to the rounded share; every CSV and report.html agree with
//                report.json byte for byte of every number and marker;
//   thresholds   every published count is 0 or >= the k of its table in the manifest;
//   attack       the attacker's problem rebuilt from the published numbers alone (this report
//                and every previous one given): min and max of every suppressed cell as an LP
//                and as an integer program (GLPK), judged against the protection levels of the
//                manifest's settings;
//   checkpoints  the audit-log checkpoint of each report verifies against its key, and the log
//                of each report extends the log of the report before it (same store): proved
//                offline by the consistency proof the later report embeds (or one given in
//                `proofs`), and against the store's current log when a store is given;
//   store        (only with a store) the report recomputed from the store is byte-identical,
//                and no identity value, narrative sentence or pseudonym of the store appears
//                in any byte of any file.
#ifndef TVAULT_VERIFY_H_
#define TVAULT_VERIFY_H_

#include <map>
#include <string>
#include <vector>

#include "tvault/audit.h"
#include "tvault/keys.h"
#include "tvault/signing.h"
#include "tvault/status.h"
#include "tvault/store.h"
#include "tvault/v1/ledger.pb.h"

namespace tvault {

// Names of the checks, in the order they run and are reported.
constexpr char kCheckIntegrity[] = "integrity";
constexpr char kCheckShape[] = "shape";
constexpr char kCheckThresholds[] = "thresholds";
constexpr char kCheckAttack[] = "attack";
constexpr char kCheckCheckpoints[] = "checkpoints";
constexpr char kCheckStore[] = "store";

// The largest file verify reads from a report folder; a larger one is itself a failure.
constexpr size_t kMaxReportFileBytes = 64u << 20;

// One failed condition. `file` is the folder and file name ("report-2026-03/report.json");
// `table` is "<period>/<name>" and `cell` the cell's labels ("[HR, BA]") when they apply.
struct VerifyFailure {
  std::string file;
  std::string table;
  std::string cell;
  std::string reason;
};

struct VerifyCheck {
  std::string name;
  bool ran = false;                    // false: skipped, `notes` says why
  std::vector<VerifyFailure> failures;
  std::vector<std::string> notes;      // what was checked, and ranges found
  bool passed() const { return ran && failures.empty(); }
};

struct VerifyResult {
  std::vector<VerifyCheck> checks;
  // True when every check that applies ran and none failed. A check that was skipped because
  // an earlier one failed counts as not passed; the store check is absent without a store.
  bool passed() const;
};

// The files of a report folder as read from disk: regular files by name, and the names of
// anything else (sub-folders, links), which a report never holds.
struct ReportFolder {
  std::string dir;
  std::map<std::string, std::string> files;
  std::vector<std::string> other_entries;
};

// Reads every entry of `dir`. kNotFound when it does not exist, kIoError when it cannot be
// read. A file larger than kMaxReportFileBytes is listed in other_entries, not read.
Result<ReportFolder> ReadReportFolder(const std::string& dir);

// Integer tables that report's gate (never a reader) says agree with every published number:
// the true counts of `truth` (the releases as the publication ledger keeps them), and that
// table changed by each of `changes` (the protection's certificates). Nothing here is
// trusted: the base and each change are checked exactly against the attacker's model rebuilt
// from the published files, and one that does not fit is ignored. A point that fits is an
// integer table the attacker cannot rule out, so it proves that a cell's range reaches at
// least its value; when the points already show a suppressed cell's range wide enough for
// the verdict, its LP and integer programs are not solved. They can never make a cell fail.
struct VerifyWitnesses {
  std::vector<const v1::LedgerRelease*> truth;
  std::vector<const v1::LedgerCertificate*> changes;
};

struct VerifyRequest {
  ReportFolder report;
  SignerPublicKey signer;                 // the analyst's key as the auditor holds it
  std::vector<ReportFolder> previous;     // earlier reports, any order
  // Consistency proofs given beside the reports (`tvault log prove`), for pairs of reports
  // whose later one does not embed a proof from the earlier one's checkpoint.
  std::vector<ConsistencyProofData> proofs;
  // The full audit: the store the report was made from, open, and its organisation key.
  // Both or neither. The store is read, never written (no pseudonym is derived).
  Store* store = nullptr;
  const OrgSecretKey* org = nullptr;
  double time_limit_seconds = 600;        // for all the attacker's solves together
  // True when the reports of `previous` already passed this check together (as the ledger's
  // releases did, each when it was published): the parts of the attacker's problem that hold
  // no number of `report` are then not solved again (docs/auditing.md, check 4). An auditor
  // who has not checked them leaves it false.
  bool previous_checked = false;
  // Report's gate only (see VerifyWitnesses); null for an auditor.
  const VerifyWitnesses* witnesses = nullptr;
};

// Runs every check. Returns an error only when verify could not run at all (bad request, a
// solver time limit); every finding about the report is in the result.
Result<VerifyResult> VerifyReport(const VerifyRequest& request);

// The result as a JSON document: {"passed": bool, "checks": [{"name", "ran", "passed",
// "failures": [{"file", "table", "cell", "reason"}], "notes": [...]}]}.
std::string VerifyResultJson(const VerifyResult& result);

}  // namespace tvault

#endif  // TVAULT_VERIFY_H_
