#!/usr/bin/env python3
"""The goals of a benchmark section, read from its measured rows.

    ratios.py import SECTION_C.md POPULATION_BYTES [SECTION_A.md]

For section c (import and sample): ssaudit's import plus sample against
pandas doing the same two steps (records_pandas.py, from section a, then
sample_pandas.py reading the population it wrote) and against pandas doing
both in one process, never writing or reading the population between them;
sample against Python's hashlib drawing the same sample; and sample's peak
memory against population.jsonl.
Prints markdown lines; nothing when a row is missing or failed.
"""

import re
import sys

UNITS = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}


def rows(path):
    """label -> (wall seconds, peak MiB) for every measured row."""
    out = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4:
            continue
        m = re.match(r"([\d.,]+) (µs|ms|s)\b", cells[1])
        mem = re.match(r"([\d,]+) MiB", cells[3])
        if m and mem:
            wall = float(m.group(1).replace(",", "")) * UNITS[m.group(2)]
            out[cells[0]] = (wall, float(mem.group(1).replace(",", "")))
    return out


def find(r, prefix):
    for label, v in r.items():
        if label.startswith(prefix):
            return v
    return None


def import_ratios(path, pop_bytes, path_a=None):
    r = rows(path)
    a = rows(path_a) if path_a else {}
    imp, smp = find(r, "ssaudit import"), find(r, "ssaudit sample")
    py, pd = find(r, "Python, the same draw"), find(r, "pandas: the same file")
    pd_read, pd_sample = find(a, "pandas (records_pandas.py)"), find(r, "pandas groupby()")
    lines = []
    if imp and smp and pd_read and pd_sample:
        ours, theirs = imp[0] + smp[0], pd_read[0] + pd_sample[0]
        lines.append("import + sample: %.2f s + %.2f s = %.2f s, **%.1fx** the speed of pandas "
                     "doing the same two steps (%.2f s + %.2f s = %.2f s; goal: 5x)."
                     % (imp[0], smp[0], ours, theirs / ours, pd_read[0], pd_sample[0], theirs))
    if imp and smp and pd:
        ours = imp[0] + smp[0]
        lines.append("import + sample: **%.1fx** the speed of pandas doing both in one process, "
                     "the population kept in memory between them (%.2f s)."
                     % (pd[0] / ours, pd[0]))
    if smp and py:
        lines.append("sample: **%.1fx** the speed of Python's hashlib drawing the same sample "
                     "(%.2f s against %.2f s; goal: 3x)." % (py[0] / smp[0], smp[0], py[0]))
    if smp and pop_bytes > 0:
        mib = pop_bytes / 1048576.0
        lines.append("sample's peak memory: %.0f MiB, **%.2fx** population.jsonl's %.0f MiB "
                     "(goal: at most 1.25x)." % (smp[1], smp[1] / mib, mib))
    if lines:
        print()
        for line in lines:
            print(line + "\n")


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "import":
        import_ratios(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) == 5 else None)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
