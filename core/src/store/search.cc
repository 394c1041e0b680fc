// Store::Search: the full-text index and the structured filters (tvault/search.h).
#include <string>
#include <vector>

#include "store/search_index.h"
#include "store/store_impl.h"
#include "tvault/search.h"

namespace tvault {

using internal::Stmt;

Result<std::vector<RecordInfo>> Store::Search(const SearchQuery& query) {
  TVAULT_ASSIGN_OR_RETURN(std::string match, SearchMatchExpression(query.text));
  const bool filtered = query.kind || query.month || !query.violence.empty() ||
                        !query.pushed_from.empty() || !query.pushed_to.empty() ||
                        !query.nationalities.empty() || !query.facility_id.empty();
  if (match.empty() && !filtered) {
    return InvalidArgument("search: give words to search for, or a filter");
  }

  // Every value travels as a bound parameter, never in the SQL text: the statement cache keys
  // on that text (store/db.h), and the query must be kept nowhere.
  std::vector<std::string> params;
  std::string where;
  // Adds " AND <before>?N<after>" with `value` bound to ?N.
  auto cond = [&](const char* before, std::string value, const char* after = "") {
    params.push_back(std::move(value));
    where += std::string(" AND ") + before + "?" + std::to_string(params.size()) + after;
  };
  // search_docs (alias r) holds a copy of each live record's `records` row: the summary
  // columns have the same names, and a hit costs one lookup by docid.
  std::string sql = std::string("SELECT ") + internal::kRecordSummaryColumns +
                    ", r.created_at, r.updated_at FROM ";
  if (!match.empty()) {
    // The FTS table drives the join: its MATCH yields the docids, each looked up once.
    sql += "search_text s JOIN search_docs r ON r.docid = s.docid";
    cond("search_text MATCH ", match);
  } else {
    sql += "search_docs r";
  }
  if (query.kind) where += " AND r.kind = " + std::to_string(static_cast<int>(*query.kind));
  if (query.month) cond("r.incident_month = ", *query.month);
  if (!query.pushed_from.empty()) cond("r.pushed_from = ", query.pushed_from);
  if (!query.pushed_to.empty()) cond("r.pushed_to = ", query.pushed_to);
  if (!query.facility_id.empty()) cond("r.facility_id = ", query.facility_id);
  for (v1::ViolenceType v : query.violence) {
    cond("0 < instr(r.violence, ", " " + v1::ViolenceType_Name(v) + " ", ")");
  }
  for (const std::string& n : query.nationalities) {
    cond("0 < instr(r.nationality, ", " " + n + " ", ")");
  }
  sql += " WHERE 1" + where + " ORDER BY r.incident_month, r.created_at, r.id";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);

  TVAULT_ASSIGN_OR_RETURN(Stmt st, impl_->db.Prepare(sql));
  for (size_t i = 0; i < params.size(); ++i) st.Bind(static_cast<int>(i + 1), params[i]);
  std::vector<RecordInfo> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RecordInfo r;
    internal::ReadRecordSummary(st, &r);
    r.created_at = st.Text(9);
    r.updated_at = st.Text(10);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tvault
