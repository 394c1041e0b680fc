// The random generator, calendar arithmetic and country tables of the demo-data generator.
#include <cstdint>
#include <string>
#include <string_view>

#include "demo/demo_internal.h"

namespace tvault {
namespace demo_internal {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

constexpr const char* kMonthNames[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

// Appends `value` as exactly `width` decimal digits (zero-padded). REQUIRES: value fits.
void AppendDigits(std::string* out, int value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

struct CountryEntry {
  const char* code;
  const char* name;
};

// Every code the generator writes (states on the routes and nationalities), with the short
// English names used in narratives.
constexpr CountryEntry kCountryNames[] = {
    {"AF", "Afghanistan"},
    {"AL", "Albania"},
    {"AT", "Austria"},
    {"BA", "Bosnia and Herzegovina"},
    {"BD", "Bangladesh"},
    {"BG", "Bulgaria"},
    {"BY", "Belarus"},
    {"CM", "Cameroon"},
    {"CU", "Cuba"},
    {"DZ", "Algeria"},
    {"EG", "Egypt"},
    {"ER", "Eritrea"},
    {"GR", "Greece"},
    {"HR", "Croatia"},
    {"HU", "Hungary"},
    {"IN", "India"},
    {"IQ", "Iraq"},
    {"IR", "Iran"},
    {"IT", "Italy"},
    {"LY", "Libya"},
    {"MA", "Morocco"},
    {"ME", "Montenegro"},
    {"MK", "North Macedonia"},
    {"NG", "Nigeria"},
    {"NP", "Nepal"},
    {"PK", "Pakistan"},
    {"PL", "Poland"},
    {"PS", "Palestine"},
    {"RO", "Romania"},
    {"RS", "Serbia"},
    {"SD", "Sudan"},
    {"SI", "Slovenia"},
    {"SO", "Somalia"},
    {"SY", "Syria"},
    {"TN", "Tunisia"},
    {"TR", "Türkiye"},
    {"XK", "Kosovo"},
    {"YE", "Yemen"},
};

}  // namespace

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = SplitMix64(&state);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

int64_t DaysFromCivil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t days, int* year, int* month, int* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

std::string FormatDate(int64_t days) {
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  std::string out;
  out.reserve(10);
  AppendDigits(&out, y, 4);
  out.push_back('-');
  AppendDigits(&out, m, 2);
  out.push_back('-');
  AppendDigits(&out, d, 2);
  return out;
}

std::string LongDate(int64_t days) {
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  std::string out = std::to_string(d);
  out.push_back(' ');
  out.append(kMonthNames[m - 1]);
  out.push_back(' ');
  out.append(std::to_string(y));
  return out;
}

std::string LongMonth(int64_t days) {
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  std::string out = kMonthNames[m - 1];
  out.push_back(' ');
  out.append(std::to_string(y));
  return out;
}

std::string_view CountryName(std::string_view code) {
  for (const CountryEntry& e : kCountryNames) {
    if (code.size() == 2 && code[0] == e.code[0] && code[1] == e.code[1]) return e.name;
  }
  return code;
}

const char* LanguageFor(std::string_view nationality, Rng& rng) {
  // Afghans are interviewed in Pashto or Dari (tagged "fa" as most networks do); Maghreb
  // nationals in Arabic or French; everyone without a listed language of the network's
  // interpreters in English.
  if (IsCode(nationality, "AF")) return rng.Chance(0.55) ? "ps" : "fa";
  if (IsCode(nationality, "IR")) return "fa";
  if (IsCode(nationality, "PK") || IsCode(nationality, "IN")) return rng.Chance(0.8) ? "ur" : "en";
  if (IsCode(nationality, "BD")) return rng.Chance(0.8) ? "bn" : "en";
  if (IsCode(nationality, "MA") || IsCode(nationality, "DZ") || IsCode(nationality, "TN")) {
    return rng.Chance(0.6) ? "ar" : "fr";
  }
  if (IsCode(nationality, "CM")) return "fr";
  if (IsCode(nationality, "SY") || IsCode(nationality, "IQ") || IsCode(nationality, "EG") ||
      IsCode(nationality, "PS") || IsCode(nationality, "LY") || IsCode(nationality, "SD") ||
      IsCode(nationality, "YE")) {
    return "ar";
  }
  if (IsCode(nationality, "TR")) return "tr";
  if (IsCode(nationality, "CU")) return "es";
  return "en";
}

}  // namespace demo_internal
}  // namespace tvault
