// The pushback questions of the guided interview.
#include <algorithm>
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

const std::vector<Choice>& DatePrecisionChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::DAY, "day", "the exact day is known"},
      {v1::WEEK, "week", "known to within a week"},
      {v1::MONTH, "month", "only the month is known"},
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
      {v1::NO_VIOLENCE_REPORTED, "no violence", "the person recalls none"},
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

// "AF:5, PK:3"; a count of 0 (written "AF" or "AF:0") means "some, number unknown".
std::string FormatNationalities(
    const google::protobuf::RepeatedPtrField<v1::NationalityCount>& list) {
  std::string s;
  for (const v1::NationalityCount& n : list) {
    if (!s.empty()) s += ", ";
    s += n.country();
    if (n.count() != 0) s += ":" + std::to_string(n.count());
  }
  return s;
}

// Reads "AF:5, PK:3" into `*list`. Returns a reason when it cannot.
std::string ParseNationalities(const std::string& answer, uint32_t group_size,
                               std::vector<v1::NationalityCount>* list) {
  list->clear();
  uint64_t sum = 0;
  for (const std::string& piece : SplitList(answer, ',')) {
    const size_t colon = piece.find(':');
    std::string code = Trim(piece.substr(0, colon));
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!IsIsoCountryCode(code)) {
      return "\"" + piece + "\" does not start with a country code: write e.g. AF:5, PK:3.";
    }
    uint32_t count = 0;
    if (colon != std::string::npos) {
      const std::string digits = Trim(piece.substr(colon + 1));
      if (digits.empty() || digits.size() > 9 ||
          !std::all_of(digits.begin(), digits.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return "\"" + piece + "\" has no number after the colon: write e.g. AF:5, PK:3.";
      }
      count = static_cast<uint32_t>(std::stoul(digits));
    }
    for (const v1::NationalityCount& n : *list) {
      if (n.country() == code) return code + " is given twice.";
    }
    sum += count;
    v1::NationalityCount n;
    n.set_country(code);
    n.set_count(count);
    list->push_back(n);
  }
  if (list->size() > kMaxRepeated) return "Too many nationalities.";
  if (sum > group_size) {
    return "These add up to " + std::to_string(sum) + ", more than the group size (" +
           std::to_string(group_size) + ").";
  }
  return "";
}

bool AskNationalities(Asker& a, v1::Pushback* p) {
  const std::string current = FormatNationalities(p->nationalities());
  const bool has_current = !current.empty();
  const std::string hint =
      has_current ? "" : "e.g. AF:5, PK:3; a code alone if the number is unknown; Enter to skip";
  return a.Ask(FormatPrompt("Nationalities and how many of each", current, hint),
               [&](const std::string& answer) -> std::string {
                 if (answer == "-") {
                   p->clear_nationalities();
                   return "";
                 }
                 if (answer.empty() && !has_current) return "";
                 // A kept value is checked again: the group size may have changed.
                 std::vector<v1::NationalityCount> list;
                 const std::string reason =
                     ParseNationalities(answer.empty() ? current : answer, p->group_size(), &list);
                 if (!reason.empty()) return reason;
                 p->clear_nationalities();
                 for (const v1::NationalityCount& n : list) *p->add_nationalities() = n;
                 return "";
               });
}

bool AskViolence(Asker& a, v1::Pushback* p) {
  std::vector<int> chosen(p->violence().begin(), p->violence().end());
  if (!AskChoiceList(
          a, "Violence", ViolenceChoices(), &chosen, [](const std::vector<int>& v) -> std::string {
            const bool none = std::find(v.begin(), v.end(), v1::NO_VIOLENCE_REPORTED) != v.end();
            if (none && v.size() > 1) {
              return "\"no violence\" cannot be combined with other answers.";
            }
            return "";
          })) {
    return false;
  }
  p->clear_violence();
  for (int v : chosen) p->add_violence(static_cast<v1::ViolenceType>(v));
  return true;
}

bool AskPerpetrators(Asker& a, v1::Pushback* p) {
  std::vector<int> types;
  for (const v1::Perpetrator& q : p->perpetrators()) {
    if (std::find(types.begin(), types.end(), q.type()) == types.end()) types.push_back(q.type());
  }
  if (!AskChoiceList(a, "Who did it", PerpetratorChoices(), &types)) return false;
  std::vector<v1::Perpetrator> result;
  for (int type : types) {
    v1::Perpetrator q;
    q.set_type(static_cast<v1::PerpetratorType>(type));
    // Keep what was recorded for this type before (country, unit as seen).
    for (const v1::Perpetrator& old : p->perpetrators()) {
      if (old.type() == type) {
        q = old;
        break;
      }
    }
    const std::string question = "Country of the " + ChoiceLabel(PerpetratorChoices(), type);
    if (!AskCountry(a, question, Need::kOptional, q.mutable_country(), nullptr, p->pushed_from())) {
      return false;
    }
    result.push_back(q);
  }
  p->clear_perpetrators();
  for (const v1::Perpetrator& q : result) *p->add_perpetrators() = q;
  return true;
}

// Asks whether there were minors (or women) and, when yes, how many.
bool AskSubgroup(Asker& a, const std::string& question, const std::string& count_question,
                 const std::string& what, v1::Pushback* p, v1::TriState* involved,
                 uint32_t* count) {
  if (!AskTriState(a, question, Need::kRequired, involved)) return false;
  if (*involved != v1::YES) {
    *count = 0;
    return true;
  }
  const uint32_t group = p->group_size();
  return AskCount(
      a, count_question, Need::kOptional, 1, kMaxGroupSize, count, [&](uint32_t n) -> std::string {
        if (n <= group) return "";
        return "More " + what + " than people in the group (" + std::to_string(group) + ").";
      });
}

}  // namespace

bool AskPushback(Asker& a, v1::Pushback* p) {
  a.out() << "\n-- The pushback --\n";
  int precision = p->date_precision();
  int time_of_day = p->time_of_day();
  if (!AskDate(a, "Date of the pushback", Need::kRequired, p->mutable_incident_date()) ||
      !AskChoice(a, "How exact is the date?", Need::kRequired, DatePrecisionChoices(),
                 &precision)) {
    return false;
  }
  p->set_date_precision(static_cast<v1::DatePrecision>(precision));
  if (!AskChoice(a, "Time of day", Need::kOptional, TimeOfDayChoices(), &time_of_day)) {
    return false;
  }
  p->set_time_of_day(static_cast<v1::TimeOfDay>(time_of_day));

  v1::Location* where = p->mutable_location();
  if (!AskCountry(a, "Country where it happened", Need::kRequired, where->mutable_country()) ||
      !AskText(a, "Municipality or place", Need::kOptional, kMaxShortFieldBytes,
               where->mutable_municipality()) ||
      !AskText(a, "Border-segment code", Need::kOptional, kMaxShortFieldBytes,
               where->mutable_border_segment())) {
    return false;
  }

  if (!AskCountry(a, "Pushed back from which country?", Need::kRequired,
                  p->mutable_pushed_from()) ||
      !AskCountry(a, "Pushed back into which country?", Need::kRequired, p->mutable_pushed_to(),
                  [&](const std::string& to) -> std::string {
                    if (to != p->pushed_from()) return "";
                    return "It must differ from the country they were pushed from (" + to + ").";
                  }) ||
      !AskCountryList(a, "Chain pushback: every country in order, first to last",
                      p->mutable_chain_countries(),
                      [](const std::vector<std::string>& chain) -> std::string {
                        if (chain.size() < 2) return "A chain has at least two countries.";
                        for (size_t i = 1; i < chain.size(); ++i) {
                          if (chain[i] == chain[i - 1]) return chain[i] + " follows itself.";
                        }
                        return "";
                      })) {
    return false;
  }

  a.out() << "\n-- The group --\n";
  v1::TriState minors = p->minors_involved();
  v1::TriState women = p->women_involved();
  uint32_t minors_count = p->minors_count();
  uint32_t women_count = p->women_count();
  uint32_t group_size = p->group_size();
  if (!AskCount(a, "How many people were pushed back together?", Need::kRequired, 1, kMaxGroupSize,
                &group_size)) {
    return false;
  }
  p->set_group_size(group_size);
  if (!AskSubgroup(a, "Minors in the group?", "How many minors, if known", "minors", p, &minors,
                   &minors_count) ||
      !AskSubgroup(a, "Women in the group?", "How many women, if known", "women", p, &women,
                   &women_count) ||
      !AskNationalities(a, p)) {
    return false;
  }
  p->set_minors_involved(minors);
  p->set_minors_count(minors_count);
  p->set_women_involved(women);
  p->set_women_count(women_count);

  a.out() << "\n-- What happened --\n";
  if (!AskViolence(a, p) || !AskPerpetrators(a, p)) return false;

  v1::TriState intention = p->asylum_intention_expressed();
  v1::TriState ignored = p->asylum_request_ignored();
  if (!AskTriState(a, "Did they ask for asylum?", Need::kRequired, &intention)) return false;
  if (intention == v1::YES) {
    if (!AskTriState(a, "Was the asylum request ignored?", Need::kRequired, &ignored)) {
      return false;
    }
  } else {
    ignored = v1::TRI_STATE_UNSPECIFIED;
  }
  p->set_asylum_intention_expressed(intention);
  p->set_asylum_request_ignored(ignored);

  v1::Detention* detention = p->mutable_detention();
  v1::TriState detained = detention->detained();
  uint32_t hours = detention->duration_hours();
  if (!AskTriState(a, "Were they detained before the pushback?", Need::kRequired, &detained)) {
    return false;
  }
  detention->set_detained(detained);
  if (detained == v1::YES) {
    if (!AskText(a, "Where were they held", Need::kOptional, kMaxShortFieldBytes,
                 detention->mutable_place()) ||
        !AskCount(a, "For how many hours", Need::kOptional, 1, 24 * 366, &hours)) {
      return false;
    }
    detention->set_duration_hours(hours);
  } else {
    detention->clear_place();
    detention->set_duration_hours(0);
  }

  v1::Medical* medical = p->mutable_medical();
  v1::TriState injuries = medical->injuries();
  v1::TriState treatment = medical->treatment_needed();
  if (!AskTriState(a, "Was anyone injured?", Need::kRequired, &injuries)) return false;
  medical->set_injuries(injuries);
  if (injuries == v1::YES) {
    if (!AskTriState(a, "Did anyone need medical treatment?", Need::kOptional, &treatment) ||
        !AskText(a, "Injuries, briefly", Need::kOptional, kMaxTextFieldBytes,
                 medical->mutable_description())) {
      return false;
    }
    medical->set_treatment_needed(treatment);
  } else {
    medical->set_treatment_needed(v1::TRI_STATE_UNSPECIFIED);
    medical->clear_description();
  }
  return true;
}

}  // namespace tvault::cli::internal
