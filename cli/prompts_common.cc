// The questions every interview ends with: language, interpreter, identity, narrative.
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/catalogues.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

// The line that ends the narrative.
constexpr char kNarrativeEnd[] = ".";
// The first narrative line that deletes the current narrative.
constexpr char kNarrativeClear[] = "-";
// How much of the narrative the review screen shows.
constexpr size_t kNarrativePreviewBytes = 60;

constexpr char kInterview[] = "The interview";
constexpr char kIdentity[] =
    "Identity (sealed to the organisation key; this device cannot read it back)";

bool TypesIdentity(const Interview& iv) { return !iv.has_sealed_identity || iv.replace_identity; }

// Identity answers are never shown, on the review screen either.
std::string Typed(const std::string& value) { return value.empty() ? "" : "typed (not shown)"; }

// Reads the narrative: lines up to one containing only ".". Blank lines at both ends are
// dropped, and a narrative of no lines keeps the current one. A narrative of only "-"
// deletes the current one; "<" as the first line goes back.
Flow AskNarrative(Asker& a, std::string* narrative) {
  if (!narrative->empty()) {
    a.out() << "Current narrative:\n"
            << *narrative << "\n"
            << "Type a new one to replace it, \"" << kNarrativeEnd << "\" alone to keep it, or \""
            << kNarrativeClear << "\" then \"" << kNarrativeEnd << "\" to delete it.\n";
  }
  const std::string prompt =
      "Narrative, in the person's words as far as possible. Type as many lines as you need,\n"
      "then a line containing only \".\" to finish (\".\" straight away skips it; < goes back):\n";
  while (true) {
    a.out() << prompt << std::flush;
    std::vector<std::string> lines;
    size_t bytes = 0;
    bool too_long = false;
    bool bad_text = false;
    std::string line;
    while (true) {
      const Flow read = a.ReadLine(&line);
      if (read != Flow::kNext) {
        a.out() << "\n";
        return read;
      }
      if (lines.empty() && IsBack(Trim(line))) return Flow::kBack;
      if (Trim(line) == kNarrativeEnd) break;
      bytes += line.size() + 1;
      if (bytes > kMaxTextFieldBytes + 1) {
        too_long = true;  // Read on to the end marker, but hold no more text.
        continue;
      }
      bad_text = bad_text || !IsCleanUtf8(line);
      lines.push_back(line);
    }
    while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
    size_t begin = 0;
    while (begin < lines.size() && Trim(lines[begin]).empty()) ++begin;
    if (too_long) {
      a.out() << "! The narrative is longer than " << kMaxTextFieldBytes / 1024
              << " KiB; please shorten it.\n";
      continue;
    }
    if (bad_text) {
      a.out() << "! Part of the narrative is not readable text; please type it again.\n";
      continue;
    }
    if (begin == lines.size()) return Flow::kNext;
    if (lines.size() - begin == 1 && Trim(lines[begin]) == kNarrativeClear) {
      narrative->clear();
      return Flow::kNext;
    }
    std::string text;
    for (size_t i = begin; i < lines.size(); ++i) {
      if (i > begin) text += "\n";
      text += lines[i];
    }
    *narrative = text;
    return Flow::kNext;
  }
}

std::string NarrativePreview(const std::string& n) {
  if (n.empty()) return "";
  size_t lines = 1;
  for (char c : n) lines += c == '\n';
  std::string first = n.substr(0, n.find('\n'));
  if (first.size() > kNarrativePreviewBytes) {
    size_t cut = kNarrativePreviewBytes;
    while (cut > 0 && (static_cast<unsigned char>(first[cut]) & 0xc0) == 0x80) --cut;
    first = first.substr(0, cut) + "...";
  }
  return "\"" + first + "\" (" + std::to_string(lines) + " line" + (lines == 1 ? "" : "s") + ")";
}

// One identity field, asked when a new identity is typed.
Question IdentityText(const std::string& label, std::string* (*field)(v1::Identity*),
                      const std::string& (*get)(const v1::Identity&)) {
  return Question{
      kIdentity, label, TypesIdentity,
      [get](const Interview& iv) { return Typed(get(iv.t.identity())); },
      [label, field](Asker& a, Interview& iv) {
        return AskText(a, label, Need::kOptional, kMaxShortFieldBytes,
                       field(iv.t.mutable_identity()), /*secret=*/true);
      }};
}

}  // namespace

std::vector<Question> InterviewQuestions() {
  std::vector<Question> qs;
  qs.push_back({kInterview, "Language of the interview", nullptr,
                [](const Interview& iv) {
                  const std::string& tag = iv.t.interview_language();
                  const std::string name = LanguageName(tag.substr(0, tag.find('-')));
                  return name.empty() ? tag : tag + " (" + name + ")";
                },
                [](Asker& a, Interview& iv) {
                  return AskLanguage(a, "Language of the interview", Need::kOptional,
                                     iv.t.mutable_interview_language());
                }});
  qs.push_back({kInterview, "Interpreter present", nullptr,
                [](const Interview& iv) { return TriStateText(iv.t.interpreter_present()); },
                [](Asker& a, Interview& iv) {
                  v1::TriState v = iv.t.interpreter_present();
                  const Flow f = AskTriState(a, "Was an interpreter present?", Need::kOptional, &v);
                  iv.t.set_interpreter_present(v);
                  return f;
                }});
  qs.push_back(
      {kIdentity, "Replace the sealed identity",
       [](const Interview& iv) { return iv.has_sealed_identity; },
       [](const Interview& iv) {
         const v1::Identity& id = iv.t.identity();
         const bool typed = !id.name().empty() || !id.phone().empty() || !id.contact().empty() ||
                            !id.date_of_birth().empty();
         if (!iv.replace_identity) return std::string("no, kept as sealed");
         return std::string(typed ? "yes, by the one typed"
                                  : "yes, but nothing was typed: the sealed one is kept");
       },
       [](Asker& a, Interview& iv) {
         return a.Ask(
             FormatPrompt("Replace the sealed identity? yes/no",
                          iv.replace_identity ? "yes" : "", "Enter keeps it"),
             [&](const std::string& answer) -> std::string {
               const std::string n = Normalize(answer);
               if (n.empty()) return "";
               if (n == "n" || n == "no") {
                 iv.replace_identity = false;
               } else if (n == "y" || n == "yes") {
                 iv.replace_identity = true;
               } else {
                 return "Answer y (replace it) or n (keep it).";
               }
               return "";
             });
       }});
  qs.push_back(IdentityText(
      "Name", [](v1::Identity* id) { return id->mutable_name(); },
      [](const v1::Identity& id) -> const std::string& { return id.name(); }));
  qs.push_back(IdentityText(
      "Phone", [](v1::Identity* id) { return id->mutable_phone(); },
      [](const v1::Identity& id) -> const std::string& { return id.phone(); }));
  qs.push_back(IdentityText(
      "Other contact (e-mail, messenger)", [](v1::Identity* id) { return id->mutable_contact(); },
      [](const v1::Identity& id) -> const std::string& { return id.contact(); }));
  qs.push_back({kIdentity, "Date of birth", TypesIdentity,
                [](const Interview& iv) { return Typed(iv.t.identity().date_of_birth()); },
                [](Asker& a, Interview& iv) {
                  return AskDate(a, "Date of birth", Need::kOptional, DateForm::kPartial,
                                 iv.t.mutable_identity()->mutable_date_of_birth());
                }});
  // Each identity field is cleared when a sealed identity is kept after all.
  for (size_t i = qs.size() - 4; i < qs.size(); ++i) {
    qs[i].reset = [](Interview& iv) { iv.t.clear_identity(); };
  }
  qs.push_back({"Narrative", "Narrative", nullptr,
                [](const Interview& iv) { return NarrativePreview(iv.t.narrative()); },
                [](Asker& a, Interview& iv) { return AskNarrative(a, iv.t.mutable_narrative()); }});
  return qs;
}

}  // namespace tvault::cli::internal
