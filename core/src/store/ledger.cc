// The publication ledger (docs/formats.md, "Database schema, version 6"): what this store
// published, kept so that a later release is protected against the earlier ones as they were
// published, never as they would be recomputed now.
#include "store/store_impl.h"

namespace tvault {

using internal::Stmt;

Status Store::RecordRelease(const v1::LedgerRelease& release,
                            const std::vector<CountedRecord>& counted) {
  std::string manifest;
  for (const v1::LedgerFile& f : release.files()) {
    if (f.name() == "manifest.json") manifest = f.bytes();
  }
  if (manifest.empty()) return InvalidArgument("a release without manifest.json");
  std::string body;
  if (!release.SerializeToString(&body)) return Internal("the release does not serialize");
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt dup, impl_->db.Prepare("SELECT 1 FROM ledger_releases WHERE series = ? AND month = "
                                    "? AND kind = ?"));
    dup.Bind(1, release.series()).Bind(2, release.month()).Bind(3, release.kind());
    TVAULT_ASSIGN_OR_RETURN(bool exists, dup.Step());
    if (exists) {
      return Status(Code::kAlreadyExists, "the ledger already holds the " + release.kind() +
                                              " release of " + release.month());
    }
    dup.Reset();
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO ledger_releases(series, month, kind, body) "
                                    "VALUES(?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, release.series())
                               .Bind(2, release.month())
                               .Bind(3, release.kind())
                               .BindBlob(4, body)
                               .Run());
    const int64_t seq = sqlite3_last_insert_rowid(impl_->db.raw());
    TVAULT_ASSIGN_OR_RETURN(
        Stmt rec, impl_->db.Prepare("INSERT INTO ledger_counted(id, version, release, series, "
                                    "month, facts, people_counted) VALUES(?, ?, ?, ?, ?, ?, ?)"));
    TVAULT_ASSIGN_OR_RETURN(Stmt seen, impl_->db.Prepare("SELECT month FROM ledger_counted "
                                                         "WHERE id = ?"));
    for (const CountedRecord& c : counted) {
      seen.Reset();
      seen.Bind(1, c.id);
      TVAULT_ASSIGN_OR_RETURN(bool again, seen.Step());
      if (again) {
        return Status(Code::kAlreadyExists, "record " + c.id + " was already counted by the " +
                                                "release of " + seen.Text(0));
      }
      std::string facts;
      if (!c.view.SerializeToString(&facts)) return Internal("a report view does not serialize");
      rec.Reset();
      TVAULT_RETURN_IF_ERROR(rec.Bind(1, c.id)
                                 .Bind(2, static_cast<int64_t>(c.version))
                                 .Bind(3, seq)
                                 .Bind(4, c.series)
                                 .Bind(5, c.month)
                                 .BindBlob(6, facts)
                                 .Bind(7, c.people_counted ? 1 : 0)
                                 .Run());
    }
    const std::string what =
        release.kind() == "revision" ? release.month() + " revision" : release.month();
    return log.Append(impl_->Actor(), "report", what, 0, internal::Sha256(manifest));
  });
}

Result<std::vector<v1::LedgerRelease>> Store::Releases(const std::string& series) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT body FROM ledger_releases WHERE ?1 = '' OR series = ?1 "
                                 "ORDER BY seq"));
  st.Bind(1, series);
  std::vector<v1::LedgerRelease> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    v1::LedgerRelease r;
    if (!r.ParseFromString(st.Blob(0))) {
      return Damaged(std::string(internal::kDamagedMessage) + " (a ledger release)");
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status Store::ScanCounted(const std::string& series,
                          const std::function<Status(CountedRecord&&)>& fn) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT id, version, series, month, facts, people_counted FROM "
                                 "ledger_counted WHERE ?1 = '' OR series = ?1 ORDER BY id"));
  st.Bind(1, series);
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    CountedRecord c;
    c.id = st.Text(0);
    c.version = static_cast<uint32_t>(st.Int(1));
    c.series = st.Text(2);
    c.month = st.Text(3);
    if (!c.view.ParseFromString(st.Blob(4))) {
      return Damaged(std::string(internal::kDamagedMessage) + " (ledger record " + c.id + ")");
    }
    c.people_counted = st.Int(5) != 0;
    TVAULT_RETURN_IF_ERROR(fn(std::move(c)));
  }
  return Status::Ok();
}

Result<bool> Store::IsCounted(const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT 1 FROM ledger_counted WHERE id = ?"));
  st.Bind(1, id);
  return st.Step();
}

}  // namespace tvault
