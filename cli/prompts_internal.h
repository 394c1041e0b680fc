// Internals of the guided questions (prompts.h): the question-and-answer loop and the typed
// questions built on it. Only prompts*.cc include this header.
#ifndef TVAULT_CLI_PROMPTS_INTERNAL_H_
#define TVAULT_CLI_PROMPTS_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "tvault/v1/testimony.pb.h"

namespace tvault::cli::internal {

// Whether a question must be answered. An optional question accepts an empty answer (skip)
// and "-" (clear the current value when editing).
enum class Need { kRequired, kOptional };

// One value of an enumeration, offered as a numbered choice. `label` is shown and is also
// accepted as an answer (case-insensitive); `note`, when not empty, is shown in parentheses.
struct Choice {
  int value;
  std::string label;
  std::string note;
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

  Asker(std::istream& in, std::ostream& out, const std::string& today)
      : in_(in), out_(out), today_(today) {}

  Asker(const Asker&) = delete;
  Asker& operator=(const Asker&) = delete;

  std::ostream& out() { return out_; }
  const std::string& today() const { return today_; }

  // Prints `prompt` and reads answers until `handle` accepts one, printing the reason and the
  // prompt again after each refused answer. Returns false when input ended, or when
  // 1 + kMaxReasks answers were refused (after printing "too many invalid answers").
  bool Ask(const std::string& prompt, const Handler& handle);

  // Reads one line without its line ending. Returns false when input ended.
  bool ReadLine(std::string* line);

 private:
  std::istream& in_;
  std::ostream& out_;
  std::string today_;
};

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

// Typed questions. Each shows the value already in `*value` (if any) in brackets and keeps
// it on an empty answer, so that editing works by starting from a copy of the current record.
// Each returns false when the whole interview must stop (see Asker::Ask).

// Free text of at most `max_bytes` bytes of valid UTF-8 on one line.
bool AskText(Asker& a, const std::string& question, Need need, size_t max_bytes,
             std::string* value);

// An ISO 3166-1 alpha-2 code; lower case is accepted and upper-cased. When `fallback` is not
// empty and `*value` is empty, an empty answer takes `fallback`.
bool AskCountry(Asker& a, const std::string& question, Need need, std::string* value,
                const Check<std::string>& check = nullptr, const std::string& fallback = "");

// Comma-separated ISO 3166-1 alpha-2 codes.
bool AskCountryList(Asker& a, const std::string& question,
                    google::protobuf::RepeatedPtrField<std::string>* value,
                    const Check<std::vector<std::string>>& check = nullptr);

// A YYYY-MM-DD date that is not after today.
bool AskDate(Asker& a, const std::string& question, Need need, std::string* value,
             const Check<std::string>& check = nullptr);

// A whole number in [min, max]. For an optional question 0 means "not given" and skipping or
// clearing stores 0.
bool AskCount(Asker& a, const std::string& question, Need need, uint32_t min, uint32_t max,
              uint32_t* value, const Check<uint32_t>& check = nullptr);

// yes/no/unknown (y/n/u accepted).
bool AskTriState(Asker& a, const std::string& question, Need need, v1::TriState* value);

// One value of `choices`, by number or label. 0 means "not given".
bool AskChoice(Asker& a, const std::string& question, Need need, const std::vector<Choice>& choices,
               int* value);

// Any number of values of `choices`, by numbers or labels separated by commas. An empty
// answer means none (or keeps the current values when there are some).
bool AskChoiceList(Asker& a, const std::string& question, const std::vector<Choice>& choices,
                   std::vector<int>* value, const Check<std::vector<int>>& check = nullptr);

// A BCP 47 language tag such as "ps", "ar" or "sr-Latn".
bool AskLanguage(Asker& a, const std::string& question, Need need, std::string* value);

// Looks `answer` up in `choices` by number or label; returns 0 when it matches nothing.
int MatchChoice(const std::vector<Choice>& choices, const std::string& answer);

// The label of `value` in `choices`, or "?" when it is not there.
std::string ChoiceLabel(const std::vector<Choice>& choices, int value);

// The pushback part of the interview, filling `*p` (which holds the current values when
// editing).
bool AskPushback(Asker& a, v1::Pushback* p);

// The facility part of the interview, filling `*f` (which holds the current values when
// editing). `facilities` is not empty.
bool AskFacility(Asker& a, const std::vector<v1::Facility>& facilities, v1::FacilityConditions* f);

}  // namespace tvault::cli::internal

#endif  // TVAULT_CLI_PROMPTS_INTERNAL_H_
