// Fictional identities and narratives of the demo data.
//
// Names are composed from common first and last names, so no list entry describes a person;
// phone numbers are random digits in a country's format; e-mail addresses use the reserved
// example.org domain. Narratives are built only from the record's own (fictional) facts and
// never name a person, a unit or a real facility.
#include <cstdint>
#include <string>
#include <string_view>

#include "demo/demo_internal.h"

namespace tvault {
namespace demo_internal {
namespace {

struct NameList {
  const char* const* male;
  size_t male_size;
  const char* const* female;
  size_t female_size;
  const char* const* last;
  size_t last_size;
};

#define TVAULT_DEMO_NAMES(m, f, l) \
  NameList { m, sizeof(m) / sizeof(m[0]), f, sizeof(f) / sizeof(f[0]), l, sizeof(l) / sizeof(l[0]) }

constexpr const char* kAsianMale[] = {"Ahmad", "Farid",  "Jawad",   "Habib",  "Naweed", "Samiullah",
                                      "Rahim", "Bilal",  "Imran",   "Zubair", "Kamran", "Tariq",
                                      "Asif",  "Waheed", "Omid",    "Hamid",  "Shafiq", "Rashid",
                                      "Yasin", "Idris",  "Mustafa", "Nasir",  "Sohail", "Ehsan"};
constexpr const char* kAsianFemale[] = {"Fatima", "Mariam", "Zainab", "Shabnam", "Nazia",
                                        "Laila",  "Parisa", "Sana",   "Hina",    "Roya"};
constexpr const char* kAsianLast[] = {
    "Ahmadzai", "Noori",  "Safi",     "Karimi", "Rahimi",   "Hussaini",  "Qureshi",
    "Malik",    "Butt",   "Chaudhry", "Hakimi", "Sultani",  "Mohammadi", "Azizi",
    "Rasuli",   "Jafari", "Hotak",    "Wardak", "Siddiqui", "Amiri",     "Popal"};

constexpr const char* kArabicMale[] = {
    "Youssef", "Mohamed", "Karim", "Amine", "Walid", "Anas",   "Khaled", "Omar",  "Hamza", "Bilel",
    "Sami",    "Mehdi",   "Ayoub", "Rami",  "Ziad",  "Hassan", "Ilyas",  "Nabil", "Adel",  "Tarek"};
constexpr const char* kArabicFemale[] = {"Amina", "Salma",   "Nour",  "Rania",
                                         "Hiba",  "Yasmine", "Leila", "Samira"};
constexpr const char* kArabicLast[] = {"Benali",    "Haddad", "El Amrani", "Bouzid",   "Mansour",
                                       "Khalil",    "Saleh",  "Haddou",    "Belkacem", "Ouali",
                                       "Ben Salah", "Jaber",  "Nasser",    "Darwish",  "Kassem",
                                       "Zaher",     "Aziz",   "Rahmani",   "Touati",   "Chergui"};

constexpr const char* kBengaliMale[] = {"Rakib",  "Shakil", "Sohel",  "Anik",
                                        "Mahfuz", "Rasel",  "Tanvir", "Jahid"};
constexpr const char* kBengaliFemale[] = {"Nasrin", "Sumaiya", "Tania", "Rupa"};
constexpr const char* kBengaliLast[] = {"Rahman", "Hossain", "Uddin", "Mia",
                                        "Sarkar", "Islam",   "Alam",  "Chowdhury"};

constexpr const char* kNepaliMale[] = {"Bikash", "Suman", "Ramesh", "Dipak", "Arjun", "Santosh"};
constexpr const char* kNepaliFemale[] = {"Anjali", "Puja", "Sita"};
constexpr const char* kNepaliLast[] = {"Thapa", "Gurung", "Shrestha", "Karki", "Tamang", "Rai"};

constexpr const char* kTurkishMale[] = {"Mehmet", "Emre", "Baran", "Serkan", "Murat", "Deniz"};
constexpr const char* kTurkishFemale[] = {"Elif", "Zeynep", "Ayse"};
constexpr const char* kTurkishLast[] = {"Yildiz", "Kaya", "Demir", "Aydin", "Celik", "Arslan"};

constexpr const char* kSpanishMale[] = {"Yoandri", "Dayron", "Osvaldo", "Yasmany", "Reinier"};
constexpr const char* kSpanishFemale[] = {"Lisandra", "Yanet", "Dayana"};
constexpr const char* kSpanishLast[] = {"Perez", "Hernandez", "Diaz", "Rodriguez", "Garcia"};

constexpr const char* kHornMale[] = {"Abdi", "Mahad", "Yonas", "Tesfay", "Abdirahman", "Filmon"};
constexpr const char* kHornFemale[] = {"Hodan", "Semhar", "Saron"};
constexpr const char* kHornLast[] = {"Warsame", "Farah", "Tekle", "Ghebre", "Yusuf", "Haile"};

constexpr const char* kWestAfricanMale[] = {"Emeka", "Chinedu", "Serge",
                                            "Alain", "Ibrahim", "Tunde"};
constexpr const char* kWestAfricanFemale[] = {"Blessing", "Mireille", "Ngozi"};
constexpr const char* kWestAfricanLast[] = {"Okafor",  "Eze",    "Fotso",
                                            "Nkemelu", "Tchoua", "Adeyemi"};

const NameList& NamesFor(std::string_view nationality) {
  static const NameList kAsian = TVAULT_DEMO_NAMES(kAsianMale, kAsianFemale, kAsianLast);
  static const NameList kArabic = TVAULT_DEMO_NAMES(kArabicMale, kArabicFemale, kArabicLast);
  static const NameList kBengali = TVAULT_DEMO_NAMES(kBengaliMale, kBengaliFemale, kBengaliLast);
  static const NameList kNepali = TVAULT_DEMO_NAMES(kNepaliMale, kNepaliFemale, kNepaliLast);
  static const NameList kTurkish = TVAULT_DEMO_NAMES(kTurkishMale, kTurkishFemale, kTurkishLast);
  static const NameList kSpanish = TVAULT_DEMO_NAMES(kSpanishMale, kSpanishFemale, kSpanishLast);
  static const NameList kHorn = TVAULT_DEMO_NAMES(kHornMale, kHornFemale, kHornLast);
  static const NameList kWestAfrican =
      TVAULT_DEMO_NAMES(kWestAfricanMale, kWestAfricanFemale, kWestAfricanLast);
  if (IsCode(nationality, "AF") || IsCode(nationality, "PK") || IsCode(nationality, "IR") ||
      IsCode(nationality, "IN")) {
    return kAsian;
  }
  if (IsCode(nationality, "BD")) return kBengali;
  if (IsCode(nationality, "NP")) return kNepali;
  if (IsCode(nationality, "TR")) return kTurkish;
  if (IsCode(nationality, "CU")) return kSpanish;
  if (IsCode(nationality, "SO") || IsCode(nationality, "ER")) return kHorn;
  if (IsCode(nationality, "NG") || IsCode(nationality, "CM")) return kWestAfrican;
  return kArabic;
}

#undef TVAULT_DEMO_NAMES

// Phone formats: 'd' is replaced by a random digit.
const char* PhoneFormat(std::string_view country) {
  if (IsCode(country, "BA")) return "+387 6d ddd ddd";
  if (IsCode(country, "RS")) return "+381 6d ddd dddd";
  if (IsCode(country, "TR")) return "+90 5dd ddd dd dd";
  if (IsCode(country, "MK")) return "+389 7d ddd ddd";
  if (IsCode(country, "GR")) return "+30 69d ddd dddd";
  if (IsCode(country, "BG")) return "+359 8d ddd dddd";
  if (IsCode(country, "HR")) return "+385 9d ddd dddd";
  if (IsCode(country, "HU")) return "+36 30 ddd dddd";
  if (IsCode(country, "SI")) return "+386 4d ddd ddd";
  if (IsCode(country, "IT")) return "+39 3dd ddd dddd";
  if (IsCode(country, "PL")) return "+48 ddd ddd ddd";
  if (IsCode(country, "RO")) return "+40 7dd ddd ddd";
  if (IsCode(country, "AL")) return "+355 6d ddd dddd";
  if (IsCode(country, "BY")) return "+375 29 ddd dd dd";
  if (IsCode(country, "AT")) return "+43 6dd dddddd";
  if (IsCode(country, "AF")) return "+93 7d ddd dddd";
  if (IsCode(country, "PK")) return "+92 3dd ddddddd";
  return "+387 6d ddd ddd";
}

void AppendAsciiLower(std::string_view s, std::string* out) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      out->push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 'a' && c <= 'z') {
      out->push_back(c);
    }
  }
}

void AppendNumber(uint32_t n, std::string* out) { out->append(std::to_string(n)); }

// "a", "a and b", "a, b and c".
void AppendList(const char* const* items, int n, std::string* out) {
  for (int i = 0; i < n; ++i) {
    if (i > 0) out->append(i + 1 == n ? " and " : ", ");
    out->append(items[i]);
  }
}

const char* ViolencePhrase(int type) {
  switch (type) {
    case v1::BEATING:
      return "beatings";
    case v1::KICKING:
      return "kicking";
    case v1::BATONS:
      return "blows with batons";
    case v1::DOG_ATTACK:
      return "a dog set on the group";
    case v1::ELECTRIC_SHOCK:
      return "electric shocks";
    case v1::GUNSHOTS:
      return "shots fired close to the group";
    case v1::PEPPER_SPRAY:
      return "pepper spray";
    case v1::FORCED_UNDRESSING:
      return "being forced to undress";
    case v1::EXPOSURE_COLD_WATER:
      return "being forced into cold water";
    case v1::THEFT:
      return "the theft of phones and money";
    case v1::PROPERTY_DESTRUCTION:
      return "the destruction of phones and bags";
    case v1::INSULTS:
      return "insults";
    case v1::THREATS:
      return "threats";
    case v1::SEXUAL_VIOLENCE:
      return "sexual violence";
    case v1::DENIAL_FOOD_WATER:
      return "being denied food and water";
    default:
      return "other ill-treatment";
  }
}

const char* TimePhrase(v1::TimeOfDay t) {
  switch (t) {
    case v1::MORNING:
      return " in the morning";
    case v1::AFTERNOON:
      return " in the afternoon";
    case v1::EVENING:
      return " in the evening";
    case v1::NIGHT:
      return " at night";
    default:
      return "";
  }
}

const char* ConditionPhrase(int c) {
  switch (c) {
    case v1::OVERCROWDING:
      return "rooms were overcrowded";
    case v1::FOOD:
      return "food was insufficient";
    case v1::WATER:
      return "drinking water ran out";
    case v1::SANITATION:
      return "toilets and showers were broken or too few";
    case v1::HEATING:
      return "there was no heating";
    case v1::MEDICAL_CARE_DENIED:
      return "requests for a doctor were refused";
    case v1::ASYLUM_ACCESS_DENIED:
      return "requests to apply for asylum were not registered";
    case v1::LAWYER_ACCESS_DENIED:
      return "no one could speak to a lawyer";
    case v1::VIOLENCE_BY_STAFF:
      return "staff hit people";
    case v1::THEFT_OR_EXTORTION_BY_STAFF:
      return "staff took money and phones";
    case v1::LOCKED_IN:
      return "people were locked in for most of the day";
    case v1::DEATHS_REPORTED:
      return "a death among those held was reported";
    default:
      return "other conditions were poor";
  }
}

}  // namespace

void FillIdentity(std::string_view nationality, std::string_view phone_country, bool female,
                  bool minor, int64_t reference_day, Rng& rng, v1::Identity* identity) {
  const NameList& names = NamesFor(nationality);
  const char* first = female ? names.female[rng.Below(static_cast<uint32_t>(names.female_size))]
                             : names.male[rng.Below(static_cast<uint32_t>(names.male_size))];
  const char* last = names.last[rng.Below(static_cast<uint32_t>(names.last_size))];
  if (rng.Chance(0.92)) {
    std::string name = first;
    name.push_back(' ');
    name.append(last);
    identity->set_name(std::move(name));
  } else {
    identity->set_name(first);  // only a first name was given
  }
  if (rng.Chance(0.8)) {
    // Mostly a local SIM card; sometimes a number from home.
    const char* format = PhoneFormat(rng.Chance(0.8) ? phone_country : nationality);
    std::string phone;
    phone.reserve(20);
    for (const char* c = format; *c != '\0'; ++c) {
      phone.push_back(*c == 'd' ? static_cast<char>('0' + rng.Below(10)) : *c);
    }
    identity->set_phone(std::move(phone));
  }
  if (rng.Chance(0.25)) {
    std::string contact;
    if (rng.Chance(0.6)) {
      contact = "telegram: @";
      AppendAsciiLower(first, &contact);
      contact.push_back('_');
      AppendNumber(rng.Range(10, 99), &contact);
    } else {
      AppendAsciiLower(first, &contact);
      contact.push_back('.');
      AppendAsciiLower(last, &contact);
      AppendNumber(rng.Range(1, 99), &contact);
      contact.append("@example.org");
    }
    identity->set_contact(std::move(contact));
  }
  if (rng.Chance(0.4)) {
    int y, m, d;
    CivilFromDays(reference_day, &y, &m, &d);
    const int birth_year = y - static_cast<int>(minor ? rng.Range(15, 17) : rng.Range(19, 55));
    identity->set_date_of_birth(FormatDate(DaysFromCivil(
        birth_year, static_cast<int>(rng.Range(1, 12)), static_cast<int>(rng.Range(1, 28)))));
  }
}

std::string PushbackNarrative(const v1::Testimony& t, int64_t incident_day, Rng& rng) {
  const v1::Pushback& p = t.pushback();
  std::string out;
  out.reserve(640);

  // When and where.
  switch (p.date_precision()) {
    case v1::WEEK:
      out.append("In the week of ");
      out.append(LongDate(incident_day));
      break;
    case v1::MONTH:
      out.append("In ");
      out.append(LongMonth(incident_day));
      break;
    default:
      out.append("On ");
      out.append(LongDate(incident_day));
      break;
  }
  out.append(TimePhrase(p.time_of_day()));
  if (p.group_size() == 1) {
    out.append(", the respondent, travelling alone, was apprehended near ");
  } else {
    out.append(", a group of ");
    AppendNumber(p.group_size(), &out);
    out.append(" people, the respondent among them, was apprehended near ");
  }
  out.append(p.location().municipality());
  out.append(", ");
  out.append(CountryName(p.location().country()));
  out.append(". ");

  // The route back. A person alone is "the respondent", a group "they".
  const bool alone = p.group_size() == 1;
  const char* subject = alone ? "The respondent was" : "They were";
  if (p.chain_countries_size() >= 2) {
    out.append(subject);
    out.append(" handed over");
    for (int i = 1; i < p.chain_countries_size(); ++i) {
      out.append(i == 1 ? " from " : ", then from ");
      out.append(CountryName(p.chain_countries(i - 1)));
      out.append(" to ");
      out.append(CountryName(p.chain_countries(i)));
    }
    out.append(" and left at the border. ");
  } else {
    static constexpr const char* kReturn[] = {
        " driven to the border in a van and ordered to walk back into ",
        " taken to the border and forced to cross back into ",
        " escorted to the border line and pushed back into "};
    out.append(subject);
    out.append(PickUniform(kReturn, rng));
    out.append(CountryName(p.pushed_to()));
    out.append(". ");
  }

  // Violence and who used it.
  const int first_violence = p.violence_size() > 0 ? p.violence(0) : v1::VIOLENCE_UNKNOWN;
  if (first_violence == v1::NO_VIOLENCE_REPORTED) {
    out.append("The respondent recalls no physical violence during the pushback. ");
  } else if (first_violence == v1::VIOLENCE_UNKNOWN) {
    out.append("The respondent could not say what happened to the others in the group. ");
  } else {
    const char* phrases[20];
    int n = 0;
    for (int v : p.violence()) {
      if (n < 20) phrases[n++] = ViolencePhrase(v);
    }
    out.append("The respondent describes ");
    AppendList(phrases, n, &out);
    out.append(". ");
  }
  if (p.perpetrators_size() > 0 && !p.perpetrators(0).unit_as_seen().empty()) {
    out.append("Description of those involved: ");
    out.append(p.perpetrators(0).unit_as_seen());
    out.append(". ");
  }

  if (p.minors_involved() == v1::YES) {
    if (alone) {
      out.append("The respondent is a minor. ");
    } else if (p.minors_count() > 1) {
      AppendNumber(p.minors_count(), &out);
      out.append(" minors were in the group. ");
    } else {
      out.append(p.minors_count() == 1 ? "One minor was in the group. "
                                       : "There were minors in the group. ");
    }
  }

  if (p.asylum_intention_expressed() == v1::YES) {
    out.append(alone ? "The respondent" : "They");
    out.append(p.asylum_request_ignored() == v1::YES
                   ? " asked for asylum; the officers ignored the request. "
                   : " said they wanted to apply for asylum; the respondent does not know "
                     "whether this was recorded. ");
  } else if (p.asylum_intention_expressed() == v1::NO) {
    out.append(alone ? "The respondent did not ask for asylum. "
                     : "No one in the group asked for asylum. ");
  }

  if (p.has_detention() && p.detention().detained() == v1::YES) {
    out.append(alone ? "Before the pushback the respondent was held in "
                     : "Before the pushback they were held in ");
    out.append(p.detention().place().empty() ? "a closed room" : p.detention().place());
    if (p.detention().duration_hours() > 0) {
      out.append(" for about ");
      AppendNumber(p.detention().duration_hours(), &out);
      out.append(p.detention().duration_hours() == 1 ? " hour" : " hours");
    }
    out.append(". ");
  }
  if (p.has_medical() && p.medical().injuries() == v1::YES) {
    out.append("Afterwards the respondent had ");
    out.append(p.medical().description());
    out.append(p.medical().treatment_needed() == v1::YES ? " and needed medical treatment." : ".");
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string FacilityNarrative(const v1::Testimony& t, const v1::Facility& facility,
                              int64_t start_day, int64_t end_day, Rng& rng) {
  const v1::FacilityConditions& f = t.facility();
  std::string out;
  out.reserve(480);
  if (f.stay_kind() == v1::VISIT) {
    out.append("During a visit to ");
    out.append(facility.name());
    out.append(" on ");
    out.append(LongDate(start_day));
    out.append(", people held there told the monitor that ");
  } else {
    out.append("The respondent was held at ");
    out.append(facility.name());
    out.append(", ");
    out.append(CountryName(facility.country()));
    if (end_day > start_day) {
      out.append(", from ");
      out.append(LongDate(start_day));
      out.append(" to ");
      out.append(LongDate(end_day));
    } else {
      out.append(" on ");
      out.append(LongDate(start_day));
    }
    out.append(". They report that ");
  }
  const char* phrases[16];
  int n = 0;
  for (const v1::ConditionReport& c : f.conditions()) {
    if (n < 16) phrases[n++] = ConditionPhrase(c.condition());
  }
  AppendList(phrases, n, &out);
  out.append(". ");
  if (f.people_held_reported() > 0) {
    out.append("About ");
    AppendNumber(f.people_held_reported(), &out);
    out.append(" people were held there at the time");
    out.append(rng.Chance(0.5) ? ", by their estimate." : ".");
  } else {
    out.append("They could not say how many people were held there.");
  }
  return out;
}

}  // namespace demo_internal
}  // namespace tvault
