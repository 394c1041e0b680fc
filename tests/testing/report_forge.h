// Forging report folders for the tests of `tvault verify`: what a dishonest or careless
// analyst could publish. An honest report is edited (its JSON, a CSV, the HTML) or a small
// report is made from hand-written tables, then rendered and signed again with any key, with
// the manifest's hashes recomputed (or deliberately left stale).
#ifndef TVAULT_TESTS_TESTING_REPORT_FORGE_H_
#define TVAULT_TESTS_TESTING_REPORT_FORGE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tvault/report.h"
#include "tvault/signing.h"
#include "tvault/verify.h"
#include "tvault/v1/report.pb.h"

namespace tvault::testing {

// A report folder in memory: file name -> bytes.
using Folder = std::map<std::string, std::string>;

Folder ToFolder(const std::vector<OutputFile>& files);
// Creates `dir` and writes every file of `folder` into it.
void WriteFolder(const std::string& dir, const Folder& folder);

v1::Report ReportOf(const Folder& folder);
v1::Manifest ManifestOf(const Folder& folder);

// The folder RenderReport makes of `report` with `manifest`'s settings, counts and version
// (its files and signer key id are recomputed), every file signed with `signer`.
Folder Render(const v1::Report& report, const v1::Manifest& manifest,
              const SignerSecretKey& signer);

// After an edit of file `name`: signs it again with `signer`; with `update_manifest`, also
// puts its new SHA-256 into manifest.json and signs that again (otherwise the hash is stale).
void Resign(Folder* folder, const std::string& name, const SignerSecretKey& signer,
            bool update_manifest);

// A table of the catalogue (title, unit, dimensions from it) for `period` ("month" or
// "year_to_date") with threshold `k`: the interior `counts` (rows x cols; one row for a 1-D
// table, `cols` empty), its margins computed, and the cells whose labels are in `suppressed`
// (e.g. {"HR", "BA"}, {"HR", "Total"}, {"Total"}) withheld.
v1::ReportTable MakeTable(const std::string& name, const std::string& period, uint32_t k,
                          const std::vector<std::string>& rows,
                          const std::vector<std::string>& cols,
                          const std::vector<std::vector<uint32_t>>& counts,
                          const std::set<std::vector<std::string>>& suppressed);

// A report of `month` holding `tables`, with a valid log checkpoint and verifier key (taken
// from a real store), and a manifest with the default settings restricted to the catalogue
// tables present.
struct Forged {
  v1::Report report;
  v1::Manifest manifest;
};
Forged MakeReport(const std::string& month, const std::vector<v1::ReportTable>& tables,
                  const std::string& checkpoint, const std::string& verifier_key);

// The check called `name` in `r`, or an empty check named "missing".
inline const VerifyCheck& CheckOf(const VerifyResult& r, const std::string& name) {
  for (const VerifyCheck& c : r.checks) {
    if (c.name == name) return c;
  }
  static const VerifyCheck kMissing{"missing", false, {}, {}};
  return kMissing;
}

// Every failure of a check (or of every check), one a line, for assertion messages.
inline std::string Dump(const VerifyCheck& c) {
  std::string s;
  for (const VerifyFailure& f : c.failures) {
    s += c.name + ": " + f.file + " " + f.table + " " + f.cell + ": " + f.reason + "\n";
  }
  return s;
}
inline std::string Dump(const VerifyResult& r) {
  std::string s;
  for (const VerifyCheck& c : r.checks) s += Dump(c);
  return s;
}

// True when `check` has a failure naming `table` and `cell` whose reason contains `reason`.
inline bool Names(const VerifyCheck& check, const std::string& table, const std::string& cell,
                  const std::string& reason) {
  for (const VerifyFailure& f : check.failures) {
    if (f.table == table && f.cell == cell && f.reason.find(reason) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_REPORT_FORGE_H_
