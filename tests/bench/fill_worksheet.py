#!/usr/bin/python3
"""Fill in part of a worksheet made by `ssaudit pack --format csv`, as a
reviewer would, for the review benchmarks.

    fill_worksheet.py POLICY.json WORKSHEET.csv OUT.csv START COUNT [--salt S]

Keeps the header and rows START to START+COUNT-1 (0-based, after the header),
answering every question of the policy's verdict with one of its allowed
values (chosen from the row's position and the salt, so different salts give
different verdicts for the same records). Columns after `note` are left as
they are; review ignores them.
"""

import argparse
import csv
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("policy")
    ap.add_argument("worksheet")
    ap.add_argument("out")
    ap.add_argument("start", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--salt", type=int, default=0)
    a = ap.parse_args()
    with open(a.policy, encoding="utf-8") as f:
        questions = json.load(f)["verdict"]
    with open(a.worksheet, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1 + a.start:1 + a.start + a.count]
    if len(body) < a.count:
        sys.stderr.write("fill_worksheet: only %d rows from %d\n" % (len(body), a.start))
        return 1
    col = {name: i for i, name in enumerate(header)}
    for n, row in enumerate(body):
        for q, question in enumerate(questions):
            # A policy-v2 value may carry its wordings: {"value": ..., "wording": ...}.
            values = [v["value"] if isinstance(v, dict) else v for v in question["values"]]
            row[col[question["id"]]] = values[(n * 7 + q + a.salt) % len(values)]
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
