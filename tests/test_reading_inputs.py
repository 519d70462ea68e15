#!/usr/bin/env python3
"""Reading inputs (issue 13), the checkers' side and the byte-level agreement:

  * both checkers read only regular files of at most 256 MiB: a FIFO, a device, a directory or a
    larger file is "cannot read" (exit 3) at once, naming the path (and the limit), for a
    certificate, a bundle's manifest and its evidence alike;
  * bytes after the JSON document (a NUL, a second document, garbage, whitespace JSON does not
    define) and byte order marks are malformed (exit 2) in both; JSON's own whitespace is allowed
    in both (exit 0);
  * a byte order mark in a theorem file: `seprank verify` refuses it (65) exactly where Python's
    tomllib, with which the Python checker re-reads bundles, refuses it, and accepts it elsewhere;
  * a parameter named like a built-in (size_I, min, ...): seprank exit 65, and the Python checker
    finds a bundle whose theorem copy has one malformed (2);
  * out of memory, the Python checker prints exactly one verdict line and exits 2, also when it
    runs out while loading its modules or reading the file; seprank-check too.

usage: test_reading_inputs.py --seprank PATH --seprank-check PATH [--python-checker PATH]
Exit status 0 when every check passes.
"""
import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CERTIFICATE = os.path.join(REPO, "proofs", "certificates", "small-prime-3x3.json")
LIMIT = 256 << 20
FAILED = []


def check(condition, what):
    if not condition:
        FAILED.append(what)
        print(f"FAIL {what}")
    return condition


def run(args, timeout=60, **kwargs):
    """(exit code, stdout, stderr); a run that does not end in time is exit "timeout"."""
    try:
        r = subprocess.run(args, capture_output=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        return "timeout", "", ""
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


class Checkers:
    def __init__(self, cxx, python, only_python=False):
        self.commands = {"seprank-check": [cxx], "check_certificate.py": [sys.executable, python]}
        if only_python:
            del self.commands["seprank-check"]

    def verdicts(self, *args, **kwargs):
        """{checker: (exit code, its one line)}; checks the line's form on the way."""
        out = {}
        for name, command in self.commands.items():
            code, stdout, stderr = run(command + list(args), **kwargs)
            check(code == "timeout" or (stdout.count("\n") == 1 and stdout.endswith("\n") and stderr == ""),
                  f"{name} {' '.join(args)}: not exactly one line, or stderr: {stdout[:200]!r} {stderr[:200]!r}")
            out[name] = (code, stdout.strip())
        return out

    def expect(self, what, code, args, says="", **kwargs):
        for name, (got, line) in self.verdicts(*args, **kwargs).items():
            check(got == code and says in line, f"{what}: {name} exits {got} ({line[:200]}), expected {code} naming {says!r}")


def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_file_kinds(checkers, work):
    fifo = os.path.join(work, "fifo.json")
    os.mkfifo(fifo)
    large = os.path.join(work, "large.json")
    sparse(large, LIMIT + 1)
    checkers.expect("a FIFO (no writer: would block)", 3, [fifo], "not a regular file")
    checkers.expect("/dev/zero (endless)", 3, ["/dev/zero"], "not a regular file")
    checkers.expect("a directory", 3, [work], "a directory, not a regular file")
    checkers.expect("a file above 256 MiB", 3, [large], f"{LIMIT + 1} bytes, above the limit of {LIMIT} bytes")
    checkers.expect("a missing file", 3, [os.path.join(work, "missing.json")], "No such file")


def test_trailing_bytes(checkers, work):
    with open(CERTIFICATE, "rb") as f:
        document = f.read()
    bom = "\ufeff".encode()
    cases = [  # (what, bytes, expected exit code of both)
        ("nothing after the document", document, 0),
        ("JSON whitespace after", document + b" \t\r\n\n", 0),
        ("JSON whitespace before", b"\r\n\t " + document, 0),
        ("a NUL after (seprank-check once stopped reading there)", document + b"\x00", 2),
        ("a NUL and garbage after", document + b"\x00garbage", 2),
        ("a NUL after whitespace", document + b"\n\x00", 2),
        ("a NUL before", b"\x00" + document, 2),
        ("a second document", document + document, 2),
        ("a second document after whitespace", document + b"\n" + document, 2),
        ("garbage after", document + b"x", 2),
        ("a closing brace after", document + b"}", 2),
        ("a form feed after (not JSON whitespace)", document + b"\x0c", 2),
        ("a vertical tab after", document + b"\x0b", 2),
        ("a no-break space after", document + "\u00a0".encode(), 2),
        ("a byte order mark before", bom + document, 2),
        ("a byte order mark after whitespace", b" " + bom + document, 2),
        ("a byte order mark after", document + bom, 2),
        ("a UTF-16 byte order mark before", b"\xff\xfe" + document, 2),
    ]
    path = os.path.join(work, "certificate.json")
    for what, data, code in cases:
        with open(path, "wb") as f:
            f.write(data)
        checkers.expect(what, code, [path])


def make_bundle(seprank, work):
    bundle = os.path.join(work, "bundle")
    code, _, err = run([seprank, "verify", os.path.join(REPO, "tests", "data", "bundle-sample.toml"),
                        "--bundle", bundle, "--force"], timeout=600)
    check(code == 0, f"seprank verify bundle-sample.toml --bundle: exit {code}: {err[:300]}")
    return bundle


def test_bundles(checkers, bundle, work):
    checkers.expect("the sample bundle", 0, ["--bundle", bundle], "VERIFIED: bundle of ")
    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    certificate = next(e["certificate"] for t in manifest["theorems"] for e in t["entries"] if e["certificate"])

    def edited(what, code, change, says=""):
        copy = os.path.join(work, "edited")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(bundle, copy)
        change(copy)
        checkers.expect(what, code, ["--bundle", copy], says)

    def manifest_fifo(d):
        os.remove(os.path.join(d, "manifest.json"))
        os.mkfifo(os.path.join(d, "manifest.json"))

    def append(name, data):
        def change(d):
            with open(os.path.join(d, name), "ab") as f:
                f.write(data)
        return change

    edited("a FIFO for manifest.json (seprank-check once blocked on it)", 3, manifest_fifo, "not a regular file")
    edited("manifest.json with a NUL after the document", 2, append("manifest.json", b"\x00"))
    edited("manifest.json with a second document", 2, append("manifest.json", b'{"format":1}'))
    edited("manifest.json with JSON whitespace after the document", 0, append("manifest.json", b"\n\t \r\n"))
    edited("an evidence file above 256 MiB", 3, lambda d: sparse(os.path.join(d, certificate), LIMIT + 1),
           f"above the limit of {LIMIT} bytes")


def test_theorem_bom(seprank, python_checker, work):
    """seprank verify refuses a byte order mark exactly where tomllib does."""
    with open(os.path.join(REPO, "tests", "data", "false-upper.toml"), encoding="utf-8") as f:
        base = f.read().replace('upper = "3"', 'lower = "1"').replace("FALSE-UPPER", "BOM")  # a true claim
    bom = "\ufeff"
    cases = {
        "at the start": bom + base,
        "twice at the start": bom + bom + base,
        "at the start, CRLF lines": bom + base.replace("\n", "\r\n"),
        "after a newline": "\n" + bom + base,
        "at a line's start": base.replace('id = ', bom + 'id = '),
        "before a value": base.replace('id = "', 'id = ' + bom + '"'),
        "after a value": base.replace('id = "BOM"', 'id = "BOM"' + bom),
        "at the end": base + bom,
        "in a bare key": base.replace("dummy", "dum" + bom + "my"),
        "in a quoted key": base.replace("dummy", '"dum' + bom + 'my"'),
        "in a comment": base.replace("# Deliberately", "# " + bom + "Deliberately"),
        "in a string": base.replace('title = "', 'title = "' + bom),
        "in a literal string": base.replace('source = "deliberately false, for the test suite"',
                                            "source = '" + bom + "s'"),
        "in a multi-line string": base.replace('statement = "', 'statement = """' + bom).replace(
            'weights)."', 'weights)."""'),
    }
    path = os.path.join(work, "bom.toml")
    for what, text in cases.items():
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        try:
            tomllib.loads(text)
            expected = 0
        except tomllib.TOMLDecodeError:
            expected = 65
        code, _, err = run([seprank, "verify", path])
        check(code == expected, f"a byte order mark {what}: seprank verify exits {code}, tomllib says"
                                f" {'valid' if expected == 0 else 'invalid'} ({err.strip()[-200:]})")
    check(sum(1 for text in cases.values() if text.startswith(bom)) == 3, "three cases start with the mark")


def test_reserved_parameters(seprank, checkers, python_checker, bundle, work):
    with open(os.path.join(REPO, "tests", "data", "false-upper.toml")) as f:
        base = f.read()
    path = os.path.join(work, "shadow.toml")
    for name in ("size_I", "size_J", "min", "true"):
        with open(path, "w") as f:
            f.write(base.replace("dummy = 0", f"dummy = 0\n{name} = 2"))
        code, _, err = run([seprank, "verify", path])
        check(code == 65 and f"parameter '{name}' shadows a built-in name" in err,
              f"a parameter named {name}: seprank verify exits {code} ({err.strip()[:200]})")
    # A bundle whose theorem copy gains such a parameter (and the copy's hash in the manifest):
    # the Python checker, which re-reads the copy, finds it malformed. (seprank-check does not read
    # theorem files, docs/proof-bundle.md item 5.)
    for name in ("size_I", "abs"):
        copy = os.path.join(work, "shadowed")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(bundle, copy)
        manifest_path = os.path.join(copy, "manifest.json")
        with open(manifest_path) as f:
            manifest = json.load(f)
        theorem = os.path.join(copy, manifest["theorems"][0]["file"])
        with open(theorem) as f:
            text = f.read()
        with open(theorem, "w") as f:
            f.write(text.replace("M = 2\n", f"M = 2\n{name} = 3\n", 1))
        manifest["theorems"][0]["file_sha256"] = sha256(theorem)
        with open(manifest_path, "w") as f:
            json.dump(manifest, f)
        code, line, _ = run([sys.executable, python_checker, "--bundle", copy])
        check(code == 2 and f"parameter \"{name}\" shadows a built-in name" in line,
              f"a bundle's theorem copy with a parameter {name}: the Python checker exits {code} ({line.strip()[:300]})")


def test_out_of_memory(checkers, python_checker, work):
    # 1. Out of memory while the Python checker loads its modules (a stand-in module raises the
    #    MemoryError there, where a real shortage does): one verdict line, exit 2.
    stand_ins = os.path.join(work, "stand-ins")
    os.makedirs(stand_ins)
    with open(os.path.join(stand_ins, "fractions.py"), "w") as f:
        f.write("raise MemoryError\n")
    code, out, err = run([sys.executable, python_checker, CERTIFICATE], env=dict(os.environ, PYTHONPATH=stand_ins))
    check((code, out, err) == (2, "NOT VERIFIED: internal error: out of memory\n", ""),
          f"out of memory while loading: exit {code}, stdout {out!r}, stderr {err[-300:]!r}")
    # 2. A 20 MB certificate under address-space limits that leave too little memory to read or
    #    parse it: each checker prints one verdict line and exits 2 (or 0, had it been enough).
    with open(CERTIFICATE) as f:
        document = json.load(f)
    document["padding_for_the_test"] = list(range(2_500_000))
    big = os.path.join(work, "big.json")
    with open(big, "w") as f:
        json.dump(document, f)
    def limited_to(megabytes):
        return lambda: resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    code, _, _ = run(checkers.commands["seprank-check"] + ["--version"], preexec_fn=limited_to(256))
    if code != 0:  # built with AddressSanitizer, which reserves terabytes of address space
        print("NOTE seprank-check does not start with 256 MiB of address space: its part skipped")
        checkers = Checkers(None, python_checker, only_python=True)
    for megabytes in (40, 64, 96, 160, 256):
        verdicts = checkers.verdicts(big, preexec_fn=limited_to(megabytes), timeout=300)
        for name, (code, line) in verdicts.items():
            check(code in (0, 2) and (code == 0) == line.startswith("VERIFIED"),
                  f"{megabytes} MiB of address space: {name} exits {code} ({line[:200]})")
        if megabytes == 40:
            check(all(code == 2 for code, _ in verdicts.values()), f"40 MiB is too little for both: {verdicts}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--seprank-check", required=True)
    parser.add_argument("--python-checker", default=os.path.join(REPO, "checker", "check_certificate.py"))
    args = parser.parse_args()
    checkers = Checkers(args.seprank_check, args.python_checker)
    with tempfile.TemporaryDirectory() as work:
        test_file_kinds(checkers, work)
        test_trailing_bytes(checkers, work)
        bundle = make_bundle(args.seprank, work)
        test_bundles(checkers, bundle, work)
        test_theorem_bom(args.seprank, args.python_checker, work)
        test_reserved_parameters(args.seprank, checkers, args.python_checker, bundle, work)
        test_out_of_memory(checkers, args.python_checker, work)
    print(f"{len(FAILED)} checks failed" if FAILED else "every check passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
