// The questions of the guided interview whose answers come from a catalogue or a map:
// countries (codes or names), languages (ISO 639 codes or names) and GPS positions.
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "prompts_internal.h"
#include "tvault/catalogues.h"
#include "tvault/schema.h"

namespace tvault::cli::internal {
namespace {

// "fa (Persian), fo (Faroese)".
std::string SuggestionText(const std::vector<CatalogueEntry>& entries) {
  std::string s;
  for (const CatalogueEntry& e : entries) {
    if (!s.empty()) s += ", ";
    s += e.code + " (" + e.name + ")";
  }
  return s;
}

// "HR Croatia" for a code the catalogue names, otherwise the code alone.
std::string CountryWithName(const std::string& code) {
  const std::string name = CountryName(code);
  return name.empty() ? code : code + " " + name;
}

}  // namespace

std::string ParseCountry(const std::string& answer, std::string* code) {
  std::optional<std::string> found = FindCountry(answer);
  if (found && IsIsoCountryCode(*found)) {
    *code = *found;
    return "";
  }
  const std::vector<CatalogueEntry> near = SuggestCountries(answer);
  std::string reason = "\"" + answer + "\" is not a country we know: type its name or two-letter code";
  if (!near.empty()) return reason + "; did you mean " + SuggestionText(near) + "?";
  return reason + ", e.g. Croatia or HR.";
}

Flow AskCountry(Asker& a, const std::string& question, Need need, std::string* value,
                const Check<std::string>& check, const std::string& fallback) {
  const bool has_current = !value->empty() || !fallback.empty();
  const std::string shown = value->empty() ? fallback : *value;
  std::string hint = need == Need::kOptional ? "name or code, e.g. Croatia or HR; Enter to skip"
                                             : "name or code, e.g. Croatia or HR";
  if (has_current) hint.clear();
  return a.Ask(FormatPrompt(question, has_current ? CountryWithName(shown) : "", hint),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, need, has_current, &s);
                 if (!reason.empty()) return reason;
                 if (s == Shortcut::kClear) {
                   value->clear();
                   return std::string();
                 }
                 std::string code = shown;
                 if (s == Shortcut::kParse) {
                   reason = ParseCountry(answer, &code);
                   if (!reason.empty()) return reason;
                 }
                 reason = check ? check(code) : "";
                 if (reason.empty()) *value = code;
                 return reason;
               });
}

Flow AskCountryList(Asker& a, const std::string& question,
                    google::protobuf::RepeatedPtrField<std::string>* value,
                    const Check<std::vector<std::string>>& check) {
  std::string current;
  for (const std::string& c : *value) current += (current.empty() ? "" : ", ") + c;
  const bool has_current = !value->empty();
  const std::string hint =
      has_current ? "" : "names or codes separated by commas, e.g. IT, SI, HR, BA; Enter to skip";
  return a.Ask(FormatPrompt(question, current, hint),
               [&](const std::string& answer) -> std::string {
                 Shortcut s;
                 std::string reason = ResolveShortcut(answer, Need::kOptional, has_current, &s);
                 if (!reason.empty()) return reason;
                 if (s == Shortcut::kClear) {
                   value->Clear();
                   return std::string();
                 }
                 std::vector<std::string> codes(value->begin(), value->end());
                 if (s == Shortcut::kParse) {
                   codes.clear();
                   for (const std::string& piece : SplitList(answer, ',')) {
                     std::string code;
                     reason = ParseCountry(piece, &code);
                     if (!reason.empty()) return reason;
                     codes.push_back(code);
                   }
                 }
                 if (codes.size() > kMaxRepeated) return "Too many countries.";
                 reason = check ? check(codes) : "";
                 if (!reason.empty()) return reason;
                 value->Clear();
                 for (const std::string& code : codes) value->Add(std::string(code));
                 return std::string();
               });
}

Flow AskLanguage(Asker& a, const std::string& question, Need need, std::string* value) {
  const bool has_current = !value->empty();
  std::string shown = *value;
  if (has_current) {
    const std::string name = LanguageName(value->substr(0, value->find('-')));
    if (!name.empty()) shown += " " + name;
  }
  std::string hint = "a name or code, e.g. Pashto, Farsi, ar";
  if (need == Need::kOptional) hint += "; unknown; Enter to skip";
  if (has_current) hint.clear();
  return a.Ask(FormatPrompt(question, shown, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, need, has_current, &s);
    if (!reason.empty() || s == Shortcut::kKeep) return reason;
    if (s == Shortcut::kClear) {
      value->clear();
      return std::string();
    }
    const std::string n = Normalize(answer);
    if (n == "unknown" || n == "?" || n == "u") {
      *value = "und";  // ISO 639-2 "undetermined"
      return std::string();
    }
    // A name ("Farsi") or a code, then BCP 47 subtags after a hyphen ("sr-Latn").
    std::optional<std::string> code = FindLanguage(answer);
    std::string rest;
    if (!code) {
      const size_t dash = answer.find('-');
      if (dash != std::string::npos) {
        code = FindLanguage(answer.substr(0, dash));
        rest = answer.substr(dash);
      }
    }
    if (!code || (!rest.empty() && !IsCleanUtf8(rest))) {
      const std::vector<CatalogueEntry> near = SuggestLanguages(answer);
      std::string why = "\"" + answer + "\" is not a language we know: type its name or ISO 639 code";
      if (!near.empty()) return why + "; did you mean " + SuggestionText(near) + "?";
      return why + ", e.g. Farsi or fa.";
    }
    const std::string tag = *code + rest;
    if (tag.size() > 35) return "Too long for a language tag: e.g. fa or sr-Latn.";
    *value = tag;
    return std::string();
  });
}

Flow AskGps(Asker& a, const std::string& question, v1::Location* where) {
  const bool has_current = where->has_gps();
  std::string current;
  if (has_current) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f, %.6f", where->gps().latitude(), where->gps().longitude());
    current = buf;
  }
  const std::string hint =
      has_current ? "" : "latitude, longitude in degrees, e.g. 45.1234, 15.5678; Enter to skip";
  return a.Ask(FormatPrompt(question, current, hint), [&](const std::string& answer) -> std::string {
    Shortcut s;
    std::string reason = ResolveShortcut(answer, Need::kOptional, has_current, &s);
    if (!reason.empty() || s == Shortcut::kKeep) return reason;
    if (s == Shortcut::kClear) {
      where->clear_gps();
      return std::string();
    }
    // The position is sensitive: the reasons below never repeat it.
    const std::vector<std::string> parts = SplitList(answer, ',');
    double v[2];
    bool ok = parts.size() == 2;
    for (size_t i = 0; ok && i < 2; ++i) {
      char* end = nullptr;
      v[i] = std::strtod(parts[i].c_str(), &end);
      ok = !parts[i].empty() && end == parts[i].c_str() + parts[i].size() && std::isfinite(v[i]);
    }
    if (!ok) return "Write the position as latitude, longitude in degrees, e.g. 45.1234, 15.5678.";
    if (v[0] < -90 || v[0] > 90 || v[1] < -180 || v[1] > 180) {
      return "Latitude is from -90 to 90 and longitude from -180 to 180, e.g. 45.1234, 15.5678.";
    }
    if (v[0] == 0 && v[1] == 0) return "0, 0 is almost surely a mistake; Enter skips the position.";
    where->mutable_gps()->set_latitude(v[0]);
    where->mutable_gps()->set_longitude(v[1]);
    return std::string();
  });
}

}  // namespace tvault::cli::internal
