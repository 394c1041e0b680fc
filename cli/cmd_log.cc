// tvault log: the store's tamper-evident audit log (no identities, narratives or passphrases
// in it). show, verify, checkpoint, key, prove, and the offline check-proof for auditors.
#include <cctype>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/audit.h"

namespace tvault::cli {
namespace {

constexpr size_t kMaxNoteBytes = 64 << 10;

// Trust entries written before key ids were logged in the minisign form hold the 8 key-id
// bytes as 16 lower-case hex digits; shown as minisign prints the key id (the bytes as a
// little-endian number, upper case, no leading zeros), like every other key id.
std::string DisplayRecordId(const AuditEntry& e) {
  const std::string& id = e.record_id;
  if (e.action.compare(0, 6, "trust-") != 0 || id.size() != 16 ||
      id.find_first_not_of("0123456789abcdef") != std::string::npos ||
      id.find_first_of("abcdef") == std::string::npos) {
    return id;
  }
  std::string out;
  for (size_t i = 16; i >= 2; i -= 2) out += id.substr(i - 2, 2);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const size_t first = out.find_first_not_of('0');
  return first == std::string::npos ? "0" : out.substr(first);
}

void RegisterShow(CLI::App* log) {
  struct Opts {
    StoreFlags store;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = log->add_subcommand("show", "List every audit-log entry");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_flag("--json", opts->json, "One JSON object per line");
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(opts->store);
    for (const AuditEntry& e : Check(store->AuditLog())) {
      if (opts->json) {
        std::cout << "{\"seq\":" << e.seq << ",\"time\":" << JsonEscape(e.time)
                  << ",\"actor\":" << JsonEscape(e.actor) << ",\"action\":" << JsonEscape(e.action)
                  << ",\"record_id\":" << JsonEscape(DisplayRecordId(e))
                  << ",\"record_version\":" << e.record_version
                  << ",\"content_hash\":" << JsonEscape(e.content_hash) << "}\n";
        continue;
      }
      std::string record =
          e.record_id.empty() ? "" : DisplayRecordId(e) + " v" + std::to_string(e.record_version);
      std::printf("%6llu %s %-10s %-18s %s\n", static_cast<unsigned long long>(e.seq),
                  e.time.c_str(), e.actor.c_str(), e.action.c_str(), record.c_str());
    }
  });
}

void RegisterVerify(CLI::App* log) {
  struct Opts {
    StoreFlags store;
    std::vector<std::string> checkpoints;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = log->add_subcommand(
      "verify",
      "Recompute the log's Merkle tree and check every stored checkpoint, and each checkpoint "
      "given with --checkpoint (e.g. from an earlier bundle or report): exit 0 when intact, 5 "
      "when anything was altered, removed, reordered or rolled back (each problem named)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--checkpoint", opts->checkpoints,
                  "A signed checkpoint file of this store to check against (repeatable)");
  cmd->callback([opts]() {
    std::vector<std::string> notes;
    for (const std::string& path : opts->checkpoints) notes.push_back(ReadInputFile(path, kMaxNoteBytes));
    StoreRef store = OpenStoreForReading(opts->store);
    std::vector<std::string> problems = Check(store->VerifyLog(notes));
    const size_t entries = Check(store->AuditLog()).size();
    if (problems.empty()) {
      std::cout << "audit log intact: " << entries << " entries, every checkpoint matches\n";
      return;
    }
    for (const std::string& p : problems) std::cout << "FAIL " << p << "\n";
    throw CliError(kExitDamaged, "audit log check failed: " + std::to_string(problems.size()) +
                                     " problem(s)");
  });
}

void RegisterCheckpoint(CLI::App* log) {
  auto opts = std::make_shared<StoreFlags>();
  CLI::App* cmd = log->add_subcommand(
      "checkpoint", "Print the latest signed checkpoint (C2SP signed note) of the audit log");
  AddStoreFlags(cmd, opts.get());
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(*opts);
    std::cout << Check(store->LatestCheckpoint());
  });
}

void RegisterKey(CLI::App* log) {
  auto opts = std::make_shared<StoreFlags>();
  CLI::App* cmd = log->add_subcommand(
      "key", "Print the store's checkpoint verifier key (C2SP signed-note verifier key)");
  AddStoreFlags(cmd, opts.get());
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(*opts);
    std::cout << store->LogVerifierKey() << "\n";
  });
}

void RegisterProve(CLI::App* log) {
  struct Opts {
    StoreFlags store;
    std::string from, to;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = log->add_subcommand(
      "prove",
      "Print a consistency proof from an earlier checkpoint of this store to now, or to a "
      "later checkpoint (--to)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("--from", opts->from, "The earlier signed checkpoint file")->required();
  cmd->add_option("--to", opts->to,
                  "The later signed checkpoint file (default: the log as it is now)");
  cmd->callback([opts]() {
    std::string note = ReadInputFile(opts->from, kMaxNoteBytes);
    std::string to = opts->to.empty() ? "" : ReadInputFile(opts->to, kMaxNoteBytes);
    StoreRef store = OpenStoreForReading(opts->store);
    std::cout << FormatConsistencyProof(Check(store->ProveLog(note, to)));
  });
}

void RegisterCheckProof(CLI::App* log) {
  struct Opts {
    std::string key, old_cp, new_cp, proof;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = log->add_subcommand(
      "check-proof",
      "Offline, without the store: check that the log at --new extends the log at --old");
  cmd->add_option("--key", opts->key, "The store's verifier key (from `tvault log key`)")->required();
  cmd->add_option("--old", opts->old_cp, "The earlier checkpoint file")->required();
  cmd->add_option("--new", opts->new_cp, "The later checkpoint file")->required();
  cmd->add_option("--proof", opts->proof, "The proof file (from `tvault log prove`)")->required();
  cmd->callback([opts]() {
    Checkpoint older = Check(VerifyCheckpointNote(ReadInputFile(opts->old_cp, kMaxNoteBytes), opts->key));
    Checkpoint newer = Check(VerifyCheckpointNote(ReadInputFile(opts->new_cp, kMaxNoteBytes), opts->key));
    ConsistencyProofData proof = Check(ParseConsistencyProof(ReadInputFile(opts->proof, kMaxNoteBytes)));
    Check(VerifyConsistencyProof(older, newer, proof));
    std::cout << "consistent: the log of " << newer.size << " entries extends the log of "
              << older.size << " entries\n";
  });
}

void RegisterReceived(CLI::App* log) {
  struct Opts {
    StoreFlags store;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = log->add_subcommand(
      "received",
      "List the audit-log checkpoints of other stores that arrived in imported bundles (check a "
      "monitor's device against them with `log verify --checkpoint`)");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_flag("--json", opts->json,
                "One JSON object per line, with the signed note and its verifier key");
  cmd->callback([opts]() {
    StoreRef store = OpenStoreForReading(opts->store);
    for (const ReceivedCheckpoint& c : Check(store->ReceivedCheckpoints())) {
      if (opts->json) {
        std::cout << "{\"origin\":" << JsonEscape(c.origin) << ",\"size\":" << c.size
                  << ",\"signer\":" << JsonEscape(c.signer)
                  << ",\"received_at\":" << JsonEscape(c.received_at)
                  << ",\"verifier_key\":" << JsonEscape(c.verifier_key)
                  << ",\"note\":" << JsonEscape(c.note) << "}\n";
        continue;
      }
      std::printf("%s %8llu  signer %s  received %s\n", c.origin.c_str(),
                  static_cast<unsigned long long>(c.size), c.signer.c_str(),
                  c.received_at.c_str());
    }
  });
}

}  // namespace

void RegisterLog(CLI::App& app) {
  CLI::App* log = app.add_subcommand("log", "The store's tamper-evident audit log");
  log->require_subcommand(1);
  RegisterShow(log);
  RegisterVerify(log);
  RegisterCheckpoint(log);
  RegisterKey(log);
  RegisterProve(log);
  RegisterCheckProof(log);
  RegisterReceived(log);
}

}  // namespace tvault::cli
