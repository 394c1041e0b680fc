// The pushback questions of the guided interview, in the order they are asked. A new question
// is one more entry in PushbackQuestions().
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "prompts_pushback.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

constexpr char kPushback[] = "The pushback";
constexpr char kGroup[] = "The group";
constexpr char kHappened[] = "What happened";

const std::vector<Choice>& DatePrecisionChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::DAY, "day", "the exact day is known", {"exact"}},
      {v1::WEEK, "week", "approximate: known to within about a week", {"approximate", "approx"}},
      {v1::MONTH, "month", "only the month is known", {}},
  };
  return *choices;
}

const std::vector<Choice>& TimeOfDayChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::MORNING, "morning", "6-12"},         {v1::AFTERNOON, "afternoon", "12-18"},
      {v1::EVENING, "evening", "18-22"},        {v1::NIGHT, "night", "22-6"},
      {v1::TIME_OF_DAY_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

const v1::Pushback& P(const Interview& iv) { return iv.t.pushback(); }
v1::Pushback* MP(Interview& iv) { return iv.t.mutable_pushback(); }

// What a pushback record describes (issue 20). `tvault add removal` starts with SITE_REMOVAL;
// a record that never said is a pushback across a border, and is not asked.
const std::vector<Choice>& IncidentKindChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::BORDER_PUSHBACK, "pushback", "forced back across a border", {"border"}},
      {v1::SITE_REMOVAL, "removal from an informal site", "into a facility, in one country",
       {"removal", "site"}},
  };
  return *choices;
}

bool SiteRemoval(const Interview& iv) { return P(iv).incident_kind() == v1::SITE_REMOVAL; }
bool NotSiteRemoval(const Interview& iv) { return !SiteRemoval(iv); }
// "pushback" or "removal", in the questions' wording.
std::string Event(const Interview& iv) { return SiteRemoval(iv) ? "removal" : "pushback"; }

using TriGet = v1::TriState (v1::Pushback::*)() const;
using TriSet = void (v1::Pushback::*)(v1::TriState);

// An optional yes/no/unknown question on a field of the pushback.
Question Tri(const char* section, const std::string& label, const std::string& question,
             TriGet get, TriSet set, std::function<bool(const Interview&)> applies = nullptr) {
  return Question{section, label, std::move(applies),
                  [get](const Interview& iv) { return TriStateText((P(iv).*get)()); },
                  [question, get, set](Asker& a, Interview& iv) {
                    v1::TriState v = (P(iv).*get)();
                    const Flow f = AskTriState(a, question, Need::kOptional, &v);
                    (MP(iv)->*set)(v);
                    return f;
                  },
                  nullptr,
                  [set](Interview& iv) { (MP(iv)->*set)(v1::TRI_STATE_UNSPECIFIED); }};
}

// Whether a yes/no/unknown field is yes.
std::function<bool(const Interview&)> IfYes(TriGet get) {
  return [get](const Interview& iv) { return (P(iv).*get)() == v1::YES; };
}

// A count of a subgroup (minors, women), asked when the subgroup is there.
Question SubgroupCount(const std::string& label, const std::string& what, TriGet involved,
                       uint32_t (v1::Pushback::*get)() const, void (v1::Pushback::*set)(uint32_t)) {
  auto check = [get, what](const Interview& iv) -> std::string {
    if ((P(iv).*get)() <= P(iv).group_size()) return "";
    return "More " + what + " than people in the group (" + std::to_string(P(iv).group_size()) +
           ").";
  };
  return Question{kGroup, label, IfYes(involved),
                  [get](const Interview& iv) {
                    const uint32_t n = (P(iv).*get)();
                    return n == 0 ? std::string("not known") : std::to_string(n);
                  },
                  [label, get, set, check](Asker& a, Interview& iv) {
                    uint32_t n = (P(iv).*get)();
                    const uint32_t group = P(iv).group_size();
                    const Flow f = AskCount(a, label + ", if known", Need::kOptional, 1,
                                            kMaxGroupSize, &n, [&](uint32_t v) -> std::string {
                                              if (v <= group) return "";
                                              return "That is more than the group (" +
                                                     std::to_string(group) + ").";
                                            });
                    (MP(iv)->*set)(n);
                    return f;
                  },
                  check, [set](Interview& iv) { (MP(iv)->*set)(0); }};
}

// The chain of countries must run to the country they were pushed into, passing through the
// one they were pushed from.
std::string CheckChain(const std::vector<std::string>& chain, const v1::Pushback& p) {
  if (chain.empty()) return "";
  if (chain.size() < 2) return "A chain has at least two countries, e.g. IT, SI, HR, BA.";
  for (size_t i = 1; i < chain.size(); ++i) {
    if (chain[i] == chain[i - 1]) return chain[i] + " follows itself.";
  }
  if (chain.back() != p.pushed_to()) {
    return "The chain must end in the country they were pushed into (" + p.pushed_to() + ").";
  }
  bool from_seen = false;
  for (size_t i = 0; i + 1 < chain.size(); ++i) from_seen = from_seen || chain[i] == p.pushed_from();
  if (!from_seen) {
    return "The chain must pass through the country they were pushed from (" + p.pushed_from() +
           ") before " + p.pushed_to() + ".";
  }
  return "";
}

}  // namespace

const std::vector<Choice>& ViolenceChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::BEATING, "beating", ""},
      {v1::KICKING, "kicking", ""},
      {v1::BATONS, "batons", ""},
      {v1::DOG_ATTACK, "dog attack", ""},
      {v1::ELECTRIC_SHOCK, "electric shock", ""},
      {v1::GUNSHOTS, "gunshots", ""},
      {v1::PEPPER_SPRAY, "pepper spray", ""},
      {v1::FORCED_UNDRESSING, "forced undressing", ""},
      {v1::EXPOSURE_COLD_WATER, "cold/water exposure", ""},
      {v1::THEFT, "theft", ""},
      {v1::PROPERTY_DESTRUCTION, "property destroyed", ""},
      {v1::INSULTS, "insults", ""},
      {v1::THREATS, "threats", ""},
      {v1::SEXUAL_VIOLENCE, "sexual violence", ""},
      {v1::DENIAL_FOOD_WATER, "no food/water", ""},
      {v1::VIOLENCE_OTHER, "other", ""},
      {v1::VIOLENCE_UNKNOWN, "unknown", ""},
      {v1::NO_VIOLENCE_REPORTED, "no violence", "the person recalls none", {"none"}},
  };
  return *choices;
}

const std::vector<Choice>& PerpetratorChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::BORDER_POLICE, "border police", ""},
      {v1::REGULAR_POLICE, "police", ""},
      {v1::SPECIAL_POLICE, "special police", ""},
      {v1::MILITARY, "military", ""},
      {v1::COAST_GUARD, "coast guard", ""},
      {v1::FRONTEX_OR_EU_AGENCY, "Frontex/EU agency", ""},
      {v1::PRIVATE_SECURITY, "private security", ""},
      {v1::CIVILIANS_OR_VIGILANTES, "civilians/vigilantes", ""},
      {v1::FACILITY_STAFF, "facility staff", ""},
      {v1::PERPETRATOR_OTHER, "other", ""},
      {v1::PERPETRATOR_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

std::vector<Question> PushbackQuestions() {
  std::vector<Question> qs;
  qs.push_back({kPushback, "What happened",
                [](const Interview& iv) {
                  return P(iv).incident_kind() != v1::INCIDENT_KIND_UNSPECIFIED;
                },
                [](const Interview& iv) {
                  return ChoiceLabel(IncidentKindChoices(), P(iv).incident_kind());
                },
                [](Asker& a, Interview& iv) {
                  int v = P(iv).incident_kind();
                  const Flow f = AskChoice(a, "What happened?", Need::kRequired,
                                           IncidentKindChoices(), &v);
                  MP(iv)->set_incident_kind(static_cast<v1::IncidentKind>(v));
                  return f;
                }});
  // The precision comes first: it decides whether a day or a month is asked.
  qs.push_back({kPushback, "How exact is the date", nullptr,
                [](const Interview& iv) {
                  const int v = P(iv).date_precision();
                  return v == 0 ? std::string() : ChoiceLabel(DatePrecisionChoices(), v);
                },
                [](Asker& a, Interview& iv) {
                  int v = P(iv).date_precision();
                  const Flow f = AskChoice(a, "How exact is the date of the " + Event(iv) + "?",
                                           Need::kRequired, DatePrecisionChoices(), &v);
                  MP(iv)->set_date_precision(static_cast<v1::DatePrecision>(v));
                  return f;
                }});
  qs.push_back({kPushback, "Date", nullptr,
                [](const Interview& iv) {
                  const std::string& d = P(iv).incident_date();
                  return P(iv).date_precision() == v1::MONTH ? d.substr(0, 7) : d;
                },
                [](Asker& a, Interview& iv) {
                  const v1::DatePrecision p = P(iv).date_precision();
                  if (p == v1::MONTH) {
                    return AskDate(a, "Month of the " + Event(iv), Need::kRequired,
                                   DateForm::kMonth, MP(iv)->mutable_incident_date());
                  }
                  return AskDate(a,
                                 (p == v1::WEEK ? "A day in the week of the " : "Date of the ") +
                                     Event(iv),
                                 Need::kRequired, DateForm::kDay, MP(iv)->mutable_incident_date());
                }});
  qs.push_back({kPushback, "Time of day", nullptr,
                [](const Interview& iv) {
                  const int v = P(iv).time_of_day();
                  return v == 0 ? std::string() : ChoiceLabel(TimeOfDayChoices(), v);
                },
                [](Asker& a, Interview& iv) {
                  int v = P(iv).time_of_day();
                  const Flow f = AskChoice(a, "Time of day", Need::kOptional, TimeOfDayChoices(), &v);
                  MP(iv)->set_time_of_day(static_cast<v1::TimeOfDay>(v));
                  return f;
                }});
  qs.push_back({kPushback, "Country where it happened", nullptr,
                [](const Interview& iv) { return P(iv).location().country(); },
                [](Asker& a, Interview& iv) {
                  return AskCountry(a, "Country where it happened", Need::kRequired,
                                    MP(iv)->mutable_location()->mutable_country());
                }});
  qs.push_back({kPushback, "Municipality or place", nullptr,
                [](const Interview& iv) { return P(iv).location().municipality(); },
                [](Asker& a, Interview& iv) {
                  return AskText(a, "Municipality or place", Need::kOptional, kMaxShortFieldBytes,
                                 MP(iv)->mutable_location()->mutable_municipality());
                }});
  qs.push_back({kPushback, "Border-segment code", nullptr,
                [](const Interview& iv) { return P(iv).location().border_segment(); },
                [](Asker& a, Interview& iv) {
                  return AskText(a, "Border-segment code", Need::kOptional, kMaxShortFieldBytes,
                                 MP(iv)->mutable_location()->mutable_border_segment());
                }});
  qs.push_back({kPushback, "GPS position", nullptr,
                [](const Interview& iv) {
                  if (!P(iv).location().has_gps()) return std::string();
                  return std::to_string(P(iv).location().gps().latitude()) + ", " +
                         std::to_string(P(iv).location().gps().longitude());
                },
                [](Asker& a, Interview& iv) {
                  return AskGps(a, "GPS position (sensitive)", MP(iv)->mutable_location());
                }});
  qs.push_back({kPushback, "Pushed back from", NotSiteRemoval,
                [](const Interview& iv) { return P(iv).pushed_from(); },
                [](Asker& a, Interview& iv) {
                  return AskCountry(a, "Pushed back from which country?", Need::kRequired,
                                    MP(iv)->mutable_pushed_from());
                },
                nullptr, [](Interview& iv) { MP(iv)->clear_pushed_from(); }});
  auto to_check = [](const Interview& iv) -> std::string {
    if (P(iv).pushed_to().empty() || P(iv).pushed_to() != P(iv).pushed_from()) return "";
    return "It must differ from the country they were pushed from (" + P(iv).pushed_from() + ").";
  };
  qs.push_back({kPushback, "Pushed back into", NotSiteRemoval,
                [](const Interview& iv) { return P(iv).pushed_to(); },
                [](Asker& a, Interview& iv) {
                  return AskCountry(a, "Pushed back into which country?", Need::kRequired,
                                    MP(iv)->mutable_pushed_to(),
                                    [&](const std::string& to) -> std::string {
                                      if (to != P(iv).pushed_from()) return "";
                                      return "It must differ from the country they were pushed "
                                             "from (" + to + ").";
                                    });
                },
                to_check, [](Interview& iv) { MP(iv)->clear_pushed_to(); }});
  qs.push_back(
      {kPushback, "Chain of countries", NotSiteRemoval,
       [](const Interview& iv) {
         std::string s;
         for (const std::string& c : P(iv).chain_countries()) s += (s.empty() ? "" : ", ") + c;
         return s;
       },
       [](Asker& a, Interview& iv) {
         return AskCountryList(
             a, "Chain pushback: every country in order, first to last", MP(iv)->mutable_chain_countries(),
             [&](const std::vector<std::string>& chain) { return CheckChain(chain, P(iv)); });
       },
       [](const Interview& iv) {
         const auto& c = P(iv).chain_countries();
         return CheckChain(std::vector<std::string>(c.begin(), c.end()), P(iv));
       },
       [](Interview& iv) { MP(iv)->clear_chain_countries(); }});
  qs.push_back({kPushback, "Taken to", SiteRemoval,
                [](const Interview& iv) {
                  for (const v1::Facility& x : *iv.facilities) {
                    if (x.id() == P(iv).removed_to_facility_id()) return x.id() + " " + x.name();
                  }
                  return P(iv).removed_to_facility_id();
                },
                [](Asker& a, Interview& iv) {
                  return AskRegistryFacility(a, "Facility they were taken to", *iv.facilities,
                                             MP(iv)->mutable_removed_to_facility_id());
                },
                nullptr, [](Interview& iv) { MP(iv)->clear_removed_to_facility_id(); }});

  qs.push_back({kGroup, "People pushed back together", nullptr,
                [](const Interview& iv) {
                  const uint32_t n = P(iv).group_size();
                  return n == 0 ? std::string() : std::to_string(n);
                },
                [](Asker& a, Interview& iv) {
                  uint32_t n = P(iv).group_size();
                  const Flow f = AskCount(a,
                                          std::string(SiteRemoval(iv) ? "How many people were "
                                                                        "removed together"
                                                                      : "How many people were "
                                                                        "pushed back together") +
                                              " (your best estimate, e.g. 12 or \"about 15\")?",
                                          Need::kRequired, 1, kMaxGroupSize, &n);
                  MP(iv)->set_group_size(n);
                  return f;
                }});
  qs.push_back(Tri(kGroup, "Minors in the group", "Minors in the group?",
                   &v1::Pushback::minors_involved, &v1::Pushback::set_minors_involved));
  qs.push_back(SubgroupCount("How many minors", "minors", &v1::Pushback::minors_involved,
                             &v1::Pushback::minors_count, &v1::Pushback::set_minors_count));
  qs.push_back(Tri(kGroup, "Women in the group", "Women in the group?",
                   &v1::Pushback::women_involved, &v1::Pushback::set_women_involved));
  qs.push_back(SubgroupCount("How many women", "women", &v1::Pushback::women_involved,
                             &v1::Pushback::women_count, &v1::Pushback::set_women_count));
  qs.push_back({kGroup, "Ages", nullptr, [](const Interview& iv) { return FormatAges(P(iv)); },
                [](Asker& a, Interview& iv) { return AskAges(a, MP(iv)); },
                [](const Interview& iv) { return CheckAges(P(iv)); }});
  qs.push_back({kGroup, "Nationalities", nullptr,
                [](const Interview& iv) { return FormatNationalities(P(iv)); },
                [](Asker& a, Interview& iv) { return AskNationalities(a, MP(iv)); },
                [](const Interview& iv) { return CheckNationalities(P(iv)); }});

  qs.push_back({kHappened, "Violence", nullptr,
                [](const Interview& iv) {
                  std::string s;
                  for (int v : P(iv).violence()) {
                    s += (s.empty() ? "" : ", ") + ChoiceLabel(ViolenceChoices(), v);
                  }
                  return s.empty() ? std::string("not asked") : s;
                },
                [](Asker& a, Interview& iv) { return AskViolence(a, MP(iv)); }});
  qs.push_back({kHappened, "Who did it", nullptr,
                [](const Interview& iv) { return FormatPerpetrators(P(iv)); },
                [](Asker& a, Interview& iv) { return AskPerpetrators(a, MP(iv)); }});
  qs.push_back(Tri(kHappened, "Asked for asylum", "Did they ask for asylum?",
                   &v1::Pushback::asylum_intention_expressed,
                   &v1::Pushback::set_asylum_intention_expressed));
  qs.push_back(Tri(kHappened, "Asylum request ignored", "Was the asylum request ignored?",
                   &v1::Pushback::asylum_request_ignored, &v1::Pushback::set_asylum_request_ignored,
                   IfYes(&v1::Pushback::asylum_intention_expressed)));

  auto detained = [](const Interview& iv) { return P(iv).detention().detained() == v1::YES; };
  qs.push_back({kHappened, "Detained before the pushback", nullptr,
                [](const Interview& iv) { return TriStateText(P(iv).detention().detained()); },
                [](Asker& a, Interview& iv) {
                  v1::TriState v = P(iv).detention().detained();
                  const Flow f = AskTriState(a, "Were they detained before the pushback?",
                                             Need::kOptional, &v);
                  MP(iv)->mutable_detention()->set_detained(v);
                  return f;
                }});
  qs.push_back({kHappened, "Where they were held", detained,
                [](const Interview& iv) { return P(iv).detention().place(); },
                [](Asker& a, Interview& iv) {
                  return AskText(a, "Where were they held", Need::kOptional, kMaxShortFieldBytes,
                                 MP(iv)->mutable_detention()->mutable_place());
                },
                nullptr, [](Interview& iv) { MP(iv)->mutable_detention()->clear_place(); }});
  qs.push_back({kHappened, "Hours held", detained,
                [](const Interview& iv) {
                  const uint32_t h = P(iv).detention().duration_hours();
                  return h == 0 ? std::string() : std::to_string(h);
                },
                [](Asker& a, Interview& iv) {
                  uint32_t h = P(iv).detention().duration_hours();
                  const Flow f =
                      AskCount(a, "For how many hours", Need::kOptional, 1, 24 * 366, &h);
                  MP(iv)->mutable_detention()->set_duration_hours(h);
                  return f;
                },
                nullptr, [](Interview& iv) { MP(iv)->mutable_detention()->set_duration_hours(0); }});

  auto injured = [](const Interview& iv) { return P(iv).medical().injuries() == v1::YES; };
  qs.push_back({kHappened, "Anyone injured", nullptr,
                [](const Interview& iv) { return TriStateText(P(iv).medical().injuries()); },
                [](Asker& a, Interview& iv) {
                  v1::TriState v = P(iv).medical().injuries();
                  const Flow f = AskTriState(a, "Was anyone injured?", Need::kOptional, &v);
                  MP(iv)->mutable_medical()->set_injuries(v);
                  return f;
                }});
  qs.push_back({kHappened, "Medical treatment needed", injured,
                [](const Interview& iv) { return TriStateText(P(iv).medical().treatment_needed()); },
                [](Asker& a, Interview& iv) {
                  v1::TriState v = P(iv).medical().treatment_needed();
                  const Flow f =
                      AskTriState(a, "Did anyone need medical treatment?", Need::kOptional, &v);
                  MP(iv)->mutable_medical()->set_treatment_needed(v);
                  return f;
                },
                nullptr,
                [](Interview& iv) {
                  MP(iv)->mutable_medical()->set_treatment_needed(v1::TRI_STATE_UNSPECIFIED);
                }});
  qs.push_back({kHappened, "Injuries", injured,
                [](const Interview& iv) { return P(iv).medical().description(); },
                [](Asker& a, Interview& iv) {
                  return AskText(a, "Injuries, briefly", Need::kOptional, kMaxTextFieldBytes,
                                 MP(iv)->mutable_medical()->mutable_description());
                },
                nullptr, [](Interview& iv) { MP(iv)->mutable_medical()->clear_description(); }});
  return qs;
}

}  // namespace tvault::cli::internal
