// The fictional facility registry of the demo data.
//
// Every name is invented and deliberately un-local ("Northbrook", "Ashvale"): a fictional
// testimony must never accuse a real place, so no name may match a real reception, asylum,
// transit or detention site. The countries are real, because reports are broken down by
// country. Ids follow the registry's pattern [A-Z0-9][A-Z0-9-]{1,31} as country-type-number;
// "HR-DET-01" is referenced by the documentation examples and must stay a DETENTION facility
// in Croatia.
#include <vector>

#include "tvault/demo.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault {
namespace {

struct FacilitySpec {
  const char* id;
  const char* name;
  const char* country;
  v1::FacilityType type;
  const char* operated_for = nullptr;  // one code, or none
  const char* operator_name = nullptr;
};

constexpr FacilitySpec kFacilities[] = {
    {"HR-DET-01", "Northbrook Temporary Detention Centre", "HR", v1::DETENTION},
    {"HR-REC-01", "Elmswater Reception Centre for Applicants", "HR", v1::RECEPTION},
    {"HR-TRA-01", "Greyfield Border Holding Point", "HR", v1::TRANSIT},
    {"BA-REC-01", "Ashvale Temporary Reception Centre", "BA", v1::RECEPTION},
    {"BA-INF-01", "Lindenford Old Sawmill Camp", "BA", v1::INFORMAL_SITE},
    {"BA-INF-02", "Marrowdale Riverside Squat", "BA", v1::INFORMAL_SITE},
    {"RS-ASY-01", "Hollowmere Asylum Centre", "RS", v1::ASYLUM},
    {"RS-TRA-01", "Copperridge Transit Centre", "RS", v1::TRANSIT},
    {"RS-INF-01", "Fenwick Hollow Brickworks Site", "RS", v1::INFORMAL_SITE},
    {"HU-TRA-01", "Saltmarsh Transit Zone", "HU", v1::TRANSIT},
    {"HU-DET-01", "Kestrel Gate Immigration Detention Facility", "HU", v1::DETENTION},
    {"GR-REC-01", "Windcliff Reception and Identification Centre", "GR", v1::RECEPTION},
    {"GR-DET-01", "Ironmoor Pre-Removal Detention Centre", "GR", v1::DETENTION},
    {"GR-ASY-01", "Bluecove Open Accommodation Site", "GR", v1::ASYLUM},
    {"BG-DET-01", "Thornbury Special Centre for Foreigners", "BG", v1::DETENTION},
    {"BG-REC-01", "Larkspur Registration and Reception Centre", "BG", v1::RECEPTION},
    {"MK-TRA-01", "Southgate Temporary Transit Centre", "MK", v1::TRANSIT},
    {"SI-ASY-01", "Quarryside Asylum Home", "SI", v1::ASYLUM},
    {"SI-DET-01", "Oakhollow Centre for Foreigners", "SI", v1::DETENTION},
    {"IT-REC-01", "Pinecrest First Reception Hub", "IT", v1::RECEPTION},
    {"TR-DET-01", "Sunhaven Removal Centre", "TR", v1::DETENTION},
    {"PL-DET-01", "Frostmere Guarded Centre for Foreigners", "PL", v1::DETENTION},
    {"RO-ASY-01", "Willowmead Regional Asylum Centre", "RO", v1::ASYLUM},
    // Return hubs in the Western Balkans holding people the United Kingdom sends there, and
    // the UK's own pre-removal detention: invented names, like every entry above.
    {"RS-RH-01", "Quillmarsh Return Centre", "RS", v1::RETURN_HUB, "GB",
     "Interior ministry, under contract (fictional)"},
    {"AL-RH-01", "Glimmerbrook Departure Centre", "AL", v1::RETURN_HUB, "GB",
     "International organisation (fictional)"},
    {"XK-RH-01", "Ottermoor Return Facility", "XK", v1::RETURN_HUB, "GB"},
    {"BA-RH-01", "Brindlecote Removal Holding Centre", "BA", v1::RETURN_HUB, "GB"},
    {"GB-PRD-01", "Fernvale Pre-Removal Centre", "GB", v1::PRE_REMOVAL_DETENTION, nullptr,
     "Private contractor (fictional)"},
};

}  // namespace

std::vector<v1::Facility> DemoFacilities() {
  std::vector<v1::Facility> out;
  out.reserve(sizeof(kFacilities) / sizeof(kFacilities[0]));
  for (const FacilitySpec& spec : kFacilities) {
    v1::Facility& f = out.emplace_back();
    f.set_id(spec.id);
    f.set_name(spec.name);
    f.set_country(spec.country);
    f.set_type(spec.type);
    if (spec.operated_for != nullptr) f.add_operated_for(spec.operated_for);
    if (spec.operator_name != nullptr) f.set_operator_(spec.operator_name);
  }
  return out;
}

}  // namespace tvault
