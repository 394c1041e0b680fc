#include "store/merge.h"

#include <algorithm>
#include <set>
#include <utility>

#include "store/report_facts.h"
#include "store/search_index.h"
#include "util/clock.h"

namespace tvault::internal {
namespace {

bool NodeLess(const RecordGraph::Node& a, const RecordGraph::Node& b) {
  return std::tie(a.version, a.hash, a.parent) < std::tie(b.version, b.hash, b.parent);
}

struct Resolution {
  std::string kept_hash;
  int64_t losing = 0;
};

Result<std::map<uint32_t, Resolution>> LoadResolutions(Db& db, const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("SELECT version, kept_hash, losing FROM resolutions WHERE id = ?"));
  st.Bind(1, id);
  std::map<uint32_t, Resolution> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out[static_cast<uint32_t>(st.Int(0))] = Resolution{st.Blob(1), st.Int(2)};
  }
  return out;
}

}  // namespace

int RecordGraph::Find(uint32_t version, const std::string& hash,
                      const std::string& parent) const {
  Node probe;
  probe.version = version;
  probe.hash = hash;
  probe.parent = parent;
  auto it = std::lower_bound(nodes.begin(), nodes.end(), probe, NodeLess);
  if (it == nodes.end() || it->version != version || it->hash != hash || it->parent != parent) {
    return -1;
  }
  return static_cast<int>(it - nodes.begin());
}

int RecordGraph::FindAny(uint32_t version, const std::string& hash) const {
  Node probe;
  probe.version = version;
  probe.hash = hash;
  auto it = std::lower_bound(nodes.begin(), nodes.end(), probe, NodeLess);
  if (it == nodes.end() || it->version != version || it->hash != hash) return -1;
  return static_cast<int>(it - nodes.begin());
}

std::vector<int> RecordGraph::Children(int i) const {
  std::vector<int> out;
  const Node& n = nodes[static_cast<size_t>(i)];
  for (size_t j = 0; j < nodes.size(); ++j) {
    if (nodes[j].version == n.version + 1 && nodes[j].parent == n.hash) {
      out.push_back(static_cast<int>(j));
    }
  }
  return out;
}

std::vector<int> RecordGraph::Subtree(int i) const {
  std::vector<int> out = {i};
  for (size_t k = 0; k < out.size(); ++k) {
    for (int c : Children(out[k])) out.push_back(c);
  }
  return out;
}

Result<RecordGraph> LoadRecordGraph(Db& db, const std::string& id) {
  RecordGraph g;
  g.id = id;
  {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT kind FROM records WHERE id = ?"));
    st.Bind(1, id);
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) g.kind = st.Int(0);
  }
  {
    // The agreed line is contiguous from version 1: each version's parent is the one before.
    TVAULT_ASSIGN_OR_RETURN(
        Stmt st, db.Prepare("SELECT version, content_hash, created_at, tombstone FROM "
                            "record_versions WHERE id = ? ORDER BY version"));
    st.Bind(1, id);
    std::string parent;
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      RecordGraph::Node n;
      n.version = static_cast<uint32_t>(st.Int(0));
      n.hash = st.Blob(1);
      n.parent = parent;
      n.created_at = st.Text(2);
      n.tombstone = st.Int(3) != 0;
      n.where = RecordGraph::Where::kMain;
      parent = n.hash;
      g.nodes.push_back(std::move(n));
    }
  }
  {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt st, db.Prepare("SELECT version, content_hash, parent_hash, kind, created_at, "
                            "tombstone FROM side_versions WHERE id = ?"));
    st.Bind(1, id);
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      RecordGraph::Node n;
      n.version = static_cast<uint32_t>(st.Int(0));
      n.hash = st.Blob(1);
      n.parent = st.Blob(2);
      n.created_at = st.Text(4);
      n.tombstone = st.Int(5) != 0;
      n.where = RecordGraph::Where::kSide;
      if (g.kind < 0) g.kind = st.Int(3);
      g.nodes.push_back(std::move(n));
    }
  }
  std::sort(g.nodes.begin(), g.nodes.end(), NodeLess);
  return g;
}

namespace {

// DeriveAgreedLine with the record's resolutions read only when needed: `db` null means the
// record has none (the store has never seen it).
Result<Derivation> DeriveLine(Db* db, const RecordGraph& g) {
  Derivation d;
  std::vector<int> roots;
  for (size_t i = 0; i < g.nodes.size() && g.nodes[i].version == 1; ++i) {
    roots.push_back(static_cast<int>(i));
  }
  if (roots.size() > 1) {
    return Damaged("record " + g.id +
                   " has two different versions 1 (a record id is made once, on one device)");
  }
  if (roots.empty()) return d;  // only versions whose history has not arrived yet
  std::map<uint32_t, Resolution> resolutions;
  if (db != nullptr) {
    TVAULT_ASSIGN_OR_RETURN(resolutions, LoadResolutions(*db, g.id));
  }
  int cur = roots[0];
  d.main.push_back(cur);
  for (;;) {
    std::vector<int> children = g.Children(cur);
    if (children.empty()) break;
    int next = -1;
    // A version made from a tombstone undoes a deletion, which no device does by itself (Edit
    // refuses a deleted record): it waits for a resolution like a fork.
    if (children.size() == 1 && !g.nodes[static_cast<size_t>(cur)].tombstone) {
      next = children[0];
    } else {
      const uint32_t v = g.nodes[static_cast<size_t>(cur)].version + 1;
      auto res = resolutions.find(v);
      if (res != resolutions.end()) {
        int64_t losing = 0;
        for (int c : children) {
          if (g.nodes[static_cast<size_t>(c)].hash == res->second.kept_hash) {
            next = c;
          } else {
            losing += static_cast<int64_t>(g.Subtree(c).size());
          }
        }
        // Versions set aside after the decision reopen it: nothing is dropped silently.
        if (losing > res->second.losing) next = -1;
      }
      if (next < 0) {
        d.fork_version = v;
        break;
      }
    }
    d.main.push_back(next);
    cur = next;
  }
  return d;
}

}  // namespace

Result<Derivation> DeriveAgreedLine(Db& db, const RecordGraph& g) { return DeriveLine(&db, g); }

Status RecordMerger::LoadFacilities() {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT id, country FROM facilities"));
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    facility_country_[st.Text(0)] = st.Text(1);
  }
  return Status::Ok();
}

Status RecordMerger::SetCreatedAt(RecordGraph::Node& n, const std::string& id,
                                  const std::string& created_at) {
  const bool main = n.where == RecordGraph::Where::kMain;
  TVAULT_ASSIGN_OR_RETURN(
      Stmt up, impl_->db.Prepare(main ? "UPDATE record_versions SET created_at = ? WHERE id = ? "
                                        "AND version = ? AND content_hash = ?"
                                      : "UPDATE side_versions SET created_at = ? WHERE id = ? "
                                        "AND version = ? AND content_hash = ? AND "
                                        "parent_hash = ?"));
  up.Bind(1, created_at).Bind(2, id).Bind(3, static_cast<int64_t>(n.version)).BindBlob(4, n.hash);
  if (!main) up.BindBlob(5, n.parent);
  TVAULT_RETURN_IF_ERROR(up.Run());
  n.created_at = created_at;
  return Status::Ok();
}

Result<bool> RecordMerger::Known(const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT EXISTS(SELECT 1 FROM record_versions WHERE id = ?1) OR "
                                 "EXISTS(SELECT 1 FROM side_versions WHERE id = ?1) OR "
                                 "EXISTS(SELECT 1 FROM resolutions WHERE id = ?1)"));
  st.Bind(1, id);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row && st.Int(0) != 0;
}

Result<RecordMerger::Outcome> RecordMerger::Merge(const std::string& id,
                                                  const std::vector<IncomingVersion>& incoming,
                                                  const std::string& signer) {
  TVAULT_ASSIGN_OR_RETURN(bool known, Known(id));
  RecordGraph g;
  if (known) {
    TVAULT_ASSIGN_OR_RETURN(g, LoadRecordGraph(impl_->db, id));
  } else {
    g.id = id;  // what LoadRecordGraph gives for a record the store has never seen
  }
  Outcome out;
  out.existed = !g.nodes.empty();
  bool retimed = false;
  for (const IncomingVersion& in : incoming) {
    if (g.kind >= 0 && g.kind != in.kind) {
      return Damaged("record " + id + " version " + std::to_string(in.version) +
                     " is of another kind than the stored record");
    }
    if (g.kind < 0) g.kind = in.kind;
    const int known = g.Find(in.version, in.hash, in.parent);
    if (known >= 0) {
      RecordGraph::Node& n = g.nodes[static_cast<size_t>(known)];
      // The same version made on two devices (e.g. the same deletion from the same version)
      // carries two times; the earlier is kept, so that the result does not depend on the
      // order of import.
      if (n.where != RecordGraph::Where::kIncoming && in.created_at < n.created_at) {
        TVAULT_RETURN_IF_ERROR(SetCreatedAt(n, id, in.created_at));
        retimed = true;
      }
      continue;
    }
    RecordGraph::Node n;
    n.version = in.version;
    n.hash = in.hash;
    n.parent = in.parent;
    n.tombstone = in.tombstone;
    n.where = RecordGraph::Where::kIncoming;
    n.incoming = &in;
    g.nodes.insert(std::upper_bound(g.nodes.begin(), g.nodes.end(), n, NodeLess), n);
    ++out.added;
  }
  if (out.added == 0 && !retimed) return out;
  TVAULT_ASSIGN_OR_RETURN(Derivation d, DeriveLine(known ? &impl_->db : nullptr, g));
  std::set<int> main(d.main.begin(), d.main.end());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].where == RecordGraph::Where::kIncoming && !main.count(static_cast<int>(i))) {
      out.conflicting = true;
    }
  }
  if (d.fork_version != 0) out.conflicting = true;
  out.changed = true;
  if (out.added > 0) {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt src, impl_->db.Prepare("INSERT OR IGNORE INTO version_sources(id, version, "
                                    "content_hash, parent_hash, signer, received_at) "
                                    "VALUES(?, ?, ?, ?, ?, ?)"));
    const std::string now = Rfc3339(NowSeconds());
    for (const RecordGraph::Node& n : g.nodes) {
      if (n.where != RecordGraph::Where::kIncoming) continue;
      src.Reset();
      TVAULT_RETURN_IF_ERROR(src.Bind(1, id)
                                 .Bind(2, static_cast<int64_t>(n.version))
                                 .BindBlob(3, n.hash)
                                 .BindBlob(4, n.parent)
                                 .Bind(5, signer)
                                 .Bind(6, now)
                                 .Run());
    }
  }
  TVAULT_RETURN_IF_ERROR(Apply(g, d, known));
  return out;
}

Status RecordMerger::Rederive(const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(RecordGraph g, LoadRecordGraph(impl_->db, id));
  TVAULT_ASSIGN_OR_RETURN(Derivation d, DeriveAgreedLine(impl_->db, g));
  return Apply(g, d);
}

Status RecordMerger::Apply(RecordGraph& g, const Derivation& d, bool known) {
  Db& db = impl_->db;
  const std::string& id = g.id;
  std::set<int> main(d.main.begin(), d.main.end());
  // Out of the agreed line first: record_versions is keyed by (id, version), and the versions
  // that replace these may carry the same numbers.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    RecordGraph::Node& n = g.nodes[i];
    if (n.where != RecordGraph::Where::kMain || main.count(static_cast<int>(i))) continue;
    TVAULT_ASSIGN_OR_RETURN(
        Stmt mv, db.Prepare("INSERT INTO side_versions(id, version, content_hash, parent_hash, "
                            "kind, created_at, tombstone, reason, body) SELECT id, version, "
                            "content_hash, ?, ?, created_at, tombstone, reason, body FROM "
                            "record_versions WHERE id = ? AND version = ?"));
    TVAULT_RETURN_IF_ERROR(mv.BindBlob(1, n.parent)
                               .Bind(2, g.kind)
                               .Bind(3, id)
                               .Bind(4, static_cast<int64_t>(n.version))
                               .Run());
    TVAULT_ASSIGN_OR_RETURN(
        Stmt del, db.Prepare("DELETE FROM record_versions WHERE id = ? AND version = ?"));
    TVAULT_RETURN_IF_ERROR(del.Bind(1, id).Bind(2, static_cast<int64_t>(n.version)).Run());
    // A pseudonym is keyed by (id, version) and was derived from this version's sealed
    // identity: drop it, so that whichever version takes the number gets its own.
    TVAULT_ASSIGN_OR_RETURN(
        Stmt pseud, db.Prepare("DELETE FROM pseudonyms WHERE id = ? AND version = ?"));
    TVAULT_RETURN_IF_ERROR(pseud.Bind(1, id).Bind(2, static_cast<int64_t>(n.version)).Run());
    n.where = RecordGraph::Where::kSide;
  }
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    RecordGraph::Node& n = g.nodes[i];
    const bool on_main = main.count(static_cast<int>(i)) > 0;
    if (n.where == RecordGraph::Where::kSide && on_main) {
      // Copied into the agreed line, then removed from the side, keyed by its identity.
      for (const char* sql :
           {"INSERT INTO record_versions(id, version, created_at, tombstone, reason, body, "
            "content_hash) SELECT id, version, created_at, tombstone, reason, body, content_hash "
            "FROM side_versions WHERE id = ? AND version = ? AND content_hash = ? AND "
            "parent_hash = ?",
            "DELETE FROM side_versions WHERE id = ? AND version = ? AND content_hash = ? AND "
            "parent_hash = ?"}) {
        TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(sql));
        TVAULT_RETURN_IF_ERROR(st.Bind(1, id)
                                   .Bind(2, static_cast<int64_t>(n.version))
                                   .BindBlob(3, n.hash)
                                   .BindBlob(4, n.parent)
                                   .Run());
      }
      n.where = RecordGraph::Where::kMain;
    } else if (n.where == RecordGraph::Where::kIncoming) {
      const IncomingVersion& in = *n.incoming;
      if (on_main) {
        TVAULT_ASSIGN_OR_RETURN(
            Stmt ins, db.Prepare("INSERT INTO record_versions(id, version, created_at, "
                                 "tombstone, reason, body, content_hash) "
                                 "VALUES(?, ?, ?, ?, ?, ?, ?)"));
        TVAULT_RETURN_IF_ERROR(ins.Bind(1, id)
                                   .Bind(2, static_cast<int64_t>(in.version))
                                   .Bind(3, in.created_at)
                                   .Bind(4, in.tombstone ? 1 : 0)
                                   .Bind(5, in.reason)
                                   .BindBlob(6, in.body)
                                   .BindBlob(7, in.hash)
                                   .Run());
        n.where = RecordGraph::Where::kMain;
      } else {
        TVAULT_ASSIGN_OR_RETURN(
            Stmt ins, db.Prepare("INSERT INTO side_versions(id, version, content_hash, "
                                 "parent_hash, kind, created_at, tombstone, reason, body) "
                                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        TVAULT_RETURN_IF_ERROR(ins.Bind(1, id)
                                   .Bind(2, static_cast<int64_t>(in.version))
                                   .BindBlob(3, in.hash)
                                   .BindBlob(4, in.parent)
                                   .Bind(5, g.kind)
                                   .Bind(6, in.created_at)
                                   .Bind(7, in.tombstone ? 1 : 0)
                                   .Bind(8, in.reason)
                                   .BindBlob(9, in.body)
                                   .Run());
        n.where = RecordGraph::Where::kSide;
      }
    }
  }
  {
    if (known) {
      TVAULT_ASSIGN_OR_RETURN(Stmt del, db.Prepare("DELETE FROM open_conflicts WHERE id = ?"));
      TVAULT_RETURN_IF_ERROR(del.Bind(1, id).Run());
    }
    if (d.fork_version != 0) {
      TVAULT_ASSIGN_OR_RETURN(
          Stmt ins, db.Prepare("INSERT INTO open_conflicts(id, fork_version) VALUES(?, ?)"));
      TVAULT_RETURN_IF_ERROR(ins.Bind(1, id).Bind(2, static_cast<int64_t>(d.fork_version)).Run());
    }
  }
  if (known) return RewriteHead(id, g.kind);
  // Every version of the agreed line is an incoming one: its head is known without reading
  // the bodies back.
  if (d.main.empty()) return Status::Ok();  // no agreed line, no row (as RewriteHead leaves it)
  IncomingHead head;
  for (int i : d.main) {
    const IncomingVersion& in = *g.nodes[static_cast<size_t>(i)].incoming;
    head.latest = in.version;
    if (head.first_created.empty()) head.first_created = in.created_at;
    head.last_created = in.created_at;
    head.deleted = in.tombstone;
    if (!in.tombstone) head.newest_body = &in;
  }
  return RewriteHead(id, g.kind, &head);
}

// The `records` row summarises the newest version of the agreed line (the newest testimony
// for the columns, and `deleted` when the newest version is a tombstone), exactly as Add,
// Edit and Delete leave it. A record with no agreed line yet has no row.
Status RecordMerger::RewriteHead(const std::string& id, int64_t kind,
                                 const IncomingHead* fresh) {
  Db& db = impl_->db;
  uint32_t latest = 0;
  bool deleted = false;
  std::string first_created, last_created, body;
  const v1::Testimony* newest = nullptr;  // the newest testimony that is not a tombstone
  if (fresh != nullptr) {
    latest = fresh->latest;
    deleted = fresh->deleted;
    first_created = fresh->first_created;
    last_created = fresh->last_created;
    if (fresh->newest_body != nullptr) {
      newest = fresh->newest_body->testimony.get();
      if (newest == nullptr) body = fresh->newest_body->body;  // not parsed by the caller
    }
  } else {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt st, db.Prepare("SELECT version, created_at, tombstone, body FROM record_versions "
                            "WHERE id = ? ORDER BY version"));
    st.Bind(1, id);
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      latest = static_cast<uint32_t>(st.Int(0));
      if (first_created.empty()) first_created = st.Text(1);
      last_created = st.Text(1);
      deleted = st.Int(2) != 0;
      if (!deleted) body = st.Blob(3);
    }
  }
  if (latest == 0) {
    TVAULT_RETURN_IF_ERROR(ReplaceReportFacts(db, id, nullptr, 0, ""));
    TVAULT_RETURN_IF_ERROR(ReplaceSearchEntry(db, id, nullptr));
    TVAULT_ASSIGN_OR_RETURN(Stmt del, db.Prepare("DELETE FROM records WHERE id = ?"));
    return del.Bind(1, id).Run();
  }
  v1::Testimony t;
  if (newest == nullptr) {
    if (!t.ParseFromString(body)) {
      return Damaged("record " + id + ": a stored version is not a testimony");
    }
    newest = &t;
  }
  RecordInfo info = Summarise(*newest, [this](const std::string& f) {
    auto it = facility_country_.find(f);
    return it == facility_country_.end() ? std::string() : it->second;
  });
  // DELETE then INSERT, not INSERT OR REPLACE: the same row results, but REPLACE makes
  // SQLite keep a statement journal, and SQLCipher encrypts every page written to it (about
  // five per record: most of an import's time before this was changed).
  TVAULT_RETURN_IF_ERROR(
      ReplaceReportFacts(db, id, deleted ? nullptr : newest, latest, info.incident_month));
  if (fresh == nullptr) {  // a record new to the store has no row to delete
    TVAULT_ASSIGN_OR_RETURN(Stmt old, db.Prepare("DELETE FROM records WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(old.Bind(1, id).Run());
  }
  TVAULT_ASSIGN_OR_RETURN(
      Stmt head, db.Prepare("INSERT INTO records(id, kind, latest_version, "
                            "created_at, updated_at, deleted, incident_month, country, "
                            "pushed_from, pushed_to, facility_id, people) "
                            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  TVAULT_RETURN_IF_ERROR(head.Bind(1, id)
      .Bind(2, kind)
      .Bind(3, static_cast<int64_t>(latest))
      .Bind(4, first_created)
      .Bind(5, last_created)
      .Bind(6, deleted ? 1 : 0)
      .Bind(7, info.incident_month)
      .Bind(8, info.country)
      .Bind(9, info.pushed_from)
      .Bind(10, info.pushed_to)
      .Bind(11, info.facility_id)
      .Bind(12, static_cast<int64_t>(info.people))
      .Run());
  return ReplaceSearchEntry(db, id, deleted ? nullptr : newest);
}

}  // namespace tvault::internal
