#!/usr/bin/env python3
"""tools/make_broken_certificates.py reproduces the committed proofs/certificates/broken/ files.

Runs the generator into a temporary directory from the committed sources and requires every
file it writes to equal the committed one byte for byte, and every committed *-structured-*
file to be among them (they are derived from structured-c4-2d-6x6.json, itself reproduced from
MANIFEST by test_certificates.cpp). The broken files not written by the generator (the
*-double-path and *-montgomery-path ones) are left alone.

usage: test_broken_certificates_reproduced.py
"""
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CERTIFICATES = os.path.join(REPO, "proofs", "certificates")


def main():
    broken = os.path.join(CERTIFICATES, "broken")
    failures = []
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_broken_certificates.py"),
                            os.path.join(CERTIFICATES, "c4-2d-4x4-overlap.json"), out],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            print(f"FAIL: the generator exits {r.returncode}: {r.stderr[-1000:]}")
            return 1
        written = sorted(os.listdir(out))
        for name in written:
            committed = os.path.join(broken, name)
            if not os.path.isfile(committed):
                failures.append(f"{name}: written by the generator, not committed")
                continue
            with open(os.path.join(out, name), "rb") as a, open(committed, "rb") as b:
                if a.read() != b.read():
                    failures.append(f"{name}: differs from the committed file")
        structured = sorted(n for n in os.listdir(broken) if "-structured-" in n)
        missing = [n for n in structured if n not in written]
        if missing:
            failures.append(f"committed but not written by the generator: {missing}")
        if len(structured) < 16:
            failures.append(f"only {len(structured)} broken structured certificates committed")
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print(f"{len(written)} broken certificates reproduced byte for byte ({len(structured)} structured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
