// Internals of the guided questions (prompts.h): the question-and-answer loop, the typed
// questions built on it, and the question lists. Only prompts*.cc include this header.
//
// An interview is a list of Question entries (PushbackQuestions, FacilityQuestions,
// InterviewQuestions). Each says when it applies, how its answer reads on the review screen,
// and how it is asked; the loop in prompts.cc walks the list, goes back on "<", and ends with
// the review. A new question is one more entry in a list.
#ifndef TVAULT_CLI_PROMPTS_INTERNAL_H_
#define TVAULT_CLI_PROMPTS_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "prompts.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::cli::internal {

// Whether a question must be answered. An optional question accepts an empty answer (skip)
// and "-" (clear the current value).
enum class Need { kRequired, kOptional };

// One value of an enumeration, offered as a numbered choice. `label` is shown and is also
// accepted as an answer (case-insensitive), as is each of `aliases`; `note`, when not empty,
// is shown in parentheses.
struct Choice {
  int value;
  std::string label;
  std::string note;
  std::vector<std::string> aliases = {};
};

// A check across fields, run on an accepted value (typed or kept): returns an empty string
// when the value is fine, otherwise a one-line reason.
template <typename T>
using Check = std::function<std::string(const T& value)>;

// The question-and-answer loop over one input and one output stream.
class Asker {
 public:
  // Handles one trimmed answer: returns an empty string when it is accepted (and has stored
  // the value), otherwise a one-line reason why it is not.
  using Handler = std::function<std::string(const std::string& answer)>;

  Asker(std::istream& in, std::ostream& out, const std::string& today,
        const InterviewIo& io = InterviewIo())
      : in_(in), out_(out), today_(today), io_(io) {}

  Asker(const Asker&) = delete;
  Asker& operator=(const Asker&) = delete;

  std::ostream& out() { return out_; }
  const std::string& today() const { return today_; }

  // Prints `prompt` and reads answers until `handle` accepts one, printing the reason and the
  // prompt again after each refused answer, without limit. "<" or "back" returns kBack
  // without calling `handle`.
  Flow Ask(const std::string& prompt, const Handler& handle);

  // Reads one line without its line ending: kNext, or kStop / kEnd (see Flow).
  Flow ReadLine(std::string* line);

 private:
  std::istream& in_;
  std::ostream& out_;
  std::string today_;
  InterviewIo io_;
};

// True when `answer` asks to go back to the previous question.
bool IsBack(const std::string& answer);

// Builds "question [current] (hint): ", leaving out the parts that are empty.
std::string FormatPrompt(const std::string& question, const std::string& current,
                         const std::string& hint);

// The numbered choices, "  1 label  2 label (note)", wrapped into lines that each end with a
// newline.
std::string ChoiceLines(const std::vector<Choice>& choices);

// What an empty answer or "-" means for a question; kParse when the answer must be read.
enum class Shortcut { kParse, kKeep, kClear };

// Decides what a short answer means: empty keeps the current value when there is one,
// otherwise skips an optional question; "-" clears an optional one. Returns a reason when the
// answer is not acceptable.
std::string ResolveShortcut(const std::string& answer, Need need, bool has_current,
                            Shortcut* shortcut);

// Lower case, with '_' and '-' read as spaces and runs of spaces collapsed.
std::string Normalize(const std::string& s);

// True when `s` is one or more ASCII digits.
bool IsDigits(const std::string& s);

// Removes spaces, tabs and a carriage return at both ends.
std::string Trim(const std::string& s);

// True when `s` is well-formed UTF-8 without control characters other than tab.
bool IsCleanUtf8(const std::string& s);

// Splits `s` at `sep` and trims every piece; an empty or blank `s` gives no pieces.
std::vector<std::string> SplitList(const std::string& s, char sep);

// Reads a count written "15", "about 15", "~15", "15?" or "ca. 15". Returns false when the
// answer is none of these.
bool ParseApproximateCount(const std::string& answer, uint64_t* n);

// Typed questions. Each shows the value already in `*value` (if any) in brackets and keeps
// it on an empty answer, so that going back, resuming a draft and editing all work by
// starting from the answers so far. Each returns the Flow of Asker::Ask.

// Free text of at most `max_bytes` bytes of valid UTF-8 on one line. With `secret`, the
// current value is never shown ("[typed]" instead).
Flow AskText(Asker& a, const std::string& question, Need need, size_t max_bytes,
             std::string* value, bool secret = false);

// A country: an ISO 3166-1 alpha-2 code in any case, or its English name ("Croatia"); a near
// miss is refused with suggestions. When `fallback` is not empty and `*value` is empty, an
// empty answer takes `fallback`.
Flow AskCountry(Asker& a, const std::string& question, Need need, std::string* value,
                const Check<std::string>& check = nullptr, const std::string& fallback = "");

// Countries (codes or names) separated by commas.
Flow AskCountryList(Asker& a, const std::string& question,
                    google::protobuf::RepeatedPtrField<std::string>* value,
                    const Check<std::vector<std::string>>& check = nullptr);

// The code of the country `answer` names, or a one-line reason with suggestions.
std::string ParseCountry(const std::string& answer, std::string* code);

// The forms of date a question accepts.
enum class DateForm {
  kDay,      // YYYY-MM-DD
  kMonth,    // YYYY-MM, stored as the first day of the month
  kPartial,  // YYYY, YYYY-MM or YYYY-MM-DD (a date of birth); never echoed back
};

// A date in `form` that is not after today.
Flow AskDate(Asker& a, const std::string& question, Need need, DateForm form, std::string* value,
             const Check<std::string>& check = nullptr);

// A whole number in [min, max]; "about 15" is read as 15. For an optional question 0 means
// "not given" and skipping or clearing stores 0.
Flow AskCount(Asker& a, const std::string& question, Need need, uint32_t min, uint32_t max,
              uint32_t* value, const Check<uint32_t>& check = nullptr);

// yes/no/unknown (y/n/u accepted). Optional questions may be skipped.
Flow AskTriState(Asker& a, const std::string& question, Need need, v1::TriState* value);

// One value of `choices`, by number or label. 0 means "not given".
Flow AskChoice(Asker& a, const std::string& question, Need need, const std::vector<Choice>& choices,
               int* value);

// Any number of values of `choices`, by numbers or labels separated by commas. An empty
// answer means none (or keeps the current values when there are some); `empty_means` says
// what none means in the hint ("Enter for none").
Flow AskChoiceList(Asker& a, const std::string& question, const std::vector<Choice>& choices,
                   std::vector<int>* value, const Check<std::vector<int>>& check = nullptr,
                   const std::string& empty_means = "Enter for none");

// A language: an ISO 639 code or English name ("Farsi" -> fa), optionally followed by BCP 47
// subtags ("sr-Latn"); "unknown" stores "und". A near miss is refused with suggestions.
Flow AskLanguage(Asker& a, const std::string& question, Need need, std::string* value);

// An optional GPS position "45.1234, 15.5678" (decimal degrees, latitude first).
Flow AskGps(Asker& a, const std::string& question, v1::Location* where);

// Looks `answer` up in `choices` by number, label or alias; returns 0 when it matches nothing.
int MatchChoice(const std::vector<Choice>& choices, const std::string& answer);

// The label of `value` in `choices`, or "?" when it is not there.
std::string ChoiceLabel(const std::vector<Choice>& choices, int value);

// The severities of a condition or of a safeguard's denial: minor, serious, severe, unknown.
const std::vector<Choice>& SeverityChoices();

// "yes", "no", "unknown", or "" when not given.
std::string TriStateText(v1::TriState value);

// ---- The question lists ----

// An interview in progress: the answers so far, and what the questions need to know.
struct Interview {
  v1::Testimony t;
  const std::vector<v1::Facility>* facilities = nullptr;
  // A sealed identity (of the record edited, or kept in the draft) stays unless a new one is
  // typed; replace_identity is the answer to "replace it?".
  bool has_sealed_identity = false;
  bool replace_identity = false;
};

// One question of an interview.
struct Question {
  std::string section;  // a heading printed when the section starts, e.g. "The pushback"
  std::string label;    // the short name on the review screen
  // Whether it is asked, from the answers so far; null means always.
  std::function<bool(const Interview&)> applies;
  // The answer as the review screen shows it; empty reads "(not given)".
  std::function<std::string(const Interview&)> show;
  // Asks it (possibly as several lines of questions, e.g. one per perpetrator).
  std::function<Flow(Asker&, Interview&)> ask;
  // A check across answers run before saving (other answers may have changed since); null
  // or an empty reason when the answer is fine.
  std::function<std::string(const Interview&)> check = nullptr;
  // Clears the answer when the question no longer applies at saving (e.g. the number of
  // minors after "minors: no"); null when there is nothing to clear.
  std::function<void(Interview&)> reset = nullptr;
};

// The questions of each kind, then those of every interview (language, interpreter,
// identity, narrative), in the order they are asked.
std::vector<Question> PushbackQuestions();
std::vector<Question> FacilityQuestions();
std::vector<Question> InterviewQuestions();
// The facility questions about holding and removal (issue 20), asked after the conditions of a
// stay: how the person got there, the state that sent them, days held, the legal safeguards
// and onward removal (prompts_removal.cc).
std::vector<Question> RemovalQuestions();

// A facility of the registry, chosen by its number in the list printed with `question`, its
// id or its name; the id goes into `*id` (prompts_facility.cc). REQUIRES: `facilities` is not
// empty.
Flow AskRegistryFacility(Asker& a, const std::string& question,
                         const std::vector<v1::Facility>& facilities, std::string* id);

}  // namespace tvault::cli::internal

#endif  // TVAULT_CLI_PROMPTS_INTERNAL_H_
