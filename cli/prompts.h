// The guided terminal questions of `tvault add` (without --from) and `tvault edit ID`: one
// short question at a time, for a field monitor entering a testimony after an interview.
#ifndef TVAULT_CLI_PROMPTS_H_
#define TVAULT_CLI_PROMPTS_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "tvault/v1/testimony.pb.h"

namespace tvault::cli {

// How many times one question is asked again after an answer that is not acceptable. After
// the first answer plus this many re-asks all fail, PromptTestimony prints "too many invalid
// answers" and gives up.
inline constexpr int kMaxReasks = 5;

// Asks the guided questions for a testimony of `kind` (PUSHBACK or FACILITY), one at a time,
// writing questions to `out` and reading one answer line each from `in`.
//
// When `current` is not null (editing), each question shows the current value in [brackets]
// and an empty answer keeps it; "-" clears an optional answer. The result then starts as a
// copy of `*current`, so fields that are not asked about (ages, GPS, ...) are kept.
//
// Identity is never shown (this device cannot read it). When editing a testimony that has a
// sealed identity, one question asks whether to replace it; an empty answer keeps it. The
// result has `identity` set only when the user typed a new identity: when it is not set, the
// caller keeps the sealed identity of `current`.
//
// `facilities` is the registry, listed as choices for FACILITY testimonies; when it is empty,
// a message says that a coordinator must add facilities and std::nullopt is returned.
// `today` is YYYY-MM-DD: dates after it are refused.
//
// Sets `kind` and the `details` oneof. Leaves id, schema_version, monitor_id, recorded_at and
// sealed_identity empty (cleared when editing): the store and the CLI set them.
//
// Returns std::nullopt when input ends (Ctrl-D / EOF) at any point, or after a question got
// 1 + kMaxReasks unacceptable answers (each refusal is explained in one line, and the last
// is followed by "too many invalid answers"). The caller then writes nothing.
std::optional<tvault::v1::Testimony> PromptTestimony(
    tvault::v1::Kind kind, const tvault::v1::Testimony* current,
    const std::vector<tvault::v1::Facility>& facilities, const std::string& today, std::istream& in,
    std::ostream& out);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_PROMPTS_H_
