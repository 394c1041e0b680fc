// The `report_facts` table (schema version 5, docs/formats.md): for every record whose latest
// version is not a tombstone, that version's ReportView and pseudonym (NULL until
// Store::DerivePseudonyms), clustered by (incident month, id).
// A report reads the months it counts from here instead of the bodies in record_versions,
// which are clustered by random id: a quarter of the records sits on nearly every page of the
// file, while its facts sit together on a few pages of their own.
#ifndef TVAULT_STORE_REPORT_FACTS_H_
#define TVAULT_STORE_REPORT_FACTS_H_

#include <cstdint>
#include <string>

#include "store/db.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::internal {

// Makes `id`'s facts row describe its new latest version: `latest` (version `version`, incident
// month `month`), or no row when `latest` is null (a tombstone, or no agreed line).
// REQUIRES: inside a write transaction, and before the `records` row of `id` is rewritten:
// the old facts row is found through the old row's incident month.
Status ReplaceReportFacts(Db& db, const std::string& id, const v1::Testimony* latest,
                          uint32_t version, const std::string& month);

// Fills `report_facts` from the stored latest versions (migration 5 of a store made before the
// table existed). REQUIRES: inside the migration's transaction; the table is empty.
Status BackfillReportFacts(Db& db);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_REPORT_FACTS_H_
