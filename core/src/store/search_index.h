// The search index (schema version 7, docs/schema.md "Search index"): for every record whose
// latest version is not a tombstone, that version's free text, folded (FoldForSearch), in the
// FTS4 table `search_text`, and in `search_docs` a copy of its `records` row with its
// multi-valued filter fields (violence types, nationalities), so a search reads one row a hit. Kept up to date in the same transaction as the `records` row, wherever
// that row changes (Add, Edit, Delete, bundle merges), so a search sees exactly the latest
// versions of the live records. Identity fields are never indexed: a stored testimony holds
// them only sealed.
#ifndef TVAULT_STORE_SEARCH_INDEX_H_
#define TVAULT_STORE_SEARCH_INDEX_H_

#include <string>

#include "store/db.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::internal {

// The FTS4 columns of `search_text`, in order. `captions` holds the captions of the record's
// attachments that are not detached, folded, one per line.
constexpr char kSearchTextColumns[] = "narrative, details, captions";

// Makes `id`'s index entry describe `latest` (its new latest version), or removes the entry
// when `latest` is null (a tombstone, or no agreed line).
// REQUIRES: inside a write transaction, and after the `records` row of `id` was written
// (its summary columns are copied from there).
Status ReplaceSearchEntry(Db& db, const std::string& id, const v1::Testimony* latest);

// Rewrites the captions of `id`'s index entry from its attachments (after an attach, a detach,
// or an import of attachments); nothing when `id` has no entry (a deleted record).
// REQUIRES: inside a write transaction.
Status RefreshSearchCaptions(Db& db, const std::string& id);

// Fills the index from the stored latest versions (migration 7 of a store made before the
// index existed). REQUIRES: inside the migration's transaction; the tables are empty.
Status BackfillSearchIndex(Db& db);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_SEARCH_INDEX_H_
