// report.html: one table as a figure (a bar chart of its categories, its total, its full
// table), and the tagged numbers every part of the page is written with.
#include <algorithm>

#include "pipeline/tables.h"
#include "report/html_internal.h"
#include "tvault/report.h"

namespace tvault::report_internal::html {
namespace {

constexpr char kTotal[] = "Total";

bool IsMargin(const v1::ReportCell& c) {
  return std::find(c.labels().begin(), c.labels().end(), kTotal) != c.labels().end();
}

// Tables whose categories have no natural order are charted largest first.
bool SortedByValue(const v1::ReportTable& t) {
  for (const char* n : {"people_by_route", "testimonies_by_route", "people_by_nationality",
                        "testimonies_by_violence", "testimonies_by_perpetrator",
                        "facility_testimonies", "facility_type_conditions", "condition_severity"}) {
    if (t.name() == n) return true;
  }
  return false;
}

struct Item {
  const v1::ReportCell* cell;
  std::string label;
};

std::string Bars(const Page& p, const v1::ReportTable& t, const std::vector<Item>& shown,
                 const std::vector<Item>& suppressed) {
  uint32_t max = 1;
  for (const Item& i : shown) max = std::max(max, i.cell->count());
  std::string h = "<ul class=\"bars\">\n";
  for (const Item& i : shown) {
    const uint32_t w = std::max<uint32_t>(1, (i.cell->count() * 100 + max / 2) / max);
    h += "<li><span class=\"lab\">" + i.label + "</span><span class=\"bar\"><i style=\"width:" +
         std::to_string(w) + "%\"></i></span><span class=\"val\">" + Count(p, t, *i.cell);
    const std::string share = Share(p, t, *i.cell);
    if (!share.empty()) h += " \xC2\xB7 " + share;
    h += "</span></li>\n";
  }
  for (const Item& i : suppressed) {
    h += "<li class=\"sup\"><span class=\"lab\">" + i.label +
         "</span><span class=\"bar\"><i class=\"hatch\"></i></span><span class=\"val\">" +
         Count(p, t, *i.cell) + "</span></li>\n";
  }
  h += "</ul>\n";
  if (!suppressed.empty()) {
    h += "<p class=\"legend\"><i class=\"hatch\"></i> " + Esc(p.labels.Text("ui.suppressed_bar")) +
         "</p>\n";
  }
  return h;
}

// The full table of two dimensions, rows by columns with their totals.
std::string Pivot(const Page& p, const v1::ReportTable& t) {
  const bool shares = !t.percent_base().empty();
  std::vector<std::string> rows, cols;
  for (const v1::ReportCell& c : t.cells()) {
    if (c.labels_size() != 2) continue;
    if (c.labels(0) != kTotal && std::find(rows.begin(), rows.end(), c.labels(0)) == rows.end()) {
      rows.push_back(c.labels(0));
    }
    if (c.labels(1) != kTotal && std::find(cols.begin(), cols.end(), c.labels(1)) == cols.end()) {
      cols.push_back(c.labels(1));
    }
  }
  // A table of shares has no useful total row (sums of mentions of different types).
  if (!shares) rows.push_back(kTotal);
  cols.push_back(kTotal);
  size_t interior = 0, empty = 0;
  std::string body;
  for (const std::string& r : rows) {
    body += r == kTotal ? "<tr class=\"total\">" : "<tr>";
    body += "<th scope=\"row\">" + CategoryLabel(p, t.dimensions(0), r) + "</th>";
    for (const std::string& col : cols) {
      const v1::ReportCell* c = CellOf(t, {r, col});
      if (c == nullptr || Structural(t, *c)) {
        body += "<td class=\"x\" title=\"" + Esc(p.labels.Text("ui.impossible")) +
                "\">\xE2\x80\x94</td>";
      } else {
        if (r != kTotal && col != kTotal) {
          ++interior;
          if (!c->has_count() || c->count() == 0) ++empty;
        }
        body += "<td>" + Count(p, t, *c) + "</td>";
      }
      if (shares && col == pipeline::kReportedLabel) {
        body += "<td>" + (c == nullptr ? std::string() : Share(p, t, *c)) + "</td>";
      }
    }
    body += "</tr>\n";
  }
  std::string head = "<tr><th scope=\"col\">" + Esc(p.labels.Text("dim." + t.dimensions(0))) +
                     "</th>";
  for (const std::string& col : cols) {
    head += "<th scope=\"col\">" + CategoryLabel(p, t.dimensions(1), col) + "</th>";
    if (shares && col == pipeline::kReportedLabel) {
      head += "<th scope=\"col\">" + Esc(p.labels.Text("dim.percent")) + "</th>";
    }
  }
  head += "</tr>\n";
  const bool mostly_empty = 2 * empty > interior;
  return std::string("<details") + (mostly_empty ? "" : " open") + "><summary>" +
         Esc(p.labels.Text(mostly_empty ? "ui.full_table_mostly_empty" : "ui.full_table")) +
         "</summary>\n<div class=\"scroll\"><table class=\"pivot\">\n<thead>" + head +
         "</thead>\n<tbody>\n" + body + "</tbody></table></div></details>\n";
}

}  // namespace

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const v1::ReportTable* Find(const v1::Report& r, const std::string& name,
                            const std::string& period) {
  for (const v1::ReportTable& t : r.tables()) {
    if (t.name() == name && t.period() == period) return &t;
  }
  return nullptr;
}

const v1::ReportCell* CellOf(const v1::ReportTable& t, const std::vector<std::string>& labels) {
  for (const v1::ReportCell& c : t.cells()) {
    if (std::equal(c.labels().begin(), c.labels().end(), labels.begin(), labels.end())) {
      return &c;
    }
  }
  return nullptr;
}

std::string CellKey(const v1::ReportTable& t, const v1::ReportCell& c) {
  std::string k = t.period() + "|" + t.name() + "|";
  for (int i = 0; i < c.labels_size(); ++i) k += (i ? "," : "") + c.labels(i);
  return k;
}

std::string Count(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c) {
  const std::string key = Esc(CellKey(t, c));
  if (!c.has_count()) {
    return "<span class=\"s\" data-cell=\"" + key + "\">" +
           Esc(p.labels.Text("ui.suppressed")) + "</span>";
  }
  return "<span class=\"n\" data-cell=\"" + key + "\">" + std::to_string(c.count()) + "</span>";
}

std::string Share(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c) {
  if (!c.has_percent()) return "";
  return "<span class=\"p\" data-cell=\"" + Esc(CellKey(t, c)) + "\">" +
         Esc(p.labels.Percent(c.percent())) + "</span>";
}

std::string CategoryLabel(const Page& p, const std::string& dimension, const std::string& code) {
  if (dimension == "facility" && code != kTotal) {
    for (const v1::FacilityLabel& f : p.report.facilities()) {
      if (f.id() != code) continue;
      const std::string country = p.labels.Country(f.country());
      return Esc(p.labels.Text("ui.facility_name",
                               {f.name(), country.empty() ? f.country() : country,
                                p.labels.Category("facility_type", f.type())}));
    }
  }
  return Esc(p.labels.Category(dimension, code));
}

std::string CellLabel(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c) {
  if (c.labels_size() == 1) return CategoryLabel(p, t.dimensions(0), c.labels(0));
  const std::string a = CategoryLabel(p, t.dimensions(0), c.labels(0));
  const std::string b = CategoryLabel(p, t.dimensions(1), c.labels(1));
  const bool route = t.dimensions(0) == "pushed_from";
  return p.labels.Text(route ? "ui.route" : "ui.pair", {a, b});
}

bool Structural(const v1::ReportTable& t, const v1::ReportCell& c) {
  return t.dimensions_size() == 2 && t.dimensions(0) == "pushed_from" && c.labels_size() == 2 &&
         c.labels(0) == c.labels(1) && c.labels(0) != kTotal;
}

std::string Figure(const Page& p, const v1::ReportTable& t) {
  const bool shares = !t.percent_base().empty();
  std::vector<Item> shown, suppressed;
  std::vector<std::string> zeros;
  for (const v1::ReportCell& c : t.cells()) {
    if (IsMargin(c) || Structural(t, c)) continue;
    if (shares && c.labels(1) != pipeline::kReportedLabel) continue;
    const std::string label =
        shares ? CategoryLabel(p, t.dimensions(0), c.labels(0)) : CellLabel(p, t, c);
    if (!c.has_count()) {
      suppressed.push_back({&c, label});
    } else if (c.count() == 0) {
      zeros.push_back(label);
    } else {
      shown.push_back({&c, label});
    }
  }
  if (SortedByValue(t)) {
    std::stable_sort(shown.begin(), shown.end(), [](const Item& a, const Item& b) {
      return a.cell->count() > b.cell->count();
    });
  }
  std::string h = "<figure class=\"fig\" id=\"" + Esc(t.period() + "-" + t.name()) +
                  "\"><figcaption>" + Esc(p.labels.Text("title." + t.name())) +
                  " <small>(" + Esc(p.labels.Text("dim." + t.unit())) + ")</small>" +
                  "</figcaption>\n";
  h += Bars(p, t, shown, suppressed);
  if (!zeros.empty() && t.dimensions_size() == 2) {
    // Listing every empty pair of two dimensions would bury the chart; the full table has them.
    h += "<p class=\"zeros\">" + Esc(p.labels.Text("ui.none_counted_other")) + "</p>\n";
  } else if (!zeros.empty()) {
    std::string list;
    for (size_t i = 0; i < zeros.size(); ++i) list += (i ? ", " : "") + zeros[i];
    h += "<p class=\"zeros\">" + p.labels.Text("ui.none_counted", {list}) + "</p>\n";
  }
  const std::vector<std::string> grand =
      t.dimensions_size() == 2 ? std::vector<std::string>{kTotal, kTotal}
                               : std::vector<std::string>{kTotal};
  const v1::ReportCell* total = shares ? nullptr : CellOf(t, grand);
  if (total != nullptr) {
    h += "<p class=\"tot\">" + Esc(p.labels.Text("ui.total")) + ": " + Count(p, t, *total) +
         "</p>\n";
  }
  if (t.dimensions_size() == 2) h += Pivot(p, t);
  return h + "</figure>\n";
}

}  // namespace tvault::report_internal::html
