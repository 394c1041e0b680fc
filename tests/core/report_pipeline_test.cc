// The report's pipeline stages on their own: pseudonymise, generalise (facts), aggregate
// (tables and their links), percentages and CSV.
#include <gtest/gtest.h>
#include <sodium.h>

#include "pipeline/facts.h"
#include "pipeline/pseudonymise.h"
#include "pipeline/tables.h"
#include "report/report_internal.h"
#include "testing/test_util.h"

namespace tvault {
namespace {

using pipeline::PseudonymOf;

SecretBytes Key(uint8_t fill) {
  SecretBytes k(32);
  std::memset(k.data(), fill, 32);
  return k;
}

v1::Identity Person(const std::string& name, const std::string& dob, const std::string& phone) {
  v1::Identity id;
  id.set_name(name);
  id.set_date_of_birth(dob);
  id.set_phone(phone);
  return id;
}

TEST(PseudonymiseTest, NormalisationFoldsCaseWidthAndSpaces) {
  EXPECT_EQ(*pipeline::NormaliseText("  Ali \t  HASSAN "), "ali hassan");
  // Full-width letters (NFKC) and a ligature, case-folded.
  EXPECT_EQ(*pipeline::NormaliseText("\xEF\xBC\xA1li"), "ali");          // "Ａli"
  EXPECT_EQ(*pipeline::NormaliseText("\xEF\xAC\x81rst"), "first");       // "ﬁrst"
  EXPECT_EQ(*pipeline::NormaliseText("Stra\xC3\x9F" "e"), "strasse");    // "Straße"
  // Composed and decomposed forms of "é" meet.
  EXPECT_EQ(*pipeline::NormaliseText("Jos\xC3\xA9"), *pipeline::NormaliseText("Jose\xCC\x81"));
  EXPECT_FALSE(pipeline::NormaliseText("bad \xFF utf-8").ok());
}

TEST(PseudonymiseTest, SamePersonSamePseudonymOtherwiseDifferent) {
  const SecretBytes k = Key(1);
  const std::string a = *PseudonymOf(k, Person("Ali Hassan", "1999-02-03", ""));
  ASSERT_EQ(a.size(), pipeline::kPseudonymSize);
  EXPECT_EQ(a, *PseudonymOf(k, Person("  ALI   hassan", "1999-02-03", "+1 555")));
  EXPECT_NE(a, *PseudonymOf(k, Person("Ali Hassan", "1999-02-04", "")));
  EXPECT_NE(a, *PseudonymOf(k, Person("Ali Hasan", "1999-02-03", "")));
  // Another organisation's key gives unrelated pseudonyms.
  EXPECT_NE(a, *PseudonymOf(Key(2), Person("Ali Hassan", "1999-02-03", "")));
  // Without a name the phone digits identify; too few digits identify nobody.
  EXPECT_EQ(*PseudonymOf(k, Person("", "", "+385 91 234 5678")),
            *PseudonymOf(k, Person("", "", "385-91-2345678")));
  EXPECT_EQ(*PseudonymOf(k, Person("", "", "12 34")), "");
  EXPECT_EQ(*PseudonymOf(k, v1::Identity()), "");
}

TEST(FactsTest, PeopleAreSplitByNationalityAndAgeWithUnknownRemainder) {
  v1::Pushback p;
  p.set_pushed_from("HR");
  p.set_pushed_to("BA");
  p.set_group_size(7);
  auto* n = p.add_nationalities();
  n->set_country("AF");
  n->set_count(3);
  n = p.add_nationalities();
  n->set_country("SY");
  n->set_count(0);  // "some, number unknown": counted under unknown
  p.add_ages()->set_years(16);
  p.add_ages()->set_years(30);
  p.add_ages()->set_band(v1::AGE_0_13);
  p.add_chain_countries("IT");
  p.add_chain_countries("SI");
  p.add_chain_countries("HR");
  p.add_violence(v1::BEATING);
  p.add_violence(v1::THEFT);
  pipeline::PushbackFacts f = pipeline::PushbackFactsOf(p, true);
  EXPECT_EQ(f.people, 7u);
  EXPECT_EQ(f.nationalities.at("AF"), 3u);
  EXPECT_EQ(f.nationalities.at(pipeline::kUnknownLabel), 4u);
  EXPECT_EQ(f.ages[pipeline::kAge14to17], 1u);
  EXPECT_EQ(f.ages[pipeline::kAge26to35], 1u);
  EXPECT_EQ(f.ages[pipeline::kAge0to13], 1u);
  EXPECT_EQ(f.ages[pipeline::kAgeUnknown], 4u);
  EXPECT_TRUE(f.chain);
  EXPECT_EQ(f.asylum_intention, v1::UNKNOWN);  // unspecified is read as unknown, never "no"
  pipeline::PushbackFacts none = pipeline::PushbackFactsOf(p, false);
  EXPECT_EQ(none.people, 0u);
  EXPECT_TRUE(none.nationalities.empty());
  EXPECT_EQ(none.violence.size(), 2u);  // testimony-level facts are kept
}

TEST(FactsTest, SamePersonTwiceInAMonthCountsPeopleOnce) {
  pipeline::MonthCollector c;
  pipeline::SelectionCounts counts;
  for (uint64_t person : {5u, 0u, 5u, 6u}) {
    ScannedRecord r;
    r.person = person;
    r.version.testimony.mutable_pushback()->set_group_size(3);
    ASSERT_TRUE(c.Add(r, &counts).ok());
  }
  pipeline::MonthFacts f = c.Take();
  ASSERT_EQ(f.pushbacks.size(), 4u);
  EXPECT_EQ(f.pushbacks[0].people + f.pushbacks[1].people + f.pushbacks[2].people +
                f.pushbacks[3].people,
            9u);
  EXPECT_EQ(f.pushbacks[2].people, 0u);
  EXPECT_EQ(counts.duplicate_people, 1u);
  EXPECT_EQ(counts.without_pseudonym, 1u);
}

pipeline::MonthFacts TwoPushbacks() {
  pipeline::MonthFacts m;
  for (int i = 0; i < 2; ++i) {
    v1::Pushback p;
    p.set_pushed_from(i == 0 ? "HR" : "GR");
    p.set_pushed_to("BA");
    p.set_group_size(i == 0 ? 4 : 12);
    auto* n = p.add_nationalities();
    n->set_country(i == 0 ? "AF" : "SY");
    n->set_count(i == 0 ? 4 : 12);
    p.add_violence(v1::BEATING);
    if (i == 1) p.add_violence(v1::DOG_ATTACK);
    p.set_asylum_intention_expressed(i == 0 ? v1::YES : v1::NO);
    m.pushbacks.push_back(pipeline::PushbackFactsOf(p, true));
  }
  return m;
}

TEST(TablesTest, RareNationalitiesAreFoldedIntoOther) {
  std::vector<pipeline::MonthFacts> months = {TwoPushbacks()};
  pipeline::Categories cats = pipeline::ChooseCategories(10, &months);
  EXPECT_EQ(cats.nationalities, (std::vector<std::string>{"SY", "other"}));
  EXPECT_EQ(months[0].pushbacks[0].nationalities.at("other"), 4u);
  EXPECT_EQ(cats.from, (std::vector<std::string>{"GR", "HR"}));
  EXPECT_EQ(cats.violence, (std::vector<std::string>{"beating", "dog_attack"}));
}

TEST(TablesTest, CountsAndLinksHold) {
  std::vector<pipeline::MonthFacts> months = {TwoPushbacks()};
  pipeline::Categories cats = pipeline::ChooseCategories(1, &months);
  std::map<std::string, pipeline::Counts> counts;
  std::vector<std::string> names;
  for (const pipeline::TableSpec& t : pipeline::TableCatalogue()) {
    names.push_back(t.name);
    counts[t.name] = pipeline::CountTable(t, cats, months[0]);
  }
  EXPECT_EQ(counts["people_by_route"], (pipeline::Counts{{12}, {4}}));  // GR, HR x BA
  EXPECT_EQ(counts["testimonies_by_violence"], (pipeline::Counts{{2, 0}, {1, 1}}));
  EXPECT_EQ(counts["testimonies_by_asylum_intention"], (pipeline::Counts{{1, 1, 0}}));
  EXPECT_TRUE(counts["facility_testimonies"].empty());  // no facility in the data
  pipeline::TableSet set;
  // AddPeriod checks every link against the true values: a broken link is an error.
  auto added = pipeline::AddPeriod(set, "2026-10", names, counts, cats,
                                   pipeline::PeopleRule(), pipeline::TestimonyRule());
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->count("facility_type_conditions"), 0u);
  // A people table that does not sum to the route total is refused.
  counts["people_by_age"][0][0] += 1;
  pipeline::TableSet bad;
  EXPECT_FALSE(pipeline::AddPeriod(bad, "2026-10", names, counts, cats, pipeline::PeopleRule(),
                                   pipeline::TestimonyRule())
                   .ok());
}

TEST(ReportRenderTest, PercentRoundsHalfUpExactly) {
  EXPECT_EQ(report_internal::Percent(1, 3), 33.3);
  EXPECT_EQ(report_internal::Percent(2, 3), 66.7);
  EXPECT_EQ(report_internal::Percent(1, 8), 12.5);
  EXPECT_EQ(report_internal::Percent(1, 16), 6.3);  // 6.25 rounds up
  EXPECT_EQ(report_internal::Percent(5, 5), 100.0);
}

TEST(ReportRenderTest, CsvMarksSuppressedCellsAndQuotesLabels) {
  v1::ReportTable t;
  t.set_name("facility_testimonies");
  t.set_unit("testimonies");
  t.set_period("month");
  t.add_dimensions("facility");
  auto* c = t.add_cells();
  c->add_labels("A,\"B\"");
  c->set_count(7);
  c = t.add_cells();
  c->add_labels("C");
  c->set_suppressed(true);
  EXPECT_EQ(report_internal::RenderCsv(t),
            "facility,testimonies\r\n\"A,\"\"B\"\"\",7\r\nC,suppressed\r\n");
  EXPECT_EQ(report_internal::CsvFileName(t), "month-facility_testimonies.csv");
}

}  // namespace
}  // namespace tvault
