// RunGuided: the guided interview, Ctrl-C, drafts and storing the result.
#include "guided.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "common.h"
#include "prompts.h"

namespace tvault::cli {
namespace {

volatile sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

// Catches Ctrl-C (SIGINT) while alive, without restarting the interrupted read, so that the
// question loop sees it; the previous handler comes back at the end.
class InterruptCatcher {
 public:
  InterruptCatcher() {
    struct sigaction sa = {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns
    g_interrupted = 0;
    ::sigaction(SIGINT, &sa, &old_);
  }
  ~InterruptCatcher() { ::sigaction(SIGINT, &old_, nullptr); }
  InterruptCatcher(const InterruptCatcher&) = delete;
  InterruptCatcher& operator=(const InterruptCatcher&) = delete;

 private:
  struct sigaction old_;
};

bool TakeInterrupt() {
  if (!g_interrupted) return false;
  g_interrupted = 0;
  std::cin.clear();
  std::clearerr(stdin);
  return true;
}

std::string Short(const std::string& id) { return id.substr(0, 8); }

// Keeps `draft` (new or replaced) and returns its id.
std::string Keep(Store& store, Draft& draft) {
  draft.id = Check(store.SaveDraft(draft));
  return draft.id;
}

}  // namespace

void RunGuided(Store& store, Draft draft) {
  std::vector<v1::Facility> facilities = Check(store.ListFacilities());
  InterviewStart start;
  start.testimony = draft.testimony;
  start.testimony.set_kind(draft.kind);
  start.step = draft.step;
  start.has_sealed_identity = !draft.testimony.sealed_identity().empty();
  start.editing = !draft.record_id.empty();
  if (!draft.id.empty()) {
    std::cout << "Resuming draft " << Short(draft.id) << " (last changed " << draft.updated_at
              << ").\n";
  }
  InterviewIo io;
  io.interrupted = TakeInterrupt;
  io.terminal = ::isatty(0) == 1;
  InterviewResult result;
  {
    InterruptCatcher catcher;
    result = RunInterview(start, facilities, TodayUtc(), std::cin, std::cout, io);
  }
  // Without a new identity, the draft keeps the sealed one it had (a record's or its own).
  const std::string sealed = draft.testimony.sealed_identity();
  draft.testimony = result.testimony;
  if (!draft.testimony.has_identity()) draft.testimony.set_sealed_identity(sealed);
  draft.step = result.step;

  switch (result.outcome) {
    case InterviewOutcome::kNoRegistry:
      throw CliError(kExitCancelled, "cancelled: the facility registry is empty");
    case InterviewOutcome::kDiscard:
      throw CliError(kExitCancelled, draft.id.empty()
                                         ? "cancelled: nothing was written"
                                         : "cancelled: draft " + Short(draft.id) +
                                               " is kept as it was");
    case InterviewOutcome::kKeepDraft: {
      const std::string id = Keep(store, draft);
      std::cout << "Kept as draft " << Short(id) << ". Finish it with `tvault drafts resume "
                << Short(id) << "`.\n";
      throw CliError(kExitCancelled, "stopped: the answers are kept as draft " + Short(id));
    }
    case InterviewOutcome::kSave:
      break;
  }
  InputRecord record;
  record.where = "testimony";
  record.testimony = result.testimony;
  record.testimony.clear_sealed_identity();
  try {
    if (!draft.id.empty()) {
      FinishedDraft done = Check(store.FinishDraft(draft.id, std::move(record)));
      if (done.version == 1) {
        std::cout << "added " << done.record_id << "\n";
      } else {
        std::cout << "stored version " << done.version << " of " << done.record_id << "\n";
      }
    } else if (draft.record_id.empty()) {
      std::vector<InputRecord> one;
      one.push_back(std::move(record));
      std::vector<std::string> ids = Check(store.Add(std::move(one)));
      std::cout << "added " << ids[0] << "\n";
    } else {
      record.where = "edit";
      record.testimony.set_id(draft.record_id);
      uint32_t version = Check(store.Edit(draft.record_id, std::move(record)));
      std::cout << "stored version " << version << " of " << draft.record_id << "\n";
    }
  } catch (const CliError& e) {
    // Nothing typed is lost: the answers go to a draft, reviewed again when resumed.
    const std::string id = Keep(store, draft);
    throw CliError(e.code, std::string(e.what()) + "; the answers are kept as draft " + Short(id) +
                               " (`tvault drafts resume " + Short(id) + "`)");
  }
}

}  // namespace tvault::cli
