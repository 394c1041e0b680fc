// The rules of the `pushback` part of a testimony. docs/schema.md lists them for monitors.
#include <cstdint>
#include <map>
#include <string>

#include "schema/validate_internal.h"
#include "tvault/schema.h"

namespace tvault {
namespace schema_internal {
namespace {

// Checks a count that is reported alongside a tri-state ("were minors involved?"): it may not
// exceed the group and may not contradict a NO. `what` names the people, e.g. "minors".
void CheckSubgroup(uint32_t count, v1::TriState involved, uint32_t group_size,
                   const std::string& what, const std::string& prefix, ErrorList* errors) {
  const std::string count_field = Join(prefix, what + "_count");
  if (group_size >= 1 && count > group_size) {
    AddError(errors, count_field,
             std::to_string(count) + " " + what + " exceeds group_size " +
                 std::to_string(group_size));
  }
  if (count > 0 && involved == v1::NO) {
    AddError(errors, count_field,
             std::to_string(count) + " " + what + " contradicts " + what +
                 "_involved NO (use UNKNOWN when unsure)");
  }
}

void CheckLocation(const v1::Location& l, const std::string& prefix, ErrorList* errors) {
  CheckCountry(l.country(), Join(prefix, "country"), /*required=*/false, errors);
  CheckText(l.municipality(), Join(prefix, "municipality"), TextKind::kShort, errors);
  CheckText(l.border_segment(), Join(prefix, "border_segment"), TextKind::kShort, errors);
  if (!l.has_gps()) return;
  // Coordinates are sensitive, so the messages name the range but never the value. The
  // negated comparisons also refuse NaN, which the JSON mapping accepts as "NaN".
  const v1::GeoPoint& g = l.gps();
  const std::string gps = Join(prefix, "gps");
  if (!(g.latitude() >= -90.0 && g.latitude() <= 90.0)) {
    AddError(errors, Join(gps, "latitude"), "is outside [-90, 90]");
  }
  if (!(g.longitude() >= -180.0 && g.longitude() <= 180.0)) {
    AddError(errors, Join(gps, "longitude"), "is outside [-180, 180]");
  }
  if (g.latitude() == 0.0 && g.longitude() == 0.0) {
    AddError(errors, gps, "is 0,0, which is almost surely a mistake (leave gps out when unknown)");
  }
}

void CheckChain(const google::protobuf::RepeatedPtrField<std::string>& chain,
                const std::string& field, ErrorList* errors) {
  if (chain.empty()) return;
  if (!CheckRepeatedSize(static_cast<size_t>(chain.size()), field, errors)) return;
  if (chain.size() < 2) {
    AddError(errors, field, "has 1 country; a chain needs at least 2 (or leave it out)");
  }
  for (int i = 0; i < chain.size(); ++i) {
    const std::string entry = At(field, static_cast<size_t>(i));
    CheckCountry(chain.Get(i), entry, /*required=*/true, errors);
    if (i > 0 && chain.Get(i) == chain.Get(i - 1)) {
      AddError(errors, entry, QuoteCode(chain.Get(i)) + " repeats the previous country");
    }
  }
}

void CheckAges(const google::protobuf::RepeatedPtrField<v1::Age>& ages, uint32_t group_size,
               const std::string& field, ErrorList* errors) {
  if (!CheckRepeatedSize(static_cast<size_t>(ages.size()), field, errors)) return;
  if (group_size >= 1 && static_cast<uint32_t>(ages.size()) > group_size) {
    AddError(errors, field,
             std::to_string(ages.size()) + " ages exceeds group_size " +
                 std::to_string(group_size));
  }
  for (int i = 0; i < ages.size(); ++i) {
    const v1::Age& age = ages.Get(i);
    const std::string entry = At(field, static_cast<size_t>(i));
    switch (age.value_case()) {
      case v1::Age::kYears:
        if (age.years() > 120) {
          AddError(errors, Join(entry, "years"),
                   std::to_string(age.years()) + " exceeds the maximum of 120");
        }
        break;
      case v1::Age::kBand:
        CheckEnum(age.band(), v1::AgeBand_descriptor(), Join(entry, "band"),
                  /*required=*/true, errors);
        break;
      case v1::Age::VALUE_NOT_SET:
        AddError(errors, entry, "needs years or band");
        break;
    }
  }
}

void CheckNationalities(const google::protobuf::RepeatedPtrField<v1::NationalityCount>& list,
                        uint32_t group_size, const std::string& field, ErrorList* errors) {
  if (!CheckRepeatedSize(static_cast<size_t>(list.size()), field, errors)) return;
  std::map<std::string, int> first_index;
  uint64_t sum = 0;
  bool one_over = false;  // A single count over the group makes the sum error redundant.
  for (int i = 0; i < list.size(); ++i) {
    const v1::NationalityCount& n = list.Get(i);
    const std::string entry = At(field, static_cast<size_t>(i));
    CheckCountry(n.country(), Join(entry, "country"), /*required=*/true, errors);
    if (!n.country().empty()) {
      auto [it, inserted] = first_index.emplace(n.country(), i);
      if (!inserted) {
        AddError(errors, Join(entry, "country"),
                 QuoteCode(n.country()) + " is listed twice (first at " +
                     At(field, static_cast<size_t>(it->second)) + ")");
      }
    }
    if (group_size >= 1 && n.count() > group_size) {
      one_over = true;
      AddError(errors, Join(entry, "count"),
               std::to_string(n.count()) + " exceeds group_size " + std::to_string(group_size));
    }
    sum += n.count();
  }
  if (group_size >= 1 && sum > group_size && !one_over) {
    AddError(errors, field,
             "counts sum to " + std::to_string(sum) + ", more than group_size " +
                 std::to_string(group_size));
  }
}

void CheckViolence(const google::protobuf::RepeatedField<int>& violence,
                   const std::string& field, ErrorList* errors) {
  CheckEnumList(violence, v1::ViolenceType_descriptor(), field, errors);
  // "No violence recalled" is a statement of its own and cannot stand beside a violence type.
  bool none_reported = false;
  int other = -1;
  for (int v : violence) {
    if (v == v1::NO_VIOLENCE_REPORTED) {
      none_reported = true;
    } else if (v != v1::VIOLENCE_TYPE_UNSPECIFIED && other < 0) {
      other = v;
    }
  }
  if (none_reported && other >= 0) {
    AddError(errors, field,
             "NO_VIOLENCE_REPORTED contradicts " + EnumName(v1::ViolenceType_descriptor(), other));
  }
}

void CheckPerpetrators(const google::protobuf::RepeatedPtrField<v1::Perpetrator>& list,
                       const std::string& field, ErrorList* errors) {
  if (!CheckRepeatedSize(static_cast<size_t>(list.size()), field, errors)) return;
  for (int i = 0; i < list.size(); ++i) {
    const v1::Perpetrator& p = list.Get(i);
    const std::string entry = At(field, static_cast<size_t>(i));
    CheckEnum(p.type(), v1::PerpetratorType_descriptor(), Join(entry, "type"),
              /*required=*/true, errors);
    CheckCountry(p.country(), Join(entry, "country"), /*required=*/false, errors);
    CheckText(p.unit_as_seen(), Join(entry, "unit_as_seen"), TextKind::kShort, errors);
  }
}

}  // namespace

void ValidatePushback(const v1::Pushback& p, const std::string& prefix,
                      const ValidationContext& ctx, ErrorList* errors) {
  const auto* tri = v1::TriState_descriptor();
  CheckDate(p.incident_date(), Join(prefix, "incident_date"), ctx.today, /*required=*/true,
            /*secret=*/false, errors);
  CheckEnum(p.date_precision(), v1::DatePrecision_descriptor(), Join(prefix, "date_precision"),
            /*required=*/true, errors);
  CheckEnum(p.time_of_day(), v1::TimeOfDay_descriptor(), Join(prefix, "time_of_day"),
            /*required=*/false, errors);
  if (p.has_location()) CheckLocation(p.location(), Join(prefix, "location"), errors);

  ValidateIncidentKind(p, prefix, ctx, errors);
  if (p.incident_kind() != v1::SITE_REMOVAL) {
    CheckCountry(p.pushed_from(), Join(prefix, "pushed_from"), /*required=*/true, errors);
    CheckCountry(p.pushed_to(), Join(prefix, "pushed_to"), /*required=*/true, errors);
    if (!p.pushed_from().empty() && p.pushed_from() == p.pushed_to()) {
      AddError(errors, Join(prefix, "pushed_to"),
               QuoteCode(p.pushed_to()) + " is the same as pushed_from");
    }
    CheckChain(p.chain_countries(), Join(prefix, "chain_countries"), errors);
  }

  const uint32_t group = p.group_size();
  if (group < 1) {
    AddError(errors, Join(prefix, "group_size"), "is required (at least 1)");
  } else if (group > kMaxGroupSize) {
    AddError(errors, Join(prefix, "group_size"),
             std::to_string(group) + " exceeds the maximum of " + std::to_string(kMaxGroupSize));
  }
  // Comparisons with group_size are meaningful only when group_size itself is sane.
  const uint32_t bound = (group >= 1 && group <= kMaxGroupSize) ? group : 0;
  CheckEnum(p.minors_involved(), tri, Join(prefix, "minors_involved"), false, errors);
  CheckSubgroup(p.minors_count(), p.minors_involved(), bound, "minors", prefix, errors);
  CheckEnum(p.women_involved(), tri, Join(prefix, "women_involved"), false, errors);
  CheckSubgroup(p.women_count(), p.women_involved(), bound, "women", prefix, errors);
  CheckAges(p.ages(), bound, Join(prefix, "ages"), errors);
  CheckNationalities(p.nationalities(), bound, Join(prefix, "nationalities"), errors);

  CheckViolence(p.violence(), Join(prefix, "violence"), errors);
  CheckPerpetrators(p.perpetrators(), Join(prefix, "perpetrators"), errors);

  CheckEnum(p.asylum_intention_expressed(), tri, Join(prefix, "asylum_intention_expressed"),
            false, errors);
  CheckEnum(p.asylum_request_ignored(), tri, Join(prefix, "asylum_request_ignored"), false,
            errors);
  if (p.asylum_request_ignored() == v1::YES && p.asylum_intention_expressed() == v1::NO) {
    AddError(errors, Join(prefix, "asylum_request_ignored"),
             "YES contradicts asylum_intention_expressed NO");
  }

  if (p.has_detention()) {
    const v1::Detention& d = p.detention();
    const std::string det = Join(prefix, "detention");
    CheckEnum(d.detained(), tri, Join(det, "detained"), false, errors);
    CheckText(d.place(), Join(det, "place"), TextKind::kShort, errors);
    if (d.detained() == v1::NO && d.duration_hours() > 0) {
      AddError(errors, Join(det, "duration_hours"),
               std::to_string(d.duration_hours()) + " hours contradicts detained NO");
    }
  }
  if (p.has_medical()) {
    const v1::Medical& m = p.medical();
    const std::string med = Join(prefix, "medical");
    CheckEnum(m.injuries(), tri, Join(med, "injuries"), false, errors);
    CheckEnum(m.treatment_needed(), tri, Join(med, "treatment_needed"), false, errors);
    CheckText(m.description(), Join(med, "description"), TextKind::kLong, errors);
  }
}

}  // namespace schema_internal
}  // namespace tvault
