// tvault verify: the auditor's independent check of a published report (docs/auditing.md).
//
// Unlike every other command, the exit code is the verdict: 0 every check passed, 1 a check
// failed (each failure on stdout: check, file, table, cell, reason), 2 verify could not run
// (bad flags, a missing folder or key, a wrong passphrase, a solver time limit).
#include <iostream>

#include "commands.h"
#include "common.h"
#include "tvault/report.h"
#include "tvault/verify.h"

namespace tvault::cli {
namespace {

constexpr int kVerifyPassed = 0;
constexpr int kVerifyFailed = 1;
constexpr int kVerifyCouldNotRun = 2;
constexpr size_t kMaxProofBytes = 64 << 10;

struct Opts {
  std::string report;
  std::string signer;
  std::vector<std::string> previous;
  std::vector<std::string> proofs;
  bool json = false;
  bool verbose = false;
  StoreFlags store;
  std::string org_secret;
  PassphraseSource org_pass;
  double time_limit = 600;
  bool previous_checked = false;
};

void PrintText(const VerifyResult& r, bool verbose) {
  for (const VerifyCheck& c : r.checks) {
    std::cout << c.name << ": "
              << (!c.ran ? "NOT RUN" : c.failures.empty() ? "pass" : "FAIL") << "\n";
    for (const VerifyFailure& f : c.failures) {
      std::cout << "  FAIL " << f.file;
      if (!f.table.empty()) std::cout << " table " << f.table;
      if (!f.cell.empty()) std::cout << " cell " << f.cell;
      std::cout << ": " << f.reason << "\n";
    }
    // The first notes summarise; the rest (one per suppressed cell) only with --verbose.
    for (size_t i = 0; i < c.notes.size(); ++i) {
      if (verbose || i < 2 || !c.ran) std::cout << "  " << c.notes[i] << "\n";
    }
  }
  std::cout << (r.passed() ? "verify: every check passed\n" : "verify: FAILED\n");
}

int Run(const Opts& o) {
  VerifyRequest req;
  req.signer = CheckInput(o.signer, SignerPublicKey::ReadFile(o.signer));
  req.report = Check(ReadReportFolder(o.report));
  for (const std::string& dir : o.previous) req.previous.push_back(Check(ReadReportFolder(dir)));
  for (const std::string& file : o.proofs) {
    req.proofs.push_back(
        CheckInput(file, ParseConsistencyProof(ReadInputFile(file, kMaxProofBytes))));
  }
  req.time_limit_seconds = o.time_limit;
  req.previous_checked = o.previous_checked;
  StoreRef store;
  std::optional<OrgSecretKey> org;
  if (!o.store.dir.empty() || !o.org_secret.empty()) {
    if (o.store.dir.empty() || o.org_secret.empty()) {
      throw CliError(kVerifyCouldNotRun, "--store and --org-secret go together");
    }
    // Passphrases in a fixed order: store, then organisation key.
    StoreFlags flags = o.store;
    store = OpenStore(flags);
    SecretBytes pass = ReadPassphrase(o.org_pass, "Passphrase for " + o.org_secret + ": ", false);
    org.emplace(CheckInput(o.org_secret, ReadOrgSecretKey(o.org_secret, pass)));
    req.store = store.get();
    req.org = &*org;
  }
  VerifyResult result = Check(VerifyReport(req));
  if (o.json) {
    std::cout << VerifyResultJson(result);
  } else {
    PrintText(result, o.verbose);
  }
  return result.passed() ? kVerifyPassed : kVerifyFailed;
}

}  // namespace

void RegisterVerify(CLI::App& app) {
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Check a published report without trusting the code that made it: signatures and "
      "hashes, shape, thresholds, the attacker's bounds on every suppressed cell, log "
      "checkpoints; with --store, recompute it and scan it for identities (docs/auditing.md). "
      "Exit 0 all pass, 1 a check failed, 2 could not run. Passphrases: store, then "
      "--org-secret");
  cmd->add_option("report", opts->report, "The report folder")->required();
  cmd->add_option("--signer", opts->signer, "The analyst's public key (minisign .pub)")
      ->required();
  cmd->add_option("--previous", opts->previous,
                  "An earlier report folder of the same network (repeatable): its tables join "
                  "the attacker's model");
  cmd->add_option("--proof", opts->proofs,
                  "A consistency proof (`tvault log prove`) linking the logs of two of the "
                  "reports, for a report that does not embed it (repeatable)");
  cmd->add_flag("--json", opts->json, "Print the results as one JSON document");
  cmd->add_flag("--verbose", opts->verbose, "Print the attacker's range of every suppressed cell");
  cmd->add_option("--store", opts->store.dir, "Full audit: the store the report was made from");
  cmd->add_option("--passphrase-fd", opts->store.pass.fd,
                  "Read the store passphrase from this file descriptor");
  cmd->add_option("--org-secret", opts->org_secret,
                  "Full audit: the organisation secret key (opens identities to scan for)");
  cmd->add_option("--org-passphrase-fd", opts->org_pass.fd,
                  "Read the passphrase of --org-secret from this file descriptor");
  cmd->add_option("--time-limit", opts->time_limit,
                  "Seconds for all the attacker's solves (default 600); running out is exit 2")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_flag("--previous-checked", opts->previous_checked,
                "The --previous releases were each checked already, with the ones before them "
                "(as each release is when published): solve only the parts of the attacker's "
                "problem that hold a number of REPORT, and judge an integer program past 20 s on "
                "its LP bound (docs/auditing.md). Without it every part is solved exactly");
  cmd->callback([opts]() {
    int rc = kVerifyCouldNotRun;
    try {
      rc = Run(*opts);
    } catch (const CliError& e) {
      throw CliError(kVerifyCouldNotRun, e.what());
    }
    if (rc != kVerifyPassed) throw CliError(rc, "verify: the report failed a check");
  });
}

}  // namespace tvault::cli
