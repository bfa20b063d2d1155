#!/usr/bin/env python3
"""The interval attack on a public report (DESIGN.md section 9).

Reads the JSON of `ssaudit report --public --format json` (or any file with
its `tables`, `known_margins` and `relations` keys) and, for every hidden
figure (a null cell, row total, column total or grand total), computes the
smallest and largest value it can take given everything else the report
shows, the margins an attacker knows, the identities between tables, and
that every count is a non-negative real number. A hidden figure narrower
than the report's smallest shown count t (`min_count`, or --t) fails, except
in a known margin m below t, which needs only m.

Written from the design, not from ssaudit's C, so that it checks the C.
Exit 0 when every hidden figure is wide enough, 1 when any is not, 2 on bad
input, 77 when scipy is missing (the test then skips).

  interval_attack.py REPORT.json [--t N] [--verbose]
"""
import argparse
import json
import sys

try:
    from scipy.optimize import linprog
except ImportError:  # pragma: no cover - the test skips
    print("interval_attack: python3-scipy is not installed; skipping", file=sys.stderr)
    sys.exit(77)


def figures(table):
    """(key, value) of every figure of a table: cells, row and column totals, total."""
    tid = table["id"]
    rows, cols = table["rows"], table["cols"]
    cells = table["cells"]
    if len(cells) != len(rows) or any(len(r) != len(cols) for r in cells):
        raise ValueError(f"table {tid}: cells do not match rows and cols")
    out = []
    for i in range(len(rows)):
        for j in range(len(cols)):
            out.append(((tid, "cell", i, j), cells[i][j]))
    for i in range(len(rows)):
        out.append(((tid, "row", i, None), table["row_totals"][i]))
    for j in range(len(cols)):
        out.append(((tid, "col", None, j), table["col_totals"][j]))
    out.append(((tid, "total", None, None), table["total"]))
    return out


def index_of(table, axis, label):
    labels = table["rows"] if axis == "row" else table["cols"]
    if label not in labels:
        raise ValueError(f"table {table['id']}: no {axis} labelled {label!r}")
    return labels.index(label)


def attack(report, t):
    tables = {tb["id"]: tb for tb in report["tables"]}
    var = {}
    value = []
    for tb in report["tables"]:
        for key, v in figures(tb):
            var[key] = len(value)
            value.append(v)
    n = len(value)
    eqs = []  # (dict var -> coef, constant)

    def add(terms, const):
        eqs.append((terms, const))

    for tb in report["tables"]:
        tid = tb["id"]
        nr, nc = len(tb["rows"]), len(tb["cols"])
        for i in range(nr):
            t_ = {var[(tid, "cell", i, j)]: 1.0 for j in range(nc)}
            t_[var[(tid, "row", i, None)]] = -1.0
            add(t_, 0.0)
        for j in range(nc):
            t_ = {var[(tid, "cell", i, j)]: 1.0 for i in range(nr)}
            t_[var[(tid, "col", None, j)]] = -1.0
            add(t_, 0.0)
        t_ = {var[(tid, "row", i, None)]: 1.0 for i in range(nr)}
        t_[var[(tid, "total", None, None)]] = -1.0
        add(t_, 0.0)
    # Tables of one universe share their grand total.
    by_universe = {}
    for tb in report["tables"]:
        by_universe.setdefault(tb["universe"], []).append(tb["id"])
    for ids in by_universe.values():
        for a, b in zip(ids, ids[1:]):
            add({var[(a, "total", None, None)]: 1.0, var[(b, "total", None, None)]: -1.0}, 0.0)
    # What is shown, and what the attacker knows, is fixed.
    need = {}
    for i, v in enumerate(value):
        if v is not None:
            add({i: 1.0}, float(v))
    for km in report.get("known_margins", []):
        tb = tables[km["table"]]
        if km["axis"] == "total":
            key = (tb["id"], "total", None, None)
            members = [var[(tb["id"], "row", i, None)] for i in range(len(tb["rows"]))]
        elif km["axis"] == "row":
            r = index_of(tb, "row", km["label"])
            key = (tb["id"], "row", r, None)
            members = [var[(tb["id"], "cell", r, j)] for j in range(len(tb["cols"]))]
        else:
            c = index_of(tb, "col", km["label"])
            key = (tb["id"], "col", None, c)
            members = [var[(tb["id"], "cell", i, c)] for i in range(len(tb["rows"]))]
        add({var[key]: 1.0}, float(km["value"]))
        if km["value"] < t:
            for m in members:
                need[m] = min(need.get(m, t), km["value"])
    for rel in report.get("relations", []):
        terms = {}
        for term in rel["terms"]:
            tb = tables[term["table"]]
            has_r, has_c = "row" in term, "col" in term
            if has_r and has_c:
                key = (tb["id"], "cell", index_of(tb, "row", term["row"]),
                       index_of(tb, "col", term["col"]))
            elif has_r:
                key = (tb["id"], "row", index_of(tb, "row", term["row"]), None)
            elif has_c:
                key = (tb["id"], "col", None, index_of(tb, "col", term["col"]))
            else:
                key = (tb["id"], "total", None, None)
            terms[var[key]] = terms.get(var[key], 0.0) + float(term["coef"])
        add(terms, float(rel["const"]))

    a_eq = [[0.0] * n for _ in eqs]
    b_eq = []
    for k, (terms, const) in enumerate(eqs):
        for i, c in terms.items():
            a_eq[k][i] += c
        b_eq.append(const)
    bounds = [(0, None)] * n
    results = []
    names = {i: key for key, i in var.items()}
    for i, v in enumerate(value):
        if v is not None:
            continue
        c = [0.0] * n
        c[i] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        c[i] = -1.0
        hi = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if lo.status == 2 or hi.status == 2:
            raise ValueError("the report's shown figures admit no solution")
        low = lo.fun if lo.status == 0 else 0.0
        high = -hi.fun if hi.status == 0 else float("inf")
        results.append((names[i], low, high, need.get(i, t)))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report")
    ap.add_argument("--t", type=int, default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    try:
        with open(args.report, encoding="utf-8") as fh:
            report = json.load(fh)
        t = args.t if args.t is not None else int(report.get("min_count", 5))
        results = attack(report, t)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"interval_attack: {args.report}: {e}", file=sys.stderr)
        return 2
    narrow = 0
    for (tid, kind, i, j), low, high, need in results:
        ok = high - low >= need - 1e-6
        if not ok or args.verbose:
            where = {"cell": f"row {i}, column {j}", "row": f"row {i} total",
                     "col": f"column {j} total", "total": "grand total"}[kind]
            print(f"{'ok' if ok else 'NARROW'}: table {tid}, {where}: "
                  f"between {low:g} and {high:g} (needs {need:g} wide)")
        narrow += not ok
    print(f"{len(results)} hidden figures, {narrow} narrower than required")
    return 1 if narrow else 0


if __name__ == "__main__":
    sys.exit(main())
