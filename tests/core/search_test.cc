// Search (tvault/search.h, core/src/store/search*.cc) through the public API, on real stores
// on disk: folding of case, accents and Arabic-script spellings; the query syntax and its
// errors; the index following adds, edits, deletes and bundle imports; the filters; the
// migration that builds the index for a store of schema version 6; a 10,000-testimony store.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/search.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

std::string Fold(const std::string& s) {
  Result<std::string> r = FoldForSearch(s);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : "";
}

TEST(FoldForSearchTest, FoldsCaseAccentsAndLettersWithoutDecomposition) {
  EXPECT_EQ(Fold("Ḥaydarī"), "haydari");
  EXPECT_EQ(Fold("HAYDARI"), "haydari");
  EXPECT_EQ(Fold("Şırnak Łódź Đorđe Øre Ħal Æsir œuvre Straße"),
            "sirnak lodz dorde ore hal aesir oeuvre strasse");
  EXPECT_EQ(Fold("İstanbul"), "istanbul");
  // Compatibility forms: the ligature ﬁ, full-width letters.
  EXPECT_EQ(Fold("ﬁeld ＡＢＣ"), "field abc");
}

TEST(FoldForSearchTest, FoldsArabicScriptSpellings) {
  // Harakat (fatha, damma, shadda) are combining marks and go.
  EXPECT_EQ(Fold("مُحَمَّد"), "محمد");
  // Alef with hamza above, below and madda become a bare alef.
  EXPECT_EQ(Fold("أحمد"), "احمد");
  EXPECT_EQ(Fold("إسلام"), "اسلام");
  EXPECT_EQ(Fold("آمنة"), Fold("امنه"));
  // Persian yeh and keheh, alef maksura, tatweel, ZWNJ, Persian and Arabic-Indic digits.
  EXPECT_EQ(Fold("کابلی"), "كابلي");
  EXPECT_EQ(Fold("مصطفى"), "مصطفي");
  EXPECT_EQ(Fold("مـحـمـد"), "محمد");
  EXPECT_EQ(Fold("می‌روم"), "ميروم");
  EXPECT_EQ(Fold("۱۲ ١٢"), "12 12");
}

TEST(FoldForSearchTest, RefusesInvalidUtf8) {
  Result<std::string> r = FoldForSearch("ab\xff");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(SearchMatchExpressionTest, QuotesEveryTermSoNoOperatorReachesSqlite) {
  EXPECT_EQ(*SearchMatchExpression(""), "");
  EXPECT_EQ(*SearchMatchExpression("  Ḥaydarī  dogs "), "\"haydari\" \"dogs\"");
  EXPECT_EQ(*SearchMatchExpression("\"Border Police\" hayd*"), "\"border police\" \"hayd*\"");
  EXPECT_EQ(*SearchMatchExpression("a OR b c"), "\"a\" OR \"b\" \"c\"");
  // Smart quotes from a phone's keyboard delimit a phrase too.
  EXPECT_EQ(*SearchMatchExpression("“dog attack”"), "\"dog attack\"");
  // FTS syntax in the user's text is only text: a column filter, NEAR, a minus, a lower-case
  // or.
  EXPECT_EQ(*SearchMatchExpression("narrative:x NEAR -y or"), "\"narrative:x\" \"near\" "
                                                              "\"-y\" \"or\"");
}

TEST(SearchMatchExpressionTest, NamesEachMalformedQueryWithoutRepeatingIt) {
  const struct {
    const char* query;
    const char* problem;
  } kCases[] = {
      {"police \"SECRETWORD dogs", "quote opened here is not closed (at character 8)"},
      {"SECRETWORD *", "'*' must end a word"},
      {"SECRETWORD*x", "'*' must end a word"},
      {"SECRETWORD**", "'*' must end a word"},
      {"OR SECRETWORD", "OR must stand between two terms (at character 1)"},
      {"SECRETWORD OR", "OR must stand between two terms"},
      {"SECRETWORD OR OR x", "OR must stand between two terms"},
      {"SECRETWORD !!!", "a term with no letter or digit"},
      {"SECRETWORD \"\"", "a phrase with no letter or digit"},
      {"SECRETWORD\"x\"", "a quote must start a new term"},
      {"SECRETWORD \xc3", "not valid UTF-8"},
  };
  for (const auto& c : kCases) {
    Result<std::string> r = SearchMatchExpression(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.query;
    EXPECT_NE(r.status().message().find(c.problem), std::string::npos)
        << c.query << " -> " << r.status().message();
    EXPECT_EQ(r.status().message().find("SECRETWORD"), std::string::npos)
        << r.status().message();
  }
  Result<std::string> long_query = SearchMatchExpression(std::string(kMaxSearchQueryBytes + 1,
                                                                     'a'));
  ASSERT_FALSE(long_query.ok());
  EXPECT_NE(long_query.status().message().find("longer than"), std::string::npos);
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    auto secret = ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"));
    ASSERT_TRUE(secret.ok());
    org_ = std::make_unique<OrgSecretKey>(std::move(secret).value());
    signer_ = std::make_unique<SignerSecretKey>(*SignerSecretKey::Generate());
    store_ = NewStore("vault");
  }

  std::unique_ptr<Store> NewStore(const std::string& name) {
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-07";
    EXPECT_TRUE(
        Store::Create(tmp_ / name, Pass("store pass"), *ReadOrgPublicKey(tmp_ / "org.pub"), opts)
            .ok());
    std::unique_ptr<Store> store = Open(name);
    EXPECT_TRUE(store->AddFacilities(DemoFacilities()).ok());
    return store;
  }

  std::unique_ptr<Store> Open(const std::string& name = "vault") {
    auto s = Store::Open(tmp_ / name, Pass("store pass"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::string Add(v1::Testimony t, Store* store = nullptr) {
    std::vector<InputRecord> in(1);
    in[0].where = "record 1";
    in[0].testimony = std::move(t);
    auto ids = (store ? store : store_.get())->Add(std::move(in));
    EXPECT_TRUE(ids.ok()) << ids.status().message();
    return ids.ok() ? ids->front() : "";
  }

  std::vector<std::string> AddDemo(uint64_t count, uint64_t seed) {
    DemoOptions o;
    o.count = count;
    o.seed = seed;
    std::vector<InputRecord> in;
    for (auto& t : GenerateDemoTestimonies(o)) in.push_back({"demo", std::move(t)});
    auto ids = store_->Add(std::move(in));
    EXPECT_TRUE(ids.ok()) << ids.status().message();
    return ids.ok() ? *ids : std::vector<std::string>();
  }

  // The ids Store::Search returns for `q`, asserting it succeeds.
  std::set<std::string> Find(const SearchQuery& q, Store* store = nullptr) {
    auto r = (store ? store : store_.get())->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::set<std::string> ids;
    if (r.ok()) {
      for (const RecordInfo& info : *r) ids.insert(info.id);
    }
    return ids;
  }
  std::set<std::string> Find(const std::string& text, Store* store = nullptr) {
    SearchQuery q;
    q.text = text;
    return Find(q, store);
  }

  static v1::Testimony Pushback(const std::string& narrative) {
    v1::Testimony t = testing::SamplePushback("IDMARK");
    t.set_narrative(narrative);
    return t;
  }

  TempDir tmp_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<SignerSecretKey> signer_;
  std::unique_ptr<Store> store_;
};

using Ids = std::set<std::string>;

std::string RecordInfoText(const RecordInfo& r) {
  std::ostringstream out;
  out << r.id << " " << r.version << " " << r.kind << " " << r.incident_month << " " << r.country
      << " " << r.pushed_from << " " << r.pushed_to << " " << r.facility_id << " " << r.people
      << " " << r.created_at << " " << r.updated_at << " " << r.deleted << "\n";
  return out.str();
}

TEST_F(SearchTest, CaseAndAccentsAreFoldedBothWays) {
  const std::string a = Add(Pushback("Ḥaydarī said the officers took his shoes."));
  const std::string b = Add(Pushback("Haydari walked to Velika Kladuša with his cousin."));
  EXPECT_EQ(Find("haydari"), (Ids{a, b}));
  EXPECT_EQ(Find("HAYDARI"), (Ids{a, b}));
  EXPECT_EQ(Find("Ḥaydarī"), (Ids{a, b}));
  EXPECT_EQ(Find("kladusa"), (Ids{b}));
  EXPECT_EQ(Find("KLADUŠA"), (Ids{b}));
  EXPECT_EQ(Find("haydari shoes"), (Ids{a}));
  EXPECT_EQ(Find("\"officers took\""), (Ids{a}));
  EXPECT_EQ(Find("\"took officers\""), Ids{});
  EXPECT_EQ(Find("off*"), (Ids{a}));
  EXPECT_EQ(Find("shoes OR cousin"), (Ids{a, b}));
  EXPECT_EQ(Find("nothinglikethis"), Ids{});
}

TEST_F(SearchTest, ArabicScriptIsFound) {
  const std::string a = Add(Pushback("قال مُحَمَّد إن الشرطة أخذت هواتفهم"));
  const std::string b = Add(Pushback("Mohammad said the police took the phones"));
  const std::string c = Add(Pushback("پولیس کابل مبایل‌های ما را گرفت"));  // Dari
  EXPECT_EQ(Find("محمد"), (Ids{a}));
  EXPECT_EQ(Find("الشرطة"), (Ids{a}));
  EXPECT_EQ(Find("اخذت"), (Ids{a}));  // typed without the hamza
  EXPECT_EQ(Find("\"الشرطة أخذت\""), (Ids{a}));
  EXPECT_EQ(Find("هوا*"), (Ids{a}));
  EXPECT_EQ(Find("police"), (Ids{b}));
  EXPECT_EQ(Find("كابل"), (Ids{c}));  // Arabic kaf finds Persian keheh
  EXPECT_EQ(Find("مبایلهای"), (Ids{c}));  // without the ZWNJ
}

TEST_F(SearchTest, FreeTextFieldsAreIndexedAndIdentitiesAreNot) {
  v1::Testimony t = testing::SamplePushback("IDMARK");
  t.mutable_pushback()->mutable_location()->set_municipality("Glinsko Vrelo");
  v1::Perpetrator* p = t.mutable_pushback()->add_perpetrators();
  p->set_type(v1::BORDER_POLICE);
  p->set_unit_as_seen("balaclavas, dark blue uniforms");
  t.mutable_pushback()->mutable_medical()->set_injuries(v1::YES);
  t.mutable_pushback()->mutable_medical()->set_description("fractured wrist");
  const std::string id = Add(t);
  EXPECT_EQ(Find("glinsko"), (Ids{id}));
  EXPECT_EQ(Find("balaclavas"), (Ids{id}));
  EXPECT_EQ(Find("\"fractured wrist\""), (Ids{id}));
  EXPECT_EQ(Find("IDMARK"), (Ids{id}));  // the narrative's "IDMARK-narrative"
  // The sealed identity's values are not: "IDMARK-name", "-phone", "-contact".
  EXPECT_EQ(Find("name"), Ids{});
  EXPECT_EQ(Find("phone"), Ids{});
  EXPECT_EQ(Find("contact"), Ids{});
  store_.reset();
  const std::string rows = testing::DumpStoreTables(tmp_ / "vault", Pass("store pass"),
                                                    {"search_docs", "search_text"});
  EXPECT_NE(rows.find("glinsko"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("idmark-name"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("idmark-phone"), std::string::npos) << rows;
}

TEST_F(SearchTest, FiltersCombineWithEachOtherAndWithText) {
  v1::Testimony base = Pushback("They were beaten near the river.");
  auto pushback = [&](const std::string& from, const std::string& to,
                      std::vector<v1::ViolenceType> violence, const std::string& nationality,
                      const std::string& narrative) {
    v1::Testimony t = base;
    t.mutable_pushback()->set_pushed_from(from);
    t.mutable_pushback()->set_pushed_to(to);
    t.mutable_pushback()->mutable_location()->set_country(from);
    t.mutable_pushback()->clear_violence();
    for (v1::ViolenceType v : violence) t.mutable_pushback()->add_violence(v);
    t.mutable_pushback()->clear_nationalities();
    auto* n = t.mutable_pushback()->add_nationalities();
    n->set_country(nationality);
    n->set_count(t.pushback().group_size());
    t.set_narrative(narrative);
    return Add(t);
  };
  const std::string dog_af = pushback("HR", "BA", {v1::DOG_ATTACK, v1::BEATING}, "AF", "river");
  const std::string dog_sy = pushback("HR", "BA", {v1::DOG_ATTACK}, "SY", "river");
  const std::string beat_af = pushback("HR", "BA", {v1::BEATING}, "AF", "forest");
  const std::string hu_rs = pushback("HU", "RS", {v1::DOG_ATTACK}, "AF", "river");
  const std::string fac = Add(testing::SampleFacility(DemoFacilities()[0].id(), "FAC"));

  SearchQuery q;
  q.violence = {v1::DOG_ATTACK};
  EXPECT_EQ(Find(q), (Ids{dog_af, dog_sy, hu_rs}));
  q.pushed_from = "HR";
  EXPECT_EQ(Find(q), (Ids{dog_af, dog_sy}));
  q.pushed_to = "BA";
  q.nationalities = {"AF"};
  EXPECT_EQ(Find(q), (Ids{dog_af}));
  q.violence = {v1::DOG_ATTACK, v1::BEATING};  // every type listed
  q.nationalities.clear();
  EXPECT_EQ(Find(q), (Ids{dog_af}));

  SearchQuery text;
  text.text = "river";
  EXPECT_EQ(Find(text), (Ids{dog_af, dog_sy, hu_rs}));
  text.nationalities = {"AF"};
  EXPECT_EQ(Find(text), (Ids{dog_af, hu_rs}));
  text.pushed_to = "RS";
  EXPECT_EQ(Find(text), (Ids{hu_rs}));
  text.pushed_to.clear();
  text.kind = v1::FACILITY;
  EXPECT_EQ(Find(text), Ids{});

  SearchQuery facility;
  facility.facility_id = DemoFacilities()[0].id();
  EXPECT_EQ(Find(facility), (Ids{fac}));
  facility.text = "heating";
  EXPECT_EQ(Find(facility), (Ids{fac}));
  facility.facility_id = DemoFacilities()[1].id();
  EXPECT_EQ(Find(facility), Ids{});

  SearchQuery month;
  month.month = "2026-10";  // SamplePushback's incident month
  month.kind = v1::PUSHBACK;
  EXPECT_EQ(Find(month), (Ids{dog_af, dog_sy, beat_af, hu_rs}));
  month.limit = 2;
  EXPECT_EQ(Find(month).size(), 2u);

  // What a search returns of each record is what List returns.
  SearchQuery pushbacks;
  pushbacks.kind = v1::PUSHBACK;
  ListFilter list_pushbacks;
  list_pushbacks.kind = v1::PUSHBACK;
  std::ostringstream searched, listed;
  for (const RecordInfo& r : *store_->Search(pushbacks)) searched << RecordInfoText(r);
  for (const RecordInfo& r : *store_->List(list_pushbacks)) listed << RecordInfoText(r);
  EXPECT_EQ(searched.str(), listed.str());
  EXPECT_FALSE(listed.str().empty());

  Result<std::vector<RecordInfo>> nothing = store_->Search(SearchQuery());
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.status().code(), Code::kInvalidArgument);
}

TEST_F(SearchTest, DeletedRecordsAreNotFoundAndEditsReplaceTheText) {
  const std::string gone = Add(Pushback("the lighthouse keeper saw everything"));
  const std::string kept = Add(Pushback("the lighthouse was dark"));
  const std::string edited = Add(Pushback("they burned our rucksacks"));
  ASSERT_TRUE(store_->Delete(gone, "entered twice").ok());
  EXPECT_EQ(Find("lighthouse"), (Ids{kept}));
  EXPECT_EQ(Find("keeper"), Ids{});
  SearchQuery all_pushbacks;
  all_pushbacks.kind = v1::PUSHBACK;
  EXPECT_EQ(Find(all_pushbacks), (Ids{kept, edited}));

  v1::Testimony t = store_->Get(edited)->testimony;
  t.set_narrative("they threw our sleeping bags into the river");
  t.mutable_pushback()->clear_violence();
  t.mutable_pushback()->add_violence(v1::PROPERTY_DESTRUCTION);
  ASSERT_TRUE(store_->Edit(edited, {"edit", t}).ok());
  EXPECT_EQ(Find("rucksacks"), Ids{});
  EXPECT_EQ(Find("\"sleeping bags\""), (Ids{edited}));
  SearchQuery bags;
  bags.text = "sleeping";
  auto found = store_->Search(bags);
  ASSERT_TRUE(found.ok() && found->size() == 1u);
  EXPECT_EQ(found->front().version, 2u);  // the summary follows the record's new version
  SearchQuery theft;
  theft.violence = {v1::THEFT};  // SamplePushback's, dropped by the edit
  EXPECT_EQ(Find(theft), (Ids{kept}));
  theft.violence = {v1::PROPERTY_DESTRUCTION};
  EXPECT_EQ(Find(theft), (Ids{edited}));

  // Still so after reopening (the index is on disk, written with the records).
  store_ = Open();
  EXPECT_EQ(Find("rucksacks"), Ids{});
  EXPECT_EQ(Find("lighthouse"), (Ids{kept}));
}

TEST_F(SearchTest, RecordsImportedFromABundleAreFound) {
  std::unique_ptr<Store> monitor = NewStore("monitor");
  const std::string a = Add(Pushback("Ḥaydarī lost his passport at the border"), monitor.get());
  const std::string b = Add(Pushback("the dogs were not on leashes"), monitor.get());
  ASSERT_TRUE(store_->TrustSigner(signer_->public_key(), "monitor").ok());
  auto export_to = [&](const std::string& name) {
    BundleExportOptions o;
    auto r = monitor->ExportBundle(tmp_ / name, *ReadOrgPublicKey(tmp_ / "org.pub"), *signer_, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    auto in = store_->ImportBundle(tmp_ / name, *org_);
    EXPECT_TRUE(in.ok()) << in.status().message();
  };
  export_to("1.tvb");
  EXPECT_EQ(Find("haydari passport"), (Ids{a}));
  EXPECT_EQ(Find("leashes"), (Ids{b}));

  // A later bundle with an edit and a deletion: the central store follows.
  v1::Testimony t = monitor->Get(a)->testimony;
  t.set_narrative("Haydari lost his phone at the border");
  ASSERT_TRUE(monitor->Edit(a, {"edit", t}).ok());
  ASSERT_TRUE(monitor->Delete(b, "duplicate").ok());
  export_to("2.tvb");
  EXPECT_EQ(Find("passport"), Ids{});
  EXPECT_EQ(Find("haydari phone"), (Ids{a}));
  EXPECT_EQ(Find("leashes"), Ids{});
}

// A store of schema version 6 (made before the index) gets its index built when opened, from
// the latest versions of its live records.
TEST_F(SearchTest, MigrationBuildsTheIndexOfAnOlderStore) {
  const std::string a = Add(Pushback("Ḥaydarī crossed at night"));
  const std::string b = Add(Pushback("Haydari was deleted later"));
  const std::string c = Add(Pushback("an old text"));
  ASSERT_TRUE(store_->Delete(b, "duplicate").ok());
  v1::Testimony t = store_->Get(c)->testimony;
  t.set_narrative("a new text about Haydari");
  ASSERT_TRUE(store_->Edit(c, {"edit", t}).ok());
  store_.reset();
  const std::string out = testing::RunSqlcipher(
      tmp_ / "vault", "store pass",
      "DROP TABLE search_text; DROP TABLE search_docs; DROP TABLE drafts; " +
          std::string(testing::kUndoMigration10Sql) + testing::kUndoMigration9Sql +
      "PRAGMA user_version = 6; "
      "PRAGMA user_version; SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%';");
  ASSERT_NE(out.find("6\n0\n"), std::string::npos) << out;

  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Find("haydari"), (Ids{a, c}));
  EXPECT_EQ(Find("old"), Ids{});
  store_.reset();
  EXPECT_NE(testing::RunSqlcipher(tmp_ / "vault", "store pass", "PRAGMA user_version;")
                .find("10"),
            std::string::npos);
}

// 10,000 demo testimonies: every search returns exactly the records whose stored latest
// version says so (checked against the bodies, record by record). The 100,000 case and the
// latency are measured in bench/search.cc.
TEST_F(SearchTest, TenThousandTestimoniesAreSearched) {
  DemoOptions o;
  o.count = 10000;
  o.seed = 5;
  const std::vector<v1::Testimony> demo = GenerateDemoTestimonies(o);
  std::vector<InputRecord> in;
  for (const v1::Testimony& t : demo) in.push_back({"demo", t});
  auto added = store_->Add(std::move(in));
  ASSERT_TRUE(added.ok()) << added.status().message();
  const std::vector<std::string>& ids = *added;  // in input order
  std::set<std::string> deleted;
  for (size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(store_->Delete(ids[i * 97], "test").ok());
    deleted.insert(ids[i * 97]);
  }
  // The expected answers, from the testimonies themselves: a word starting with "dog" in a
  // free-text field.
  Ids dogs, dogs_hr_af;
  for (size_t i = 0; i < demo.size(); ++i) {
    if (deleted.count(ids[i])) continue;
    const v1::Testimony& t = demo[i];
    const v1::Pushback& p = t.pushback();
    std::string all = t.narrative() + " " + p.location().municipality() + " " +
                      p.location().border_segment() + " " + p.detention().place() + " " +
                      p.medical().description();
    for (const auto& perp : p.perpetrators()) all += " " + perp.unit_as_seen();
    const std::string text = *FoldForSearch(all);
    bool has_dog = false;
    for (size_t at = text.find("dog"); at != std::string::npos; at = text.find("dog", at + 1)) {
      if (at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]))) has_dog = true;
    }
    if (!has_dog) continue;
    dogs.insert(ids[i]);
    bool af = false;
    for (const auto& n : p.nationalities()) af = af || n.country() == "AF";
    if (p.pushed_from() == "HR" && af) dogs_hr_af.insert(ids[i]);
  }
  ASSERT_GT(dogs.size(), 10u);
  ASSERT_GT(dogs_hr_af.size(), 0u);
  ASSERT_LT(dogs_hr_af.size(), dogs.size());
  SearchQuery q;
  q.text = "dog*";
  EXPECT_EQ(Find(q), dogs);
  q.pushed_from = "HR";
  q.nationalities = {"AF"};
  EXPECT_EQ(Find(q), dogs_hr_af);
}

}  // namespace
}  // namespace tvault
