#!/usr/bin/python3
"""The peer of bench_records: what an analyst would write with pandas to do
the same job as ssaudit's reader on a force-csv file.

    records_pandas.py PSEUDONYM_KEY FILE [-o OUT] [--sample SEED]

Reads the CSV; validates the date and time (RFC 3339), the booleans and the
coordinates; pseudonymises the subject (keyed BLAKE2b of the normalised name
and date of birth, as DESIGN.md section 4) and the officer number; drops the
identity columns; gives each record its id (SHA-256 of its reference) and
sorts by it; writes JSON lines (to /dev/null unless -o). With --sample, then
draws sample_pandas.py's stratified 25% from the frame it holds: an import and
a sample in one process, the peer of `ssaudit import` then `ssaudit sample`.

It does less than ssaudit's reader: no redaction of the written grounds, no
line and column for a bad value, no check of UTF-8 or of the field count
beyond what pandas refuses. So its time is a lower bound for the real peer.
"""

import argparse
import base64
import hashlib
import json
import re
import sys

import pandas as pd

COLUMNS = {
    "type": "Type",
    "datetime": "Date",
    "operation": "Part of a policing operation",
    "operation_name": "Policing operation",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "street": None,
    "gender": "Gender",
    "age_range": "Age range",
    "self_defined_ethnicity": "Self-defined ethnicity",
    "officer_defined_ethnicity": "Officer-defined ethnicity",
    "legislation": "Legislation",
    "object_of_search": "Object of search",
    "outcome": "Outcome",
    "outcome_linked_to_object_of_search": "Outcome linked to object of search",
    "removal_of_more_than_outer_clothing": "Removal of more than just outer clothing",
    "reference": "Reference",
    "area": "Area",
    "officer": "Officer",
    "grounds": "Grounds",
    "bwv": "BWV",
}
BOOLS = ["operation", "outcome_linked_to_object_of_search",
         "removal_of_more_than_outer_clothing"]
IDENTITY = ["Subject name", "Subject date of birth", "Subject address", "Subject PNC ID"]
NOT_LETTERS = re.compile(rb"[^A-Za-z\x80-\xff]+")
RFC3339 = (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def b32(digest):
    return base64.b32encode(digest[:10]).decode("ascii").lower()


def subject(key, name, dob):
    if not name or not dob:
        return None
    norm = NOT_LETTERS.sub(b" ", name.encode("utf-8").lower()).strip()
    if "/" in dob:
        d, m, y = dob.split("/")
        dob = "%s-%s-%s" % (y, m, d)
    h = hashlib.blake2b(b"ssaudit-subject-v1\0" + norm + b"\0" + dob.encode("ascii"),
                        key=key, digest_size=32)
    return "S-" + b32(h.digest())


def officer(key, number):
    if not number:
        return None
    h = hashlib.blake2b(b"ssaudit-officer-v1\0" + number.strip().upper().encode("utf-8"),
                        key=key, digest_size=32)
    return "O-" + b32(h.digest())


def record_id(ref):
    return "R-" + b32(hashlib.sha256(b"ssaudit-id-v1\0ref\0" + ref.encode("utf-8")).digest())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("key")
    ap.add_argument("file")
    ap.add_argument("-o", "--out", default="/dev/null")
    ap.add_argument("--sample", type=int, metavar="SEED",
                    help="then sample 25%% of each area as sample_pandas.py does, "
                    "from the frame in memory (the ids to /dev/null)")
    a = ap.parse_args()
    with open(a.key, "rb") as f:
        key = f.read()

    raw = pd.read_csv(a.file, dtype=str, keep_default_na=False, na_filter=False,
                      encoding="utf-8")
    raw.columns = [c.strip() for c in raw.columns]
    n = len(raw)

    # Validate.
    dt = raw["Date"]
    bad = dt.ne("") & ~dt.str.match(RFC3339)
    parsed = pd.to_datetime(dt.where(dt.ne("")), utc=True, errors="coerce")
    bad |= dt.ne("") & parsed.isna()
    for col in (COLUMNS[b] for b in BOOLS):
        bad |= ~raw[col].isin(["True", "False", ""])
    for col, lim in (("Latitude", 90), ("Longitude", 180)):
        v = pd.to_numeric(raw[col].where(raw[col].ne("")), errors="coerce")
        bad |= raw[col].ne("") & (v.isna() | (v.abs() > lim))
    if bad.any():
        first = int(bad.idxmax())
        sys.stderr.write("%s: %d bad rows, the first at line %d\n"
                         % (a.file, int(bad.sum()), first + 2))
        return 65

    # Pseudonymise, drop identities, type the values.
    out = pd.DataFrame(index=raw.index)
    out["id"] = [record_id(r) for r in raw["Reference"]]
    for field, col in COLUMNS.items():
        if col is None or col not in raw:
            out[field] = None
        elif field in BOOLS:
            out[field] = raw[col].map({"True": True, "False": False, "": None})
        else:
            out[field] = raw[col].where(raw[col].ne(""), None)
    out["officer"] = [officer(key, o) for o in raw["Officer"]]
    out["subject"] = [subject(key, nm, d) for nm, d in
                      zip(raw["Subject name"], raw["Subject date of birth"])]
    raw.drop(columns=IDENTITY, inplace=True)
    if out["id"].duplicated().any():
        sys.stderr.write("%s: a reference is used twice\n" % a.file)
        return 65
    out.sort_values("id", inplace=True)
    # json.dumps per record: pandas 1.5's to_json(lines=True) takes half as
    # long again, in a pure-Python pass that splits the array into lines.
    out = out.astype(object).where(out.notna(), None)
    with open(a.out, "w", encoding="utf-8") as f:
        for rec in out.to_dict("records"):
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    sys.stderr.write("records_pandas: %d records\n" % n)
    if a.sample is not None:
        s = out.groupby("area", dropna=False).sample(frac=0.25, random_state=a.sample)
        s["id"].to_csv("/dev/null", index=False, header=False)
        sys.stderr.write("records_pandas: sampled %d\n" % len(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
