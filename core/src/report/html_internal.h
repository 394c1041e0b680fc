// Shared by the files of report.html (html.cc: the page; html_figures.cc: a table's chart and
// full table; html_style.cc: the style sheet). Every number is written by Count or Share, which
// tag it with the report.json cell it shows (data-cell="<period>|<table>|<labels>"), so that a
// test can check each one; a suppressed cell is written as the catalogue's "suppressed" and
// never drawn.
#ifndef TVAULT_REPORT_HTML_INTERNAL_H_
#define TVAULT_REPORT_HTML_INTERNAL_H_

#include <string>
#include <vector>

#include "report/labels.h"
#include "tvault/v1/report.pb.h"

namespace tvault::report_internal::html {

struct Page {
  const v1::Report& report;
  const v1::Manifest& manifest;
  const Labels& labels;
};

// HTML text and attribute escaping.
std::string Esc(const std::string& s);

// The table of `name` and period kind `period`, or nullptr.
const v1::ReportTable* Find(const v1::Report& r, const std::string& name,
                            const std::string& period);

// The cell of `t` with exactly `labels`, or nullptr.
const v1::ReportCell* CellOf(const v1::ReportTable& t, const std::vector<std::string>& labels);

// "<period>|<table>|<label>,<label>": the data-cell key of a cell.
std::string CellKey(const v1::ReportTable& t, const v1::ReportCell& c);

// The count of a cell, tagged; or the suppression marker, tagged.
std::string Count(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c);

// The percent of a cell of a table of shares, tagged; empty when it has none.
std::string Share(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c);

// A category label as readers know it (facilities by their registry name).
std::string CategoryLabel(const Page& p, const std::string& dimension, const std::string& code);

// The label of a cell: its categories joined (a route as "A -> B"), margins as "Total".
std::string CellLabel(const Page& p, const v1::ReportTable& t, const v1::ReportCell& c);

// Whether a cell is an impossible combination (a route from a country to itself), never shown.
bool Structural(const v1::ReportTable& t, const v1::ReportCell& c);

// One table as a figure: its title, a bar chart of its categories (suppressed ones marked with
// a hatched box and the marker, zeros listed by name), its total, and, for a table of two
// dimensions, the full table in a <details> block (closed when mostly zero or suppressed).
std::string Figure(const Page& p, const v1::ReportTable& t);

// The page's style sheet.
std::string StyleSheet();

}  // namespace tvault::report_internal::html

#endif  // TVAULT_REPORT_HTML_INTERNAL_H_
