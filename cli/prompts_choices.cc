// The numbered-choice questions of the guided interview.
#include <algorithm>
#include <string>
#include <vector>

#include "prompts_internal.h"

namespace tvault::cli::internal {
namespace {

constexpr size_t kWrapColumn = 78;

// "question [current] (hint):" on one line, then the numbered choices wrapped, then "> ".
std::string ChoicePrompt(const std::string& question, const std::string& current,
                         const std::string& hint, const std::vector<Choice>& choices) {
  std::string prompt = FormatPrompt(question, current, hint);
  while (!prompt.empty() && prompt.back() == ' ') prompt.pop_back();
  return prompt + "\n" + ChoiceLines(choices) + "> ";
}

}  // namespace

std::string ChoiceLines(const std::vector<Choice>& choices) {
  std::string lines = " ";
  size_t column = 1;
  for (size_t i = 0; i < choices.size(); ++i) {
    std::string item = std::to_string(i + 1) + " " + choices[i].label;
    if (!choices[i].note.empty()) item += " (" + choices[i].note + ")";
    if (column > 1 && column + 2 + item.size() > kWrapColumn) {
      lines += "\n ";
      column = 1;
    }
    lines += (column == 1 ? " " : "  ") + item;
    column += (column == 1 ? 1 : 2) + item.size();
  }
  return lines + "\n";
}

int MatchChoice(const std::vector<Choice>& choices, const std::string& answer) {
  if (IsDigits(answer)) {
    if (answer.size() > 3) return 0;
    const size_t n = std::stoul(answer);
    return n >= 1 && n <= choices.size() ? choices[n - 1].value : 0;
  }
  const std::string wanted = Normalize(answer);
  for (const Choice& c : choices) {
    if (Normalize(c.label) == wanted) return c.value;
    for (const std::string& alias : c.aliases) {
      if (Normalize(alias) == wanted) return c.value;
    }
  }
  return 0;
}

std::string ChoiceLabel(const std::vector<Choice>& choices, int value) {
  for (const Choice& c : choices) {
    if (c.value == value) return c.label;
  }
  return "?";
}

Flow AskChoice(Asker& a, const std::string& question, Need need, const std::vector<Choice>& choices,
               int* value) {
  const bool has_current = *value != 0;
  const std::string current = has_current ? ChoiceLabel(choices, *value) : "";
  const std::string hint = need == Need::kOptional && !has_current ? "a number, Enter to skip"
                           : has_current                           ? ""
                                                                   : "a number";
  return a.Ask(ChoicePrompt(question, current, hint, choices),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, need, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   *value = 0;
                   return std::string();
                 }
                 const int v = MatchChoice(choices, answer);
                 if (v == 0) {
                   return "\"" + answer + "\" is not in the list: type a number from 1 to " +
                          std::to_string(choices.size()) + " or a name, e.g. 1 or " +
                          choices[0].label + (need == Need::kOptional ? "; Enter to skip." : ".");
                 }
                 *value = v;
                 return std::string();
               });
}

Flow AskChoiceList(Asker& a, const std::string& question, const std::vector<Choice>& choices,
                   std::vector<int>* value, const Check<std::vector<int>>& check,
                   const std::string& empty_means) {
  std::string current;
  for (int v : *value) current += (current.empty() ? "" : ", ") + ChoiceLabel(choices, v);
  const bool has_current = !value->empty();
  const std::string hint =
      has_current ? "numbers separated by commas" : "numbers separated by commas; " + empty_means;
  return a.Ask(ChoicePrompt(question, current, hint, choices),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, Need::kOptional, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   value->clear();
                   return std::string();
                 }
                 std::vector<std::string> pieces;
                 for (const std::string& piece : SplitList(answer, ',')) {
                   // "1 3 5" is read as "1, 3, 5".
                   bool all_numbers = true;
                   std::vector<std::string> words = SplitList(piece, ' ');
                   for (const std::string& w : words)
                     all_numbers = all_numbers && (w.empty() || IsDigits(w));
                   if (all_numbers && words.size() > 1) {
                     for (const std::string& w : words) {
                       if (!w.empty()) pieces.push_back(w);
                     }
                   } else {
                     pieces.push_back(piece);
                   }
                 }
                 std::vector<int> chosen;
                 for (const std::string& piece : pieces) {
                   const int v = MatchChoice(choices, piece);
                   if (v == 0) {
                     return "\"" + piece + "\" is not in the list: use numbers from 1 to " +
                            std::to_string(choices.size()) + " or names, separated by commas, " +
                            "e.g. 1, 3.";
                   }
                   if (std::find(chosen.begin(), chosen.end(), v) == chosen.end())
                     chosen.push_back(v);
                 }
                 reason = check ? check(chosen) : "";
                 if (reason.empty()) *value = chosen;
                 return reason;
               });
}

}  // namespace tvault::cli::internal
