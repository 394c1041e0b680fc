// English names of the ISO 3166-1 countries and of the ISO 639 languages, so that a monitor can
// type "Croatia" or "Farsi" where the schema stores "HR" or "fa", and get suggestions for a
// near miss ("Far" -> fa Persian/Farsi, fo Faroese). The tables are generated from the Debian
// iso-codes package (scripts/gen_iso_names.py) and compiled in.
#ifndef TVAULT_CATALOGUES_H_
#define TVAULT_CATALOGUES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tvault {

// One entry of a catalogue: its code and its usual English name.
struct CatalogueEntry {
  std::string code;
  std::string name;
};

// The largest number of suggestions returned by the Suggest functions by default.
inline constexpr size_t kMaxSuggestions = 5;

// The ISO 3166-1 alpha-2 code (upper case) that `text` names exactly: the code itself in any
// case, or an English name or common alias ("Croatia", "croatia", "Bosnia", "Turkey",
// "Turkiye"), ignoring case and surrounding spaces. std::nullopt when nothing matches exactly.
std::optional<std::string> FindCountry(std::string_view text);

// The countries whose names or codes come closest to `text` (by name prefix, word prefix,
// then small spelling mistakes), best first, at most `max`.
std::vector<CatalogueEntry> SuggestCountries(std::string_view text,
                                             size_t max = kMaxSuggestions);

// The usual English name of country `code` ("HR" -> "Croatia"); empty when unknown.
std::string CountryName(std::string_view code);

// The language code that `text` names exactly: an ISO 639-1 code ("fa"), one of the few
// ISO 639-3 codes of the catalogue for languages without a two-letter code ("prs" Dari,
// "ckb" Sorani, "kmr" Kurmanji, "rom" Romani, "tig" Tigre, "und" undetermined), or an English
// name or alias ("Persian", "Farsi", "Pashto"), ignoring case. Lower case. std::nullopt when
// nothing matches exactly: "Far" and "far" are refused.
std::optional<std::string> FindLanguage(std::string_view text);

// The languages closest to `text`, best first, at most `max` (as SuggestCountries).
std::vector<CatalogueEntry> SuggestLanguages(std::string_view text,
                                             size_t max = kMaxSuggestions);

// The usual English name of language `code` ("fa" -> "Persian"); empty when unknown.
std::string LanguageName(std::string_view code);

}  // namespace tvault

#endif  // TVAULT_CATALOGUES_H_
