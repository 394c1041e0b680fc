// Check 2, shape, continued: every CSV and report.html against report.json.
//
// A CSV is read on its own (RFC 4180, CRLF) and compared cell by cell, so a failure names the
// table and cell whose number or marker differs. report.html must be exactly the page that
// the documented renderer makes from report.json and manifest.json: since report.json holds no
// value of a suppressed cell, a page equal to its rendering can reveal none either (no chart
// bar, percentage or total), and holds no text that report.json does not. A release of format
// 1 (kReportFormatV1) is checked against format 1's CSV and page.
#include <algorithm>
#include <cstdio>
#include <set>

#include "report/report_internal.h"
#include "tvault/report.h"
#include "tvault/schema.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {
namespace {

// Splits RFC 4180 text into rows of fields. False (with `why`) on a malformed file: a bare LF,
// an unterminated quote, or text after a closing quote.
bool ParseCsv(const std::string& text, std::vector<std::vector<std::string>>* rows,
              std::string* why) {
  std::vector<std::string> row;
  std::string field;
  size_t i = 0;
  bool row_open = false;
  while (i < text.size()) {
    row_open = true;
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return *why = "unterminated quoted field", false;
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r') {
        return *why = "text after a closing quote", false;
      }
    }
    while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
      field.push_back(text[i++]);
    }
    if (i >= text.size()) return *why = "the last line does not end in CRLF", false;
    if (text[i] == '\n') return *why = "a line ends in LF, not CRLF", false;
    row.push_back(std::move(field));
    field.clear();
    if (text[i] == ',') {
      ++i;
      continue;
    }
    if (i + 1 >= text.size() || text[i + 1] != '\n') return *why = "a CR without LF", false;
    i += 2;
    rows->push_back(std::move(row));
    row.clear();
    row_open = false;
  }
  if (row_open) return *why = "the last line does not end in CRLF", false;
  return true;
}

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The row report.json gives one cell in the tidy CSV (docs/formats.md, "CSV"), written out
// here from the format's description rather than by the renderer.
std::vector<std::string> WantRow(const v1::Report& r, const v1::ReportTable& t,
                                 const v1::ReportCell& c) {
  std::string period = r.month();
  if (t.period() == "year_to_date") period = r.year_to_date_from() + "/" + r.month();
  if (t.period() == "revision") period = r.month().substr(0, 4);
  if (t.period() == "by_month" && c.labels_size() > 0) period = c.labels(0);
  std::vector<std::string> want = {period, t.period(), t.name(), t.unit()};
  bool margin = false;
  for (const std::string& l : c.labels()) {
    want.push_back(l);
    margin = margin || l == "Total";
  }
  want.push_back(margin ? "true" : "false");
  want.push_back(c.has_count() ? std::to_string(c.count()) : "");
  want.push_back(c.has_count() ? "published" : kSuppressedMarker);
  want.push_back(c.has_percent() ? Fixed1(c.percent()) : "");
  return want;
}

// Format 1 (docs/formats.md, "Format 1"): a header of the dimension names, the unit and, in
// tables of shares, "percent"; one row per cell with its labels, its count or
// kSuppressedMarker, and its percent or nothing.
std::vector<std::string> HeaderV1(const v1::ReportTable& t) {
  std::vector<std::string> header(t.dimensions().begin(), t.dimensions().end());
  header.push_back(t.unit());
  if (!t.percent_base().empty()) header.push_back("percent");
  return header;
}

std::vector<std::string> WantRowV1(const v1::ReportTable& t, const v1::ReportCell& c) {
  std::vector<std::string> want(c.labels().begin(), c.labels().end());
  want.push_back(c.has_count() ? std::to_string(c.count()) : std::string(kSuppressedMarker));
  if (!t.percent_base().empty()) want.push_back(c.has_percent() ? Fixed1(c.percent()) : "");
  return want;
}

void CheckCsv(const Parsed& p, const v1::ReportTable& t, VerifyCheck* check) {
  const bool v1 = p.report.format() == kReportFormatV1;
  const std::string file =
      v1 ? report_internal::CsvFileNameV1(t) : report_internal::CsvFileName(p.report, t);
  auto fail = [&](const std::string& cell, const std::string& why) {
    check->failures.push_back({p.Name(file), TableName(t), cell, why});
  };
  auto it = p.folder->files.find(file);
  if (it == p.folder->files.end()) return fail("", "missing");
  std::vector<std::vector<std::string>> rows;
  std::string why;
  if (!ParseCsv(it->second, &rows, &why)) return fail("", "not RFC 4180 CSV: " + why);
  std::vector<std::string> header = {"period", "period_kind", "table", "unit"};
  header.insert(header.end(), t.dimensions().begin(), t.dimensions().end());
  for (const char* f : {"total", "value", "status", "percent"}) header.push_back(f);
  if (v1) header = HeaderV1(t);
  if (rows.empty() || rows[0] != header) fail("", "the header row is not the table's");
  if (rows.size() != static_cast<size_t>(t.cells_size()) + 1) {
    fail("", "has " + std::to_string(rows.empty() ? 0 : rows.size() - 1) + " rows, report.json " +
                 std::to_string(t.cells_size()) + " cells");
  }
  for (int i = 0; i < t.cells_size() && static_cast<size_t>(i) + 1 < rows.size(); ++i) {
    const v1::ReportCell& c = t.cells(i);
    const std::vector<std::string> want = v1 ? WantRowV1(t, c) : WantRow(p.report, t, c);
    const std::vector<std::string>& got = rows[static_cast<size_t>(i) + 1];
    if (got == want) continue;
    std::string shown;
    for (size_t f = 0; f < got.size(); ++f) shown += (f ? "," : "") + got[f];
    fail(CellName(c), "CSV row \"" + shown.substr(0, 120) + "\" differs from report.json (" +
                          (c.has_count() ? std::to_string(c.count()) : kSuppressedMarker) + ")");
  }
}

// The 1-based line where `a` and `b` first differ, and that line of each.
void FirstDifference(const std::string& a, const std::string& b, size_t* line, std::string* la,
                     std::string* lb) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  *line = 1;
  for (size_t j = 0; j < i; ++j) *line += a[j] == '\n';
  auto line_at = [&](const std::string& s) {
    size_t start = s.rfind('\n', i == 0 ? 0 : i - 1);
    start = (start == std::string::npos || i == 0) ? 0 : start + 1;
    size_t end = s.find('\n', start);
    std::string l = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return l.size() > 160 ? l.substr(0, 160) + "..." : l;
  };
  *la = line_at(a);
  *lb = line_at(b);
}

}  // namespace

// The registry names of report.json's facilities: one per facility of facility_testimonies,
// in its order, each a short printable name with a country code and a facility type, so that
// nothing but a facility's name can travel in them (the only text of report.json that is not a
// category code).
void CheckFacilityLabels(const Parsed& p, VerifyCheck* check) {
  auto fail = [&](const std::string& why) {
    check->failures.push_back({p.Name(kReportJsonFile), "", "", why});
  };
  std::vector<std::string> ids;
  for (const v1::ReportTable& t : p.report.tables()) {
    if (t.name() != "facility_testimonies") continue;
    for (const v1::ReportCell& c : t.cells()) {
      if (c.labels_size() == 1 && c.labels(0) != "Total" &&
          std::find(ids.begin(), ids.end(), c.labels(0)) == ids.end()) {
        ids.push_back(c.labels(0));
      }
    }
  }
  static const std::set<std::string> types = {
      "reception",  "asylum", "transit", "detention", "informal_site", "return_hub",
      "pre_removal_detention", "other"};
  size_t next = 0;
  for (const v1::FacilityLabel& f : p.report.facilities()) {
    const std::string what = "facilities: \"" + f.id().substr(0, 40) + "\" ";
    while (next < ids.size() && ids[next] != f.id()) ++next;
    if (next == ids.size()) {
      return fail(what + "is not a facility of facility_testimonies (or not in its order)");
    }
    ++next;
    bool printable = !f.name().empty() && f.name().size() <= 200;
    for (unsigned char c : f.name()) printable = printable && c >= 0x20 && c != 0x7f;
    if (!printable) fail(what + "has no name, or one that is not a short line");
    if (!IsIsoCountryCode(f.country())) fail(what + "has no country code");
    if (types.count(f.type()) == 0) fail(what + "type is not a facility type of the registry");
  }
}

void CheckFormats(const Parsed& p, VerifyCheck* check) {
  for (const v1::ReportTable& t : p.report.tables()) CheckCsv(p, t, check);
  auto it = p.folder->files.find(kReportHtmlFile);
  if (it == p.folder->files.end()) {
    check->failures.push_back({p.Name(kReportHtmlFile), "", "", "missing"});
    return;
  }
  const std::string expected = p.report.format() == kReportFormatV1
                                   ? report_internal::RenderHtmlV1(p.report, p.manifest)
                                   : report_internal::RenderHtml(p.report, p.manifest);
  if (it->second == expected) return;
  size_t line = 0;
  std::string got, want;
  FirstDifference(it->second, expected, &line, &got, &want);
  check->failures.push_back(
      {p.Name(kReportHtmlFile), "", "",
       "is not the page of report.json: from line " + std::to_string(line) + " it reads \"" +
           got + "\" where the rendering of report.json reads \"" + want +
           "\" (text, numbers or markers that report.json does not publish)"});
}

}  // namespace tvault::verify_internal
