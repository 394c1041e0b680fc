#include "store/search_index.h"

#include "tvault/search.h"

namespace tvault::internal {
namespace {

// The free-text fields of a testimony other than the narrative, one per line. Codes and
// closed lists are not text: they are searched with the structured filters.
std::string Details(const v1::Testimony& t) {
  std::string out;
  auto add = [&out](const std::string& s) {
    if (s.empty()) return;
    if (!out.empty()) out += '\n';
    out += s;
  };
  if (t.has_pushback()) {
    const v1::Pushback& p = t.pushback();
    add(p.location().municipality());
    add(p.location().border_segment());
    for (const v1::Perpetrator& perp : p.perpetrators()) add(perp.unit_as_seen());
    add(p.detention().place());
    add(p.medical().description());
  }
  return out;
}

// " A B C ": the values space-delimited with a space at both ends, so that a filter matches a
// whole value with instr(column, ' VALUE ').
template <typename Range, typename Fn>
std::string Delimited(const Range& values, Fn name) {
  std::string out = " ";
  for (const auto& v : values) out += name(v) + " ";
  return out;
}

// The folded captions of `id`'s attachments that are not detached, one per line.
Result<std::string> CaptionsOf(Db& db, const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("SELECT caption FROM attachments WHERE record_id = ? AND detached = 0 "
                          "AND caption <> '' ORDER BY number"));
  st.Bind(1, id);
  std::string all;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (!all.empty()) all += '\n';
    all += st.Text(0);
  }
  Result<std::string> folded = FoldForSearch(all);
  if (!folded.ok()) {
    return Damaged(std::string(kDamagedMessage) + " (record " + id + ": a caption is not UTF-8)");
  }
  return *folded;
}

// ReplaceSearchEntry; `with_captions` is false only in migration 7, which runs before the
// attachments table exists (migration 10).
Status ReplaceEntry(Db& db, const std::string& id, const v1::Testimony* latest,
                    bool with_captions);

}  // namespace

Status ReplaceSearchEntry(Db& db, const std::string& id, const v1::Testimony* latest) {
  return ReplaceEntry(db, id, latest, /*with_captions=*/true);
}

Status RefreshSearchCaptions(Db& db, const std::string& id) {
  TVAULT_ASSIGN_OR_RETURN(std::string captions, CaptionsOf(db, id));
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("UPDATE search_text SET captions = ? WHERE docid = (SELECT docid FROM "
                          "search_docs WHERE id = ?)"));
  return st.Bind(1, captions).Bind(2, id).Run();
}

namespace {

Status ReplaceEntry(Db& db, const std::string& id, const v1::Testimony* latest,
                    bool with_captions) {
  TVAULT_ASSIGN_OR_RETURN(Stmt find, db.Prepare("SELECT docid FROM search_docs WHERE id = ?"));
  find.Bind(1, id);
  TVAULT_ASSIGN_OR_RETURN(bool found, find.Step());
  const int64_t old_docid = found ? find.Int(0) : 0;
  find.Reset();  // no read cursor left open on the table written below
  if (found) {
    TVAULT_ASSIGN_OR_RETURN(Stmt text, db.Prepare("DELETE FROM search_text WHERE docid = ?"));
    TVAULT_RETURN_IF_ERROR(text.Bind(1, old_docid).Run());
    TVAULT_ASSIGN_OR_RETURN(Stmt doc, db.Prepare("DELETE FROM search_docs WHERE docid = ?"));
    TVAULT_RETURN_IF_ERROR(doc.Bind(1, old_docid).Run());
  }
  if (latest == nullptr) return Status::Ok();

  std::string violence, nationality;
  if (latest->has_pushback()) {
    const v1::Pushback& p = latest->pushback();
    violence = Delimited(p.violence(), [](int v) {
      return v1::ViolenceType_Name(static_cast<v1::ViolenceType>(v));
    });
    nationality =
        Delimited(p.nationalities(), [](const v1::NationalityCount& n) { return n.country(); });
  }
  // The summary columns are copied from the records row just written, so the two cannot
  // disagree. A record keeps its docid across versions.
  TVAULT_ASSIGN_OR_RETURN(
      Stmt doc,
      db.Prepare("INSERT INTO search_docs(docid, id, kind, latest_version, created_at, "
                 "updated_at, incident_month, country, pushed_from, pushed_to, facility_id, "
                 "people, violence, nationality) SELECT ?1, id, kind, latest_version, "
                 "created_at, updated_at, incident_month, country, pushed_from, pushed_to, "
                 "facility_id, people, ?3, ?4 FROM records WHERE id = ?2 AND deleted = 0"));
  if (found) {
    doc.Bind(1, old_docid);
  } else {
    doc.BindNull(1);  // a new rowid
  }
  TVAULT_RETURN_IF_ERROR(doc.Bind(2, id).Bind(3, violence).Bind(4, nationality).Run());
  if (sqlite3_changes(db.raw()) != 1) {
    return Internal("search index: record " + id + " has no live records row");
  }
  const int64_t docid = sqlite3_last_insert_rowid(db.raw());

  // Stored fields passed validation (valid UTF-8), so folding cannot fail on them; a body
  // that is not would be damage.
  Result<std::string> narrative = FoldForSearch(latest->narrative());
  Result<std::string> details = FoldForSearch(Details(*latest));
  if (!narrative.ok() || !details.ok()) {
    return Damaged(std::string(kDamagedMessage) + " (record " + id + ": text not UTF-8)");
  }
  std::string captions;
  if (with_captions) {
    TVAULT_ASSIGN_OR_RETURN(captions, CaptionsOf(db, id));
  }
  TVAULT_ASSIGN_OR_RETURN(
      Stmt text, db.Prepare(std::string("INSERT INTO search_text(docid, ") +
                            kSearchTextColumns + ") VALUES(?, ?, ?, ?)"));
  return text.Bind(1, docid).Bind(2, *narrative).Bind(3, *details).Bind(4, captions).Run();
}

}  // namespace

Status BackfillSearchIndex(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt sel, db.Prepare("SELECT r.id, v.body FROM records r JOIN record_versions v ON "
                           "v.id = r.id AND v.version = r.latest_version WHERE r.deleted = 0 "
                           "ORDER BY r.id"));
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, sel.Step());
    if (!row) return Status::Ok();
    const std::string id = sel.Text(0);
    v1::Testimony t;
    if (!t.ParseFromString(sel.Blob(1))) {
      return Damaged(std::string(kDamagedMessage) + " (record " + id + ")");
    }
    TVAULT_RETURN_IF_ERROR(ReplaceEntry(db, id, &t, /*with_captions=*/false));
  }
}

}  // namespace tvault::internal
