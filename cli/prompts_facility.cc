// The facility questions of the guided interview.
#include <algorithm>
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

// People held in one facility, as reported: a generous bound against typing slips.
constexpr uint32_t kMaxPeopleHeld = 1000000;

const std::vector<Choice>& StayKindChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::VISIT, "visit", "the monitor visited"},
      {v1::STAY, "stay", "the person was held there"},
  };
  return *choices;
}

const std::vector<Choice>& ConditionChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::OVERCROWDING, "overcrowding", ""},
      {v1::FOOD, "food", ""},
      {v1::WATER, "water", ""},
      {v1::SANITATION, "sanitation", ""},
      {v1::HEATING, "heating", ""},
      {v1::MEDICAL_CARE_DENIED, "medical care denied", ""},
      {v1::ASYLUM_ACCESS_DENIED, "asylum access denied", ""},
      {v1::LAWYER_ACCESS_DENIED, "lawyer access denied", ""},
      {v1::VIOLENCE_BY_STAFF, "violence by staff", ""},
      {v1::THEFT_OR_EXTORTION_BY_STAFF, "theft/extortion by staff", ""},
      {v1::LOCKED_IN, "locked in", ""},
      {v1::DEATHS_REPORTED, "deaths reported", ""},
      {v1::COLD_EXPOSURE, "cold exposure", "held outdoors or unsheltered in the cold", {"cold"}},
      {v1::CONDITION_OTHER, "other", ""},
  };
  return *choices;
}

std::string FacilityTypeLabel(v1::FacilityType type) {
  switch (type) {
    case v1::RECEPTION:
      return "reception";
    case v1::ASYLUM:
      return "asylum";
    case v1::TRANSIT:
      return "transit";
    case v1::DETENTION:
      return "detention";
    case v1::INFORMAL_SITE:
      return "informal site";
    case v1::RETURN_HUB:
      return "return hub";
    case v1::PRE_REMOVAL_DETENTION:
      return "pre-removal detention";
    case v1::FACILITY_TYPE_OTHER:
      return "other";
    default:
      return "type not set";
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The registry entry chosen by `answer` (a number or an id, case-insensitive), or null.
const v1::Facility* FindFacility(const std::vector<v1::Facility>& facilities,
                                 const std::string& answer) {
  if (!answer.empty() && answer.size() <= 6 &&
      std::all_of(answer.begin(), answer.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    const size_t n = std::stoul(answer);
    if (n >= 1 && n <= facilities.size()) return &facilities[n - 1];
  }
  for (const v1::Facility& f : facilities) {
    if (Lower(f.id()) == Lower(answer) || Normalize(f.name()) == Normalize(answer)) return &f;
  }
  return nullptr;
}

// "(RS, return hub, for GB, EU; run by Interior ministry)": where, what, and for and by whom
// when the registry says.
std::string FacilityDetails(const v1::Facility& x) {
  std::string s = " (" + x.country() + ", " + FacilityTypeLabel(x.type());
  for (int i = 0; i < x.operated_for_size(); ++i) {
    s += (i == 0 ? ", for " : ", ") + x.operated_for(i);
  }
  if (!x.operator_().empty()) s += (x.operated_for_size() > 0 ? "; run by " : ", run by ") +
                                   x.operator_();
  return s + ")";
}

}  // namespace

const std::vector<Choice>& SeverityChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::MINOR, "minor", ""},
      {v1::SERIOUS, "serious", ""},
      {v1::SEVERE, "severe", "a danger to health or life"},
      {v1::SEVERITY_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

Flow AskRegistryFacility(Asker& a, const std::string& question,
                         const std::vector<v1::Facility>& facilities, std::string* id) {
  const bool has_current = !id->empty();
  std::string prompt =
      FormatPrompt(question, *id, has_current ? "" : "a number, its id or its name");
  prompt.pop_back();  // The choices go on the lines below, then the answer after "> ".
  for (size_t i = 0; i < facilities.size(); ++i) {
    const v1::Facility& x = facilities[i];
    prompt += "\n  " + std::to_string(i + 1) + " " + x.id() + "  " + x.name() + FacilityDetails(x);
  }
  prompt += "\n> ";
  return a.Ask(prompt, [&](const std::string& answer) -> std::string {
    if (answer.empty() && !has_current) return "An answer is needed here.";
    const std::string wanted = answer.empty() ? *id : answer;
    const v1::Facility* chosen = FindFacility(facilities, wanted);
    if (chosen == nullptr) {
      return "\"" + wanted + "\" is not in the registry: type a number from 1 to " +
             std::to_string(facilities.size()) + ", or an id or name from the list, e.g. 1 or " +
             facilities[0].id() + ".";
    }
    *id = chosen->id();
    return "";
  });
}

namespace {

// "overcrowding:severe, food:serious".
std::string FormatConditions(const google::protobuf::RepeatedPtrField<v1::ConditionReport>& list) {
  std::string s;
  for (const v1::ConditionReport& r : list) {
    if (!s.empty()) s += ", ";
    s += ChoiceLabel(ConditionChoices(), r.condition());
    if (r.severity() != v1::SEVERITY_UNSPECIFIED) {
      s += ":" + ChoiceLabel(SeverityChoices(), r.severity());
    }
  }
  return s;
}

// Reads "overcrowding:severe, 2:3, 5" into `*list`: each condition by number or name, with an
// optional severity by number or name (0 when not given, to be asked next).
std::string ParseConditions(const std::string& answer, std::vector<v1::ConditionReport>* list) {
  list->clear();
  for (const std::string& piece : SplitList(answer, ',')) {
    const size_t colon = piece.find(':');
    const std::string name = Trim(piece.substr(0, colon));
    const int condition = MatchChoice(ConditionChoices(), name);
    if (condition == 0) {
      return "\"" + name + "\" is not in the list: use numbers from 1 to " +
             std::to_string(ConditionChoices().size()) + " or names, e.g. 1:severe, 3:serious.";
    }
    int severity = 0;
    if (colon != std::string::npos) {
      const std::string level = Trim(piece.substr(colon + 1));
      severity = MatchChoice(SeverityChoices(), level);
      if (severity == 0) {
        return "\"" + level + "\" is not a severity: minor, serious, severe or unknown.";
      }
    }
    for (const v1::ConditionReport& r : *list) {
      if (r.condition() == condition) {
        return ChoiceLabel(ConditionChoices(), condition) + " is given twice.";
      }
    }
    v1::ConditionReport r;
    r.set_condition(static_cast<v1::Condition>(condition));
    r.set_severity(static_cast<v1::Severity>(severity));
    list->push_back(r);
  }
  return "";
}

Flow AskConditions(Asker& a, v1::FacilityConditions* f) {
  while (true) {
    const std::string current = FormatConditions(f->conditions());
    const bool has_current = !current.empty();
    std::string prompt = FormatPrompt(
        "Conditions", current,
        has_current ? "numbers or names, each with :severity if you like; - for none"
                    : "numbers separated by commas, each with :severity if you like; Enter for "
                      "none");
    prompt.pop_back();
    prompt += "\n" + ChoiceLines(ConditionChoices());
    prompt += "  e.g. \"overcrowding:severe, food:serious\" or \"1:severe, 2\"\n> ";

    std::vector<v1::ConditionReport> chosen(f->conditions().begin(), f->conditions().end());
    Flow flow = a.Ask(prompt, [&](const std::string& answer) -> std::string {
      if (answer.empty() && has_current) return "";
      return ParseConditions(answer == "-" ? "" : answer, &chosen);
    });
    if (flow != Flow::kNext) return flow;
    // The severity of each condition typed without one: optional ("unknown" or Enter).
    std::vector<size_t> unrated;
    for (size_t i = 0; i < chosen.size(); ++i) {
      if (chosen[i].severity() == v1::SEVERITY_UNSPECIFIED) unrated.push_back(i);
    }
    size_t k = 0;
    while (k < unrated.size()) {
      v1::ConditionReport& r = chosen[unrated[k]];
      int severity = r.severity();
      const std::string question =
          "How bad was it: " + ChoiceLabel(ConditionChoices(), r.condition()) + "?";
      flow = AskChoice(a, question, Need::kOptional, SeverityChoices(), &severity);
      if (flow == Flow::kBack) {
        if (k == 0) break;
        --k;
        continue;
      }
      if (flow != Flow::kNext) return flow;
      r.set_severity(static_cast<v1::Severity>(severity));
      ++k;
    }
    if (k < unrated.size()) continue;  // back to the list of conditions
    f->clear_conditions();
    for (const v1::ConditionReport& r : chosen) *f->add_conditions() = r;
    return Flow::kNext;
  }
}

const v1::FacilityConditions& F(const Interview& iv) { return iv.t.facility(); }
v1::FacilityConditions* MF(Interview& iv) { return iv.t.mutable_facility(); }

constexpr char kFacility[] = "The facility";

}  // namespace

std::vector<Question> FacilityQuestions() {
  std::vector<Question> qs;
  qs.push_back({kFacility, "Facility", nullptr,
                [](const Interview& iv) {
                  for (const v1::Facility& x : *iv.facilities) {
                    if (x.id() == F(iv).facility_id()) return x.id() + " " + x.name();
                  }
                  return F(iv).facility_id();
                },
                [](Asker& a, Interview& iv) {
                  return AskRegistryFacility(a, "Facility", *iv.facilities,
                                             MF(iv)->mutable_facility_id());
                }});
  qs.push_back({kFacility, "Visit or stay", nullptr,
                [](const Interview& iv) {
                  const int v = F(iv).stay_kind();
                  return v == 0 ? std::string() : ChoiceLabel(StayKindChoices(), v);
                },
                [](Asker& a, Interview& iv) {
                  int v = F(iv).stay_kind();
                  const Flow f =
                      AskChoice(a, "Visit or stay?", Need::kRequired, StayKindChoices(), &v);
                  MF(iv)->set_stay_kind(static_cast<v1::StayKind>(v));
                  return f;
                }});
  qs.push_back({kFacility, "First day", nullptr,
                [](const Interview& iv) { return F(iv).period_start(); },
                [](Asker& a, Interview& iv) {
                  return AskDate(a,
                                 F(iv).stay_kind() == v1::VISIT ? "First day of the visit"
                                                                : "First day held there",
                                 Need::kRequired, DateForm::kDay, MF(iv)->mutable_period_start());
                }});
  auto end_check = [](const Interview& iv) -> std::string {
    if (F(iv).period_end().empty() || F(iv).period_end() >= F(iv).period_start()) return "";
    return "The last day is before the first day (" + F(iv).period_start() + ").";
  };
  qs.push_back({kFacility, "Last day", nullptr,
                [](const Interview& iv) { return F(iv).period_end(); },
                [end_check](Asker& a, Interview& iv) {
                  return AskDate(a, "Last day, if more than one", Need::kOptional, DateForm::kDay,
                                 MF(iv)->mutable_period_end(), [&](const std::string& end) {
                                   Interview copy;
                                   copy.t.mutable_facility()->set_period_start(F(iv).period_start());
                                   copy.t.mutable_facility()->set_period_end(end);
                                   return end_check(copy);
                                 });
                },
                end_check});
  qs.push_back({kFacility, "People held there", nullptr,
                [](const Interview& iv) {
                  const uint32_t n = F(iv).people_held_reported();
                  return n == 0 ? std::string() : std::to_string(n);
                },
                [](Asker& a, Interview& iv) {
                  uint32_t n = F(iv).people_held_reported();
                  const Flow f = AskCount(a, "People held there, as reported", Need::kOptional, 1,
                                          kMaxPeopleHeld, &n);
                  MF(iv)->set_people_held_reported(n);
                  return f;
                }});
  qs.push_back({kFacility, "Conditions", nullptr,
                [](const Interview& iv) { return FormatConditions(F(iv).conditions()); },
                [](Asker& a, Interview& iv) { return AskConditions(a, MF(iv)); }});
  for (Question& q : RemovalQuestions()) qs.push_back(std::move(q));
  return qs;
}

}  // namespace tvault::cli::internal
