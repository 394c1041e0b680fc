// What the report pipeline reads from the store: pseudonyms (derived once per version), the
// period's latest versions, and the checkpoint a report embeds. Pseudonyms stay inside this
// file: callers see only a person number, valid within one incident month of one scan.
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
  uint64_t derived = 0;
  TVAULT_RETURN_IF_ERROR(impl_->Mutate([&](internal::LogWriter& log) -> Status {
    derived = 0;
    // The partial index report_facts_pending holds exactly the rows without a pseudonym. They
    // are read a batch at a time and written after, never while the index is being walked.
    // A batch starts after the last id of the one before, so that the next batch is read
    // while the workers open the identities of the current one.
    TVAULT_ASSIGN_OR_RETURN(
        Stmt sel, impl_->db.Prepare("SELECT f.incident_month, f.id, f.version, (SELECT v.body "
                                    "FROM record_versions v WHERE v.id = f.id AND v.version = "
                                    "f.version) FROM report_facts f WHERE f.person IS NULL "
                                    "AND f.id > ?1 ORDER BY f.id LIMIT 256"));
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO pseudonyms(id, version, person) "
                                    "VALUES(?, ?, ?)"));
    TVAULT_ASSIGN_OR_RETURN(
        Stmt set, impl_->db.Prepare("UPDATE report_facts SET person = ? WHERE "
                                    "incident_month = ? AND id = ?"));
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
    pipeline::PseudonymScratch scratch;  // without workers: one for every opened identity
    std::string after;    // the last id read
    auto read = [&](std::vector<internal::PseudonymJob>& b) -> Status {
      for (auto& j : b) sodium_memzero(j.person.data(), j.person.size());
      b.clear();
      sel.Reset();
      sel.Bind(1, after);
      for (;;) {
        TVAULT_ASSIGN_OR_RETURN(bool row, sel.Step());
        if (!row) break;
        internal::PseudonymJob job;
        job.month = sel.Text(0);
        job.id = sel.Text(1);
        job.version = sel.Int(2);
        if (sel.IsNull(3)) {
          job.status =
              Damaged(std::string(internal::kDamagedMessage) + " (record " + job.id + ")");
        } else {
          job.body = sel.Blob(3);
        }
        b.push_back(std::move(job));
      }
      sel.Reset();  // done walking the index before anything is written
      if (!b.empty()) after = b.back().id;
      return Status::Ok();
    };
    int cur = 0;
    TVAULT_RETURN_IF_ERROR(read(batch[cur]));
    while (!batch[cur].empty()) {
      if (pool) {
        pool->Start(&batch[cur]);
      } else {
        for (auto& j : batch[cur]) internal::DerivePseudonymJob(org, key, &j, &scratch);
      }
      // Nothing returns between Start and Wait: the workers are using batch[cur].
      Status next = read(batch[1 - cur]);
      if (pool) pool->Wait();
      // The first failure in id order is the result, whatever the number of threads.
      for (internal::PseudonymJob& j : batch[cur]) {
        if (!j.status.ok()) return j.status;
        ins.Reset();
        Status s = ins.Bind(1, j.id).Bind(2, j.version).BindBlob(3, j.person).Run();
        set.Reset();
        if (s.ok()) s = set.BindBlob(1, j.person).Bind(2, j.month).Bind(3, j.id).Run();
        sodium_memzero(j.person.data(), j.person.size());
        TVAULT_RETURN_IF_ERROR(s);
        ++derived;
      }
      TVAULT_RETURN_IF_ERROR(next);
      cur = 1 - cur;
    }
    if (derived == 0) return Status::Ok();
    return log.Append(impl_->Actor(), "pseudonymise", "", 0, "");
  }));
  return derived;
}

Status Store::ScanForReport(const std::string& month_from, const std::string& month_to,
                            const std::function<Status(ScannedRecord&&)>& fn) {
  // report_facts is ordered by (incident_month, id): the months asked for are one range of
  // its key, read in order with no sort, each row with its pseudonym.
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT incident_month, id, version, facts, person, "
                                 "person IS NULL FROM report_facts WHERE incident_month >= ?1 "
                                 "AND incident_month <= ?2 ORDER BY incident_month, id"));
  st.Bind(1, month_from).Bind(2, month_to);
  // Pseudonym -> number, for the current month only (ScannedRecord): wiped at every month.
  std::map<std::string, uint64_t> persons;
  auto forget = [&persons]() {
    // std::map nodes are freed as they are; wipe the keys first (they are pseudonyms).
    for (auto& [p, n] : persons) sodium_memzero(const_cast<char*>(p.data()), p.size());
    persons.clear();
  };
  std::string month;
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
    info.incident_month = st.Text(0);
    info.id = st.Text(1);
    info.version = static_cast<uint32_t>(st.Int(2));
    if (st.Int(5) != 0) {
      result = Internal("record " + info.id + " has no pseudonym yet");
      break;
    }
    if (!r.version.testimony.ParseFromString(st.Blob(3))) {
      result = Damaged(std::string(internal::kDamagedMessage) + " (record " + info.id + ")");
      break;
    }
    info.kind = r.version.testimony.kind();
    if (info.incident_month != month) {
      forget();
      month = info.incident_month;
    }
    std::string pseudonym = st.Blob(4);
    if (!pseudonym.empty()) {
      auto [it, added] = persons.emplace(std::move(pseudonym), persons.size() + 1);
      r.person = it->second;
    }
    result = fn(std::move(r));
    if (!result.ok()) break;
  }
  forget();
  return result;
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
