// The removal parts of the demo data (issue 20): how people came to be held, for how long,
// their legal safeguards and onward removal, and forcible removals from informal sites.
// Fictional like everything the generator makes: the return hubs of the demo registry
// (facilities.cc) have invented names.
#include <string>
#include <vector>

#include "demo/demo_internal.h"

namespace tvault {
namespace demo_internal {

namespace {

bool HoldsForRemoval(v1::FacilityType type) {
  return type == v1::RETURN_HUB || type == v1::PRE_REMOVAL_DETENTION || type == v1::DETENTION;
}

v1::Arrival PickArrival(const v1::Facility& facility, Rng& rng) {
  switch (facility.type()) {
    case v1::RETURN_HUB: {
      // Return hubs hold people another state (the demo: the United Kingdom) sent there.
      static constexpr Weighted<v1::Arrival> kHub[] = {
          {v1::TRANSFERRED_FROM_STATE, 85}, {v1::ARRIVAL_UNKNOWN, 10}, {v1::ARRIVAL_OTHER, 5}};
      return Pick(kHub, rng);
    }
    case v1::RECEPTION:
    case v1::ASYLUM:
    case v1::TRANSIT: {
      static constexpr Weighted<v1::Arrival> kCentre[] = {{v1::REMOVED_FROM_INFORMAL_SITE, 30},
                                                          {v1::ARRESTED_AT_BORDER, 25},
                                                          {v1::ARRIVAL_OTHER, 25},
                                                          {v1::ARRIVAL_UNKNOWN, 20}};
      return Pick(kCentre, rng);
    }
    case v1::INFORMAL_SITE:
      return v1::ARRIVAL_OTHER;
    default: {
      static constexpr Weighted<v1::Arrival> kDetention[] = {{v1::ARRESTED_AT_BORDER, 45},
                                                             {v1::REMOVED_FROM_INFORMAL_SITE, 20},
                                                             {v1::TRANSFERRED_FROM_STATE, 10},
                                                             {v1::ARRIVAL_UNKNOWN, 25}};
      return Pick(kDetention, rng);
    }
  }
}

}  // namespace

void FillRemovalDetails(const v1::Facility& facility, int64_t start, int64_t end,
                        std::string_view nationality, Rng& rng, v1::FacilityConditions* f) {
  if (f->stay_kind() != v1::STAY) return;  // a visit says nothing of one person's holding
  // A fifth of the monitors' forms leave the new questions out, as older records do.
  if (facility.type() != v1::RETURN_HUB && rng.Chance(0.2)) return;
  const v1::Arrival arrival = PickArrival(facility, rng);
  f->set_arrival(arrival);
  if (arrival == v1::TRANSFERRED_FROM_STATE) {
    f->set_transferred_from(facility.type() == v1::RETURN_HUB || rng.Chance(0.5) ? "GB" : "AT");
  }
  const int32_t days = static_cast<int32_t>(end - start);
  const uint32_t how = rng.Below(10);
  if (how < 6) {
    f->mutable_stay_length()->set_days(days);
  } else if (how < 8) {
    v1::DayRange* r = f->mutable_stay_length()->mutable_range();
    r->set_min_days(days > 5 ? days - 5 : 0);
    r->set_max_days(days + 5);
  } else {
    f->mutable_stay_length()->set_unknown(true);
  }
  if (!HoldsForRemoval(facility.type())) return;
  static constexpr v1::Safeguard kSafeguards[] = {v1::INFORMED_OF_REASONS, v1::LAWYER_ACCESS,
                                                   v1::ABLE_TO_APPEAL, v1::FAMILY_CONTACT,
                                                   v1::INTERPRETER_PROVIDED};
  static constexpr Weighted<v1::Severity> kSeverity[] = {
      {v1::MINOR, 15}, {v1::SERIOUS, 50}, {v1::SEVERE, 25}, {v1::SEVERITY_UNKNOWN, 10}};
  for (v1::Safeguard s : kSafeguards) {
    if (!rng.Chance(0.6)) continue;
    v1::SafeguardReport* report = f->add_safeguards();
    report->set_safeguard(s);
    report->set_provided(PickTri(rng, 25, 55, 20));
    if (report->provided() == v1::NO) report->set_severity(Pick(kSeverity, rng));
  }
  static constexpr Weighted<v1::OnwardRemoval> kOnward[] = {{v1::ONWARD_REMOVAL_THREATENED, 45},
                                                            {v1::ONWARD_REMOVAL_CARRIED_OUT, 10},
                                                            {v1::ONWARD_REMOVAL_NONE, 20},
                                                            {v1::ONWARD_REMOVAL_UNKNOWN, 25}};
  f->set_onward_removal(Pick(kOnward, rng));
  if (f->onward_removal() == v1::ONWARD_REMOVAL_THREATENED ||
      f->onward_removal() == v1::ONWARD_REMOVAL_CARRIED_OUT) {
    // Removal to the country of nationality, when the nationality is a country code.
    if (nationality.size() == 2) f->set_onward_removal_to(std::string(nationality));
  }
}

void MakeSiteRemoval(const std::vector<v1::Facility>& facilities, Rng& rng, v1::Testimony* t) {
  // Removals from informal sites along the Serbian-Hungarian border into Serbian centres.
  std::vector<const v1::Facility*> centres;
  for (const v1::Facility& f : facilities) {
    if (f.country() == "RS" && (f.type() == v1::ASYLUM || f.type() == v1::TRANSIT ||
                                f.type() == v1::RECEPTION)) {
      centres.push_back(&f);
    }
  }
  if (centres.empty()) return;
  const v1::Facility& to = *centres[rng.Below(static_cast<uint32_t>(centres.size()))];
  v1::Pushback* p = t->mutable_pushback();
  p->set_incident_kind(v1::SITE_REMOVAL);
  p->set_removed_to_facility_id(to.id());
  p->clear_pushed_from();
  p->clear_pushed_to();
  p->clear_chain_countries();
  v1::Location* where = p->mutable_location();
  where->Clear();
  where->set_country("RS");
  where->set_border_segment("RS-HU");
  t->set_narrative("Police units came to the informal site near the border before dawn. The "
                   "people there were made to board buses and were taken to " + to.name() +
                   ", which was already overcrowded. Tents and belongings were left behind.");
}

}  // namespace demo_internal
}  // namespace tvault
