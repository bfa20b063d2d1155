#!/usr/bin/env python3
"""Subject pseudonyms v2 (DESIGN.md section 4), computed without ssaudit's C.

Written from the contract, with Python's own Unicode tables:
NFKD, full case folding, combining marks stripped, NFC, every run of code
points that are not letters (category L*) one space, trimmed; then
S- + base32 of the first 10 bytes of BLAKE2b-256, keyed, over
"ssaudit-subject-v2" 0x00 NAME 0x00 DOB.

    pseudonym_v2.py KEYHEX NAME DOB   prints the folded name and the pseudonym,
                                      one per line (NAME as UTF-8, may hold any
                                      code point; DOB as YYYY-MM-DD)
"""
import base64
import hashlib
import sys
import unicodedata


def fold(name):
    s = unicodedata.normalize("NFKD", name)
    s = s.casefold()
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("M"))
    s = unicodedata.normalize("NFC", s)
    out, space = [], False
    for ch in s:
        if unicodedata.category(ch).startswith("L"):
            if space and out:
                out.append(" ")
            space = False
            out.append(ch)
        else:
            space = True
    return "".join(out)


def pseudonym(key, name, dob):
    h = hashlib.blake2b(b"ssaudit-subject-v2\0" + fold(name).encode() + b"\0" + dob.encode(),
                        digest_size=32, key=key)
    return "S-" + base64.b32encode(h.digest()[:10]).decode().lower().rstrip("=")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    key = bytes.fromhex(sys.argv[1])
    print(fold(sys.argv[2]))
    print(pseudonym(key, sys.argv[2], sys.argv[3]))
