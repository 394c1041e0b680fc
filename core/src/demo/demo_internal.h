// Building blocks of the demo-data generator (core/src/demo/*.cc). Not part of the public API.
//
// Everything here is deterministic and independent of the standard library's random engines
// and distributions, whose output differs between implementations: the same seed gives the
// same bytes with libstdc++, libc++ and MSVC alike.
#ifndef TVAULT_DEMO_DEMO_INTERNAL_H_
#define TVAULT_DEMO_DEMO_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/v1/testimony.pb.h"

namespace tvault {
namespace demo_internal {

namespace v1 = ::tvault::v1;

// True when `s` is the two-letter code `code`; cheaper than std::string's operator== with a
// C string (no strlen), which matters at a million records.
inline bool IsCode(std::string_view s, const char (&code)[3]) {
  return s.size() == 2 && s[0] == code[0] && s[1] == code[1];
}

// One step of splitmix64: a good 64-bit mixer, used to seed Rng and to derive independent
// streams from (seed, record index).
uint64_t SplitMix64(uint64_t* state);

// xoshiro256** (Blackman and Vigna): small, fast, and the same everywhere. Not for secrets.
class Rng {
 public:
  // Seeds the four words of state from splitmix64, as the authors recommend, so that
  // neighbouring seeds give unrelated streams.
  explicit Rng(uint64_t seed);

  uint64_t Next();

  // A uniform value in [0, n). REQUIRES: n >= 1. Lemire's multiply-shift on the high 32 bits;
  // its bias (below 2^-32 * n) is irrelevant for demo data.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

  // A uniform value in [lo, hi]. REQUIRES: lo <= hi.
  uint32_t Range(uint32_t lo, uint32_t hi) { return lo + Below(hi - lo + 1); }

  // A uniform double in [0, 1) with 53 bits of precision.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

 private:
  uint64_t s_[4];
};

// An entry of a weighted table: `value` is drawn with probability weight / sum of weights.
template <typename T>
struct Weighted {
  T value;
  uint32_t weight;
};

// Draws from a weighted table. Linear in the table size, which is small (at most ~30).
// REQUIRES: at least one positive weight.
template <typename T, size_t N>
const T& Pick(const Weighted<T> (&table)[N], Rng& rng) {
  uint32_t total = 0;
  for (const auto& e : table) total += e.weight;
  uint32_t r = rng.Below(total);
  for (const auto& e : table) {
    if (r < e.weight) return e.value;
    r -= e.weight;
  }
  return table[N - 1].value;
}

// A uniform draw from a plain array.
template <typename T, size_t N>
const T& PickUniform(const T (&table)[N], Rng& rng) {
  return table[rng.Below(static_cast<uint32_t>(N))];
}

// An inclusive range of whole numbers, drawn uniformly once its bucket is picked.
struct SizeBucket {
  uint32_t lo, hi;
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
// REQUIRES: 1 <= month <= 12, 1 <= day <= DaysInMonth(year, month).
int64_t DaysFromCivil(int year, int month, int day);

// The inverse of DaysFromCivil.
void CivilFromDays(int64_t days, int* year, int* month, int* day);

int DaysInMonth(int year, int month);

// "YYYY-MM-DD" for a day count since 1970-01-01. REQUIRES: year in [0, 9999].
std::string FormatDate(int64_t days);

// "14 March 2026", as used in narratives.
std::string LongDate(int64_t days);

// "March 2026".
std::string LongMonth(int64_t days);

// The English short name of the ISO 3166-1 alpha-2 codes the generator uses ("Bosnia and
// Herzegovina" for "BA"); the code itself for any other value.
std::string_view CountryName(std::string_view code);

// A natural interview language (BCP 47) for a nationality, e.g. "ps" or "fa" for "AF".
const char* LanguageFor(std::string_view nationality, Rng& rng);

// Fills a fictional identity: a name composed from first and last name lists fitting the
// nationality, usually a phone number of the country the person is in (`phone_country`) with
// random digits, sometimes a messenger handle or an example.org e-mail address, sometimes a
// date of birth making the person 19 to 55 years old on `reference_day` (15 to 17 when
// `minor`, so that the date of birth never contradicts the rest of the record).
void FillIdentity(std::string_view nationality, std::string_view phone_country, bool female,
                  bool minor, int64_t reference_day, Rng& rng, v1::Identity* identity);

// The fixed parts of the 12-month window of incident dates and its monthly volume profile.
struct Window {
  int64_t month_first_day[12];  // first day of each month, oldest first
  int month_days[12];
  uint32_t month_weight[12];  // relative testimony volume of each month
  uint32_t total_weight;
  int64_t cap_day;  // no generated date (recording included) after this day
};

// A day in the window, months weighted by the volume profile; never after cap_day.
int64_t PickDay(const Window& w, Rng& rng);

// Sets recorded_at to a daytime moment a few days to weeks after `event_day`, never after
// w.cap_day and never before `event_day`.
void SetRecordedAt(int64_t event_day, const Window& w, Rng& rng, v1::Testimony* t);

// YES, NO or UNKNOWN with the given relative weights (at least one positive).
v1::TriState PickTri(Rng& rng, uint32_t yes, uint32_t no, uint32_t unknown);

// "mon-07" for 7. REQUIRES: number < 100.
std::string MonitorId(uint32_t number);

// A nationality weighted by the public figures (Afghanistan most often).
const char* PickNationality(Rng& rng);

// Fills a PUSHBACK testimony: kind, details, header, identity and narrative.
void FillPushback(const Window& w, Rng& rng, v1::Testimony* t);

// A few sober sentences built from the record's own facts (date, place, group, violence,
// perpetrators, asylum, detention, medical). REQUIRES: t.has_pushback().
std::string PushbackNarrative(const v1::Testimony& t, int64_t incident_day, Rng& rng);

// The same for a facility testimony. REQUIRES: t.has_facility(); `facility` is the registry
// entry that t.facility().facility_id() references.
std::string FacilityNarrative(const v1::Testimony& t, const v1::Facility& facility,
                              int64_t start_day, int64_t end_day, Rng& rng);

// The removal questions of a facility testimony (removal.cc): for a stay, how the person
// arrived, the length of stay (days between `start` and `end`, sometimes as a range or
// unknown), and in facilities holding people for removal the safeguards and onward removal
// (to `nationality` when it is a country code).
void FillRemovalDetails(const v1::Facility& facility, int64_t start, int64_t end,
                        std::string_view nationality, Rng& rng, v1::FacilityConditions* f);

// Turns a pushback testimony into a forcible removal from an informal site in Serbia into one
// of the Serbian centres of `facilities` (incident_kind SITE_REMOVAL).
void MakeSiteRemoval(const std::vector<v1::Facility>& facilities, Rng& rng, v1::Testimony* t);

}  // namespace demo_internal
}  // namespace tvault

#endif  // TVAULT_DEMO_DEMO_INTERNAL_H_
