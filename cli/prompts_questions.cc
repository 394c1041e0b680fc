// The question-and-answer loop and the typed questions of the guided interview.
#include <algorithm>
#include <cctype>
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

std::string ToUpper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

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

bool Asker::ReadLine(std::string* line) {
  if (!std::getline(in_, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

bool Asker::Ask(const std::string& prompt, const Handler& handle) {
  for (int attempt = 0; attempt <= kMaxReasks; ++attempt) {
    out_ << prompt << std::flush;
    std::string line;
    if (!ReadLine(&line)) {
      out_ << "\n";
      return false;
    }
    const std::string reason = handle(Trim(line));
    if (reason.empty()) return true;
    out_ << "! " << reason << "\n";
  }
  out_ << "too many invalid answers\n";
  return false;
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

bool AskText(Asker& a, const std::string& question, Need need, size_t max_bytes,
             std::string* value) {
  const bool has_current = !value->empty();
  return a.Ask(FormatPrompt(question, *value, Hint(need, has_current)),
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

bool AskCountry(Asker& a, const std::string& question, Need need, std::string* value,
                const Check<std::string>& check, const std::string& fallback) {
  const bool has_current = !value->empty() || !fallback.empty();
  const std::string shown = value->empty() ? fallback : *value;
  std::string hint = need == Need::kOptional && !has_current ? "two letters, Enter to skip"
                                                             : "two letters, e.g. HR";
  if (has_current) hint.clear();
  return a.Ask(FormatPrompt(question, shown, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, need, has_current, &s);
    if (!reason.empty()) return reason;
    if (s == Shortcut::kClear) {
      value->clear();
      return std::string();
    }
    const std::string code = s == Shortcut::kKeep ? shown : ToUpper(answer);
    if (!IsIsoCountryCode(code)) {
      return "\"" + answer + "\" is not a country code: type two letters, e.g. HR.";
    }
    reason = CheckOrEmpty(check, code);
    if (reason.empty()) *value = code;
    return reason;
  });
}

bool AskCountryList(Asker& a, const std::string& question,
                    google::protobuf::RepeatedPtrField<std::string>* value,
                    const Check<std::vector<std::string>>& check) {
  std::string current;
  for (const std::string& c : *value) current += (current.empty() ? "" : ", ") + c;
  const bool has_current = !value->empty();
  const std::string hint = has_current ? "" : "codes separated by commas, Enter to skip";
  return a.Ask(FormatPrompt(question, current, hint),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, Need::kOptional, has_current, &s);
                 if (!reason.empty() || s == Shortcut::kKeep) return reason;
                 if (s == Shortcut::kClear) {
                   value->Clear();
                   return std::string();
                 }
                 std::vector<std::string> codes;
                 for (const std::string& piece : SplitList(answer, ',')) {
                   const std::string code = ToUpper(piece);
                   if (!IsIsoCountryCode(code)) {
                     return "\"" + piece + "\" is not a country code: type two letters, e.g. HR.";
                   }
                   codes.push_back(code);
                 }
                 if (codes.size() > kMaxRepeated) return "Too many countries.";
                 reason = check ? check(codes) : "";
                 if (!reason.empty()) return reason;
                 value->Clear();
                 for (const std::string& code : codes) value->Add(std::string(code));
                 return std::string();
               });
}

bool AskDate(Asker& a, const std::string& question, Need need, std::string* value,
             const Check<std::string>& check) {
  const bool has_current = !value->empty();
  std::string hint = "YYYY-MM-DD";
  if (need == Need::kOptional) hint += ", Enter to skip";
  if (has_current) hint.clear();
  return a.Ask(FormatPrompt(question, *value, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, need, has_current, &s);
    if (!reason.empty()) return reason;
    if (s == Shortcut::kClear) {
      value->clear();
      return std::string();
    }
    const std::string date = s == Shortcut::kKeep ? *value : answer;
    if (!IsIsoDate(date)) {
      // The answer is not repeated: it may be an identity field (date of birth).
      return "Not a date: write it as YYYY-MM-DD, e.g. 2024-03-15.";
    }
    if (date > a.today()) return "This date is after today (" + a.today() + ").";
    reason = CheckOrEmpty(check, date);
    if (reason.empty()) *value = date;
    return reason;
  });
}

bool AskCount(Asker& a, const std::string& question, Need need, uint32_t min, uint32_t max,
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
          if (!IsDigits(answer) || answer.size() > 9) {
            return "\"" + answer + "\" is not a whole number: type digits only, e.g. 12.";
          }
          n = std::stoull(answer);
        }
        if (n < min || n > max) {
          return "Type a number from " + std::to_string(min) + " to " + std::to_string(max) + ".";
        }
        reason = check ? check(static_cast<uint32_t>(n)) : "";
        if (reason.empty()) *value = static_cast<uint32_t>(n);
        return reason;
      });
}

bool AskTriState(Asker& a, const std::string& question, Need need, v1::TriState* value) {
  const bool has_current = *value != v1::TRI_STATE_UNSPECIFIED;
  const char* names[] = {"", "yes", "no", "unknown"};
  const std::string current = has_current && *value <= 3 ? names[*value] : "";
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
                   return "Answer y (yes), n (no) or u (unknown).";
                 }
                 return std::string();
               });
}

bool AskLanguage(Asker& a, const std::string& question, Need need, std::string* value) {
  const bool has_current = !value->empty();
  const std::string hint = has_current ? "" : "a code such as ps, ar, fa, ur";
  return a.Ask(FormatPrompt(question, *value, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, need, has_current, &s);
    if (!reason.empty() || s == Shortcut::kKeep) return reason;
    if (s == Shortcut::kClear) {
      value->clear();
      return std::string();
    }
    // A BCP 47 tag: a 2-3 letter language, then subtags of 1-8 letters or digits.
    const std::vector<std::string> subtags = SplitList(answer, '-');
    bool ok =
        !subtags.empty() && subtags[0].size() >= 2 && subtags[0].size() <= 3 && answer.size() <= 35;
    for (size_t i = 0; ok && i < subtags.size(); ++i) {
      ok = !subtags[i].empty() && subtags[i].size() <= 8 &&
           std::all_of(subtags[i].begin(), subtags[i].end(), [&](char c) {
             return i == 0 ? std::isalpha(static_cast<unsigned char>(c)) != 0
                           : std::isalnum(static_cast<unsigned char>(c)) != 0;
           });
    }
    if (!ok) return "\"" + answer + "\" is not a language code: e.g. ps, ar, fa or sr-Latn.";
    std::string tag = answer;
    for (size_t i = 0; i < subtags[0].size(); ++i) {
      tag[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(tag[i])));
    }
    *value = tag;
    return std::string();
  });
}

}  // namespace tvault::cli::internal
