// The questions of a facility testimony about holding and removal (issue 20): how the person
// came to be held, the state that sent them, the length of stay, each legal safeguard with the
// severity of its denial, and onward removal. Asked for a stay only (a visit says nothing of
// one person's holding). docs/schema.md, "FacilityConditions", states what each answer means.
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

const std::vector<Choice>& ArrivalChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::TRANSFERRED_FROM_STATE, "transferred", "sent there by another state", {"transfer"}},
      {v1::REMOVED_FROM_INFORMAL_SITE, "removed from a site", "an informal site, camp or squat",
       {"site"}},
      {v1::ARRESTED_AT_BORDER, "arrested at the border", "", {"border", "arrested"}},
      {v1::ARRIVAL_OTHER, "other", ""},
      {v1::ARRIVAL_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

const std::vector<Choice>& OnwardChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::ONWARD_REMOVAL_THREATENED, "threatened", "", {"threat"}},
      {v1::ONWARD_REMOVAL_CARRIED_OUT, "carried out", "the person or others were removed",
       {"removed"}},
      {v1::ONWARD_REMOVAL_NONE, "none", "neither threatened nor carried out", {"no"}},
      {v1::ONWARD_REMOVAL_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

// One safeguard: its label on the review screen and its question.
struct SafeguardSpec {
  v1::Safeguard safeguard;
  const char* label;
  const char* question;
};

constexpr SafeguardSpec kSafeguards[] = {
    {v1::INFORMED_OF_REASONS, "Told why held",
     "Safeguard: told, in a language they understood, why they were held?"},
    {v1::LAWYER_ACCESS, "Lawyer", "Safeguard: able to see a lawyer?"},
    {v1::ABLE_TO_APPEAL, "Appeal", "Safeguard: able to appeal against the holding or the removal?"},
    {v1::FAMILY_CONTACT, "Family contact", "Safeguard: able to contact their family?"},
    {v1::INTERPRETER_PROVIDED, "Interpreter given", "Safeguard: given an interpreter?"},
};

const v1::FacilityConditions& F(const Interview& iv) { return iv.t.facility(); }
v1::FacilityConditions* MF(Interview& iv) { return iv.t.mutable_facility(); }
bool Stay(const Interview& iv) { return F(iv).stay_kind() == v1::STAY; }

// "12", "10-14" or "unknown"; the empty string when not given.
std::string StayText(const v1::StayLength& s) {
  switch (s.value_case()) {
    case v1::StayLength::kDays:
      return std::to_string(s.days());
    case v1::StayLength::kRange:
      return std::to_string(s.range().min_days()) + "-" + std::to_string(s.range().max_days());
    case v1::StayLength::kUnknown:
      return "unknown";
    default:
      return "";
  }
}

// Reads "12", "about 12", "10-14" or "unknown" into `*s`.
std::string ParseStay(const std::string& answer, v1::StayLength* s) {
  const std::string n = Normalize(answer);
  if (n == "unknown" || n == "u" || n == "?") {
    s->set_unknown(true);
    return "";
  }
  const std::string kHelp =
      "Type a number of days (0 for less than a day), a range such as 10-14, or unknown.";
  const size_t dash = answer.find('-');
  uint64_t lo = 0, hi = 0;
  if (dash == std::string::npos) {
    if (!ParseApproximateCount(answer, &lo) || lo > static_cast<uint64_t>(kMaxStayDays)) {
      return kHelp;
    }
    s->set_days(static_cast<int32_t>(lo));
    return "";
  }
  if (!ParseApproximateCount(Trim(answer.substr(0, dash)), &lo) ||
      !ParseApproximateCount(Trim(answer.substr(dash + 1)), &hi) ||
      hi > static_cast<uint64_t>(kMaxStayDays)) {
    return kHelp;
  }
  if (lo > hi) return "The first number of a range must not be above the second.";
  s->mutable_range()->set_min_days(static_cast<int32_t>(lo));
  s->mutable_range()->set_max_days(static_cast<int32_t>(hi));
  return "";
}

Flow AskStay(Asker& a, v1::FacilityConditions* f) {
  const std::string current = StayText(f->stay_length());
  const bool has_current = !current.empty();
  return a.Ask(FormatPrompt("How many days held there", current,
                            has_current ? "" : "days, a range such as 10-14, or unknown; Enter "
                                               "to skip"),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason =
                     ResolveShortcut(answer, Need::kOptional, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   f->clear_stay_length();
                   return "";
                 }
                 v1::StayLength parsed;
                 reason = ParseStay(answer, &parsed);
                 if (reason.empty()) *f->mutable_stay_length() = parsed;
                 return reason;
               });
}

// The report of `safeguard` in `f`, or null.
const v1::SafeguardReport* Find(const v1::FacilityConditions& f, v1::Safeguard safeguard) {
  for (const v1::SafeguardReport& r : f.safeguards()) {
    if (r.safeguard() == safeguard) return &r;
  }
  return nullptr;
}

// Sets (or, for an unanswered tri-state, removes) the report of `safeguard`, keeping the list
// in the order of kSafeguards; a report of another safeguard (e.g. from a file) stays last.
void Put(v1::FacilityConditions* f, v1::Safeguard safeguard, v1::TriState provided,
         v1::Severity severity) {
  const std::vector<v1::SafeguardReport> old(f->safeguards().begin(), f->safeguards().end());
  f->clear_safeguards();
  auto listed = [](int s) {
    for (const SafeguardSpec& spec : kSafeguards) {
      if (spec.safeguard == s) return true;
    }
    return false;
  };
  for (const SafeguardSpec& spec : kSafeguards) {
    if (spec.safeguard == safeguard) {
      if (provided == v1::TRI_STATE_UNSPECIFIED) continue;
      v1::SafeguardReport* r = f->add_safeguards();
      r->set_safeguard(safeguard);
      r->set_provided(provided);
      if (provided == v1::NO) r->set_severity(severity);
      continue;
    }
    for (const v1::SafeguardReport& x : old) {
      if (x.safeguard() == spec.safeguard) *f->add_safeguards() = x;
    }
  }
  for (const v1::SafeguardReport& x : old) {
    if (!listed(x.safeguard())) *f->add_safeguards() = x;
  }
}

Flow AskSafeguard(Asker& a, const SafeguardSpec& spec, v1::FacilityConditions* f) {
  const v1::SafeguardReport* now = Find(*f, spec.safeguard);
  v1::TriState provided = now ? now->provided() : v1::TRI_STATE_UNSPECIFIED;
  Flow flow = AskTriState(a, spec.question, Need::kOptional, &provided);
  if (flow != Flow::kNext) return flow;
  int severity = now ? now->severity() : 0;
  if (provided == v1::NO) {
    flow = AskChoice(a, "How serious was its denial?", Need::kOptional, SeverityChoices(),
                     &severity);
    if (flow != Flow::kNext) return flow;
  }
  Put(f, spec.safeguard, provided, static_cast<v1::Severity>(severity));
  return Flow::kNext;
}

constexpr char kHolding[] = "Holding and removal";

}  // namespace

std::vector<Question> RemovalQuestions() {
  std::vector<Question> qs;
  qs.push_back({kHolding, "How they got there", Stay,
                [](const Interview& iv) {
                  const int v = F(iv).arrival();
                  return v == 0 ? std::string() : ChoiceLabel(ArrivalChoices(), v);
                },
                [](Asker& a, Interview& iv) {
                  int v = F(iv).arrival();
                  const Flow f = AskChoice(a, "How did the person come to be held there?",
                                           Need::kOptional, ArrivalChoices(), &v);
                  MF(iv)->set_arrival(static_cast<v1::Arrival>(v));
                  return f;
                },
                nullptr, [](Interview& iv) { MF(iv)->clear_arrival(); }});
  qs.push_back({kHolding, "Sent by",
                [](const Interview& iv) {
                  return Stay(iv) && F(iv).arrival() == v1::TRANSFERRED_FROM_STATE;
                },
                [](const Interview& iv) { return F(iv).transferred_from(); },
                [](Asker& a, Interview& iv) {
                  return AskCountry(a, "Which state sent them there?", Need::kRequired,
                                    MF(iv)->mutable_transferred_from());
                },
                nullptr, [](Interview& iv) { MF(iv)->clear_transferred_from(); }});
  qs.push_back({kHolding, "Days held", Stay,
                [](const Interview& iv) { return StayText(F(iv).stay_length()); },
                [](Asker& a, Interview& iv) { return AskStay(a, MF(iv)); }, nullptr,
                [](Interview& iv) { MF(iv)->clear_stay_length(); }});
  for (const SafeguardSpec& spec : kSafeguards) {
    qs.push_back({kHolding, spec.label, Stay,
                  [&spec](const Interview& iv) -> std::string {
                    const v1::SafeguardReport* r = Find(F(iv), spec.safeguard);
                    if (r == nullptr) return "";
                    std::string s = TriStateText(r->provided());
                    if (r->severity() != v1::SEVERITY_UNSPECIFIED) {
                      s += ", " + ChoiceLabel(SeverityChoices(), r->severity());
                    }
                    return s;
                  },
                  [&spec](Asker& a, Interview& iv) { return AskSafeguard(a, spec, MF(iv)); },
                  nullptr, [](Interview& iv) { MF(iv)->clear_safeguards(); }});
  }
  qs.push_back({kHolding, "Onward removal", Stay,
                [](const Interview& iv) {
                  const int v = F(iv).onward_removal();
                  return v == 0 ? std::string() : ChoiceLabel(OnwardChoices(), v);
                },
                [](Asker& a, Interview& iv) {
                  int v = F(iv).onward_removal();
                  const Flow f = AskChoice(a, "Removal to another country from there?",
                                           Need::kOptional, OnwardChoices(), &v);
                  MF(iv)->set_onward_removal(static_cast<v1::OnwardRemoval>(v));
                  return f;
                },
                nullptr, [](Interview& iv) { MF(iv)->clear_onward_removal(); }});
  qs.push_back({kHolding, "Removal to",
                [](const Interview& iv) {
                  return Stay(iv) && (F(iv).onward_removal() == v1::ONWARD_REMOVAL_THREATENED ||
                                      F(iv).onward_removal() == v1::ONWARD_REMOVAL_CARRIED_OUT);
                },
                [](const Interview& iv) { return F(iv).onward_removal_to(); },
                [](Asker& a, Interview& iv) {
                  return AskCountry(a, "To which country?", Need::kOptional,
                                    MF(iv)->mutable_onward_removal_to());
                },
                nullptr, [](Interview& iv) { MF(iv)->clear_onward_removal_to(); }});
  return qs;
}

}  // namespace tvault::cli::internal
