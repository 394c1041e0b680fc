// Validation of testimonies against the fixed schema, and their JSON form (the protobuf JSON
// mapping of tvault.v1.Testimony). docs/schema.md documents every field and rule.
#ifndef TVAULT_SCHEMA_H_
#define TVAULT_SCHEMA_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/status.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault {


// The schema version this build writes into every new record version.
constexpr uint32_t kSchemaVersion = 1;

// Upper bounds that keep hostile input in bounded memory. Documented in docs/schema.md.
constexpr size_t kMaxJsonRecordBytes = 1 << 20;   // one JSON record (a line or array element)
constexpr size_t kMaxTextFieldBytes = 64 << 10;   // narrative, medical description
constexpr size_t kMaxShortFieldBytes = 256;       // names, codes, places
constexpr size_t kMaxRepeated = 256;              // entries of any repeated field
constexpr uint32_t kMaxGroupSize = 10000;
// The longest stay_length, in days (about 55 years): a larger number is a typing mistake.
constexpr int32_t kMaxStayDays = 20000;

// One thing wrong with one field. `field` is the proto path, e.g. "pushback.minors_count" or
// "pushback.nationalities[2].country".
struct FieldError {
  std::string field;
  std::string message;
};

// What validation needs to know beyond the record itself.
struct ValidationContext {
  std::string today;  // YYYY-MM-DD (UTC): incident dates after it are rejected
  // True when the facility registry holds `id`. REQUIRES: set for FACILITY testimonies.
  std::function<bool(std::string_view id)> facility_exists;
};

// Checks a testimony as entered by a monitor (before tvault assigns id, schema_version and
// seals the identity). Returns every problem found, empty when valid. Rules: docs/schema.md.
std::vector<FieldError> ValidateTestimony(const v1::Testimony& t, const ValidationContext& ctx);

// Checks a facility registry entry (id, name, country, type).
std::vector<FieldError> ValidateFacility(const v1::Facility& f);

// True for an assigned ISO 3166-1 alpha-2 code (upper case), e.g. "HR", "BA", "AF". "XK"
// (Kosovo, user-assigned but used by the EU and the UN) is accepted too.
bool IsIsoCountryCode(std::string_view code);

// True for a monitor code (a testimony's monitor_id, `init --monitor`): at most 64 characters
// of A-Z, a-z, 0-9, '.', '_' and '-'; empty is allowed. A code name, never a legal name.
bool IsValidMonitorId(std::string_view id);

// True when `s` is a real calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view s);

// True for a date (IsIsoDate), a month written YYYY-MM or a year written YYYY: how much of a
// date of birth a person may know.
bool IsIsoDateOrPart(std::string_view s);

// Checks a short free text that is not part of a testimony (a deletion's reason): at most
// kMaxShortFieldBytes, valid UTF-8, no control characters (C0, DEL, C1). Returns the error
// naming `field`, empty when valid; never quotes the value.
std::vector<FieldError> ValidateShortText(const std::string& value, const std::string& field);

// Joins errors as "field: message; field: message".
std::string FormatFieldErrors(const std::vector<FieldError>& errors);

// A testimony read from a file, with where it came from for error messages.
struct InputRecord {
  std::string where;  // e.g. "record 3 (line 3)"
  v1::Testimony testimony;
};

// Parses JSON lines (one Testimony object per non-blank line) or one JSON array of Testimony
// objects. All-or-nothing: the first bad record fails the whole parse, and the Status names
// its record number, line and the field or reason. Does not validate the schema rules.
Result<std::vector<InputRecord>> ParseTestimoniesJson(std::string_view text);

// The same for the facility registry (JSON lines or an array of Facility objects).
Result<std::vector<v1::Facility>> ParseFacilitiesJson(std::string_view text);

// The protobuf JSON mapping of a message, with original proto field names (snake_case) so the
// output can be read back by ParseTestimoniesJson. `pretty` indents; otherwise one line.
std::string MessageToJson(const google::protobuf::Message& m, bool pretty);

}  // namespace tvault

#endif  // TVAULT_SCHEMA_H_
