// Searching the testimonies of a store by what they say and by what they record.
//
// The full-text index (an SQLite FTS4 table inside the encrypted store: docs/schema.md,
// "Search index") holds the latest version of every live record: its narrative and the other
// free-text fields, folded as FoldForSearch says. Identity fields are sealed and never indexed.
// A query is never written anywhere: not to the audit log, not to a file.
#ifndef TVAULT_SEARCH_H_
#define TVAULT_SEARCH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/status.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault {

// Longest query text accepted, in bytes.
constexpr size_t kMaxSearchQueryBytes = 1024;

// What Store::Search looks for. Every part that is set narrows the result: a record is found
// when it matches the text and every filter. At least one part must be set.
struct SearchQuery {
  // Free text (docs/cli.md, "search"): words, all of which must occur; "a phrase" in double
  // quotes, whose words must occur in that order; a word ending in * matches every word it
  // begins (prefix search); OR between two terms matches either. Case, accents and the
  // spelling variants FoldForSearch folds are ignored. Empty: no text condition.
  std::string text;
  std::optional<v1::Kind> kind;
  std::optional<std::string> month;          // incident month, YYYY-MM
  std::vector<v1::ViolenceType> violence;    // pushbacks reporting every one of these
  std::string pushed_from;                   // ISO 3166-1 alpha-2; empty: any
  std::string pushed_to;                     // ISO 3166-1 alpha-2; empty: any
  std::vector<std::string> nationalities;    // pushbacks whose group has every one of these
  std::string facility_id;                   // facility testimonies about this facility
  size_t limit = 0;                          // at most this many results; 0: all
};

// Folds text the way the index stores it and queries are compared: Unicode compatibility
// decomposition, case folding, combining marks (accents, Arabic harakat and hamza marks)
// removed, default-ignorable characters (ZWNJ, soft hyphen) and the Arabic tatweel removed,
// and a few letters without a decomposition mapped to their base letter (ı ł đ ø ħ ŧ æ œ;
// Arabic ى ی → ي, ک → ك, ة → ه; Arabic-Indic digits → 0-9). kInvalidArgument when `text` is
// not valid UTF-8.
Result<std::string> FoldForSearch(std::string_view text);

// Checks the syntax of a query's text and returns the FTS4 MATCH expression Store::Search
// runs (every term quoted, so no FTS operator of the user's text reaches SQLite). Empty when
// `text` is empty. kInvalidArgument naming the problem and its position (a 1-based character
// count) for: an unclosed quote, a '*' that does not end a word, OR without a term on both
// sides, a term with no letter or digit, a text longer than kMaxSearchQueryBytes, invalid
// UTF-8. The message never repeats the query.
Result<std::string> SearchMatchExpression(std::string_view text);

}  // namespace tvault

#endif  // TVAULT_SEARCH_H_
