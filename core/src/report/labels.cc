#include "report/labels.h"

#include <cstdio>
#include <cstring>

#include "tvault/report.h"

namespace tvault::report_internal {

extern const LabelEntry kLabelsEn[];
extern const size_t kLabelsEnSize;
extern const LabelEntry kLabelsFr[];
extern const size_t kLabelsFrSize;
extern const LabelEntry kLabelsAr[];
extern const size_t kLabelsArSize;

namespace {

constexpr int kCountryLanguages = 8;
struct CountryNames {
  const char* code;
  const char* names[kCountryLanguages];  // en, fr, ar, fa, ps, bs, hr, sr
};
#include "report/countries_data.inc"

const char* Lookup(const Catalogue& c, const std::string& key) {
  for (size_t i = 0; i < c.size; ++i) {
    if (key == c.entries[i].key) return c.entries[i].text;
  }
  return nullptr;
}

// The group of catalogue keys a dimension's categories belong to.
const char* GroupOf(const std::string& dimension) {
  if (dimension == "violence") return "violence";
  if (dimension == "perpetrator") return "perpetrator";
  if (dimension == "condition") return "condition";
  if (dimension == "severity") return "severity";
  if (dimension == "facility_type") return "facility_type";
  if (dimension == "age_band") return "age_band";
  if (dimension == "asylum_intention" || dimension == "minors_involved") return "tri";
  if (dimension == "chain") return "chain";
  if (dimension == "reported") return "reported";
  if (dimension == "nationality") return "nationality";
  if (dimension == "arrival") return "arrival";
  if (dimension == "stay_days") return "stay_days";
  return nullptr;
}

}  // namespace

const std::vector<Catalogue>& Catalogues() {
  static const std::vector<Catalogue> kAll = {
      {"en", "English", false, 0, kLabelsEn, kLabelsEnSize},
      {"fr", "Français", false, 1, kLabelsFr, kLabelsFrSize},
      {"ar", "العربية", true, 2, kLabelsAr, kLabelsArSize},
  };
  return kAll;
}

const Catalogue* FindCatalogue(const std::string& code) {
  const std::string c = code.empty() ? "en" : code;
  for (const Catalogue& cat : Catalogues()) {
    if (c == cat.code) return &cat;
  }
  return nullptr;
}

std::string CatalogueCodes() {
  std::string out;
  for (const Catalogue& c : Catalogues()) out += (out.empty() ? "" : ", ") + std::string(c.code);
  return out;
}

Labels::Labels(const std::string& code)
    : catalogue_(FindCatalogue(code)), english_(&Catalogues().front()) {
  if (catalogue_ == nullptr) catalogue_ = english_;  // verify refuses such a manifest first
}

std::string Labels::Text(const std::string& key, const std::vector<std::string>& args) const {
  const char* t = Lookup(*catalogue_, key);
  if (t == nullptr) t = Lookup(*english_, key);
  if (t == nullptr) return key;
  std::string out;
  for (const char* p = t; *p != '\0'; ++p) {
    if (*p == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      const size_t i = static_cast<size_t>(p[1] - '0');
      if (i < args.size()) out += args[i];
      p += 2;
      continue;
    }
    out.push_back(*p);
  }
  return out;
}

std::string Labels::Country(const std::string& code) const {
  for (const CountryNames& c : kCountryNames) {
    if (code == c.code) return c.names[catalogue_->country_column];
  }
  return "";
}

std::string Labels::Month(const std::string& m) const {
  if (m.size() != 7 || m[4] != '-') return m;
  return Text("ui.month_year", {Text("month." + m.substr(5, 2)), m.substr(0, 4)});
}

std::string Labels::Category(const std::string& dimension, const std::string& code) const {
  if (code == "Total") return Text("ui.total");
  if (dimension == "month") return Month(code);
  if (dimension == "pushed_from" || dimension == "pushed_to" || dimension == "nationality") {
    const std::string name = Country(code);
    if (!name.empty()) return name;
  }
  if (const char* group = GroupOf(dimension)) {
    const std::string key = std::string(group) + "." + code;
    if (Lookup(*catalogue_, key) != nullptr || Lookup(*english_, key) != nullptr) {
      return Text(key);
    }
  }
  return code;
}

std::string Labels::Percent(double value) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string s = buf;
  const std::string sep = Text("ui.decimal_separator");
  if (sep != ".") s.replace(s.find('.'), 1, sep);
  return Text("ui.percent", {s});
}

}  // namespace tvault::report_internal

namespace tvault {

std::string ReportLanguages() { return report_internal::CatalogueCodes(); }

bool IsReportLanguage(const std::string& code) {
  return !code.empty() && report_internal::FindCatalogue(code) != nullptr;
}

}  // namespace tvault
