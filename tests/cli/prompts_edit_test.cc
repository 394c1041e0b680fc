// Tests of the guided interview (cli/prompts.h) of facility testimonies and of editing a
// stored testimony, driven through string streams.
#include "cli/prompts_fixture.h"

namespace tvault::cli::testing {
namespace {

namespace v1 = ::tvault::v1;

std::vector<v1::Facility> Registry() {
  std::vector<v1::Facility> registry(2);
  registry[0].set_id("HR-DET-01");
  registry[0].set_name("Example detention centre");
  registry[0].set_country("HR");
  registry[0].set_type(v1::DETENTION);
  registry[1].set_id("BA-REC-02");
  registry[1].set_name("Example reception camp");
  registry[1].set_country("BA");
  registry[1].set_type(v1::RECEPTION);
  return registry;
}

// The questions of a stay about holding and removal (arrival, days held, five safeguards,
// onward removal), all skipped.
constexpr size_t kHoldingQuestions = 8;

std::vector<std::string> FacilityAnswers() {
  return {
      "hr-det-01",                     // facility, by id
      "2",                             // stay
      "2024-02-01",                    // first day
      "2024-01-15",                    // last day: before the first, refused
      "2024-02-20",                    // last day
      "300",                           // people held
      "overcrowding:severe, 3, 11:2",  // overcrowding, water, locked in
      "serious",                       // how bad: water
      "", "", "", "", "", "", "", "",  // holding and removal: all skipped
      "ar",                            // language
      "y",                             // interpreter
      "",
      "",
      "",
      "",                           // identity: all skipped
      "Forty people in one room.",  // narrative
      ".",
      "",                           // review: save
  };
}

TEST(PromptsTest, FacilityInterview) {
  Session run = Prompt(v1::FACILITY, FacilityAnswers(), nullptr, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  const v1::Testimony& t = *run.result;
  EXPECT_EQ(t.kind(), v1::FACILITY);
  ASSERT_TRUE(t.has_facility());
  const v1::FacilityConditions& f = t.facility();
  EXPECT_EQ(f.facility_id(), "HR-DET-01");
  EXPECT_EQ(f.stay_kind(), v1::STAY);
  EXPECT_EQ(f.period_start(), "2024-02-01");
  EXPECT_EQ(f.period_end(), "2024-02-20");
  EXPECT_EQ(f.people_held_reported(), 300u);
  ASSERT_EQ(f.conditions_size(), 3);
  EXPECT_EQ(f.conditions(0).condition(), v1::OVERCROWDING);
  EXPECT_EQ(f.conditions(0).severity(), v1::SEVERE);
  EXPECT_EQ(f.conditions(1).condition(), v1::WATER);
  EXPECT_EQ(f.conditions(1).severity(), v1::SERIOUS);
  EXPECT_EQ(f.conditions(2).condition(), v1::LOCKED_IN);
  EXPECT_EQ(f.conditions(2).severity(), v1::SERIOUS);
  EXPECT_EQ(t.interview_language(), "ar");
  EXPECT_EQ(t.interpreter_present(), v1::YES);
  EXPECT_FALSE(t.has_identity());
  EXPECT_EQ(t.narrative(), "Forty people in one room.");
  EXPECT_NE(run.output.find("1 HR-DET-01"), std::string::npos);
  EXPECT_NE(run.output.find("2 BA-REC-02"), std::string::npos);
  EXPECT_NE(run.output.find("before the first day"), std::string::npos);
  EXPECT_EQ(Count(run.output, "! "), 1) << run.output;

  // A facility can be chosen by its number or name too; one not in the list is refused.
  std::vector<std::string> answers = FacilityAnswers();
  answers[0] = "example reception camp";
  answers.insert(answers.begin(), {"7", "XX-1"});
  run = Prompt(v1::FACILITY, answers, nullptr, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->facility().facility_id(), "BA-REC-02");
  EXPECT_EQ(Count(run.output, "is not in the registry"), 2);

  // A facility visit: the severity and the language may stay unknown.
  answers = FacilityAnswers();
  answers[1] = "visit";
  answers[7] = "";  // severity of water: not given
  // A visit is not asked about holding and removal.
  answers.erase(answers.begin() + 8, answers.begin() + 8 + kHoldingQuestions);
  answers[8] = "";  // language: skipped
  run = Prompt(v1::FACILITY, answers, nullptr, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->facility().conditions(1).severity(), v1::SEVERITY_UNSPECIFIED);
  EXPECT_EQ(run.result->interview_language(), "");
}

TEST(PromptsTest, EmptyRegistryStopsBeforeAnyQuestion) {
  Session run = Prompt(v1::FACILITY, FacilityAnswers(), nullptr, {});
  EXPECT_FALSE(run.result.has_value());
  EXPECT_EQ(run.full.outcome, InterviewOutcome::kNoRegistry);
  EXPECT_NE(run.output.find("tvault facility add"), std::string::npos);
  EXPECT_EQ(run.output.find("Facility"), std::string::npos);
}

// A stored testimony as `tvault edit` would pass it.
v1::Testimony StoredPushback() {
  Session run = Prompt(v1::PUSHBACK, PushbackAnswers());
  v1::Testimony t = *run.result;
  t.set_id("0123456789abcdef0123456789abcdef");
  t.set_schema_version(1);
  t.set_monitor_id("falcon");
  t.mutable_recorded_at()->set_seconds(1717000000);
  t.clear_identity();
  t.set_sealed_identity("sealed-bytes");
  t.mutable_pushback()->add_ages()->set_band(v1::AGE_18_25);
  t.mutable_pushback()->mutable_perpetrators(0)->set_unit_as_seen("green uniforms");
  return t;
}

// The questions StoredPushback() asks before "Replace the sealed identity?".
constexpr size_t kStoredQuestions = 30;

// The answers that keep everything of StoredPushback(): Enter at every question, "." to keep
// the narrative, Enter to save.
std::vector<std::string> KeepAllAnswers() {
  std::vector<std::string> answers(kStoredQuestions + 1, "");
  answers.insert(answers.end(), {".", ""});
  return answers;
}

TEST(PromptsTest, EditKeepsCurrentValuesOnEmptyAnswers) {
  const v1::Testimony current = StoredPushback();
  Session run = Prompt(v1::PUSHBACK, KeepAllAnswers(), &current);
  ASSERT_TRUE(run.result.has_value()) << run.output;

  v1::Testimony expected = current;
  expected.clear_id();
  expected.clear_schema_version();
  expected.clear_monitor_id();
  expected.clear_recorded_at();
  expected.clear_sealed_identity();
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(expected, *run.result)) << diff;
  EXPECT_FALSE(run.result->has_identity());  // The caller keeps the sealed identity.

  EXPECT_NE(run.output.find("Date of the pushback [2024-03-10]"), std::string::npos);
  EXPECT_NE(run.output.find("Nationalities and how many of each [AF:5, PK:3, SY]"),
            std::string::npos);
  EXPECT_NE(run.output.find("Minors in the group? yes/no/unknown [yes]"), std::string::npos);
  EXPECT_NE(run.output.find("[beating, kicking, pepper spray]"), std::string::npos);
  EXPECT_NE(run.output.find("Replace the sealed identity?"), std::string::npos);
  EXPECT_EQ(run.output.find("sealed-bytes"), std::string::npos);
  EXPECT_EQ(run.output.find("! "), std::string::npos) << run.output;
}

TEST(PromptsTest, EditKeepsSealedIdentityWhenNothingNewIsTyped) {
  const v1::Testimony current = StoredPushback();
  std::vector<std::string> answers = KeepAllAnswers();
  answers[kStoredQuestions] = "y";  // replace the identity, but then type nothing
  answers.insert(answers.begin() + kStoredQuestions + 1, {"", "", "", ""});
  Session run = Prompt(v1::PUSHBACK, answers, &current);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_FALSE(run.result->has_identity());
  EXPECT_NE(run.output.find("nothing was typed: the sealed one is kept"), std::string::npos);
}

TEST(PromptsTest, EditChangesSomeValuesAndNeverShowsIdentity) {
  v1::Testimony current = StoredPushback();
  // Even if a plaintext identity were passed in, it is neither shown nor kept.
  current.mutable_identity()->set_name("Secret Person");
  current.mutable_identity()->set_phone("+000111222");

  std::vector<std::string> answers(kStoredQuestions, "");
  answers[4] = "-";   // municipality: cleared
  answers[10] = "4";  // group size: 4, so the kept 3 minors are fine but not AF:5
  answers.insert(answers.begin() + 16, "AF:2, PK:1");  // kept AF:5, PK:3 refused, then this
  answers.insert(answers.end(), {"y", "New Name", "", "", "", "A new narrative.", ".", ""});

  Session run = Prompt(v1::PUSHBACK, answers, &current);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  const v1::Testimony& t = *run.result;
  EXPECT_EQ(t.pushback().location().municipality(), "");
  EXPECT_EQ(t.pushback().group_size(), 4u);
  EXPECT_EQ(t.pushback().minors_count(), 3u);
  ASSERT_EQ(t.pushback().nationalities_size(), 2);
  EXPECT_EQ(t.pushback().nationalities(0).count(), 2u);
  EXPECT_EQ(t.pushback().incident_date(), "2024-03-10");
  EXPECT_EQ(t.pushback().perpetrators(0).unit_as_seen(), "green uniforms");
  EXPECT_EQ(t.pushback().ages_size(), 1);
  ASSERT_TRUE(t.has_identity());
  EXPECT_EQ(t.identity().name(), "New Name");
  EXPECT_EQ(t.identity().phone(), "");
  EXPECT_EQ(t.narrative(), "A new narrative.");
  EXPECT_EQ(t.sealed_identity(), "");

  EXPECT_NE(run.output.find("more than the group size (4)"), std::string::npos);
  EXPECT_NE(run.output.find("We crossed at night."), std::string::npos);  // Current narrative.
  EXPECT_EQ(run.output.find("Secret Person"), std::string::npos);
  EXPECT_EQ(run.output.find("000111222"), std::string::npos);
  EXPECT_EQ(run.output.find("New Name"), std::string::npos);
}

TEST(PromptsTest, EditFacilityKeepsValues) {
  Session first = Prompt(v1::FACILITY, FacilityAnswers(), nullptr, Registry());
  ASSERT_TRUE(first.result.has_value());
  v1::Testimony current = *first.result;
  current.clear_identity();
  // Facility, stay, first day, last day, people, conditions, the questions about holding and
  // removal, language, interpreter, then no sealed identity (so the four identity questions),
  // the narrative kept, and save.
  std::vector<std::string> answers(12 + kHoldingQuestions, "");
  answers.insert(answers.end(), {".", ""});
  Session run = Prompt(v1::FACILITY, answers, &current, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(current, *run.result))
      << run.output;
  EXPECT_NE(run.output.find("Facility [HR-DET-01]"), std::string::npos);
  EXPECT_NE(run.output.find("[overcrowding:severe, water:serious, locked in:serious]"),
            std::string::npos);
}

// Editing a stay with every answer about holding and removal (issue 20) given: each is shown
// in [brackets] and kept on Enter, a range of days and a denied safeguard's severity included.
TEST(PromptsTest, EditKeepsTheAnswersAboutHoldingAndRemoval) {
  Session first = Prompt(v1::FACILITY, FacilityAnswers(), nullptr, Registry());
  ASSERT_TRUE(first.result.has_value()) << first.output;
  v1::Testimony current = *first.result;
  current.clear_identity();
  v1::FacilityConditions* f = current.mutable_facility();
  f->set_arrival(v1::TRANSFERRED_FROM_STATE);
  f->set_transferred_from("GB");
  f->mutable_stay_length()->mutable_range()->set_min_days(10);
  f->mutable_stay_length()->mutable_range()->set_max_days(14);
  v1::SafeguardReport* lawyer = f->add_safeguards();
  lawyer->set_safeguard(v1::LAWYER_ACCESS);
  lawyer->set_provided(v1::NO);
  lawyer->set_severity(v1::SEVERE);
  v1::SafeguardReport* family = f->add_safeguards();
  family->set_safeguard(v1::FAMILY_CONTACT);
  family->set_provided(v1::YES);
  f->set_onward_removal(v1::ONWARD_REMOVAL_CARRIED_OUT);
  f->set_onward_removal_to("AF");
  // Six facility questions; arrival, the state that sent them, days, five safeguards (the
  // lawyer's with its severity), onward removal and where to; language, interpreter; four
  // identity questions; the narrative kept, and save.
  std::vector<std::string> answers(6 + 11 + 2 + 4, "");
  answers.insert(answers.end(), {".", ""});
  Session run = Prompt(v1::FACILITY, answers, &current, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(current, *run.result))
      << run.output;
  for (const char* shown : {"How did the person come to be held there? [transferred]",
                            "Which state sent them there? [GB United Kingdom]",
                            "How many days held there [10-14]",
                            "Safeguard: able to see a lawyer? yes/no/unknown [no]",
                            "How serious was its denial? [severe]",
                            "Removal to another country from there? [carried out]",
                            "To which country? [AF Afghanistan]"}) {
    EXPECT_NE(run.output.find(shown), std::string::npos) << shown << "\n" << run.output;
  }
}

}  // namespace
}  // namespace tvault::cli::testing
