// `tvault search` through the real binary on real stores: folding of accents, case and Arabic
// script, the filters combined with each other and with words, deleted and edited records,
// the documented exit codes for malformed queries and flags, and that a search writes
// nothing anywhere (store files byte-identical, no history file, nothing in the audit log).
#include <set>

#include "cli_fixture.h"
#include "tvault/demo.h"

namespace tvault::testing {
namespace {

class SearchCliTest : public CliFixture {
 protected:
  // `search ARGS --json`: the ids found, asserting success.
  std::set<std::string> Search(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), "search");
    args.push_back("--json");
    RunResult r = TvOk(args, input);
    std::set<std::string> ids;
    for (const std::string& line : SplitLines(r.out)) ids.insert(Field(ParseJsonObject(line), "id"));
    return ids;
  }

  static v1::Testimony Pushback(const std::string& narrative, const std::string& from,
                                const std::string& to, v1::ViolenceType violence,
                                const std::string& nationality) {
    v1::Testimony t = SamplePushback("IDMARK");
    t.set_narrative(narrative);
    v1::Pushback* p = t.mutable_pushback();
    p->set_pushed_from(from);
    p->set_pushed_to(to);
    p->mutable_location()->set_country(from);
    p->clear_violence();
    p->add_violence(violence);
    p->clear_nationalities();
    p->add_nationalities()->set_country(nationality);
    return t;
  }

  // Adds `records` with one `add` and returns their ids in the same order. Each record's
  // group size (or number of people held) is set to 100 + its index, which `list --json`
  // shows, so no other run is needed to tell them apart.
  std::vector<std::string> AddAll(std::vector<v1::Testimony> records) {
    std::string jsonl;
    for (size_t i = 0; i < records.size(); ++i) {
      v1::Testimony& t = records[i];
      if (t.has_pushback()) t.mutable_pushback()->set_group_size(100 + i);
      if (t.has_pushback()) t.mutable_pushback()->set_minors_count(0);
      if (t.has_facility()) t.mutable_facility()->set_people_held_reported(100 + i);
      jsonl += ToJson(t) + "\n";
    }
    TvOk({"add", "--from", WriteWork("in.jsonl", jsonl)});
    std::vector<std::string> ids(records.size());
    for (const auto& row : ListJson()) {
      const size_t i = static_cast<size_t>(row.fields().at("people").number_value()) - 100;
      if (i < ids.size()) ids[i] = Field(row, "id");
    }
    for (const std::string& id : ids) EXPECT_EQ(id.size(), 32u);
    return ids;
  }
};

using IdSet = std::set<std::string>;

TEST_F(SearchCliTest, FindsWordsWhateverTheirAccentsCaseOrScript) {
  const std::vector<std::string> ids = AddAll(
      {Pushback("Ḥaydarī said the officers took his shoes", "HR", "BA", v1::BEATING, "AF"),
       Pushback("قال مُحَمَّد إن الشرطة أخذت هواتفهم", "HR", "BA", v1::THEFT, "SY")});
  const std::string& a = ids[0];
  const std::string& b = ids[1];
  EXPECT_EQ(Search({"haydari"}), (IdSet{a}));
  EXPECT_EQ(Search({"HAYDARI SHOES"}), (IdSet{a}));
  EXPECT_EQ(Search({"\"officers took\""}), (IdSet{a}));
  EXPECT_EQ(Search({"hayd*"}), (IdSet{a}));
  EXPECT_EQ(Search({"محمد"}), (IdSet{b}));
  EXPECT_EQ(Search({"اخذت"}), (IdSet{b}));
  EXPECT_EQ(Search({"shoes OR محمد"}), (IdSet{a, b}));
  // From standard input, out of the shell's history.
  EXPECT_EQ(Search({"-"}, "Ḥaydarī\n"), (IdSet{a}));
  // The table for people ends with the count.
  RunResult r = TvOk({"search", "haydari"});
  EXPECT_TRUE(Contains(r.out, a.substr(0, 12))) << r.out;
  EXPECT_TRUE(Contains(r.out, "1 record\n")) << r.out;
}

TEST_F(SearchCliTest, FiltersCombineWithEachOtherAndWithWords) {
  const std::string facility = DemoFacilities()[0].id();
  const std::vector<std::string> ids =
      AddAll({Pushback("by the river", "HR", "BA", v1::DOG_ATTACK, "AF"),
              Pushback("by the river", "HR", "BA", v1::DOG_ATTACK, "SY"),
              Pushback("in the forest", "HR", "BA", v1::BEATING, "AF"),
              Pushback("by the river", "HU", "RS", v1::DOG_ATTACK, "AF"),
              SampleFacility(facility, "FAC")});
  const std::string &dog_af = ids[0], &dog_sy = ids[1], &beat_af = ids[2], &hu = ids[3],
                    &fac = ids[4];

  EXPECT_EQ(Search({"--violence", "dog_attack"}), (IdSet{dog_af, dog_sy, hu}));
  EXPECT_EQ(Search({"--violence", "DOG_ATTACK", "--from", "HR", "--to", "BA"}),
            (IdSet{dog_af, dog_sy}));
  EXPECT_EQ(Search({"--violence", "dog_attack", "--from", "hr", "--nationality", "AF"}),
            (IdSet{dog_af}));
  EXPECT_EQ(Search({"river", "--nationality", "AF"}), (IdSet{dog_af, hu}));
  EXPECT_EQ(Search({"river", "--to", "RS", "--kind", "pushback"}), (IdSet{hu}));
  EXPECT_EQ(Search({"--nationality", "AF", "--violence", "beating"}), (IdSet{beat_af}));
  EXPECT_EQ(Search({"--facility", facility}), (IdSet{fac}));
  EXPECT_EQ(Search({"heating", "--facility", facility, "--month", "2026-09"}), (IdSet{fac}));
  EXPECT_EQ(Search({"river", "--facility", facility}), IdSet{});
  EXPECT_EQ(Search({"--kind", "pushback", "--limit", "2"}).size(), 2u);
}

TEST_F(SearchCliTest, DeletedRecordsAreNotFoundAndEditsReplaceTheText) {
  const std::vector<std::string> ids =
      AddAll({Pushback("the lighthouse keeper", "HR", "BA", v1::BEATING, "AF"),
              Pushback("they burned our rucksacks", "HR", "BA", v1::BEATING, "AF")});
  const std::string &gone = ids[0], &edited = ids[1];
  TvOk({"delete", gone, "--reason", "entered twice"});
  EXPECT_EQ(Search({"lighthouse"}), IdSet{});
  v1::Testimony t = ShowJson(edited);
  t.set_narrative("they threw our sleeping bags into the river");
  TvOk({"edit", edited, "--from", WriteWork("edit.json", ToJson(t))});
  EXPECT_EQ(Search({"rucksacks"}), IdSet{});
  EXPECT_EQ(Search({"sleeping bags"}), (IdSet{edited}));
}

// Malformed input is a usage error (exit 2) that names the problem, before any passphrase is
// read, and never repeats the query.
TEST_F(SearchCliTest, MalformedQueriesAndFlagsExitWithUsage) {
  const struct {
    std::vector<std::string> args;
    const char* message;
  } kCases[] = {
      {{"search", "SECRETWORD \"dogs"}, "quote opened here is not closed"},
      {{"search", "SECRETWORD *"}, "'*' must end a word"},
      {{"search", "OR SECRETWORD"}, "OR must stand between two terms"},
      {{"search", "SECRETWORD ???"}, "no letter or digit"},
      {{"search"}, "give words to search for, or a filter"},
      {{"search", "x", "--violence", "dogs"}, "--violence: unknown type \"dogs\""},
      {{"search", "x", "--from", "Croatia"}, "--from: \"Croatia\" is not a two-letter"},
      {{"search", "x", "--month", "2026-13"}, "--month: \"2026-13\" is not YYYY-MM"},
      {{"search", "x", "--kind", "boat"}, "unknown kind \"boat\""},
  };
  for (const auto& c : kCases) {
    RunResult r = Tv(c.args);
    EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
    EXPECT_TRUE(Contains(r.err, c.message)) << Describe(r);
    EXPECT_FALSE(Contains(r.err, "SECRETWORD")) << Describe(r);
  }
}

// A search is read-only and leaves no trace: every store file is byte-identical afterwards,
// nothing appears in the home directory (no history file), and the query is in no audit-log
// entry.
TEST_F(SearchCliTest, WritesNothingAnywhere) {
  AddAll({Pushback("the QUERYMARKER river", "HR", "BA", v1::BEATING, "AF")});
  const auto before = ReadTree(store());
  TempDir home;
  RunResult r = Tv({"search", "querymarker", "--json"}, "", {"HOME=" + home.path()});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  ASSERT_EQ(SplitLines(r.out).size(), 1u) << r.out;
  r = Tv({"search", "-", "--violence", "beating"}, "QUERYMARKER\n",
         {"HOME=" + home.path()});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(ReadTree(store()), before);
  EXPECT_TRUE(ReadTree(home.path()).empty());
  RunResult log = TvOk({"log", "show"});
  EXPECT_FALSE(Contains(log.out, "search")) << log.out;
  EXPECT_FALSE(Contains(log.out, "QUERYMARKER")) << log.out;
}

}  // namespace
}  // namespace tvault::testing
