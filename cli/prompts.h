// The guided terminal questions of `tvault add` (without --from), `tvault edit ID` and
// `tvault drafts resume`: one short question at a time, for a field monitor entering a
// testimony after an interview, tired and in a hurry. Nothing typed is lost by a slip:
//   - "<" or "back" returns to the previous question, whose answer shows in [brackets];
//   - an answer that is not acceptable is explained (with an example) and asked again,
//     without limit;
//   - every answer is shown on a review screen before saving, where any can be changed;
//   - Ctrl-C (or Ctrl-D on a terminal) asks whether to keep the answers as a draft.
#ifndef TVAULT_CLI_PROMPTS_H_
#define TVAULT_CLI_PROMPTS_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "tvault/v1/testimony.pb.h"

namespace tvault::cli {

// What the question loop does next.
enum class Flow {
  kNext,  // the answer was accepted
  kBack,  // the user typed "<" or "back"
  kStop,  // Ctrl-C, or Ctrl-D at a terminal: the interview stops and a draft is offered
  kEnd,   // input ended (not a terminal): the interview stops and nothing is kept
};

// How the loop learns about Ctrl-C. Both may be null (string streams in tests).
struct InterviewIo {
  // Called when a read fails or before each read: true when Ctrl-C was pressed since the last
  // call (the callee then clears the flag and the input's error state so reading can go on).
  std::function<bool()> interrupted;
  // True when the input is a terminal: Ctrl-D there is a keystroke like Ctrl-C (the terminal
  // can be read again after it), not the end of a script.
  bool terminal = false;
};

// Where an interview starts: the answers so far and the question to start at.
struct InterviewStart {
  tvault::v1::Testimony testimony;  // kind and the answers so far (a record edited, a draft)
  uint32_t step = 0;                // the question to start at (a draft's step)
  bool has_sealed_identity = false; // the record or draft holds a sealed identity
  bool editing = false;             // an existing record: every question shows its value
};

// How an interview ended.
enum class InterviewOutcome {
  kSave,        // reviewed and confirmed: store `testimony`
  kKeepDraft,   // stopped; the user wants the answers kept as a draft (at `step`)
  kDiscard,     // stopped; the user chose to keep nothing, or input ended
  kNoRegistry,  // a facility testimony with an empty registry: nothing was asked
};

struct InterviewResult {
  InterviewOutcome outcome = InterviewOutcome::kDiscard;
  // The answers. Sets `kind` and the `details` oneof; id, schema_version, monitor_id,
  // recorded_at and sealed_identity are cleared (the store sets them). `identity` is set only
  // when a new identity was typed: otherwise the caller keeps the sealed one.
  tvault::v1::Testimony testimony;
  uint32_t step = 0;  // where to resume a draft
};

// Runs the guided interview of `start.testimony.kind()` (PUSHBACK or FACILITY), writing
// questions to `out` and reading one answer line each from `in`. `facilities` is the
// registry, listed as choices for FACILITY testimonies. `today` is YYYY-MM-DD: dates after it
// are refused.
InterviewResult RunInterview(const InterviewStart& start,
                             const std::vector<tvault::v1::Facility>& facilities,
                             const std::string& today, std::istream& in, std::ostream& out,
                             const InterviewIo& io = InterviewIo());

}  // namespace tvault::cli

#endif  // TVAULT_CLI_PROMPTS_H_
