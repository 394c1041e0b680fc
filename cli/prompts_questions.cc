// The question-and-answer loop and the typed questions of the guided interview.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "prompts.h"
#include "prompts_internal.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

constexpr char kSkipHint[] = "Enter to skip";

std::string Hint(Need need, bool has_current) {
  return need == Need::kOptional && !has_current ? kSkipHint : "";
}

std::string CheckOrEmpty(const Check<std::string>& check, const std::string& v) {
  return check ? check(v) : "";
}

}  // namespace

std::string Normalize(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '_' || c == '-' || c == ' ' || c == '\t') {
      if (!r.empty() && r.back() != ' ') r += ' ';
    } else {
      r += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!r.empty() && r.back() == ' ') r.pop_back();
  return r;
}

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

std::string ResolveShortcut(const std::string& answer, Need need, bool has_current,
                            Shortcut* shortcut) {
  *shortcut = Shortcut::kParse;
  if (answer.empty()) {
    if (has_current) {
      *shortcut = Shortcut::kKeep;
    } else if (need == Need::kOptional) {
      *shortcut = Shortcut::kClear;
    } else {
      return "An answer is needed here.";
    }
  } else if (answer == "-") {
    if (need == Need::kRequired) return "An answer is needed here: it cannot be cleared.";
    *shortcut = Shortcut::kClear;
  }
  return "";
}

bool IsCleanUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and code points above U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool IsBack(const std::string& answer) {
  return answer == "<" || Normalize(answer) == "back";
}

Flow Asker::ReadLine(std::string* line) {
  // Ctrl-C pressed while nothing was being read (between questions) counts too.
  if (io_.interrupted && io_.interrupted()) return Flow::kStop;
  if (!std::getline(in_, *line)) {
    if (io_.interrupted && io_.interrupted()) return Flow::kStop;
    if (io_.terminal) {
      // Ctrl-D at a terminal: the terminal can be read again, so treat it as a stop.
      in_.clear();
      std::clearerr(stdin);
      return Flow::kStop;
    }
    return Flow::kEnd;
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return Flow::kNext;
}

Flow Asker::Ask(const std::string& prompt, const Handler& handle) {
  while (true) {
    out_ << prompt << std::flush;
    std::string line;
    const Flow read = ReadLine(&line);
    if (read != Flow::kNext) {
      out_ << "\n";
      return read;
    }
    const std::string answer = Trim(line);
    if (IsBack(answer)) return Flow::kBack;
    const std::string reason = handle(answer);
    if (reason.empty()) return Flow::kNext;
    out_ << "! " << reason << "\n";
  }
}

bool ParseApproximateCount(const std::string& answer, uint64_t* n) {
  std::string s = Normalize(answer);
  for (const char* prefix : {"about ", "approximately ", "approx. ", "approx ", "around ",
                             "ca. ", "ca ", "circa ", "~"}) {
    const std::string p = prefix;
    if (s.compare(0, p.size(), p) == 0) {
      s = Trim(s.substr(p.size()));
      break;
    }
  }
  if (!s.empty() && s.back() == '?') s = Trim(s.substr(0, s.size() - 1));
  if (!IsDigits(s) || s.size() > 9) return false;
  *n = std::stoull(s);
  return true;
}

std::string FormatPrompt(const std::string& question, const std::string& current,
                         const std::string& hint) {
  std::string prompt = question;
  if (!current.empty()) prompt += " [" + current + "]";
  if (!hint.empty()) prompt += " (" + hint + ")";
  // "How many ...? " reads better than "How many ...?: ".
  return prompt + (prompt.back() == '?' ? " " : ": ");
}

std::string Trim(const std::string& s) {
  const char* kSpace = " \t\r\n";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::vector<std::string> SplitList(const std::string& s, char sep) {
  std::vector<std::string> pieces;
  if (Trim(s).empty()) return pieces;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    pieces.push_back(Trim(s.substr(start, end == std::string::npos ? end : end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return pieces;
}

Flow AskText(Asker& a, const std::string& question, Need need, size_t max_bytes,
             std::string* value, bool secret) {
  const bool has_current = !value->empty();
  const std::string shown = secret && has_current ? "typed, Enter keeps it" : *value;
  return a.Ask(FormatPrompt(question, shown, Hint(need, has_current)),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, need, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   value->clear();
                   return "";
                 }
                 if (answer.size() > max_bytes) {
                   return "Too long: at most " + std::to_string(max_bytes) + " bytes.";
                 }
                 if (!IsCleanUtf8(answer)) return "This is not readable text; type it again.";
                 *value = answer;
                 return "";
               });
}

Flow AskDate(Asker& a, const std::string& question, Need need, DateForm form, std::string* value,
             const Check<std::string>& check) {
  const bool has_current = !value->empty();
  // A month is stored as its first day and shown as YYYY-MM.
  const std::string shown = form == DateForm::kMonth && value->size() == 10 ? value->substr(0, 7)
                            : form == DateForm::kPartial && has_current     ? "typed, Enter keeps it"
                                                                            : *value;
  std::string hint = form == DateForm::kMonth     ? "YYYY-MM, e.g. 2024-03"
                     : form == DateForm::kPartial ? "YYYY-MM-DD, YYYY-MM or YYYY"
                                                  : "YYYY-MM-DD, e.g. 2024-03-15";
  if (need == Need::kOptional) hint += ", Enter to skip";
  if (has_current) hint.clear();
  return a.Ask(FormatPrompt(question, shown, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, need, has_current, &s);
    if (!reason.empty()) return reason;
    if (s == Shortcut::kClear) {
      value->clear();
      return std::string();
    }
    std::string date = s == Shortcut::kKeep ? *value : answer;
    switch (form) {
      case DateForm::kDay:
        if (!IsIsoDate(date)) return "Not a date: write it as YYYY-MM-DD, e.g. 2024-03-15.";
        break;
      case DateForm::kMonth:
        // A day kept from before (the precision was "day") stands for its month.
        if (s == Shortcut::kKeep && IsIsoDate(date)) date = date.substr(0, 7);
        if (date.size() == 7) date += "-01";
        if (date.size() != 10 || !IsIsoDate(date) || date.substr(8) != "01") {
          return "Not a month: write it as YYYY-MM, e.g. 2024-03.";
        }
        break;
      case DateForm::kPartial:
        // The answer is never repeated: it is an identity field.
        if (!IsIsoDateOrPart(date)) {
          return "Not a date: write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1990-05 or 1990.";
        }
        break;
    }
    // "2026" and "2026-05" sort before every day of their year and month.
    if (date > a.today()) return "This date is after today (" + a.today() + ").";
    reason = CheckOrEmpty(check, date);
    if (reason.empty()) *value = date;
    return reason;
  });
}

Flow AskCount(Asker& a, const std::string& question, Need need, uint32_t min, uint32_t max,
              uint32_t* value, const Check<uint32_t>& check) {
  const bool has_current = *value != 0;
  return a.Ask(
      FormatPrompt(question, has_current ? std::to_string(*value) : "", Hint(need, has_current)),
      [&](const std::string& answer) -> std::string {
        Shortcut s;
        std::string reason = ResolveShortcut(answer, need, has_current, &s);
        if (!reason.empty()) return reason;
        if (s == Shortcut::kClear) {
          *value = 0;
          return std::string();
        }
        uint64_t n = *value;
        if (s == Shortcut::kParse) {
          const std::string word = Normalize(answer);
          if (need == Need::kRequired && (word == "unknown" || word == "u" || word == "?")) {
            return "This number is needed: give your best estimate, e.g. 12 or \"about 15\" "
                   "(1 if the person was alone).";
          }
          if (!ParseApproximateCount(answer, &n)) {
            return "\"" + answer + "\" is not a number: type digits, e.g. 12 or \"about 15\"" +
                   (need == Need::kOptional ? "; Enter if it is not known." : ".");
          }
        }
        if (n < min || n > max) {
          return "Type a number from " + std::to_string(min) + " to " + std::to_string(max) + ".";
        }
        reason = check ? check(static_cast<uint32_t>(n)) : "";
        if (reason.empty()) *value = static_cast<uint32_t>(n);
        return reason;
      });
}

std::string TriStateText(v1::TriState value) {
  switch (value) {
    case v1::YES:
      return "yes";
    case v1::NO:
      return "no";
    case v1::UNKNOWN:
      return "unknown";
    default:
      return "";
  }
}

Flow AskTriState(Asker& a, const std::string& question, Need need, v1::TriState* value) {
  const bool has_current = *value != v1::TRI_STATE_UNSPECIFIED;
  const std::string current = TriStateText(*value);
  return a.Ask(FormatPrompt(question + " yes/no/unknown", current, Hint(need, has_current)),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, need, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   *value = v1::TRI_STATE_UNSPECIFIED;
                   return std::string();
                 }
                 const std::string n = Normalize(answer);
                 if (n == "y" || n == "yes") {
                   *value = v1::YES;
                 } else if (n == "n" || n == "no") {
                   *value = v1::NO;
                 } else if (n == "u" || n == "unknown" || n == "?") {
                   *value = v1::UNKNOWN;
                 } else {
                   return std::string("Answer y (yes), n (no) or u (unknown)") +
                          (need == Need::kOptional ? "; Enter to skip." : ".");
                 }
                 return std::string();
               });
}

}  // namespace tvault::cli::internal
