// report.html: one self-contained page for readers who will never open a CSV (journalists,
// NGOs, the public), readable on a phone: the headline figures, how to read the numbers, the
// trend of the releases so far, a figure per table, the data files. Every number on it is a
// published cell of report.json written by html::Count or html::Share (tagged with its cell),
// or a threshold of the manifest's settings; a suppressed cell is shown as the marker and
// never drawn, so no bar length or percentage gives it away.
#include "report/html_internal.h"
#include "report/report_internal.h"
#include "tvault/report.h"

namespace tvault::report_internal {
namespace {

using html::Count;
using html::Esc;
using html::Find;
using html::Page;

bool IsPushbackTable(const std::string& name) {
  return name.rfind("facility", 0) != 0 && name.rfind("site_", 0) != 0 &&
         name != "condition_severity";
}

struct HeadlineRow {
  const char* key;
  const char* table;
  std::vector<std::string> labels;
};

std::string Headline(const Page& p, const std::vector<std::string>& periods,
                     const std::vector<std::string>& headers) {
  const v1::Report& r = p.report;
  const Labels& L = p.labels;
  std::string h = "<section class=\"headline\"><h2>" + Esc(L.Text("ui.headline")) + "</h2>\n";
  // The sentence, from the route tables' grand totals.
  const std::string& first = periods.front();
  const v1::ReportTable* tm = Find(r, "testimonies_by_route", first);
  const v1::ReportTable* pm = Find(r, "people_by_route", first);
  if (tm != nullptr && pm != nullptr) {
    const v1::ReportCell* tc = html::CellOf(*tm, {"Total", "Total"});
    const v1::ReportCell* pc = html::CellOf(*pm, {"Total", "Total"});
    const v1::ReportTable* ty = Find(r, "testimonies_by_route", "year_to_date");
    const v1::ReportTable* py = Find(r, "people_by_route", "year_to_date");
    if (first == "revision" && tc && pc) {
      h += "<p class=\"lead\">" +
           L.Text("ui.headline_sentence_revision",
                  {Esc(r.month().substr(0, 4)), Count(p, *tm, *tc), Count(p, *pm, *pc)}) +
           "</p>\n";
    } else if (tc && pc && ty && py) {
      const v1::ReportCell* tyc = html::CellOf(*ty, {"Total", "Total"});
      const v1::ReportCell* pyc = html::CellOf(*py, {"Total", "Total"});
      if (tyc && pyc) {
        h += "<p class=\"lead\">" +
             L.Text("ui.headline_sentence",
                    {Count(p, *tm, *tc), Count(p, *pm, *pc), Esc(L.Month(r.year_to_date_from())),
                     Count(p, *ty, *tyc), Count(p, *py, *pyc)}) +
             "</p>\n";
      }
    }
    // A release that counts nothing says so.
    const v1::ReportTable* fm = Find(r, "facility_testimonies", first);
    const v1::ReportCell* fc = fm ? html::CellOf(*fm, {"Total"}) : nullptr;
    if (first == "month" && tc && tc->has_count() && tc->count() == 0 &&
        (fc == nullptr || (fc->has_count() && fc->count() == 0))) {
      h += "<p class=\"notice\">" + Esc(L.Text("ui.no_data")) + "</p>\n";
    }
  }
  const HeadlineRow rows[] = {
      {"ui.row_testimonies", "testimonies_by_route", {"Total", "Total"}},
      {"ui.row_people", "people_by_route", {"Total", "Total"}},
      {"ui.row_minors", "testimonies_by_minors_involved", {"yes"}},
      {"ui.row_chain", "testimonies_by_chain", {"chain"}},
      {"ui.row_asylum", "testimonies_by_asylum_intention", {"yes"}},
      {"ui.row_facility", "facility_testimonies", {"Total"}},
  };
  std::string body;
  for (const HeadlineRow& row : rows) {
    std::string cells;
    bool any = false;
    for (const std::string& period : periods) {
      const v1::ReportTable* t = Find(r, row.table, period);
      const v1::ReportCell* c = t ? html::CellOf(*t, row.labels) : nullptr;
      any = any || c != nullptr;
      cells += "<td>" + (c ? Count(p, *t, *c) : std::string("\xE2\x80\x94")) + "</td>";
    }
    if (any) body += "<tr><th scope=\"row\">" + Esc(L.Text(row.key)) + "</th>" + cells + "</tr>\n";
  }
  if (!body.empty()) {
    h += "<table class=\"figures\"><thead><tr><td></td>";
    for (const std::string& head : headers) h += "<th scope=\"col\">" + Esc(head) + "</th>";
    h += "</tr></thead>\n<tbody>\n" + body + "</tbody></table>\n";
  }
  return h + "</section>\n";
}

std::string HowToRead(const Page& p) {
  const Labels& L = p.labels;
  const v1::ReportSettings& s = p.manifest.settings();
  auto setting = [](const char* name, uint32_t v) {
    return "<span class=\"k\" data-setting=\"" + std::string(name) + "\">" +
           std::to_string(v) + "</span>";
  };
  std::string h = "<aside class=\"how\"><h2>" + Esc(L.Text("ui.how_title")) + "</h2>\n<ul>\n";
  // "a count of 1 to k-1 people, or 1 to k-1 testimonies"
  h += "<li>" + L.Text("ui.how_suppression", {setting("people.k-1", s.people().k() - 1),
                                              setting("testimonies.k-1", s.testimonies().k() - 1),
                                              setting("min", 1)}) +
       "</li>\n";
  for (const char* key : {"ui.how_shares", "ui.how_unknown", "ui.how_release"}) {
    h += "<li>" + Esc(L.Text(key)) + "</li>\n";
  }
  return h + "</ul>\n<p><a href=\"#methodology\">" + Esc(L.Text("ui.how_more")) +
         "</a></p></aside>\n";
}

std::string Section(const Page& p, const std::string& period, const std::string& heading) {
  std::string push, fac;
  for (const v1::ReportTable& t : p.report.tables()) {
    if (t.period() != period) continue;
    (IsPushbackTable(t.name()) ? push : fac) += html::Figure(p, t);
  }
  if (push.empty() && fac.empty()) return "";
  std::string h = "<section class=\"period\" id=\"" + Esc(period) + "\"><h2>" + Esc(heading) +
                  "</h2>\n";
  if (!push.empty()) h += "<h3>" + Esc(p.labels.Text("ui.pushbacks")) + "</h3>\n" + push;
  if (!fac.empty()) h += "<h3>" + Esc(p.labels.Text("ui.facilities")) + "</h3>\n" + fac;
  return h + "</section>\n";
}

std::string Files(const Page& p) {
  std::string h = "<section class=\"files\" id=\"files\"><h2>" + Esc(p.labels.Text("ui.files")) +
                  "</h2>\n<p>" + Esc(p.labels.Text("ui.files_note")) + "</p>\n<ul>\n";
  auto link = [](const std::string& name) {
    return "<li><a href=\"" + Esc(name) + "\">" + Esc(name) + "</a></li>\n";
  };
  for (const v1::ReportTable& t : p.report.tables()) h += link(CsvFileName(p.report, t));
  h += link(kReportJsonFile) + link(kManifestFile);
  return h + "</ul></section>\n";
}

}  // namespace

std::string RenderHtml(const v1::Report& r, const v1::Manifest& m) {
  const Labels labels(m.language());
  const Page p{r, m, labels};
  const Labels& L = labels;
  const bool revision = r.kind() == "revision";
  const std::string year = r.month().substr(0, 4);
  const std::string range = L.Month(r.year_to_date_from()) + " \xE2\x80\x93 " + L.Month(r.month());
  const std::string title = revision ? L.Text("ui.title_revision", {year})
                                     : L.Text("ui.title", {L.Month(r.month())});
  std::string h = "<!DOCTYPE html>\n<html lang=\"" + Esc(L.catalogue().code) + "\" dir=\"" +
                  (L.catalogue().right_to_left ? "rtl" : "ltr") +
                  "\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>" + Esc(title) + "</title>\n<style>\n" + html::StyleSheet() +
                  "</style></head><body><main>\n";
  h += "<header><h1>" + Esc(title) + "</h1>\n<p class=\"sub\">" + Esc(L.Text("ui.subtitle")) +
       "</p></header>\n";
  if (revision) {
    h += Headline(p, {"revision"}, {L.Text("ui.col_revision", {year})});
  } else {
    h += Headline(p, {"month", "year_to_date"},
                  {L.Text("ui.col_release"), L.Text("ui.col_year", {range})});
  }
  h += HowToRead(p);
  if (!revision) {
    std::string trend;
    for (const char* name : {"testimonies_by_month", "people_by_month"}) {
      if (const v1::ReportTable* t = Find(r, name, "by_month")) trend += html::Figure(p, *t);
    }
    if (!trend.empty()) {
      h += "<section class=\"trend\" id=\"trend\"><h2>" + Esc(L.Text("ui.trend")) + "</h2>\n<p>" +
           Esc(L.Text("ui.trend_note")) + "</p>\n" + trend + "</section>\n";
    }
    h += Section(p, "month", L.Text("ui.section_month", {L.Month(r.month())}));
    h += Section(p, "year_to_date", L.Text("ui.section_year", {range}));
  } else {
    h += Section(p, "revision", L.Text("ui.section_revision", {year}));
  }
  h += Files(p);
  h += "<section class=\"methodology\" id=\"methodology\"><h2>" + Esc(L.Text("ui.methodology")) +
       "</h2>\n<p>" + Esc(L.Text("ui.methodology_text")) + "</p></section>\n";
  h += "<footer><p class=\"meta\">" +
       L.Text("ui.signed", {"<span class=\"meta\">" + Esc(m.code_version()) + "</span>",
                            "<span class=\"meta\">" + Esc(m.signer_key_id()) + "</span>"}) +
       "</p></footer>\n</main></body></html>\n";
  return h;
}

}  // namespace tvault::report_internal
