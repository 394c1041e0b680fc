// Tests of the schema rules through the public API in tvault/schema.h: ValidateTestimony,
// ValidateFacility, IsIsoCountryCode, IsIsoDate and FormatFieldErrors. The JSON reader and
// writer are tested in schema_json_test.cc.
#include "tvault/schema.h"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace {

using tvault::FieldError;
using tvault::ValidationContext;
namespace v1 = tvault::v1;

constexpr char kToday[] = "2026-11-25";

ValidationContext Ctx() {
  ValidationContext ctx;
  ctx.today = kToday;
  ctx.facility_exists = [](std::string_view id) { return id == "HR-DET-01"; };
  return ctx;
}

v1::Testimony FromText(const std::string& text) {
  v1::Testimony t;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &t)) << text;
  return t;
}

// A complete, valid pushback testimony.
v1::Testimony ValidPushback() {
  return FromText(R"pb(
    kind: PUSHBACK
    monitor_id: "kestrel-07"
    interview_language: "ps"
    interpreter_present: YES
    identity { name: "Example Person A" phone: "+000 0000 0000" date_of_birth: "2000-05-01" }
    narrative: "Line one.\n\tLine two."
    pushback {
      incident_date: "2026-10-14"
      date_precision: DAY
      time_of_day: NIGHT
      location { country: "HR" municipality: "Somewhere" gps { latitude: 45.1 longitude: 15.7 } }
      pushed_from: "HR"
      pushed_to: "BA"
      chain_countries: [ "SI", "HR", "BA" ]
      group_size: 10
      minors_involved: YES
      minors_count: 2
      women_involved: UNKNOWN
      ages { years: 16 }
      ages { band: AGE_18_25 }
      nationalities { country: "AF" count: 6 }
      nationalities { country: "PK" count: 3 }
      nationalities { country: "MA" count: 1 }
      violence: [ BEATING, DOG_ATTACK, THEFT ]
      perpetrators { type: BORDER_POLICE country: "HR" unit_as_seen: "dark uniforms" }
      asylum_intention_expressed: YES
      asylum_request_ignored: YES
      detention { detained: YES place: "a garage" duration_hours: 6 }
      medical { injuries: YES treatment_needed: UNKNOWN description: "Bruises.\nBite." }
    })pb");
}

// A complete, valid facility-conditions testimony.
v1::Testimony ValidFacilityReport() {
  return FromText(R"pb(
    kind: FACILITY
    facility {
      facility_id: "HR-DET-01"
      stay_kind: STAY
      period_start: "2026-10-20"
      period_end: "2026-10-29"
      people_held_reported: 40
      conditions { condition: OVERCROWDING severity: SERIOUS }
      conditions { condition: HEATING }
    })pb");
}

std::string Dump(const std::vector<FieldError>& errors) {
  return errors.empty() ? "(no errors)" : tvault::FormatFieldErrors(errors);
}

// Succeeds when some error names exactly `field` and, if given, its message contains `part`.
testing::AssertionResult HasError(const std::vector<FieldError>& errors, const std::string& field,
                                  const std::string& part = "") {
  for (const FieldError& e : errors) {
    if (e.field == field && e.message.find(part) != std::string::npos) {
      return testing::AssertionSuccess();
    }
  }
  return testing::AssertionFailure() << "no error on " << field << " containing \"" << part
                                     << "\"; got: " << Dump(errors);
}

// One broken rule: how to break a valid record, and the error expected.
struct Case {
  const char* name;
  std::function<void(v1::Testimony*)> mutate;
  std::string field;
  std::string part;
};

// Applies every case to a fresh valid record and checks that the errors name only the
// expected field: a rule that fires on the wrong field or not at all fails the test.
void RunCases(const std::function<v1::Testimony()>& make, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Testimony t = make();
    c.mutate(&t);
    const std::vector<FieldError> errors = tvault::ValidateTestimony(t, Ctx());
    EXPECT_TRUE(HasError(errors, c.field, c.part));
    for (const FieldError& e : errors) {
      EXPECT_EQ(e.field, c.field) << "unexpected extra error: " << e.message;
    }
  }
}

TEST(IsoCountryTest, AcceptsAssignedCodesAndKosovo) {
  for (const char* code : {"HR", "BA", "AF", "PK", "MA", "RS", "SI", "GR", "TR", "XK", "AD", "ZW"}) {
    EXPECT_TRUE(tvault::IsIsoCountryCode(code)) << code;
  }
  for (const char* code : {"", "H", "hr", "Hr", "UK", "EU", "ZZ", "XX", "HRV", "H1", "YU"}) {
    EXPECT_FALSE(tvault::IsIsoCountryCode(code)) << code;
  }
}

TEST(IsoCountryTest, HasExactly249AssignedCodesPlusXk) {
  int accepted = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) accepted += tvault::IsIsoCountryCode(std::string{a, b}) ? 1 : 0;
  }
  EXPECT_EQ(accepted, 250);
}

TEST(IsIsoDateTest, AcceptsRealDatesOnly) {
  for (const char* d : {"2026-11-25", "2024-02-29", "2000-02-29", "0001-01-01", "2026-12-31"}) {
    EXPECT_TRUE(tvault::IsIsoDate(d)) << d;
  }
  for (const char* d : {"", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                        "2026-01-00", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T00",
                        "0000-01-01", "2026-0a-01", " 2026-01-0"}) {
    EXPECT_FALSE(tvault::IsIsoDate(d)) << d;
  }
}

TEST(FormatFieldErrorsTest, JoinsFieldAndMessage) {
  EXPECT_EQ(tvault::FormatFieldErrors({}), "");
  EXPECT_EQ(tvault::FormatFieldErrors({{"kind", "is required"}, {"pushback.group_size", "x"}}),
            "kind: is required; pushback.group_size: x");
}

TEST(ValidateTestimonyTest, ValidRecordsPass) {
  EXPECT_EQ(Dump(tvault::ValidateTestimony(ValidPushback(), Ctx())), "(no errors)");
  EXPECT_EQ(Dump(tvault::ValidateTestimony(ValidFacilityReport(), Ctx())), "(no errors)");
  // The smallest pushback: only the required fields.
  v1::Testimony minimal = FromText(R"pb(
    kind: PUSHBACK
    pushback { incident_date: "2026-11-25" date_precision: MONTH pushed_from: "HR"
               pushed_to: "BA" group_size: 1 })pb");
  EXPECT_EQ(Dump(tvault::ValidateTestimony(minimal, Ctx())), "(no errors)");
}

TEST(ValidateTestimonyTest, HeaderRules) {
  RunCases(ValidPushback, {
    {"id set", [](v1::Testimony* t) { t->set_id("0123456789abcdef0123456789abcdef"); },
     "id", "set by tvault"},
    {"schema_version set", [](v1::Testimony* t) { t->set_schema_version(1); },
     "schema_version", "set by tvault"},
    {"sealed_identity set", [](v1::Testimony* t) { t->set_sealed_identity("xyz"); },
     "sealed_identity", "set by tvault"},
    {"monitor_id bad char", [](v1::Testimony* t) { t->set_monitor_id("kestrel 07"); },
     "monitor_id", "64"},
    {"monitor_id too long", [](v1::Testimony* t) { t->set_monitor_id(std::string(65, 'a')); },
     "monitor_id", ""},
    {"language one letter", [](v1::Testimony* t) { t->set_interview_language("p"); },
     "interview_language", "BCP 47"},
    {"language digits", [](v1::Testimony* t) { t->set_interview_language("12"); },
     "interview_language", ""},
    {"language empty subtag", [](v1::Testimony* t) { t->set_interview_language("fa-"); },
     "interview_language", ""},
    {"language long subtag", [](v1::Testimony* t) { t->set_interview_language("ar-abcdefghi"); },
     "interview_language", ""},
    {"interpreter unknown number",
     [](v1::Testimony* t) { t->set_interpreter_present(static_cast<v1::TriState>(9)); },
     "interpreter_present", "9 is not a value of TriState"},
    {"recorded_at nanos", [](v1::Testimony* t) { t->mutable_recorded_at()->set_nanos(-1); },
     "recorded_at", ""},
    {"identity name too long",
     [](v1::Testimony* t) { t->mutable_identity()->set_name(std::string(257, 'a')); },
     "identity.name", "257 bytes exceeds the limit of 256"},
    {"identity phone control char",
     [](v1::Testimony* t) { t->mutable_identity()->set_phone("+000\n0000"); },
     "identity.phone", "U+000A"},
    {"identity contact invalid utf8",
     [](v1::Testimony* t) { t->mutable_identity()->set_contact("a\xC3(b"); },
     "identity.contact", "UTF-8"},
    {"identity date_of_birth unreal",
     [](v1::Testimony* t) { t->mutable_identity()->set_date_of_birth("2001-02-29"); },
     "identity.date_of_birth", "not a real date"},
    {"identity date_of_birth future",
     [](v1::Testimony* t) { t->mutable_identity()->set_date_of_birth("2026-11-26"); },
     "identity.date_of_birth", "after today"},
    {"narrative too long",
     [](v1::Testimony* t) { t->set_narrative(std::string(tvault::kMaxTextFieldBytes + 1, 'a')); },
     "narrative", "exceeds the limit"},
    {"narrative carriage return", [](v1::Testimony* t) { t->set_narrative("a\r\nb"); },
     "narrative", "U+000D"},
    {"narrative C1 control", [](v1::Testimony* t) { t->set_narrative("a\xC2\x85z"); },
     "narrative", "U+0085"},
    {"narrative overlong utf8", [](v1::Testimony* t) { t->set_narrative("a\xC0\x80"); },
     "narrative", "UTF-8"},
    {"narrative surrogate", [](v1::Testimony* t) { t->set_narrative("\xED\xA0\x80"); },
     "narrative", "UTF-8"},
  });
}

TEST(ValidateTestimonyTest, KindRules) {
  RunCases(ValidPushback, {
    {"kind missing", [](v1::Testimony* t) { t->set_kind(v1::KIND_UNSPECIFIED); },
     "kind", "is required"},
    {"kind unknown", [](v1::Testimony* t) { t->set_kind(static_cast<v1::Kind>(7)); },
     "kind", "7 is not a value of Kind"},
    {"pushback kind without pushback", [](v1::Testimony* t) { t->clear_pushback(); },
     "pushback", "is required when kind is PUSHBACK"},
  });
  // The details oneof holds the wrong part: both the missing and the extra part are named.
  v1::Testimony t = ValidPushback();
  *t.mutable_facility() = ValidFacilityReport().facility();
  std::vector<FieldError> errors = tvault::ValidateTestimony(t, Ctx());
  EXPECT_TRUE(HasError(errors, "pushback", "is required when kind is PUSHBACK"));
  EXPECT_TRUE(HasError(errors, "facility", "must not be set when kind is PUSHBACK"));
  t = ValidFacilityReport();
  *t.mutable_pushback() = ValidPushback().pushback();
  errors = tvault::ValidateTestimony(t, Ctx());
  EXPECT_TRUE(HasError(errors, "facility", "is required when kind is FACILITY"));
  EXPECT_TRUE(HasError(errors, "pushback", "must not be set when kind is FACILITY"));
  RunCases(ValidFacilityReport, {
    {"facility kind without facility", [](v1::Testimony* t) { t->clear_facility(); },
     "facility", "is required when kind is FACILITY"},
  });
}

TEST(ValidateTestimonyTest, PushbackDateAndPlaceRules) {
  RunCases(ValidPushback, {
    {"incident_date missing", [](v1::Testimony* t) { t->mutable_pushback()->clear_incident_date(); },
     "pushback.incident_date", "is required"},
    {"incident_date unreal",
     [](v1::Testimony* t) { t->mutable_pushback()->set_incident_date("2026-02-30"); },
     "pushback.incident_date", "\"2026-02-30\" is not a real date"},
    {"incident_date future",
     [](v1::Testimony* t) { t->mutable_pushback()->set_incident_date("2026-11-26"); },
     "pushback.incident_date", "\"2026-11-26\" is after today (2026-11-25)"},
    {"date_precision missing",
     [](v1::Testimony* t) { t->mutable_pushback()->clear_date_precision(); },
     "pushback.date_precision", "is required (one of DAY, WEEK, MONTH)"},
    {"time_of_day unknown number",
     [](v1::Testimony* t) { t->mutable_pushback()->set_time_of_day(static_cast<v1::TimeOfDay>(6)); },
     "pushback.time_of_day", "6 is not a value"},
    {"location country", [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->set_country("XX"); },
     "pushback.location.country", "\"XX\" is not an ISO 3166-1"},
    {"location municipality control",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->set_municipality("a\tb"); },
     "pushback.location.municipality", "control character"},
    {"border_segment too long",
     [](v1::Testimony* t) {
       t->mutable_pushback()->mutable_location()->set_border_segment(std::string(300, 'S'));
     },
     "pushback.location.border_segment", "300 bytes"},
    {"latitude", [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->mutable_gps()->set_latitude(90.5); },
     "pushback.location.gps.latitude", "[-90, 90]"},
    {"longitude", [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->mutable_gps()->set_longitude(-180.5); },
     "pushback.location.gps.longitude", "[-180, 180]"},
    {"latitude NaN", [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->mutable_gps()->set_latitude(std::nan("")); },
     "pushback.location.gps.latitude", ""},
    {"gps zero", [](v1::Testimony* t) { t->mutable_pushback()->mutable_location()->mutable_gps()->Clear(); },
     "pushback.location.gps", "0,0"},
    {"pushed_from missing", [](v1::Testimony* t) { t->mutable_pushback()->clear_pushed_from(); },
     "pushback.pushed_from", "is required"},
    {"pushed_from not iso", [](v1::Testimony* t) { t->mutable_pushback()->set_pushed_from("HRV"); },
     "pushback.pushed_from", "\"HRV\""},
    {"pushed_to lower case", [](v1::Testimony* t) { t->mutable_pushback()->set_pushed_to("ba"); },
     "pushback.pushed_to", "not an ISO"},
    {"pushed_to same", [](v1::Testimony* t) { t->mutable_pushback()->set_pushed_to("HR"); },
     "pushback.pushed_to", "same as pushed_from"},
    {"chain of one",
     [](v1::Testimony* t) {
       t->mutable_pushback()->clear_chain_countries();
       t->mutable_pushback()->add_chain_countries("HR");
     },
     "pushback.chain_countries", "at least 2"},
    {"chain not iso",
     [](v1::Testimony* t) { t->mutable_pushback()->set_chain_countries(1, "QQ"); },
     "pushback.chain_countries[1]", "\"QQ\""},
    {"chain repeats",
     [](v1::Testimony* t) { t->mutable_pushback()->set_chain_countries(2, "HR"); },
     "pushback.chain_countries[2]", "repeats the previous"},
    {"chain too long",
     [](v1::Testimony* t) {
       for (size_t i = 0; i < tvault::kMaxRepeated; ++i) {
         t->mutable_pushback()->add_chain_countries(i % 2 ? "HR" : "BA");
       }
     },
     "pushback.chain_countries", "exceeds the limit of 256"},
  });
}

TEST(ValidateTestimonyTest, PushbackPeopleRules) {
  RunCases(ValidPushback, {
    {"group_size zero",
     [](v1::Testimony* t) {
       t->mutable_pushback()->set_group_size(0);
     },
     "pushback.group_size", "at least 1"},
    {"group_size huge",
     [](v1::Testimony* t) { t->mutable_pushback()->set_group_size(tvault::kMaxGroupSize + 1); },
     "pushback.group_size", "10001 exceeds the maximum of 10000"},
    {"minors exceed group",
     [](v1::Testimony* t) {
       t->mutable_pushback()->set_minors_count(12);
     },
     "pushback.minors_count", "12 minors exceeds group_size 10"},
    {"minors contradict NO",
     [](v1::Testimony* t) { t->mutable_pushback()->set_minors_involved(v1::NO); },
     "pushback.minors_count", "contradicts minors_involved NO"},
    {"women exceed group",
     [](v1::Testimony* t) { t->mutable_pushback()->set_women_count(11); },
     "pushback.women_count", "11 women exceeds group_size 10"},
    {"women contradict NO",
     [](v1::Testimony* t) {
       t->mutable_pushback()->set_women_involved(v1::NO);
       t->mutable_pushback()->set_women_count(1);
     },
     "pushback.women_count", "contradicts women_involved NO"},
    {"minors_involved unknown number",
     [](v1::Testimony* t) { t->mutable_pushback()->set_minors_involved(static_cast<v1::TriState>(4)); },
     "pushback.minors_involved", "4 is not a value"},
    {"age over 120", [](v1::Testimony* t) { t->mutable_pushback()->mutable_ages(0)->set_years(121); },
     "pushback.ages[0].years", "121 exceeds the maximum of 120"},
    {"age band unspecified",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_ages(1)->set_band(v1::AGE_BAND_UNSPECIFIED); },
     "pushback.ages[1].band", "is required"},
    {"age empty", [](v1::Testimony* t) { t->mutable_pushback()->add_ages(); },
     "pushback.ages[2]", "years or band"},
    {"more ages than people",
     [](v1::Testimony* t) {
       for (int i = 0; i < 9; ++i) t->mutable_pushback()->add_ages()->set_years(30);
     },
     "pushback.ages", "11 ages exceeds group_size 10"},
    {"nationality not iso",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_nationalities(1)->set_country("Pakistan"); },
     "pushback.nationalities[1].country", "not an ISO"},
    {"nationality missing country",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_nationalities(2)->clear_country(); },
     "pushback.nationalities[2].country", "is required"},
    {"nationality repeated",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_nationalities(2)->set_country("AF"); },
     "pushback.nationalities[2].country", "listed twice (first at pushback.nationalities[0])"},
    {"nationality count over group",
     [](v1::Testimony* t) {
       t->mutable_pushback()->clear_nationalities();
       auto* n = t->mutable_pushback()->add_nationalities();
       n->set_country("AF");
       n->set_count(11);
     },
     "pushback.nationalities[0].count", "11 exceeds group_size 10"},
    {"nationality sum over group",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_nationalities(2)->set_count(2); },
     "pushback.nationalities", "counts sum to 11, more than group_size 10"},
  });
  // A count of 0 means "some, number unknown" and never breaks the sum.
  v1::Testimony t = ValidPushback();
  t.mutable_pushback()->mutable_nationalities(0)->set_count(0);
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
  // UNKNOWN is not NO: a count with minors_involved UNKNOWN is no contradiction.
  t.mutable_pushback()->set_minors_involved(v1::UNKNOWN);
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
}

TEST(ValidateTestimonyTest, PushbackEventRules) {
  RunCases(ValidPushback, {
    {"violence unspecified",
     [](v1::Testimony* t) { t->mutable_pushback()->add_violence(v1::VIOLENCE_TYPE_UNSPECIFIED); },
     "pushback.violence[3]", "VIOLENCE_TYPE_UNSPECIFIED is not allowed"},
    {"violence duplicate",
     [](v1::Testimony* t) { t->mutable_pushback()->add_violence(v1::BEATING); },
     "pushback.violence[3]", "BEATING is listed twice"},
    {"violence unknown number",
     [](v1::Testimony* t) { t->mutable_pushback()->add_violence(static_cast<v1::ViolenceType>(99)); },
     "pushback.violence[3]", "99 is not a value of ViolenceType"},
    {"no violence with violence",
     [](v1::Testimony* t) { t->mutable_pushback()->add_violence(v1::NO_VIOLENCE_REPORTED); },
     "pushback.violence", "NO_VIOLENCE_REPORTED contradicts BEATING"},
    {"perpetrator type missing",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_perpetrators(0)->clear_type(); },
     "pushback.perpetrators[0].type", "is required"},
    {"perpetrator country",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_perpetrators(0)->set_country("EU"); },
     "pushback.perpetrators[0].country", "\"EU\""},
    {"perpetrator unit too long",
     [](v1::Testimony* t) {
       t->mutable_pushback()->mutable_perpetrators(0)->set_unit_as_seen(std::string(257, 'u'));
     },
     "pushback.perpetrators[0].unit_as_seen", "exceeds the limit"},
    {"perpetrators too many",
     [](v1::Testimony* t) {
       for (size_t i = 0; i < tvault::kMaxRepeated; ++i) {
         t->mutable_pushback()->add_perpetrators()->set_type(v1::MILITARY);
       }
     },
     "pushback.perpetrators", "257 entries exceeds the limit of 256"},
    {"asylum ignored without request",
     [](v1::Testimony* t) { t->mutable_pushback()->set_asylum_intention_expressed(v1::NO); },
     "pushback.asylum_request_ignored", "contradicts asylum_intention_expressed NO"},
    {"asylum_intention unknown number",
     [](v1::Testimony* t) {
       t->mutable_pushback()->set_asylum_intention_expressed(static_cast<v1::TriState>(5));
     },
     "pushback.asylum_intention_expressed", "5 is not a value"},
    {"detained unknown number",
     [](v1::Testimony* t) {
       t->mutable_pushback()->mutable_detention()->set_detained(static_cast<v1::TriState>(8));
     },
     "pushback.detention.detained", ""},
    {"detention hours with NO",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_detention()->set_detained(v1::NO); },
     "pushback.detention.duration_hours", "6 hours contradicts detained NO"},
    {"detention place control",
     [](v1::Testimony* t) { t->mutable_pushback()->mutable_detention()->set_place("a\x01"); },
     "pushback.detention.place", "U+0001"},
    {"medical description too long",
     [](v1::Testimony* t) {
       t->mutable_pushback()->mutable_medical()->set_description(
           std::string(tvault::kMaxTextFieldBytes + 1, 'm'));
     },
     "pushback.medical.description", "exceeds the limit of 65536"},
    {"medical injuries unknown number",
     [](v1::Testimony* t) {
       t->mutable_pushback()->mutable_medical()->set_injuries(static_cast<v1::TriState>(-1));
     },
     "pushback.medical.injuries", ""},
  });
}

TEST(ValidateTestimonyTest, FacilityRules) {
  RunCases(ValidFacilityReport, {
    {"facility_id missing", [](v1::Testimony* t) { t->mutable_facility()->clear_facility_id(); },
     "facility.facility_id", "is required"},
    {"facility_id not registered",
     [](v1::Testimony* t) { t->mutable_facility()->set_facility_id("HR-DET-09"); },
     "facility.facility_id", "\"HR-DET-09\" is not in the facility registry"},
    {"stay_kind unknown number",
     [](v1::Testimony* t) { t->mutable_facility()->set_stay_kind(static_cast<v1::StayKind>(3)); },
     "facility.stay_kind", "3 is not a value of StayKind"},
    {"period_start missing", [](v1::Testimony* t) { t->mutable_facility()->clear_period_start(); },
     "facility.period_start", "is required"},
    {"period_start future",
     [](v1::Testimony* t) {
       t->mutable_facility()->set_period_start("2026-12-01");
       t->mutable_facility()->clear_period_end();
     },
     "facility.period_start", "after today"},
    {"period_end unreal",
     [](v1::Testimony* t) { t->mutable_facility()->set_period_end("2026-10-32"); },
     "facility.period_end", "not a real date"},
    {"period_end before start",
     [](v1::Testimony* t) { t->mutable_facility()->set_period_end("2026-10-19"); },
     "facility.period_end", "2026-10-19 is before period_start 2026-10-20"},
    {"period_end future",
     [](v1::Testimony* t) { t->mutable_facility()->set_period_end("2027-01-01"); },
     "facility.period_end", "after today"},
    {"condition unspecified",
     [](v1::Testimony* t) { t->mutable_facility()->add_conditions()->set_severity(v1::MINOR); },
     "facility.conditions[2].condition", "is required"},
    {"condition duplicate",
     [](v1::Testimony* t) { t->mutable_facility()->add_conditions()->set_condition(v1::HEATING); },
     "facility.conditions[2].condition", "HEATING is listed twice"},
    {"severity unknown number",
     [](v1::Testimony* t) {
       t->mutable_facility()->mutable_conditions(0)->set_severity(static_cast<v1::Severity>(5));
     },
     "facility.conditions[0].severity", "5 is not a value of Severity"},
  });
  // No conditions at all is allowed, and so is a single-day visit without period_end.
  v1::Testimony t = ValidFacilityReport();
  t.mutable_facility()->clear_conditions();
  t.mutable_facility()->clear_period_end();
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
  // Without a registry the facility cannot be checked, which is an error, not a crash.
  ValidationContext no_registry = Ctx();
  no_registry.facility_exists = nullptr;
  EXPECT_TRUE(HasError(tvault::ValidateTestimony(t, no_registry), "facility.facility_id",
                       "no facility registry"));
}

TEST(ValidateTestimonyTest, MessagesNeverEchoSecrets) {
  v1::Testimony t = ValidPushback();
  t.mutable_identity()->set_name(std::string("Secretname\x07"));
  t.mutable_identity()->set_date_of_birth("2030-07-13");
  t.set_narrative("Secretstory \x1b with escape");
  t.mutable_pushback()->mutable_location()->mutable_gps()->set_latitude(123.456);
  t.mutable_pushback()->mutable_location()->set_municipality("Secrettown\x02");
  const std::vector<FieldError> errors = tvault::ValidateTestimony(t, Ctx());
  ASSERT_EQ(errors.size(), 5u) << Dump(errors);
  const std::string all = Dump(errors);
  for (const char* secret : {"Secret", "2030", "07-13", "123", "456"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " in " << all;
  }
}

TEST(ValidateFacilityTest, Rules) {
  v1::Facility f;
  f.set_id("HR-DET-01");
  f.set_name("Example detention centre (fictional)");
  f.set_country("HR");
  f.set_type(v1::DETENTION);
  EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)");

  struct FacilityCase {
    std::function<void(v1::Facility*)> mutate;
    std::string field;
  };
  const std::vector<FacilityCase> cases = {
      {[](v1::Facility* f) { f->set_id(""); }, "id"},
      {[](v1::Facility* f) { f->set_id("H"); }, "id"},
      {[](v1::Facility* f) { f->set_id("hr-det-01"); }, "id"},
      {[](v1::Facility* f) { f->set_id("-HR"); }, "id"},
      {[](v1::Facility* f) { f->set_id("HR_DET"); }, "id"},
      {[](v1::Facility* f) { f->set_id(std::string(33, 'A')); }, "id"},
      {[](v1::Facility* f) { f->set_name(""); }, "name"},
      {[](v1::Facility* f) { f->set_name(std::string(257, 'n')); }, "name"},
      {[](v1::Facility* f) { f->set_name("bad \xFF utf8"); }, "name"},
      {[](v1::Facility* f) { f->set_country("CRO"); }, "country"},
      {[](v1::Facility* f) { f->clear_country(); }, "country"},
      {[](v1::Facility* f) { f->set_type(v1::FACILITY_TYPE_UNSPECIFIED); }, "type"},
      {[](v1::Facility* f) { f->set_type(static_cast<v1::FacilityType>(99)); }, "type"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    v1::Facility copy = f;
    cases[i].mutate(&copy);
    const std::vector<FieldError> errors = tvault::ValidateFacility(copy);
    ASSERT_EQ(errors.size(), 1u) << Dump(errors);
    EXPECT_EQ(errors[0].field, cases[i].field) << Dump(errors);
  }
  // The longest and shortest ids allowed.
  f.set_id(std::string(32, '9'));
  EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)");
  f.set_id("A-");
  EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)");
}

}  // namespace
