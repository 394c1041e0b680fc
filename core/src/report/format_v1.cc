// Format 1 of the report folder (kReportFormatV1, kManifestFormatV1), as tvault wrote it
// before format 2 (issue 16): CSV files named "<period>-<table>.csv", JSON without
// Report.facilities and Manifest.language, and the page below. Nothing writes format 1 any
// more, but its releases stay in ledgers and in readers' hands, and every later release of
// their series is checked with them: verify checks a format-1 folder by these rules, byte for
// byte, as the tvault that made it did. Do not change a byte of this page.
//
// report.html of format 1: one self-contained page. Every number on it is a published cell of
// report.json; a suppressed cell is shown as kSuppressedMarker and never drawn, so no bar
// length or percentage gives it away.
#include <algorithm>
#include <cstdio>

#include "report/report_internal.h"
#include "tvault/report.h"

namespace tvault::report_internal {
namespace {

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

const v1::ReportTable* Find(const v1::Report& r, const std::string& name,
                            const std::string& period) {
  for (const v1::ReportTable& t : r.tables()) {
    if (t.name() == name && t.period() == period) return &t;
  }
  return nullptr;
}

struct Bar {
  std::string label;
  double value;       // bar length
  std::string text;   // printed at the end of the bar
};

// A horizontal bar chart. Only published values are passed in.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars) {
  if (bars.empty()) return "";
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, b.value);
  if (max <= 0) max = 1;
  const int row = 22, label_w = 190, bar_w = 360;
  const int height = row * static_cast<int>(bars.size()) + 10;
  std::string svg = "<figure><figcaption>" + Esc(title) + "</figcaption>\n<svg role=\"img\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(label_w + bar_w + 80) + "\" height=\"" +
                    std::to_string(height) + "\" aria-label=\"" + Esc(title) + "\">\n";
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row + 5;
    const int w = static_cast<int>(bars[i].value / max * bar_w + 0.5);
    svg += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" text-anchor=\"end\">" + Esc(bars[i].label) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) +
           "\" width=\"" + std::to_string(w) + "\" height=\"15\" fill=\"#4a6fa5\"/>";
    svg += "<text x=\"" + std::to_string(label_w + w + 6) + "\" y=\"" + std::to_string(y + 15) +
           "\">" + Esc(bars[i].text) + "</text>\n";
  }
  return svg + "</svg></figure>\n";
}

std::string Join(const v1::ReportCell& c) {
  std::string s;
  for (int i = 0; i < c.labels_size(); ++i) s += (i ? " \xE2\x86\x92 " : "") + c.labels(i);
  return s;
}

std::string TableHtml(const v1::ReportTable& t) {
  const bool shares = !t.percent_base().empty();
  std::string h = "<section><h3>" + Esc(t.title()) + "</h3>\n<table>\n<tr>";
  for (const std::string& d : t.dimensions()) h += "<th>" + Esc(d) + "</th>";
  h += "<th>" + Esc(t.unit()) + "</th>";
  if (shares) h += "<th>% of testimonies</th>";
  h += "</tr>\n";
  for (const v1::ReportCell& c : t.cells()) {
    const bool margin = std::find(c.labels().begin(), c.labels().end(), "Total") != c.labels().end();
    h += margin ? "<tr class=\"total\">" : "<tr>";
    for (const std::string& l : c.labels()) h += "<td>" + Esc(l) + "</td>";
    h += c.has_count() ? "<td class=\"n\">" + std::to_string(c.count()) + "</td>"
                       : std::string("<td class=\"s\">") + kSuppressedMarker + "</td>";
    if (shares) h += "<td class=\"n\">" + (c.has_percent() ? Fixed1(c.percent()) : "") + "</td>";
    h += "</tr>\n";
  }
  return h + "</table></section>\n";
}

}  // namespace

std::string CsvFileNameV1(const v1::ReportTable& t) {
  return t.period() + "-" + t.name() + ".csv";
}

Result<std::string> CanonicalJsonV1(const google::protobuf::Message& m) {
  TVAULT_ASSIGN_OR_RETURN(std::string json, CanonicalJson(m));
  // The fields format 2 added are the last of their messages, so printed empty they end the
  // text; format 1 had no such line. Set, they stay, and the text is not format 1's.
  for (const std::string tail :
       {",\n \"facilities\": []\n}\n", ",\n \"language\": \"\"\n}\n"}) {
    if (json.size() >= tail.size() &&
        json.compare(json.size() - tail.size(), tail.size(), tail) == 0) {
      json.replace(json.size() - tail.size(), tail.size(), "\n}\n");
    }
  }
  return json;
}

std::string RenderHtmlV1(const v1::Report& r, const v1::Manifest& m) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>Monthly report " + Esc(r.month()) + "</title>\n<style>\n"
      "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}\n"
      "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;"
      "padding:.2em .6em}td.n{text-align:right}td.s{color:#a33;font-style:italic}\n"
      "tr.total{font-weight:bold}figure{margin:1em 0}figcaption{font-weight:bold}\n"
      "svg text{font-size:13px;font-family:sans-serif}\n</style></head><body>\n";
  h += "<h1>Pushbacks and conditions in facilities: " + Esc(r.month()) + "</h1>\n";
  h += "<p>Counts of testimonies collected by the network, for the month " + Esc(r.month()) +
       " and for the year to date (" + Esc(r.year_to_date_from()) + " to " + Esc(r.month()) +
       "). To protect the people who testified, a count between 1 and " +
       std::to_string(m.settings().people().k() - 1) + " people (1 and " +
       std::to_string(m.settings().testimonies().k() - 1) +
       " testimonies) is never published: it reads \"" + kSuppressedMarker +
       "\", and so do some other counts that would let it be worked out. A suppressed count "
       "is never 0. Percentages of violence and perpetrator types are shares of testimonies: "
       "one testimony may report several, so they do not add up to 100%.</p>\n";

  std::vector<Bar> route;
  if (const v1::ReportTable* t = Find(r, "people_by_route", "month")) {
    for (const v1::ReportCell& c : t->cells()) {
      if (!c.has_count() || c.count() == 0 || c.labels(0) == "Total" || c.labels(1) == "Total") {
        continue;
      }
      route.push_back({Join(c), static_cast<double>(c.count()), std::to_string(c.count())});
    }
  }
  h += BarChart("People pushed back in " + r.month() + ", by route (from \xE2\x86\x92 to)",
                route);
  std::vector<Bar> violence;
  if (const v1::ReportTable* t = Find(r, "testimonies_by_violence", "year_to_date")) {
    for (const v1::ReportCell& c : t->cells()) {
      if (c.has_percent()) violence.push_back({c.labels(0), c.percent(), Fixed1(c.percent()) + "%"});
    }
  }
  h += BarChart("Share of testimonies reporting each type of violence, year to date", violence);
  std::vector<Bar> trend;
  if (const v1::ReportTable* t = Find(r, "testimonies_by_month", "by_month")) {
    for (const v1::ReportCell& c : t->cells()) {
      if (c.has_count()) {
        trend.push_back({c.labels(0), static_cast<double>(c.count()), std::to_string(c.count())});
      } else {
        trend.push_back({c.labels(0), 0, kSuppressedMarker});
      }
    }
  }
  h += BarChart("Pushback testimonies, month by month", trend);

  for (const char* period : {"month", "year_to_date", "by_month", "revision"}) {
    const std::string p = period;
    bool any = false;
    for (const v1::ReportTable& t : r.tables()) any = any || t.period() == p;
    if (!any) continue;
    h += "<h2>" + std::string(p == "month" ? "Testimonies first counted in the release of " +
                                                 Esc(r.month())
                              : p == "year_to_date" ? "Year to date"
                              : p == "revision"     ? "Annual revision of " +
                                                      Esc(r.month().substr(0, 4)) +
                                                      ", by incident date, as the records "
                                                      "stand now"
                                                    : "Release by release") + "</h2>\n";
    for (const v1::ReportTable& t : r.tables()) {
      if (t.period() == p) h += TableHtml(t);
    }
  }
  h += "<p>Produced by tvault " + Esc(m.code_version()) + "; every file of this report is "
       "signed (minisign key " + Esc(m.signer_key_id()) + "), and manifest.json lists them "
       "with their SHA-256.</p>\n</body></html>\n";
  return h;
}

}  // namespace tvault::report_internal
