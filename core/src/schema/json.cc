// The JSON forms of testimonies and facility registry entries: splitting an input into
// records, parsing each with the protobuf JSON mapping, and printing messages back.
//
// Input is one of:
//   - a JSON array of objects, split here by a small scanner so that every element's
//     starting line is known for error messages;
//   - one JSON object, possibly spread over several lines (a pretty-printed example file);
//   - JSON lines: one object per non-blank line.
// The scanner bounds nesting depth and record size before protobuf sees any byte, rejects
// invalid UTF-8 and duplicate keys (protobuf would silently keep the last one), and error
// messages never echo the input text, which may hold identities and narratives.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "schema/validate_internal.h"
#include "tvault/schema.h"

namespace tvault {
namespace {

// Deeper nesting than any testimony needs (the schema is four levels deep) is refused
// before parsing so that hostile input cannot exhaust the stack.
constexpr size_t kMaxJsonDepth = 64;

// One record's text and the 1-based line it starts on.
struct RawRecord {
  std::string_view json;
  size_t line;
};

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view s, size_t pos) {
  while (pos < s.size() && IsJsonSpace(s[pos])) ++pos;
  return pos;
}

// A JSON key reduced so that the snake_case and lowerCamel spellings of one proto field
// compare equal ("group_size", "groupSize" -> "groupsize"). No two fields of the schema
// collide under this reduction.
std::string NormalizeKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// A key or value fit for an error message: quoted when short plain ASCII, else its size.
std::string QuoteName(std::string_view s) {
  bool plain = !s.empty() && s.size() <= 64;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      plain = false;
    }
  }
  return plain ? "\"" + std::string(s) + "\"" : "(" + std::to_string(s.size()) + " bytes)";
}

// Scans one JSON object starting at s[*pos] == '{' and sets *pos just past its closing
// brace. Checks only what splitting and safety need: balanced brackets, string and escape
// boundaries, depth, size, UTF-8 and duplicate keys; protobuf checks the rest. On failure
// returns a reason and sets *pos to the offending byte.
std::string ScanObject(std::string_view s, size_t* pos) {
  struct Frame {
    char closer;
    bool expect_key;
    std::set<std::string> keys;
    std::string_view key;  // the last key of this object: the field whose value is scanned
  };
  std::vector<Frame> stack;
  // The field a value belongs to, for error messages: the key of the innermost object (a value
  // inside an array belongs to the array's key).
  auto field = [&stack]() -> std::string {
    for (auto f = stack.rbegin(); f != stack.rend(); ++f) {
      if (f->closer == '}' && !f->key.empty()) return QuoteName(f->key);
    }
    return "a field";
  };
  const size_t start = *pos;
  size_t i = start;
  while (i < s.size()) {
    if (i - start >= kMaxJsonRecordBytes) {
      *pos = i;
      return "is larger than the limit of " + std::to_string(kMaxJsonRecordBytes) + " bytes";
    }
    const char c = s[i];
    if (c == '"') {
      const size_t open = i++;
      const bool is_key = !stack.empty() && stack.back().expect_key;
      while (i < s.size() && s[i] != '"') {
        if (s[i] != '\\') {
          ++i;
          continue;
        }
        // RFC 8259: only \" \\ \/ \b \f \n \r \t and \u with four hex digits. Protobuf's
        // parser keeps the letter of any other escape ("\x41" became "x41").
        const char e = i + 1 < s.size() ? s[i + 1] : '\0';
        bool valid = std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos && e;
        if (e == 'u') {
          valid = i + 5 < s.size();
          for (size_t k = 2; valid && k < 6; ++k) {
            valid = std::isxdigit(static_cast<unsigned char>(s[i + k])) != 0;
          }
        }
        if (!valid && i + 1 < s.size()) {
          *pos = i;
          const bool printable = e > 0x20 && e < 0x7f;
          return "has an invalid escape " +
                 (printable ? "\"\\" + std::string(1, e) + "\" " : std::string()) + "in " +
                 (is_key ? std::string("a key") : "the value of " + field()) +
                 " (JSON allows only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
        }
        i += 2;
      }
      if (i >= s.size()) {
        *pos = open;
        return "has an unterminated string";
      }
      const std::string_view body = s.substr(open + 1, i - open - 1);
      const size_t bad = schema_internal::FindInvalidUtf8(body);
      if (bad != std::string_view::npos) {
        *pos = open + 1 + bad;
        return "is not valid UTF-8";
      }
      if (is_key) {
        stack.back().expect_key = false;
        stack.back().key = body;
        if (!stack.back().keys.insert(NormalizeKey(body)).second) {
          *pos = open;
          return "has the key " + QuoteName(body) + " twice";
        }
      }
      ++i;
      continue;
    }
    if (c == '{' || c == '[') {
      if (stack.size() >= kMaxJsonDepth) {
        *pos = i;
        return "is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      }
      stack.push_back(Frame{c == '{' ? '}' : ']', c == '{', {}, {}});
    } else if (c == '}' || c == ']') {
      if (stack.empty() || stack.back().closer != c) {
        *pos = i;
        return std::string("has an unexpected '") + c + "'";
      }
      stack.pop_back();
      if (stack.empty()) {
        *pos = i + 1;
        return "";
      }
    } else if (c == ',') {
      if (!stack.empty() && stack.back().closer == '}') stack.back().expect_key = true;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      *pos = i;
      return "has a non-ASCII byte outside a string";
    }
    ++i;
  }
  *pos = s.size();
  return "is truncated: the object is not closed";
}

// 1-based line of s[pos], counting from `line` at s[from].
size_t LineAt(std::string_view s, size_t from, size_t pos, size_t line) {
  return line + static_cast<size_t>(std::count(s.begin() + from, s.begin() + pos, '\n'));
}

std::string Where(size_t record, size_t line) {
  return "record " + std::to_string(record) + " (line " + std::to_string(line) + ")";
}

Status RecordError(size_t record, size_t line, const std::string& reason) {
  return InvalidArgument(Where(record, line) + ": " + reason);
}

// Scans one object at s[*pos] as record `record` starting on `line`. On failure the error
// names the line of the offending byte when it differs from the first line.
Status ScanRecord(std::string_view s, size_t* pos, size_t record, size_t line) {
  if (s[*pos] != '{') return RecordError(record, line, "expected a JSON object");
  const size_t start = *pos;
  const std::string reason = ScanObject(s, pos);
  if (reason.empty()) return Status::Ok();
  const size_t bad_line = LineAt(s, start, std::min(*pos, s.size()), line);
  std::string message = "the object " + reason;
  if (bad_line != line) message += " (line " + std::to_string(bad_line) + ")";
  return RecordError(record, line, message);
}

Result<std::vector<RawRecord>> SplitArray(std::string_view s, size_t pos) {
  std::vector<RawRecord> out;
  size_t line = LineAt(s, 0, pos, 1);
  size_t line_pos = pos;  // `line` is the line of s[line_pos].
  auto line_of = [&](size_t p) {
    line = LineAt(s, line_pos, p, line);
    line_pos = p;
    return line;
  };
  pos = SkipSpace(s, pos + 1);
  if (pos < s.size() && s[pos] == ']') return InvalidArgument("no records found");
  while (true) {
    const size_t record = out.size() + 1;
    if (pos >= s.size()) {
      return RecordError(record, line_of(pos), "the array is truncated: expected an object");
    }
    const size_t start = pos;
    const size_t start_line = line_of(pos);
    TVAULT_RETURN_IF_ERROR(ScanRecord(s, &pos, record, start_line));
    out.push_back(RawRecord{s.substr(start, pos - start), start_line});
    pos = SkipSpace(s, pos);
    if (pos >= s.size()) {
      return InvalidArgument("the array is truncated after record " + std::to_string(record) +
                             " (line " + std::to_string(line_of(pos)) + "): expected ',' or ']'");
    }
    if (s[pos] == ']') break;
    if (s[pos] != ',') {
      return InvalidArgument("expected ',' or ']' after record " + std::to_string(record) +
                             " (line " + std::to_string(line_of(pos)) + ")");
    }
    pos = SkipSpace(s, pos + 1);
    if (pos < s.size() && s[pos] == ']') {
      return InvalidArgument("trailing ',' after record " + std::to_string(record) + " (line " +
                             std::to_string(line_of(pos)) + ")");
    }
  }
  pos = SkipSpace(s, pos + 1);
  if (pos != s.size()) {
    return InvalidArgument("unexpected text after the array (line " +
                           std::to_string(line_of(pos)) + ")");
  }
  return out;
}

Result<std::vector<RawRecord>> SplitLines(std::string_view s) {
  std::vector<RawRecord> out;
  size_t line = 0;
  size_t begin = 0;
  while (begin < s.size()) {
    ++line;
    size_t end = s.find('\n', begin);
    if (end == std::string_view::npos) end = s.size();
    std::string_view text = s.substr(begin, end - begin);
    begin = end + 1;
    const size_t first = SkipSpace(text, 0);
    if (first == text.size()) continue;  // A blank line.
    const size_t record = out.size() + 1;
    if (text.size() > kMaxJsonRecordBytes) {
      return RecordError(record, line,
                         "the line is longer than the limit of " +
                             std::to_string(kMaxJsonRecordBytes) + " bytes");
    }
    size_t pos = first;
    TVAULT_RETURN_IF_ERROR(ScanRecord(text, &pos, record, line));
    if (SkipSpace(text, pos) != text.size()) {
      return RecordError(record, line, "unexpected text after the object on the same line");
    }
    out.push_back(RawRecord{text.substr(first, pos - first), line});
  }
  if (out.empty()) return InvalidArgument("no records found");
  return out;
}

// Splits `text` into records; see the comment at the top of this file.
Result<std::vector<RawRecord>> SplitRecords(std::string_view text) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  const size_t first = SkipSpace(text, 0);
  if (first == text.size()) return InvalidArgument("no records found");
  if (text[first] == '[') return SplitArray(text, first);
  if (text[first] == '{') {
    // One object spread over several lines is a record of its own; an object confined to
    // the first line is the first of JSON lines.
    const size_t line = LineAt(text, 0, first, 1);
    size_t pos = first;
    const Status scanned = ScanRecord(text, &pos, 1, line);
    const bool spans_lines = text.substr(first, pos - first).find('\n') != std::string_view::npos;
    if (scanned.ok() && SkipSpace(text, pos) == text.size()) {
      return std::vector<RawRecord>{RawRecord{text.substr(first, pos - first), line}};
    }
    if (spans_lines) {
      if (!scanned.ok()) return scanned;
      return RecordError(1, line,
                         "an object spread over several lines must be the only one in the "
                         "input; use one object per line (JSON lines) or a JSON array");
    }
  }
  return SplitLines(text);
}

// True for fields whose values are secret or free text: parse errors on them never quote
// the offending value.
bool IsSensitivePath(std::string_view path) {
  for (std::string_view word : {"identity", "narrative", "description", "municipality",
                                "unit_as_seen", "gps", "place", "border_segment"}) {
    if (path.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Rewrites a protobuf JSON error into "path: reason" without echoing input. Protobuf 3.21
// writes "(path): invalid value V for type T", "(path) key: Cannot find field." and, for
// syntax errors, a reason followed by a copy of the input line, which is dropped here.
std::string CleanParseError(std::string message) {
  message = message.substr(0, message.find('\n'));
  while (!message.empty() && IsJsonSpace(message.back())) message.pop_back();
  std::string path;
  if (!message.empty() && message[0] == '(') {
    const size_t close = message.find(')');
    if (close != std::string::npos) {
      path = message.substr(1, close - 1);
      message = message.substr(close + 1);
    }
  }
  if (message.rfind(": ", 0) == 0) message = message.substr(2);
  while (!message.empty() && message[0] == ' ') message.erase(0, 1);

  constexpr std::string_view kCannotFind = ": Cannot find field.";
  if (message.size() > kCannotFind.size() &&
      message.compare(message.size() - kCannotFind.size(), kCannotFind.size(), kCannotFind) ==
          0) {
    const std::string key = message.substr(0, message.size() - kCannotFind.size());
    message = "unknown field " + QuoteName(key);
  }
  constexpr std::string_view kInvalid = "invalid value ";
  const size_t for_type = message.rfind(" for type ");
  if (message.rfind(kInvalid, 0) == 0 && for_type != std::string::npos &&
      for_type >= kInvalid.size()) {
    std::string value = message.substr(kInvalid.size(), for_type - kInvalid.size());
    std::string type = message.substr(for_type + 10);
    constexpr std::string_view kTypeUrl = "type.googleapis.com/";
    if (type.rfind(kTypeUrl, 0) == 0) type = type.substr(kTypeUrl.size());
    bool plain = value.size() <= 32 && !IsSensitivePath(path);
    for (char c : value) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("\"_.+-").find(c) ==
                                                               std::string_view::npos) {
        plain = false;
      }
    }
    if (type == "oneof") {
      message = "sets more than one field of a oneof (" + value + ")";
    } else {
      message = "invalid value " + (plain ? value + " " : std::string()) + "for type " + type;
      if (type == "google.protobuf.Timestamp") {
        message += " (RFC 3339, e.g. \"2026-10-19T15:40:00Z\")";
      }
    }
    return path.empty() ? message : path + ": " + message;
  }
  if (path.empty() && message.rfind("unknown field", 0) != 0) {
    return "invalid JSON: " + (message.empty() ? "cannot be parsed" : message);
  }
  if (message.empty()) message = "is not a valid record";
  return path.empty() ? message : path + ": " + message;
}

template <typename Message>
Status ParseOne(const RawRecord& raw, size_t record, Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // A misspelt key must not silently drop data.
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(raw.json.data(), raw.json.size()), out, options);
  if (status.ok()) return Status::Ok();
  return RecordError(record, raw.line, CleanParseError(std::string(status.message())));
}

}  // namespace

Result<std::vector<InputRecord>> ParseTestimoniesJson(std::string_view text) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<RawRecord> raw, SplitRecords(text));
  std::vector<InputRecord> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    TVAULT_RETURN_IF_ERROR(ParseOne(raw[i], i + 1, &out[i].testimony));
    out[i].where = Where(i + 1, raw[i].line);
  }
  return out;
}

Result<std::vector<v1::Facility>> ParseFacilitiesJson(std::string_view text) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<RawRecord> raw, SplitRecords(text));
  std::vector<v1::Facility> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    TVAULT_RETURN_IF_ERROR(ParseOne(raw[i], i + 1, &out[i]));
  }
  return out;
}

std::string MessageToJson(const google::protobuf::Message& m, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = false;
  std::string out;
  // Printing fails only for a message that could not have been parsed (e.g. invalid UTF-8 in
  // a string set in code); the contract is then an empty string rather than partial JSON.
  if (!google::protobuf::util::MessageToJsonString(m, &out, options).ok()) return "";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace tvault
