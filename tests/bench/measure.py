#!/usr/bin/env python3
"""Time one benchmark row the same way for every tool: run a command N times,
report the median wall time and the peak resident memory, as one markdown
table row.

    measure.py [options] -- COMMAND [ARG...]
    measure.py [options] --shell 'SHELL TEXT'
    measure.py --header

Each run starts with --setup (run by bash, not timed) when given. The timed
part is the command alone: wall time from fork to exit, and peak RSS from the
rusage wait4() returns for it, which covers the command and every child it
waited for (the largest single process, not the sum). Linux carries the
high-water mark across exec, so a command forked from this interpreter would
report at least the interpreter's own size; --rusage HELPER (bench_rusage,
built beside the benchmarks) forks it from a small C program instead, which
lowers that floor to about 1 MiB. The command's standard
output goes to /dev/null (or --stdout FILE); its standard error is kept and
shown when it fails.

--vary FILE replaces the argument "{}" (or "{}" inside --shell text) with
line R of FILE on run R, for commands that must not repeat themselves (a
verdict recorded twice makes no commit).

--then LABEL --then-vary FILE and a second command after "---" time two
commands whose times are compared (one verdict on a big month and on a small
one): their runs alternate, so a slow minute of a shared machine falls on
both, and each gets its row.

Only the Python standard library is used.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def fmt_seconds(s):
    if s < 0.001:
        return "%.0f µs" % (s * 1e6)
    if s < 1:
        return "%.1f ms" % (s * 1e3)
    if s < 100:
        return "%.2f s" % s
    return "%.0f s" % s


def fmt_count(x):
    if x >= 100:
        return "{:,.0f}".format(x)
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def run_once(argv, stdout_path, env, cwd, helper):
    """One timed run: (wall seconds, peak RSS in KiB, exit status, stderr text)."""
    rss_file = None
    if helper:
        fd, rss_file = tempfile.mkstemp(prefix="measure-rss-")
        os.close(fd)
        argv = [helper, rss_file] + argv
    try:
        with tempfile.TemporaryFile() as err, open(stdout_path, "wb") as out:
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    env=env, cwd=cwd)
            _, status, ru = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
        peak = ru.ru_maxrss
        if rss_file:
            with open(rss_file, encoding="ascii") as f:
                got = f.read().strip()
            peak = int(got) if got else 0
    finally:
        if rss_file:
            os.unlink(rss_file)
    return wall, peak, proc.returncode, text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--label", default="")
    ap.add_argument("--setup", help="bash text run before each run, not timed")
    ap.add_argument("--shell", help="time this bash text instead of a command")
    ap.add_argument("--work", type=float, help="units of work one run does")
    ap.add_argument("--unit", default="", help="what --work counts, e.g. records")
    ap.add_argument("--note", default="")
    ap.add_argument("--stdout", default=os.devnull)
    ap.add_argument("--cwd")
    ap.add_argument("--vary", help="file whose line R replaces {} on run R")
    ap.add_argument("--rusage", default=os.environ.get("MEASURE_RUSAGE"),
                    help="the bench_rusage helper (env MEASURE_RUSAGE)")
    ap.add_argument("--then", help="label of a second command, after ---, run in turn")
    ap.add_argument("--then-vary", help="--vary for the second command")
    ap.add_argument("--header", action="store_true", help="print the table header")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()

    if a.header:
        print("| what | wall time (median) | throughput | peak RSS | runs |")
        print("|---|--:|--:|--:|--:|")
        return 0
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    cmd2 = []
    if "---" in cmd:
        k = cmd.index("---")
        cmd, cmd2 = cmd[:k], cmd[k + 1:]
    if bool(cmd) == bool(a.shell):
        ap.error("give a command after -- or --shell, not both")
    if bool(cmd2) != bool(a.then) or (cmd2 and a.shell):
        ap.error("--then needs a second command after ---, and a first after --")
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    vary = read_vary(ap, a.vary, a.runs)
    vary2 = read_vary(ap, a.then_vary, a.runs)

    env = dict(os.environ)
    jobs = [(a.label, cmd, vary, [], [0])]
    if cmd2:
        jobs.append((a.then, cmd2, vary2, [], [0]))
    for r in range(a.runs):
        if a.setup:
            done = subprocess.run(["bash", "-c", a.setup], cwd=a.cwd,
                                  stdout=subprocess.DEVNULL)
            if done.returncode != 0:
                sys.stderr.write("measure: %s: set-up failed (exit %d) before run %d\n"
                                 % (a.label, done.returncode, r + 1))
                print("| %s | set-up failed (exit %d) | | | %d |"
                      % (a.label, done.returncode, r + 1))
                return 1
        for label, c, v, walls, rss in jobs:
            if a.shell:
                text = a.shell.replace("{}", v[r]) if v else a.shell
                argv = ["bash", "-c", text]
            else:
                argv = [v[r] if (v and x == "{}") else x for x in c]
            wall, peak, code, err = run_once(argv, a.stdout, env, a.cwd, a.rusage)
            if code != 0:
                sys.stderr.write("measure: %s: exit %d on run %d\n%s\n"
                                 % (label or argv[0], code, r + 1, err[-2000:]))
                print("| %s | failed (exit %d) | | | %d |" % (label, code, r + 1))
                return 1
            walls.append(wall)
            rss[0] = max(rss[0], peak)

    for label, _, _, walls, rss in jobs:
        print_row(a, label, walls, rss[0])
    return 0


def read_vary(ap, path, runs):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        vary = [line.rstrip("\n") for line in f if line.strip()]
    if len(vary) < runs:
        ap.error("--vary file has fewer lines than runs")
    return vary


def print_row(a, label, walls, rss):
    med = statistics.median(walls)
    spread = ""
    if len(walls) > 1:
        spread = " (%s–%s)" % (fmt_seconds(min(walls)), fmt_seconds(max(walls)))
    rate = ""
    if a.work:
        rate = "%s %s/s" % (fmt_count(a.work / med), a.unit)
    label = label + (" — " + a.note if a.note else "")
    print("| %s | %s%s | %s | %.0f MiB | %d |"
          % (label, fmt_seconds(med), spread, rate, rss / 1024.0, len(walls)))


if __name__ == "__main__":
    sys.exit(main())
