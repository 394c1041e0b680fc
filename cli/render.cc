#include "render.h"

#include <sstream>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "common.h"

namespace tvault::cli {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string ScalarText(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return rep ? r->GetRepeatedEnum(m, f, index)->name() : r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
      return buf;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    default:
      return "?";
  }
}

void Dump(const Message& m, const std::string& prefix, std::ostream& out) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string name = prefix + f->name();
    if (f->name() == "sealed_identity") {
      out << "identity: [sealed]\n";
      continue;
    }
    if (f->full_name() == "google.protobuf.Timestamp.seconds") {
      out << prefix.substr(0, prefix.size() - 1) << ": " << r->GetInt64(m, f) << "\n";
      continue;
    }
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        const std::string item = name + "[" + std::to_string(i) + "]";
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          Dump(r->GetRepeatedMessage(m, f, i), item + ".", out);
        } else {
          out << item << ": " << TerminalSafe(ScalarText(m, f, i)) << "\n";
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Dump(r->GetMessage(m, f), name + ".", out);
    } else if (f->name() == "narrative" || f->name() == "description") {
      out << name << ":\n";
      std::string text = r->GetString(m, f);
      size_t start = 0;
      while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        out << "  "
            << TerminalSafe(text.substr(start, nl == std::string::npos ? std::string::npos
                                                                       : nl - start),
                            /*keep_newlines=*/true)
            << "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    } else {
      out << name << ": " << TerminalSafe(ScalarText(m, f, 0)) << "\n";
    }
  }
}

// The length of the valid UTF-8 sequence at s[i] and its code point, or 0 when invalid.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n = 0;
  uint32_t min = 0;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, *cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, *cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string TerminalSafe(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      ++i;
      continue;
    }
    const bool kept = keep_newlines && (cp == '\n' || cp == '\t');
    const bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    const bool bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if ((control && !kept) || bidi) {
      std::snprintf(buf, sizeof buf, cp < 0x80 ? "\\x%02x" : "\\u%04x",
                    static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string JsonEscape(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    // DEL and the C1 controls (UTF-8 C2 80 to C2 9F) are valid JSON raw, but a terminal may act
    // on them: escaped like C0.
    const unsigned char next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c == 0x7f ? 0x7fu : static_cast<unsigned>(next));
      out += buf;
      if (c == 0xc2) ++i;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string KindName(v1::Kind kind) {
  switch (kind) {
    case v1::PUSHBACK: return "pushback";
    case v1::FACILITY: return "facility";
    default: return "unspecified";
  }
}

v1::Kind ParseKind(const std::string& name) {
  if (name == "pushback") return v1::PUSHBACK;
  if (name == "facility") return v1::FACILITY;
  throw CliError(kExitUsage, "unknown kind \"" + name + "\" (expected pushback or facility)");
}

void PrintTestimony(const v1::Testimony& t, std::ostream& out) { Dump(t, "", out); }

std::map<std::string, std::string> TestimonyFields(const v1::Testimony& t) {
  std::ostringstream text;
  PrintTestimony(t, text);
  std::map<std::string, std::string> fields;
  std::string current;
  std::istringstream lines(text.str());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, 2, "  ") == 0 && !current.empty()) {
      std::string& v = fields[current];
      v += (v.empty() ? "" : "\n") + line.substr(2);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    current = line.substr(0, colon);
    fields[current] = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
  }
  return fields;
}

std::string RecordInfoJson(const RecordInfo& r) {
  std::string out = "{";
  out += "\"id\":" + JsonEscape(r.id);
  out += ",\"version\":" + std::to_string(r.version);
  out += ",\"kind\":" + JsonEscape(KindName(r.kind));
  out += ",\"incident_month\":" + JsonEscape(r.incident_month);
  out += ",\"country\":" + JsonEscape(r.country);
  if (r.kind == v1::PUSHBACK) {
    out += ",\"pushed_from\":" + JsonEscape(r.pushed_from);
    out += ",\"pushed_to\":" + JsonEscape(r.pushed_to);
  } else {
    out += ",\"facility_id\":" + JsonEscape(r.facility_id);
  }
  out += ",\"people\":" + std::to_string(r.people);
  out += ",\"created_at\":" + JsonEscape(r.created_at);
  out += ",\"updated_at\":" + JsonEscape(r.updated_at);
  out += std::string(",\"deleted\":") + (r.deleted ? "true" : "false");
  if (r.deleted) out += ",\"delete_reason\":" + JsonEscape(r.delete_reason);
  return out + "}";
}

std::string ParseMonth(const std::string& flag, const std::string& value) {
  if (value.size() != 7 || !IsIsoDate(value + "-01")) {
    throw CliError(kExitUsage, flag + ": \"" + value + "\" is not YYYY-MM");
  }
  return value;
}

void PrintRecordTable(const std::vector<RecordInfo>& rows) {
  std::printf("%-12s %3s %-8s %-7s %-14s %6s  %s\n", "ID", "V", "KIND", "MONTH", "WHERE",
              "PEOPLE", "UPDATED");
  for (const RecordInfo& r : rows) {
    std::string where = TerminalSafe(r.kind == v1::PUSHBACK ? r.pushed_from + " -> " + r.pushed_to
                                                            : r.facility_id);
    std::printf("%-12s %3u %-8s %-7s %-14s %6u  %s%s\n", TerminalSafe(r.id.substr(0, 12)).c_str(),
                r.version, KindName(r.kind).c_str(), TerminalSafe(r.incident_month).c_str(),
                where.c_str(), r.people, TerminalSafe(r.updated_at).c_str(),
                r.deleted ? "  [deleted]" : "");
  }
  std::printf("%zu record%s\n", rows.size(), rows.size() == 1 ? "" : "s");
}

std::string ResolveRecordId(Store& store, const std::string& prefix) {
  // Record ids are hexadecimal. Anything else typed here (a name, by mistake) is never echoed:
  // error messages end up in logs and terminals' scrollback.
  bool hex = !prefix.empty() && prefix.size() <= 32;
  for (char c : prefix) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) hex = false;
  }
  if (!hex) {
    throw CliError(kExitNotFound,
                   "no record with that id (a record id is 32 hexadecimal digits, or a unique "
                   "prefix of at least 6)");
  }
  if (prefix.size() == 32) return prefix;
  if (prefix.size() < 6) {
    throw CliError(kExitUsage, "record id \"" + prefix + "\" is too short (give at least 6 digits)");
  }
  ListFilter all;
  all.include_deleted = true;
  std::string found;
  for (const RecordInfo& r : Check(store.List(all))) {
    if (r.id.compare(0, prefix.size(), prefix) != 0) continue;
    if (!found.empty()) {
      throw CliError(kExitUsage, "record id prefix \"" + prefix + "\" matches several records");
    }
    found = r.id;
  }
  if (found.empty()) throw CliError(kExitNotFound, "no record with id " + prefix);
  return found;
}

}  // namespace tvault::cli
