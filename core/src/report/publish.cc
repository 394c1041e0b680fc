// PublishReport: the last gate before anything is written. The rendered folder must pass the
// auditor's own check, stacked with every release the series published, before the ledger
// records it.
#include "report/series.h"
#include "tvault/report.h"
#include "tvault/verify.h"

namespace tvault {
namespace {

// How verify names a folder held only in memory (messages only).
std::string FolderName(const v1::LedgerRelease& r) {
  return (r.kind() == report_internal::kKindRevision ? "revision-" : "release-") + r.month();
}

ReportFolder FolderOf(const std::string& dir, const std::vector<OutputFile>& files) {
  ReportFolder f;
  f.dir = dir;
  for (const OutputFile& o : files) f.files[o.name] = o.bytes;
  return f;
}

}  // namespace

Result<std::vector<OutputFile>> PublishReport(Store& store, const BuiltReport& built,
                                              const SignerSecretKey& signer,
                                              std::vector<std::string>* notes) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<OutputFile> files, RenderReport(built, signer));
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::LedgerRelease> ledger,
                          store.Releases(built.ledger.series()));
  VerifyRequest req;
  req.report = FolderOf(FolderName(built.ledger), files);
  req.signer = signer.public_key();
  for (const v1::LedgerRelease& r : ledger) {
    std::vector<OutputFile> earlier;
    for (const v1::LedgerFile& f : r.files()) earlier.push_back({f.name(), f.bytes()});
    req.previous.push_back(FolderOf(FolderName(r), earlier));
  }
  req.time_limit_seconds = built.manifest.settings().audit_time_limit_seconds();
  // Each earlier release passed this check with the releases before it when it was published.
  req.previous_checked = true;
  // The true counts and the protection's certificates: points the gate checks and then need
  // not search for.
  VerifyWitnesses witnesses;
  witnesses.truth.push_back(&built.ledger);
  for (const v1::LedgerRelease& r : ledger) witnesses.truth.push_back(&r);
  for (const v1::LedgerCertificate& c : built.ledger.certificates()) witnesses.changes.push_back(&c);
  req.witnesses = &witnesses;
  TVAULT_ASSIGN_OR_RETURN(VerifyResult result, VerifyReport(req));
  std::string failures;
  int shown = 0, total = 0;
  for (const VerifyCheck& c : result.checks) {
    if (notes != nullptr && c.ran) {
      notes->push_back("verify --previous (" + std::to_string(ledger.size()) +
                       " earlier releases): " + c.name + " " + (c.passed() ? "passed" : "FAILED"));
    }
    for (const VerifyFailure& f : c.failures) {
      ++total;
      if (shown++ < 10) {
        failures += "\n  " + c.name + ": " + f.file + (f.table.empty() ? "" : " " + f.table) +
                    (f.cell.empty() ? "" : " " + f.cell) + ": " + f.reason;
      }
    }
  }
  if (!result.passed()) {
    return InvalidArgument("the independent check (verify --previous with every earlier "
                           "release of " + built.ledger.series() + ") does not pass, so nothing "
                           "was published or recorded (" + std::to_string(total) +
                           " failures):" + failures);
  }
  v1::LedgerRelease entry = built.ledger;
  for (const OutputFile& f : files) {
    v1::LedgerFile* lf = entry.add_files();
    lf->set_name(f.name);
    lf->set_bytes(f.bytes);
  }
  TVAULT_RETURN_IF_ERROR(store.RecordRelease(entry, built.counted));
  return files;
}

}  // namespace tvault
