// Tests of the rules for return hubs, removals and holding (issue 20) through the public API
// in tvault/schema.h: facility registry entries (RETURN_HUB, operated_for, operator), facility
// testimonies (arrival, transferred_from, stay_length, safeguards, onward removal) and pushback
// records of incident_kind SITE_REMOVAL. docs/schema.md states every rule tested here.
#include "tvault/schema.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace {

using tvault::FieldError;
using tvault::ValidationContext;
namespace v1 = tvault::v1;

ValidationContext Ctx() {
  ValidationContext ctx;
  ctx.today = "2026-11-25";
  ctx.facility_exists = [](std::string_view id) { return id == "RS-RH-01" || id == "RS-ASY-01"; };
  return ctx;
}

template <typename M>
M FromText(const std::string& text) {
  M m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

std::string Dump(const std::vector<FieldError>& errors) {
  return errors.empty() ? "(no errors)" : tvault::FormatFieldErrors(errors);
}

// The errors, which must all name `field`, and at least one of them contain `part`.
testing::AssertionResult OnlyError(const std::vector<FieldError>& errors,
                                   const std::string& field, const std::string& part) {
  bool found = false;
  for (const FieldError& e : errors) {
    if (e.field != field) return testing::AssertionFailure() << "extra error: " << Dump(errors);
    found = found || e.message.find(part) != std::string::npos;
  }
  if (found) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "no error on " << field << " containing \"" << part
                                     << "\"; got: " << Dump(errors);
}

v1::Facility Hub() {
  return FromText<v1::Facility>(R"pb(
    id: "RS-RH-01" name: "Quillmarsh Return Centre" country: "RS" type: RETURN_HUB
    operated_for: [ "GB", "EU" ] operator: "Interior ministry, under contract")pb");
}

v1::Testimony HubStay() {
  return FromText<v1::Testimony>(R"pb(
    kind: FACILITY
    facility {
      facility_id: "RS-RH-01"
      stay_kind: STAY
      period_start: "2026-09-01"
      period_end: "2026-10-15"
      arrival: TRANSFERRED_FROM_STATE
      transferred_from: "GB"
      stay_length { range { min_days: 40 max_days: 45 } }
      safeguards { safeguard: INFORMED_OF_REASONS provided: NO severity: SERIOUS }
      safeguards { safeguard: LAWYER_ACCESS provided: UNKNOWN }
      safeguards { safeguard: INTERPRETER_PROVIDED provided: YES }
      onward_removal: ONWARD_REMOVAL_THREATENED
      onward_removal_to: "AF"
      conditions { condition: COLD_EXPOSURE severity: SEVERE }
    })pb");
}

v1::Testimony SiteRemoval() {
  return FromText<v1::Testimony>(R"pb(
    kind: PUSHBACK
    pushback {
      incident_kind: SITE_REMOVAL
      incident_date: "2026-11-02"
      date_precision: DAY
      location { country: "RS" border_segment: "RS-HU" }
      group_size: 30
      removed_to_facility_id: "RS-ASY-01"
    })pb");
}

TEST(RemovalSchemaTest, ValidRecordsPass) {
  EXPECT_EQ(Dump(tvault::ValidateFacility(Hub())), "(no errors)");
  EXPECT_EQ(Dump(tvault::ValidateTestimony(HubStay(), Ctx())), "(no errors)");
  EXPECT_EQ(Dump(tvault::ValidateTestimony(SiteRemoval(), Ctx())), "(no errors)");
}

TEST(RemovalSchemaTest, RegistryRules) {
  v1::Facility f = Hub();
  f.clear_country();  // a return hub without a country
  EXPECT_TRUE(OnlyError(tvault::ValidateFacility(f), "country", "required"));
  f = Hub();
  f.add_operated_for("GBR");
  EXPECT_TRUE(OnlyError(tvault::ValidateFacility(f), "operated_for[2]", "or \"EU\""));
  f = Hub();
  f.add_operated_for("GB");
  EXPECT_TRUE(OnlyError(tvault::ValidateFacility(f), "operated_for[2]", "listed twice"));
  f = Hub();
  f.set_operator_("line\none");
  EXPECT_TRUE(OnlyError(tvault::ValidateFacility(f), "operator", ""));
  f = Hub();
  f.clear_operated_for();
  f.clear_operator_();  // both optional
  EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)");
}

// Applies `mutate` to a valid record of `make` and expects errors on `field` only.
void ExpectOnly(v1::Testimony (*make)(), const std::function<void(v1::Testimony*)>& mutate,
                const std::string& field, const std::string& part) {
  v1::Testimony t = make();
  mutate(&t);
  EXPECT_TRUE(OnlyError(tvault::ValidateTestimony(t, Ctx()), field, part));
}

TEST(RemovalSchemaTest, ArrivalAndTransfer) {
  // A transfer from a state requires the state.
  ExpectOnly(HubStay, [](v1::Testimony* t) { t->mutable_facility()->clear_transferred_from(); },
             "facility.transferred_from", "is required with arrival TRANSFERRED_FROM_STATE");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) { t->mutable_facility()->set_transferred_from("UK"); },
             "facility.transferred_from", "\"UK\"");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) { t->mutable_facility()->set_arrival(v1::ARRIVAL_UNKNOWN); },
             "facility.transferred_from", "only for arrival TRANSFERRED_FROM_STATE");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) {
               t->mutable_facility()->set_arrival(static_cast<v1::Arrival>(9));
               t->mutable_facility()->clear_transferred_from();
             },
             "facility.arrival", "9");
}

TEST(RemovalSchemaTest, StayLength) {
  auto stay = [](v1::Testimony* t) { return t->mutable_facility()->mutable_stay_length(); };
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->set_days(-1); },
             "facility.stay_length.days", "negative");
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->mutable_range()->set_min_days(-3); },
             "facility.stay_length.range.min_days", "negative");
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->mutable_range()->set_min_days(50); },
             "facility.stay_length.range.max_days", "45 is below min_days 50");
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->set_days(tvault::kMaxStayDays + 1); },
             "facility.stay_length.days", "exceeds the maximum");
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->set_unknown(false); },
             "facility.stay_length.unknown", "must be true");
  ExpectOnly(HubStay, [&](v1::Testimony* t) { stay(t)->Clear(); }, "facility.stay_length",
             "none of days, range and unknown");
  // Zero days (less than a day), a one-day range and an explicit unknown are answers.
  for (const char* text : {"days: 0", "range { min_days: 3 max_days: 3 }", "unknown: true"}) {
    v1::Testimony t = HubStay();
    *stay(&t) = FromText<v1::StayLength>(text);
    EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)") << text;
  }
}

TEST(RemovalSchemaTest, SafeguardsKeepUnknownApartFromNo) {
  // UNKNOWN is an answer, stored as such, and never read as NO: a severity belongs to a denial
  // (NO) and is refused beside YES, but UNKNOWN with or without one is accepted.
  v1::Testimony t = HubStay();
  const v1::SafeguardReport& lawyer = t.facility().safeguards(1);
  EXPECT_EQ(lawyer.provided(), v1::UNKNOWN);
  EXPECT_NE(lawyer.provided(), v1::NO);
  ExpectOnly(HubStay,
             [](v1::Testimony* t) {
               t->mutable_facility()->mutable_safeguards(2)->set_severity(v1::SERIOUS);
             },
             "facility.safeguards[2].severity", "contradicts provided YES");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) {
               t->mutable_facility()->mutable_safeguards(1)->clear_provided();
             },
             "facility.safeguards[1].provided", "");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) {
               t->mutable_facility()->mutable_safeguards(1)->set_safeguard(v1::INFORMED_OF_REASONS);
             },
             "facility.safeguards[1].safeguard", "listed twice");
  // An answered tri-state survives the JSON round trip as itself.
  const std::string json = tvault::MessageToJson(t, /*pretty=*/false);
  EXPECT_NE(json.find("\"provided\":\"UNKNOWN\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"provided\":\"NO\""), std::string::npos) << json;
}

TEST(RemovalSchemaTest, OnwardRemoval) {
  ExpectOnly(HubStay,
             [](v1::Testimony* t) {
               t->mutable_facility()->set_onward_removal(v1::ONWARD_REMOVAL_NONE);
             },
             "facility.onward_removal_to", "only for onward_removal THREATENED or CARRIED_OUT");
  ExpectOnly(HubStay,
             [](v1::Testimony* t) { t->mutable_facility()->set_onward_removal_to("Afghanistan"); },
             "facility.onward_removal_to", "");
  // The destination may be unknown.
  v1::Testimony t = HubStay();
  t.mutable_facility()->clear_onward_removal_to();
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
}

TEST(RemovalSchemaTest, SiteRemoval) {
  ExpectOnly(SiteRemoval,
             [](v1::Testimony* t) { t->mutable_pushback()->clear_removed_to_facility_id(); },
             "pushback.removed_to_facility_id", "is required");
  ExpectOnly(SiteRemoval,
             [](v1::Testimony* t) { t->mutable_pushback()->set_removed_to_facility_id("XX-01"); },
             "pushback.removed_to_facility_id", "not in the facility registry");
  ExpectOnly(SiteRemoval, [](v1::Testimony* t) { t->mutable_pushback()->clear_location(); },
             "pushback.location.country", "required with incident_kind SITE_REMOVAL");
  ExpectOnly(SiteRemoval, [](v1::Testimony* t) { t->mutable_pushback()->set_pushed_to("HU"); },
             "pushback.pushed_to", "must be left out");
  // A border pushback still needs its countries, and may not name a facility removed to.
  ExpectOnly(SiteRemoval,
             [](v1::Testimony* t) {
               t->mutable_pushback()->set_incident_kind(v1::BORDER_PUSHBACK);
               t->mutable_pushback()->set_pushed_from("HU");
               t->mutable_pushback()->set_pushed_to("RS");
             },
             "pushback.removed_to_facility_id", "only for incident_kind SITE_REMOVAL");
  v1::Testimony t = SiteRemoval();
  t.mutable_pushback()->set_incident_kind(v1::BORDER_PUSHBACK);
  t.mutable_pushback()->clear_removed_to_facility_id();
  const std::vector<FieldError> errors = tvault::ValidateTestimony(t, Ctx());
  EXPECT_NE(Dump(errors).find("pushback.pushed_from: "), std::string::npos) << Dump(errors);
}

}  // namespace

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RemovalExamplesTest, ReturnHubExamplesParseAndValidate) {
  auto registry = tvault::ParseFacilitiesJson(
      ReadFile(TVAULT_SOURCE_DIR "/docs/examples/return-hub-registry.json"));
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  ASSERT_EQ(registry->size(), 2u);
  for (const v1::Facility& f : *registry) {
    EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)") << f.id();
  }
  EXPECT_EQ((*registry)[0].type(), v1::RETURN_HUB);
  EXPECT_EQ((*registry)[0].operated_for(0), "GB");

  auto hub = tvault::ParseTestimoniesJson(
      ReadFile(TVAULT_SOURCE_DIR "/docs/examples/return-hub.json"));
  ASSERT_TRUE(hub.ok()) << hub.status().message();
  ASSERT_EQ(hub->size(), 1u);
  const v1::FacilityConditions& f = (*hub)[0].testimony.facility();
  EXPECT_EQ(Dump(tvault::ValidateTestimony((*hub)[0].testimony, Ctx())), "(no errors)");
  EXPECT_EQ(f.facility_id(), "RS-RH-01");
  EXPECT_EQ(f.arrival(), v1::TRANSFERRED_FROM_STATE);
  EXPECT_EQ(f.transferred_from(), "GB");
  EXPECT_EQ(f.stay_length().range().max_days(), 45);
  EXPECT_EQ(f.safeguards_size(), 5);
  EXPECT_EQ(f.safeguards(2).provided(), v1::UNKNOWN);
  EXPECT_EQ(f.onward_removal_to(), "AF");

  auto removal = tvault::ParseTestimoniesJson(
      ReadFile(TVAULT_SOURCE_DIR "/docs/examples/site-removal.json"));
  ASSERT_TRUE(removal.ok()) << removal.status().message();
  EXPECT_EQ(Dump(tvault::ValidateTestimony((*removal)[0].testimony, Ctx())), "(no errors)");
  EXPECT_EQ((*removal)[0].testimony.pushback().incident_kind(), v1::SITE_REMOVAL);
}

}  // namespace
