#include "pipeline/facts.h"

#include <algorithm>

namespace tvault::pipeline {

const std::array<const char*, kAgeBands> kAgeBandLabels = {"0-13",  "14-17", "18-25",
                                                           "26-35", "36+",   "unknown"};

namespace {

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

}  // namespace

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

Status MonthCollector::Add(const ScannedRecord& record, SelectionCounts* counts) {
  const v1::Testimony& t = record.version.testimony;
  ++counts->selected;
  if (t.has_pushback()) {
    bool count_people = true;
    if (record.person == 0) {
      ++counts->without_pseudonym;
    } else if (!persons_seen_.insert(record.person).second) {
      // The same person testified earlier this month (records come in id order, so which
      // testimony counts the group is fixed by the data, not by import order).
      count_people = false;
      ++counts->duplicate_people;
    }
    facts_.pushbacks.push_back(PushbackFactsOf(t.pushback(), count_people));
    return Status::Ok();
  }
  if (t.has_facility()) {
    FacilityFacts f;
    f.facility = t.facility().facility_id();
    for (const v1::ConditionReport& c : t.facility().conditions()) {
      v1::Severity s = c.severity() == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_UNKNOWN
                                                                : c.severity();
      int& worst = f.conditions[c.condition()];
      worst = std::max(worst, static_cast<int>(s));
    }
    facts_.facilities.push_back(std::move(f));
    return Status::Ok();
  }
  return InvalidArgument("record " + record.version.info.id + " is neither a pushback nor a " +
                         "facility testimony");
}

std::string FacilityTypeLabel(int type) {
  switch (type) {
    case v1::RECEPTION: return "reception";
    case v1::ASYLUM: return "asylum";
    case v1::TRANSIT: return "transit";
    case v1::DETENTION: return "detention";
    case v1::INFORMAL_SITE: return "informal_site";
    default: return "other";
  }
}

void FoldNationalities(const std::set<std::string>& keep, MonthFacts* facts) {
  for (PushbackFacts& p : facts->pushbacks) {
    std::map<std::string, uint32_t> folded;
    for (const auto& [code, n] : p.nationalities) {
      const bool kept = code == kUnknownLabel || keep.count(code) > 0;
      folded[kept ? code : std::string(kOtherLabel)] += n;
    }
    p.nationalities = std::move(folded);
  }
}

}  // namespace tvault::pipeline
