// Folding text for the search index, and turning a user's query into an FTS4 MATCH
// expression (tvault/search.h).
#include <utf8proc.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tvault/search.h"

namespace tvault {
namespace {

// Letters that have no Unicode decomposition to a base letter (so stripping marks leaves
// them as they are), and the Arabic-script letters spelt differently in Arabic, Persian,
// Dari, Pashto and Urdu text, mapped one to one before decomposition.
utf8proc_int32_t FoldLetter(utf8proc_int32_t c, void* /*unused*/) {
  switch (c) {
    case 0x0131: return 'i';                  // ı dotless i
    case 0x0141: case 0x0142: return 'l';     // Ł ł
    case 0x0110: case 0x0111: return 'd';     // Đ đ
    case 0x00D8: case 0x00F8: return 'o';     // Ø ø
    case 0x0126: case 0x0127: return 'h';     // Ħ ħ
    case 0x0166: case 0x0167: return 't';     // Ŧ ŧ
    case 0x0649: return 0x064A;               // ى alef maksura -> ي yeh
    case 0x06CC: return 0x064A;               // ی Farsi yeh -> ي yeh
    case 0x06A9: return 0x0643;               // ک keheh -> ك kaf
    case 0x0629: return 0x0647;               // ة teh marbuta -> ه heh
    case 0x0640: return 0x200C;               // tatweel -> ZWNJ, removed as default-ignorable
    default: break;
  }
  if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);  // Arabic-Indic digits
  if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);  // Extended (Persian) digits
  return c;
}

// Ligatures that fold to two letters (case folding keeps them whole).
void ExpandLigatures(std::string* s) {
  static const struct { const char* from; const char* to; } kLigatures[] = {
      {"\xC3\xA6", "ae"},  // æ
      {"\xC5\x93", "oe"},  // œ
  };
  for (const auto& l : kLigatures) {
    for (size_t at = s->find(l.from); at != std::string::npos; at = s->find(l.from, at)) {
      s->replace(at, 2, l.to);
    }
  }
}

bool IsLetterOrDigit(utf8proc_int32_t c) {
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsQuote(utf8proc_int32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E;  // " “ ” „
}

bool IsSpace(utf8proc_int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 || c == 0x3000;
}

// One term of a query as the user wrote it.
struct Term {
  std::string raw;   // without its quotes
  size_t at = 0;     // 1-based character position where it starts
  bool phrase = false;
  bool is_or = false;
};

Status QueryError(size_t at, const std::string& what) {
  return InvalidArgument("query: " + what + " (at character " + std::to_string(at) + ")");
}

// Splits the query into words, quoted phrases and OR, by code point.
Result<std::vector<Term>> SplitTerms(std::string_view text) {
  std::vector<Term> terms;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t pos = 0, chars = 0;
  Term current;
  bool in_word = false, in_quote = false;
  size_t quote_at = 0;
  auto finish = [&]() {
    if (!current.phrase && current.raw == "OR") current.is_or = true;
    terms.push_back(std::move(current));
    current = Term();
    in_word = false;
  };
  while (pos < text.size()) {
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &c);
    if (n <= 0) return QueryError(chars + 1, "not valid UTF-8");
    const std::string_view piece = text.substr(pos, static_cast<size_t>(n));
    pos += static_cast<size_t>(n);
    ++chars;
    if (in_quote) {
      if (IsQuote(c)) {
        current.phrase = true;
        finish();
        in_quote = false;
      } else {
        current.raw.append(piece);
      }
    } else if (IsQuote(c)) {
      if (in_word) return QueryError(chars, "a quote must start a new term");
      in_quote = true;
      quote_at = chars;
      current.at = chars;
    } else if (IsSpace(c)) {
      if (in_word) finish();
    } else {
      if (!in_word) current.at = chars;
      in_word = true;
      current.raw.append(piece);
    }
  }
  if (in_quote) return QueryError(quote_at, "the quote opened here is not closed");
  if (in_word) finish();
  return terms;
}

// A word or phrase as the FTS4 phrase the index matches: folded, in double quotes. A '*'
// may only end a word (FTS4 makes the word before it a prefix).
Result<std::string> TermPhrase(const Term& term) {
  TVAULT_ASSIGN_OR_RETURN(std::string folded, FoldForSearch(term.raw));
  // Folding maps some punctuation to ASCII (LUMP): a '"' it makes must not end the phrase.
  for (char& c : folded) {
    if (c == '"') c = ' ';
  }
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] != '*') continue;
    const bool word_before = i > 0 && folded[i - 1] != ' ' && folded[i - 1] != '*';
    const bool word_ends = i + 1 == folded.size() || folded[i + 1] == ' ';
    if (!word_before || !word_ends) {
      return QueryError(term.at, "'*' must end a word (a prefix search, as in hayd*)");
    }
  }
  bool has_letter = false;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  for (size_t pos = 0; pos < folded.size();) {
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes + pos, static_cast<utf8proc_ssize_t>(folded.size() - pos), &c);
    if (n <= 0) break;
    pos += static_cast<size_t>(n);
    if (IsLetterOrDigit(c)) has_letter = true;
  }
  if (!has_letter) {
    return QueryError(term.at, std::string(term.phrase ? "a phrase" : "a term") +
                                   " with no letter or digit cannot be searched for");
  }
  return "\"" + folded + "\"";
}

}  // namespace

Result<std::string> FoldForSearch(std::string_view text) {
  utf8proc_uint8_t* out = nullptr;
  const int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP;
  const utf8proc_ssize_t n = utf8proc_map_custom(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &out, static_cast<utf8proc_option_t>(options),
      FoldLetter, nullptr);
  if (n < 0) return InvalidArgument("text to search is not valid UTF-8");
  std::string folded(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  ExpandLigatures(&folded);
  return folded;
}

Result<std::string> SearchMatchExpression(std::string_view text) {
  if (text.size() > kMaxSearchQueryBytes) {
    return InvalidArgument("query: longer than " + std::to_string(kMaxSearchQueryBytes) +
                           " bytes");
  }
  TVAULT_ASSIGN_OR_RETURN(std::vector<Term> terms, SplitTerms(text));
  std::string expr;
  for (size_t i = 0; i < terms.size(); ++i) {
    const Term& t = terms[i];
    if (t.is_or) {
      if (i == 0 || i + 1 == terms.size() || terms[i - 1].is_or) {
        return QueryError(t.at, "OR must stand between two terms");
      }
      expr += " OR";
      continue;
    }
    TVAULT_ASSIGN_OR_RETURN(std::string phrase, TermPhrase(t));
    if (!expr.empty()) expr += ' ';
    expr += phrase;
  }
  return expr;
}

}  // namespace tvault
