#!/usr/bin/python3
"""What an analyst would otherwise do to sample a month: pandas' stratified
sample, 25% of each area, seeded.

    sample_pandas.py POPULATION.jsonl SEED [-o OUT]

Not the same draw as ssaudit's: no always-included records, not independent
of input order, and reproducible only with the same pandas and NumPy. It is
here for its speed. Writes the sampled ids (to /dev/null unless -o).
"""

import argparse
import json
import sys

import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("population")
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", "--out", default="/dev/null")
    a = ap.parse_args()
    # json.loads per line: pandas 1.5's read_json(lines=True) takes twice as
    # long and half as much memory again.
    with open(a.population, encoding="utf-8") as f:
        df = pd.DataFrame.from_records([json.loads(line) for line in f])
    s = df.groupby("area", dropna=False).sample(frac=0.25, random_state=a.seed)
    s["id"].to_csv(a.out, index=False, header=False)
    sys.stderr.write("sample_pandas: %d of %d records\n" % (len(s), len(df)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
