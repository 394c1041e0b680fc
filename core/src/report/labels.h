// The label catalogues of report.html: every word a reader sees, in each language the report
// can be written in (`tvault report --lang`). One catalogue per language, each a list of
// (key, text) pairs in its own file (labels_en.cc, labels_fr.cc, labels_ar.cc); English is
// the reference, and a catalogue is complete when it has exactly English's keys. Country names
// come from one generated table (countries_data.inc, from the Debian iso-codes package) with a
// column per language, so adding a language is adding a catalogue file and a column.
//
// Keys: "ui.<name>" for the page's sentences (with {0}, {1}... placeholders), "title.<table>"
// for table titles, "dim.<dimension>" for dimension names, "<group>.<code>" for a category
// (groups: violence, perpetrator, condition, severity, facility_type, age_band, tri, chain,
// reported, nationality, month).
#ifndef TVAULT_REPORT_LABELS_H_
#define TVAULT_REPORT_LABELS_H_

#include <string>
#include <utility>
#include <vector>

namespace tvault::report_internal {

struct LabelEntry {
  const char* key;
  const char* text;
};

struct Catalogue {
  const char* code;       // ISO 639-1: "en"
  const char* name;       // the language's own name: "English", "Français"
  bool right_to_left;     // Arabic, Farsi, Pashto
  int country_column;     // column of countries_data.inc
  const LabelEntry* entries;
  size_t size;
};

// Every catalogue shipped, English first.
const std::vector<Catalogue>& Catalogues();

// The catalogue of `code`, or nullptr. An empty code is English (reports made before --lang).
const Catalogue* FindCatalogue(const std::string& code);

// "en, fr, ar": the codes `--lang` accepts.
std::string CatalogueCodes();

class Labels {
 public:
  // English when `code` has no catalogue (callers check it first).
  explicit Labels(const std::string& code);

  const Catalogue& catalogue() const { return *catalogue_; }

  // The text of `key` with {0}, {1}... replaced by `args` (already HTML-escaped by the caller
  // when needed); the English text when this catalogue lacks it, the key itself when English
  // does too (a bug the catalogue test catches).
  std::string Text(const std::string& key, const std::vector<std::string>& args = {}) const;

  // A category of a dimension as readers know it: a country's name for pushed_from,
  // pushed_to and nationality codes; the catalogue's word for closed lists; the month's name
  // for a trend month ("2026-04" -> "April 2026"); the code itself when nothing is known.
  std::string Category(const std::string& dimension, const std::string& code) const;

  // The name of an ISO 3166-1 code in this language, or empty when the code is no country.
  std::string Country(const std::string& code) const;

  // "April 2026" for "2026-04".
  std::string Month(const std::string& yyyy_mm) const;

  // A percentage with one decimal in this language's notation: "12.5 %" or "12,5 %".
  std::string Percent(double value) const;

 private:
  const Catalogue* catalogue_;
  const Catalogue* english_;
};

}  // namespace tvault::report_internal

#endif  // TVAULT_REPORT_LABELS_H_
