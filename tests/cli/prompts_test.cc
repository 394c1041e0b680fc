// Tests of the guided interview of a new pushback (cli/prompts.h), driven through string
// streams: back, review, Ctrl-C and drafts, re-asking, dates, countries and languages.
#include "cli/prompts_fixture.h"

namespace tvault::cli::testing {
namespace {

namespace v1 = ::tvault::v1;

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
  EXPECT_NE(run.output.find("-- Identity (sealed to the organisation key; this device cannot "
                            "read it back) --"),
            std::string::npos);
  EXPECT_NE(run.output.find("-- Review: every answer before saving --"), std::string::npos);
  EXPECT_NE(run.output.find("Name: typed (not shown)"), std::string::npos);
  EXPECT_NE(run.output.find("only \".\""), std::string::npos);
  EXPECT_NE(run.output.find("(Enter to skip)"), std::string::npos);
  EXPECT_NE(run.output.find("yes/no/unknown"), std::string::npos);
  EXPECT_NE(run.output.find("1 beating"), std::string::npos);
  EXPECT_NE(run.output.find("Country of the border police [HR Croatia]"), std::string::npos);
  EXPECT_EQ(run.output.find("Ahmad"), std::string::npos);
  EXPECT_EQ(run.output.find("38761000000"), std::string::npos);
  EXPECT_EQ(run.output.find("1990-01-02"), std::string::npos);
  EXPECT_EQ(run.output.find("! "), std::string::npos) << run.output;
}

TEST(PromptsTest, InvalidAnswersAreReaskedThenAccepted) {
  std::vector<std::string> answers = PushbackAnswers();
  // Date of the pushback: not a date, then in the future, then fine.
  answers.insert(answers.begin() + 1, {"10/03/2024", "2030-01-01"});
  // Country where it happened (now index 5): no such country, then fine.
  answers.insert(answers.begin() + 5, "ZZ");
  // Pushed to (now index 11): the same as pushed from.
  answers.insert(answers.begin() + 11, "HR");
  // Minors (now index 16): more than the group of 12, then not a number.
  answers.insert(answers.begin() + 16, {"20", "three"});
  // Nationalities (now index 21): adding up to more than the group.
  answers.insert(answers.begin() + 21, "AF:10, PK:3");
  // Violence (now index 23): "no violence" together with beating, then out of range.
  answers.insert(answers.begin() + 23, {"1, 18", "99"});

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
  EXPECT_NE(run.output.find("! Not a date: write it as YYYY-MM-DD, e.g. 2024-03-15."),
            std::string::npos);
  EXPECT_NE(run.output.find("! This date is after today (2024-06-01)"), std::string::npos);
  EXPECT_NE(run.output.find("\"ZZ\" is not a country we know"), std::string::npos);
  EXPECT_NE(run.output.find("must differ from the country they were pushed from"),
            std::string::npos);
  EXPECT_NE(run.output.find("more than the group (12)"), std::string::npos);
  EXPECT_NE(run.output.find("\"three\" is not a number: type digits, e.g. 12 or \"about 15\""),
            std::string::npos);
  EXPECT_NE(run.output.find("more than the group size (12)"), std::string::npos);
  EXPECT_NE(run.output.find("cannot be combined"), std::string::npos);
  // Each refused question is asked again.
  EXPECT_EQ(Count(run.output, "Date of the pushback"), 3);
  EXPECT_EQ(Count(run.output, "How many minors, if known"), 3);
}

TEST(PromptsTest, InvalidAnswersAreAskedAgainWithoutLimit) {
  std::vector<std::string> answers = PushbackAnswers();
  answers.insert(answers.begin() + 1, 25, "not a date");
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().incident_date(), "2024-03-10");
  EXPECT_EQ(Count(run.output, "! Not a date"), 25);
  EXPECT_EQ(run.output.find("too many"), std::string::npos);
}

TEST(PromptsTest, BackReturnsToThePreviousAnswer) {
  std::vector<std::string> answers = PushbackAnswers();
  // "<" at the first question stays there; at the time of day, back to the date, changed.
  answers.insert(answers.begin(), "<");
  answers.insert(answers.begin() + 3, {"back", "2024-03-11"});
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().incident_date(), "2024-03-11");
  EXPECT_NE(run.output.find("This is the first question."), std::string::npos);
  EXPECT_NE(run.output.find("Date of the pushback [2024-03-10]"), std::string::npos);

  // Back from a question that depends on an answer: minors "no" then skips the count.
  answers = PushbackAnswers();
  answers.insert(answers.begin() + 13, {"<", "<", "n"});  // at women: back to count, to minors
  run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().minors_involved(), v1::NO);
  EXPECT_EQ(run.result->pushback().minors_count(), 0u) << "a count of minors was dropped";
}

TEST(PromptsTest, ReviewChangesAnAnswerBeforeSaving) {
  std::vector<std::string> answers = PushbackAnswers();
  answers.back() = "5";  // at the review: change the municipality (question 5)
  answers.insert(answers.end(), {"Glina", "xyz", "", ""});
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().location().municipality(), "Glina");
  EXPECT_EQ(Count(run.output, "-- Review: every answer before saving --"), 2);
  EXPECT_NE(run.output.find("  5  Municipality or place: Glina"), std::string::npos);
  EXPECT_NE(run.output.find("Type Enter to save, a number from 1 to"), std::string::npos);

  // A cross-field problem shows at the review and blocks saving until fixed: the group is
  // made smaller than the minors and nationalities kept, which are then changed.
  answers = PushbackAnswers();
  answers.back() = "11";  // group size
  answers.insert(answers.end(), {"2", "", "13", "2", "16", "AF:1, PK:1", ""});
  run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_NE(run.output.find("! More minors than people in the group (2)."), std::string::npos);
  EXPECT_NE(run.output.find("Fix the answers marked ! first"), std::string::npos);
  EXPECT_EQ(run.result->pushback().minors_count(), 2u);
}

TEST(PromptsTest, CtrlCOffersADraftWhichResumesWhereItStopped) {
  std::vector<std::string> all = PushbackAnswers();
  std::vector<std::string> answers(all.begin(), all.begin() + 10);
  answers.push_back("");  // keep a draft (Enter: yes)
  Session run = Prompt(v1::PUSHBACK, answers, nullptr, {}, /*interrupt_at=*/10);
  EXPECT_EQ(run.full.outcome, InterviewOutcome::kKeepDraft) << run.output;
  // The step is the index of the group-size question in the list of questions: the eleventh
  // asked, after two that a pushback across a border is not asked ("What happened" and the
  // facility of a removal from an informal site, issue 20).
  EXPECT_EQ(run.full.step, 12u);
  EXPECT_EQ(run.full.testimony.pushback().pushed_to(), "BA");
  EXPECT_NE(run.output.find("Keep the answers so far as a draft"), std::string::npos);

  v1::Testimony draft = run.full.testimony;
  Session resumed = Prompt(v1::PUSHBACK, std::vector<std::string>(all.begin() + 10, all.end()),
                           &draft, {}, -1, run.full.step);
  ASSERT_TRUE(resumed.result.has_value()) << resumed.output;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      *resumed.result, *Prompt(v1::PUSHBACK, all).result));

  // "draft" at the review keeps a draft that resumes at the review.
  std::vector<std::string> at_review = all;
  at_review.back() = "draft";
  run = Prompt(v1::PUSHBACK, at_review);
  EXPECT_EQ(run.full.outcome, InterviewOutcome::kKeepDraft) << run.output;
  draft = run.full.testimony;
  resumed = Prompt(v1::PUSHBACK, {""}, &draft, {}, -1, run.full.step);
  ASSERT_TRUE(resumed.result.has_value()) << resumed.output;
  EXPECT_EQ(resumed.output.find("Date of the pushback"), std::string::npos);

  // "n" keeps nothing; "<" goes on with the interview.
  answers.back() = "n";
  run = Prompt(v1::PUSHBACK, answers, nullptr, {}, 10);
  EXPECT_EQ(run.full.outcome, InterviewOutcome::kDiscard);
  answers = std::vector<std::string>(all.begin(), all.begin() + 10);
  answers.push_back("<");
  answers.insert(answers.end(), all.begin() + 10, all.end());
  run = Prompt(v1::PUSHBACK, answers, nullptr, {}, 10);
  ASSERT_TRUE(run.result.has_value()) << run.output;
}

TEST(PromptsTest, DatesAskPrecisionFirstAndMonthsAreMonths) {
  std::vector<std::string> answers = PushbackAnswers();
  answers[0] = "month";
  answers[1] = "2024-03";
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().date_precision(), v1::MONTH);
  EXPECT_EQ(run.result->pushback().incident_date(), "2024-03-01");
  EXPECT_NE(run.output.find("Month of the pushback (YYYY-MM, e.g. 2024-03)"), std::string::npos);
  EXPECT_NE(run.output.find("Date: 2024-03\n"), std::string::npos);
  answers[0] = "approximate";
  answers[1] = "2024-03-12";
  run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_EQ(run.result->pushback().date_precision(), v1::WEEK);
}

TEST(PromptsTest, CountriesAndLanguagesByName) {
  std::vector<std::string> answers = PushbackAnswers();
  answers[3] = "Croatia";
  answers[8] = "bosnia";
  answers[28] = "Far";  // refused with suggestions
  answers.insert(answers.begin() + 29, "Farsi");
  answers[15] = "Afghanistan:5, PK:3, Syria";
  answers.insert(answers.begin() + 7, "Croatiaa");  // a near miss for pushed from
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  const v1::Testimony& t = *run.result;
  EXPECT_EQ(t.pushback().location().country(), "HR");
  EXPECT_EQ(t.pushback().pushed_to(), "BA");
  EXPECT_EQ(t.pushback().nationalities(2).country(), "SY");
  EXPECT_EQ(t.interview_language(), "fa");
  EXPECT_NE(run.output.find("\"Far\" is not a language we know"), std::string::npos);
  EXPECT_NE(run.output.find("did you mean fa (Persian"), std::string::npos);
  EXPECT_NE(run.output.find("\"Croatiaa\" is not a country we know"), std::string::npos);
  EXPECT_NE(run.output.find("HR (Croatia)"), std::string::npos);
}

TEST(PromptsTest, OptionalAnswersAndEstimates) {
  std::vector<std::string> answers = PushbackAnswers();
  answers[10] = "about 15";       // group size as an estimate (after "unknown", refused)
  answers[13] = "";               // women: skipped
  answers[14] = "24, 17, 0-13";   // ages
  answers[6] = "45.1, 15.2";      // GPS
  answers[19] = "green uniforms"; // unit as seen
  answers[28] = "unknown";        // language
  answers[29] = "";               // interpreter: skipped
  answers.insert(answers.begin() + 10, "unknown");
  Session run = Prompt(v1::PUSHBACK, answers);
  ASSERT_TRUE(run.result.has_value()) << run.output;
  EXPECT_NE(run.output.find("give your best estimate"), std::string::npos);
  const v1::Testimony& t = *run.result;
  EXPECT_EQ(t.pushback().group_size(), 15u);
  EXPECT_EQ(t.pushback().women_involved(), v1::TRI_STATE_UNSPECIFIED);
  ASSERT_EQ(t.pushback().ages_size(), 3);
  EXPECT_EQ(t.pushback().ages(0).years(), 24u);
  EXPECT_EQ(t.pushback().ages(2).band(), v1::AGE_0_13);
  EXPECT_DOUBLE_EQ(t.pushback().location().gps().latitude(), 45.1);
  EXPECT_EQ(t.pushback().perpetrators(0).unit_as_seen(), "green uniforms");
  EXPECT_EQ(t.interview_language(), "und");
  EXPECT_EQ(t.interpreter_present(), v1::TRI_STATE_UNSPECIFIED);
}

TEST(PromptsTest, EndOfInputReturnsNothing) {
  const std::vector<std::string> all = PushbackAnswers();
  // Input ending after any number of answers, even inside the narrative or at the review,
  // gives nothing (input that is not a terminal: a script that ended).
  for (size_t n : {size_t{0}, size_t{1}, size_t{10}, size_t{27}, all.size() - 2, all.size() - 1}) {
    std::vector<std::string> answers(all.begin(), all.begin() + n);
    Session run = Prompt(v1::PUSHBACK, answers);
    EXPECT_FALSE(run.result.has_value()) << "after " << n << " answers";
    EXPECT_EQ(run.full.outcome, InterviewOutcome::kDiscard);
  }
  // A last line without a newline is still an answer.
  std::istringstream in("1\n2024-03-10");
  std::ostringstream out;
  InterviewStart start;
  start.testimony.set_kind(v1::PUSHBACK);
  EXPECT_EQ(RunInterview(start, {}, kToday, in, out).outcome, InterviewOutcome::kDiscard);
  EXPECT_NE(out.str().find("Time of day"), std::string::npos);
}

}  // namespace
}  // namespace tvault::cli::testing
