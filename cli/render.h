// Turning records into text for people (tables, field dumps) and into JSON for scripts.
#ifndef TVAULT_CLI_RENDER_H_
#define TVAULT_CLI_RENDER_H_

#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/store.h"

namespace tvault::cli {

std::string JsonEscape(std::string_view s);

// `s` made safe to print on a terminal: every control character (C0, DEL and C1, so no ESC
// or CSI sequence reaches the terminal), every bidirectional override and every byte that is
// not valid UTF-8 is written as an escape (\x1b, \u009b, \u202e). With `keep_newlines`,
// newline and tab pass (narratives); otherwise they are escaped too. Everything printed from a
// record or a message that may quote one goes through it.
std::string TerminalSafe(std::string_view s, bool keep_newlines = false);

// "pushback" / "facility".
std::string KindName(v1::Kind kind);
// Parses "pushback" or "facility". Throws CliError otherwise.
v1::Kind ParseKind(const std::string& name);
// Returns `value` when it is a month (YYYY-MM). Throws CliError (usage) naming `flag` otherwise.
std::string ParseMonth(const std::string& flag, const std::string& value);

// Prints every set field of a testimony as "path: value" lines. The sealed identity is shown
// as "[sealed]": this device cannot open it.
void PrintTestimony(const v1::Testimony& t, std::ostream& out);

// The lines of PrintTestimony as field path -> value (a multi-line value joined by newlines),
// for comparing versions field by field.
std::map<std::string, std::string> TestimonyFields(const v1::Testimony& t);

// One RecordInfo as a JSON object (one line).
std::string RecordInfoJson(const RecordInfo& r);

// The records as a table for people, one line each, then "N records".
void PrintRecordTable(const std::vector<RecordInfo>& rows);

// Finds the record whose id starts with `prefix` (at least 6 hex digits). Throws CliError
// when none or several match.
std::string ResolveRecordId(Store& store, const std::string& prefix);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_RENDER_H_
