#include "store/audit_log.h"

#include <cstdint>
#include <map>
#include <optional>

#include "store/checkpoint.h"
#include "util/clock.h"

namespace tvault::internal {
namespace {

constexpr char kFrontierKey[] = "log_frontier";

Result<MerkleFrontier> LoadFrontier(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, std::string(kFrontierKey));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return MerkleFrontier();
  std::string hex = st.Text(0), raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return MerkleFrontier::Parse(raw);
}

AuditEntry ReadEntry(const Stmt& st) {
  AuditEntry e;
  e.seq = static_cast<uint64_t>(st.Int(0));
  e.time = st.Text(1);
  e.actor = st.Text(2);
  e.action = st.Text(3);
  e.record_id = st.Text(4);
  e.record_version = static_cast<uint32_t>(st.Int(5));
  e.content_hash = ToHex(st.Blob(6));
  return e;
}

constexpr char kEntrySelect[] =
    "SELECT seq, time, actor, action, record_id, record_version, content_hash, leaf_hash "
    "FROM audit_log WHERE seq <= ? ORDER BY seq";

Result<Stmt> SelectEntries(Db& db, uint64_t up_to = UINT64_MAX >> 1) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(kEntrySelect));
  st.Bind(1, static_cast<int64_t>(up_to));
  return st;
}

// The leaf hashes of the first `n` entries (fewer when the log is shorter), recomputed from
// the entries and never taken from the cached column: a proof must not vouch for an entry
// that was altered in place.
Result<std::vector<std::string>> RecomputedLeaves(Db& db, uint64_t n) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, SelectEntries(db, n));
  std::vector<std::string> leaves;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    leaves.push_back(MerkleLeafHash(EncodeAuditEntry(ReadEntry(st))));
  }
  return leaves;
}

}  // namespace

std::string EncodeAuditEntry(const AuditEntry& e) {
  return std::to_string(e.seq) + "\t" + e.time + "\t" + e.actor + "\t" + e.action + "\t" +
         e.record_id + "\t" + std::to_string(e.record_version) + "\t" + e.content_hash + "\n";
}

Result<LogWriter> LogWriter::Load(Db& db) {
  LogWriter w(&db);
  TVAULT_ASSIGN_OR_RETURN(w.frontier_, LoadFrontier(db));
  return w;
}

Status LogWriter::Append(const std::string& actor, const std::string& action,
                         const std::string& record_id, uint32_t record_version,
                         const std::string& content_hash_raw) {
  AuditEntry e;
  e.seq = frontier_.size() + 1;
  e.time = Rfc3339(NowSeconds());
  e.actor = actor;
  e.action = action;
  e.record_id = record_id;
  e.record_version = record_version;
  e.content_hash = ToHex(content_hash_raw);
  const std::string leaf = MerkleLeafHash(EncodeAuditEntry(e));
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db_->Prepare("INSERT INTO audit_log(seq, time, actor, action, record_id, "
                            "record_version, content_hash, leaf_hash) "
                            "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  TVAULT_RETURN_IF_ERROR(st.Bind(1, static_cast<int64_t>(e.seq))
                             .Bind(2, e.time)
                             .Bind(3, e.actor)
                             .Bind(4, e.action)
                             .Bind(5, e.record_id)
                             .Bind(6, static_cast<int64_t>(e.record_version))
                             .BindBlob(7, content_hash_raw)
                             .BindBlob(8, leaf)
                             .Run());
  frontier_.Append(leaf);
  appended_ = true;
  return Status::Ok();
}

Status LogWriter::Finish(const std::string& origin, const SecretBytes& seed) {
  if (!appended_) return Status::Ok();
  TVAULT_ASSIGN_OR_RETURN(
      Stmt put, db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
  TVAULT_RETURN_IF_ERROR(put.Bind(1, std::string(kFrontierKey)).Bind(2, ToHex(frontier_.Serialize())).Run());
  Checkpoint cp{origin, frontier_.size(), frontier_.Root()};
  TVAULT_ASSIGN_OR_RETURN(
      Stmt ins, db_->Prepare("INSERT INTO checkpoints(size, root, note, created_at) "
                             "VALUES(?, ?, ?, ?)"));
  return ins.Bind(1, static_cast<int64_t>(cp.size))
      .BindBlob(2, cp.root)
      .Bind(3, SignCheckpoint(cp, seed))
      .Bind(4, Rfc3339(NowSeconds()))
      .Run();
}

Result<std::vector<AuditEntry>> ReadAuditEntries(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, SelectEntries(db));
  std::vector<AuditEntry> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadEntry(st));
  }
  return out;
}

Result<std::string> LatestCheckpointNote(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st,
                          db.Prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1"));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("the audit log has no checkpoint yet");
  return st.Text(0);
}

Result<std::vector<std::string>> VerifyAuditLog(Db& db, const std::string& verifier_key,
                                                const std::vector<std::string>& external) {
  std::vector<std::string> problems;
  // Every checkpoint to compare against, by size: the stored ones and the external ones.
  std::multimap<uint64_t, std::pair<std::string, Checkpoint>> checks;
  {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT size, note FROM checkpoints ORDER BY size"));
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      const std::string name = "stored checkpoint at size " + std::to_string(st.Int(0));
      auto cp = VerifyCheckpointNote(st.Text(1), verifier_key);
      if (!cp.ok()) {
        problems.push_back(name + ": " + cp.status().message());
      } else if (cp->size != static_cast<uint64_t>(st.Int(0))) {
        problems.push_back(name + ": its note says size " + std::to_string(cp->size));
      } else {
        checks.emplace(cp->size, std::make_pair(name, *cp));
      }
    }
  }
  for (size_t i = 0; i < external.size(); ++i) {
    const std::string name = "given checkpoint " + std::to_string(i + 1);
    auto cp = VerifyCheckpointNote(external[i], verifier_key);
    if (!cp.ok()) {
      problems.push_back(name + ": " + cp.status().message());
      continue;
    }
    checks.emplace(cp->size, std::make_pair(name + " (size " + std::to_string(cp->size) + ")", *cp));
  }

  TVAULT_ASSIGN_OR_RETURN(Stmt st, SelectEntries(db));
  MerkleFrontier tree;
  auto next_check = checks.begin();
  auto check_at = [&](uint64_t size) {
    for (; next_check != checks.end() && next_check->first == size; ++next_check) {
      if (next_check->second.second.root != tree.Root()) {
        problems.push_back(next_check->second.first +
                           ": root differs from the log's first " + std::to_string(size) +
                           " entries (an entry at or before " + std::to_string(size) +
                           " was altered, removed or reordered)");
      }
    }
  };
  check_at(0);
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AuditEntry e = ReadEntry(st);
    if (e.seq != tree.size() + 1) {
      problems.push_back("entry " + std::to_string(tree.size() + 1) + " is missing (next is " +
                         std::to_string(e.seq) + ")");
    }
    const std::string leaf = MerkleLeafHash(EncodeAuditEntry(e));
    if (leaf != st.Blob(7)) {
      problems.push_back("entry " + std::to_string(e.seq) + " was altered (its leaf hash differs)");
    }
    tree.Append(leaf);
    check_at(tree.size());
  }
  for (; next_check != checks.end(); ++next_check) {
    problems.push_back(next_check->second.first + ": the log has only " +
                       std::to_string(tree.size()) +
                       " entries (the store was rolled back or entries were removed)");
  }
  TVAULT_ASSIGN_OR_RETURN(MerkleFrontier stored, LoadFrontier(db));
  if (stored.size() != tree.size() || stored.Root() != tree.Root()) {
    problems.push_back("the stored tree head (size " + std::to_string(stored.size()) +
                       ") does not match the entries (size " + std::to_string(tree.size()) + ")");
  }
  return problems;
}

Result<std::vector<ConsistencyProofData>> ProveAuditLogSizes(
    Db& db, const std::vector<uint64_t>& old_sizes, uint64_t new_size) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<std::string> leaves, RecomputedLeaves(db, new_size));
  if (new_size > leaves.size()) {
    return Damaged("no proof to size " + std::to_string(new_size) + ": the log has " +
                   std::to_string(leaves.size()) + " entries");
  }
  std::vector<ConsistencyProofData> proofs;
  for (uint64_t old_size : old_sizes) {
    if (old_size == 0 || old_size >= new_size) continue;
    proofs.push_back({old_size, new_size, ConsistencyProof(leaves, old_size)});
  }
  return proofs;
}

Result<ConsistencyProofData> ProveAuditLog(Db& db, const std::string& verifier_key,
                                           const std::string& old_note,
                                           const std::string& new_note) {
  TVAULT_ASSIGN_OR_RETURN(Checkpoint old_cp, VerifyCheckpointNote(old_note, verifier_key));
  std::optional<Checkpoint> new_cp;
  if (!new_note.empty()) {
    TVAULT_ASSIGN_OR_RETURN(new_cp, VerifyCheckpointNote(new_note, verifier_key));
  }
  TVAULT_ASSIGN_OR_RETURN(std::vector<std::string> leaves, RecomputedLeaves(db, UINT64_MAX >> 1));
  const uint64_t new_size = new_cp ? new_cp->size : leaves.size();
  for (const Checkpoint* cp : {&old_cp, new_cp ? &*new_cp : nullptr}) {
    if (cp == nullptr) continue;
    if (cp->size == 0 || cp->size > leaves.size()) {
      return Damaged("the checkpoint has " + std::to_string(cp->size) +
                     " entries but the log has " + std::to_string(leaves.size()) +
                     " (the store was rolled back)");
    }
    if (MerkleRoot(leaves, 0, cp->size) != cp->root) {
      return Damaged("the log's first " + std::to_string(cp->size) +
                     " entries do not match the checkpoint (history was rewritten)");
    }
  }
  if (old_cp.size > new_size) {
    return InvalidArgument("the old checkpoint (" + std::to_string(old_cp.size) +
                           " entries) is newer than the new one (" + std::to_string(new_size) +
                           ")");
  }
  ConsistencyProofData proof;
  proof.old_size = old_cp.size;
  proof.new_size = new_size;
  if (old_cp.size < new_size) {
    leaves.resize(new_size);
    proof.hashes = ConsistencyProof(leaves, old_cp.size);
  }
  return proof;
}

}  // namespace tvault::internal
