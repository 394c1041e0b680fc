// The guided prompts of `tvault add` and `tvault drafts` driven through a real terminal (a
// pty): the test waits for each question and types the answer, Ctrl-C or Ctrl-D, as a monitor
// would. Each test ends by reading the stored record back and comparing it field by field.
#include <google/protobuf/util/message_differencer.h>

#include "cli/cli_fixture.h"
#include "cli/pty_session.h"

namespace tvault::testing {
namespace {

namespace v1 = ::tvault::v1;

struct Step {
  std::string question;  // a part of the question's text
  std::string answer;
};

// A whole pushback interview, in the order of the questions. Countries and the language are
// typed as names ("Croatia", "Bosnia", "Farsi"), the group size as an estimate.
std::vector<Step> PushbackSteps() {
  return {
      {"How exact is the date of the pushback?", "day"},
      {"Date of the pushback", "2026-03-10"},
      {"Time of day", "night"},
      {"Country where it happened", "Croatia"},
      {"Municipality or place", "Cetingrad"},
      {"Border-segment code", ""},
      {"GPS position", "45.1234, 15.5678"},
      {"Pushed back from which country?", "hr"},
      {"Pushed back into which country?", "Bosnia"},
      {"Chain pushback", ""},
      {"How many people were pushed back together", "about 15"},
      {"Minors in the group?", "y"},
      {"How many minors, if known", "3"},
      {"Women in the group?", "u"},
      {"Ages of the people in the group", "24, 17, 0-13"},
      {"Nationalities and how many of each", "Afghanistan:5, PK:3"},
      {"Violence", "1, 2"},
      {"Who did it", "1"},
      {"Country of the border police", ""},
      {"Unit as seen", "green uniforms"},
      {"Did they ask for asylum?", "y"},
      {"Was the asylum request ignored?", "y"},
      {"Were they detained before the pushback?", "n"},
      {"Was anyone injured?", "n"},
      {"Language of the interview", "Farsi"},
      {"Was an interpreter present?", "u"},
      {"Name", ""},
      {"Phone", ""},
      {"Other contact", ""},
      {"Date of birth", ""},
      {"then a line containing only", "We crossed at night."},
      {"", "."},
      {"Enter saves", ""},
  };
}

// The record those answers make.
v1::Testimony ExpectedPushback() {
  v1::Testimony t;
  t.set_kind(v1::PUSHBACK);
  t.set_interview_language("fa");
  t.set_interpreter_present(v1::UNKNOWN);
  t.set_narrative("We crossed at night.");
  v1::Pushback* p = t.mutable_pushback();
  p->set_incident_date("2026-03-10");
  p->set_date_precision(v1::DAY);
  p->set_time_of_day(v1::NIGHT);
  p->mutable_location()->set_country("HR");
  p->mutable_location()->set_municipality("Cetingrad");
  p->mutable_location()->mutable_gps()->set_latitude(45.1234);
  p->mutable_location()->mutable_gps()->set_longitude(15.5678);
  p->set_pushed_from("HR");
  p->set_pushed_to("BA");
  p->set_group_size(15);
  p->set_minors_involved(v1::YES);
  p->set_minors_count(3);
  p->set_women_involved(v1::UNKNOWN);
  p->add_ages()->set_years(24);
  p->add_ages()->set_years(17);
  p->add_ages()->set_band(v1::AGE_0_13);
  v1::NationalityCount* n = p->add_nationalities();
  n->set_country("AF");
  n->set_count(5);
  n = p->add_nationalities();
  n->set_country("PK");
  n->set_count(3);
  p->add_violence(v1::BEATING);
  p->add_violence(v1::KICKING);
  v1::Perpetrator* who = p->add_perpetrators();
  who->set_type(v1::BORDER_POLICE);
  who->set_country("HR");
  who->set_unit_as_seen("green uniforms");
  p->set_asylum_intention_expressed(v1::YES);
  p->set_asylum_request_ignored(v1::YES);
  p->mutable_detention()->set_detained(v1::NO);
  p->mutable_medical()->set_injuries(v1::NO);
  return t;
}

class GuidedPtyTest : public CliFixture {
 protected:
  std::unique_ptr<PtySession> Start(std::vector<std::string> args,
                                    const std::vector<std::string>& env = {}) {
    args.insert(args.end(), {"--store", store(), "--passphrase-fd", "3"});
    return std::make_unique<PtySession>(args, kPassLine, env);
  }

  // Types `steps` in order; false when a question did not come.
  static bool Drive(PtySession& s, const std::vector<Step>& steps) {
    for (const Step& step : steps) {
      if (!step.question.empty() && !s.Expect(step.question)) return false;
      s.Send(step.answer + "\n");
    }
    return true;
  }

  // The one record of the store, compared field by field with `expected` (the fields the
  // store sets are left out).
  void ExpectStored(const v1::Testimony& expected) {
    std::vector<google::protobuf::Struct> rows = ListJson();
    ASSERT_EQ(rows.size(), 1u);
    v1::Testimony t = ShowJson(Field(rows[0], "id"));
    t.clear_id();
    t.clear_schema_version();
    t.clear_monitor_id();
    t.clear_recorded_at();
    t.clear_sealed_identity();
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(expected, t)) << diff;
  }

  static size_t IndexOf(const std::vector<Step>& steps, const std::string& question) {
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].question == question) return i;
    }
    ADD_FAILURE() << "no step " << question;
    return 0;
  }
};

TEST_F(GuidedPtyTest, NamesAreAcceptedForCountriesAndLanguages) {
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, PushbackSteps()));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  EXPECT_TRUE(Contains(s->output(), "added ")) << s->output();
  // "Croatia" -> HR, "Bosnia" -> BA, "Farsi" -> fa.
  ExpectStored(ExpectedPushback());
}

TEST_F(GuidedPtyTest, GoBackAndChangeAnAnswer) {
  std::vector<Step> steps = PushbackSteps();
  // At the minors question, go back to the group size (shown with its answer) and change it.
  const size_t minors = IndexOf(steps, "Minors in the group?");
  steps.insert(steps.begin() + minors, {{"Minors in the group?", "<"},
                                        {"pushed back together", "back"},
                                        {"Chain pushback", "<"},
                                        {"Pushed back into which country? [BA", "Serbia"},
                                        {"Chain pushback", ""},
                                        {"together (your best estimate, e.g. 12 or \"about 15\")? [15]",
                                         "16"}});
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, steps));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  v1::Testimony expected = ExpectedPushback();
  expected.mutable_pushback()->set_group_size(16);
  expected.mutable_pushback()->set_pushed_to("RS");
  ExpectStored(expected);
}

TEST_F(GuidedPtyTest, ReviewShowsEveryAnswerAndChangesOneBeforeSaving) {
  std::vector<Step> steps = PushbackSteps();
  steps.pop_back();  // the review's Enter comes later
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, steps));
  ASSERT_TRUE(s->Expect("-- Review: every answer before saving --"));
  ASSERT_TRUE(s->Expect("5  Municipality or place: Cetingrad"));
  ASSERT_TRUE(s->Expect("Language of the interview: fa (Persian)"));
  ASSERT_TRUE(s->Expect("Enter saves"));
  EXPECT_TRUE(ListJson().empty()) << "nothing is saved before the review is confirmed";
  s->Send("5\n");
  ASSERT_TRUE(s->Answer("Municipality or place [Cetingrad]", "Glina"));
  ASSERT_TRUE(s->Expect("5  Municipality or place: Glina"));
  ASSERT_TRUE(s->Answer("Enter saves", ""));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  v1::Testimony expected = ExpectedPushback();
  expected.mutable_pushback()->mutable_location()->set_municipality("Glina");
  ExpectStored(expected);
}

TEST_F(GuidedPtyTest, CtrlCKeepsADraftThatIsResumedLater) {
  std::vector<Step> steps = PushbackSteps();
  const size_t group = IndexOf(steps, "How many people were pushed back together");
  {
    auto s = Start({"add", "pushback"});
    ASSERT_TRUE(Drive(*s, std::vector<Step>(steps.begin(), steps.begin() + group)));
    ASSERT_TRUE(s->Expect("How many people were pushed back together"));
    s->CtrlC();
    ASSERT_TRUE(s->Answer("Keep the answers so far as a draft", "y"));
    ASSERT_TRUE(s->Expect("Kept as draft "));
    EXPECT_EQ(s->Wait(), kCancelled) << s->output();
  }
  EXPECT_TRUE(ListJson().empty()) << "a draft is not a testimony";
  RunResult r = TvOk({"drafts", "list"});
  ASSERT_TRUE(Contains(r.out, "1 draft")) << r.out;
  const std::string draft = r.out.substr(0, 8);
  EXPECT_TRUE(Contains(r.out, "pushback  new testimony")) << r.out;

  auto s = Start({"drafts", "resume", draft});
  // It starts where it stopped, with the earlier answers kept behind "<".
  ASSERT_TRUE(s->Expect("Resuming draft " + draft));
  ASSERT_TRUE(Drive(*s, std::vector<Step>(steps.begin() + group, steps.end())));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  EXPECT_FALSE(Contains(s->output(), "Date of the pushback")) << s->output();
  ExpectStored(ExpectedPushback());
  EXPECT_TRUE(Contains(TvOk({"drafts", "list"}).out, "0 drafts"));
}

TEST_F(GuidedPtyTest, CtrlCThenNoKeepsNothing) {
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(s->Answer("How exact is the date", "day"));
  ASSERT_TRUE(s->Expect("Date of the pushback"));
  s->CtrlC();
  ASSERT_TRUE(s->Answer("Keep the answers so far as a draft", "n"));
  EXPECT_EQ(s->Wait(), kCancelled) << s->output();
  EXPECT_TRUE(Contains(s->output(), "nothing was written")) << s->output();
  EXPECT_TRUE(Contains(TvOk({"drafts", "list"}).out, "0 drafts"));
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(GuidedPtyTest, TenInvalidAnswersThenAValidOne) {
  std::vector<Step> steps = PushbackSteps();
  const size_t date = IndexOf(steps, "Date of the pushback");
  std::vector<Step> wrong;
  for (int i = 0; i < 10; ++i) wrong.push_back({"Not a date", "10/03/2026"});
  wrong[0].question = "Date of the pushback";
  steps[date].question = "Not a date: write it as YYYY-MM-DD, e.g. 2024-03-15.";
  steps.insert(steps.begin() + date, wrong.begin(), wrong.end());
  // "Far" is no language: refused with suggestions, then "Farsi".
  const size_t lang = IndexOf(steps, "Language of the interview");
  steps.insert(steps.begin() + lang, Step{"Language of the interview", "Far"});
  steps[lang + 1].question = "did you mean";
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, steps));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  size_t refusals = 0;
  for (size_t at = s->output().find("! Not a date"); at != std::string::npos;
       at = s->output().find("! Not a date", at + 1)) {
    ++refusals;
  }
  EXPECT_EQ(refusals, 10u);
  EXPECT_TRUE(Contains(s->output(), "fa (Persian")) << s->output();
  ExpectStored(ExpectedPushback());
}

TEST_F(GuidedPtyTest, MonthOnlyDate) {
  std::vector<Step> steps = PushbackSteps();
  steps[0].answer = "month";
  steps[1] = {"Month of the pushback (YYYY-MM", "2026-02"};
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, steps));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  v1::Testimony expected = ExpectedPushback();
  expected.mutable_pushback()->set_date_precision(v1::MONTH);
  expected.mutable_pushback()->set_incident_date("2026-02-01");
  ExpectStored(expected);
}

// Drafts live only inside the encrypted store: a draft's answers, identity included, are in
// no file of the store and none in TMPDIR, in any encoding the leak scanner knows.
TEST_F(GuidedPtyTest, DraftsLeaveNoPlaintextOnDisk) {
  TempDir tmp;
  const std::string place = "CanaryPlaceQ7x", unit = "CanaryUnitZ9k", name = "CanaryNameW3m";
  std::vector<Step> steps = PushbackSteps();
  steps[IndexOf(steps, "Municipality or place")].answer = place;
  steps[IndexOf(steps, "Unit as seen")].answer = unit;
  steps[IndexOf(steps, "Name")].answer = name;
  const size_t narrative = IndexOf(steps, "then a line containing only");
  const std::map<std::string, std::string> before = ReadTree(store());
  {
    auto s = Start({"add", "pushback"}, {"TMPDIR=" + tmp.path()});
    ASSERT_TRUE(Drive(*s, std::vector<Step>(steps.begin(), steps.begin() + narrative)));
    ASSERT_TRUE(s->Expect("then a line containing only"));
    s->CtrlC();
    ASSERT_TRUE(s->Answer("Keep the answers so far as a draft", ""));
    EXPECT_EQ(s->Wait(), kCancelled) << s->output();
  }
  const std::map<std::string, std::string> after = ReadTree(store());
  EXPECT_NE(after, before) << "the draft was written into the store";
  for (const auto& [path, bytes] : after) {
    for (const std::string& marker : {place, unit, name}) {
      EXPECT_EQ(FindMarker(bytes, marker), "") << marker << " in " << path;
    }
  }
  for (const auto& [path, bytes] : ReadTree(tmp.path())) {
    for (const std::string& marker : {place, unit, name}) {
      EXPECT_EQ(FindMarker(bytes, marker), "") << marker << " in " << path;
    }
  }
  // The draft holds them all the same: resumed, its review shows the place and the unit, and
  // says the identity is sealed (never showing it).
  auto s = Start({"drafts", "resume", TvOk({"drafts", "list"}).out.substr(0, 8)});
  ASSERT_TRUE(s->Answer("then a line containing only", "."));
  ASSERT_TRUE(s->Expect("Municipality or place: " + place));
  ASSERT_TRUE(s->Expect(unit));
  ASSERT_TRUE(s->Expect("Replace the sealed identity: no, kept as sealed"));
  ASSERT_TRUE(s->Answer("Enter saves", "draft"));
  EXPECT_EQ(s->Wait(), kCancelled);
  EXPECT_FALSE(Contains(s->output(), name)) << "a sealed identity is never shown";
}

TEST_F(GuidedPtyTest, ChainIsCheckedAgainstFromAndTo) {
  std::vector<Step> steps = PushbackSteps();
  const size_t chain = IndexOf(steps, "Chain pushback");
  steps[chain].answer = "Italy, Slovenia, Croatia";
  steps.insert(steps.begin() + chain + 1,
               Step{"must end in the country they were pushed into (BA)", "IT, SI, HR, BA"});
  auto s = Start({"add", "pushback"});
  ASSERT_TRUE(Drive(*s, steps));
  EXPECT_EQ(s->Wait(), kOk) << s->output();
  v1::Testimony expected = ExpectedPushback();
  for (const char* c : {"IT", "SI", "HR", "BA"}) expected.mutable_pushback()->add_chain_countries(c);
  ExpectStored(expected);
}

// Issue 20 through a terminal: a stay in a return hub (RS-RH-01 of the demo registry, run for
// GB), with how the person got there, the state that sent them, the days held, the legal
// safeguards and onward removal, and the new condition "cold exposure"; then read back with
// `tvault show --json`.
TEST_F(GuidedPtyTest, ReturnHubStayWithHoldingAndRemoval) {
  const std::vector<Step> steps = {
      {"RS-RH-01  Quillmarsh Return Centre (RS, return hub, for GB; run by Interior ministry",
       "rs-rh-01"},
      {"Visit or stay?", "stay"},
      {"First day held there", "2026-09-02"},
      {"Last day, if more than one", "2026-09-20"},
      {"People held there, as reported", "about 60"},
      {"cold exposure (held outdoors or unsheltered in the cold)", "cold:severe, overcrowding"},
      {"How bad was it: overcrowding?", "serious"},
      {"How did the person come to be held there?", "transferred"},
      {"Which state sent them there?", "United Kingdom"},
      {"How many days held there", "15-20"},
      {"told, in a language they understood, why they were held?", "n"},
      {"How serious was its denial?", "serious"},
      {"Safeguard: able to see a lawyer?", "no"},
      {"How serious was its denial?", "severe"},
      {"Safeguard: able to appeal", "u"},
      {"Safeguard: able to contact their family?", "y"},
      {"Safeguard: given an interpreter?", ""},
      {"Removal to another country from there?", "threatened"},
      {"To which country?", "Afghanistan"},
      {"Language of the interview", "Pashto"},
      {"Was an interpreter present?", "y"},
      {"Name", ""},
      {"Phone", ""},
      {"Other contact", ""},
      {"Date of birth", ""},
      {"then a line containing only", "Held in the yard at night, in the cold."},
      {"", "."},
  };
  auto s = Start({"add", "facility"});
  ASSERT_TRUE(Drive(*s, steps));
  ASSERT_TRUE(s->Expect("-- Review: every answer before saving --"));
  ASSERT_TRUE(s->Expect("How they got there: transferred"));
  ASSERT_TRUE(s->Expect("Sent by: GB"));
  ASSERT_TRUE(s->Expect("Days held: 15-20"));
  ASSERT_TRUE(s->Expect("Told why held: no, serious"));
  ASSERT_TRUE(s->Expect("Lawyer: no, severe"));
  ASSERT_TRUE(s->Expect("Interpreter given: (not given)"));
  ASSERT_TRUE(s->Expect("Onward removal: threatened"));
  ASSERT_TRUE(s->Expect("Removal to: AF"));
  ASSERT_TRUE(s->Answer("Enter saves", ""));
  EXPECT_EQ(s->Wait(), kOk) << s->output();

  v1::Testimony expected;
  expected.set_kind(v1::FACILITY);
  expected.set_interview_language("ps");
  expected.set_interpreter_present(v1::YES);
  expected.set_narrative("Held in the yard at night, in the cold.");
  v1::FacilityConditions* f = expected.mutable_facility();
  f->set_facility_id("RS-RH-01");
  f->set_stay_kind(v1::STAY);
  f->set_period_start("2026-09-02");
  f->set_period_end("2026-09-20");
  f->set_people_held_reported(60);
  v1::ConditionReport* c = f->add_conditions();
  c->set_condition(v1::COLD_EXPOSURE);
  c->set_severity(v1::SEVERE);
  c = f->add_conditions();
  c->set_condition(v1::OVERCROWDING);
  c->set_severity(v1::SERIOUS);
  f->set_arrival(v1::TRANSFERRED_FROM_STATE);
  f->set_transferred_from("GB");
  f->mutable_stay_length()->mutable_range()->set_min_days(15);
  f->mutable_stay_length()->mutable_range()->set_max_days(20);
  auto safeguard = [&](v1::Safeguard which, v1::TriState provided, v1::Severity severity) {
    v1::SafeguardReport* r = f->add_safeguards();
    r->set_safeguard(which);
    r->set_provided(provided);
    r->set_severity(severity);
  };
  safeguard(v1::INFORMED_OF_REASONS, v1::NO, v1::SERIOUS);
  safeguard(v1::LAWYER_ACCESS, v1::NO, v1::SEVERE);
  safeguard(v1::ABLE_TO_APPEAL, v1::UNKNOWN, v1::SEVERITY_UNSPECIFIED);
  safeguard(v1::FAMILY_CONTACT, v1::YES, v1::SEVERITY_UNSPECIFIED);
  f->set_onward_removal(v1::ONWARD_REMOVAL_THREATENED);
  f->set_onward_removal_to("AF");
  ExpectStored(expected);
}

}  // namespace
}  // namespace tvault::testing
