#include "store/report_facts.h"

#include "pipeline/facts.h"

namespace tvault::internal {
namespace {

Status InsertFacts(Db& db, const std::string& id, const v1::Testimony& latest, uint32_t version,
                   const std::string& month) {
  std::string facts;
  if (!pipeline::ReportView(latest).SerializeToString(&facts)) {
    return Internal("cannot serialize the report facts of record " + id);
  }
  // The version's pseudonym when it has one already (a version that was latest before, or
  // an older store's), so that only new versions wait for DerivePseudonyms.
  TVAULT_ASSIGN_OR_RETURN(
      Stmt ins, db.Prepare("INSERT INTO report_facts(incident_month, id, version, facts, "
                           "person) VALUES(?1, ?2, ?3, ?4, (SELECT person FROM pseudonyms "
                           "WHERE id = ?2 AND version = ?3))"));
  return ins.Bind(1, month).Bind(2, id).Bind(3, static_cast<int64_t>(version)).BindBlob(4, facts)
      .Run();
}

}  // namespace

Status ReplaceReportFacts(Db& db, const std::string& id, const v1::Testimony* latest,
                          uint32_t version, const std::string& month) {
  // The primary key starts with the month, so the old row is found through the `records` row
  // (no second index on id to keep up to date).
  TVAULT_ASSIGN_OR_RETURN(
      Stmt del, db.Prepare("DELETE FROM report_facts WHERE incident_month = (SELECT "
                           "incident_month FROM records WHERE id = ?1) AND id = ?1"));
  TVAULT_RETURN_IF_ERROR(del.Bind(1, id).Run());
  if (latest == nullptr) return Status::Ok();
  return InsertFacts(db, id, *latest, version, month);
}

Status BackfillReportFacts(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt sel, db.Prepare("SELECT r.id, r.latest_version, r.incident_month, v.body FROM "
                           "records r JOIN record_versions v ON v.id = r.id AND v.version = "
                           "r.latest_version WHERE r.deleted = 0 ORDER BY r.incident_month, "
                           "r.id"));
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, sel.Step());
    if (!row) return Status::Ok();
    const std::string id = sel.Text(0);
    v1::Testimony t;
    if (!t.ParseFromString(sel.Blob(3))) {
      return Damaged(std::string(kDamagedMessage) + " (record " + id + ")");
    }
    TVAULT_RETURN_IF_ERROR(
        InsertFacts(db, id, t, static_cast<uint32_t>(sel.Int(1)), sel.Text(2)));
  }
}

}  // namespace tvault::internal
