// The monthly report: protected aggregate statistics computed from the store, safe to publish.
//
// BuildReport runs the pipeline of docs/methodology.md: select the year's latest versions,
// pseudonymise (once per version, kept in the store), generalise, aggregate into linked
// tables for the month and the year to date, protect them by primary and secondary cell
// suppression against an attacker who holds every report of the year, and audit the result
// independently; it refuses to return anything the audit does not pass. RenderReport turns it
// into the published files, each signed with a minisign key. Same store, same settings, same
// month: byte-identical files.
#ifndef TVAULT_REPORT_H_
#define TVAULT_REPORT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/keys.h"
#include "tvault/signing.h"
#include "tvault/status.h"
#include "tvault/store.h"
#include "tvault/timing.h"
#include "tvault/v1/report.pb.h"

namespace tvault {

// The format of the report folder (docs/formats.md, "Report folder"), written into
// report.json and manifest.json. Format 2 (issue 16): CSV files named for the release and in
// tidy long form, report.html for readers in the manifest's language, Report.facilities and
// Manifest.language. Releases of format 1 stay in ledgers and in readers' hands, and the
// later releases of their series are checked with them: verify checks a folder of either
// format by that format's rules; report writes format 2 only.
constexpr char kReportFormat[] = "tvault-report/2";
constexpr char kManifestFormat[] = "tvault-report-manifest/2";
constexpr char kReportFormatV1[] = "tvault-report/1";
constexpr char kManifestFormatV1[] = "tvault-report-manifest/1";
constexpr char kReportJsonFile[] = "report.json";
constexpr char kReportHtmlFile[] = "report.html";
constexpr char kManifestFile[] = "manifest.json";
constexpr char kSignatureSuffix[] = ".minisig";
// How a suppressed cell appears in CSV and HTML (JSON: "suppressed": true and no count).
constexpr char kSuppressedMarker[] = "suppressed";

// The defaults of docs/methodology.md: people k = 5, testimonies k = 3, nationalities with
// fewer than 10 people in the year folded into "other", all tables, cost "value".
v1::ReportSettings DefaultReportSettings();

// Checks every field (naming the one at fault) and fills the defaults of unset ones: a zero
// threshold, budget or empty cost takes its default; `tables` must name catalogue tables.
Result<v1::ReportSettings> CompleteReportSettings(v1::ReportSettings settings);

// Parses a settings file (protobuf JSON mapping of ReportSettings) and completes it.
Result<v1::ReportSettings> ParseReportSettingsJson(std::string_view json,
                                                   const std::string& file_name);

// OK when `month` is a month (YYYY-MM) that has ended (UTC); kInvalidArgument otherwise: a
// release of a month still under way would be published as if complete, and one of a month
// to come would say "0 testimonies".
Status CheckReportMonth(const std::string& month);

// The languages report.html can be written in, as `--lang` takes them: "en, fr, ar".
std::string ReportLanguages();
bool IsReportLanguage(const std::string& code);

struct ReportRequest {
  // YYYY-MM: the month of the release. With `revision`, any month of the year to revise.
  std::string month;
  // The year's annual revision instead of a monthly release (docs/methodology.md, section 5):
  // the year's records as they stand now, linked to the last release of the year. It closes
  // the year's series.
  bool revision = false;
  v1::ReportSettings settings;    // completed
  // The language of report.html's labels (`--lang`, ISO 639-1): "en" (default), "fr", "ar";
  // ReportLanguages() lists them. Recorded in the manifest; kInvalidArgument for another.
  std::string language = "en";
  // Called with a short line at each stage and month; may be empty.
  std::function<void(const std::string&)> progress;
};

// How much of a release stays published (docs/performance.md): cells of its published tables
// (all, and those whose true count is not 0), and the people and testimonies of the interior
// cells of its own route tables.
struct ReleaseUtility {
  uint64_t cells = 0, cells_published = 0;
  uint64_t nonzero_cells = 0, nonzero_cells_published = 0;
  uint64_t people = 0, people_published = 0;
  uint64_t testimonies = 0, testimonies_published = 0;
};

// The utility of a release as the ledger holds it: its published tables (month and year to
// date, or revision), and its own route tables (month, or revision) for people and testimonies.
ReleaseUtility UtilityOf(const v1::LedgerRelease& release);

struct BuiltReport {
  v1::Report report;
  v1::Manifest manifest;          // everything but `files` and `signer_key_id`
  std::vector<std::string> audit_lines;  // one per stage of the self-audit, for the terminal
  // Time of each stage, in order: "pseudonymise", "scan+aggregate" (read, decrypt and parse
  // the year's records, generalise and count every table), "protect", "self-audit",
  // "describe". Informative only (docs/performance.md).
  std::vector<StageTime> timings;
  // What the publication ledger keeps of this release (PublishReport adds the files), and the
  // records it counts first.
  v1::LedgerRelease ledger;
  std::vector<CountedRecord> counted;
  ReleaseUtility utility;
};

// REQUIRES: `org` is the organisation key of `store`. Derives missing pseudonyms first (which
// writes to the store and its audit log). The earlier releases of the year are read from the
// store's publication ledger, never recomputed; the release must come after the last one
// (kAlreadyExists otherwise), keep the series' settings, and not follow the year's revision
// (kInvalidArgument). kInvalidArgument names a cell when the self-audit fails, and nothing is
// returned; kInvalidArgument also for a month that has not ended (CheckReportMonth). Writes
// nothing but pseudonyms: PublishReport records the release.
Result<BuiltReport> BuildReport(Store& store, const OrgSecretKey& org,
                                const ReportRequest& request);

struct OutputFile {
  std::string name;
  std::string bytes;
};

// Renders `built` and signs it, then runs the auditor's independent check (VerifyReport,
// verify.h) on the rendered folder stacked with every earlier release of the series as the
// ledger holds it; only when it passes, records the release in the ledger with its files and
// the records it counted, and appends its "report" audit entry, in one transaction. Returns
// the files to write (WriteReportFolder). kInvalidArgument listing the failures when the
// check does not pass; the store is then unchanged. `notes`, when given, receives one line
// per check that ran.
Result<std::vector<OutputFile>> PublishReport(Store& store, const BuiltReport& built,
                                              const SignerSecretKey& signer,
                                              std::vector<std::string>* notes = nullptr);

// report.json, one CSV per table, report.html, manifest.json (with the SHA-256 of every other
// data file), and "<name>.minisig" for each of them. Deterministic for a given input and key.
Result<std::vector<OutputFile>> RenderReport(const BuiltReport& built,
                                             const SignerSecretKey& signer);

// OK when `dir` does not exist or is an empty folder; kAlreadyExists when it is a file or a
// folder with anything in it (a report is never mixed with another); kIoError when it cannot
// be read. Lets a caller refuse before any expensive work; WriteReportFolder checks again.
Status CheckReportFolder(const std::string& dir);

// Creates `dir` (CheckReportFolder must pass) and writes the files, each fsynced.
Status WriteReportFolder(const std::string& dir, const std::vector<OutputFile>& files);

}  // namespace tvault

#endif  // TVAULT_REPORT_H_
