#!/usr/bin/python3
"""An independent attacker for tvault report series (tests only).

Reads the report.json of each report folder given, builds its own model of everything those
files publish, and solves, for each cell asked, the minimum and the maximum an attacker can
prove, as a linear program (scipy.optimize.linprog) and as an integer program
(scipy.optimize.milp). It shares no code with tvault: the model is written from the published
format (proto/tvault/v1/report.proto) and docs/methodology.md.

The model. Every cell is a variable keyed by (period, table, labels), where period is
"month YYYY-MM" or "year_to_date YYYY-MM" (a monthly release), "revision YYYY" (an annual
revision), or one of the revision's unpublished linking tables "kept|added|removed YYYY".
A published cell is a constant; a suppressed cell is an integer >= 1; an unpublished cell is an
integer >= 0; a cell absent from a table that is published is a known 0.
  - margins of every table (row, column and grand totals; the total of a one-way table);
  - within a period: totals of people_by_nationality and people_by_age = grand total of
    people_by_route; totals of testimonies_by_asylum_intention, _minors_involved, _chain and
    every row total of testimonies_by_violence and _perpetrator = grand total of
    testimonies_by_route; column totals of facility_type_conditions = row totals of
    condition_severity; totals of facility_testimonies_by_arrival and facility_stay_length =
    total of facility_testimonies;
  - across the releases of a year: year_to_date(R) = year_to_date(previous_release(R)) +
    month(R), cell by cell (year_to_date = month for the first release);
  - trend tables (by_month) equal the month grand totals of people_by_route and
    testimonies_by_route of the release they name;
  - a revision: revision = kept + added and year_to_date(previous_release) = kept + removed,
    cell by cell, with kept, added and removed unknown tables with their own margins and links.

Usage:
  attacker.py --request REQUEST.json FOLDER...
REQUEST.json: {"cells": [{"period": "month 2025-05", "table": "people_by_route",
                          "labels": ["HR", "BA"]}, ...],
               "time_limit": 60}
Output (stdout, one JSON document):
  {"cells": [{"period", "table", "labels", "published": bool, "count": n|null,
              "lp": [lo, hi], "ilp": [lo, hi]}]   (hi null: unbounded; absent when published)
   "below_k": ["...", ...],        published counts with 0 < count < k
   "inconsistent": ["...", ...],   relations the published numbers alone contradict
   "warnings": [...], "stats": {...}}
Exit 0 when it ran, 2 on bad input, 3 when scipy is missing.
"""
import json
import math
import os
import sys

try:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_matrix
except Exception as e:  # pragma: no cover
    sys.stderr.write("attacker.py needs numpy and scipy >= 1.9 (Debian python3-scipy, installed "
                     "by scripts/bootstrap.sh): %s\n" % e)
    sys.exit(3)

TOTAL = "Total"
PEOPLE_TOTAL_TABLES = ["people_by_nationality", "people_by_age"]
TESTIMONY_TOTAL_TABLES = ["testimonies_by_asylum_intention", "testimonies_by_minors_involved",
                          "testimonies_by_chain"]
SHARE_TABLES = ["testimonies_by_violence", "testimonies_by_perpetrator"]
# Tables whose total is the total of facility_testimonies (every facility testimony in one row).
FACILITY_TOTAL_TABLES = ["facility_testimonies_by_arrival", "facility_stay_length"]
TREND = {"people_by_month": "people_by_route", "testimonies_by_month": "testimonies_by_route"}


class Model:
    def __init__(self):
        self.var_index = {}      # key -> variable number
        self.var_lb = []
        self.var_key = []
        self.const = {}          # key -> published count
        self.tables = {}         # (period, table) -> {"dims": n, "labels": set of tuples}
        self.published_periods = set()   # periods whose tables are published (absent = 0)
        self.rows = []           # (dict var -> coef, constant, description): sum + const == 0
        self.below_k = []
        self.warnings = []

    # A cell's term: ("v", index) or ("c", value).
    def term(self, period, table, labels):
        key = (period, table, tuple(labels))
        if key in self.const:
            return ("c", self.const[key])
        if key in self.var_index:
            return ("v", self.var_index[key])
        if (period, table) in self.tables and period in self.published_periods:
            return ("c", 0)      # a category absent from a published table: a known zero
        return ("v", self.new_var(key, 0))

    def new_var(self, key, lb):
        i = len(self.var_lb)
        self.var_index[key] = i
        self.var_lb.append(lb)
        self.var_key.append(key)
        return i

    def relation(self, plus, minus, description):
        """sum(plus) - sum(minus) == 0, each a list of (period, table, labels)."""
        coefs, const = {}, 0
        for sign, cells in ((1, plus), (-1, minus)):
            for c in cells:
                kind, x = self.term(*c)
                if kind == "c":
                    const += sign * x
                else:
                    coefs[x] = coefs.get(x, 0) + sign
        coefs = {k: v for k, v in coefs.items() if v != 0}
        self.rows.append((coefs, const, description))

    def add_table(self, period, t, published=True):
        name = t["name"]
        labels = set()
        for c in t.get("cells", []):
            lab = tuple(c.get("labels", []))
            labels.add(lab)
            key = (period, name, lab)
            if c.get("suppressed"):
                if "count" in c:
                    raise ValueError("%s %s %s: suppressed and counted" % (period, name, lab))
                self.new_var(key, 1)
            else:
                if "count" not in c:
                    raise ValueError("%s %s %s: neither count nor suppressed" % (period, name, lab))
                self.const[key] = int(c["count"])
                v = int(c["count"])
                k = int(t.get("k", 0))
                if 0 < v < k:
                    self.below_k.append("%s %s %s = %d < k %d" % (period, name, list(lab), v, k))
        self.tables[(period, name)] = {"dims": len(t.get("dimensions", [])), "labels": labels}

    def margins(self, period, name, labels, dims):
        interior = [l for l in labels if TOTAL not in l]
        if dims == 2:
            rows = sorted({l[0] for l in interior} | {l[0] for l in labels if l[0] != TOTAL})
            cols = sorted({l[1] for l in interior} | {l[1] for l in labels if l[1] != TOTAL})
            for r in rows:
                self.relation([(period, name, (r, c)) for c in cols], [(period, name, (r, TOTAL))],
                              "%s %s row %s" % (period, name, r))
            for c in cols:
                self.relation([(period, name, (r, c)) for r in rows], [(period, name, (TOTAL, c))],
                              "%s %s column %s" % (period, name, c))
            self.relation([(period, name, (r, TOTAL)) for r in rows],
                          [(period, name, (TOTAL, TOTAL))], "%s %s grand total" % (period, name))
        else:
            cats = sorted({l[0] for l in labels if l and l[0] != TOTAL})
            self.relation([(period, name, (c,)) for c in cats], [(period, name, (TOTAL,))],
                          "%s %s total" % (period, name))

    def period_links(self, period, tables):
        """tables: {name: (dims, labels)} of one period."""
        def has(n):
            return n in tables
        if has("people_by_route"):
            grand = (period, "people_by_route", (TOTAL, TOTAL))
            for n in PEOPLE_TOTAL_TABLES:
                if has(n):
                    self.relation([(period, n, (TOTAL,))], [grand], "%s %s = people" % (period, n))
        if has("testimonies_by_route"):
            grand = (period, "testimonies_by_route", (TOTAL, TOTAL))
            for n in TESTIMONY_TOTAL_TABLES:
                if has(n):
                    self.relation([(period, n, (TOTAL,))], [grand],
                                  "%s %s = testimonies" % (period, n))
            for n in SHARE_TABLES:
                if has(n):
                    for r in sorted({l[0] for l in tables[n][1] if l[0] != TOTAL}):
                        self.relation([(period, n, (r, TOTAL))], [grand],
                                      "%s %s row %s = testimonies" % (period, n, r))
        if has("facility_testimonies"):
            total = (period, "facility_testimonies", (TOTAL,))
            for n in FACILITY_TOTAL_TABLES:
                if has(n):
                    self.relation([(period, n, (TOTAL,))], [total],
                                  "%s %s = facility testimonies" % (period, n))
        if has("facility_type_conditions") and has("condition_severity"):
            conds = sorted({l[1] for l in tables["facility_type_conditions"][1] if l[1] != TOTAL} |
                           {l[0] for l in tables["condition_severity"][1] if l[0] != TOTAL})
            for c in conds:
                self.relation([(period, "facility_type_conditions", (TOTAL, c))],
                              [(period, "condition_severity", (c, TOTAL))],
                              "%s conditions %s" % (period, c))

    def cellwise(self, target, parts, names, description):
        """target = sum(parts), cell by cell over the union of labels, for every table name."""
        for n in names:
            labels = set()
            for p in [target] + parts:
                if (p, n) in self.tables:
                    labels |= self.tables[(p, n)]["labels"]
            for lab in sorted(labels):
                self.relation([(p, n, lab) for p in parts], [(target, n, lab)],
                              "%s %s %s" % (description, n, list(lab)))

    def hidden_period(self, period, names, shape_from):
        """Unpublished tables with the union of the labels of `shape_from` periods."""
        tables = {}
        for n in names:
            labels, dims = set(), 1
            for p in shape_from:
                if (p, n) in self.tables:
                    labels |= self.tables[(p, n)]["labels"]
                    dims = self.tables[(p, n)]["dims"]
            for lab in labels:
                if (period, n, lab) not in self.var_index:
                    self.new_var((period, n, lab), 0)
            self.tables[(period, n)] = {"dims": dims, "labels": labels}
            tables[n] = (dims, labels)
        for n, (dims, labels) in tables.items():
            self.margins(period, n, labels, dims)
        self.period_links(period, tables)


def load(folders):
    reports = []
    for f in folders:
        with open(os.path.join(f, "report.json"), encoding="utf-8") as fh:
            reports.append((f, json.load(fh)))
    return reports


def build(reports):
    m = Model()
    monthly = {}    # month -> report
    revisions = {}  # year -> report
    for folder, r in reports:
        kind = r.get("kind", "")
        if r.get("basis") != "release":
            raise ValueError("%s: basis %r is not \"release\"" % (folder, r.get("basis")))
        if kind == "monthly":
            if r["month"] in monthly:
                raise ValueError("%s: a second release of %s" % (folder, r["month"]))
            monthly[r["month"]] = r
        elif kind == "revision":
            y = r["month"][:4]
            if y in revisions:
                raise ValueError("%s: a second revision of %s" % (folder, y))
            revisions[y] = r
        else:
            raise ValueError("%s: unknown kind %r" % (folder, kind))

    def pid(r, period):
        if period == "month":
            return "month " + r["month"]
        if period == "year_to_date":
            return "year_to_date " + r["month"]
        if period == "revision":
            return "revision " + r["month"][:4]
        if period == "by_month":
            return "by_month " + r["kind"] + " " + r["month"]
        raise ValueError("unknown period %r" % period)

    # Every published table.
    per_period = {}
    for r in list(monthly.values()) + list(revisions.values()):
        for t in r.get("tables", []):
            p = pid(r, t["period"])
            m.add_table(p, t)
            if t["period"] != "by_month":
                m.published_periods.add(p)
                per_period.setdefault(p, {})[t["name"]] = None
    for (p, n), info in list(m.tables.items()):
        if not p.startswith("by_month"):
            m.margins(p, n, info["labels"], info["dims"])
    for p, names in per_period.items():
        m.period_links(p, {n: (m.tables[(p, n)]["dims"], m.tables[(p, n)]["labels"])
                           for n in names})
    # The chain of year-to-date tables.
    for month, r in monthly.items():
        prev = r.get("previous_release", "")
        names = sorted(per_period.get("month " + month, {}))
        if not prev:
            m.cellwise("year_to_date " + month, ["month " + month], names,
                       "first release " + month)
        elif prev in monthly:
            names = sorted(set(names) | set(per_period.get("year_to_date " + prev, {})))
            m.cellwise("year_to_date " + month, ["year_to_date " + prev, "month " + month], names,
                       "year to date " + month)
        else:
            m.warnings.append("release %s: its previous release %s was not given" % (month, prev))
    # Trend tables.
    for (p, n), info in list(m.tables.items()):
        if not p.startswith("by_month") or n not in TREND:
            continue
        for lab in info["labels"]:
            if not lab or lab[0] == TOTAL:
                continue
            m.relation([(p, n, lab)], [("month " + lab[0], TREND[n], (TOTAL, TOTAL))],
                       "%s %s %s = grand total of that release" % (p, n, lab[0]))
    # Revisions.
    for y, r in revisions.items():
        prev = r.get("previous_release", "")
        rp = "revision " + y
        names = sorted(per_period.get(rp, {}))
        if prev not in monthly:
            m.warnings.append("revision %s: its previous release %r was not given" % (y, prev))
            continue
        yp = "year_to_date " + prev
        names = sorted(set(names) | set(per_period.get(yp, {})))
        for h in ("kept", "added", "removed"):
            m.hidden_period("%s %s" % (h, y), names, [rp, yp])
        m.cellwise(rp, ["kept " + y, "added " + y], names, "revision = kept + added")
        m.cellwise(yp, ["kept " + y, "removed " + y], names, "year to date = kept + removed")
    return m


def solve(m, asked, time_limit):
    # Relations without a variable must hold among the published numbers themselves.
    inconsistent = [d for coefs, const, d in m.rows if not coefs and const != 0]
    rows = [(coefs, const) for coefs, const, d in m.rows if coefs]
    # Components of the variables, so that each cell is solved over its own block only.
    parent = list(range(len(m.var_lb)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for coefs, _ in rows:
        vs = list(coefs)
        for v in vs[1:]:
            a, b = find(vs[0]), find(v)
            if a != b:
                parent[a] = b
    comp_rows = {}
    for i, (coefs, const) in enumerate(rows):
        comp_rows.setdefault(find(next(iter(coefs))), []).append(i)
    cache = {}
    out = []
    solves = 0
    for cell in asked:
        key = (cell["period"], cell["table"], tuple(cell["labels"]))
        res = {"period": cell["period"], "table": cell["table"], "labels": list(cell["labels"])}
        if key in m.const:
            res.update(published=True, count=m.const[key])
            out.append(res)
            continue
        if key not in m.var_index:
            if (cell["period"], cell["table"]) in m.tables and cell["period"] in m.published_periods:
                res.update(published=True, count=0, absent=True)
            else:
                res.update(published=False, count=None, error="no such cell")
            out.append(res)
            continue
        x = m.var_index[key]
        root = find(x)
        if root not in cache:
            ridx = comp_rows.get(root, [])
            vars_ = sorted({v for i in ridx for v in rows[i][0]} | {x})
            pos = {v: j for j, v in enumerate(vars_)}
            data, ri, ci, b = [], [], [], []
            for r, i in enumerate(ridx):
                coefs, const = rows[i]
                for v, a in coefs.items():
                    data.append(a)
                    ri.append(r)
                    ci.append(pos[v])
                b.append(-const)
            A = csr_matrix((data, (ri, ci)), shape=(len(ridx), len(vars_)))
            lb = np.array([m.var_lb[v] for v in vars_], dtype=float)
            cache[root] = (vars_, pos, A, np.array(b, dtype=float), lb)
        vars_, pos, A, b, lb = cache[root]
        n = len(vars_)
        res.update(published=False, count=None, block=n, constraints=A.shape[0])
        lp, ilp = [None, None], [None, None]
        for side, sign in ((0, 1.0), (1, -1.0)):
            c = np.zeros(n)
            c[pos[x]] = sign
            kw = {}
            if A.shape[0]:
                kw = {"A_eq": A, "b_eq": b}
            r = linprog(c, bounds=list(zip(lb, [None] * n)), method="highs", **kw)
            solves += 1
            if r.status == 0:
                lp[side] = sign * r.fun
            elif r.status == 3:
                lp[side] = None   # unbounded (only a maximum can be)
            else:
                res.setdefault("errors", []).append("LP status %d: %s" % (r.status, r.message))
            cons = [LinearConstraint(A, b, b)] if A.shape[0] else []
            r = milp(c, constraints=cons, integrality=np.ones(n), bounds=Bounds(lb, np.inf),
                     options={"time_limit": time_limit})
            solves += 1
            if r.status == 0:
                ilp[side] = sign * r.fun
            elif r.status == 3 or (r.status == 4 and "nbounded" in str(r.message)):
                ilp[side] = None
            else:
                res.setdefault("errors", []).append("ILP status %d: %s" % (r.status, r.message))
        # LP optima are vertices of a system with integer data: 4.9999999 reads 5.
        def clean(v):
            if v is None:
                return None
            return int(round(v)) if abs(v - round(v)) < 1e-6 else v
        res["lp"] = [clean(lp[0]), clean(lp[1])]
        res["ilp"] = [clean(ilp[0]), clean(ilp[1])]
        out.append(res)
    return out, inconsistent, solves


def main(argv):
    request_path, folders = None, []
    i = 1
    while i < len(argv):
        if argv[i] == "--request":
            request_path = argv[i + 1]
            i += 2
        else:
            folders.append(argv[i])
            i += 1
    if not folders:
        sys.stderr.write(__doc__)
        return 2
    asked, time_limit = [], 60.0
    if request_path:
        with open(request_path, encoding="utf-8") as fh:
            req = json.load(fh)
        asked = req.get("cells", [])
        time_limit = float(req.get("time_limit", time_limit))
    try:
        m = build(load(folders))
    except (ValueError, KeyError, OSError) as e:
        sys.stderr.write("attacker.py: %s\n" % e)
        return 2
    cells, inconsistent, solves = solve(m, asked, time_limit)
    json.dump({"cells": cells, "below_k": m.below_k, "inconsistent": inconsistent[:50],
               "warnings": m.warnings,
               "stats": {"variables": len(m.var_lb), "relations": len(m.rows),
                         "published": len(m.const), "solves": solves}},
              sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
