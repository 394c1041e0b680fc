// Tests of the guided interview (cli/prompts.h), driven through string streams.
#include "prompts.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace tvault::cli {
namespace {

namespace v1 = ::tvault::v1;

constexpr char kToday[] = "2024-06-01";

// Joins answer lines, each ended by a newline, as a user would type them.
std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& line : lines) s += line + "\n";
  return s;
}

struct Session {
  std::optional<v1::Testimony> result;
  std::string output;
};

Session Prompt(v1::Kind kind, const std::vector<std::string>& answers,
               const v1::Testimony* current = nullptr,
               const std::vector<v1::Facility>& facilities = {}) {
  std::istringstream in(Lines(answers));
  std::ostringstream out;
  Session run;
  run.result = PromptTestimony(kind, current, facilities, kToday, in, out);
  run.output = out.str();
  return run;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The answers of a complete pushback interview, in the order the questions come.
std::vector<std::string> PushbackAnswers() {
  return {
      "2024-03-10",            // date of the pushback
      "1",                     // how exact: day
      "night",                 // time of day
      "hr",                    // country where it happened
      "Cetingrad",             // municipality
      "",                      // border-segment code: skipped
      "hr",                    // pushed from
      "BA",                    // pushed to
      "si, hr, ba",            // chain
      "12",                    // group size
      "y",                     // minors
      "3",                     // how many minors
      "u",                     // women
      "af:5, PK:3, SY",        // nationalities
      "1, 2, 7",               // violence: beating, kicking, pepper spray
      "1,4",                   // perpetrators: border police, military
      "",                      // country of border police: defaults to pushed from
      "ba",                    // country of military
      "yes",                   // asylum asked
      "y",                     // ignored
      "n",                     // detained
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
  };
}

TEST(PromptsTest, FullPushbackInterview) {
  Session run = Prompt(v1::PUSHBACK, PushbackAnswers());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  const v1::Testimony& t = *run.result;
  EXPECT_EQ(t.kind(), v1::PUSHBACK);
  ASSERT_TRUE(t.has_pushback());
  const v1::Pushback& p = t.pushback();
  EXPECT_EQ(p.incident_date(), "2024-03-10");
  EXPECT_EQ(p.date_precision(), v1::DAY);
  EXPECT_EQ(p.time_of_day(), v1::NIGHT);
  EXPECT_EQ(p.location().country(), "HR");
  EXPECT_EQ(p.location().municipality(), "Cetingrad");
  EXPECT_EQ(p.location().border_segment(), "");
  EXPECT_EQ(p.pushed_from(), "HR");
  EXPECT_EQ(p.pushed_to(), "BA");
  ASSERT_EQ(p.chain_countries_size(), 3);
  EXPECT_EQ(p.chain_countries(0), "SI");
  EXPECT_EQ(p.chain_countries(2), "BA");
  EXPECT_EQ(p.group_size(), 12u);
  EXPECT_EQ(p.minors_involved(), v1::YES);
  EXPECT_EQ(p.minors_count(), 3u);
  EXPECT_EQ(p.women_involved(), v1::UNKNOWN);
  EXPECT_EQ(p.women_count(), 0u);
  ASSERT_EQ(p.nationalities_size(), 3);
  EXPECT_EQ(p.nationalities(0).country(), "AF");
  EXPECT_EQ(p.nationalities(0).count(), 5u);
  EXPECT_EQ(p.nationalities(1).country(), "PK");
  EXPECT_EQ(p.nationalities(1).count(), 3u);
  EXPECT_EQ(p.nationalities(2).country(), "SY");
  EXPECT_EQ(p.nationalities(2).count(), 0u);  // Some, number unknown.
  ASSERT_EQ(p.violence_size(), 3);
  EXPECT_EQ(p.violence(0), v1::BEATING);
  EXPECT_EQ(p.violence(1), v1::KICKING);
  EXPECT_EQ(p.violence(2), v1::PEPPER_SPRAY);
  ASSERT_EQ(p.perpetrators_size(), 2);
  EXPECT_EQ(p.perpetrators(0).type(), v1::BORDER_POLICE);
  EXPECT_EQ(p.perpetrators(0).country(), "HR");
  EXPECT_EQ(p.perpetrators(1).type(), v1::MILITARY);
  EXPECT_EQ(p.perpetrators(1).country(), "BA");
  EXPECT_EQ(p.asylum_intention_expressed(), v1::YES);
  EXPECT_EQ(p.asylum_request_ignored(), v1::YES);
  EXPECT_EQ(p.detention().detained(), v1::NO);
  EXPECT_EQ(p.medical().injuries(), v1::YES);
  EXPECT_EQ(p.medical().treatment_needed(), v1::UNKNOWN);
  EXPECT_EQ(p.medical().description(), "Bruises on the back");
  EXPECT_EQ(t.interview_language(), "ps");
  EXPECT_EQ(t.interpreter_present(), v1::NO);
  ASSERT_TRUE(t.has_identity());
  EXPECT_EQ(t.identity().name(), "Ahmad Example");
  EXPECT_EQ(t.identity().phone(), "+38761000000");
  EXPECT_EQ(t.identity().contact(), "");
  EXPECT_EQ(t.identity().date_of_birth(), "1990-01-02");
  EXPECT_EQ(t.narrative(), "We crossed at night.\n\nThey took our phones.");

  // The store and the CLI set these.
  EXPECT_EQ(t.id(), "");
  EXPECT_EQ(t.schema_version(), 0u);
  EXPECT_EQ(t.monitor_id(), "");
  EXPECT_FALSE(t.has_recorded_at());
  EXPECT_EQ(t.sealed_identity(), "");

  // The questions say what the user must know, and identity is never printed back.
  EXPECT_NE(run.output.find("Identity is sealed to the organisation key; this device cannot "
                            "read it back."),
            std::string::npos);
  EXPECT_NE(run.output.find("only \".\""), std::string::npos);
  EXPECT_NE(run.output.find("(Enter to skip)"), std::string::npos);
  EXPECT_NE(run.output.find("yes/no/unknown"), std::string::npos);
  EXPECT_NE(run.output.find("1 beating"), std::string::npos);
  EXPECT_NE(run.output.find("Country of the border police [HR]"), std::string::npos);
  EXPECT_EQ(run.output.find("Ahmad"), std::string::npos);
  EXPECT_EQ(run.output.find("38761000000"), std::string::npos);
  EXPECT_EQ(run.output.find("1990-01-02"), std::string::npos);
  EXPECT_EQ(run.output.find("! "), std::string::npos) << run.output;
}

TEST(PromptsTest, InvalidAnswersAreReaskedThenAccepted) {
  std::vector<std::string> answers = PushbackAnswers();
  // Date of the pushback: not a date, then in the future, then fine.
  answers.insert(answers.begin(), {"10/03/2024", "2030-01-01"});
  // Country where it happened (now index 5): not a code, then fine.
  answers.insert(answers.begin() + 5, "ZZ");
  // Pushed to (now index 10): the same as pushed from.
  answers.insert(answers.begin() + 10, "HR");
  // Minors (now index 15): more than the group of 12, then not a number.
  answers.insert(answers.begin() + 15, {"20", "three"});
  // Nationalities (now index 19): adding up to more than the group.
  answers.insert(answers.begin() + 19, "AF:10, PK:3");
  // Violence (now index 21): "no violence" together with beating, then out of range.
  answers.insert(answers.begin() + 21, {"1, 18", "99"});

  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  const v1::Pushback& p = run.result->pushback();
  EXPECT_EQ(p.incident_date(), "2024-03-10");
  EXPECT_EQ(p.location().country(), "HR");
  EXPECT_EQ(p.pushed_to(), "BA");
  EXPECT_EQ(p.minors_count(), 3u);
  EXPECT_EQ(p.nationalities_size(), 3);
  EXPECT_EQ(p.violence_size(), 3);

  EXPECT_EQ(Count(run.output, "! "), 9) << run.output;
  EXPECT_NE(run.output.find("! Not a date"), std::string::npos);
  EXPECT_NE(run.output.find("! This date is after today (2024-06-01)"), std::string::npos);
  EXPECT_NE(run.output.find("\"ZZ\" is not a country code"), std::string::npos);
  EXPECT_NE(run.output.find("must differ from the country they were pushed from"),
            std::string::npos);
  EXPECT_NE(run.output.find("More minors than people in the group (12)"), std::string::npos);
  EXPECT_NE(run.output.find("more than the group size (12)"), std::string::npos);
  EXPECT_NE(run.output.find("cannot be combined"), std::string::npos);
  // Each refused question is asked again.
  EXPECT_EQ(Count(run.output, "Date of the pushback"), 3);
  EXPECT_EQ(Count(run.output, "How many minors"), 3);
}

TEST(PromptsTest, GivesUpAfterTooManyInvalidAnswers) {
  std::vector<std::string> answers(1 + kMaxReasks, "not a date");
  answers.push_back("2024-03-10");
  Session run = Prompt(v1::PUSHBACK, answers);
  EXPECT_FALSE(run.result.has_value());
  EXPECT_NE(run.output.find("too many invalid answers"), std::string::npos);
  EXPECT_EQ(Count(run.output, "Date of the pushback"), 1 + kMaxReasks);

  // One answer fewer is still accepted on the last re-ask.
  answers = PushbackAnswers();
  answers.insert(answers.begin(), kMaxReasks, "not a date");
  run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().incident_date(), "2024-03-10");
}

TEST(PromptsTest, EndOfInputReturnsNothing) {
  const std::vector<std::string> all = PushbackAnswers();
  // Input ending after any number of answers, even inside the narrative, gives nothing.
  for (size_t n : {size_t{0}, size_t{1}, size_t{10}, size_t{27}, all.size() - 1}) {
    std::vector<std::string> answers(all.begin(), all.begin() + n);
    Session run = Prompt(v1::PUSHBACK, answers);
    EXPECT_FALSE(run.result.has_value()) << "after " << n << " answers";
  }
  // A last line without a newline is still an answer.
  std::istringstream in("2024-03-10");
  std::ostringstream out;
  EXPECT_FALSE(PromptTestimony(v1::PUSHBACK, nullptr, {}, kToday, in, out).has_value());
  EXPECT_NE(out.str().find("How exact is the date?"), std::string::npos);
}

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
      "ar",                            // language
      "y",                             // interpreter
      "",
      "",
      "",
      "",                           // identity: all skipped
      "Forty people in one room.",  // narrative
      ".",
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

  // A facility can be chosen by its number too; one not in the list is refused.
  std::vector<std::string> answers = FacilityAnswers();
  answers[0] = "2";
  answers.insert(answers.begin(), {"7", "XX-1"});
  run = Prompt(v1::FACILITY, answers, nullptr, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->facility().facility_id(), "BA-REC-02");
  EXPECT_EQ(Count(run.output, "is not in the registry"), 2);
}

TEST(PromptsTest, EmptyRegistryStopsBeforeAnyQuestion) {
  Session run = Prompt(v1::FACILITY, FacilityAnswers(), nullptr, {});
  EXPECT_FALSE(run.result.has_value());
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
  // Not asked about: kept as it is.
  t.mutable_pushback()->add_ages()->set_band(v1::AGE_18_25);
  t.mutable_pushback()->mutable_perpetrators(0)->set_unit_as_seen("green uniforms");
  return t;
}

// The answers that keep everything of StoredPushback(): Enter at every question.
std::vector<std::string> KeepAllAnswers() {
  // 24 pushback questions, language, interpreter, "replace the identity?", then the
  // narrative ended at once.
  std::vector<std::string> answers(27, "");
  answers.push_back(".");
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
  answers[26] = "y";  // replace the identity, but then type nothing
  answers.insert(answers.begin() + 27, {"", "", "", ""});
  Session run = Prompt(v1::PUSHBACK, answers, &current);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_FALSE(run.result->has_identity());
  EXPECT_NE(run.output.find("the sealed identity is kept"), std::string::npos);
}

TEST(PromptsTest, EditChangesSomeValuesAndNeverShowsIdentity) {
  v1::Testimony current = StoredPushback();
  // Even if a plaintext identity were passed in, it is neither shown nor kept.
  current.mutable_identity()->set_name("Secret Person");
  current.mutable_identity()->set_phone("+000111222");

  std::vector<std::string> answers = KeepAllAnswers();
  answers[4] = "-";  // municipality: cleared
  answers[9] = "4";  // group size: 4, so the kept 3 minors are fine but not AF:5
  answers.insert(answers.begin() + 14, "AF:2, PK:1");  // kept AF:5, PK:3 refused, then this
  answers[27] = "y";                                   // replace the identity
  answers.insert(answers.begin() + 28, {"New Name", "", "", ""});
  answers.back() = "A new narrative.";
  answers.push_back(".");

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
  // Facility, stay, first day, last day, people, conditions, language, interpreter, then no
  // sealed identity (so the four identity questions), then the narrative kept.
  std::vector<std::string> answers(12, "");
  answers.push_back(".");
  Session run = Prompt(v1::FACILITY, answers, &current, Registry());
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(current, *run.result))
      << run.output;
  EXPECT_NE(run.output.find("Facility [HR-DET-01]"), std::string::npos);
  EXPECT_NE(run.output.find("[overcrowding:severe, water:serious, locked in:serious]"),
            std::string::npos);
}

}  // namespace
}  // namespace tvault::cli
