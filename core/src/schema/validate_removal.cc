// The rules of the fields that describe removal and holding for removal (issue 20): how a
// person came to be held, for how long, the legal safeguards, onward removal, a facility's
// commissioning states and operator, and a pushback record's incident kind. docs/schema.md
// lists every rule.
#include <set>
#include <string>

#include "schema/validate_internal.h"
#include "tvault/schema.h"

namespace tvault {
namespace schema_internal {

namespace {

void CheckStayLength(const v1::StayLength& s, const std::string& prefix, ErrorList* errors) {
  auto check_days = [&](int32_t days, const std::string& field) {
    if (days < 0) {
      AddError(errors, field, std::to_string(days) + " is negative (0 means less than a day)");
      return false;
    }
    if (days > kMaxStayDays) {
      AddError(errors, field, std::to_string(days) + " exceeds the maximum of " +
                                  std::to_string(kMaxStayDays) + " days");
      return false;
    }
    return true;
  };
  switch (s.value_case()) {
    case v1::StayLength::kDays:
      check_days(s.days(), Join(prefix, "days"));
      break;
    case v1::StayLength::kRange: {
      const std::string range = Join(prefix, "range");
      const bool min_ok = check_days(s.range().min_days(), Join(range, "min_days"));
      const bool max_ok = check_days(s.range().max_days(), Join(range, "max_days"));
      if (min_ok && max_ok && s.range().min_days() > s.range().max_days()) {
        AddError(errors, Join(range, "max_days"),
                 std::to_string(s.range().max_days()) + " is below min_days " +
                     std::to_string(s.range().min_days()));
      }
      break;
    }
    case v1::StayLength::kUnknown:
      if (!s.unknown()) {
        AddError(errors, Join(prefix, "unknown"),
                 "must be true when given (leave stay_length out when it was not asked)");
      }
      break;
    case v1::StayLength::VALUE_NOT_SET:
      AddError(errors, prefix, "gives none of days, range and unknown");
      break;
  }
}

void CheckSafeguards(const google::protobuf::RepeatedPtrField<v1::SafeguardReport>& list,
                     const std::string& field, ErrorList* errors) {
  if (!CheckRepeatedSize(static_cast<size_t>(list.size()), field, errors)) return;
  std::set<int> seen;
  for (int i = 0; i < list.size(); ++i) {
    const v1::SafeguardReport& s = list.Get(i);
    const std::string entry = At(field, static_cast<size_t>(i));
    CheckEnum(s.safeguard(), v1::Safeguard_descriptor(), Join(entry, "safeguard"),
              /*required=*/true, errors);
    CheckEnum(s.provided(), v1::TriState_descriptor(), Join(entry, "provided"),
              /*required=*/true, errors);
    CheckEnum(s.severity(), v1::Severity_descriptor(), Join(entry, "severity"),
              /*required=*/false, errors);
    if (s.provided() == v1::YES && s.severity() != v1::SEVERITY_UNSPECIFIED) {
      AddError(errors, Join(entry, "severity"),
               "is the severity of a denial; it contradicts provided YES");
    }
    if (s.safeguard() != v1::SAFEGUARD_UNSPECIFIED && !seen.insert(s.safeguard()).second) {
      AddError(errors, Join(entry, "safeguard"),
               EnumName(v1::Safeguard_descriptor(), s.safeguard()) + " is listed twice");
    }
  }
}

}  // namespace

void ValidateRemovalFields(const v1::FacilityConditions& f, const std::string& prefix,
                           ErrorList* errors) {
  CheckEnum(f.arrival(), v1::Arrival_descriptor(), Join(prefix, "arrival"),
            /*required=*/false, errors);
  const std::string from = Join(prefix, "transferred_from");
  if (f.arrival() == v1::TRANSFERRED_FROM_STATE) {
    if (f.transferred_from().empty()) {
      AddError(errors, from,
               "is required with arrival TRANSFERRED_FROM_STATE (the state that sent the "
               "person)");
    } else {
      CheckCountry(f.transferred_from(), from, /*required=*/true, errors);
    }
  } else if (!f.transferred_from().empty()) {
    AddError(errors, from, "is only for arrival TRANSFERRED_FROM_STATE");
  }
  if (f.has_stay_length()) CheckStayLength(f.stay_length(), Join(prefix, "stay_length"), errors);
  CheckSafeguards(f.safeguards(), Join(prefix, "safeguards"), errors);
  CheckEnum(f.onward_removal(), v1::OnwardRemoval_descriptor(), Join(prefix, "onward_removal"),
            /*required=*/false, errors);
  const std::string to = Join(prefix, "onward_removal_to");
  if (f.onward_removal() == v1::ONWARD_REMOVAL_THREATENED ||
      f.onward_removal() == v1::ONWARD_REMOVAL_CARRIED_OUT) {
    CheckCountry(f.onward_removal_to(), to, /*required=*/false, errors);
  } else if (!f.onward_removal_to().empty()) {
    AddError(errors, to, "is only for onward_removal THREATENED or CARRIED_OUT");
  }
}

void ValidateIncidentKind(const v1::Pushback& p, const std::string& prefix,
                          const ValidationContext& ctx, ErrorList* errors) {
  CheckEnum(p.incident_kind(), v1::IncidentKind_descriptor(), Join(prefix, "incident_kind"),
            /*required=*/false, errors);
  const std::string facility = Join(prefix, "removed_to_facility_id");
  if (p.incident_kind() != v1::SITE_REMOVAL) {
    if (!p.removed_to_facility_id().empty()) {
      AddError(errors, facility, "is only for incident_kind SITE_REMOVAL");
    }
    return;
  }
  // A removal from an informal site happens inside one country: where it happened is the
  // country, and no border is crossed.
  if (p.location().country().empty()) {
    AddError(errors, Join(prefix, "location.country"),
             "is required with incident_kind SITE_REMOVAL (the country of the site)");
  }
  for (const char* field : {"pushed_from", "pushed_to"}) {
    const std::string& v = std::string(field) == "pushed_from" ? p.pushed_from() : p.pushed_to();
    if (!v.empty()) {
      AddError(errors, Join(prefix, field),
               "must be left out with incident_kind SITE_REMOVAL (no border is crossed; "
               "location.country says where)");
    }
  }
  if (p.chain_countries_size() > 0) {
    AddError(errors, Join(prefix, "chain_countries"),
             "must be left out with incident_kind SITE_REMOVAL");
  }
  if (p.removed_to_facility_id().empty()) {
    AddError(errors, facility,
             "is required with incident_kind SITE_REMOVAL (an id from the facility registry)");
  } else if (!ctx.facility_exists) {
    AddError(errors, facility, "cannot be checked: no facility registry was given");
  } else if (!ctx.facility_exists(p.removed_to_facility_id())) {
    AddError(errors, facility,
             QuoteCode(p.removed_to_facility_id()) + " is not in the facility registry");
  }
}

void ValidateFacilityOperators(const v1::Facility& f, ErrorList* errors) {
  if (CheckRepeatedSize(static_cast<size_t>(f.operated_for_size()), "operated_for", errors)) {
    std::set<std::string> seen;
    for (int i = 0; i < f.operated_for_size(); ++i) {
      const std::string& code = f.operated_for(i);
      const std::string field = At("operated_for", static_cast<size_t>(i));
      if (code != kEuCode && !IsIsoCountryCode(code)) {
        AddError(errors, field,
                 QuoteCode(code) + " is not an ISO 3166-1 alpha-2 code (e.g. \"GB\") or \"EU\"");
      } else if (!seen.insert(code).second) {
        AddError(errors, field, QuoteCode(code) + " is listed twice");
      }
    }
  }
  CheckText(f.operator_(), "operator", TextKind::kShort, errors);
}

}  // namespace schema_internal
}  // namespace tvault
