// The pushback part of the demo data: routes, group sizes, nationalities, violence and
// perpetrators, with weights taken from the public figures in docs/demo-data.md.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "demo/demo_internal.h"

namespace tvault {
namespace demo_internal {
namespace {

// The share of pushbacks that are chain pushbacks across several states.
constexpr double kChainShare = 0.10;

// A border crossing as the generator knows it: pushed from `from` into `to`, with a box of
// plausible coordinates on the `from` side and invented place names.
struct Route {
  const char* from;
  const char* to;
  uint32_t weight;
  double lat_min, lat_max, lon_min, lon_max;
  const char* places[4];
};

// Weights follow the perpetrating-state figures (Croatia far ahead, then Hungary, Greece,
// Bulgaria, Slovenia; Romania, Poland and the rest rarer). Place names are invented.
// clang-format off
constexpr Route kRoutes[] = {
    {"HR", "BA", 520, 44.75, 45.22, 15.72, 16.20,
     {"Vranjska Mlaka", "Gornji Kestenovac", "Lisičja Draga", "Radovanska Polica"}},
    {"HR", "RS", 60, 45.12, 45.58, 18.96, 19.10,
     {"Bršljanovci", "Donja Jaminska", "Topolik Selo", "Mirkovački Brod"}},
    {"HU", "RS", 110, 46.10, 46.17, 19.62, 20.18,
     {"Kisbodrogszállás", "Fehértanya", "Nádasliget", "Homokerdő"}},
    {"SI", "HR", 25, 45.47, 45.82, 15.12, 15.58,
     {"Krivolesje", "Spodnja Brezovka", "Kolpski Breg", "Gorenji Lazec"}},
    {"GR", "TR", 100, 40.86, 41.68, 26.06, 26.58,
     {"Ano Kalamonas", "Neo Petrochori", "Kato Lefkonas", "Agios Dryas"}},
    {"BG", "TR", 80, 41.76, 42.04, 26.42, 27.78,
     {"Gorno Trnovsko", "Kamenitsa Dol", "Bukovets Strana", "Malko Ezerovo"}},
    {"RO", "RS", 40, 45.22, 45.74, 20.72, 21.28,
     {"Valea Salcilor", "Satu Nou de Campie", "Poiana Ulmilor", "Dealu Morii"}},
    {"PL", "BY", 45, 52.42, 53.38, 23.52, 23.88,
     {"Olszanka Leśna", "Borsuki Małe", "Krzywy Bród", "Zagajnik Dolny"}},
    {"MK", "GR", 25, 41.11, 41.19, 22.41, 22.78,
     {"Dolno Topolovo", "Krivo Pole", "Crvena Bara", "Gorno Lozje"}},
    {"RS", "MK", 15, 42.21, 42.34, 21.52, 21.98,
     {"Gornja Vrbovica", "Krstov Do", "Trnjanski Potok", "Sjenovac"}},
    {"AT", "HU", 10, 47.42, 47.88, 16.52, 17.04,
     {"Unterschilfing", "Rabenfeld", "Neudorf am Graben", "Moosbruck"}},
    {"AT", "SI", 4, 46.52, 46.74, 14.82, 15.88,
     {"Oberkirchbach", "Lindenau am Hang", "Steinfurt", "Grünwinkel"}},
    {"IT", "SI", 10, 45.61, 45.89, 13.61, 13.74,
     {"Borgo Carsico", "San Lauro del Colle", "Prato Sassoso", "Villa Rovere"}},
    {"ME", "AL", 8, 42.02, 42.38, 19.31, 19.49,
     {"Gornji Krš", "Ravni Do", "Bijela Strana", "Kamenički Vir"}},
};
// clang-format on

// Chain pushbacks in order from the first state to the last; pushed_from is the first (where
// the person was caught), pushed_to the last. The location uses the route from the first to
// the second state.
struct Chain {
  const char* countries[4];
  int size;
};
constexpr Weighted<Chain> kChains[] = {
    {{{"IT", "SI", "HR", "BA"}, 4}, 30}, {{{"SI", "HR", "BA"}, 3}, 30},
    {{{"AT", "SI", "HR", "BA"}, 4}, 12}, {{{"SI", "HR", "RS"}, 3}, 8},
    {{{"AT", "HU", "RS"}, 3}, 10},       {{{"RS", "MK", "GR"}, 3}, 5},
    {{{"IT", "SI", "HR"}, 3}, 5},
};

// People by nationality: Afghanistan first, then Pakistan and the Maghreb states, then a long
// tail (BVMN 2017: AF 289, PK 116, Maghreb 123 of 857 people).
constexpr Weighted<const char*> kNationalities[] = {
    {"AF", 290}, {"PK", 116}, {"MA", 55}, {"DZ", 42}, {"TN", 28}, {"SY", 45},
    {"IQ", 35},  {"BD", 30},  {"IN", 20}, {"EG", 18}, {"NP", 12}, {"IR", 20},
    {"TR", 15},  {"CU", 8},   {"PS", 14}, {"SO", 7},  {"ER", 5},  {"NG", 6},
    {"LY", 4},   {"YE", 4},   {"SD", 6},  {"CM", 5},
};

// Group sizes: a heavy tail with mean about 15 (Black Book: 24,990 people in 1,635
// testimonies, groups from 1 to over 100). Each bucket is drawn uniformly.
constexpr Weighted<SizeBucket> kGroupSizes[] = {
    {{1, 5}, 400},   {{6, 12}, 270}, {{13, 25}, 180},
    {{26, 60}, 110}, {{61, 99}, 30}, {{100, 200}, 10},
};

// Per-testimony probability of each violence type, given that violence is reported. BEATING
// at 0.795 makes about 75% overall once the 5.6% "no violence recalled" are counted.
struct ViolenceOdds {
  v1::ViolenceType type;
  double p;
};
constexpr ViolenceOdds kViolence[] = {
    {v1::BEATING, 0.795},
    {v1::KICKING, 0.45},
    {v1::BATONS, 0.35},
    {v1::DOG_ATTACK, 0.08},
    {v1::ELECTRIC_SHOCK, 0.04},
    {v1::GUNSHOTS, 0.03},
    {v1::PEPPER_SPRAY, 0.12},
    {v1::FORCED_UNDRESSING, 0.25},
    {v1::EXPOSURE_COLD_WATER, 0.15},
    {v1::THEFT, 0.55},
    {v1::PROPERTY_DESTRUCTION, 0.45},
    {v1::INSULTS, 0.40},
    {v1::THREATS, 0.30},
    {v1::SEXUAL_VIOLENCE, 0.01},
    {v1::DENIAL_FOOD_WATER, 0.15},
    {v1::VIOLENCE_OTHER, 0.03},
};

// Authority types by perpetrating state, from the descriptions monitors record most often
// (special police on the Croatian border, soldiers in Hungary and Poland, and so on).
constexpr Weighted<v1::PerpetratorType> kPerpetratorsHR[] = {{v1::BORDER_POLICE, 45},
                                                             {v1::SPECIAL_POLICE, 30},
                                                             {v1::REGULAR_POLICE, 18},
                                                             {v1::PERPETRATOR_UNKNOWN, 5},
                                                             {v1::PERPETRATOR_OTHER, 2}};
constexpr Weighted<v1::PerpetratorType> kPerpetratorsHU[] = {{v1::BORDER_POLICE, 35},
                                                             {v1::REGULAR_POLICE, 30},
                                                             {v1::MILITARY, 20},
                                                             {v1::SPECIAL_POLICE, 10},
                                                             {v1::PERPETRATOR_UNKNOWN, 5}};
constexpr Weighted<v1::PerpetratorType> kPerpetratorsGR[] = {{v1::BORDER_POLICE, 30},
                                                             {v1::REGULAR_POLICE, 25},
                                                             {v1::SPECIAL_POLICE, 15},
                                                             {v1::MILITARY, 10},
                                                             {v1::COAST_GUARD, 5},
                                                             {v1::FRONTEX_OR_EU_AGENCY, 3},
                                                             {v1::CIVILIANS_OR_VIGILANTES, 5},
                                                             {v1::PERPETRATOR_UNKNOWN, 7}};
constexpr Weighted<v1::PerpetratorType> kPerpetratorsBG[] = {{v1::BORDER_POLICE, 60},
                                                             {v1::REGULAR_POLICE, 15},
                                                             {v1::CIVILIANS_OR_VIGILANTES, 8},
                                                             {v1::FRONTEX_OR_EU_AGENCY, 4},
                                                             {v1::PERPETRATOR_UNKNOWN, 13}};
constexpr Weighted<v1::PerpetratorType> kPerpetratorsPL[] = {{v1::BORDER_POLICE, 50},
                                                             {v1::MILITARY, 35},
                                                             {v1::REGULAR_POLICE, 10},
                                                             {v1::PERPETRATOR_UNKNOWN, 5}};
constexpr Weighted<v1::PerpetratorType> kPerpetratorsOther[] = {{v1::BORDER_POLICE, 40},
                                                                {v1::REGULAR_POLICE, 40},
                                                                {v1::SPECIAL_POLICE, 10},
                                                                {v1::PERPETRATOR_UNKNOWN, 10}};

// Descriptions of units as a person would see them: uniforms, vehicles, equipment. Generic
// on purpose: no real unit, insignia text or person is named.
const char* UnitAsSeen(v1::PerpetratorType type, Rng& rng) {
  static constexpr const char* kBorder[] = {
      "dark blue uniforms, a green-and-white van", "blue uniforms with a flag patch on the arm",
      "officers in navy uniforms with torches and a marked pick-up",
      "uniformed officers with a thermal camera on a vehicle"};
  static constexpr const char* kSpecial[] = {
      "black uniforms and balaclavas, no visible insignia",
      "men in black with helmets, batons and masks",
      "dark clothing, masks, an unmarked van without windows"};
  static constexpr const char* kRegular[] = {"officers in blue uniforms with a marked police car",
                                             "two officers in a patrol car, then more at a station",
                                             "uniformed police with reflective vests"};
  static constexpr const char* kMilitary[] = {"green camouflage uniforms and rifles",
                                              "soldiers in camouflage with a military truck",
                                              "men in camouflage with dogs"};
  static constexpr const char* kOther[] = {"men in civilian clothes who worked with the police",
                                           "people in plain clothes with a dark car",
                                           "could not see uniforms in the dark"};
  switch (type) {
    case v1::BORDER_POLICE:
      return PickUniform(kBorder, rng);
    case v1::SPECIAL_POLICE:
      return PickUniform(kSpecial, rng);
    case v1::REGULAR_POLICE:
      return PickUniform(kRegular, rng);
    case v1::MILITARY:
      return PickUniform(kMilitary, rng);
    case v1::COAST_GUARD:
      return "uniformed crew of a grey patrol boat";
    case v1::FRONTEX_OR_EU_AGENCY:
      return "officers with a blue armband and a foreign language";
    case v1::CIVILIANS_OR_VIGILANTES:
      return "masked men in civilian clothes";
    default:
      return PickUniform(kOther, rng);
  }
}

double Round4(double x) { return std::round(x * 10000.0) / 10000.0; }

const Route& FindRoute(const char* from, const char* to) {
  for (const Route& r : kRoutes) {
    if (std::string_view(r.from) == from && std::string_view(r.to) == to) return r;
  }
  return kRoutes[0];
}

const Route& PickRoute(Rng& rng) {
  uint32_t total = 0;
  for (const Route& r : kRoutes) total += r.weight;
  uint32_t x = rng.Below(total);
  for (const Route& r : kRoutes) {
    if (x < r.weight) return r;
    x -= r.weight;
  }
  return kRoutes[0];
}

// Splits `group` people over distinct nationalities. Counts never sum above the group; some
// records know only part of the split or only that "some" were of a nationality (count 0).
void FillNationalities(uint32_t group, Rng& rng, v1::Pushback* p) {
  static constexpr Weighted<uint32_t> kDistinct[] = {{1, 55}, {2, 30}, {3, 12}, {4, 3}};
  const uint32_t k = std::min(Pick(kDistinct, rng), group);
  const char* chosen[4];
  uint32_t n = 0;
  for (int attempt = 0; n < k && attempt < 16; ++attempt) {
    const char* c = Pick(kNationalities, rng);
    bool dup = false;
    for (uint32_t j = 0; j < n; ++j) dup = dup || std::string_view(chosen[j]) == c;
    if (!dup) chosen[n++] = c;
  }
  p->mutable_nationalities()->Reserve(static_cast<int>(n));
  const double mode = rng.Uniform();  // 0.85 exact split, 0.10 partly known, 0.05 unknown
  uint32_t left = group;
  for (uint32_t j = 0; j < n; ++j) {
    uint32_t count;
    if (j + 1 == n) {
      count = left;
    } else {
      // The first nationality usually dominates; keep at least one person for each other.
      const uint32_t max = left - (n - 1 - j);
      count = std::max<uint32_t>(
          1, std::min(max, static_cast<uint32_t>(left * (0.4 + 0.5 * rng.Uniform()))));
    }
    left -= count;
    if (mode >= 0.95) {
      count = 0;
    } else if (mode >= 0.85 && j + 1 == n && n > 1) {
      count = 0;
    }
    v1::NationalityCount* nc = p->add_nationalities();
    nc->set_country(chosen[j]);
    nc->set_count(count);
  }
}

void FillViolence(Rng& rng, v1::Pushback* p) {
  const double u = rng.Uniform();
  if (u < 0.056) {
    p->add_violence(v1::NO_VIOLENCE_REPORTED);
    return;
  }
  if (u < 0.064) {
    p->add_violence(v1::VIOLENCE_UNKNOWN);
    return;
  }
  p->mutable_violence()->Reserve(8);
  for (const ViolenceOdds& v : kViolence) {
    if (rng.Chance(v.p)) p->add_violence(v.type);
  }
  if (p->violence_size() == 0) p->add_violence(rng.Chance(0.5) ? v1::INSULTS : v1::THREATS);
}

void FillPerpetrators(const std::string& state, Rng& rng, v1::Pushback* p) {
  static constexpr Weighted<int> kHowMany[] = {{1, 70}, {2, 27}, {3, 3}};
  const int n = Pick(kHowMany, rng);
  v1::PerpetratorType seen[3];
  int added = 0;
  for (int i = 0; i < n; ++i) {
    v1::PerpetratorType type;
    if (IsCode(state, "HR")) {
      type = Pick(kPerpetratorsHR, rng);
    } else if (IsCode(state, "HU")) {
      type = Pick(kPerpetratorsHU, rng);
    } else if (IsCode(state, "GR")) {
      type = Pick(kPerpetratorsGR, rng);
    } else if (IsCode(state, "BG")) {
      type = Pick(kPerpetratorsBG, rng);
    } else if (IsCode(state, "PL")) {
      type = Pick(kPerpetratorsPL, rng);
    } else {
      type = Pick(kPerpetratorsOther, rng);
    }
    bool dup = false;
    for (int j = 0; j < added; ++j) dup = dup || seen[j] == type;
    if (dup) continue;
    seen[added++] = type;
    v1::Perpetrator* perp = p->add_perpetrators();
    perp->set_type(type);
    perp->set_country(state);
    perp->set_unit_as_seen(UnitAsSeen(type, rng));
  }
}

}  // namespace

void FillPushback(const Window& w, Rng& rng, v1::Testimony* t) {
  t->set_kind(v1::PUSHBACK);
  v1::Pushback* p = t->mutable_pushback();

  // When: the true day drives the recording date; the entered date follows its precision.
  const int64_t day = PickDay(w, rng);
  static constexpr Weighted<v1::DatePrecision> kPrecision[] = {
      {v1::DAY, 80}, {v1::WEEK, 12}, {v1::MONTH, 8}};
  const v1::DatePrecision precision = Pick(kPrecision, rng);
  int y, m, d;
  CivilFromDays(day, &y, &m, &d);
  const int64_t entered_day = precision == v1::MONTH ? day - (d - 1) : day;
  p->set_incident_date(FormatDate(entered_day));
  p->set_date_precision(precision);
  static constexpr Weighted<v1::TimeOfDay> kTimes[] = {{v1::NIGHT, 40},
                                                       {v1::EVENING, 20},
                                                       {v1::MORNING, 15},
                                                       {v1::AFTERNOON, 12},
                                                       {v1::TIME_OF_DAY_UNKNOWN, 13}};
  p->set_time_of_day(precision == v1::MONTH && rng.Chance(0.5) ? v1::TIME_OF_DAY_UNKNOWN
                                                               : Pick(kTimes, rng));

  // Where, from and to.
  const Route* route;
  if (rng.Chance(kChainShare)) {
    const Chain& chain = Pick(kChains, rng);
    route = &FindRoute(chain.countries[0], chain.countries[1]);
    p->mutable_chain_countries()->Reserve(chain.size);
    for (int i = 0; i < chain.size; ++i) p->add_chain_countries(chain.countries[i]);
    p->set_pushed_from(chain.countries[0]);
    p->set_pushed_to(chain.countries[chain.size - 1]);
  } else {
    route = &PickRoute(rng);
    p->set_pushed_from(route->from);
    p->set_pushed_to(route->to);
  }
  v1::Location* loc = p->mutable_location();
  loc->set_country(route->from);
  loc->set_municipality(PickUniform(route->places, rng));
  if (rng.Chance(0.75)) {
    std::string segment = route->from;
    segment.push_back('-');
    segment.append(route->to);
    segment.push_back('-');
    const uint32_t number = rng.Range(1, 12);
    segment.push_back(static_cast<char>('0' + number / 10));
    segment.push_back(static_cast<char>('0' + number % 10));
    loc->set_border_segment(std::move(segment));
  }
  if (rng.Chance(0.30)) {
    v1::GeoPoint* gps = loc->mutable_gps();
    gps->set_latitude(Round4(route->lat_min + (route->lat_max - route->lat_min) * rng.Uniform()));
    gps->set_longitude(Round4(route->lon_min + (route->lon_max - route->lon_min) * rng.Uniform()));
  }

  // Who.
  const SizeBucket& bucket = Pick(kGroupSizes, rng);
  const uint32_t group = rng.Range(bucket.lo, bucket.hi);
  p->set_group_size(group);

  // 2017: 52 of 110 incidents with minors, 34 with minors' status unknown.
  const v1::TriState minors = PickTri(rng, 45, 25, 30);
  p->set_minors_involved(minors);
  uint32_t minors_count = 0;
  if (minors == v1::YES && rng.Chance(0.8)) {
    minors_count = rng.Range(1, std::max<uint32_t>(1, group / 3));
    p->set_minors_count(minors_count);
  }
  const v1::TriState women = PickTri(rng, 20, 55, 25);
  p->set_women_involved(women);
  uint32_t women_count = 0;
  if (women == v1::YES && group > minors_count && rng.Chance(0.75)) {
    women_count = rng.Range(1, std::max<uint32_t>(1, (group - minors_count) / 2));
    p->set_women_count(women_count);
  }

  // A few ages, never more than the group. Minor ages appear only when minors were involved.
  static constexpr Weighted<uint32_t> kAgeEntries[] = {{0, 35}, {1, 35}, {2, 15}, {3, 10}, {4, 5}};
  const uint32_t age_entries = std::min(Pick(kAgeEntries, rng), group);
  p->mutable_ages()->Reserve(static_cast<int>(age_entries));
  for (uint32_t i = 0; i < age_entries; ++i) {
    // The second entry (the only one for a person alone) is the minor's.
    const bool minor = minors == v1::YES && i == (group == 1 ? 0u : 1u);
    v1::Age* age = p->add_ages();
    if (rng.Chance(0.7)) {
      age->set_years(minor ? rng.Range(9, 17) : rng.Range(18, 52));
    } else if (minor) {
      age->set_band(rng.Chance(0.7) ? v1::AGE_14_17 : v1::AGE_0_13);
    } else {
      static constexpr Weighted<v1::AgeBand> kAdultBands[] = {{v1::AGE_18_25, 45},
                                                              {v1::AGE_26_35, 35},
                                                              {v1::AGE_36_PLUS, 12},
                                                              {v1::AGE_BAND_UNKNOWN, 8}};
      age->set_band(Pick(kAdultBands, rng));
    }
  }

  FillNationalities(group, rng, p);
  FillViolence(rng, p);
  FillPerpetrators(p->pushed_from(), rng, p);

  // At least two thirds expressed an intention to seek asylum (2017).
  const v1::TriState asylum = PickTri(rng, 67, 13, 20);
  p->set_asylum_intention_expressed(asylum);
  if (asylum == v1::YES) p->set_asylum_request_ignored(rng.Chance(0.9) ? v1::YES : v1::UNKNOWN);

  if (rng.Chance(0.6)) {
    v1::Detention* det = p->mutable_detention();
    const v1::TriState detained = PickTri(rng, 45, 40, 15);
    det->set_detained(detained);
    if (detained == v1::YES) {
      static constexpr const char* kPlaces[] = {"a police station near the border",
                                                "a metal container by a road",
                                                "a garage behind a police building",
                                                "a fenced yard outside a station",
                                                "a room without windows",
                                                "the back of a police van"};
      det->set_place(PickUniform(kPlaces, rng));
      if (rng.Chance(0.8)) det->set_duration_hours(rng.Range(2, 72));
    }
  }
  const bool violence_reported =
      p->violence(0) != v1::NO_VIOLENCE_REPORTED && p->violence(0) != v1::VIOLENCE_UNKNOWN;
  if (rng.Chance(0.5)) {
    v1::Medical* med = p->mutable_medical();
    const v1::TriState injuries =
        violence_reported ? PickTri(rng, 60, 15, 25) : PickTri(rng, 0, 70, 30);
    med->set_injuries(injuries);
    if (injuries == v1::YES) {
      med->set_treatment_needed(PickTri(rng, 45, 35, 20));
      static constexpr const char* kInjuries[] = {
          "bruises on the back and legs", "a swollen wrist and bruised ribs",
          "a cut above the eye",          "pain in the chest when breathing",
          "bite wounds on the calf",      "a suspected broken finger",
          "headaches and a bruised face", "bleeding from the nose and bruised arms"};
      med->set_description(PickUniform(kInjuries, rng));
    } else {
      med->set_treatment_needed(injuries == v1::NO ? v1::NO : v1::UNKNOWN);
    }
  }

  // The interview. Monitors tend to work one route, so the monitor depends on the route.
  const std::string& nationality = p->nationalities(0).country();
  t->set_interview_language(LanguageFor(nationality, rng));
  const bool english = t->interview_language() == "en";
  t->set_interpreter_present(english ? PickTri(rng, 10, 85, 5) : PickTri(rng, 70, 20, 10));
  const uint32_t route_index = static_cast<uint32_t>(route - kRoutes);
  const uint32_t monitor = 1 + (route_index * 3 + rng.Below(3)) % 24;
  t->set_monitor_id(MonitorId(monitor));
  SetRecordedAt(day, w, rng, t);
  // The interview happens where the person ended up, so phones are mostly of pushed_to.
  const bool female = women == v1::YES && (group == 1 || rng.Chance(0.3));
  // A person alone in a group with minors is the minor.
  const bool minor = group == 1 && minors == v1::YES;
  FillIdentity(nationality, p->pushed_to(), female, minor, day, rng, t->mutable_identity());
  t->set_narrative(PushbackNarrative(*t, day, rng));
}

const char* PickNationality(Rng& rng) { return Pick(kNationalities, rng); }

}  // namespace demo_internal
}  // namespace tvault
