// Listing and settling conflicts: records whose history forked because two devices each made
// a new version since they last synchronised (docs/formats.md, "Merging versions").
#include <algorithm>
#include <set>

#include "store/merge.h"
#include "util/clock.h"

namespace tvault {

using internal::Stmt;

namespace {

constexpr size_t kTokenHashDigits = 8;

// Every version made after the agreed version `fork_version - 1`, on any branch.
std::vector<int> Contested(const internal::RecordGraph& g, uint32_t fork_version) {
  std::vector<int> out;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].version != fork_version - 1) continue;
    // The agreed version at the fork is the one with several children on the agreed line; a
    // side version of the same number (a branch that forked earlier) is not it.
    if (g.nodes[i].where != internal::RecordGraph::Where::kMain) continue;
    for (int c : g.Children(static_cast<int>(i))) {
      for (int n : g.Subtree(c)) out.push_back(n);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

ConflictCandidate Candidate(const internal::RecordGraph& g, int i) {
  const internal::RecordGraph::Node& n = g.nodes[static_cast<size_t>(i)];
  ConflictCandidate c;
  c.version = n.version;
  c.content_hash = n.hash;
  c.token = std::to_string(n.version) + ":" + internal::ToHex(n.hash).substr(0, kTokenHashDigits);
  c.head = g.Children(i).empty();
  return c;
}

Result<std::vector<std::pair<std::string, uint32_t>>> OpenConflicts(internal::Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st,
                          db.Prepare("SELECT id, fork_version FROM open_conflicts ORDER BY id"));
  std::vector<std::pair<std::string, uint32_t>> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(st.Text(0), static_cast<uint32_t>(st.Int(1)));
  }
  return out;
}

Status FillDetails(internal::Db& db, const std::string& id, ConflictCandidate* c) {
  // On the agreed line or set aside: the version is in one of the two tables.
  for (const char* sql :
       {"SELECT created_at, tombstone FROM side_versions WHERE id = ? AND version = ? AND "
        "content_hash = ? ORDER BY parent_hash LIMIT 1",
        "SELECT created_at, tombstone FROM record_versions WHERE id = ? AND version = ? AND "
        "content_hash = ?"}) {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(sql));
    st.Bind(1, id).Bind(2, static_cast<int64_t>(c->version)).BindBlob(3, c->content_hash);
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      c->created_at = st.Text(0);
      c->tombstone = st.Int(1) != 0;
      break;
    }
  }
  return Status::Ok();
}

// Fills the origin of `c`: the bundle that brought it (version_sources), its signer's name
// and store (the trust list), or this store when no bundle did.
Status FillOrigin(internal::Db& db, const std::string& id, const std::string& this_store,
                  const std::vector<TrustedSigner>& trusted, ConflictCandidate* c) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("SELECT signer, received_at FROM version_sources WHERE id = ? AND "
                          "version = ? AND content_hash = ? ORDER BY received_at LIMIT 1"));
  st.Bind(1, id).Bind(2, static_cast<int64_t>(c->version)).BindBlob(3, c->content_hash);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    c->local = true;
    c->origin_store = this_store;
    return Status::Ok();
  }
  c->signer_key_id = st.Text(0);
  c->received_at = st.Text(1);
  for (const TrustedSigner& t : trusted) {
    if (t.key.KeyIdHex() == c->signer_key_id) {
      c->signer_name = t.name;
      c->origin_store = t.store_id;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ConflictInfo>> Store::Conflicts() {
  TVAULT_ASSIGN_OR_RETURN(auto open, OpenConflicts(impl_->db));
  TVAULT_ASSIGN_OR_RETURN(std::vector<TrustedSigner> trusted, TrustedSigners());
  std::vector<ConflictInfo> out;
  for (const auto& [id, fork] : open) {
    TVAULT_ASSIGN_OR_RETURN(internal::RecordGraph g, internal::LoadRecordGraph(impl_->db, id));
    ConflictInfo info;
    info.id = id;
    info.agreed_version = fork - 1;
    for (int i : Contested(g, fork)) {
      ConflictCandidate c = Candidate(g, i);
      TVAULT_RETURN_IF_ERROR(FillDetails(impl_->db, id, &c));
      TVAULT_RETURN_IF_ERROR(FillOrigin(impl_->db, id, impl_->store_id, trusted, &c));
      info.candidates.push_back(std::move(c));
    }
    out.push_back(std::move(info));
  }
  return out;
}

Status Store::Resolve(const std::string& id, const std::string& keep) {
  if (!internal::IsRecordId(id)) return internal::NoSuchRecord(id);
  // "N" or "N:HEX".
  const size_t colon = keep.find(':');
  const std::string num = keep.substr(0, colon);
  const std::string prefix = colon == std::string::npos ? "" : keep.substr(colon + 1);
  if (num.empty() || num.size() > 9 ||
      num.find_first_not_of("0123456789") != std::string::npos ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos ||
      (colon != std::string::npos && prefix.empty())) {
    return InvalidArgument("--keep: expected VERSION or VERSION:HASH (as `tvault conflicts` "
                           "prints it)");
  }
  const uint32_t version = static_cast<uint32_t>(std::stoul(num));
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    uint32_t fork = 0;
    {
      TVAULT_ASSIGN_OR_RETURN(
          Stmt st, impl_->db.Prepare("SELECT fork_version FROM open_conflicts WHERE id = ?"));
      st.Bind(1, id);
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return NotFound("record " + id + " has no conflict to resolve");
      fork = static_cast<uint32_t>(st.Int(0));
    }
    TVAULT_ASSIGN_OR_RETURN(internal::RecordGraph g, internal::LoadRecordGraph(impl_->db, id));
    std::vector<int> contested = Contested(g, fork);
    std::vector<int> matches;
    for (int i : contested) {
      const auto& n = g.nodes[static_cast<size_t>(i)];
      if (n.version == version && internal::ToHex(n.hash).compare(0, prefix.size(), prefix) == 0) {
        matches.push_back(i);
      }
    }
    if (matches.empty()) {
      return NotFound("record " + id + " has no competing version " + keep +
                      " (see `tvault conflicts`)");
    }
    if (matches.size() > 1) {
      std::string choices;
      for (int i : matches) choices += " " + Candidate(g, i).token;
      return InvalidArgument("--keep " + keep + " is ambiguous for record " + id +
                             "; choose one of:" + choices);
    }
    // Walk up from the chosen version to the competing version it descends from.
    int kept = matches[0];
    while (g.nodes[static_cast<size_t>(kept)].version > fork) {
      const auto& n = g.nodes[static_cast<size_t>(kept)];
      kept = g.FindAny(n.version - 1, n.parent);
      if (kept < 0) return Internal("record " + id + ": broken version chain");
    }
    int64_t losing = 0;
    for (int i : contested) {
      if (g.nodes[static_cast<size_t>(i)].version != fork || i == kept) continue;
      losing += static_cast<int64_t>(g.Subtree(i).size());
    }
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT OR REPLACE INTO resolutions(id, version, kept_hash, "
                                    "losing, resolved_at) VALUES(?, ?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, id)
                               .Bind(2, static_cast<int64_t>(fork))
                               .BindBlob(3, g.nodes[static_cast<size_t>(kept)].hash)
                               .Bind(4, losing)
                               .Bind(5, internal::Rfc3339(internal::NowSeconds()))
                               .Run());
    internal::RecordMerger merger(impl_.get());
    TVAULT_RETURN_IF_ERROR(merger.LoadFacilities());
    TVAULT_RETURN_IF_ERROR(merger.Rederive(id));
    const auto& chosen = g.nodes[static_cast<size_t>(matches[0])];
    return log.Append(impl_->Actor(), "resolve", id, chosen.version, chosen.hash);
  });
}

Result<RecordVersion> Store::GetVersion(const std::string& id, const std::string& token) {
  const size_t colon = token.find(':');
  const std::string num = token.substr(0, colon);
  const std::string prefix = colon == std::string::npos ? "" : token.substr(colon + 1);
  if (num.empty() || num.size() > 9 || num.find_first_not_of("0123456789") != std::string::npos ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos ||
      (colon != std::string::npos && prefix.empty())) {
    return InvalidArgument("--version: expected N or N:HASH (as `tvault conflicts` prints it), "
                           "got \"" + token + "\"");
  }
  const uint32_t version = static_cast<uint32_t>(std::stoul(num));
  if (colon == std::string::npos) return Get(id, version);
  TVAULT_ASSIGN_OR_RETURN(std::vector<RecordVersion> all, History(id));
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::Facility> registry, ListFacilities());
  auto country_of = [&](const std::string& f) {
    for (const v1::Facility& x : registry) {
      if (x.id() == f) return x.country();
    }
    return std::string();
  };
  std::vector<RecordVersion> found;
  std::set<std::string> hashes;
  for (const char* sql :
       {"SELECT version, created_at, tombstone, reason, body, content_hash FROM record_versions "
        "WHERE id = ? AND version = ?",
        "SELECT version, created_at, tombstone, reason, body, content_hash FROM side_versions "
        "WHERE id = ? AND version = ? ORDER BY content_hash, parent_hash"}) {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(sql));
    st.Bind(1, id).Bind(2, static_cast<int64_t>(version));
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      const std::string hash = st.Blob(5);
      if (internal::ToHex(hash).compare(0, prefix.size(), prefix) != 0) continue;
      if (!hashes.insert(hash).second) continue;
      RecordVersion v;
      const bool tombstone = st.Int(2) != 0;
      if (!tombstone && !v.testimony.ParseFromString(st.Blob(4))) {
        return Damaged(std::string(internal::kDamagedMessage) + " (record " + id + ")");
      }
      if (!tombstone) {
        v.info = internal::Summarise(v.testimony, country_of);
      }
      v.info.id = id;
      v.info.version = version;
      v.info.kind = all.back().info.kind;
      v.info.created_at = all.front().info.created_at;
      v.info.updated_at = st.Text(1);
      v.info.deleted = tombstone;
      v.info.delete_reason = st.Text(3);
      found.push_back(std::move(v));
    }
  }
  if (found.empty()) {
    return NotFound("record " + id + " has no version " + token + " (see `tvault conflicts`)");
  }
  if (found.size() > 1) {
    return InvalidArgument("--version " + token + " names more than one version of record " + id +
                           ": give more digits of the hash");
  }
  return std::move(found[0]);
}

}  // namespace tvault
