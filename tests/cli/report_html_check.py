#!/usr/bin/env python3
"""Checks that every number a reader sees in report.html is the one report.json publishes
(docs/formats.md, "report.html"). Shares no code with tvault.

report.html tags each number with the cell it shows: <span class="n" data-cell="PERIOD|TABLE|
LABELS">COUNT</span>, <span class="s" data-cell=...>MARKER</span> for a suppressed cell,
<span class="p" data-cell=...>PERCENT</span>, and <span class="k" data-setting=...> for the
thresholds the explanation names. This script checks each tag against report.json and
manifest.json, checks that every suppressed interior cell of a charted table is shown as
suppressed, and that no digit appears anywhere else in the visible text (outside the tags,
years and months, file names, age bands and the footer's version and key id).

usage: report_html_check.py REPORT_DIR
Prints one line per problem and exits 1 if there is any; prints a summary and exits 0 otherwise.
"""
import html.parser
import json
import os
import re
import sys

# Words that carry digits legitimately: age-band labels of the catalogues, "SHA-256".
ALLOWED = [
    r"\b\d+ to \d+ years\b", r"\b\d+ years and older\b",      # en
    r"\b\d+ à \d+ ans\b", r"\b\d+ ans et plus\b",              # fr
    r"من \d+ إلى \d+ سنة", r"\b\d+ سنة فأكثر",                  # ar
    r"SHA-256", r"\bISO 3166\b",
    r"\b\d{4}-\d{2}-[a-z_]+-[a-z_]+\.csv\b", r"\b\d{4}-revision-[a-z_]+\.csv\b",
    r"\b\d{4}-\d{2}\b", r"\b(19|20)\d\d\b",
]


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []        # (tag, attrs) of open elements
        self.tagged = []       # (kind, key, text)
        self.free = []         # visible text outside tags
        self.current = None    # [kind, key, text] of the open tag, if any

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("meta", "br", "img", "input", "link"):
            return
        self.stack.append((tag, a))
        cls = a.get("class", "")
        if tag == "span" and ("data-cell" in a or "data-setting" in a):
            self.current = [cls, a.get("data-cell") or a.get("data-setting"), "", len(self.stack)]
        elif tag == "span" and cls == "meta":
            self.current = ["meta", "", "", len(self.stack)]

    def handle_endtag(self, tag):
        if not self.stack:
            return
        self.stack.pop()
        if self.current is not None and len(self.stack) < self.current[3]:
            self.tagged.append(tuple(self.current[:3]))
            self.current = None

    def handle_data(self, data):
        if any(t in ("style", "script") for t, _ in self.stack):
            return
        if self.current is not None:
            self.current[2] += data
        else:
            self.free.append(data)


def main():
    folder = sys.argv[1]
    report = json.load(open(os.path.join(folder, "report.json"), encoding="utf-8"))
    manifest = json.load(open(os.path.join(folder, "manifest.json"), encoding="utf-8"))
    cells = {}
    for t in report["tables"]:
        for c in t["cells"]:
            cells["%s|%s|%s" % (t["period"], t["name"], ",".join(c["labels"]))] = (t, c)
    page = Page()
    page.feed(open(os.path.join(folder, "report.html"), encoding="utf-8").read())
    problems = []
    shown_suppressed = set()
    counts = percents = 0
    settings = manifest["settings"]
    for kind, key, text in page.tagged:
        text = text.strip()
        if kind == "meta":
            continue
        if kind == "k":
            want = {"people.k-1": settings["people"]["k"] - 1,
                    "testimonies.k-1": settings["testimonies"]["k"] - 1, "min": 1}.get(key)
            if want is None or text != str(want):
                problems.append("threshold %s reads %r, the settings give %r" % (key, text, want))
            continue
        if key not in cells:
            problems.append("%r tags %r, which is no cell of report.json" % (text, key))
            continue
        _, c = cells[key]
        if kind == "n":
            counts += 1
            if c.get("suppressed") or str(c.get("count")) != text:
                problems.append("%s reads %r; report.json: %s" % (
                    key, text, "suppressed" if c.get("suppressed") else c.get("count")))
        elif kind == "s":
            if not c.get("suppressed"):
                problems.append("%s reads suppressed; report.json publishes %s" %
                                (key, c.get("count")))
            shown_suppressed.add(key)
        elif kind == "p":
            percents += 1
            value = re.sub(r"[^0-9.,]", "", text).replace(",", ".")
            if "percent" not in c or value != "%.1f" % c["percent"]:
                problems.append("%s reads %r; report.json percent %r" %
                                (key, text, c.get("percent")))
        else:
            problems.append("%s: unknown tag class %r" % (key, kind))
    # Every suppressed interior cell of a charted table (all but impossible routes and the
    # "not reported" side of shares) is marked, never left out.
    for key, (t, c) in cells.items():
        labels = c["labels"]
        if not c.get("suppressed") or "Total" in labels:
            continue
        if t["name"].endswith("_by_route") and labels[0] == labels[1]:
            continue
        if t.get("percent_base") and labels[1] != "reported":
            continue
        if key not in shown_suppressed:
            problems.append("%s is suppressed in report.json and not marked in report.html" % key)
    free = " ".join(page.free)
    for pattern in ALLOWED:
        free = re.sub(pattern, " ", free)
    for m in re.finditer(r"[0-9\u0660-\u0669\u06f0-\u06f9]+", free):
        around = free[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
        problems.append("an untagged number %r in the text: ...%s..." % (m.group(0), around))
    for p in problems[:60]:
        print(p)
    if problems:
        print("%d problems" % len(problems))
        return 1
    print("%d counts, %d percents, %d suppressed cells: every number of report.html is its cell "
          "of report.json" % (counts, percents, len(shown_suppressed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
