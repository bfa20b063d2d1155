#!/usr/bin/env python3
"""Every message a person reads is marked for translation.

Scans the program's C sources (records, policies, audit) for calls of the
functions that put a message in front of a person -- the error setters, the
command layer's notes and warnings, the readers' problem lists,
fprintf/fputs to stderr, and printf/puts and fprintf/fputs to stdout (the
text a command prints) -- and fails, naming FILE:LINE, wherever the
message argument holds a bare string literal with words in it instead of
_("...") or N_("..."). A literal with no words is not a message: "%s",
"ssaudit: %s\\n", "  - %s\\n", "'%s'" and the like pass, and so do names
(--json, trail_id), a shell command line shown to be typed ("$ git log"), an
English plural ending ("s", "es") and, on stdout, a line of JSON (a format
naming a \\"key\\": ). On stdout every argument is read, not only the format:
a text table's column headings are arguments.

Every function declared printf-like (SS_PRINTF) must be listed below, either
as a message function or as one that builds something else (a path, a buffer,
a report's layout), so a new message helper cannot slip past unchecked.

Files listed in tests/po/unmarked_allow.txt are skipped (paths from the
source folder; # starts a comment).

Limit: a message kept in a static table and passed as "%s" is not seen; such
tables are marked N_("...") by hand.

usage: unmarked.py SOURCE_DIR
"""
import os
import re
import sys

# name: index of the message argument (0 first). fprintf/fputs are special.
MESSAGE_FUNCS = {
    "ss_error_set": 1,
    "ss_error_set_at": 4,
    "ss_error_wrap": 1,
    "ss_git_fail": 1,
    "ss_git_fail_errno": 2,
    "ss_cli_usage": 1,
    "ss_cli_note": 1,
    "ss_cli_warn": 0,
    "ss_cli_progress": 1,  # the label of a progress line
    "ss_diags_add": 4,
    "ss_ctx_error": 3,
    "ss_jv_fail": 1,
    "ss_jv_fail_key": 1,
    "ss_verify_problem": 3,
    "ss_report_add_caveat": 1,
    "row_error": 3,  # records/csv.c
    "problem": 3,  # audit/git/objects.c
    "add_warning": 2,  # audit/store/sample.c
    "ss_report_say": 4,  # audit/read/: a sentence in the report's language
    "para": 2,  # audit/read/report_text.c, report_html.c: a paragraph
    "ss_demo_run": 2,  # audit/cli/demo.c: the demo's narration of a step
}
# printf-like functions that build text that is not a message on its own
# (their callers mark the words they put in).
NOT_MESSAGES = {
    "ss_buf_printf",  # a growing buffer: documents, JSON, paths
    "ss_diags_vadd",  # ss_diags_add's va_list form
    "at_path",  # policies/policy.c: a JSON path
    "build",  # audit/store/layout.c: a path in the trail
    "put",  # audit/read/report_text.c: the report's layout
    "fmt",  # audit/read/report_html.c: the report's layout
    "rawf",  # audit/read/report_html.c: markup
}

# The C library's printers: what they put on stderr or stdout is read by a
# person. Machine-readable output is built in buffers and printed through "%s"
# or fputs(buf, stdout), or is a line of JSON printed straight out (is_json).
STDIO_FUNCS = ("fprintf", "fputs", "printf", "puts")

ROOTS = ("records", "policies", "audit")

TOKEN = re.compile(
    r"""
      (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<string>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*")
    | (?P<char>'(?:\\.|[^'\\\n])+')
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
    | (?P<punct>->|\+\+|--|<<=|>>=|[<>=!&|^+\-*/%]=|&&|\|\||<<|>>|\#\#|[^\sA-Za-z0-9_])
    | (?P<space>\s+)
    """,
    re.VERBOSE | re.DOTALL,
)

CONVERSION = re.compile(r"%[-+ #0'.*0-9]*(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcspn%]")
# Words that are names, not language: the program, its options and ids.
NAME = re.compile(r"\bssaudit\b|--?[A-Za-z][A-Za-z0-9-]*|\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")


def tokens(text):
    """(kind, value, line) for each token, comments and spaces dropped."""
    line = 1
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None:  # a stray byte: skip it
            pos += 1
            continue
        kind = m.lastgroup
        value = m.group(kind)
        if kind not in ("comment", "space"):
            out.append((kind, value, line))
        line += value.count("\n")
        pos = m.end()
    return out


def unescape(lit):
    body = lit[lit.index('"') + 1 : -1]
    return re.sub(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", " ", body)


# A line of a shell command shown to be typed ("$ git log ...") is not language.
COMMAND_LINE = re.compile(r"^\s*\$ [^\n]*", re.MULTILINE)
# English plural endings handed to "%s" (search%s): the Welsh skips them (%.0s).
PLURAL_ENDINGS = ("s", "es")


def has_words(s):
    """Does the text of a literal read as language (a word of 2+ letters)?"""
    if s in PLURAL_ENDINGS:
        return False
    s = COMMAND_LINE.sub(" ", s)
    s = CONVERSION.sub(" ", s)
    s = NAME.sub(" ", s)
    return re.search(r"[^\W\d_]{2,}", s) is not None


def split_args(toks, i):
    """toks[i] is '('. Returns (list of argument token lists, index after ')')."""
    depth = 0
    args = [[]]
    j = i
    while j < len(toks):
        kind, value, _ = toks[j]
        if kind == "punct" and value in "([{":
            depth += 1
            if depth > 1:
                args[-1].append(toks[j])
        elif kind == "punct" and value in ")]}":
            depth -= 1
            if depth == 0:
                return args, j + 1
            args[-1].append(toks[j])
        elif kind == "punct" and value == "," and depth == 1:
            args.append([])
        else:
            args[-1].append(toks[j])
        j += 1
    return args, j


def bare_literals(arg):
    """Runs of adjacent string literals in arg not inside _( ) or N_( ):
    [(text, line)]."""
    out = []
    stack = []  # for each open paren: is it a marking call?
    run = None
    for k, (kind, value, line) in enumerate(arg):
        if kind == "string":
            if any(stack):
                run = None
                continue
            if run is None:
                run = [unescape(value), line]
                out.append(run)
            else:
                run[0] += unescape(value)
            continue
        run = None
        if kind == "punct" and value in "([{":
            prev = arg[k - 1] if k > 0 else None
            stack.append(value == "(" and prev is not None and prev[0] == "ident" and prev[1] in ("_", "N_"))
        elif kind == "punct" and value in ")]}":
            if stack:
                stack.pop()
    return [(t, l) for t, l in out]


def message_args(name, args):
    """The argument(s) of a call that carry its message, or []."""
    if name in MESSAGE_FUNCS:
        i = MESSAGE_FUNCS[name]
        return [args[i]] if i < len(args) else []
    if name == "fprintf" and len(args) >= 2 and [t[1] for t in args[0]] == ["stderr"]:
        return [args[1]]
    if name == "fputs" and len(args) == 2 and [t[1] for t in args[1]] in (["stderr"], ["stdout"]):
        return [args[0]]
    # On stdout every argument counts: a table's column headings are passed
    # to "%-20s %s\n" as arguments. JSON printed straight out is not a message.
    if name == "fprintf" and len(args) >= 2 and [t[1] for t in args[0]] == ["stdout"]:
        return [] if is_json(args[1]) else args[1:]
    if name == "printf" and args:
        return [] if is_json(args[0]) else args
    if name == "puts" and args:
        return [args[0]]
    return []


JSON_KEY = re.compile(r'\\"[A-Za-z_][A-Za-z0-9_]*\\": ')


def is_json(arg):
    """Is this format a line of JSON (it names a key: \"month\": )?"""
    return any(kind == "string" and JSON_KEY.search(value) for kind, value, _ in arg)


def printf_like(toks):
    """Names of functions declared with SS_PRINTF in this file."""
    names = []
    for k, (kind, value, _) in enumerate(toks):
        if kind == "ident" and value == "SS_PRINTF" and k > 0 and toks[k - 1][1] == ")":
            # walk back over the parameter list to the declared name
            depth = 0
            j = k - 1
            while j >= 0:
                v = toks[j][1]
                if v == ")":
                    depth += 1
                elif v == "(":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if j > 0 and toks[j - 1][0] == "ident":
                names.append(toks[j - 1][1])
    return names


def scan(path, rel):
    with open(path, encoding="utf-8", errors="replace") as f:
        toks = tokens(f.read())
    found = []
    for k, (kind, value, line) in enumerate(toks):
        if kind != "ident" or k + 1 >= len(toks) or toks[k + 1][1] != "(":
            continue
        if value not in MESSAGE_FUNCS and value not in STDIO_FUNCS:
            continue
        args, _ = split_args(toks, k + 1)
        for arg in message_args(value, args):
            for text, at in bare_literals(arg):
                if has_words(text):
                    found.append("%s:%d: %s(...) \"%s\" is not marked _(\"...\")" % (rel, at, value, text.strip()[:60]))
    return found, printf_like(toks)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    allow = set()
    allow_path = os.path.join(src, "tests", "po", "unmarked_allow.txt")
    if os.path.exists(allow_path):
        with open(allow_path, encoding="utf-8") as f:
            for raw in f:
                entry = raw.split("#", 1)[0].strip()
                if entry:
                    allow.add(entry)
    problems = []
    unknown = []
    files = 0
    seen = set()
    for root in ROOTS:
        for d, _, names in os.walk(os.path.join(src, root)):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, n)
                rel = os.path.relpath(path, src)
                seen.add(rel)
                found, decls = scan(path, rel)
                files += 1
                for name in decls:
                    if name not in MESSAGE_FUNCS and name not in NOT_MESSAGES:
                        unknown.append("%s: %s is printf-like: list it in tests/po/unmarked.py "
                                       "as a message function or as not one" % (rel, name))
                if rel not in allow:
                    problems += found
    stale = sorted(a for a in allow if a not in seen)
    ok = True
    for s in stale:
        print("FAIL: %s is in unmarked_allow.txt but is not a source file" % s)
        ok = False
    for u in unknown:
        print("FAIL: " + u)
        ok = False
    if problems:
        print("FAIL: %d message%s not marked for translation (wrap in _(\"...\"), "
              "or N_(\"...\") in a static table, and add the Welsh to audit/po/cy.po):"
              % (len(problems), "" if len(problems) == 1 else "s"))
        for p in problems:
            print("  " + p)
        ok = False
    if not ok:
        return 1
    print("ok - every message in %d source files is marked for translation (%d allowed unchecked)"
          % (files, len(allow)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
