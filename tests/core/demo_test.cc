// Tests of the demo-data generator: determinism, the date window, schema validity and the
// calibration shape described in docs/demo-data.md.
#include "tvault/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/schema.h"

namespace tvault {
namespace {

constexpr char kToday[] = "2026-11-25";

// "YYYY-MM-DD" of a Unix time in seconds (UTC), without the C library's time zone state.
std::string DateOfSeconds(int64_t seconds) {
  int64_t z = (seconds >= 0 ? seconds : seconds - 86399) / 86400 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[16];
  snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
           static_cast<int>(d));
  return buf;
}

std::vector<std::string> Serialize(const std::vector<v1::Testimony>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const v1::Testimony& t : list) out.push_back(t.SerializeAsString());
  return out;
}

DemoOptions Options(uint64_t count, uint64_t seed) {
  DemoOptions o;
  o.count = count;
  o.seed = seed;
  return o;
}

TEST(DemoDataTest, SameOptionsGiveIdenticalBytes) {
  const auto a = Serialize(GenerateDemoTestimonies(Options(2000, 7)));
  const auto b = Serialize(GenerateDemoTestimonies(Options(2000, 7)));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "record " << i;
}

TEST(DemoDataTest, DifferentSeedGivesDifferentRecords) {
  const auto a = Serialize(GenerateDemoTestimonies(Options(200, 1)));
  const auto b = Serialize(GenerateDemoTestimonies(Options(200, 2)));
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  EXPECT_EQ(same, 0u);
}

TEST(DemoDataTest, SmallerCountIsAPrefixOfALargerOne) {
  const auto small = Serialize(GenerateDemoTestimonies(Options(50, 3)));
  const auto large = Serialize(GenerateDemoTestimonies(Options(500, 3)));
  for (size_t i = 0; i < small.size(); ++i) EXPECT_EQ(small[i], large[i]) << "record " << i;
}

TEST(DemoDataTest, CountIsHonoured) {
  EXPECT_TRUE(GenerateDemoTestimonies(Options(0, 1)).empty());
  EXPECT_EQ(GenerateDemoTestimonies(Options(1, 1)).size(), 1u);
  EXPECT_EQ(GenerateDemoTestimonies(Options(1234, 9)).size(), 1234u);
}

TEST(DemoDataTest, DatesFallInTheWindow) {
  for (const std::string until : {"2026-10", "2025-01"}) {
    DemoOptions o = Options(3000, 11);
    o.until_month = until;
    const bool default_month = until == "2026-10";
    // The twelve months ending with until_month, and the recording cap 24 days after it.
    const std::string first = default_month ? "2025-11-01" : "2024-02-01";
    const std::string last = default_month ? "2026-10-31" : "2025-01-31";
    const std::string cap = default_month ? "2026-11-24" : "2025-02-24";
    for (const v1::Testimony& t : GenerateDemoTestimonies(o)) {
      const std::string recorded = DateOfSeconds(t.recorded_at().seconds());
      EXPECT_GE(recorded, first);
      EXPECT_LE(recorded, cap);
      EXPECT_LE(recorded, kToday);
      if (t.has_pushback()) {
        const std::string& d = t.pushback().incident_date();
        EXPECT_GE(d, first);
        EXPECT_LE(d, last);
        EXPECT_LE(d, recorded);
      } else {
        ASSERT_TRUE(t.has_facility());
        const v1::FacilityConditions& f = t.facility();
        EXPECT_GE(f.period_start(), first);
        EXPECT_LE(f.period_start(), last);
        if (!f.period_end().empty()) {
          EXPECT_GT(f.period_end(), f.period_start());
          EXPECT_LE(f.period_end(), cap);
          EXPECT_LE(f.period_end(), recorded);
        } else {
          EXPECT_LE(f.period_start(), recorded);
        }
      }
      if (!t.identity().date_of_birth().empty()) {
        EXPECT_LT(t.identity().date_of_birth(), first);
      }
    }
  }
}

TEST(DemoDataTest, InvalidUntilMonthFallsBackToTheDefault) {
  DemoOptions bad = Options(100, 4);
  bad.until_month = "October";
  const auto a = Serialize(GenerateDemoTestimonies(bad));
  const auto b = Serialize(GenerateDemoTestimonies(Options(100, 4)));
  EXPECT_EQ(a, b);
}

TEST(DemoDataTest, JsonLinesRoundTrip) {
  // `tvault demo-data` prints one JSON object per line; the import must read them back.
  const auto list = GenerateDemoTestimonies(Options(300, 8));
  std::string text;
  for (const v1::Testimony& t : list) {
    text += MessageToJson(t, /*pretty=*/false);
    text += '\n';
  }
  Result<std::vector<InputRecord>> parsed = ParseTestimoniesJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed.value().size(), list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(parsed.value()[i].testimony.SerializeAsString(), list[i].SerializeAsString())
        << "record " << i;
  }
}

TEST(DemoDataTest, EveryTestimonyPassesValidation) {
  std::set<std::string> ids;
  for (const v1::Facility& f : DemoFacilities()) ids.insert(f.id());
  ValidationContext ctx;
  ctx.today = kToday;
  ctx.facility_exists = [&ids](std::string_view id) { return ids.count(std::string(id)) > 0; };
  const auto list = GenerateDemoTestimonies(Options(5000, 5));
  for (size_t i = 0; i < list.size(); ++i) {
    const v1::Testimony& t = list[i];
    const std::vector<FieldError> errors = ValidateTestimony(t, ctx);
    ASSERT_TRUE(errors.empty()) << "record " << i << ": " << FormatFieldErrors(errors);
    // tvault assigns these; the generator must leave them out.
    EXPECT_TRUE(t.id().empty());
    EXPECT_EQ(t.schema_version(), 0u);
    EXPECT_TRUE(t.sealed_identity().empty());
    EXPECT_FALSE(t.narrative().empty());
    EXPECT_FALSE(t.monitor_id().empty());
    EXPECT_TRUE(t.has_recorded_at());
    EXPECT_EQ(t.kind() == v1::PUSHBACK, t.has_pushback());
    EXPECT_EQ(t.kind() == v1::FACILITY, t.has_facility());
  }
}

TEST(DemoDataTest, PushbacksAreInternallyConsistent) {
  for (const v1::Testimony& t : GenerateDemoTestimonies(Options(5000, 13))) {
    if (!t.has_pushback() || t.pushback().incident_kind() == v1::SITE_REMOVAL) continue;
    const v1::Pushback& p = t.pushback();
    EXPECT_NE(p.pushed_from(), p.pushed_to());
    EXPECT_EQ(p.location().country(), p.pushed_from());
    if (p.chain_countries_size() > 0) {
      ASSERT_GE(p.chain_countries_size(), 2);
      EXPECT_EQ(p.chain_countries(0), p.pushed_from());
      EXPECT_EQ(p.chain_countries(p.chain_countries_size() - 1), p.pushed_to());
    }
    EXPECT_GE(p.group_size(), 1u);
    EXPECT_LE(p.minors_count() + p.women_count(), p.group_size());
    uint64_t sum = 0;
    for (const v1::NationalityCount& n : p.nationalities()) sum += n.count();
    EXPECT_LE(sum, p.group_size());
    EXPECT_GE(p.nationalities_size(), 1);
    std::set<int> violence(p.violence().begin(), p.violence().end());
    EXPECT_EQ(violence.size(), static_cast<size_t>(p.violence_size()));
    if (violence.count(v1::NO_VIOLENCE_REPORTED)) {
      EXPECT_EQ(violence.size(), 1u);
    }
    for (const v1::Perpetrator& perp : p.perpetrators()) {
      EXPECT_EQ(perp.country(), p.pushed_from());
    }
  }
}

TEST(DemoDataTest, ShapeMatchesCalibration) {
  const auto list = GenerateDemoTestimonies(Options(5000, 42));
  uint64_t pushbacks = 0, people = 0, beating = 0, none = 0, chains = 0, minors_yes = 0;
  uint64_t asylum_yes = 0, from_hr = 0, af_first = 0;
  uint32_t max_group = 0;
  std::set<std::string> months;
  for (const v1::Testimony& t : list) {
    if (!t.has_pushback()) continue;
    const v1::Pushback& p = t.pushback();
    ++pushbacks;
    people += p.group_size();
    max_group = std::max(max_group, p.group_size());
    for (int v : p.violence()) {
      beating += v == v1::BEATING ? 1 : 0;
      none += v == v1::NO_VIOLENCE_REPORTED ? 1 : 0;
    }
    chains += p.chain_countries_size() > 0 ? 1 : 0;
    minors_yes += p.minors_involved() == v1::YES ? 1 : 0;
    asylum_yes += p.asylum_intention_expressed() == v1::YES ? 1 : 0;
    from_hr += p.pushed_from() == "HR" ? 1 : 0;
    af_first += p.nationalities(0).country() == "AF" ? 1 : 0;
    months.insert(p.incident_date().substr(0, 7));
  }
  const double n = static_cast<double>(pushbacks);
  EXPECT_GE(pushbacks / 5000.0, 0.75);
  EXPECT_LE(pushbacks / 5000.0, 0.90);
  EXPECT_GE(people / n, 10.0);
  EXPECT_LE(people / n, 20.0);
  EXPECT_GE(max_group, 100u);
  EXPECT_GE(beating / n, 0.65);
  EXPECT_LE(beating / n, 0.85);
  EXPECT_GE(none / n, 0.03);
  EXPECT_LE(none / n, 0.09);
  EXPECT_GE(chains / n, 0.06);
  EXPECT_LE(chains / n, 0.14);
  EXPECT_GE(minors_yes / n, 0.38);
  EXPECT_LE(minors_yes / n, 0.52);
  EXPECT_GE(asylum_yes / n, 0.60);
  EXPECT_LE(asylum_yes / n, 0.74);
  EXPECT_GE(from_hr / n, 0.45);   // Croatia is the main perpetrating state.
  EXPECT_GE(af_first / n, 0.25);  // Afghanistan is the most frequent nationality.
  EXPECT_EQ(months.size(), 12u);
}

TEST(DemoDataTest, MonthlyVolumesSwing) {
  std::vector<uint32_t> per_month(12, 0);
  std::set<std::string> names;
  for (const v1::Testimony& t : GenerateDemoTestimonies(Options(5000, 42))) {
    if (!t.has_pushback()) continue;
    const std::string& d = t.pushback().incident_date();
    names.insert(d.substr(0, 7));
  }
  std::vector<std::string> months(names.begin(), names.end());
  for (const v1::Testimony& t : GenerateDemoTestimonies(Options(5000, 42))) {
    if (!t.has_pushback()) continue;
    const std::string m = t.pushback().incident_date().substr(0, 7);
    per_month[std::lower_bound(months.begin(), months.end(), m) - months.begin()]++;
  }
  const auto [lo, hi] = std::minmax_element(per_month.begin(), per_month.end());
  EXPECT_GE(*hi, 2 * *lo) << "the busiest month should have at least twice the quietest";
}

TEST(DemoDataTest, FacilityRegistryIsValidAndUnique) {
  const std::vector<v1::Facility> facilities = DemoFacilities();
  EXPECT_GE(facilities.size(), 18u);
  std::set<std::string> ids;
  std::set<int> types;
  bool found = false;
  for (const v1::Facility& f : facilities) {
    EXPECT_TRUE(ids.insert(f.id()).second) << f.id() << " is listed twice";
    const std::vector<FieldError> errors = ValidateFacility(f);
    EXPECT_TRUE(errors.empty()) << f.id() << ": " << FormatFieldErrors(errors);
    // The id pattern [A-Z0-9][A-Z0-9-]{1,31}, checked here too so that this test does not
    // depend only on the validator.
    ASSERT_GE(f.id().size(), 2u);
    ASSERT_LE(f.id().size(), 32u);
    for (size_t i = 0; i < f.id().size(); ++i) {
      const char c = f.id()[i];
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (i > 0 && c == '-'))
          << f.id();
    }
    types.insert(f.type());
    if (f.id() == "HR-DET-01") {
      found = true;
      EXPECT_EQ(f.type(), v1::DETENTION);
      EXPECT_EQ(f.country(), "HR");
    }
  }
  EXPECT_TRUE(found) << "HR-DET-01 is referenced by the documentation";
  for (v1::FacilityType type : {v1::RECEPTION, v1::ASYLUM, v1::TRANSIT, v1::DETENTION,
                                v1::INFORMAL_SITE, v1::RETURN_HUB, v1::PRE_REMOVAL_DETENTION}) {
    EXPECT_TRUE(types.count(type)) << v1::FacilityType_Name(type);
  }
  // Deterministic.
  const std::vector<v1::Facility> again = DemoFacilities();
  ASSERT_EQ(again.size(), facilities.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].SerializeAsString(), facilities[i].SerializeAsString());
  }
}

TEST(DemoDataTest, FacilityTestimoniesReferenceTheRegistry) {
  std::set<std::string> ids;
  for (const v1::Facility& f : DemoFacilities()) ids.insert(f.id());
  uint64_t facility_records = 0;
  for (const v1::Testimony& t : GenerateDemoTestimonies(Options(3000, 21))) {
    if (!t.has_facility()) continue;
    ++facility_records;
    const v1::FacilityConditions& f = t.facility();
    EXPECT_TRUE(ids.count(f.facility_id())) << f.facility_id();
    EXPECT_GE(f.conditions_size(), 1);
    EXPECT_LE(f.conditions_size(), 6);
    std::set<int> seen;
    for (const v1::ConditionReport& c : f.conditions()) {
      EXPECT_TRUE(seen.insert(c.condition()).second);
    }
  }
  EXPECT_GT(facility_records, 0u);
}

// Issue 20: return hubs in RS, AL, XK and BA commissioned by GB, testimonies of people held
// there transferred from GB, and removals from informal sites into Serbian centres.
TEST(DemoDataTest, ReturnHubsAndSiteRemovals) {
  std::map<std::string, v1::Facility> registry;
  std::set<std::string> hub_countries;
  for (const v1::Facility& f : DemoFacilities()) {
    registry[f.id()] = f;
    if (f.type() != v1::RETURN_HUB) continue;
    hub_countries.insert(f.country());
    ASSERT_EQ(f.operated_for_size(), 1);
    EXPECT_EQ(f.operated_for(0), "GB");
    EXPECT_TRUE(ValidateFacility(f).empty()) << FormatFieldErrors(ValidateFacility(f));
  }
  EXPECT_EQ(hub_countries, (std::set<std::string>{"AL", "BA", "RS", "XK"}));
  uint64_t hub_stays = 0, from_gb = 0, removals = 0, with_length = 0;
  for (const v1::Testimony& t : GenerateDemoTestimonies(Options(3000, 21))) {
    if (t.has_pushback() && t.pushback().incident_kind() == v1::SITE_REMOVAL) {
      ++removals;
      const v1::Pushback& p = t.pushback();
      EXPECT_EQ(p.location().country(), "RS");
      EXPECT_TRUE(p.pushed_from().empty());
      ASSERT_TRUE(registry.count(p.removed_to_facility_id())) << p.removed_to_facility_id();
      EXPECT_EQ(registry[p.removed_to_facility_id()].country(), "RS");
      continue;
    }
    if (!t.has_facility()) continue;
    const v1::FacilityConditions& f = t.facility();
    with_length += f.has_stay_length() ? 1 : 0;
    if (registry[f.facility_id()].type() != v1::RETURN_HUB || f.stay_kind() != v1::STAY) continue;
    ++hub_stays;
    if (f.arrival() == v1::TRANSFERRED_FROM_STATE) {
      EXPECT_EQ(f.transferred_from(), "GB");
      ++from_gb;
    }
  }
  EXPECT_GT(hub_stays, 5u);
  EXPECT_GT(from_gb * 2, hub_stays);  // most people in a hub were sent there by GB
  EXPECT_GT(removals, 20u);
  EXPECT_GT(with_length, 0u);
}

}  // namespace
}  // namespace tvault
