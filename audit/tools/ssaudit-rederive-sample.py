#!/usr/bin/env python3
"""Re-derive a month's ssaudit sample from the trail alone, independently of ssaudit.

Written from the published algorithm (ssaudit-sample-v2; v1 for old trails),
not from ssaudit's C, so an auditor can check a sample with nothing but git and
Python 3:

    ssaudit-rederive-sample.py --trail trail.git 2021-08
    ssaudit-rederive-sample.py --files population.jsonl policy.json sample.json

It recomputes every ticket, the strata, the random core, the targeted records,
what was not reached, the blanks, the per-rule counts and each role's share
from population.jsonl, policy.json (the version whose SHA-256 the sample
names) and the seed, compares them with sample.json (and, for v2, with each
months/M/roles/ROLE.ids), and exits 0 when everything agrees, 1 otherwise.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

RATE = re.compile(r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)%$")


def basis_points(rate):
    """'12.5%' -> 1250, exactly (no floating point)."""
    if not isinstance(rate, str) or not RATE.match(rate):
        raise ValueError("not a rate: %r" % (rate,))
    whole, _, frac = rate[:-1].partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def ceil_rate(n, bp):
    """ceil(n, x) = floor((n*x + 9999) / 10000)."""
    return (n * bp + 9999) // 10000


def ticket(algorithm, seed, month, rid):
    data = b"\0".join(s.encode("utf-8") for s in (algorithm, seed, month, rid))
    return hashlib.sha256(data).hexdigest()


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def same(record_value, rule_value):
    """Typed equality: null matches only a blank, a string only a string, a boolean only a boolean."""
    if rule_value is None:
        return record_value is None
    return type(record_value) is type(rule_value) and record_value == rule_value


def matches(rule, record):
    v = record.get(rule["field"])
    if "equals" in rule:
        return same(v, rule["equals"])
    if "in" in rule:
        return any(same(v, w) for w in rule["in"])
    return isinstance(v, str) and rule["contains"] in v


def first_rule(rules, record):
    for i, rule in enumerate(rules):
        if matches(rule, record):
            return i
    return None


def role_share(spec, m):
    if spec == "all":
        return m
    if "count" in spec:
        return min(spec["count"], m)
    return ceil_rate(m, basis_points(spec["rate"]))


def derive(population, policy, committed):
    """The sample.json the algorithm gives, as parsed JSON."""
    algorithm = committed["algorithm"]
    seed, month = committed["seed"], committed["month"]
    sample = policy["sample"]
    rules = sample.get("always", [])
    fields = sample.get("strata", [])
    b = basis_points(sample["rate"])
    random_rate = sample.get("random", sample["rate"])
    c = basis_points(random_rate)

    strata = {}
    for r in population:
        r = dict(r)
        r["_ticket"] = ticket(algorithm, seed, month, r["id"])
        r["_rule"] = first_rule(rules, r)
        r["_key"] = [r.get(f) for f in fields]
        strata.setdefault(compact(r["_key"]), []).append(r)

    chosen = []  # (record, reason)
    out_strata = []
    not_reached_by_rule = [0] * len(rules)
    for key in sorted(strata, key=lambda k: k.encode("utf-8")):
        rs = sorted(strata[key], key=lambda r: (r["_ticket"], r["id"]))
        n = len(rs)
        always = [r for r in rs if r["_rule"] is not None]
        if algorithm == "ssaudit-sample-v1":
            k = ceil_rate(n, b)
            chosen += [(r, "always") for r in always]
            if len(always) < k:
                others = [r for r in rs if r["_rule"] is None]
                chosen += [(r, "random") for r in others[: k - len(always)]]
            out_strata.append({"key": json.loads(key), "population": n,
                               "always": len(always), "drawn": max(k, len(always))})
            continue
        core_n = ceil_rate(n, c)
        core = rs[:core_n]
        outside = sorted((r for r in rs[core_n:] if r["_rule"] is not None),
                         key=lambda r: (r["_rule"], r["_ticket"], r["id"]))
        room = ceil_rate(n, b) - core_n
        targeted, missed = outside[:room], outside[room:]
        for r in missed:
            not_reached_by_rule[r["_rule"]] += 1
        chosen += [(r, "core") for r in core] + [(r, "targeted") for r in targeted]
        out_strata.append({"key": json.loads(key), "population": n, "core": len(core),
                           "always": len(always), "targeted": len(targeted),
                           "not_reached": len(missed)})

    chosen.sort(key=lambda x: (x[0]["_ticket"], x[0]["id"]))
    records = []
    for r, reason in chosen:
        x = {"id": r["id"], "ticket": r["_ticket"], "stratum": r["_key"], "reason": reason}
        if algorithm != "ssaudit-sample-v1" and r["_rule"] is not None:
            x["rule"] = r["_rule"]
        records.append(x)

    named = set(fields) | {rule["field"] for rule in rules}
    blanks = {f: sum(1 for r in population if r.get(f) is None) for f in named}

    ids = [x["id"] for x in records]
    roles = {name: ids[: role_share(spec["reviews"], len(ids))]
             for name, spec in policy["roles"].items() if "reviews" in spec}

    out = {k: committed[k] for k in ("algorithm", "month", "seed", "seed_source",
                                     "population_sha256", "policy_sha256")}
    out["rate"] = sample["rate"]
    if algorithm != "ssaudit-sample-v1":
        out["random"] = random_rate
    out["strata"] = out_strata
    if algorithm != "ssaudit-sample-v1":
        out["not_reached_by_rule"] = not_reached_by_rule
    out["blanks"] = blanks
    out["records"] = records
    if algorithm != "ssaudit-sample-v1":
        matched = [0] * len(rules)
        for r in population:
            i = first_rule(rules, r)
            if i is not None:
                matched[i] += 1
        out["matched_by_rule"] = matched
    out["roles"] = roles
    return out


def differences(committed, derived):
    said = []
    for key in sorted(set(committed) | set(derived)):
        if committed.get(key) == derived.get(key):
            continue
        if key == "records":
            a = {x["id"]: x for x in committed.get(key, [])}
            b = {x["id"]: x for x in derived.get(key, [])}
            for i in sorted(set(a) | set(b)):
                if a.get(i) != b.get(i):
                    said.append("records: %s committed %s, re-derived %s" % (i, a.get(i), b.get(i)))
                    break
            else:
                said.append("records: the order differs")
        else:
            said.append("%s: committed %s, re-derived %s"
                        % (key, compact(committed.get(key)), compact(derived.get(key))))
    return said


def check(pop_bytes, pol_bytes, committed, role_files=None):
    """Problems found (an empty list when the sample re-derives)."""
    problems = []
    if committed.get("algorithm") not in ("ssaudit-sample-v1", "ssaudit-sample-v2"):
        return ["unknown algorithm %r" % committed.get("algorithm")], None
    if hashlib.sha256(pop_bytes).hexdigest() != committed["population_sha256"]:
        problems.append("population.jsonl does not have the SHA-256 the sample names")
    if hashlib.sha256(pol_bytes).hexdigest() != committed["policy_sha256"]:
        problems.append("policy.json does not have the SHA-256 the sample names")
    population = [json.loads(line) for line in pop_bytes.decode("utf-8").splitlines() if line]
    derived = derive(population, json.loads(pol_bytes), committed)
    problems += differences(committed, derived)
    if role_files is not None and committed["algorithm"] == "ssaudit-sample-v2":
        for role, ids in derived["roles"].items():
            want = "".join(i + "\n" for i in sorted(ids))
            if role_files.get(role) != want:
                problems.append("roles/%s.ids is not the role's share, sorted, one id a line" % role)
        for role in set(role_files) - set(derived["roles"]):
            problems.append("roles/%s.ids: the role reviews nothing" % role)
    return problems, derived


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir] + list(args), check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout


def from_trail(trail, month):
    gitdir = os.path.join(trail, ".git") if os.path.isdir(os.path.join(trail, ".git")) else trail
    ref = "main"
    if subprocess.run(["git", "--git-dir", gitdir, "rev-parse", "--verify", "-q", "main"],
                      stdout=subprocess.DEVNULL).returncode != 0:
        ref = "origin/main"
    path = "months/%s/sample.json" % month
    # The commit that added sample.json: population and policy are read there.
    commit = git(gitdir, "log", "--format=%H", "--diff-filter=A", ref, "--", path).decode().split()
    if not commit:
        raise SystemExit("%s has no sample in %s" % (month, trail))
    at = commit[-1]
    committed = json.loads(git(gitdir, "show", "%s:%s" % (at, path)))
    pop = git(gitdir, "show", "%s:months/%s/population.jsonl" % (at, month))
    pol = git(gitdir, "show", "%s:policy.json" % at)
    roles = {}
    listing = subprocess.run(["git", "--git-dir", gitdir, "ls-tree", "--name-only", at,
                              "months/%s/roles/" % month], stdout=subprocess.PIPE).stdout
    for name in listing.decode().split("\n"):
        if name.endswith(".ids"):
            roles[os.path.basename(name)[:-4]] = git(gitdir, "show", "%s:%s" % (at, name)).decode()
    return pop, pol, committed, roles


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trail", help="the trail (a bare repository or a clone)")
    ap.add_argument("--files", nargs=3, metavar=("POPULATION", "POLICY", "SAMPLE"))
    ap.add_argument("--json", action="store_true", help="print the re-derived sample.json")
    ap.add_argument("month", nargs="?")
    a = ap.parse_args()
    if a.files:
        pop = open(a.files[0], "rb").read()
        pol = open(a.files[1], "rb").read()
        committed = json.load(open(a.files[2], encoding="utf-8"))
        roles = None
    elif a.trail and a.month:
        pop, pol, committed, roles = from_trail(a.trail, a.month)
    else:
        ap.error("give --trail DIR MONTH, or --files POPULATION POLICY SAMPLE")
    problems, derived = check(pop, pol, committed, roles)
    if a.json:
        print(json.dumps(derived, ensure_ascii=False, indent=2))
    for p in problems:
        print("differs: " + p, file=sys.stderr)
    if problems:
        return 1
    core = sum(1 for x in derived["records"] if x["reason"] in ("core", "random"))
    print("%s: %s re-derived: %d of %d searches sampled (%d at random, %d picked out by rules); "
          "identical to sample.json" % (committed["month"], committed["algorithm"],
                                        len(derived["records"]),
                                        sum(s["population"] for s in derived["strata"]), core,
                                        len(derived["records"]) - core))
    return 0


if __name__ == "__main__":
    sys.exit(main())
