#!/usr/bin/python3
"""The peer of `ssaudit sample`: the same ssaudit-sample-v1 draw (DESIGN.md
section 6) in plain Python, as an auditor re-deriving a sample would write it.

    sample_tickets.py POPULATION.jsonl POLICY.json MONTH SEED [-o OUT]

Tickets are the hex SHA-256 of "ssaudit-sample-v1" 0x00 SEED 0x00 MONTH 0x00
ID; in each stratum of n records, with b the rate in basis points,
k = floor((n*b + 9999) / 10000): the always-records, plus the k - a
lowest-ticket others when there are fewer than k of them. Writes the sampled
records sorted by ticket as JSON (to /dev/null unless -o), and a one-line
summary to standard error.
"""

import argparse
import hashlib
import json
import re
import sys


def basis_points(rate):
    m = re.fullmatch(r"(100(?:\.0{1,2})?|[0-9]{1,2}(?:\.[0-9]{1,2})?)%", rate)
    if not m:
        raise ValueError("bad rate %r" % rate)
    whole, _, frac = m.group(1).partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def same(a, b):
    # equals matches a value of the same JSON type only, byte for byte
    return type(a) is type(b) and a == b


def matches(rule, rec):
    v = rec.get(rule["field"])
    if "equals" in rule:
        return same(rule["equals"], v)
    if "in" in rule:
        return any(same(x, v) for x in rule["in"])
    if "contains" in rule:
        return isinstance(v, str) and rule["contains"] in v
    raise ValueError("bad rule %r" % rule)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("population")
    ap.add_argument("policy")
    ap.add_argument("month")
    ap.add_argument("seed")
    ap.add_argument("-o", "--out", default="/dev/null")
    a = ap.parse_args()
    with open(a.policy, encoding="utf-8") as f:
        sample = json.load(f)["sample"]
    b = basis_points(sample["rate"])
    strata_fields = sample.get("strata", [])
    rules = sample.get("always", [])
    prefix = (b"ssaudit-sample-v1\0" + a.seed.encode("utf-8") + b"\0"
              + a.month.encode("utf-8") + b"\0")

    strata = {}
    with open(a.population, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            key = json.dumps([rec.get(x) for x in strata_fields], ensure_ascii=False,
                             separators=(",", ":"))
            rid = rec["id"]
            ticket = hashlib.sha256(prefix + rid.encode("ascii")).hexdigest()
            always = any(matches(r, rec) for r in rules)
            strata.setdefault(key, []).append((ticket, rid, always))

    drawn = []
    for key, recs in strata.items():
        k = (len(recs) * b + 9999) // 10000
        alw = [r for r in recs if r[2]]
        drawn += [(t, i, key, "always") for t, i, _ in alw]
        if len(alw) < k:
            others = sorted(r for r in recs if not r[2])
            drawn += [(t, i, key, "random") for t, i, _ in others[:k - len(alw)]]
    drawn.sort()

    with open(a.out, "w", encoding="utf-8") as f:
        json.dump([{"id": i, "ticket": t, "stratum": json.loads(key), "reason": why}
                   for t, i, key, why in drawn], f, ensure_ascii=False, indent=1)
    n = sum(len(r) for r in strata.values())
    sys.stderr.write("sample_tickets: %d of %d records in %d strata\n"
                     % (len(drawn), n, len(strata)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
