// Shared by the files of core/src/verify/: a report folder once its JSON files are parsed,
// and one function per check. Each check appends to a VerifyCheck and never stops at the
// first failure, so the auditor sees every problem at once.
#ifndef TVAULT_VERIFY_VERIFY_INTERNAL_H_
#define TVAULT_VERIFY_VERIFY_INTERNAL_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/report_internal.h"
#include "tvault/keys.h"
#include "tvault/signing.h"
#include "tvault/store.h"
#include "tvault/v1/ledger.pb.h"
#include "tvault/v1/report.pb.h"
#include "tvault/verify.h"

namespace tvault::verify_internal {

// A report folder with report.json and manifest.json parsed (strictly: unknown fields are
// refused). `parsed` is false when either does not parse; the reason is then a failure of the
// check that tried.
struct Parsed {
  const ReportFolder* folder = nullptr;
  bool parsed = false;
  v1::Report report;
  v1::Manifest manifest;
  std::string Name(const std::string& file) const;  // "<dir>/<file>"
};

// Parses report.json and manifest.json of `folder` into `out`, adding a failure to `check`
// for each that is missing or does not parse.
void ParseFolder(const ReportFolder& folder, Parsed* out, VerifyCheck* check);

// The canonical JSON form and file hashes are the report's own (formatting, not protection).
using report_internal::CanonicalJson;
using report_internal::CanonicalJsonV1;
using report_internal::HexSha256;

// "month/people_by_route", and "[HR, BA]".
std::string TableName(const v1::ReportTable& t);
std::string CellName(const v1::ReportCell& c);

// The checks. `p.parsed` is a precondition of all but CheckIntegrity.
void CheckIntegrity(const Parsed& p, const SignerPublicKey& key, VerifyCheck* check);
void CheckShape(const Parsed& p, VerifyCheck* check);
void CheckThresholds(const Parsed& p, VerifyCheck* check);
// `current` first, then the previous reports. `true_values` (cell key -> true count, from the
// store) makes the protection verdict exact; without it the verdict is value-free.
// `skip_settled`: see AttackModel (model.h).
Status CheckAttack(const std::vector<const Parsed*>& reports,
                   const std::map<std::string, int64_t>* true_values, double time_limit_seconds,
                   bool skip_settled, const VerifyWitnesses* witnesses, VerifyCheck* check);
// `proofs` are the consistency proofs given beside the reports (VerifyRequest::proofs).
void CheckCheckpoints(const std::vector<const Parsed*>& reports,
                      const std::vector<ConsistencyProofData>& proofs, Store* store,
                      VerifyCheck* check);
// Checks the report against the store and scans every file for identities, narratives and
// pseudonyms. A release (basis "release") must be the ledger's copy, file for file; a report
// made before the release basis is recomputed. Fills `true_values` with the true count of
// every cell of every period of the report's year (for CheckAttack): from the ledger's
// releases of the year for a release, recounted otherwise.
Status CheckStore(const Parsed& p, Store& store, const OrgSecretKey& org,
                  std::map<std::string, int64_t>* true_values, VerifyCheck* check);

// The true count of every cell (margins included) of every month and year to date of the
// year of `month`, recounted from the store with `settings` (truth.cc). Cells labelled "other"
// are left out except for `month` itself, whose categories are the report's.
Status TrueCounts(Store& store, const std::string& month, const v1::ReportSettings& settings,
                  std::map<std::string, int64_t>* out);

// The true count of every cell of every table of `release` (its month and year-to-date
// tables, or its revision and the revision's hidden tables), as the publication ledger holds
// them. kDamaged when a table's values do not fit its categories.
Status LedgerTrueCounts(const v1::LedgerRelease& release, std::map<std::string, int64_t>* out);
// The labels of every cell of a ledger table, in the ledger's (published) cell order.
std::vector<std::vector<std::string>> LedgerCellLabels(const v1::LedgerTable& t);

// Compares every file of the folder of release `p` (basis "release") with the copy in the
// store's publication ledger of the release of the same month and kind: byte for byte, none
// missing, none extra. Sets `*found` to that release (a copy) when the ledger holds it.
Status CheckLedgerCopy(const Parsed& p, Store& store, v1::LedgerRelease* found,
                       VerifyCheck* check);

// The key of a cell in the attacker's model: "<period>|<table>|<label>|<label>", where the
// period is "2026-03" for a month (or a release's own tables), "2026-01..2026-03" for a year
// to date, "2026 revision" for a revision, and "2026 revision kept" (or "added", "removed")
// for a revision's unpublished linking tables: the periods of the publication ledger's tables.
std::string CellKey(const std::string& period, const std::string& table,
                    const std::vector<std::string>& labels);

// The period of a table of `report`: its month, "<year>-01..<month>", or "<year> revision";
// "" for trend tables.
std::string PeriodOf(const v1::Report& report, const v1::ReportTable& t);

}  // namespace tvault::verify_internal

#endif  // TVAULT_VERIFY_VERIFY_INTERNAL_H_
