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
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("SELECT created_at, tombstone FROM side_versions WHERE id = ? AND "
                          "version = ? AND content_hash = ? ORDER BY parent_hash LIMIT 1"));
  st.Bind(1, id).Bind(2, static_cast<int64_t>(c->version)).BindBlob(3, c->content_hash);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) {
    c->created_at = st.Text(0);
    c->tombstone = st.Int(1) != 0;
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ConflictInfo>> Store::Conflicts() {
  TVAULT_ASSIGN_OR_RETURN(auto open, OpenConflicts(impl_->db));
  std::vector<ConflictInfo> out;
  for (const auto& [id, fork] : open) {
    TVAULT_ASSIGN_OR_RETURN(internal::RecordGraph g, internal::LoadRecordGraph(impl_->db, id));
    ConflictInfo info;
    info.id = id;
    info.agreed_version = fork - 1;
    for (int i : Contested(g, fork)) {
      ConflictCandidate c = Candidate(g, i);
      TVAULT_RETURN_IF_ERROR(FillDetails(impl_->db, id, &c));
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

}  // namespace tvault
