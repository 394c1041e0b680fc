// PromptTestimony: the guided interview, and its parts shared by both kinds of testimony
// (interview language, identity, narrative).
#include "prompts.h"

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/schema.h"

namespace tvault::cli {
namespace {

using internal::Asker;
using internal::Need;

// The line that ends the narrative.
constexpr char kNarrativeEnd[] = ".";
// The first narrative line that deletes the current narrative when editing.
constexpr char kNarrativeClear[] = "-";

// Asks for a new identity. `*replace` is set when the user typed at least one identity field;
// otherwise the sealed identity (if any) is kept. Identity answers are never printed back.
bool AskIdentity(Asker& a, bool has_sealed, v1::Identity* identity, bool* replace) {
  a.out() << "\n-- Identity --\n"
          << "Identity is sealed to the organisation key; this device cannot read it back.\n";
  *replace = false;
  if (has_sealed) {
    bool wanted = false;
    if (!a.Ask("Replace the sealed identity? yes/no (Enter keeps it): ",
               [&](const std::string& answer) -> std::string {
                 if (answer.empty() || answer == "n" || answer == "no" || answer == "N" ||
                     answer == "No") {
                   wanted = false;
                 } else if (answer == "y" || answer == "yes" || answer == "Y" || answer == "Yes") {
                   wanted = true;
                 } else {
                   return "Answer y (replace it) or n (keep it).";
                 }
                 return "";
               })) {
      return false;
    }
    if (!wanted) return true;
    a.out() << "The new identity replaces the whole sealed one.\n";
  }
  v1::Identity typed;
  if (!internal::AskText(a, "Name", Need::kOptional, kMaxShortFieldBytes, typed.mutable_name()) ||
      !internal::AskText(a, "Phone", Need::kOptional, kMaxShortFieldBytes, typed.mutable_phone()) ||
      !internal::AskText(a, "Other contact (e-mail, messenger)", Need::kOptional,
                         kMaxShortFieldBytes, typed.mutable_contact()) ||
      !internal::AskDate(a, "Date of birth", Need::kOptional, typed.mutable_date_of_birth())) {
    return false;
  }
  const bool any = !typed.name().empty() || !typed.phone().empty() || !typed.contact().empty() ||
                   !typed.date_of_birth().empty();
  if (any) {
    *identity = typed;
    *replace = true;
  } else if (has_sealed) {
    a.out() << "Nothing typed: the sealed identity is kept.\n";
  }
  return true;
}

// Reads the narrative: lines up to one containing only ".". Blank lines at both ends are
// dropped, and a narrative of no lines keeps the current one (none for a new testimony). When
// editing, a narrative of only "-" deletes the current one.
bool AskNarrative(Asker& a, std::string* narrative) {
  a.out() << "\n-- Narrative --\n";
  if (!narrative->empty()) {
    a.out() << "Current narrative:\n"
            << *narrative << "\n"
            << "Type a new one to replace it, \"" << kNarrativeEnd << "\" alone to keep it, or \""
            << kNarrativeClear << "\" then \"" << kNarrativeEnd << "\" to delete it.\n";
  }
  const std::string prompt =
      "Narrative, in the person's words as far as possible. Type as many lines as you need,\n"
      "then a line containing only \".\" to finish (\".\" straight away skips it):\n";
  for (int attempt = 0; attempt <= kMaxReasks; ++attempt) {
    a.out() << prompt << std::flush;
    std::vector<std::string> lines;
    size_t bytes = 0;
    bool too_long = false;
    bool bad_text = false;
    std::string line;
    while (true) {
      if (!a.ReadLine(&line)) {
        a.out() << "\n";
        return false;
      }
      if (internal::Trim(line) == kNarrativeEnd) break;
      bytes += line.size() + 1;
      if (bytes > kMaxTextFieldBytes + 1) {
        too_long = true;  // Read on to the end marker, but hold no more text.
        continue;
      }
      bad_text = bad_text || !internal::IsCleanUtf8(line);
      lines.push_back(line);
    }
    while (!lines.empty() && internal::Trim(lines.back()).empty()) lines.pop_back();
    size_t begin = 0;
    while (begin < lines.size() && internal::Trim(lines[begin]).empty()) ++begin;
    if (too_long) {
      a.out() << "! The narrative is longer than " << kMaxTextFieldBytes / 1024
              << " KiB; please shorten it.\n";
      continue;
    }
    if (bad_text) {
      a.out() << "! Part of the narrative is not readable text; please type it again.\n";
      continue;
    }
    if (begin == lines.size()) return true;
    if (lines.size() - begin == 1 && internal::Trim(lines[begin]) == kNarrativeClear) {
      narrative->clear();
      return true;
    }
    std::string text;
    for (size_t i = begin; i < lines.size(); ++i) {
      if (i > begin) text += "\n";
      text += lines[i];
    }
    *narrative = text;
    return true;
  }
  a.out() << "too many invalid answers\n";
  return false;
}

}  // namespace

std::optional<v1::Testimony> PromptTestimony(v1::Kind kind, const v1::Testimony* current,
                                             const std::vector<v1::Facility>& facilities,
                                             const std::string& today, std::istream& in,
                                             std::ostream& out) {
  if (kind != v1::PUSHBACK && kind != v1::FACILITY) {
    out << "Only pushback and facility testimonies can be entered.\n";
    return std::nullopt;
  }
  if (kind == v1::FACILITY && facilities.empty()) {
    out << "The facility registry is empty: a coordinator must add facilities with "
           "`tvault facility add` first.\n";
    return std::nullopt;
  }

  v1::Testimony t;
  bool has_sealed = false;
  if (current != nullptr) {
    t = *current;
    has_sealed = !current->sealed_identity().empty() || current->has_identity();
    // The store and the CLI set these; the identity is replaced only when typed anew.
    t.clear_id();
    t.clear_schema_version();
    t.clear_monitor_id();
    t.clear_recorded_at();
    t.clear_sealed_identity();
    t.clear_identity();
    out << "Press Enter to keep the value in [brackets]; type - to clear an optional one.\n";
  } else {
    out << "One question at a time. Ctrl-D stops without saving anything.\n";
  }
  t.set_kind(kind);

  Asker a(in, out, today);
  if (kind == v1::PUSHBACK) {
    if (!internal::AskPushback(a, t.mutable_pushback())) return std::nullopt;
  } else {
    if (!internal::AskFacility(a, facilities, t.mutable_facility())) return std::nullopt;
  }

  out << "\n-- The interview --\n";
  v1::TriState interpreter = t.interpreter_present();
  if (!internal::AskLanguage(a, "Language of the interview", Need::kRequired,
                             t.mutable_interview_language()) ||
      !internal::AskTriState(a, "Was an interpreter present?", Need::kRequired, &interpreter)) {
    return std::nullopt;
  }
  t.set_interpreter_present(interpreter);

  v1::Identity identity;
  bool replace_identity = false;
  if (!AskIdentity(a, has_sealed, &identity, &replace_identity) ||
      !AskNarrative(a, t.mutable_narrative())) {
    return std::nullopt;
  }
  if (replace_identity) *t.mutable_identity() = identity;
  return t;
}

}  // namespace tvault::cli
