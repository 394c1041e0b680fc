// Helpers shared by the in-process tests of the guided interview (cli/prompts.h): the
// interview driven through string streams, and complete answer lists.
#ifndef TVAULT_TESTS_CLI_PROMPTS_FIXTURE_H_
#define TVAULT_TESTS_CLI_PROMPTS_FIXTURE_H_

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "prompts.h"

namespace tvault::cli::testing {

namespace v1 = ::tvault::v1;

inline constexpr char kToday[] = "2024-06-01";

// Joins answer lines, each ended by a newline, as a user would type them.
inline std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& line : lines) s += line + "\n";
  return s;
}

struct Session {
  std::optional<v1::Testimony> result;  // set when the interview ended with "save"
  InterviewResult full;
  std::string output;
};

// Runs an interview over `answers`. With `interrupt_at`, Ctrl-C is reported before the read of
// that answer line (counting from 0).
inline Session Prompt(v1::Kind kind, const std::vector<std::string>& answers,
               const v1::Testimony* current = nullptr,
               const std::vector<v1::Facility>& facilities = {}, int interrupt_at = -1,
               uint32_t step = 0) {
  std::istringstream in(Lines(answers));
  std::ostringstream out;
  InterviewStart start;
  if (current != nullptr) {
    start.testimony = *current;
    start.editing = true;
    start.has_sealed_identity = !current->sealed_identity().empty();
  }
  start.testimony.set_kind(kind);
  start.step = step;
  InterviewIo io;
  int reads = 0;
  io.interrupted = [&]() {
    // Called before each read and after a failed one; count the reads by the stream position.
    (void)reads;
    if (interrupt_at < 0) return false;
    std::streampos at = in.tellg();
    std::string consumed = at < 0 ? "" : in.str().substr(0, static_cast<size_t>(at));
    int lines = 0;
    for (char c : consumed) lines += c == '\n';
    if (lines == interrupt_at) {
      interrupt_at = -1;
      return true;
    }
    return false;
  };
  Session run;
  run.full = RunInterview(start, facilities, kToday, in, out, io);
  if (run.full.outcome == InterviewOutcome::kSave) run.result = run.full.testimony;
  run.output = out.str();
  return run;
}

inline int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The answers of a complete pushback interview, in the order the questions come.
inline std::vector<std::string> PushbackAnswers() {
  return {
      "1",                     // 0 how exact: day
      "2024-03-10",            // 1 date of the pushback
      "night",                 // 2 time of day
      "hr",                    // 3 country where it happened
      "Cetingrad",             // 4 municipality
      "",                      // 5 border-segment code: skipped
      "",                      // 6 GPS: skipped
      "hr",                    // 7 pushed from
      "BA",                    // 8 pushed to
      "si, hr, ba",            // 9 chain
      "12",                    // 10 group size
      "y",                     // 11 minors
      "3",                     // 12 how many minors
      "u",                     // 13 women
      "",                      // 14 ages: skipped
      "af:5, PK:3, SY",        // 15 nationalities
      "1, 2, 7",               // 16 violence: beating, kicking, pepper spray
      "1,4",                   // 17 perpetrators: border police, military
      "",                      // 18 country of border police: defaults to pushed from
      "",                      // 19 unit of border police
      "ba",                    // 20 country of military
      "",                      // 21 unit of military
      "yes",                   // 22 asylum asked
      "y",                     // 23 ignored
      "n",                     // 24 detained
      "y",                     // 25 injured
      "unknown",               // 26 treatment needed
      "Bruises on the back",   // 27 injuries, briefly
      "PS",                    // 28 interview language
      "n",                     // 29 interpreter
      "Ahmad Example",         // 30 name
      "+38761000000",          // 31 phone
      "",                      // 32 other contact: skipped
      "1990-01-02",            // 33 date of birth
      "We crossed at night.",  // 34 narrative
      "",
      "They took our phones.",
      ".",
      "",                      // 38 review: Enter saves
  };
}


}  // namespace tvault::cli::testing

#endif  // TVAULT_TESTS_CLI_PROMPTS_FIXTURE_H_
