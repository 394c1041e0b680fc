// What the report pipeline reads from the store: pseudonyms (derived once per version), the
// period's latest versions, and the checkpoint a report embeds. Pseudonyms stay inside this
// file: callers see only a per-scan person number.
#include <sodium.h>

#include <map>
#include <memory>
#include <vector>

#include "pipeline/pseudonymise.h"
#include "store/pseudonym_pool.h"
#include "store/store_impl.h"

namespace tvault {

using internal::Stmt;

Result<uint64_t> Store::DerivePseudonyms(const OrgSecretKey& org, int threads) {
  TVAULT_RETURN_IF_ERROR(impl_->RequireOrgSecret(org));
  const SecretBytes key = pipeline::PseudonymKey(org);
  // Versions go to the workers in batches; the next batch is read while one is derived.
  constexpr size_t kBatch = 256;
  uint64_t derived = 0;
  TVAULT_RETURN_IF_ERROR(impl_->Mutate([&](internal::LogWriter& log) -> Status {
    derived = 0;
    TVAULT_ASSIGN_OR_RETURN(
        Stmt sel, impl_->db.Prepare("SELECT v.id, v.version, v.body FROM record_versions v "
                                    "LEFT JOIN pseudonyms p ON p.id = v.id AND "
                                    "p.version = v.version WHERE p.id IS NULL AND "
                                    "v.tombstone = 0 ORDER BY v.id, v.version"));
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO pseudonyms(id, version, person) "
                                    "VALUES(?, ?, ?)"));
    std::vector<internal::PseudonymJob> batch[2];
    struct Wiper {  // pseudonyms not written (on an error) are wiped too
      std::vector<internal::PseudonymJob>* b;
      ~Wiper() {
        for (int i = 0; i < 2; ++i) {
          for (auto& j : b[i]) sodium_memzero(j.person.data(), j.person.size());
        }
      }
    } wiper{batch};
    // Declared after the batches: destroyed (its workers joined) before them.
    std::unique_ptr<internal::PseudonymPool> pool;
    if (threads > 0) pool = std::make_unique<internal::PseudonymPool>(org, key, threads);
    if (pool && pool->size() == 0) pool.reset();  // no thread could be made: derive here
    SecretBytes scratch;  // threads == 0: one buffer for every opened identity

    // Reads up to kBatch versions into `b`; false when the last row has been read.
    auto fill = [&](std::vector<internal::PseudonymJob>& b) -> Result<bool> {
      for (auto& j : b) sodium_memzero(j.person.data(), j.person.size());
      b.clear();
      while (b.size() < kBatch) {
        TVAULT_ASSIGN_OR_RETURN(bool row, sel.Step());
        if (!row) return false;
        internal::PseudonymJob job;
        job.id = sel.Text(0);
        job.version = sel.Int(1);
        job.body = sel.Blob(2);
        b.push_back(std::move(job));
      }
      return true;
    };
    // Writes a derived batch in order; the first failure in order is the result, as when
    // deriving one version after the other.
    auto write = [&](std::vector<internal::PseudonymJob>& b) -> Status {
      for (internal::PseudonymJob& j : b) {
        if (!j.status.ok()) return j.status;
        ins.Reset();
        TVAULT_RETURN_IF_ERROR(ins.Bind(1, j.id).Bind(2, j.version).BindBlob(3, j.person).Run());
        sodium_memzero(j.person.data(), j.person.size());
        ++derived;
      }
      return Status::Ok();
    };

    int cur = 0;
    TVAULT_ASSIGN_OR_RETURN(bool more, fill(batch[cur]));
    while (!batch[cur].empty()) {
      if (pool) {
        pool->Start(&batch[cur]);
      } else {
        for (auto& j : batch[cur]) internal::DerivePseudonymJob(org, key, &j, &scratch);
      }
      // Nothing returns between Start and Wait: the workers are using batch[cur].
      Result<bool> next = more ? fill(batch[1 - cur]) : Result<bool>(false);
      if (!more) batch[1 - cur].clear();
      if (pool) pool->Wait();
      TVAULT_RETURN_IF_ERROR(write(batch[cur]));
      if (!next.ok()) return next.status();
      more = *next;
      cur = 1 - cur;
    }
    if (derived == 0) return Status::Ok();
    return log.Append(impl_->Actor(), "pseudonymise", "", 0, "");
  }));
  return derived;
}

Status Store::ScanForReport(const std::string& month_from, const std::string& month_to,
                            const std::function<Status(ScannedRecord&&)>& fn) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st,
      impl_->db.Prepare(
          std::string("SELECT ") + internal::kRecordSummaryColumns +
          ", v.body, p.person, p.id IS NULL FROM records r JOIN record_versions v ON v.id = r.id AND v.version = "
          "r.latest_version LEFT JOIN pseudonyms p ON p.id = r.id AND p.version = "
          "r.latest_version WHERE r.deleted = 0 AND r.incident_month >= ?1 AND "
          "r.incident_month <= ?2 ORDER BY r.incident_month, r.id"));
  st.Bind(1, month_from).Bind(2, month_to);
  std::map<std::string, uint64_t> persons;  // pseudonym -> number; wiped below
  Status result = Status::Ok();
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) {
      result = row.status();
      break;
    }
    if (!*row) break;
    ScannedRecord r;
    RecordInfo& info = r.version.info;
    internal::ReadRecordSummary(st, &info);
    if (st.Int(11) != 0) {
      result = Internal("record " + info.id + " has no pseudonym yet");
      break;
    }
    if (!r.version.testimony.ParseFromString(st.Blob(9))) {
      result = Damaged(std::string(internal::kDamagedMessage) + " (record " + info.id + ")");
      break;
    }
    std::string pseudonym = st.Blob(10);
    if (!pseudonym.empty()) {
      auto [it, added] = persons.emplace(std::move(pseudonym), persons.size() + 1);
      r.person = it->second;
    }
    result = fn(std::move(r));
    if (!result.ok()) break;
  }
  // std::map nodes are freed as they are; wipe the keys first (they are pseudonyms).
  for (auto& [p, n] : persons) sodium_memzero(const_cast<char*>(p.data()), p.size());
  return result;
}

Result<uint64_t> Store::CountDeleted(const std::string& month_from, const std::string& month_to) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT COUNT(*) FROM records WHERE deleted = 1 AND "
                                 "incident_month >= ?1 AND incident_month <= ?2"));
  st.Bind(1, month_from).Bind(2, month_to);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? static_cast<uint64_t>(st.Int(0)) : 0;
}

namespace {

// The actions that change nothing a report counts. A report embeds the checkpoint of the log
// as it stood after the last other entry, so that reruns on the same data embed the same one.
constexpr char kNonDataActions[] = "('report', 'pseudonymise', 'export', 'reveal')";

}  // namespace

Result<std::string> Store::DataCheckpoint() {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare(std::string("SELECT note FROM checkpoints WHERE size = (SELECT "
                                             "MAX(seq) FROM audit_log WHERE action NOT IN ") +
                                 kNonDataActions + ")"));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("the audit log has no checkpoint of its last change");
  return st.Text(0);
}

Result<std::vector<ConsistencyProofData>> Store::ProofsFromEarlierReports(
    const std::string& month) {
  // The data checkpoint a logged report embedded is the one at the last data entry before its
  // "report" entry (DataCheckpoint at the time it was written).
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st,
      impl_->db.Prepare(std::string("SELECT DISTINCT (SELECT MAX(d.seq) FROM audit_log d WHERE "
                                    "d.seq < r.seq AND d.action NOT IN ") +
                        kNonDataActions + ") AS size FROM audit_log r WHERE r.action = "
                        "'report' AND r.record_id < ?1 ORDER BY size"));
  st.Bind(1, month);
  std::vector<uint64_t> sizes;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    sizes.push_back(static_cast<uint64_t>(st.Int(0)));
  }
  TVAULT_ASSIGN_OR_RETURN(
      Stmt now, impl_->db.Prepare(std::string("SELECT MAX(seq) FROM audit_log WHERE action "
                                              "NOT IN ") + kNonDataActions));
  TVAULT_ASSIGN_OR_RETURN(bool row, now.Step());
  const uint64_t current = row ? static_cast<uint64_t>(now.Int(0)) : 0;
  return internal::ProveAuditLogSizes(impl_->db, sizes, current);
}

Status Store::LogReport(const std::string& month, const std::string& manifest) {
  return impl_->Mutate([&](internal::LogWriter& log) {
    return log.Append(impl_->Actor(), "report", month, 0, internal::Sha256(manifest));
  });
}

}  // namespace tvault
