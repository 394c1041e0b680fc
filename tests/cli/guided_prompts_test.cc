// `tvault add KIND` and `tvault edit ID` through the real binary, with the answers on
// standard input (cli/prompts*.cc give the question order). Stopping midway (Ctrl-D, i.e.
// end of input) must write nothing at all.
#include <google/protobuf/util/message_differencer.h>

#include "cli/cli_fixture.h"

namespace tvault::testing {
namespace {

namespace v1 = ::tvault::v1;

const std::string kExamplePushback = std::string(TVAULT_SOURCE_DIR) + "/docs/examples/pushback.json";

std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& line : lines) s += line + "\n";
  return s;
}

// A complete new pushback interview, in the order the questions come.
std::vector<std::string> PushbackAnswers() {
  return {
      "1",                     // how exact: day
      "2026-03-10",            // date of the pushback
      "night",                 // time of day
      "hr",                    // country where it happened
      "Cetingrad",             // municipality
      "",                      // border-segment code: skipped
      "",                      // GPS: skipped
      "hr",                    // pushed from
      "BA",                    // pushed to
      "si, hr, ba",            // chain
      "12",                    // group size
      "y",                     // minors
      "3",                     // how many minors
      "u",                     // women
      "",                      // ages: skipped
      "af:5, PK:3, SY",        // nationalities
      "1, 2, 7",               // violence: beating, kicking, pepper spray
      "1,4",                   // perpetrators: border police, military
      "",                      // country of border police: defaults to pushed from
      "",                      // unit of border police
      "ba",                    // country of military
      "",                      // unit of military
      "yes",                   // asylum asked
      "y",                     // ignored
      "y",                     // detained
      "a police garage",       // where held
      "5",                     // hours
      "y",                     // injured
      "unknown",               // treatment needed
      "Bruises on the back",   // injuries, briefly
      "PS",                    // interview language
      "n",                     // interpreter
      "Ahmad Example",         // name
      "+38761000000",          // phone
      "",                      // other contact: skipped
      "1990-01-02",            // date of birth
      "We crossed at night.",  // narrative
      "",
      "They took our phones.",
      ".",
      "",                      // review: Enter saves
  };
}

// A complete new facility interview against the demo registry.
std::vector<std::string> FacilityAnswers() {
  return {
      "hr-det-01",                     // facility, by id (any case)
      "stay",                          // visit or stay
      "2026-09-02",                    // first day held there
      "2026-09-20",                    // last day
      "140",                           // people held
      "overcrowding:severe, 2, heating:minor",  // conditions; food has no severity yet
      "serious",                       // how bad was the food
      "", "", "", "", "", "", "", "",  // holding and removal (arrival, days, safeguards, onward)
      "ar",                            // interview language
      "y",                             // interpreter
      "",                              // name
      "",                              // phone
      "",                              // contact
      "",                              // date of birth
      "No heating at night.",          // narrative
      ".",
      "",                              // review: Enter saves
  };
}

// The questions docs/examples/pushback.json is asked before "Replace the sealed identity?"
// (every field is set, so every question that depends on another applies).
constexpr size_t kEditQuestions = 30;

class GuidedPromptsTest : public CliFixture {
 protected:
  std::string AddedId(const RunResult& r) {
    const std::string tag = "added ";
    size_t at = r.out.rfind(tag);
    if (at == std::string::npos || at + tag.size() + 32 > r.out.size()) return "";
    return r.out.substr(at + tag.size(), 32);
  }
};

TEST_F(GuidedPromptsTest, AddPushbackStoresTheAnswers) {
  RunResult r = Tv({"add", "pushback"}, Lines(PushbackAnswers()));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::string id = AddedId(r);
  ASSERT_EQ(id.size(), 32u) << r.out;
  EXPECT_TRUE(Contains(r.out, "Date of the pushback"));
  // Identity answers are never echoed back.
  EXPECT_FALSE(Contains(r.out, "Ahmad Example"));
  EXPECT_FALSE(Contains(r.out, "+38761000000"));

  v1::Testimony t = ShowJson(id);
  EXPECT_EQ(t.id(), id);
  EXPECT_EQ(t.kind(), v1::PUSHBACK);
  EXPECT_EQ(t.monitor_id(), "kestrel-07");
  EXPECT_TRUE(t.has_recorded_at());
  EXPECT_FALSE(t.has_identity());
  EXPECT_FALSE(t.sealed_identity().empty());
  const v1::Pushback& p = t.pushback();
  EXPECT_EQ(p.incident_date(), "2026-03-10");
  EXPECT_EQ(p.date_precision(), v1::DAY);
  EXPECT_EQ(p.time_of_day(), v1::NIGHT);
  EXPECT_EQ(p.location().country(), "HR");
  EXPECT_EQ(p.location().municipality(), "Cetingrad");
  EXPECT_EQ(p.location().border_segment(), "");
  EXPECT_EQ(p.pushed_from(), "HR");
  EXPECT_EQ(p.pushed_to(), "BA");
  ASSERT_EQ(p.chain_countries_size(), 3);
  EXPECT_EQ(p.chain_countries(0), "SI");
  EXPECT_EQ(p.group_size(), 12u);
  EXPECT_EQ(p.minors_involved(), v1::YES);
  EXPECT_EQ(p.minors_count(), 3u);
  EXPECT_EQ(p.women_involved(), v1::UNKNOWN);
  ASSERT_EQ(p.nationalities_size(), 3);
  EXPECT_EQ(p.nationalities(0).country(), "AF");
  EXPECT_EQ(p.nationalities(0).count(), 5u);
  EXPECT_EQ(p.nationalities(2).country(), "SY");
  ASSERT_EQ(p.violence_size(), 3);
  EXPECT_EQ(p.violence(2), v1::PEPPER_SPRAY);
  ASSERT_EQ(p.perpetrators_size(), 2);
  EXPECT_EQ(p.perpetrators(0).type(), v1::BORDER_POLICE);
  EXPECT_EQ(p.perpetrators(0).country(), "HR");
  EXPECT_EQ(p.perpetrators(1).type(), v1::MILITARY);
  EXPECT_EQ(p.perpetrators(1).country(), "BA");
  EXPECT_EQ(p.asylum_intention_expressed(), v1::YES);
  EXPECT_EQ(p.asylum_request_ignored(), v1::YES);
  EXPECT_EQ(p.detention().detained(), v1::YES);
  EXPECT_EQ(p.detention().place(), "a police garage");
  EXPECT_EQ(p.detention().duration_hours(), 5u);
  EXPECT_EQ(p.medical().injuries(), v1::YES);
  EXPECT_EQ(p.medical().treatment_needed(), v1::UNKNOWN);
  EXPECT_EQ(p.medical().description(), "Bruises on the back");
  EXPECT_EQ(t.interview_language(), "ps");
  EXPECT_EQ(t.interpreter_present(), v1::NO);
  EXPECT_EQ(t.narrative(), "We crossed at night.\n\nThey took our phones.");
}

TEST_F(GuidedPromptsTest, AddFacilityStoresTheAnswers) {
  RunResult r = Tv({"add", "facility"}, Lines(FacilityAnswers()));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "HR-DET-01")) << "the registry is offered as choices";
  const std::string id = AddedId(r);
  ASSERT_EQ(id.size(), 32u) << r.out;
  v1::Testimony t = ShowJson(id);
  EXPECT_EQ(t.kind(), v1::FACILITY);
  const v1::FacilityConditions& f = t.facility();
  EXPECT_EQ(f.facility_id(), "HR-DET-01");
  EXPECT_EQ(f.stay_kind(), v1::STAY);
  EXPECT_EQ(f.period_start(), "2026-09-02");
  EXPECT_EQ(f.period_end(), "2026-09-20");
  EXPECT_EQ(f.people_held_reported(), 140u);
  ASSERT_EQ(f.conditions_size(), 3);
  EXPECT_EQ(f.conditions(0).condition(), v1::OVERCROWDING);
  EXPECT_EQ(f.conditions(0).severity(), v1::SEVERE);
  EXPECT_EQ(f.conditions(1).condition(), v1::FOOD);
  EXPECT_EQ(f.conditions(1).severity(), v1::SERIOUS);
  EXPECT_EQ(f.conditions(2).condition(), v1::HEATING);
  EXPECT_EQ(f.conditions(2).severity(), v1::MINOR);
  EXPECT_EQ(t.interview_language(), "ar");
  EXPECT_EQ(t.interpreter_present(), v1::YES);
  EXPECT_TRUE(t.sealed_identity().empty()) << "no identity was typed";
  EXPECT_EQ(t.narrative(), "No heating at night.");
  std::vector<google::protobuf::Struct> rows = ListJson({"--kind", "facility"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Field(rows[0], "incident_month"), "2026-09");
}

// `tvault add removal` (issue 20): a forcible removal from an informal site into a facility is
// a pushback record of incident kind SITE_REMOVAL. No border is crossed, so the countries
// pushed from and into and the chain are not asked; the facility is chosen from the registry.
TEST_F(GuidedPromptsTest, AddRemovalStoresASiteRemoval) {
  const std::vector<std::string> answers = {
      "",                        // what happened: [removal from an informal site] kept
      "day",                     // how exact is the date of the removal
      "2026-03-10",              // date of the removal
      "",                        // time of day: skipped
      "rs",                      // country where it happened
      "",                        // municipality: skipped
      "",                        // border-segment code: skipped
      "",                        // GPS: skipped
      "rs-asy-01",               // the facility they were taken to
      "40",                      // how many people were removed together
      "u",                       // minors
      "u",                       // women
      "",                        // ages
      "",                        // nationalities
      "1",                       // violence: beating
      "",                        // perpetrators: none
      "",                        // asked for asylum: skipped
      "",                        // detained: skipped
      "",                        // injured: skipped
      "ar",                      // interview language
      "n",                       // interpreter
      "", "", "", "",            // identity: skipped
      "Taken by bus at dawn.",   // narrative
      ".",
      "",                        // review: Enter saves
  };
  RunResult r = Tv({"add", "removal"}, Lines(answers));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "Date of the removal")) << r.out;
  EXPECT_TRUE(Contains(r.out, "How many people were removed together")) << r.out;
  EXPECT_FALSE(Contains(r.out, "Pushed back from")) << r.out;
  EXPECT_TRUE(Contains(r.out, "What happened: removal from an informal site")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Taken to: RS-ASY-01 Hollowmere Asylum Centre")) << r.out;
  const std::string id = AddedId(r);
  ASSERT_EQ(id.size(), 32u) << r.out;
  v1::Testimony t = ShowJson(id);
  EXPECT_EQ(t.kind(), v1::PUSHBACK);
  const v1::Pushback& p = t.pushback();
  EXPECT_EQ(p.incident_kind(), v1::SITE_REMOVAL);
  EXPECT_EQ(p.removed_to_facility_id(), "RS-ASY-01");
  EXPECT_EQ(p.location().country(), "RS");
  EXPECT_TRUE(p.pushed_from().empty());
  EXPECT_TRUE(p.pushed_to().empty());
  EXPECT_EQ(p.chain_countries_size(), 0);
  EXPECT_EQ(p.group_size(), 40u);
  EXPECT_EQ(p.incident_date(), "2026-03-10");
  EXPECT_EQ(t.narrative(), "Taken by bus at dawn.");

  // Changed at the review into a pushback across a border, it is asked the countries, and the
  // facility is dropped when saved.
  std::vector<std::string> changed(answers.begin(), answers.end() - 1);
  changed.insert(changed.end(), {"1", "pushback", "rs", "hu", "", ""});
  r = Tv({"add", "removal"}, Lines(changed));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  t = ShowJson(AddedId(r));
  EXPECT_EQ(t.pushback().incident_kind(), v1::BORDER_PUSHBACK);
  EXPECT_EQ(t.pushback().pushed_from(), "RS");
  EXPECT_EQ(t.pushback().pushed_to(), "HU");
  EXPECT_TRUE(t.pushback().removed_to_facility_id().empty());
}

TEST_F(GuidedPromptsTest, EndOfInputMidwayWritesNothing) {
  const std::map<std::string, std::string> before = ReadTree(store());
  const std::vector<std::string> all = PushbackAnswers();
  // Cut after the first answer, in the group questions, at the identity, inside the
  // narrative (before its closing "."), and at the review.
  for (size_t cut : {size_t{1}, size_t{12}, size_t{33}, all.size() - 2, all.size() - 1}) {
    std::vector<std::string> part(all.begin(), all.begin() + cut);
    RunResult r = Tv({"add", "pushback"}, Lines(part));
    EXPECT_EQ(r.exit_code, kCancelled) << "cut after " << cut << ": " << Describe(r);
    EXPECT_TRUE(Contains(r.err, "cancelled")) << r.err;
    EXPECT_FALSE(Contains(r.out, "added")) << r.out;
    EXPECT_EQ(ReadTree(store()), before) << "store files changed after cut " << cut;
  }
  // The same for a facility testimony.
  std::vector<std::string> fac = FacilityAnswers();
  fac.resize(6);
  RunResult r = Tv({"add", "facility"}, Lines(fac));
  EXPECT_EQ(r.exit_code, kCancelled) << Describe(r);
  EXPECT_EQ(ReadTree(store()), before);
  EXPECT_TRUE(ListJson({"--deleted"}).empty());
}

TEST_F(GuidedPromptsTest, InvalidAnswersAreAskedAgainWithoutLimit) {
  std::vector<std::string> answers = PushbackAnswers();
  // A date after today, then a valid one; "BA" pushed into "HR" from "HR" refused first.
  answers[1] = "2999-01-01";
  answers.insert(answers.begin() + 2, "2026-03-10");
  answers[9] = "hr";                                // pushed to = from: refused
  answers.insert(answers.begin() + 10, "BA");
  answers[12] = "twelve";                           // group size: not a number
  answers.insert(answers.begin() + 13, "12");
  // Ten refusals of one question, then a valid answer: nothing is cancelled.
  answers.insert(answers.begin() + 1, 10, "x");
  RunResult r = Tv({"add", "pushback"}, Lines(answers));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "after today")) << r.out;
  EXPECT_TRUE(Contains(r.out, "must differ")) << r.out;
  EXPECT_TRUE(Contains(r.out, "is not a number")) << r.out;
  EXPECT_FALSE(Contains(r.out, "too many")) << r.out;
  v1::Testimony t = ShowJson(AddedId(r));
  EXPECT_EQ(t.pushback().incident_date(), "2026-03-10");
  EXPECT_EQ(t.pushback().pushed_to(), "BA");
  EXPECT_EQ(t.pushback().group_size(), 12u);
}

TEST_F(GuidedPromptsTest, FacilityPromptsNeedARegistry) {
  const std::string empty = Path("no-registry");
  RunResult r = RunTvault({"init", "--store", empty, "--org-key", World().org_pub, "--kdf",
                           "interactive", "--passphrase-fd", "3"},
                          "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::map<std::string, std::string> before = ReadTree(empty);
  r = RunTvault({"add", "facility", "--store", empty, "--passphrase-fd", "3"},
                Lines(FacilityAnswers()), kPassLine);
  EXPECT_EQ(r.exit_code, kCancelled) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "tvault facility add")) << r.out;
  EXPECT_EQ(ReadTree(empty), before);
  // A removal from an informal site names the facility the people were taken to.
  r = RunTvault({"add", "removal", "--store", empty, "--passphrase-fd", "3"}, "\n", kPassLine);
  EXPECT_EQ(r.exit_code, kCancelled) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "tvault facility add")) << r.out;
  EXPECT_EQ(ReadTree(empty), before);
}

TEST_F(GuidedPromptsTest, EditKeepsEveryValueOnEmptyAnswers) {
  TvOk({"add", "--from", kExamplePushback});
  const std::string id = *Ids().begin();
  v1::Testimony v1_t = ShowJson(id);

  // Enter at every question (the narrative's blank lines keep it too), then at the review:
  // change the group size (question 11), and save.
  std::vector<std::string> keep(kEditQuestions + 1, "");
  keep.insert(keep.end(), {".", "11", "16", ""});
  RunResult r = Tv({"edit", id.substr(0, 8)}, Lines(keep));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(SplitLines(r.out).back(), "stored version 2 of " + id);
  EXPECT_TRUE(Contains(r.out, "[14]")) << "the current value is shown";
  EXPECT_FALSE(Contains(r.out, "Example Person A")) << "identity is never shown";

  v1::Testimony v2_t = ShowJson(id);
  EXPECT_EQ(v2_t.pushback().group_size(), 16u);
  v1::Testimony expected = v1_t;
  expected.mutable_pushback()->set_group_size(16);
  google::protobuf::util::MessageDifferencer diff;
  std::string report;
  diff.ReportDifferencesToString(&report);
  EXPECT_TRUE(diff.Compare(expected, v2_t)) << report;

  // Replace the identity and the narrative; the old narrative stays in version 2.
  std::vector<std::string> change(kEditQuestions, "");
  change.insert(change.end(), {"y", "New Person", "", "", "", "A new account.", ".", ""});
  r = Tv({"edit", id}, Lines(change));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  v1::Testimony v3_t = ShowJson(id);
  EXPECT_EQ(v3_t.narrative(), "A new account.");
  EXPECT_NE(v3_t.sealed_identity(), v1_t.sealed_identity());
  EXPECT_FALSE(v3_t.sealed_identity().empty());
  EXPECT_EQ(v3_t.pushback().group_size(), 16u);
  EXPECT_EQ(ShowJson(id, {"--version", "2"}).narrative(), v1_t.narrative());

  // Stopping the edit midway stores nothing.
  const std::map<std::string, std::string> before = ReadTree(store());
  r = Tv({"edit", id}, Lines(std::vector<std::string>(10, "")));
  EXPECT_EQ(r.exit_code, kCancelled) << Describe(r);
  EXPECT_EQ(ReadTree(store()), before);
  EXPECT_EQ(Field(ListJson()[0], "version"), "3");
}

}  // namespace
}  // namespace tvault::testing
