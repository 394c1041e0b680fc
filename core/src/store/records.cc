// Adding, editing, deleting and reading testimonies, and the facility registry.
#include <sodium.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "crypto/seal.h"
#include "store/report_facts.h"
#include "store/search_index.h"
#include "store/store_impl.h"
#include "util/clock.h"

namespace tvault {

using internal::Db;
using internal::Stmt;

namespace {

constexpr char kVersionColumns[] =
    "v.id, v.version, v.created_at, v.tombstone, v.reason, v.body, r.kind, r.created_at";

bool IdentityIsEmpty(const v1::Identity& id) {
  return id.name().empty() && id.phone().empty() && id.contact().empty() &&
         id.date_of_birth().empty();
}

}  // namespace

namespace internal {

Status SealIdentity(const OrgPublicKey& org, v1::Testimony* t) {
  if (!t->has_identity()) return Status::Ok();
  Status s;
  if (!IdentityIsEmpty(t->identity())) {
    std::string plain = t->identity().SerializeAsString();
    Result<std::string> sealed = internal::SealToOrg(org, plain);
    sodium_memzero(plain.data(), plain.size());
    if (sealed.ok()) {
      t->set_sealed_identity(*std::move(sealed));
    } else {
      s = sealed.status();
    }
  }
  // Clearing a protobuf string does not wipe its buffer: overwrite before releasing.
  v1::Identity* id = t->mutable_identity();
  for (std::string* s : {id->mutable_name(), id->mutable_phone(), id->mutable_contact(),
                         id->mutable_date_of_birth()}) {
    sodium_memzero(s->data(), s->size());
  }
  t->clear_identity();
  return s;
}

}  // namespace internal

namespace {

using internal::SealIdentity;

Status ReadVersion(const Stmt& st, RecordVersion* out,
                   const std::function<std::string(const std::string&)>& facility_country) {
  const bool tombstone = st.Int(3) != 0;
  if (!tombstone && !out->testimony.ParseFromString(st.Blob(5))) {
    return Damaged(std::string(internal::kDamagedMessage) + " (record " + st.Text(0) + ")");
  }
  if (!tombstone) out->info = internal::Summarise(out->testimony, facility_country);
  out->info.id = st.Text(0);
  out->info.version = static_cast<uint32_t>(st.Int(1));
  out->info.kind = static_cast<v1::Kind>(st.Int(6));
  out->info.created_at = st.Text(7);
  out->info.updated_at = st.Text(2);
  out->info.deleted = tombstone;
  out->info.delete_reason = st.Text(4);
  return Status::Ok();
}

// A record whose history forked gets no new version until the conflict is settled: a local
// edit on top of one branch would silently pick it.
Status RefuseIfConflicted(Db& db, const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT 1 FROM open_conflicts WHERE id = ?"));
  st.Bind(1, id);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) {
    return InvalidArgument("record " + id + " has a conflict (edited on two devices); settle "
                           "it first with `tvault conflicts` and `tvault resolve`");
  }
  return Status::Ok();
}

}  // namespace

namespace internal {

// Everything the `records` row holds about one version, derived from the testimony itself so
// the queryable columns can never disagree with the stored body.
RecordInfo Summarise(const v1::Testimony& t,
                     const std::function<std::string(const std::string&)>& facility_country) {
  RecordInfo info;
  info.kind = t.kind();
  if (t.has_pushback()) {
    const v1::Pushback& p = t.pushback();
    info.incident_month = p.incident_date().substr(0, 7);
    info.country = !p.location().country().empty() ? p.location().country() : p.pushed_from();
    info.pushed_from = p.pushed_from();
    info.pushed_to = p.pushed_to();
    info.people = p.group_size();
  } else if (t.has_facility()) {
    const v1::FacilityConditions& f = t.facility();
    info.incident_month = f.period_start().substr(0, 7);
    info.facility_id = f.facility_id();
    info.country = facility_country(f.facility_id());
    info.people = f.people_held_reported();
  }
  return info;
}

// The store-side steps shared by Add and Edit.
class RecordWriter {
 public:
  explicit RecordWriter(Store::Impl* impl) : impl_(impl) {}

  Status LoadFacilities() {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT id, country FROM facilities"));
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      facilities_[st.Text(0)] = st.Text(1);
    }
    return Status::Ok();
  }

  std::string CountryOf(const std::string& facility_id) const {
    auto it = facilities_.find(facility_id);
    return it == facilities_.end() ? std::string() : it->second;
  }

  Status Validate(const InputRecord& r) const {
    ValidationContext ctx;
    ctx.today = TodayUtc();
    ctx.facility_exists = [this](std::string_view id) {
      return facilities_.count(std::string(id)) > 0;
    };
    std::vector<FieldError> errors = ValidateTestimony(r.testimony, ctx);
    if (!errors.empty()) return InvalidArgument(r.where + ": " + FormatFieldErrors(errors));
    return Status::Ok();
  }

  // Fills the fields tvault owns, seals the identity, and writes version `version` of `id`,
  // logging it. REQUIRES: inside impl->Mutate; the testimony passed Validate.
  Status WriteVersion(LogWriter& log, const std::string& id, uint32_t version, v1::Testimony* t,
                      const std::string& created_at, const std::string& action) {
    const std::string now = Rfc3339(NowSeconds());
    t->set_id(id);
    t->set_schema_version(kSchemaVersion);
    if (t->monitor_id().empty()) t->set_monitor_id(impl_->monitor_id);
    if (!t->has_recorded_at()) t->mutable_recorded_at()->set_seconds(NowSeconds());
    TVAULT_RETURN_IF_ERROR(SealIdentity(impl_->org, t));
    std::string body;
    if (!t->SerializeToString(&body)) return Internal("cannot serialize record " + id);
    const std::string hash = Sha256(body);
    RecordInfo info = Summarise(*t, [this](const std::string& f) { return CountryOf(f); });

    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO record_versions(id, version, created_at, "
                                    "body, content_hash) VALUES(?, ?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, id)
                               .Bind(2, static_cast<int64_t>(version))
                               .Bind(3, now)
                               .BindBlob(4, body)
                               .BindBlob(5, hash)
                               .Run());
    TVAULT_RETURN_IF_ERROR(
        ReplaceReportFacts(impl_->db, id, t, version, info.incident_month));
    // DELETE then INSERT rather than INSERT OR REPLACE: REPLACE needs a statement journal,
    // whose every page SQLCipher encrypts (RecordMerger::RewriteHead says the same).
    TVAULT_ASSIGN_OR_RETURN(Stmt old, impl_->db.Prepare("DELETE FROM records WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(old.Bind(1, id).Run());
    TVAULT_ASSIGN_OR_RETURN(
        Stmt head,
        impl_->db.Prepare("INSERT INTO records(id, kind, latest_version, created_at, "
                          "updated_at, deleted, incident_month, country, pushed_from, "
                          "pushed_to, facility_id, people) "
                          "VALUES(?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(head.Bind(1, id)
                               .Bind(2, static_cast<int64_t>(t->kind()))
                               .Bind(3, static_cast<int64_t>(version))
                               .Bind(4, created_at.empty() ? now : created_at)
                               .Bind(5, now)
                               .Bind(6, info.incident_month)
                               .Bind(7, info.country)
                               .Bind(8, info.pushed_from)
                               .Bind(9, info.pushed_to)
                               .Bind(10, info.facility_id)
                               .Bind(11, static_cast<int64_t>(info.people))
                               .Run());
    TVAULT_RETURN_IF_ERROR(ReplaceSearchEntry(impl_->db, id, t));
    return log.Append(impl_->Actor(), action, id, version, hash);
  }

 private:
  Store::Impl* impl_;
  std::map<std::string, std::string> facilities_;
};

}  // namespace internal

namespace internal {

Result<std::vector<std::string>> AddRecords(Store::Impl* impl, std::vector<InputRecord> records,
                                            const WriteExtras& extras) {
  internal::RecordWriter writer(impl);
  TVAULT_RETURN_IF_ERROR(writer.LoadFacilities());
  // Validate everything before writing anything: one bad record rejects the whole input.
  for (const InputRecord& r : records) TVAULT_RETURN_IF_ERROR(writer.Validate(r));
  if (!extras.sealed_identity.empty()) {
    for (InputRecord& r : records) {
      if (!r.testimony.has_identity() || IdentityIsEmpty(r.testimony.identity())) {
        r.testimony.clear_identity();
        r.testimony.set_sealed_identity(extras.sealed_identity);
      }
    }
  }
  std::vector<std::string> ids;
  TVAULT_RETURN_IF_ERROR(impl->Mutate([&](internal::LogWriter& log) -> Status {
    ids.clear();
    for (size_t i = 0; i < records.size(); ++i) ids.push_back(internal::NewRecordId());
    // Written (and logged) in the order of their new ids, not of the input: the ids are
    // random, so input order scatters the inserts over the whole of record_versions and
    // records, each a random page to read, decrypt, encrypt and write back, while id order
    // fills both in one sweep. At a million records that is a third of the time of `add`.
    std::vector<size_t> order(records.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
    for (size_t i : order) {
      InputRecord& r = records[i];
      TVAULT_RETURN_IF_ERROR(
          writer.WriteVersion(log, ids[i], 1, &r.testimony, "", "add").WithContext(r.where));
    }
    return extras.also ? extras.also() : Status::Ok();
  }));
  return ids;
}

Result<uint32_t> EditRecord(Store& store, Store::Impl* impl, const std::string& id,
                            InputRecord replacement, const WriteExtras& extras) {
  TVAULT_ASSIGN_OR_RETURN(RecordVersion current, store.Get(id));
  if (current.info.deleted) {
    return InvalidArgument("record " + id + " is deleted; it cannot be edited");
  }
  TVAULT_RETURN_IF_ERROR(RefuseIfConflicted(impl->db, id));
  v1::Testimony& t = replacement.testimony;
  // A record exported with `show --json` carries the fields tvault owns; accept them back
  // when they match the record being edited.
  if (t.id() == id) t.clear_id();
  if (t.schema_version() != 0 && t.schema_version() <= kSchemaVersion) t.clear_schema_version();
  if (t.sealed_identity() == current.testimony.sealed_identity()) t.clear_sealed_identity();

  internal::RecordWriter writer(impl);
  TVAULT_RETURN_IF_ERROR(writer.LoadFacilities());
  TVAULT_RETURN_IF_ERROR(writer.Validate(replacement));
  if (!t.has_identity() || IdentityIsEmpty(t.identity())) {
    t.clear_identity();
    t.set_sealed_identity(extras.sealed_identity.empty() ? current.testimony.sealed_identity()
                                                         : extras.sealed_identity);
  }
  if (t.monitor_id().empty()) t.set_monitor_id(current.testimony.monitor_id());
  if (!t.has_recorded_at()) *t.mutable_recorded_at() = current.testimony.recorded_at();
  const uint32_t version = current.info.version + 1;
  TVAULT_RETURN_IF_ERROR(impl->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_RETURN_IF_ERROR(
        writer.WriteVersion(log, id, version, &t, current.info.created_at, "edit"));
    return extras.also ? extras.also() : Status::Ok();
  }));
  return version;
}

}  // namespace internal

Result<std::vector<std::string>> Store::Add(std::vector<InputRecord> records) {
  return internal::AddRecords(impl_.get(), std::move(records), {});
}

Result<uint32_t> Store::Edit(const std::string& id, InputRecord replacement) {
  return internal::EditRecord(*this, impl_.get(), id, std::move(replacement), {});
}

Status Store::Delete(const std::string& id, const std::string& reason) {
  if (reason.empty()) return InvalidArgument("--reason: a deletion needs a reason");
  // Like every short text: the reason is printed by `show` and travels in bundles, so a control
  // character (an ESC sequence for the terminal) is refused here.
  const std::vector<FieldError> bad = ValidateShortText(reason, "--reason");
  if (!bad.empty()) return InvalidArgument(FormatFieldErrors(bad));
  TVAULT_ASSIGN_OR_RETURN(RecordVersion current, Get(id));
  if (current.info.deleted) return InvalidArgument("record " + id + " is already deleted");
  TVAULT_RETURN_IF_ERROR(RefuseIfConflicted(impl_->db, id));
  const uint32_t version = current.info.version + 1;
  const std::string hash = internal::Sha256(reason);
  const std::string now = internal::Rfc3339(internal::NowSeconds());
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO record_versions(id, version, created_at, "
                                    "tombstone, reason, body, content_hash) "
                                    "VALUES(?, ?, ?, 1, ?, x'', ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, id)
                               .Bind(2, static_cast<int64_t>(version))
                               .Bind(3, now)
                               .Bind(4, reason)
                               .BindBlob(5, hash)
                               .Run());
    TVAULT_RETURN_IF_ERROR(internal::ReplaceReportFacts(impl_->db, id, nullptr, version, ""));
    TVAULT_RETURN_IF_ERROR(internal::ReplaceSearchEntry(impl_->db, id, nullptr));
    TVAULT_ASSIGN_OR_RETURN(
        Stmt head, impl_->db.Prepare("UPDATE records SET latest_version = ?, updated_at = ?, "
                                     "deleted = 1 WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(
        head.Bind(1, static_cast<int64_t>(version)).Bind(2, now).Bind(3, id).Run());
    return log.Append(impl_->Actor(), "delete", id, version, hash);
  });
}

Result<RecordVersion> Store::Get(const std::string& id, uint32_t version) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<RecordVersion> all, History(id));
  if (version == 0) return std::move(all.back());
  if (version > all.size()) {
    return NotFound("record " + id + " has no version " + std::to_string(version));
  }
  return std::move(all[version - 1]);
}

Result<std::vector<RecordVersion>> Store::History(const std::string& id) {
  internal::RecordWriter facilities(impl_.get());
  TVAULT_RETURN_IF_ERROR(facilities.LoadFacilities());
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare(std::string("SELECT ") + kVersionColumns +
                                 " FROM record_versions v JOIN records r ON r.id = v.id "
                                 "WHERE v.id = ? ORDER BY v.version"));
  st.Bind(1, id);
  std::vector<RecordVersion> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RecordVersion v;
    TVAULT_RETURN_IF_ERROR(ReadVersion(
        st, &v, [&](const std::string& f) { return facilities.CountryOf(f); }));
    out.push_back(std::move(v));
  }
  if (out.empty()) return internal::NoSuchRecord(id);
  return out;
}

Result<std::vector<RecordInfo>> Store::List(const ListFilter& filter) {
  std::string sql = std::string("SELECT ") + internal::kRecordSummaryColumns +
                    ", r.created_at, r.updated_at, r.deleted, "
                    "(SELECT reason FROM record_versions v WHERE v.id = r.id AND "
                    "v.version = r.latest_version) FROM records r WHERE 1";
  if (!filter.include_deleted) sql += " AND deleted = 0";
  if (filter.kind) sql += " AND kind = ?1";
  if (filter.month) sql += " AND incident_month = ?2";
  sql += " ORDER BY incident_month, created_at, id";
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(sql));
  if (filter.kind) st.Bind(1, static_cast<int64_t>(*filter.kind));
  if (filter.month) st.Bind(2, *filter.month);
  std::vector<RecordInfo> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RecordInfo r;
    internal::ReadRecordSummary(st, &r);
    r.created_at = st.Text(9);
    r.updated_at = st.Text(10);
    r.deleted = st.Int(11) != 0;
    r.delete_reason = st.Text(12);
    out.push_back(std::move(r));
  }
  return out;
}

Status Store::AddFacilities(const std::vector<v1::Facility>& facilities) {
  for (size_t i = 0; i < facilities.size(); ++i) {
    std::vector<FieldError> errors = ValidateFacility(facilities[i]);
    if (!errors.empty()) {
      return InvalidArgument("facility " + std::to_string(i + 1) + ": " +
                             FormatFieldErrors(errors));
    }
  }
  const std::string now = internal::Rfc3339(internal::NowSeconds());
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    std::set<std::string> seen;
    for (const v1::Facility& f : facilities) {
      if (!seen.insert(f.id()).second) {
        return Status(Code::kAlreadyExists, "facility " + f.id() + " appears twice in the input");
      }
      TVAULT_ASSIGN_OR_RETURN(
          Stmt st, impl_->db.Prepare("INSERT INTO facilities(id, country, body, created_at) "
                                     "VALUES(?, ?, ?, ?)"));
      const std::string body = f.SerializeAsString();
      Status s = st.Bind(1, f.id()).Bind(2, f.country()).BindBlob(3, body).Bind(4, now).Run();
      if (s.code() == Code::kAlreadyExists) {
        return Status(Code::kAlreadyExists, "facility " + f.id() + " is already in the registry");
      }
      TVAULT_RETURN_IF_ERROR(s);
      TVAULT_RETURN_IF_ERROR(log.Append(impl_->Actor(), "facility-add", f.id(), 1,
                                        internal::Sha256(body)));
    }
    return Status::Ok();
  });
}

Result<std::vector<v1::Facility>> Store::ListFacilities() {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare("SELECT body FROM facilities ORDER BY id"));
  std::vector<v1::Facility> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    v1::Facility f;
    if (!f.ParseFromString(st.Blob(0))) {
      return Damaged(std::string(internal::kDamagedMessage) + " (facility registry)");
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tvault
