#!/usr/bin/env python3
"""Reads every CSV of a report folder with Python's csv module, as a reader's R or pandas
session would, and checks it against report.json (docs/formats.md, "CSV"): one row per cell,
the period in the file name and in a column, the value numeric and empty when suppressed, the
status column, totals flagged. Shares no code with tvault. Prints one line per problem and
exits 1 if there is any; prints a summary and exits 0 otherwise.

usage: report_csv_check.py REPORT_DIR
"""
import csv
import glob
import json
import os
import sys


def expected_period(report, table, labels):
    kind = table["period"]
    if kind == "year_to_date":
        return report["year_to_date_from"] + "/" + report["month"]
    if kind == "by_month":
        return labels[0]
    if kind == "revision":
        return report["month"][:4]
    return report["month"]


def file_name(report, table):
    if table["period"] == "revision":
        return "%s-revision-%s.csv" % (report["month"][:4], table["name"])
    return "%s-%s-%s.csv" % (report["month"], table["period"], table["name"])


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    problems = []
    seen_files = set()
    rows_checked = 0
    for table in report["tables"]:
        name = file_name(report, table)
        seen_files.add(name)
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            problems.append("%s: missing" % name)
            continue
        with open(path, "rb") as f:
            raw = f.read()
        if raw.startswith(b"\xef\xbb\xbf"):
            problems.append("%s: starts with a byte-order mark" % name)
        text = raw.decode("utf-8")  # raises on anything but UTF-8
        rows = list(csv.DictReader(text.splitlines(keepends=True), strict=True))
        header = next(csv.reader([text.split("\r\n", 1)[0]]))
        want_header = (["period", "period_kind", "table", "unit"] + table["dimensions"] +
                       ["total", "value", "status", "percent"])
        if header != want_header:
            problems.append("%s: header %r, expected %r" % (name, header, want_header))
            continue
        if len(rows) != len(table["cells"]):
            problems.append("%s: %d rows, report.json has %d cells" %
                            (name, len(rows), len(table["cells"])))
        for row, cell in zip(rows, table["cells"]):
            where = "%s: %s" % (name, ",".join(cell["labels"]))
            rows_checked += 1
            labels = [row[d] for d in table["dimensions"]]
            if labels != cell["labels"]:
                problems.append("%s: labels %r" % (where, labels))
            if row["period"] != expected_period(report, table, cell["labels"]):
                problems.append("%s: period %r" % (where, row["period"]))
            if row["period_kind"] != table["period"] or row["table"] != table["name"] or \
                    row["unit"] != table["unit"]:
                problems.append("%s: period_kind/table/unit %r" % (where, row))
            is_total = "Total" in cell["labels"]
            if row["total"] != ("true" if is_total else "false"):
                problems.append("%s: total %r" % (where, row["total"]))
            if cell.get("suppressed"):
                if row["value"] != "" or row["status"] != "suppressed":
                    problems.append("%s: a suppressed cell reads value=%r status=%r" %
                                    (where, row["value"], row["status"]))
            else:
                try:
                    value = int(row["value"])
                except ValueError:
                    problems.append("%s: value %r is not a number" % (where, row["value"]))
                    continue
                if value != cell["count"] or row["status"] != "published":
                    problems.append("%s: value=%r status=%r, report.json %d" %
                                    (where, row["value"], row["status"], cell["count"]))
            if "percent" in cell:
                if row["percent"] == "" or abs(float(row["percent"]) - cell["percent"]) > 1e-9:
                    problems.append("%s: percent %r, report.json %r" %
                                    (where, row["percent"], cell["percent"]))
            elif row["percent"] != "":
                problems.append("%s: percent %r where report.json has none" %
                                (where, row["percent"]))
    on_disk = {os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.csv"))}
    for extra in sorted(on_disk - seen_files):
        problems.append("%s: a CSV that is no table of report.json" % extra)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("%d CSV files, %d rows: every row is its cell of report.json" %
          (len(seen_files), rows_checked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
