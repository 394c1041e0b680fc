// The CSV files of a report folder (docs/formats.md, "CSV"): tidy long format, one row per cell
// of report.json, the period in the file name and in a column, the value numeric and empty when
// suppressed, a separate status column, totals flagged.
#include <cstdio>

#include "report/report_internal.h"
#include "tvault/report.h"

namespace tvault::report_internal {
namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. Labels are
// codes, but a facility id comes from the registry, so quote defensively.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string FormatPercent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", p);
  return buf;
}

std::string CsvPeriod(const v1::Report& r, const v1::ReportTable& t, const v1::ReportCell& c) {
  if (t.period() == "year_to_date") return r.year_to_date_from() + "/" + r.month();
  if (t.period() == "by_month" && c.labels_size() > 0) return c.labels(0);
  if (t.period() == "revision") return r.month().substr(0, 4);
  return r.month();
}

}  // namespace

std::string CsvFileName(const v1::Report& r, const v1::ReportTable& t) {
  if (t.period() == "revision") return r.month().substr(0, 4) + "-revision-" + t.name() + ".csv";
  return r.month() + "-" + t.period() + "-" + t.name() + ".csv";
}

namespace {

std::vector<std::string> CsvHeader(const v1::ReportTable& t) {
  std::vector<std::string> h = {"period", "period_kind", "table", "unit"};
  h.insert(h.end(), t.dimensions().begin(), t.dimensions().end());
  for (const char* f : {"total", "value", "status", "percent"}) h.push_back(f);
  return h;
}

std::vector<std::string> CsvRow(const v1::Report& r, const v1::ReportTable& t,
                                const v1::ReportCell& c) {
  std::vector<std::string> row = {CsvPeriod(r, t, c), t.period(), t.name(), t.unit()};
  bool total = false;
  for (const std::string& l : c.labels()) {
    row.push_back(l);
    total = total || l == "Total";
  }
  row.push_back(total ? "true" : "false");
  row.push_back(c.has_count() ? std::to_string(c.count()) : "");
  row.push_back(c.has_count() ? "published" : kSuppressedMarker);
  row.push_back(c.has_percent() ? FormatPercent(c.percent()) : "");
  return row;
}

}  // namespace

std::string RenderCsv(const v1::Report& r, const v1::ReportTable& t) {
  auto line = [](const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
    return out + "\r\n";
  };
  std::string out = line(CsvHeader(t));
  for (const v1::ReportCell& c : t.cells()) out += line(CsvRow(r, t, c));
  return out;
}

}  // namespace tvault::report_internal
