// The pushback questions with answers of several parts: nationalities, ages, violence and
// perpetrators (each with its country and unit as seen).
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "prompts_pushback.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

// The largest age accepted in years (docs/schema.md, Age.years).
constexpr uint32_t kMaxAgeYears = 120;

const std::vector<Choice>& AgeBandChoices() {
  static const auto* choices = new std::vector<Choice>{
      {v1::AGE_0_13, "0-13", ""},   {v1::AGE_14_17, "14-17", ""}, {v1::AGE_18_25, "18-25", ""},
      {v1::AGE_26_35, "26-35", ""}, {v1::AGE_36_PLUS, "36+", ""}, {v1::AGE_BAND_UNKNOWN, "unknown", ""},
  };
  return *choices;
}

// Reads "AF:5, Pakistan:3, SY" into `*list`. Returns a reason when it cannot.
std::string ParseNationalities(const std::string& answer, uint32_t group_size,
                               std::vector<v1::NationalityCount>* list) {
  list->clear();
  uint64_t sum = 0;
  for (const std::string& piece : SplitList(answer, ',')) {
    const size_t colon = piece.find(':');
    std::string code;
    const std::string reason = ParseCountry(Trim(piece.substr(0, colon)), &code);
    if (!reason.empty()) return reason + " Write e.g. AF:5, PK:3.";
    uint32_t count = 0;
    if (colon != std::string::npos) {
      const std::string digits = Trim(piece.substr(colon + 1));
      if (!IsDigits(digits) || digits.size() > 9) {
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

// Reads "24, 17, 0-13, 36+, unknown" into `*ages`.
std::string ParseAges(const std::string& answer, uint32_t group_size, std::vector<v1::Age>* ages) {
  ages->clear();
  for (const std::string& piece : SplitList(answer, ',')) {
    v1::Age age;
    const int band = MatchChoice(AgeBandChoices(), piece);
    if (IsDigits(piece) && piece.size() <= 3 && std::stoul(piece) <= kMaxAgeYears) {
      age.set_years(static_cast<uint32_t>(std::stoul(piece)));
    } else if (band != 0 && !IsDigits(piece)) {
      age.set_band(static_cast<v1::AgeBand>(band));
    } else {
      return "\"" + piece + "\" is not an age: write years (0 to 120) or a band (0-13, 14-17, "
             "18-25, 26-35, 36+, unknown), e.g. 24, 17, 0-13.";
    }
    ages->push_back(age);
  }
  if (ages->size() > group_size) {
    return std::to_string(ages->size()) + " ages for a group of " + std::to_string(group_size) +
           ": give at most one age a person.";
  }
  return "";
}

}  // namespace

std::string FormatNationalities(const v1::Pushback& p) {
  std::string s;
  for (const v1::NationalityCount& n : p.nationalities()) {
    if (!s.empty()) s += ", ";
    s += n.country();
    if (n.count() != 0) s += ":" + std::to_string(n.count());
  }
  return s;
}

std::string FormatAges(const v1::Pushback& p) {
  std::string s;
  for (const v1::Age& age : p.ages()) {
    if (!s.empty()) s += ", ";
    s += age.value_case() == v1::Age::kYears ? std::to_string(age.years())
                                             : ChoiceLabel(AgeBandChoices(), age.band());
  }
  return s;
}

std::string CheckNationalities(const v1::Pushback& p) {
  std::vector<v1::NationalityCount> list;
  return ParseNationalities(FormatNationalities(p), p.group_size(), &list);
}

std::string CheckAges(const v1::Pushback& p) {
  std::vector<v1::Age> ages;
  return ParseAges(FormatAges(p), p.group_size(), &ages);
}

Flow AskNationalities(Asker& a, v1::Pushback* p) {
  const std::string current = FormatNationalities(*p);
  const std::string hint = current.empty()
                               ? "e.g. AF:5, PK:3; a country alone if the number is unknown; "
                                 "Enter to skip"
                               : "";
  return a.Ask(FormatPrompt("Nationalities and how many of each", current, hint),
               [&](const std::string& answer) -> std::string {
                 if (answer == "-" || (answer.empty() && current.empty())) {
                   p->clear_nationalities();
                   return "";
                 }
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

Flow AskAges(Asker& a, v1::Pushback* p) {
  const std::string current = FormatAges(*p);
  const std::string hint = current.empty()
                               ? "years or bands 0-13, 14-17, 18-25, 26-35, 36+, e.g. 24, 17, "
                                 "0-13; \"not asked\" or Enter to skip"
                               : "";
  return a.Ask(FormatPrompt("Ages of the people in the group", current, hint),
               [&](const std::string& answer) -> std::string {
                 const std::string n = Normalize(answer);
                 if (answer == "-" || n == "not asked" || (answer.empty() && current.empty())) {
                   p->clear_ages();
                   return "";
                 }
                 std::vector<v1::Age> ages;
                 const std::string reason =
                     ParseAges(answer.empty() ? current : answer, p->group_size(), &ages);
                 if (!reason.empty()) return reason;
                 p->clear_ages();
                 for (const v1::Age& age : ages) *p->add_ages() = age;
                 return "";
               });
}

Flow AskViolence(Asker& a, v1::Pushback* p) {
  std::vector<int> chosen(p->violence().begin(), p->violence().end());
  const Flow f = AskChoiceList(
      a, "Violence", ViolenceChoices(), &chosen,
      [](const std::vector<int>& v) -> std::string {
        const bool none = std::find(v.begin(), v.end(), v1::NO_VIOLENCE_REPORTED) != v.end();
        if (none && v.size() > 1) return "\"no violence\" cannot be combined with other answers.";
        return "";
      },
      "\"no violence\" if the person recalls none; Enter only if it was not asked");
  if (f != Flow::kNext) return f;
  p->clear_violence();
  for (int v : chosen) p->add_violence(static_cast<v1::ViolenceType>(v));
  return f;
}

std::string FormatPerpetrators(const v1::Pushback& p) {
  std::string s;
  for (const v1::Perpetrator& q : p.perpetrators()) {
    if (!s.empty()) s += "; ";
    s += ChoiceLabel(PerpetratorChoices(), q.type());
    std::string detail = q.country();
    if (!q.unit_as_seen().empty()) detail += (detail.empty() ? "" : ", ") + q.unit_as_seen();
    if (!detail.empty()) s += " (" + detail + ")";
  }
  return s;
}

Flow AskPerpetrators(Asker& a, v1::Pushback* p) {
  while (true) {
    std::vector<int> types;
    for (const v1::Perpetrator& q : p->perpetrators()) {
      if (std::find(types.begin(), types.end(), q.type()) == types.end()) types.push_back(q.type());
    }
    Flow f = AskChoiceList(a, "Who did it", PerpetratorChoices(), &types);
    if (f != Flow::kNext) return f;
    std::vector<v1::Perpetrator> result;
    for (int type : types) {
      v1::Perpetrator q;
      q.set_type(static_cast<v1::PerpetratorType>(type));
      // Keep what was recorded for this type before (country, unit as seen).
      for (const v1::Perpetrator& old : p->perpetrators()) {
        if (old.type() == type) q = old;
      }
      result.push_back(q);
    }
    // Two questions for each: its country, then the unit as seen. "<" steps back through them.
    size_t step = 0;
    while (step < 2 * result.size()) {
      v1::Perpetrator& q = result[step / 2];
      const std::string who = ChoiceLabel(PerpetratorChoices(), q.type());
      if (step % 2 == 0) {
        f = AskCountry(a, "Country of the " + who, Need::kOptional, q.mutable_country(), nullptr,
                       p->pushed_from());
      } else {
        f = AskText(a, "Unit as seen (uniforms, insignia, vehicles) of the " + who,
                    Need::kOptional, kMaxShortFieldBytes, q.mutable_unit_as_seen());
      }
      if (f == Flow::kBack) {
        if (step == 0) break;
        --step;
        continue;
      }
      if (f != Flow::kNext) return f;
      ++step;
    }
    if (step < 2 * result.size()) continue;  // back to the list of who did it
    p->clear_perpetrators();
    for (const v1::Perpetrator& q : result) *p->add_perpetrators() = q;
    return Flow::kNext;
  }
}

}  // namespace tvault::cli::internal
