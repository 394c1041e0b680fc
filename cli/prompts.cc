// RunInterview: walks a list of questions (prompts_internal.h) forwards and back, offers a
// draft when stopped, and ends with a review screen where any answer can be changed.
#include "prompts.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "prompts_internal.h"

namespace tvault::cli {
namespace {

using internal::Asker;
using internal::Interview;
using internal::Question;

// Typed at the review screen to keep the answers as a draft instead of saving.
constexpr char kDraftWord[] = "draft";

bool Applies(const Question& q, const Interview& iv) { return !q.applies || q.applies(iv); }

// The applicable question before `i`, or `i` itself when there is none.
size_t PreviousApplicable(const std::vector<Question>& qs, const Interview& iv, size_t i) {
  for (size_t j = i; j > 0; --j) {
    if (Applies(qs[j - 1], iv)) return j - 1;
  }
  return i;
}

// Asks whether to keep the answers as a draft after Ctrl-C. Returns kNext to keep it, kBack
// to go on with the interview, kEnd to keep nothing. Another Ctrl-C, or the end of input,
// keeps the draft: losing an interview is the harm this guards against.
Flow OfferDraft(Asker& a) {
  bool keep = true;
  const Flow f = a.Ask(
      "\nStopped. Keep the answers so far as a draft, encrypted in this store, to finish later "
      "with `tvault drafts resume`?\nyes/no (Enter: yes; < goes back to the question): ",
      [&](const std::string& answer) -> std::string {
        const std::string n = internal::Normalize(answer);
        if (n.empty() || n == "y" || n == "yes") {
          keep = true;
        } else if (n == "n" || n == "no") {
          keep = false;
        } else {
          return "Answer y (keep a draft), n (keep nothing) or < (go on with the interview).";
        }
        return "";
      });
  if (f == Flow::kBack) return Flow::kBack;
  if (f != Flow::kNext) return Flow::kNext;
  return keep ? Flow::kNext : Flow::kEnd;
}

// Prints every applicable answer, numbered, with the problems found by the cross-field
// checks. Fills `numbered` with the question index of each number. Returns the number of
// problems.
int PrintReview(Asker& a, const std::vector<Question>& qs, const Interview& iv,
                std::vector<size_t>* numbered) {
  std::ostream& out = a.out();
  out << "\n-- Review: every answer before saving --\n";
  numbered->clear();
  int problems = 0;
  for (size_t i = 0; i < qs.size(); ++i) {
    if (!Applies(qs[i], iv)) continue;
    numbered->push_back(i);
    std::string answer = qs[i].show ? qs[i].show(iv) : "";
    if (answer.empty()) answer = "(not given)";
    const size_t n = numbered->size();
    out << (n < 10 ? "  " : " ") << n << "  " << qs[i].label << ": " << answer << "\n";
    const std::string problem = qs[i].check ? qs[i].check(iv) : "";
    if (!problem.empty()) {
      out << "     ! " << problem << "\n";
      ++problems;
    }
  }
  return problems;
}

class Walk {
 public:
  Walk(const std::vector<Question>& qs, Interview& iv, Asker& a) : qs_(qs), iv_(iv), a_(a) {}

  // Asks question `i`, printing its section heading when it starts a new section.
  Flow AskOne(size_t i) {
    if (qs_[i].section != section_) {
      section_ = qs_[i].section;
      a_.out() << "\n-- " << section_ << " --\n";
    }
    return qs_[i].ask(a_, iv_);
  }

  // Runs the questions from `*i` to the end. Returns kNext at the end, or kStop / kEnd with
  // `*i` at the question that was stopped.
  Flow Forward(size_t* i) {
    while (*i < qs_.size()) {
      if (!Applies(qs_[*i], iv_)) {
        ++*i;
        continue;
      }
      const Flow f = AskOne(*i);
      if (f == Flow::kNext) {
        ++*i;
      } else if (f == Flow::kBack) {
        const size_t prev = PreviousApplicable(qs_, iv_, *i);
        if (prev == *i) a_.out() << "This is the first question.\n";
        *i = prev;
      } else {
        return f;
      }
    }
    return Flow::kNext;
  }

  // Asks question `j` again from the review, then any question that its new answer made
  // applicable. "<" returns to the review.
  Flow Change(size_t j) {
    std::vector<bool> before(qs_.size());
    for (size_t k = 0; k < qs_.size(); ++k) before[k] = Applies(qs_[k], iv_);
    section_.clear();
    Flow f = AskOne(j);
    if (f != Flow::kNext) return f == Flow::kBack ? Flow::kNext : f;
    for (size_t k = j + 1; k < qs_.size(); ++k) {
      if (before[k] || !Applies(qs_[k], iv_)) continue;
      f = AskOne(k);
      if (f == Flow::kBack) break;
      if (f != Flow::kNext) return f;
    }
    return Flow::kNext;
  }

  void ResetSection() { section_.clear(); }

 private:
  const std::vector<Question>& qs_;
  Interview& iv_;
  Asker& a_;
  std::string section_;
};

}  // namespace

InterviewResult RunInterview(const InterviewStart& start, const std::vector<v1::Facility>& facilities,
                             const std::string& today, std::istream& in, std::ostream& out,
                             const InterviewIo& io) {
  InterviewResult result;
  const v1::Kind kind = start.testimony.kind();
  if (kind != v1::PUSHBACK && kind != v1::FACILITY) {
    out << "Only pushback and facility testimonies can be entered.\n";
    return result;
  }
  const bool needs_registry =
      kind == v1::FACILITY || start.testimony.pushback().incident_kind() == v1::SITE_REMOVAL;
  if (needs_registry && facilities.empty()) {
    out << "The facility registry is empty: a coordinator must add facilities with "
           "`tvault facility add` first (or they arrive with a bundle).\n";
    result.outcome = InterviewOutcome::kNoRegistry;
    return result;
  }

  Interview iv;
  iv.t = start.testimony;
  iv.facilities = &facilities;
  iv.has_sealed_identity = start.has_sealed_identity || !iv.t.sealed_identity().empty();
  // The store and the CLI set these; the identity is replaced only when typed anew.
  iv.t.clear_id();
  iv.t.clear_schema_version();
  iv.t.clear_monitor_id();
  iv.t.clear_recorded_at();
  iv.t.clear_sealed_identity();
  // A sealed identity is replaced by a new one typed from scratch, never by an old plaintext.
  if (iv.has_sealed_identity) iv.t.clear_identity();
  if (kind == v1::PUSHBACK) {
    iv.t.mutable_pushback();
  } else {
    iv.t.mutable_facility();
  }

  std::vector<Question> qs =
      kind == v1::PUSHBACK ? internal::PushbackQuestions() : internal::FacilityQuestions();
  for (Question& q : internal::InterviewQuestions()) qs.push_back(std::move(q));

  out << "One question at a time. Type < to go back to the previous question. Every answer is\n"
         "shown for review before saving. Ctrl-C stops and offers to keep a draft.\n";
  if (start.editing || start.step > 0) {
    out << "Press Enter to keep the value in [brackets]; type - to clear an optional one.\n";
  }

  Asker a(in, out, today, io);
  Walk walk(qs, iv, a);
  size_t i = std::min<size_t>(start.step, qs.size());
  while (true) {
    Flow f = walk.Forward(&i);
    while (f == Flow::kNext) {
      // The review: every answer, then save, change one, go back, or keep a draft.
      std::vector<size_t> numbered;
      const int problems = PrintReview(a, qs, iv, &numbered);
      size_t change = qs.size();
      bool draft = false;
      f = a.Ask("Enter saves; a number changes that answer; < goes back; \"draft\" keeps it as a "
                "draft to finish later: ",
                [&](const std::string& answer) -> std::string {
                  if (answer.empty()) {
                    if (problems == 0) return "";
                    return "Fix the answers marked ! first: type the number of one.";
                  }
                  if (internal::Normalize(answer) == kDraftWord) {
                    draft = true;
                    return "";
                  }
                  if (internal::IsDigits(answer) && answer.size() <= 4) {
                    const size_t n = std::stoul(answer);
                    if (n >= 1 && n <= numbered.size()) {
                      change = numbered[n - 1];
                      return "";
                    }
                  }
                  return "Type Enter to save, a number from 1 to " +
                         std::to_string(numbered.size()) + " to change that answer, or draft.";
                });
      if (f == Flow::kNext && draft) {
        result.outcome = InterviewOutcome::kKeepDraft;
        result.testimony = iv.t;
        result.step = static_cast<uint32_t>(qs.size());
        return result;
      }
      if (f == Flow::kBack) {
        i = PreviousApplicable(qs, iv, qs.size());
        walk.ResetSection();
        break;
      }
      if (f != Flow::kNext) {
        i = qs.size();
        break;
      }
      if (change == qs.size()) {
        // Saved: drop the answers of questions that no longer apply.
        for (const Question& q : qs) {
          if (!Applies(q, iv) && q.reset) q.reset(iv);
        }
        const v1::Identity& id = iv.t.identity();
        if (id.name().empty() && id.phone().empty() && id.contact().empty() &&
            id.date_of_birth().empty()) {
          iv.t.clear_identity();
        }
        // A terminal echoed the Enter; a script's answers are not echoed.
        if (!io.terminal) out << "\n";
        result.outcome = InterviewOutcome::kSave;
        result.testimony = iv.t;
        result.step = static_cast<uint32_t>(qs.size());
        return result;
      }
      f = walk.Change(change);
      if (f != Flow::kNext) i = change;
    }
    if (f == Flow::kBack) continue;
    if (f == Flow::kStop) {
      const Flow offer = OfferDraft(a);
      if (offer == Flow::kBack) {
        walk.ResetSection();
        continue;
      }
      result.outcome = offer == Flow::kNext ? InterviewOutcome::kKeepDraft : InterviewOutcome::kDiscard;
    } else {
      out << "Input ended before the testimony was saved.\n";
      result.outcome = InterviewOutcome::kDiscard;
    }
    result.testimony = iv.t;
    result.step = static_cast<uint32_t>(i);
    return result;
  }
}

}  // namespace tvault::cli
