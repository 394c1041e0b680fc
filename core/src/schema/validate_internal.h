// Building blocks shared by the testimony and facility validators (validate*.cc) and the JSON
// reader (json.cc). Not part of the public API.
//
// Every helper appends to an ErrorList and never returns early, so one pass reports every
// problem of a record. Messages name the field's value only when it is a code, a number or a
// date that is not secret; values of identity and free-text fields are never quoted.
#ifndef TVAULT_SCHEMA_VALIDATE_INTERNAL_H_
#define TVAULT_SCHEMA_VALIDATE_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/repeated_field.h>

#include "tvault/schema.h"

namespace tvault {
namespace schema_internal {

using ErrorList = std::vector<FieldError>;

// Appends one error.
void AddError(ErrorList* errors, std::string field, std::string message);

// "prefix.name", or "name" when prefix is empty.
std::string Join(std::string_view prefix, std::string_view name);

// "path[index]".
std::string At(std::string_view path, size_t index);

// A value fit to appear inside an error message: `"XX"` when it is at most 16 printable ASCII
// characters without quotes or backslashes, otherwise a neutral description such as
// "a value of 40 bytes". Use only for fields whose values are codes, never for secret fields.
std::string QuoteCode(std::string_view value);

// Returns the byte offset of the first invalid UTF-8 sequence in `s`, or std::string_view::npos
// when `s` is valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
size_t FindInvalidUtf8(std::string_view s);

// How a free-text field is checked by CheckText.
enum class TextKind {
  kShort,  // at most kMaxShortFieldBytes, no control characters at all
  kLong,   // at most kMaxTextFieldBytes, control characters other than \n and \t refused
};

// Checks length, UTF-8 validity and control characters. Never quotes the value.
void CheckText(const std::string& value, const std::string& field, TextKind kind,
               ErrorList* errors);

// Checks an ISO 3166-1 alpha-2 code. An empty value is an error only when `required`.
void CheckCountry(const std::string& value, const std::string& field, bool required,
                  ErrorList* errors);

// Checks a YYYY-MM-DD date that must not lie after `today`. An empty value is an error only
// when `required`. When `secret` the value is never quoted (a date of birth identifies).
void CheckDate(const std::string& value, const std::string& field, const std::string& today,
               bool required, bool secret, ErrorList* errors);

// Checks that `value` is a number declared by `type`. UNSPECIFIED (0) is accepted unless
// `required`, in which case the message lists what to fill in.
void CheckEnum(int value, const google::protobuf::EnumDescriptor* type,
               const std::string& field, bool required, ErrorList* errors);

// Checks a repeated enum: at most kMaxRepeated entries, each a declared value other than
// UNSPECIFIED, and no value twice.
void CheckEnumList(const google::protobuf::RepeatedField<int>& values,
                   const google::protobuf::EnumDescriptor* type, const std::string& field,
                   ErrorList* errors);

// Checks the entry count of a repeated field. Returns false when over kMaxRepeated, in which
// case callers skip the per-entry checks so that a hostile record cannot produce an unbounded
// list of errors.
bool CheckRepeatedSize(size_t size, const std::string& field, ErrorList* errors);

// The name of an enum value for messages, e.g. "NO", or the number when it is not declared.
std::string EnumName(const google::protobuf::EnumDescriptor* type, int value);

// Validates the `pushback` part of a testimony; `prefix` is "pushback".
void ValidatePushback(const v1::Pushback& p, const std::string& prefix,
                      const ValidationContext& ctx, ErrorList* errors);

// The code of the European Union in Facility.operated_for, beside ISO 3166-1 alpha-2 codes.
constexpr char kEuCode[] = "EU";

// Validates the fields of a facility testimony about removal and holding (arrival, stay
// length, safeguards, onward removal); `prefix` is "facility". validate_removal.cc.
void ValidateRemovalFields(const v1::FacilityConditions& f, const std::string& prefix,
                           ErrorList* errors);

// Validates a pushback's incident_kind and, for a SITE_REMOVAL, the fields it requires and
// refuses (pushed_from and pushed_to are then checked here, not by ValidatePushback).
void ValidateIncidentKind(const v1::Pushback& p, const std::string& prefix,
                          const ValidationContext& ctx, ErrorList* errors);

// Validates a registry entry's operated_for and operator.
void ValidateFacilityOperators(const v1::Facility& f, ErrorList* errors);

}  // namespace schema_internal
}  // namespace tvault

#endif  // TVAULT_SCHEMA_VALIDATE_INTERNAL_H_
