// tvault report: one release of the year's series (docs/methodology.md): protected aggregate
// tables of what this release counts first and of the year to date (or, with --revision, the
// year's annual revision), self-audited, checked as `verify --previous` would with every
// earlier release of the ledger, recorded in the ledger, written to a new folder and signed.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "tvault/report.h"
#include "tvault/signing.h"

namespace tvault::cli {
namespace {

constexpr size_t kMaxSettingsBytes = 1 << 20;

struct Opts {
  StoreFlags store;
  std::string org_secret;
  std::string sign;
  std::string month;
  std::string revision;
  std::string out;
  std::string settings_file;
  uint32_t k_people = 0;
  uint32_t k_testimonies = 0;
  std::vector<std::string> tables;
  PassphraseSource org_pass;
  PassphraseSource sign_pass;
  bool timings = false;
  std::string lang = "en";
};

void Run(const Opts& o) {
  // Refuse a month still under way (or to come), and an unusable --out, before asking for
  // anything; BuildReport and WriteReportFolder check again.
  if (o.revision.empty()) {
    Check(CheckReportMonth(o.month));
  }
  if (!IsReportLanguage(o.lang)) {
    throw CliError(kExitUsage, "--lang: \"" + o.lang + "\" is not a language of the report's "
                               "labels (" + ReportLanguages() + ")");
  }
  Check(CheckReportFolder(o.out));
  v1::ReportSettings settings;
  if (!o.settings_file.empty()) {
    settings = CheckInput(o.settings_file,
                          ParseReportSettingsJson(ReadInputFile(o.settings_file,
                                                                kMaxSettingsBytes),
                                                  "settings"));
  }
  if (o.k_people != 0) settings.mutable_people()->set_k(o.k_people);
  if (o.k_testimonies != 0) settings.mutable_testimonies()->set_k(o.k_testimonies);
  for (const std::string& t : o.tables) settings.add_tables(t);
  settings = Check(CompleteReportSettings(std::move(settings)));

  // Passphrases in a fixed order (store, organisation key, signing key), so that one
  // descriptor can carry all three lines.
  std::vector<StageTime> timings;
  StageClock clock;
  if (!o.org_secret.empty()) RequireInputFile(o.org_secret);
  if (!o.sign.empty()) RequireInputFile(o.sign);
  StoreFlags store_flags = o.store;
  StoreRef store = OpenStore(store_flags);
  clock.Lap("open store", &timings);
  SecretBytes org_pass =
      ReadPassphrase(o.org_pass, "Passphrase for " + o.org_secret + ": ", false);
  OrgSecretKey org = CheckInput(o.org_secret, ReadOrgSecretKey(o.org_secret, org_pass));
  SecretBytes sign_pass = ReadPassphrase(o.sign_pass, "Passphrase for " + o.sign + ": ", false);
  SignerSecretKey signer = CheckInput(o.sign, ReadSignerSecretKey(o.sign, sign_pass));
  clock.Lap("unlock keys", &timings);

  ReportRequest request;
  request.month = o.month;
  if (!o.revision.empty()) {
    if (o.revision.size() != 4 || o.revision.find_first_not_of("0123456789") != std::string::npos) {
      throw CliError(kExitUsage, "--revision: \"" + o.revision + "\" is not a year (YYYY)");
    }
    request.month = o.revision + "-01";
    request.revision = true;
  }
  request.settings = settings;
  request.language = o.lang;
  if (StderrIsTerminal()) {
    request.progress = [](const std::string& line) { std::cerr << "report: " << line << "\n"; };
  }
  clock.Restart();
  BuiltReport built = Check(BuildReport(*store, org, request));
  timings.insert(timings.end(), built.timings.begin(), built.timings.end());
  clock.Restart();
  std::vector<std::string> checks;
  std::vector<OutputFile> files = Check(PublishReport(*store, built, signer, &checks));
  clock.Lap("render+verify+record", &timings);
  Check(WriteReportFolder(o.out, files));
  clock.Lap("write", &timings);
  if (o.timings) PrintTimings(timings);
  if (built.counted.empty() && !request.revision) {
    std::cerr << "report: no testimony was counted in the release of " << built.report.month()
              << ": none of the year up to this month reached the store since the last "
                 "release; its own tables are all 0 (report.html says so)\n";
  }
  for (const std::string& line : built.audit_lines) std::cerr << line << "\n";
  for (const std::string& line : checks) std::cerr << line << "\n";
  const v1::Manifest& m = built.manifest;
  const ReleaseUtility& u = built.utility;
  std::cout << "wrote " << o.out << ": " << files.size() / 2 << " signed files; the "
            << built.report.kind() << " release of " << built.report.month()
            << " is recorded in the ledger; cells published " << m.cells_published()
            << ", suppressed " << m.cells_suppressed() << "; of the "
            << (request.revision ? "revision" : "release's own") << " tables "
            << u.testimonies_published << " of " << u.testimonies << " testimonies and "
            << u.people_published << " of " << u.people << " people in published cells\n";
}

}  // namespace

void RegisterReport(CLI::App& app) {
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Make the monthly report: tables for the month and the year to date, protected by cell "
      "suppression, self-audited, signed (docs/methodology.md). Passphrases are read in this "
      "order: store, --org-secret, --sign; one descriptor may carry all three lines");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--org-secret", opts->org_secret,
                  "The organisation secret key (org.key): derives the pseudonyms that count "
                  "each person once")
      ->required();
  cmd->add_option("--sign", opts->sign, "The analyst's signing key (from keys new-signer)")
      ->required();
  auto* month = cmd->add_option(
      "--month", opts->month,
      "The month of the release, YYYY-MM: it counts every testimony of the year up to this "
      "month that no earlier release counted, and must come after the ledger's last release");
  auto* revision = cmd->add_option(
      "--revision", opts->revision,
      "Instead of a monthly release, the annual revision of this year (YYYY): the year's "
      "records as they stand now (corrections, deletions, late arrivals), protected with every "
      "release of the year; it closes the year");
  month->excludes(revision);
  cmd->callback([opts, month, revision]() {
    if (month->count() == 0 && revision->count() == 0) {
      throw CliError(kExitUsage, "give --month YYYY-MM (a monthly release) or --revision YYYY");
    }
    Run(*opts);
  });
  cmd->add_option("--out", opts->out, "The folder to create (must not exist, or be empty)")
      ->required();
  cmd->add_option("--settings", opts->settings_file,
                  "A settings file (JSON, docs/methodology.md); flags below override it");
  cmd->add_option("--k-people", opts->k_people, "Threshold k of tables of people (default 5)")
      ->check(CLI::Range(1u, 1000u));
  cmd->add_option("--k-testimonies", opts->k_testimonies,
                  "Threshold k of tables of testimonies (default 3)")
      ->check(CLI::Range(1u, 1000u));
  cmd->add_option("--table", opts->tables, "Publish only this table (repeatable; default all)");
  cmd->add_option("--org-passphrase-fd", opts->org_pass.fd,
                  "Read the passphrase of --org-secret from this file descriptor");
  cmd->add_option("--sign-passphrase-fd", opts->sign_pass.fd,
                  "Read the passphrase of --sign from this file descriptor");
  cmd->add_option("--lang", opts->lang,
                  "The language of report.html's labels, ISO 639-1: " + ReportLanguages() +
                      " (default en; the CSV and JSON files are the same in every language)");
  cmd->add_flag("--timings", opts->timings,
               "Print the time of each stage on standard error (docs/performance.md)");
}

}  // namespace tvault::cli
