// The country and language catalogues (tvault/catalogues.h) and the partial dates of birth.
#include <gtest/gtest.h>

#include "tvault/catalogues.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

std::vector<std::string> Codes(const std::vector<CatalogueEntry>& entries) {
  std::vector<std::string> codes;
  for (const CatalogueEntry& e : entries) codes.push_back(e.code);
  return codes;
}

TEST(CountryCatalogueTest, NamesAndCodesBothFindTheCode) {
  EXPECT_EQ(FindCountry("Croatia"), "HR");
  EXPECT_EQ(FindCountry("  croatia "), "HR");
  EXPECT_EQ(FindCountry("hr"), "HR");
  EXPECT_EQ(FindCountry("Bosnia and Herzegovina"), "BA");
  EXPECT_EQ(FindCountry("Bosnia"), "BA");
  EXPECT_EQ(FindCountry("Turkey"), "TR");
  EXPECT_EQ(FindCountry("Türkiye"), "TR");
  EXPECT_EQ(FindCountry("Kosovo"), "XK");
  EXPECT_EQ(FindCountry("Afghanistan"), "AF");
  EXPECT_EQ(FindCountry("Croat"), std::nullopt);
  EXPECT_EQ(FindCountry("QQ"), std::nullopt);
  EXPECT_EQ(CountryName("HR"), "Croatia");
  // Every code the schema accepts has a name, and every name leads back to an accepted code.
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const std::string code{a, b};
      EXPECT_EQ(IsIsoCountryCode(code), !CountryName(code).empty()) << code;
      if (IsIsoCountryCode(code)) EXPECT_EQ(FindCountry(CountryName(code)), code) << code;
    }
  }
}

TEST(CountryCatalogueTest, NearMissesGetSuggestions) {
  std::vector<std::string> croat = Codes(SuggestCountries("Croat"));
  ASSERT_FALSE(croat.empty());
  EXPECT_EQ(croat[0], "HR");
  std::vector<std::string> typo = Codes(SuggestCountries("Croatai"));
  ASSERT_FALSE(typo.empty());
  EXPECT_EQ(typo[0], "HR");
  EXPECT_LE(SuggestCountries("a").size(), 0u);
  EXPECT_LE(SuggestCountries("an").size(), kMaxSuggestions);
}

TEST(LanguageCatalogueTest, NamesAndCodesBothFindTheCode) {
  EXPECT_EQ(FindLanguage("Farsi"), "fa");
  EXPECT_EQ(FindLanguage("persian"), "fa");
  EXPECT_EQ(FindLanguage("FA"), "fa");
  EXPECT_EQ(FindLanguage("Pashto"), "ps");
  EXPECT_EQ(FindLanguage("Arabic"), "ar");
  EXPECT_EQ(FindLanguage("Dari"), "prs");
  EXPECT_EQ(FindLanguage("Sorani"), "ckb");
  EXPECT_EQ(FindLanguage("und"), "und");
  EXPECT_EQ(LanguageName("fa"), "Persian");
  // Any three letters used to pass as a language.
  EXPECT_EQ(FindLanguage("Far"), std::nullopt);
  EXPECT_EQ(FindLanguage("far"), std::nullopt);
  EXPECT_EQ(FindLanguage("xx"), std::nullopt);
}

TEST(LanguageCatalogueTest, FarIsRefusedWithSuggestions) {
  std::vector<std::string> far = Codes(SuggestLanguages("Far"));
  EXPECT_NE(std::find(far.begin(), far.end(), "fa"), far.end());
  EXPECT_NE(std::find(far.begin(), far.end(), "fo"), far.end());  // Faroese
}

TEST(IsIsoDateOrPartTest, YearsAndMonthsOfBirth) {
  EXPECT_TRUE(IsIsoDateOrPart("1990"));
  EXPECT_TRUE(IsIsoDateOrPart("1990-07"));
  EXPECT_TRUE(IsIsoDateOrPart("1990-07-14"));
  EXPECT_FALSE(IsIsoDateOrPart("1990-13"));
  EXPECT_FALSE(IsIsoDateOrPart("199"));
  EXPECT_FALSE(IsIsoDateOrPart("1990-02-30"));
  EXPECT_FALSE(IsIsoDateOrPart("90"));
  v1::Testimony t;
  t.set_kind(v1::FACILITY);
  t.mutable_identity()->set_date_of_birth("1990");
  ValidationContext ctx;
  ctx.today = "2024-06-01";
  ctx.facility_exists = [](std::string_view) { return true; };
  for (const FieldError& e : ValidateTestimony(t, ctx)) {
    EXPECT_NE(e.field, "identity.date_of_birth") << e.message;
  }
  t.mutable_identity()->set_date_of_birth("2025");
  bool refused = false;
  for (const FieldError& e : ValidateTestimony(t, ctx)) {
    refused = refused || e.field == "identity.date_of_birth";
  }
  EXPECT_TRUE(refused) << "a year after today";
}

}  // namespace
}  // namespace tvault
