// GenerateDemoTestimonies: fictional testimonies shaped by the public figures in
// docs/demo-data.md (Border Violence Monitoring Network reports). This file holds the date
// window, the facility testimonies and the driver loop; pushback.cc the pushback testimonies.
//
// Determinism: record i is drawn from its own xoshiro256** stream seeded from (seed, i), and the
// monthly volume profile from a stream seeded from the seed alone. So the same options give the
// same bytes on every platform and every day, and the first n records of a larger count are the
// n records of a smaller one. Nothing reads the clock.
//
// Cost: linear in `count`, a few microseconds per record; no regex, no locale, no iostreams.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "demo/demo_internal.h"
#include "tvault/demo.h"

namespace tvault {
namespace demo_internal {
namespace {

// The latest day any generated date may take, counted from the last day of until_month. With
// the default "2026-10" this is 2026-11-24, a day before the reference date 2026-11-25 that
// the tests validate against, so no timestamp can cross it in any time zone.
constexpr int kRecordingGraceDays = 24;

// The share of FACILITY testimonies; the rest are PUSHBACK (BVMN's database is mostly
// pushbacks, with facility-condition reports alongside).
constexpr double kFacilityShare = 0.17;
// Of the other records, the share that are removals from informal sites, not pushbacks.
constexpr double kSiteRemovalShare = 0.04;

// Parses "YYYY-MM". Returns false for anything else.
bool ParseMonth(const std::string& s, int* year, int* month) {
  if (s.size() != 7 || s[4] != '-') return false;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    y = y * 10 + (s[i] - '0');
  }
  if (s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9') return false;
  const int m = (s[5] - '0') * 10 + (s[6] - '0');
  if (m < 1 || m > 12 || y < 1) return false;
  *year = y;
  *month = m;
  return true;
}

// Parses "YYYY-MM-DD" (a real date). Returns false for anything else, the empty string too.
bool ParseDay(const std::string& s, int* year, int* month, int* day) {
  if (s.size() != 10 || s[7] != '-' || !ParseMonth(s.substr(0, 7), year, month)) return false;
  if (s[8] < '0' || s[8] > '9' || s[9] < '0' || s[9] > '9') return false;
  *day = (s[8] - '0') * 10 + (s[9] - '0');
  return *day >= 1 && *day <= DaysInMonth(*year, *month);
}

Window MakeWindow(const DemoOptions& options) {
  int year = 2026, month = 10;
  // An unparseable until_month falls back to the default rather than failing: the signature
  // has no error channel, and callers (the CLI) validate user input before calling.
  ParseMonth(options.until_month, &year, &month);
  Window w{};
  // Volumes swing by an order of magnitude from month to month (BVMN: 2 to 40 a month).
  static constexpr uint32_t kSwing[] = {2, 4, 6, 9, 12, 16, 20, 25, 30, 40};
  uint64_t state = options.seed ^ 0x6D6F6E74686C7921ULL;  // separate stream from the records
  Rng rng(SplitMix64(&state));
  int y = year, m = month - 11;
  while (m < 1) {
    m += 12;
    --y;
  }
  for (int i = 0; i < 12; ++i) {
    w.month_first_day[i] = DaysFromCivil(y, m, 1);
    w.month_days[i] = DaysInMonth(y, m);
    w.month_weight[i] = PickUniform(kSwing, rng);
    w.total_weight += w.month_weight[i];
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  w.cap_day = w.month_first_day[11] + w.month_days[11] - 1 + kRecordingGraceDays;
  // Nothing on or after today: a record dated today could be recorded later in the day than
  // now, and a facility stay could end after today.
  int today_year = 0, today_month = 0, today_day = 0;
  if (ParseDay(options.today, &today_year, &today_month, &today_day)) {
    w.cap_day = std::min(w.cap_day, DaysFromCivil(today_year, today_month, today_day) - 1);
  }
  return w;
}

// Days between an event and the interview: mostly within a few weeks.
int64_t PickRecordingLag(Rng& rng) {
  static constexpr Weighted<SizeBucket> kLag[] = {
      {{0, 3}, 30}, {{4, 10}, 35}, {{11, 21}, 25}, {{22, 40}, 10}};
  const SizeBucket& b = Pick(kLag, rng);
  return rng.Range(b.lo, b.hi);
}

void FillFacility(const Window& w, const std::vector<v1::Facility>& facilities, Rng& rng,
                  v1::Testimony* t) {
  t->set_kind(v1::FACILITY);
  v1::FacilityConditions* f = t->mutable_facility();
  // Detention sites are reported on most, asylum centres least. Only the first 32 registry
  // entries are drawn (the demo registry has fewer).
  uint32_t total = 0;
  uint32_t weights[32];
  const size_t n = std::min<size_t>(facilities.size(), 32);
  for (size_t i = 0; i < n; ++i) {
    const v1::FacilityType type = facilities[i].type();
    weights[i] = type == v1::DETENTION ? 3 : (type == v1::ASYLUM ? 1 : 2);
    total += weights[i];
  }
  uint32_t r = rng.Below(total);
  size_t chosen = 0;
  while (chosen + 1 < n && r >= weights[chosen]) r -= weights[chosen++];
  const v1::Facility& facility = facilities[chosen];
  f->set_facility_id(facility.id());

  const bool stay = rng.Chance(0.8);
  f->set_stay_kind(stay ? v1::STAY : v1::VISIT);
  const int64_t start = PickDay(w, rng);
  int64_t end = start;
  if (stay) {
    static constexpr Weighted<SizeBucket> kStayDays[] = {
        {{0, 6}, 30}, {{7, 30}, 40}, {{31, 90}, 25}, {{91, 180}, 5}};
    const SizeBucket& b = Pick(kStayDays, rng);
    end = std::min(start + rng.Range(b.lo, b.hi), w.cap_day);
  } else if (rng.Chance(0.25)) {
    end = std::min(start + 1, w.cap_day);
  }
  f->set_period_start(FormatDate(start));
  if (end > start) f->set_period_end(FormatDate(end));

  if (rng.Chance(0.85)) {
    SizeBucket held{10, 300};
    switch (facility.type()) {
      case v1::RECEPTION:
        held = {50, 1500};
        break;
      case v1::ASYLUM:
        held = {30, 600};
        break;
      case v1::TRANSIT:
        held = {10, 400};
        break;
      case v1::INFORMAL_SITE:
        held = {5, 500};
        break;
      default:
        break;
    }
    f->set_people_held_reported(rng.Range(held.lo, held.hi));
  }

  static constexpr Weighted<v1::Condition> kConditions[] = {{v1::OVERCROWDING, 60},
                                                            {v1::SANITATION, 55},
                                                            {v1::FOOD, 45},
                                                            {v1::MEDICAL_CARE_DENIED, 40},
                                                            {v1::HEATING, 25},
                                                            {v1::WATER, 20},
                                                            {v1::ASYLUM_ACCESS_DENIED, 30},
                                                            {v1::LAWYER_ACCESS_DENIED, 25},
                                                            {v1::VIOLENCE_BY_STAFF, 20},
                                                            {v1::THEFT_OR_EXTORTION_BY_STAFF, 10},
                                                            {v1::LOCKED_IN, 20},
                                                            {v1::DEATHS_REPORTED, 2},
                                                            {v1::COLD_EXPOSURE, 8},
                                                            {v1::CONDITION_OTHER, 5}};
  static constexpr Weighted<uint32_t> kHowMany[] = {{1, 10}, {2, 20}, {3, 25},
                                                    {4, 20}, {5, 15}, {6, 10}};
  static constexpr Weighted<v1::Severity> kSeverity[] = {
      {v1::MINOR, 20}, {v1::SERIOUS, 45}, {v1::SEVERE, 25}, {v1::SEVERITY_UNKNOWN, 10}};
  const uint32_t want = Pick(kHowMany, rng);
  v1::Condition seen[6];
  uint32_t added = 0;
  f->mutable_conditions()->Reserve(static_cast<int>(want));
  for (int attempt = 0; added < want && attempt < 24; ++attempt) {
    const v1::Condition c = Pick(kConditions, rng);
    // People are not locked into an informal site.
    if (c == v1::LOCKED_IN && facility.type() == v1::INFORMAL_SITE) continue;
    bool dup = false;
    for (uint32_t j = 0; j < added; ++j) dup = dup || seen[j] == c;
    if (dup) continue;
    seen[added++] = c;
    v1::ConditionReport* report = f->add_conditions();
    report->set_condition(c);
    report->set_severity(c == v1::DEATHS_REPORTED ? v1::SEVERE : Pick(kSeverity, rng));
  }

  const char* nationality = PickNationality(rng);
  FillRemovalDetails(facility, start, end, nationality, rng, f);
  t->set_interview_language(LanguageFor(nationality, rng));
  t->set_interpreter_present(t->interview_language() == std::string_view("en")
                                 ? PickTri(rng, 10, 85, 5)
                                 : PickTri(rng, 70, 20, 10));
  t->set_monitor_id(MonitorId(1 + rng.Below(24)));
  SetRecordedAt(end, w, rng, t);
  FillIdentity(nationality, facility.country(), rng.Chance(0.15), /*minor=*/false, start, rng,
               t->mutable_identity());
  t->set_narrative(FacilityNarrative(*t, facility, start, end, rng));
}

}  // namespace

int64_t PickDay(const Window& w, Rng& rng) {
  uint32_t r = rng.Below(w.total_weight);
  int i = 0;
  while (i < 11 && r >= w.month_weight[i]) r -= w.month_weight[i++];
  const int64_t day = w.month_first_day[i] + rng.Below(static_cast<uint32_t>(w.month_days[i]));
  return std::min(day, w.cap_day);
}

void SetRecordedAt(int64_t event_day, const Window& w, Rng& rng, v1::Testimony* t) {
  const int64_t day = std::min(event_day + PickRecordingLag(rng), w.cap_day);
  // Interviews happen in the daytime, 08:00 to 20:00 UTC.
  const int64_t seconds = day * 86400 + 8 * 3600 + rng.Below(12 * 3600);
  t->mutable_recorded_at()->set_seconds(seconds);
}

v1::TriState PickTri(Rng& rng, uint32_t yes, uint32_t no, uint32_t unknown) {
  const Weighted<v1::TriState> table[] = {{v1::YES, yes}, {v1::NO, no}, {v1::UNKNOWN, unknown}};
  return Pick(table, rng);
}

std::string MonitorId(uint32_t number) {
  std::string id = "mon-";
  id.push_back(static_cast<char>('0' + number / 10 % 10));
  id.push_back(static_cast<char>('0' + number % 10));
  return id;
}

}  // namespace demo_internal

std::vector<v1::Testimony> GenerateDemoTestimonies(const DemoOptions& options) {
  using demo_internal::Rng;
  const demo_internal::Window window = demo_internal::MakeWindow(options);
  const std::vector<v1::Facility> facilities = DemoFacilities();
  std::vector<v1::Testimony> out;
  out.reserve(static_cast<size_t>(options.count));
  uint64_t base = options.seed;
  const uint64_t stream = demo_internal::SplitMix64(&base);
  for (uint64_t i = 0; i < options.count; ++i) {
    // An independent stream per record: (seed, i) -> splitmix64 -> xoshiro256**.
    uint64_t key = stream ^ (i * 0xD1B54A32D192ED03ULL);
    Rng rng(demo_internal::SplitMix64(&key));
    v1::Testimony& t = out.emplace_back();
    if (rng.Chance(demo_internal::kFacilityShare)) {
      demo_internal::FillFacility(window, facilities, rng, &t);
    } else {
      demo_internal::FillPushback(window, rng, &t);
      if (rng.Chance(demo_internal::kSiteRemovalShare)) {
        demo_internal::MakeSiteRemoval(facilities, rng, &t);
      }
    }
  }
  return out;
}

}  // namespace tvault
