#!/usr/bin/env python3
"""The house rules of DESIGN.md section 1, checked on the source tree.

- Arrows run one way: a file includes only headers of its own room and of
  the rooms below it (cli -> act, read, verify -> store -> git; act -> verify;
  everything -> policies -> records -> records/base).
- git2.h, zlib.h and ISA-L's isa-l/ are included only under audit/git; gsl/ only under
  audit/read (the estimates); sodium.h, cJSON.h and utf8proc.h only under
  records/base; openssl/ only in records/base/crypto.c.
- The trail's path names are spelled only under audit/store.
- No product C file is over 1,200 lines; no cmd_<verb>.c over 300.

Prints every breach as FILE:LINE: what is wrong, and exits 1 if there is any.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
ROOT = os.path.abspath(ROOT)

ROOMS = ["records/base", "records", "policies", "audit/git", "audit/store",
         "audit/act", "audit/read", "audit/verify", "audit/cli"]
BELOW = {
    "records/base": [],
    "records": ["records/base"],
    "policies": ["records", "records/base"],
    "audit/git": ["records/base"],
    "audit/store": ["audit/git", "policies", "records", "records/base"],
    "audit/verify": ["audit/store", "audit/git", "policies", "records", "records/base"],
    "audit/read": ["audit/store", "audit/git", "policies", "records", "records/base"],
    "audit/act": ["audit/verify", "audit/store", "audit/git", "policies", "records", "records/base"],
    "audit/cli": ["audit/act", "audit/read", "audit/verify", "audit/store", "audit/git",
                  "policies", "records", "records/base"],
}
SYSTEM_ONLY = {
    "git2.h": "audit/git", "git2/": "audit/git", "zlib.h": "audit/git",
    "isa-l/": "audit/git", "isa-l.h": "audit/git",
    "gsl/": "audit/read", "sodium.h": "records/base", "sodium/": "records/base", "cjson/": "records/base",
    "utf8proc.h": "records/base",
}
# Headers only one file may include: OpenSSL's SHA-256 is crypto.c's alone.
FILE_ONLY = {"openssl/": "records/base/crypto.c"}
# The trail's own file and folder names in string literals that are paths
# (no spaces: a message may name a file in words). A comment "house: ..." on
# the line or the line before says why a literal that looks like one is not.
PATH_WORDS = re.compile(
    r'"[^" \n]*(?:\bmonths/|population\.jsonl|sources\.json|sample\.json|closed\.json|'
    r'allowed_signers|\breviewers/|policy\.json|trail\.json|/verdicts/|/corrections/|'
    r'/waivers/|/responses/|/roles/|\baccess/)[^" \n]*"')


def room_of(rel):
    best = None
    for r in ROOMS:
        if rel.startswith(r + "/") and (best is None or len(r) > len(best)):
            best = r
    return best


def main():
    sources = []
    for top in ("records", "policies", "audit"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith((".c", ".h", ".c.in")):
                    sources.append(os.path.relpath(os.path.join(dirpath, f), ROOT))
    header_room = {}
    for rel in sources:
        if rel.endswith(".h"):
            name = os.path.basename(rel)
            if name in header_room:
                print(f"{rel}: header name also used by {header_room[name][1]}")
            header_room[name] = (room_of(rel), rel)
    breaches = 0
    for rel in sorted(sources):
        room = room_of(rel)
        with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        if rel.endswith(".c") and len(lines) - 1 > 1200:
            print(f"{rel}: {len(lines) - 1} lines (at most 1,200)")
            breaches += 1
        if re.match(r"audit/cli/cmd_[a-z_]+\.c$", rel) and len(lines) - 1 > 300:
            print(f"{rel}: {len(lines) - 1} lines (a command file has at most 300)")
            breaches += 1
        for no, line in enumerate(lines, 1):
            m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
            if m:
                inc = m.group(2)
                for key, owner in SYSTEM_ONLY.items():
                    if (inc == key or inc.startswith(key)) and room != owner:
                        print(f"{rel}:{no}: includes <{inc}>, which only {owner}/ may")
                        breaches += 1
                for key, owner in FILE_ONLY.items():
                    if inc.startswith(key) and rel != owner:
                        print(f"{rel}:{no}: includes <{inc}>, which only {owner} may")
                        breaches += 1
                if m.group(1) == '"':
                    target = header_room.get(os.path.basename(inc))
                    if target and target[0] != room and target[0] not in BELOW[room]:
                        print(f"{rel}:{no}: {room}/ includes {target[1]}: "
                              f"arrows run from {room}/ only to {', '.join(BELOW[room]) or 'nothing'}")
                        breaches += 1
                continue
            marked = "house: " in line or (no > 1 and "house: " in lines[no - 2])
            if room != "audit/store" and rel.endswith(".c") and not marked:
                code = re.sub(r"//.*$", "", line)
                if code.lstrip().startswith(("*", "/*")):
                    continue
                for lit in PATH_WORDS.findall(code):
                    print(f"{rel}:{no}: the trail's layout spelled outside audit/store: {lit}")
                    breaches += 1
    if breaches:
        print(f"{breaches} breach(es) of the house rules (DESIGN.md section 1)")
        return 1
    print(f"house rules hold over {len(sources)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
