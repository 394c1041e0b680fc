#include "pipeline/facts.h"

#include <algorithm>
#include <cstdlib>

#include "tvault/schema.h"

namespace tvault::pipeline {

const std::array<const char*, kAgeBands> kAgeBandLabels = {"0-13",  "14-17", "18-25",
                                                           "26-35", "36+",   "unknown"};

const std::array<const char*, kStayBands> kStayBandLabels = {
    "0-6", "7-29", "30-89", "90-179", "180+", "range across bands", "unknown"};

namespace {

// Band lower bounds of kStayBandLabels' first five bands.
constexpr int32_t kStayBandStart[] = {0, 7, 30, 90, 180};

int StayBandOfDays(int32_t days) {
  int band = kStay0to6;
  for (int b = 0; b < 5; ++b) {
    if (days >= kStayBandStart[b]) band = b;
  }
  return band;
}

int BandOfYears(uint32_t years) {
  if (years <= 13) return kAge0to13;
  if (years <= 17) return kAge14to17;
  if (years <= 25) return kAge18to25;
  if (years <= 35) return kAge26to35;
  return kAge36Plus;
}

int BandOf(const v1::Age& age) {
  if (age.has_years()) return BandOfYears(age.years());
  switch (age.band()) {
    case v1::AGE_0_13: return kAge0to13;
    case v1::AGE_14_17: return kAge14to17;
    case v1::AGE_18_25: return kAge18to25;
    case v1::AGE_26_35: return kAge26to35;
    case v1::AGE_36_PLUS: return kAge36Plus;
    default: return kAgeUnknown;
  }
}

v1::TriState Known(v1::TriState t) { return t == v1::TRI_STATE_UNSPECIFIED ? v1::UNKNOWN : t; }

v1::AgeBand BandEnum(int band) {
  switch (band) {
    case kAge0to13: return v1::AGE_0_13;
    case kAge14to17: return v1::AGE_14_17;
    case kAge18to25: return v1::AGE_18_25;
    case kAge26to35: return v1::AGE_26_35;
    case kAge36Plus: return v1::AGE_36_PLUS;
    default: return v1::AGE_BAND_UNKNOWN;
  }
}

}  // namespace

v1::Testimony ReportView(const v1::Testimony& t) {
  v1::Testimony v;
  v.set_kind(t.kind());
  if (t.has_pushback()) {
    const v1::Pushback& p = t.pushback();
    v1::Pushback* q = v.mutable_pushback();
    q->set_pushed_from(p.pushed_from());
    q->set_pushed_to(p.pushed_to());
    *q->mutable_chain_countries() = p.chain_countries();
    q->set_group_size(p.group_size());
    q->set_minors_involved(p.minors_involved());
    for (const v1::Age& a : p.ages()) q->add_ages()->set_band(BandEnum(BandOf(a)));
    *q->mutable_nationalities() = p.nationalities();
    *q->mutable_violence() = p.violence();
    for (const v1::Perpetrator& who : p.perpetrators()) q->add_perpetrators()->set_type(who.type());
    q->set_asylum_intention_expressed(p.asylum_intention_expressed());
    q->set_incident_kind(p.incident_kind());
    q->set_removed_to_facility_id(p.removed_to_facility_id());
  } else if (t.has_facility()) {
    v1::FacilityConditions* f = v.mutable_facility();
    f->set_facility_id(t.facility().facility_id());
    *f->mutable_conditions() = t.facility().conditions();
    f->set_arrival(t.facility().arrival());
    if (t.facility().has_stay_length()) {
      // Only the band is kept: its first day, or a range across bands, or unknown.
      const int band = StayBandOf(t.facility());
      v1::StayLength* s = f->mutable_stay_length();
      if (band < kStayAcrossBands) {
        s->set_days(kStayBandStart[band]);
      } else if (band == kStayAcrossBands) {
        s->mutable_range()->set_min_days(0);
        s->mutable_range()->set_max_days(kMaxStayDays);
      } else {
        s->set_unknown(true);
      }
    }
  }
  return v;
}

PushbackFacts PushbackFactsOf(const v1::Pushback& p, bool count_people) {
  PushbackFacts f;
  f.from = p.pushed_from();
  f.to = p.pushed_to();
  for (int v : p.violence()) f.violence.insert(v);
  for (const v1::Perpetrator& who : p.perpetrators()) f.perpetrators.insert(who.type());
  f.asylum_intention = Known(p.asylum_intention_expressed());
  f.minors_involved = Known(p.minors_involved());
  f.chain = p.chain_countries_size() >= 3;
  if (!count_people) return f;

  f.people = p.group_size();
  // Validation guarantees the known parts fit in the group; clamp anyway so that every table
  // of people sums to the same total even for a record stored by an older, laxer build.
  uint32_t left = f.people;
  for (const v1::NationalityCount& n : p.nationalities()) {
    const uint32_t c = std::min(n.count(), left);
    if (c == 0) continue;
    f.nationalities[n.country()] += c;
    left -= c;
  }
  if (left > 0) f.nationalities[kUnknownLabel] += left;
  left = f.people;
  for (const v1::Age& a : p.ages()) {
    if (left == 0) break;
    ++f.ages[static_cast<size_t>(BandOf(a))];
    --left;
  }
  f.ages[kAgeUnknown] += left;
  return f;
}

int TriIndex(v1::TriState t) { return t == v1::YES ? 0 : t == v1::NO ? 1 : 2; }

void MonthFacts::Add(const PushbackFacts& p) {
  ++pushbacks;
  auto& route = routes[{p.from, p.to}];
  route.first += p.people;
  route.second += 1;
  for (const auto& [code, n] : p.nationalities) nationality_people[code] += n;
  for (int b = 0; b < kAgeBands; ++b) age_people[static_cast<size_t>(b)] += p.ages[b];
  for (int v : p.violence) ++violence[v];
  for (int v : p.perpetrators) ++perpetrators[v];
  ++asylum_intention[static_cast<size_t>(TriIndex(p.asylum_intention))];
  ++minors_involved[static_cast<size_t>(TriIndex(p.minors_involved))];
  if (p.chain) ++chain;
}

void MonthFacts::Add(const FacilityFacts& f) {
  ++facility_testimonies[f.facility];
  ++type_testimonies[f.type];
  for (const auto& [condition, worst] : f.conditions) {
    ++type_condition[{f.type, condition}];
    ++condition_severity[{condition, worst}];
  }
  // UNSPECIFIED, and any value a laxer build may have stored, is counted as unknown.
  const bool declared = f.arrival != v1::ARRIVAL_UNSPECIFIED && v1::Arrival_IsValid(f.arrival);
  ++arrival[declared ? f.arrival : static_cast<int>(v1::ARRIVAL_UNKNOWN)];
  ++stay_bands[static_cast<size_t>(f.stay_band)];
}

YearCollector::YearCollector(int months, std::map<std::string, std::string> facility_types)
    : months_(static_cast<size_t>(months)),
      selected_in_(static_cast<size_t>(months), 0),
      facility_types_(std::move(facility_types)) {}

Status YearCollector::Add(const ScannedRecord& record) {
  const std::string& id = record.version.info.id;
  const std::string& month = record.version.info.incident_month;
  const int m = month.size() == 7 ? std::atoi(month.c_str() + 5) : 0;
  if (m < 1 || static_cast<size_t>(m) > months_.size()) {
    return InvalidArgument("record " + id + ": incident month \"" + month +
                           "\" is outside the months read");
  }
  const size_t i = static_cast<size_t>(m - 1);
  if (static_cast<int>(i) != current_) {
    // Records come month by month: a person is counted once a month, so the numbers of the
    // month before are no longer needed.
    persons_seen_.clear();
    current_ = static_cast<int>(i);
  }
  const v1::Testimony& t = record.version.testimony;
  ++counts_.selected;
  ++selected_in_[i];
  bool count_people = true;
  if (t.has_pushback()) {
    if (record.person == 0) {
      ++counts_.without_pseudonym;
    } else if (!persons_seen_.insert(record.person).second) {
      // The same person testified earlier this month (records come in id order, so which
      // testimony counts the group is fixed by the data, not by import order).
      count_people = false;
      ++counts_.duplicate_people;
    }
  }
  return AddTestimonyFacts(t, count_people, facility_types_, id, &months_[i]);
}

Status AddTestimonyFacts(const v1::Testimony& t, bool count_people,
                         const std::map<std::string, std::string>& facility_types,
                         const std::string& id, MonthFacts* out) {
  auto type_of = [&](const std::string& facility) {
    auto type = facility_types.find(facility);
    return type == facility_types.end() ? FacilityTypeLabel(0) : type->second;
  };
  if (t.has_pushback() && t.pushback().incident_kind() == v1::SITE_REMOVAL) {
    ++out->site_removals[type_of(t.pushback().removed_to_facility_id())];
    return Status::Ok();
  }
  if (t.has_pushback()) {
    out->Add(PushbackFactsOf(t.pushback(), count_people));
    return Status::Ok();
  }
  if (t.has_facility()) {
    FacilityFacts f;
    f.facility = t.facility().facility_id();
    f.type = type_of(f.facility);
    f.arrival = t.facility().arrival();
    f.stay_band = StayBandOf(t.facility());
    for (const v1::ConditionReport& c : t.facility().conditions()) {
      v1::Severity s = c.severity() == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_UNKNOWN
                                                                : c.severity();
      int& worst = f.conditions[c.condition()];
      worst = std::max(worst, static_cast<int>(s));
    }
    out->Add(f);
    return Status::Ok();
  }
  return InvalidArgument("record " + id + " is neither a pushback nor a facility testimony");
}

bool PersonOnce::First(const std::string& month, uint64_t person) {
  if (month != month_) {
    seen_.clear();
    month_ = month;
  }
  return person == 0 || seen_.insert(person).second;
}

int StayBandOf(const v1::FacilityConditions& f) {
  const v1::StayLength& s = f.stay_length();
  switch (s.value_case()) {
    case v1::StayLength::kDays:
      return s.days() < 0 ? kStayUnknown : StayBandOfDays(s.days());
    case v1::StayLength::kRange: {
      if (s.range().min_days() < 0 || s.range().max_days() < s.range().min_days()) {
        return kStayUnknown;
      }
      const int lo = StayBandOfDays(s.range().min_days());
      return lo == StayBandOfDays(s.range().max_days()) ? lo : kStayAcrossBands;
    }
    default:
      return kStayUnknown;
  }
}

std::string FacilityTypeLabel(int type) {
  switch (type) {
    case v1::RECEPTION: return "reception";
    case v1::ASYLUM: return "asylum";
    case v1::TRANSIT: return "transit";
    case v1::DETENTION: return "detention";
    case v1::INFORMAL_SITE: return "informal_site";
    case v1::RETURN_HUB: return "return_hub";
    case v1::PRE_REMOVAL_DETENTION: return "pre_removal_detention";
    default: return "other";
  }
}

std::map<std::string, std::string> FacilityTypeLabels(const std::vector<v1::Facility>& registry) {
  std::map<std::string, std::string> out;
  for (const v1::Facility& f : registry) out[f.id()] = FacilityTypeLabel(f.type());
  return out;
}

void FoldNationalities(const std::set<std::string>& keep, MonthFacts* facts) {
  std::map<std::string, int64_t> folded;
  for (const auto& [code, n] : facts->nationality_people) {
    const bool kept = code == kUnknownLabel || keep.count(code) > 0;
    folded[kept ? code : std::string(kOtherLabel)] += n;
  }
  facts->nationality_people = std::move(folded);
}

}  // namespace tvault::pipeline
