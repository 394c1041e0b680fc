// ValidateTestimony and ValidateFacility: the testimony header, the facility-conditions part
// and facility registry entries. The pushback rules are in validate_pushback.cc.
#include <set>
#include <string>
#include <string_view>

#include "schema/validate_internal.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

using schema_internal::AddError;
using schema_internal::At;
using schema_internal::CheckCountry;
using schema_internal::CheckDate;
using schema_internal::CheckEnum;
using schema_internal::CheckRepeatedSize;
using schema_internal::CheckText;
using schema_internal::ErrorList;
using schema_internal::Join;
using schema_internal::QuoteCode;
using schema_internal::TextKind;

constexpr size_t kMaxMonitorIdBytes = 64;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperOrDigit(char c) { return (c >= 'A' && c <= 'Z') || IsAsciiDigit(c); }

// A plausible BCP 47 tag: a primary language subtag of 2-3 letters, then any number of
// "-" subtags of 1-8 letters or digits. Registry membership is not checked: monitors meet
// languages (e.g. "prs", "ckb") that a stale list would miss.
bool IsPlausibleLanguageTag(std::string_view tag) {
  if (tag.size() > kMaxShortFieldBytes) return false;
  size_t start = 0;
  bool primary = true;
  while (true) {
    size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view sub = tag.substr(start, end - start);
    if (primary) {
      if (sub.size() < 2 || sub.size() > 3) return false;
      for (char c : sub) {
        if (!IsAsciiAlpha(c)) return false;
      }
      primary = false;
    } else {
      if (sub.empty() || sub.size() > 8) return false;
      for (char c : sub) {
        if (!IsAsciiAlpha(c) && !IsAsciiDigit(c)) return false;
      }
    }
    if (end == tag.size()) return true;
    start = end + 1;
  }
}

// [A-Z0-9][A-Z0-9-]{1,31}: a facility code such as "HR-DET-01".
bool IsValidFacilityId(std::string_view id) {
  if (id.size() < 2 || id.size() > 32 || !IsUpperOrDigit(id[0])) return false;
  for (char c : id.substr(1)) {
    if (!IsUpperOrDigit(c) && c != '-') return false;
  }
  return true;
}

void CheckHeader(const v1::Testimony& t, const ValidationContext& ctx, ErrorList* errors) {
  // These three are assigned when tvault stores the record; accepting them from input would
  // let a file overwrite another record's id or smuggle in an unverifiable sealed box.
  constexpr char kSetByTvault[] = "is set by tvault; leave it out of the input";
  if (!t.id().empty()) AddError(errors, "id", kSetByTvault);
  if (t.schema_version() != 0) AddError(errors, "schema_version", kSetByTvault);
  if (!t.sealed_identity().empty()) AddError(errors, "sealed_identity", kSetByTvault);

  CheckEnum(t.kind(), v1::Kind_descriptor(), "kind", /*required=*/true, errors);
  if (!IsValidMonitorId(t.monitor_id())) {
    AddError(errors, "monitor_id",
             "must be at most 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
  }
  if (t.has_recorded_at()) {
    // The range of google.protobuf.Timestamp: 0001-01-01 to 9999-12-31, UTC.
    const auto& ts = t.recorded_at();
    if (ts.seconds() < -62135596800 || ts.seconds() > 253402300799 || ts.nanos() < 0 ||
        ts.nanos() > 999999999) {
      AddError(errors, "recorded_at", "is not a valid timestamp");
    }
  }
  if (!t.interview_language().empty() && !IsPlausibleLanguageTag(t.interview_language())) {
    AddError(errors, "interview_language",
             QuoteCode(t.interview_language()) + " is not a BCP 47 language tag (e.g. \"ps\")");
  }
  CheckEnum(t.interpreter_present(), v1::TriState_descriptor(), "interpreter_present",
            /*required=*/false, errors);
  if (t.has_identity()) {
    // Identity values are secret: the checks below never quote them.
    const v1::Identity& id = t.identity();
    CheckText(id.name(), "identity.name", TextKind::kShort, errors);
    CheckText(id.phone(), "identity.phone", TextKind::kShort, errors);
    CheckText(id.contact(), "identity.contact", TextKind::kShort, errors);
    // A year or a month of birth is often all a person knows. Never quoted: it is secret.
    const std::string& dob = id.date_of_birth();
    if (!dob.empty() && !IsIsoDateOrPart(dob)) {
      AddError(errors, "identity.date_of_birth",
               "the date is not a real date written YYYY-MM-DD, YYYY-MM or YYYY");
    } else if (!dob.empty() && IsIsoDate(ctx.today) && dob > ctx.today) {
      // "2026" and "2026-05" sort before every day of their year and month.
      AddError(errors, "identity.date_of_birth", "the date is after today (" + ctx.today + ")");
    }
  }
  CheckText(t.narrative(), "narrative", TextKind::kLong, errors);
}

void CheckFacilityConditions(const v1::FacilityConditions& f, const std::string& prefix,
                             const ValidationContext& ctx, ErrorList* errors) {
  const std::string id_field = Join(prefix, "facility_id");
  if (f.facility_id().empty()) {
    AddError(errors, id_field, "is required (an id from the facility registry)");
  } else if (!ctx.facility_exists) {
    AddError(errors, id_field, "cannot be checked: no facility registry was given");
  } else if (!ctx.facility_exists(f.facility_id())) {
    AddError(errors, id_field, QuoteCode(f.facility_id()) + " is not in the facility registry");
  }
  CheckEnum(f.stay_kind(), v1::StayKind_descriptor(), Join(prefix, "stay_kind"),
            /*required=*/false, errors);
  const std::string start_field = Join(prefix, "period_start");
  const std::string end_field = Join(prefix, "period_end");
  CheckDate(f.period_start(), start_field, ctx.today, /*required=*/true, /*secret=*/false,
            errors);
  CheckDate(f.period_end(), end_field, ctx.today, /*required=*/false, /*secret=*/false, errors);
  if (IsIsoDate(f.period_start()) && IsIsoDate(f.period_end()) &&
      f.period_end() < f.period_start()) {
    AddError(errors, end_field,
             f.period_end() + " is before period_start " + f.period_start());
  }

  schema_internal::ValidateRemovalFields(f, prefix, errors);

  const std::string list = Join(prefix, "conditions");
  if (!CheckRepeatedSize(static_cast<size_t>(f.conditions_size()), list, errors)) return;
  std::set<int> seen;
  for (int i = 0; i < f.conditions_size(); ++i) {
    const v1::ConditionReport& c = f.conditions(i);
    const std::string entry = At(list, static_cast<size_t>(i));
    CheckEnum(c.condition(), v1::Condition_descriptor(), Join(entry, "condition"),
              /*required=*/true, errors);
    CheckEnum(c.severity(), v1::Severity_descriptor(), Join(entry, "severity"),
              /*required=*/false, errors);
    if (c.condition() != v1::CONDITION_UNSPECIFIED && !seen.insert(c.condition()).second) {
      AddError(errors, Join(entry, "condition"),
               schema_internal::EnumName(v1::Condition_descriptor(), c.condition()) +
                   " is listed twice");
    }
  }
}

}  // namespace

std::vector<FieldError> ValidateShortText(const std::string& value, const std::string& field) {
  ErrorList errors;
  CheckText(value, field, TextKind::kShort, &errors);
  return errors;
}

bool IsValidMonitorId(std::string_view id) {
  if (id.size() > kMaxMonitorIdBytes) return false;
  for (char c : id) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}


std::vector<FieldError> ValidateTestimony(const v1::Testimony& t, const ValidationContext& ctx) {
  ErrorList errors;
  CheckHeader(t, ctx, &errors);

  // The kind decides which part of the `details` oneof must be present.
  const bool has_pushback = t.details_case() == v1::Testimony::kPushback;
  const bool has_facility = t.details_case() == v1::Testimony::kFacility;
  if (t.kind() == v1::PUSHBACK) {
    if (!has_pushback) AddError(&errors, "pushback", "is required when kind is PUSHBACK");
    if (has_facility) AddError(&errors, "facility", "must not be set when kind is PUSHBACK");
  } else if (t.kind() == v1::FACILITY) {
    if (!has_facility) AddError(&errors, "facility", "is required when kind is FACILITY");
    if (has_pushback) AddError(&errors, "pushback", "must not be set when kind is FACILITY");
  }
  if (has_pushback) {
    schema_internal::ValidatePushback(t.pushback(), "pushback", ctx, &errors);
  } else if (has_facility) {
    CheckFacilityConditions(t.facility(), "facility", ctx, &errors);
  }
  return errors;
}

std::vector<FieldError> ValidateFacility(const v1::Facility& f) {
  ErrorList errors;
  if (!IsValidFacilityId(f.id())) {
    AddError(&errors, "id",
             QuoteCode(f.id()) + " must be 2-32 characters of A-Z, 0-9 and '-', "
                                 "starting with a letter or digit");
  }
  if (f.name().empty()) {
    AddError(&errors, "name", "is required");
  } else {
    CheckText(f.name(), "name", TextKind::kShort, &errors);
  }
  CheckCountry(f.country(), "country", /*required=*/true, &errors);
  CheckEnum(f.type(), v1::FacilityType_descriptor(), "type", /*required=*/true, &errors);
  schema_internal::ValidateFacilityOperators(f, &errors);
  return errors;
}

}  // namespace tvault
