// Internals shared by the pushback questions (prompts_pushback*.cc).
#ifndef TVAULT_CLI_PROMPTS_PUSHBACK_H_
#define TVAULT_CLI_PROMPTS_PUSHBACK_H_

#include <string>
#include <vector>

#include "prompts_internal.h"

namespace tvault::cli::internal {

const std::vector<Choice>& ViolenceChoices();
const std::vector<Choice>& PerpetratorChoices();

// The answers as the questions show them: "AF:5, PK:3"; "24, 0-13"; "border police (HR, ...)".
std::string FormatNationalities(const v1::Pushback& p);
std::string FormatAges(const v1::Pushback& p);
std::string FormatPerpetrators(const v1::Pushback& p);

// Checks the answers kept against the group size (which may have changed since).
std::string CheckNationalities(const v1::Pushback& p);
std::string CheckAges(const v1::Pushback& p);

Flow AskNationalities(Asker& a, v1::Pushback* p);
Flow AskAges(Asker& a, v1::Pushback* p);
Flow AskViolence(Asker& a, v1::Pushback* p);
// The types, then the country and the unit as seen of each.
Flow AskPerpetrators(Asker& a, v1::Pushback* p);

}  // namespace tvault::cli::internal

#endif  // TVAULT_CLI_PROMPTS_PUSHBACK_H_
