// Drafts of guided interviews (tvault/drafts.h): saved, listed, read, discarded and finished.
// They are written in plain transactions, not through Impl::Mutate: a draft is not a record,
// so it adds nothing to the audit log (whose entries and checkpoints travel in bundles).
#include <sqlite3.h>

#include "store/store_impl.h"
#include "util/clock.h"

namespace tvault {

using internal::Stmt;

namespace {

// The shortest id prefix `drafts resume` and `drafts discard` accept, as for records.
constexpr size_t kMinDraftPrefix = 4;

constexpr char kDraftColumns[] = "id, kind, record_id, step, created_at, updated_at, body";

Status ReadDraft(const Stmt& st, Draft* d) {
  d->id = st.Text(0);
  d->kind = static_cast<v1::Kind>(st.Int(1));
  d->record_id = st.Text(2);
  d->step = static_cast<uint32_t>(st.Int(3));
  d->created_at = st.Text(4);
  d->updated_at = st.Text(5);
  if (!d->testimony.ParseFromString(st.Blob(6))) {
    return Damaged(std::string(internal::kDamagedMessage) + " (draft " + d->id + ")");
  }
  return Status::Ok();
}

bool IsHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<std::string> Store::SaveDraft(Draft draft) {
  if (draft.kind != v1::PUSHBACK && draft.kind != v1::FACILITY) {
    return InvalidArgument("a draft is of a pushback or a facility testimony");
  }
  TVAULT_RETURN_IF_ERROR(internal::SealIdentity(impl_->org, &draft.testimony));
  std::string body;
  if (!draft.testimony.SerializeToString(&body)) return Internal("cannot serialize the draft");
  if (body.size() > kMaxJsonRecordBytes) {
    return InvalidArgument("the draft is larger than " + std::to_string(kMaxJsonRecordBytes) +
                           " bytes");
  }
  const std::string now = internal::Rfc3339(internal::NowSeconds());
  const bool fresh = draft.id.empty();
  const std::string id = fresh ? internal::NewRecordId() : draft.id;
  internal::Db& db = impl_->db;
  TVAULT_RETURN_IF_ERROR(db.Begin());
  Status s = [&]() -> Status {
    if (fresh) {
      TVAULT_ASSIGN_OR_RETURN(
          Stmt ins, db.Prepare("INSERT INTO drafts(id, kind, record_id, step, created_at, "
                               "updated_at, body) VALUES(?, ?, ?, ?, ?, ?, ?)"));
      return ins.Bind(1, id)
          .Bind(2, static_cast<int64_t>(draft.kind))
          .Bind(3, draft.record_id)
          .Bind(4, static_cast<int64_t>(draft.step))
          .Bind(5, now)
          .Bind(6, now)
          .BindBlob(7, body)
          .Run();
    }
    TVAULT_ASSIGN_OR_RETURN(Stmt up, db.Prepare("UPDATE drafts SET step = ?, updated_at = ?, "
                                                "body = ? WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(
        up.Bind(1, static_cast<int64_t>(draft.step)).Bind(2, now).BindBlob(3, body).Bind(4, id).Run());
    if (sqlite3_changes(db.raw()) != 1) return NotFound("no draft with id " + id);
    return Status::Ok();
  }();
  if (s.ok()) s = db.Commit();
  if (!s.ok()) {
    db.Rollback();
    return s;
  }
  return id;
}

Result<std::vector<Draft>> Store::ListDrafts() {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(std::string("SELECT ") + kDraftColumns +
                                                     " FROM drafts ORDER BY created_at, id"));
  std::vector<Draft> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Draft d;
    TVAULT_RETURN_IF_ERROR(ReadDraft(st, &d));
    out.push_back(std::move(d));
  }
  return out;
}

Result<Draft> Store::GetDraft(const std::string& id) {
  if (id.size() < kMinDraftPrefix || id.size() > 32 || !IsHex(id)) {
    return InvalidArgument("\"" + id + "\" is not a draft id: give at least " +
                           std::to_string(kMinDraftPrefix) +
                           " of its hex digits, as `tvault drafts list` shows them");
  }
  // A prefix of hex digits: no LIKE wildcard can appear in it.
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(std::string("SELECT ") + kDraftColumns +
                                                     " FROM drafts WHERE id LIKE ? || '%' "
                                                     "ORDER BY id LIMIT 2"));
  st.Bind(1, id);
  std::vector<Draft> found;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Draft d;
    TVAULT_RETURN_IF_ERROR(ReadDraft(st, &d));
    found.push_back(std::move(d));
  }
  if (found.empty()) return NotFound("no draft with id " + id);
  if (found.size() > 1) {
    return InvalidArgument("\"" + id + "\" names more than one draft: give more digits");
  }
  return std::move(found[0]);
}

Status Store::DiscardDraft(const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("DELETE FROM drafts WHERE id = ?"));
  TVAULT_RETURN_IF_ERROR(st.Bind(1, id).Run());
  if (sqlite3_changes(impl_->db.raw()) != 1) return NotFound("no draft with id " + id);
  return Status::Ok();
}

Result<FinishedDraft> Store::FinishDraft(const std::string& id, InputRecord record) {
  TVAULT_ASSIGN_OR_RETURN(Draft draft, GetDraft(id));
  if (draft.id != id) return NotFound("no draft with id " + id);
  if (record.testimony.kind() != draft.kind) {
    return InvalidArgument("draft " + id + " is of another kind of testimony");
  }
  internal::WriteExtras extras;
  extras.sealed_identity = draft.testimony.sealed_identity();
  extras.also = [&]() -> Status {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("DELETE FROM drafts WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(st.Bind(1, id).Run());
    if (sqlite3_changes(impl_->db.raw()) != 1) return NotFound("no draft with id " + id);
    return Status::Ok();
  };
  FinishedDraft done;
  if (draft.record_id.empty()) {
    std::vector<InputRecord> one;
    one.push_back(std::move(record));
    TVAULT_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            internal::AddRecords(impl_.get(), std::move(one), extras));
    done.record_id = ids[0];
    done.version = 1;
  } else {
    TVAULT_ASSIGN_OR_RETURN(done.version, internal::EditRecord(*this, impl_.get(),
                                                               draft.record_id,
                                                               std::move(record), extras));
    done.record_id = draft.record_id;
  }
  return done;
}

}  // namespace tvault
