// The label catalogues of report.html (core/src/report/labels.h): every shipped catalogue is
// complete (English's keys, no other, the same placeholders), safe to write into HTML, and
// names every category the report's tables can hold.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "pipeline/facts.h"
#include "pipeline/tables.h"
#include "report/labels.h"
#include "tvault/report.h"

namespace tvault {
namespace {

using report_internal::Catalogue;
using report_internal::Catalogues;
using report_internal::Labels;

std::map<std::string, std::string> EntriesOf(const Catalogue& c) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < c.size; ++i) {
    EXPECT_TRUE(out.emplace(c.entries[i].key, c.entries[i].text).second)
        << c.code << ": key " << c.entries[i].key << " twice";
  }
  return out;
}

std::set<std::string> Placeholders(const std::string& text) {
  std::set<std::string> out;
  for (size_t p = text.find('{'); p != std::string::npos; p = text.find('{', p + 1)) {
    out.insert(text.substr(p, 3));
  }
  return out;
}

TEST(ReportLabelsTest, EveryCatalogueHasExactlyEnglishsKeysAndPlaceholders) {
  ASSERT_GE(Catalogues().size(), 3u);
  EXPECT_STREQ(Catalogues().front().code, "en");
  const std::map<std::string, std::string> en = EntriesOf(Catalogues().front());
  for (const Catalogue& c : Catalogues()) {
    const std::map<std::string, std::string> entries = EntriesOf(c);
    for (const auto& [key, text] : en) {
      auto it = entries.find(key);
      ASSERT_NE(it, entries.end()) << c.code << " lacks " << key;
      EXPECT_FALSE(it->second.empty()) << c.code << " " << key;
      EXPECT_EQ(Placeholders(it->second), Placeholders(text)) << c.code << " " << key;
    }
    for (const auto& [key, text] : entries) {
      EXPECT_EQ(en.count(key), 1u) << c.code << " has " << key << ", which English has not";
      // The renderer writes catalogue text into HTML unescaped (its arguments are escaped).
      EXPECT_EQ(text.find_first_of("<>&"), std::string::npos) << c.code << " " << key;
    }
  }
}

TEST(ReportLabelsTest, EveryCategoryOfEveryTableHasANameInEveryLanguage) {
  const pipeline::Categories closed = pipeline::ClosedCategories();
  std::map<std::string, std::vector<std::string>> dims = {
      {"violence", closed.violence},
      {"perpetrator", closed.perpetrators},
      {"condition", closed.conditions},
      {"severity", closed.severities},
      {"facility_type", closed.facility_types},
      {"age_band", {pipeline::kAgeBandLabels.begin(), pipeline::kAgeBandLabels.end()}},
      {"asylum_intention", {"yes", "no", "unknown"}},
      {"minors_involved", {"yes", "no", "unknown"}},
      {"chain", {"chain", "single border"}},
      {"reported", {pipeline::kReportedLabel, pipeline::kNotReportedLabel}},
      {"nationality", {"SY", "AF", "other", "unknown"}},
      {"pushed_from", {"HR", "BA", "GR", "MK"}},
      {"stay_days", {pipeline::kStayBandLabels.begin(), pipeline::kStayBandLabels.end()}},
      {"arrival", {"unknown", "other", "transferred_from_state", "removed_from_informal_site",
                   "arrested_at_border"}},
  };
  for (const Catalogue& c : Catalogues()) {
    const Labels labels(c.code);
    for (const auto& [dim, codes] : dims) {
      ASSERT_FALSE(codes.empty()) << dim;
      for (const std::string& code : codes) {
        const std::string name = labels.Category(dim, code);
        EXPECT_NE(name, code) << c.code << ": " << dim << " " << code << " has no name";
        EXPECT_FALSE(name.empty()) << c.code << ": " << dim << " " << code;
      }
    }
    // Every table and dimension has a title and a name.
    for (const pipeline::TableSpec& t : pipeline::TableCatalogue()) {
      EXPECT_NE(labels.Text("title." + t.name), "title." + t.name) << c.code;
      for (const std::string& d : t.dimensions) {
        EXPECT_NE(labels.Text("dim." + d), "dim." + d) << c.code;
      }
    }
  }
}

TEST(ReportLabelsTest, NamesCountriesMonthsAndPercentsInTheCataloguesLanguage) {
  const Labels en("en"), fr("fr"), ar("ar");
  EXPECT_EQ(en.Category("pushed_from", "HR"), "Croatia");
  EXPECT_EQ(fr.Category("pushed_to", "BA"), "Bosnie-Herzégovine");
  EXPECT_EQ(ar.Category("nationality", "SY"), "سوريا");
  EXPECT_EQ(en.Category("nationality", "IR"), "Iran");
  EXPECT_EQ(en.Category("violence", "dog_attack"), "Dog attack");
  EXPECT_EQ(fr.Category("violence", "dog_attack"), "Attaque de chien");
  EXPECT_EQ(en.Month("2026-04"), "April 2026");
  EXPECT_EQ(fr.Month("2026-04"), "avril 2026");
  EXPECT_EQ(en.Percent(12.5), "12.5\xC2\xA0%");  // a no-break space
  EXPECT_EQ(fr.Percent(12.5), "12,5\xC2\xA0%");
  // A code that is no category of a known list is shown as it is.
  EXPECT_EQ(en.Category("violence", "not_a_type"), "not_a_type");
  EXPECT_EQ(en.Category("facility", "HR-DET-01"), "HR-DET-01");
  // Arabic is written right to left; the others left to right.
  EXPECT_TRUE(ar.catalogue().right_to_left);
  EXPECT_FALSE(fr.catalogue().right_to_left);
  EXPECT_EQ(ReportLanguages(), "en, fr, ar");
  EXPECT_TRUE(IsReportLanguage("fr"));
  EXPECT_FALSE(IsReportLanguage("xx"));
  EXPECT_FALSE(IsReportLanguage(""));
}

}  // namespace
}  // namespace tvault
