// tvault bundle export | import: testimonies travel between devices as signed, encrypted
// files (docs/bundles.md; format in docs/formats.md, "Bundle").
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/bundle.h"
#include "tvault/keys.h"
#include "tvault/signing.h"

namespace tvault::cli {
namespace {

void RegisterExport(CLI::App* bundle) {
  struct Opts {
    StoreFlags store;
    std::string to, sign, out;
    bool all = false;
    uint64_t max_attachment_bytes = kDefaultBundleMaxTotalAttachmentBytes;
    PassphraseSource key_pass;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = bundle->add_subcommand(
      "export",
      "Write every record version and tombstone not yet exported (or all with --all) to a new "
      "bundle: encrypted to the organisation key, signed with your signer key. The passphrase "
      "of the store is read first, then that of the signer key");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--to", opts->to,
                  "The organisation public key file (org.pub); default: the store's own");
  cmd->add_option("--sign", opts->sign, "Your signer key (from `tvault keys new-signer`)")
      ->required();
  cmd->add_option("-o,--out", opts->out, "The bundle file to create (never overwritten)")
      ->required();
  cmd->add_flag("--all", opts->all, "Include versions already exported in earlier bundles");
  cmd->add_option("--max-attachment-bytes", opts->max_attachment_bytes,
                  "Carry attachment files only while their sizes add up to at most this many "
                  "bytes; the others wait for the next bundle (default 4 GiB)");
  cmd->add_option("--key-passphrase-fd", opts->key_pass.fd,
                  "Read the signer key's passphrase from this file descriptor");
  cmd->callback([opts]() {
    RequireInputFile(opts->sign);
    if (!opts->to.empty()) RequireInputFile(opts->to);
    RequireNewFile(opts->out);
    StoreRef store = OpenStore(opts->store);
    OrgPublicKey to = opts->to.empty() ? store->org_key()
                                       : CheckInput(opts->to, ReadOrgPublicKey(opts->to));
    SecretBytes pass = ReadPassphrase(opts->key_pass, "Passphrase for " + opts->sign + ": ", false);
    SignerSecretKey signer = Check(ReadSignerSecretKey(opts->sign, pass));
    BundleExportOptions options;
    options.all = opts->all;
    options.max_attachment_bytes = opts->max_attachment_bytes;
    BundleExportResult r = Check(store->ExportBundle(opts->out, to, signer, options));
    std::cout << "wrote " << opts->out << ": " << r.record_versions << " record version(s), "
              << r.tombstones << " of them tombstone(s), " << r.attachments
              << " attachment(s) (" << r.attachment_bytes << " bytes sealed), " << r.bytes
              << " bytes, for " << to.Fingerprint() << "\n";
    if (r.attachments_left > 0) {
      std::cout << r.attachments_left << " attachment(s) did not fit --max-attachment-bytes and "
                << "wait for the next bundle\n";
    }
  });
}

// One line on stderr, redrawn in place; only ever drawn on a terminal.
class Progress {
 public:
  explicit Progress(std::string file) : file_(std::move(file)), on_(StderrIsTerminal()) {}
  ~Progress() { Clear(); }
  void Update(const char* phase, uint64_t done, uint64_t total) {
    if (!on_) return;
    std::fprintf(stderr, "\r\033[K%s: %s %llu/%llu", file_.c_str(), phase,
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
    std::fflush(stderr);
    drawn_ = true;
  }
  void Clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }

 private:
  std::string file_;
  bool on_;
  bool drawn_ = false;
};

void RegisterImport(CLI::App* bundle) {
  struct Opts {
    StoreFlags store;
    std::string org_secret;
    std::vector<std::string> files;
    PassphraseSource key_pass;
    bool timings = false;
    BundleLimits limits;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = bundle->add_subcommand(
      "import",
      "Import bundles signed by trusted monitors (`tvault trust add`). Each file is verified "
      "whole before the store is touched, then applied in one transaction; a rejected file "
      "changes nothing and the others are still imported. Prints one line per file. The "
      "passphrase of the store is read first, then that of the organisation secret key");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--org-secret", opts->org_secret, "The organisation secret key file (org.key)")
      ->required();
  cmd->add_option("--key-passphrase-fd", opts->key_pass.fd,
                  "Read the organisation key's passphrase from this file descriptor");
  cmd->add_option("files", opts->files, "Bundle files")->required();
  cmd->add_option("--max-attachment-size", opts->limits.max_attachment_bytes,
                  "Reject a bundle with an attachment larger than this many bytes (sealed; "
                  "default 1 GiB)");
  cmd->add_option("--max-attachments-total", opts->limits.max_total_attachment_bytes,
                  "Reject a bundle whose attachments add up to more than this many bytes "
                  "(default 4 GiB)");
  cmd->add_flag("--timings", opts->timings,
                "Print the time of each stage on standard error (docs/performance.md)");
  cmd->callback([opts]() {
    // Every input is checked before any passphrase is asked.
    RequireInputFile(opts->org_secret);
    for (const std::string& file : opts->files) RequireInputFile(file);
    std::vector<StageTime> timings;
    StageClock clock;
    StoreRef store = OpenStore(opts->store);
    clock.Lap("open store", &timings);
    SecretBytes pass =
        ReadPassphrase(opts->key_pass, "Passphrase for " + opts->org_secret + ": ", false);
    OrgSecretKey org = Check(ReadOrgSecretKey(opts->org_secret, pass));
    clock.Lap("unlock key", &timings);
    int first_error = kExitOk;
    size_t rejected = 0;
    uint64_t added = 0;
    for (const std::string& file : opts->files) {
      Progress progress(file);
      bool applying = false;
      auto r = store->ImportBundle(file, org, [&](const char* phase, uint64_t done,
                                                  uint64_t total) {
        // The first "import" report ends the verification pass.
        if (!applying && std::strcmp(phase, "import") == 0) {
          applying = true;
          clock.Lap(file + ": verify", &timings);
        }
        progress.Update(phase, done, total);
      }, opts->limits);
      progress.Clear();
      clock.Lap(file + (applying ? ": apply" : ": verify"), &timings);
      if (!r.ok()) {
        ++rejected;
        if (first_error == kExitOk) first_error = ExitCodeFor(r.status().code());
        std::cout << file << ": rejected: " << r.status().message() << "\n";
        continue;
      }
      added += r->versions_added;
      std::cout << file << ": new " << r->new_records << ", updated " << r->updated
                << ", unchanged " << r->unchanged << ", conflicting " << r->conflicting
                << " (signed by " << r->signer_name << ", " << r->record_versions
                << " record version(s), " << r->versions_added << " added; attachments: "
                << r->attachments_added << " added, " << r->attachments_detached
                << " detached)\n";
      for (const std::string& f : r->facilities_added) {
        std::cout << file << ": facility " << f << " added to the registry\n";
      }
      for (const std::string& d : r->facility_differences) {
        // The names come from a signed but possibly hostile bundle: no terminal codes.
        std::cout << file << ": facility differs, this store's entry is kept: "
                  << TerminalSafe(d) << "\n";
      }
      if (r->attachments_skipped > 0) {
        std::cout << file << ": " << r->attachments_skipped << " detach(es) of attachments "
                  << "this store never received (their files went in an earlier bundle)\n";
      }
      if (r->signer_bound) {
        // First use: from now on this signer's bundles must come from this store and key.
        std::cout << file << ": " << r->signer_name << " is now bound to store "
                  << r->source_store << " (audit-log key " << r->source_log_key
                  << "); check it with the monitor (`tvault log key` on their device)\n";
      }
    }
    // The organisation key is at hand now: derive the pseudonyms of the new versions once, so
    // that reports need not unseal identities again (Store::DerivePseudonyms).
    if (added > 0) {
      uint64_t derived = Check(store->DerivePseudonyms(org));
      std::cout << "derived " << derived << " pseudonym(s)\n";
      clock.Lap("derive pseudonyms", &timings);
    }
    if (opts->timings) PrintTimings(timings);
    if (rejected > 0) {
      throw CliError(first_error, std::to_string(rejected) + " of " +
                                      std::to_string(opts->files.size()) +
                                      " bundle(s) rejected; the store is unchanged by them");
    }
  });
}

}  // namespace

void RegisterBundle(CLI::App& app) {
  CLI::App* bundle = app.add_subcommand("bundle", "Export and import bundles of testimonies");
  bundle->require_subcommand(1);
  RegisterExport(bundle);
  RegisterImport(bundle);
}

}  // namespace tvault::cli
