// The report's pipeline stages on their own: pseudonymise, generalise (facts), aggregate
// (tables and their links), percentages and CSV.
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/seal.h"
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

// Known answers of the pseudonym derivation, made with the derivation as it was before the
// normalised identities moved into secure memory (main at fb8fb1a; the first, the phone and the
// contact answers recomputed from the encoding in pseudonymise.h with Python's hashlib.blake2b,
// which also gave the answer for U+20000 U+2A6D6):
// the move must not change a single pseudonym, or every person already counted would be counted
// again. The identities cover each branch (name and date of birth, a name that normalises to
// nothing, phone digits, contact), folding and NFKC, Arabic script, four-byte characters
// (utf8proc's re-encoding fills its buffer exactly) and a name longer than the first buffers.
struct KnownPseudonym {
  const char* what;
  v1::Identity identity;
  const char* hex;
};

std::vector<KnownPseudonym> KnownPseudonyms() {
  auto with = [](const std::string& name, const std::string& dob, const std::string& phone,
                 const std::string& contact) {
    v1::Identity id = Person(name, dob, phone);
    id.set_contact(contact);
    return id;
  };
  std::string long_name;
  for (int i = 0; i < 300; ++i) long_name += "\xEF\xBC\xA1\xC3\x9F ";  // full-width A, sharp s
  return {
      {"name and date of birth", with("Ali Hassan", "1999-02-03", "", ""),
       "9841885bc3571671b2eb37b5de5674322bd815ab562ed40ab189d8c5f54f0a7e"},
      {"folded, spaced and full-width",
       with("  \xEF\xBC\xA1LI \t hassan ", "1999-02-03", "+1 555", ""),
       "9841885bc3571671b2eb37b5de5674322bd815ab562ed40ab189d8c5f54f0a7e"},
      {"Arabic script", with("\xD8\xB9\xD9\x84\xD9\x8A  \xD8\xAD\xD8\xB3\xD9\x86", "", "", ""),
       "bc3b7b815b5ce9a83e695118e67085898d451d3beee0980caadf9a6d8778aa3b"},
      {"mathematical bold letters (NFKC: a, b)",
       with("\xF0\x9D\x90\x80\xF0\x9D\x90\x81", "2001-01-01", "", ""),
       "2c347b8bbb88ca23b6005e2db26bd807e674395d19747f80accaaf0920fc2849"},
      {"four-byte characters that stay four bytes (U+20000, U+2A6D6)",
       with("\xF0\xA0\x80\x80\xF0\xAA\x9B\x96", "2001-01-01", "", ""),
       "7f81f25863daf2861822fdfd8d6f9bbeac0ad8b60714991a1197ee636b231cd6"},
      {"a name of white space falls back to the phone",
       with(" \t ", "1999-02-03", "+385 91 234 5678", ""),
       "368753e7ae2cf82dcce5605c0258aa3fa83158774f2850a3d027cf3b8f3b237d"},
      {"phone digits", with("", "", "385-91-2345678", "x"),
       "368753e7ae2cf82dcce5605c0258aa3fa83158774f2850a3d027cf3b8f3b237d"},
      {"contact", with("", "", "12 34", "  Ali@Example.ORG "),
       "fbd1576bddfaeba7cd93d834bbf223d344f804c979cdc1858976b4ece72c949d"},
      {"a name longer than the first buffers", with(long_name, "1980-12-31", "", ""),
       "81bd14e26403dbab9c8f7ed744338a2f7746a191959da23e0963487da4cb91fa"},
      {"nothing identifies", with("", "1999-02-03", "12345", " "), ""},
  };
}

std::string Hex(const std::string& bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

// A fixed organisation key (the X25519 secret 0x01 0x02 ... 0x20), so that the pseudonym key and
// every pseudonym are known answers.
OrgSecretKey FixedOrgKey() {
  SecretBytes secret(kOrgKeySize);
  for (size_t i = 0; i < kOrgKeySize; ++i) secret.data()[i] = static_cast<uint8_t>(i + 1);
  std::array<uint8_t, kOrgKeySize> pub{};
  crypto_scalarmult_base(pub.data(), secret.data());
  return OrgSecretKey(std::move(secret), OrgPublicKey(pub));
}

TEST(PseudonymiseTest, PseudonymsAreTheKnownAnswersFromIdentityAndFromItsSealedBlock) {
  const OrgSecretKey org = FixedOrgKey();
  const SecretBytes key = pipeline::PseudonymKey(org);
  pipeline::PseudonymScratch scratch;  // kept across identities, as import and report do
  for (const KnownPseudonym& known : KnownPseudonyms()) {
    SCOPED_TRACE(known.what);
    Result<std::string> direct = PseudonymOf(key, known.identity);
    ASSERT_TRUE(direct.ok()) << direct.status().message();
    EXPECT_EQ(Hex(*direct), known.hex);
    std::string plain;
    ASSERT_TRUE(known.identity.SerializeToString(&plain));
    Result<std::string> sealed = internal::SealToOrg(org.public_key(), plain);
    ASSERT_TRUE(sealed.ok());
    Result<std::string> opened = pipeline::PseudonymOfSealed(org, key, *sealed, &scratch);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(Hex(*opened), known.hex);
  }
  // Text that is not UTF-8 is refused, as before.
  EXPECT_FALSE(PseudonymOf(key, Person("bad \xFF", "", "")).ok());
  v1::Identity bad_contact;
  bad_contact.set_contact("\xC3");
  EXPECT_FALSE(PseudonymOf(key, bad_contact).ok());
}

// The normalised identity is built in sodium_malloc memory (guard pages, kept out of swap and
// core dumps, wiped when freed), never in an ordinary heap string (compile-time checks: on main
// NormaliseText returned a std::string and there was no PseudonymScratch); NormaliseText is the
// same text copied out, for tests and text that identifies nobody.
TEST(PseudonymiseTest, NormalisedIdentityTextIsSecretBytes) {
  static_assert(
      std::is_same_v<decltype(pipeline::NormaliseIdentityText("")), Result<SecretBytes>>);
  // The buffers a derivation opens and normalises an identity in.
  static_assert(std::is_same_v<decltype(pipeline::PseudonymScratch::opened), SecretBytes>);
  static_assert(std::is_same_v<decltype(pipeline::PseudonymScratch::folded), SecretBytes>);
  static_assert(std::is_same_v<decltype(pipeline::PseudonymScratch::normalised), SecretBytes>);
  for (const char* text : {"  Ali \t  HASSAN ", "\xEF\xAC\x81rst", "Stra\xC3\x9F" "e", " \t ", "",
                           "\xF0\x9D\x90\x80\xF0\x9D\x90\x81", "\xF0\xA0\x80\x80"}) {
    Result<SecretBytes> secure = pipeline::NormaliseIdentityText(text);
    ASSERT_TRUE(secure.ok());
    EXPECT_EQ(secure->view(), *pipeline::NormaliseText(text));
  }
  EXPECT_EQ(pipeline::NormaliseIdentityText("  Ali \t  HASSAN ")->view(), "ali hassan");
  EXPECT_EQ(pipeline::NormaliseIdentityText("bad \xFF utf-8").status().code(),
            Code::kInvalidArgument);
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
  pipeline::YearCollector c(2, {});
  // Person 5 twice in January (counted once), then again in February (counted again: people
  // are counted once a month, and person numbers restart every month).
  const std::vector<std::pair<uint64_t, const char*>> records = {
      {5, "2026-01"}, {0, "2026-01"}, {5, "2026-01"}, {6, "2026-01"}, {5, "2026-02"}};
  for (const auto& [person, month] : records) {
    ScannedRecord r;
    r.person = person;
    r.version.info.incident_month = month;
    r.version.testimony.mutable_pushback()->set_group_size(3);
    ASSERT_TRUE(c.Add(r).ok());
  }
  EXPECT_EQ(c.counts().duplicate_people, 1u);
  EXPECT_EQ(c.counts().without_pseudonym, 1u);
  EXPECT_EQ(c.selected_in(1), 4u);
  EXPECT_EQ(c.selected_in(2), 1u);
  std::vector<pipeline::MonthFacts> f = c.Take();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].pushbacks, 4);
  EXPECT_EQ(f[0].routes.begin()->second, std::make_pair(int64_t{9}, int64_t{4}));
  EXPECT_EQ(f[1].routes.begin()->second, std::make_pair(int64_t{3}, int64_t{1}));

  ScannedRecord late;
  late.version.info.id = "r";
  late.version.info.incident_month = "2026-03";
  late.version.testimony.mutable_pushback();
  EXPECT_EQ(c.Add(late).code(), Code::kInvalidArgument);
}

// The report view keeps exactly what the tables count: the facts of a testimony and of its
// view are the same, and nothing identifying is left in the view.
TEST(FactsTest, ReportViewGivesTheSameFactsAndDropsTheRest) {
  v1::Testimony t;
  t.set_kind(v1::PUSHBACK);
  t.set_narrative("NARRATIVE-MARK");
  t.set_sealed_identity("SEALED-MARK");
  t.set_monitor_id("MONITOR-MARK");
  v1::Pushback& p = *t.mutable_pushback();
  p.set_incident_date("2026-03-14");
  p.mutable_location()->set_municipality("LOCATION-MARK");
  p.set_pushed_from("HR");
  p.set_pushed_to("BA");
  p.set_group_size(5);
  p.add_ages()->set_years(16);
  p.add_ages()->set_band(v1::AGE_36_PLUS);
  p.add_ages();
  auto* n = p.add_nationalities();
  n->set_country("AF");
  n->set_count(2);
  p.add_violence(v1::BEATING);
  auto* who = p.add_perpetrators();
  who->set_type(v1::BORDER_POLICE);
  who->set_unit_as_seen("UNIT-MARK");
  p.add_chain_countries("SI");
  p.add_chain_countries("HR");
  p.add_chain_countries("BA");
  p.set_asylum_intention_expressed(v1::YES);
  p.set_minors_involved(v1::NO);
  p.mutable_medical()->set_description("MEDICAL-MARK");
  const v1::Testimony v = pipeline::ReportView(t);
  const pipeline::PushbackFacts a = pipeline::PushbackFactsOf(t.pushback(), true);
  const pipeline::PushbackFacts b = pipeline::PushbackFactsOf(v.pushback(), true);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.people, b.people);
  EXPECT_EQ(a.nationalities, b.nationalities);
  EXPECT_EQ(a.ages, b.ages);
  EXPECT_EQ(a.violence, b.violence);
  EXPECT_EQ(a.perpetrators, b.perpetrators);
  EXPECT_EQ(a.asylum_intention, b.asylum_intention);
  EXPECT_EQ(a.minors_involved, b.minors_involved);
  EXPECT_EQ(a.chain, b.chain);
  EXPECT_FALSE(v.pushback().ages(0).has_years());  // the age in years became its band
  std::string bytes;
  ASSERT_TRUE(v.SerializeToString(&bytes));
  for (const char* mark : {"NARRATIVE-MARK", "SEALED-MARK", "MONITOR-MARK", "LOCATION-MARK",
                           "UNIT-MARK", "MEDICAL-MARK", "2026-03-14"}) {
    EXPECT_EQ(bytes.find(mark), std::string::npos) << mark;
  }
  v1::Testimony f;
  f.mutable_facility()->set_facility_id("HR-DET-01");
  f.mutable_facility()->set_period_start("2026-03-01");
  auto* c = f.mutable_facility()->add_conditions();
  c->set_condition(v1::OVERCROWDING);
  c->set_severity(v1::SEVERE);
  const v1::Testimony fv = pipeline::ReportView(f);
  EXPECT_EQ(fv.facility().facility_id(), "HR-DET-01");
  EXPECT_EQ(fv.facility().conditions_size(), 1);
  EXPECT_TRUE(fv.facility().period_start().empty());
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
    m.Add(pipeline::PushbackFactsOf(p, true));
  }
  return m;
}

TEST(TablesTest, RareNationalitiesAreFoldedIntoOther) {
  std::vector<pipeline::MonthFacts> months = {TwoPushbacks()};
  pipeline::Categories cats = pipeline::ChooseCategories(10, &months);
  EXPECT_EQ(cats.nationalities, (std::vector<std::string>{"SY", "other"}));
  EXPECT_EQ(months[0].nationality_people.at("other"), 4);
  EXPECT_EQ(months[0].nationality_people.count("AF"), 0u);
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

TEST(ReportRenderTest, CsvIsTidyWithTheSuppressedValueEmptyAndQuotesLabels) {
  v1::Report r;
  r.set_month("2026-04");
  r.set_year_to_date_from("2026-01");
  v1::ReportTable t;
  t.set_name("facility_testimonies");
  t.set_unit("testimonies");
  t.set_period("year_to_date");
  t.add_dimensions("facility");
  auto* c = t.add_cells();
  c->add_labels("A,\"B\"");
  c->set_count(7);
  c = t.add_cells();
  c->add_labels("C");
  c->set_suppressed(true);
  c = t.add_cells();
  c->add_labels("Total");
  c->set_count(12);
  EXPECT_EQ(report_internal::RenderCsv(r, t),
            "period,period_kind,table,unit,facility,total,value,status,percent\r\n"
            "2026-01/2026-04,year_to_date,facility_testimonies,testimonies,\"A,\"\"B\"\"\",false,7,"
            "published,\r\n"
            "2026-01/2026-04,year_to_date,facility_testimonies,testimonies,C,false,,suppressed,\r\n"
            "2026-01/2026-04,year_to_date,facility_testimonies,testimonies,Total,true,12,"
            "published,\r\n");
  EXPECT_EQ(report_internal::CsvFileName(r, t), "2026-04-year_to_date-facility_testimonies.csv");
  t.set_period("revision");
  EXPECT_EQ(report_internal::CsvFileName(r, t), "2026-revision-facility_testimonies.csv");
}

}  // namespace
}  // namespace tvault
