// Field checks shared by every validator, plus IsIsoDate and FormatFieldErrors.
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <utf8proc.h>

#include "schema/validate_internal.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Parses `n` ASCII digits at `s[pos]`; returns -1 when any of them is not a digit.
int ParseDigits(std::string_view s, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

// True for the C0 and C1 control characters (Unicode category Cc).
bool IsControl(utf8proc_int32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int year = ParseDigits(s, 0, 4);
  const int month = ParseDigits(s, 5, 2);
  const int day = ParseDigits(s, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= DaysInMonth(year, month);
}

bool IsIsoDateOrPart(std::string_view s) {
  if (s.size() == 4) return ParseDigits(s, 0, 4) >= 1;
  if (s.size() == 7) {
    if (s[4] != '-') return false;
    const int month = ParseDigits(s, 5, 2);
    return ParseDigits(s, 0, 4) >= 1 && month >= 1 && month <= 12;
  }
  return IsIsoDate(s);
}

std::string FormatFieldErrors(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) {
    if (!out.empty()) out += "; ";
    out += e.field;
    out += ": ";
    out += e.message;
  }
  return out;
}

namespace schema_internal {

void AddError(ErrorList* errors, std::string field, std::string message) {
  errors->push_back(FieldError{std::move(field), std::move(message)});
}

std::string Join(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string out(prefix);
  out += '.';
  out += name;
  return out;
}

std::string At(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string QuoteCode(std::string_view value) {
  bool plain = value.size() <= 16;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') plain = false;
  }
  if (plain) return "\"" + std::string(value) + "\"";
  return "a value of " + std::to_string(value.size()) + " bytes";
}

size_t FindInvalidUtf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  size_t pos = 0;
  while (pos < s.size()) {
    if (bytes[pos] < 0x80) {  // The common ASCII case needs no decoding.
      ++pos;
      continue;
    }
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes + pos, static_cast<utf8proc_ssize_t>(s.size() - pos), &code_point);
    if (n <= 0) return pos;
    pos += static_cast<size_t>(n);
  }
  return std::string_view::npos;
}

void CheckText(const std::string& value, const std::string& field, TextKind kind,
               ErrorList* errors) {
  const size_t limit = kind == TextKind::kLong ? kMaxTextFieldBytes : kMaxShortFieldBytes;
  if (value.size() > limit) {
    AddError(errors, field,
             std::to_string(value.size()) + " bytes exceeds the limit of " +
                 std::to_string(limit) + " bytes");
  }
  const size_t bad = FindInvalidUtf8(value);
  if (bad != std::string_view::npos) {
    AddError(errors, field, "is not valid UTF-8 (at byte " + std::to_string(bad) + ")");
    return;  // The control-character scan below needs valid UTF-8.
  }
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  size_t pos = 0;
  while (pos < value.size()) {
    utf8proc_int32_t c = bytes[pos];
    size_t n = 1;
    if (c >= 0x80) {
      n = static_cast<size_t>(utf8proc_iterate(
          bytes + pos, static_cast<utf8proc_ssize_t>(value.size() - pos), &c));
    }
    const bool allowed = kind == TextKind::kLong && (c == '\n' || c == '\t');
    if (IsControl(c) && !allowed) {
      char code[8];
      snprintf(code, sizeof(code), "%04X", static_cast<unsigned>(c));
      AddError(errors, field,
               std::string("contains the control character U+") + code + " at byte " +
                   std::to_string(pos) +
                   (kind == TextKind::kLong ? " (only newline and tab are allowed)" : ""));
      return;  // One report per field is enough.
    }
    pos += n;
  }
}

void CheckCountry(const std::string& value, const std::string& field, bool required,
                  ErrorList* errors) {
  if (value.empty()) {
    if (required) AddError(errors, field, "is required (an ISO 3166-1 alpha-2 code)");
    return;
  }
  if (!IsIsoCountryCode(value)) {
    AddError(errors, field,
             QuoteCode(value) + " is not an ISO 3166-1 alpha-2 country code (e.g. \"HR\")");
  }
}

void CheckDate(const std::string& value, const std::string& field, const std::string& today,
               bool required, bool secret, ErrorList* errors) {
  if (value.empty()) {
    if (required) AddError(errors, field, "is required (YYYY-MM-DD)");
    return;
  }
  const std::string shown = secret ? "the date" : QuoteCode(value);
  if (!IsIsoDate(value)) {
    AddError(errors, field, shown + " is not a real date written YYYY-MM-DD");
    return;
  }
  // Two valid YYYY-MM-DD strings compare like the dates they name.
  if (IsIsoDate(today) && value > today) {
    AddError(errors, field, shown + " is after today (" + today + ")");
  }
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  return v != nullptr ? v->name() : std::to_string(value);
}

void CheckEnum(int value, const google::protobuf::EnumDescriptor* type,
               const std::string& field, bool required, ErrorList* errors) {
  if (type->FindValueByNumber(value) == nullptr) {
    AddError(errors, field,
             std::to_string(value) + " is not a value of " + type->name());
    return;
  }
  if (value == 0 && required) {
    std::string names;
    for (int i = 1; i < type->value_count(); ++i) {
      if (!names.empty()) names += ", ";
      names += type->value(i)->name();
    }
    AddError(errors, field, "is required (one of " + names + ")");
  }
}

bool CheckRepeatedSize(size_t size, const std::string& field, ErrorList* errors) {
  if (size <= kMaxRepeated) return true;
  AddError(errors, field,
           std::to_string(size) + " entries exceeds the limit of " +
               std::to_string(kMaxRepeated));
  return false;
}

void CheckEnumList(const google::protobuf::RepeatedField<int>& values,
                   const google::protobuf::EnumDescriptor* type, const std::string& field,
                   ErrorList* errors) {
  if (!CheckRepeatedSize(static_cast<size_t>(values.size()), field, errors)) return;
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    const int value = values.Get(i);
    const std::string entry = At(field, static_cast<size_t>(i));
    if (type->FindValueByNumber(value) == nullptr) {
      AddError(errors, entry, std::to_string(value) + " is not a value of " + type->name());
    } else if (value == 0) {
      AddError(errors, entry, type->value(0)->name() + " is not allowed in a list");
    } else if (!seen.insert(value).second) {
      AddError(errors, entry, EnumName(type, value) + " is listed twice");
    }
  }
}

}  // namespace schema_internal
}  // namespace tvault
