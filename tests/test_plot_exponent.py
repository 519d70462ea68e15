#!/usr/bin/env python3
"""tools/plot.py exponent (docs/theorems.md, "Pictures of the exponent"): the series it reads
from a `seprank verify --json` document. The document below is written by hand, so the expected
series are too. Reading needs only the standard library; drawing needs matplotlib, and is
skipped, saying so, when it is missing (CI installs python3-matplotlib).
Exits non-zero on a failure."""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLOT = os.path.join(REPO, "tools", "plot.py")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL", what)


def row(status, lower=None, upper=None, rank=None, cut=None):
    return {"status": status, "architecture": "-", "claimed_lower": lower, "claimed_upper": upper,
            "certified_lower": rank, "min_cut": cut, "tries": 0 if rank is None else 1,
            "seed": None if rank is None else 1, "note": "", "evidence_checked": False}


# Theorem T: claim "grow" (lower 2^(R-1), no upper) and claim "exact" (lower = upper = 2^(R-1)),
# on R = 1..4 at N = 8, plus one instance at N = 10 (another value of a parameter left free).
DOC = {"schema_version": 3, "seprank_version": "0.1.0", "command": "verify", "prime": 101, "theorems": [
    {"id": "OTHER", "path": "o.toml", "title": "o", "instances": []},
    {"id": "T", "path": "t.toml", "title": "t", "instances": [
        {"parameters": {"N": "8", "R": "1"}, "claim_names": ["grow", "exact"],
         "claims": [row("TRIVIAL", lower="1"), row("PROVEN", "1", "1", 1, "1")]},
        {"parameters": {"N": "8", "R": "2"}, "claim_names": ["grow", "exact"],
         "claims": [row("PROVEN", "2", None, 2, "2"), row("PROVEN", "2", "2", 2, "2")]},
        {"parameters": {"N": "8", "R": "3"}, "claim_names": ["grow", "exact"],
         "claims": [row("PROVEN", "4", None, 5, "8"), row("N/A")]},
        {"parameters": {"N": "8", "R": "4"}, "claim_names": ["grow"],
         "claims": [row("PROVEN", "8", None, 8, "123456789012345678901234567890")]},
        {"parameters": {"N": "10", "R": "2"}, "claim_names": ["grow"],
         "claims": [row("PROVEN", "2", None, 2, "4")]},
    ]}],
    "summary": {}}


def load_plot():
    spec = importlib.util.spec_from_file_location("plot", PLOT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # no matplotlib needed to import it
    return module


def test_series(plot):
    got = plot.exponent_series(DOC, "T", "grow", "R", {"N": "8"})
    check([r["x"] for r in got] == [1, 2, 3, 4], f"grow's x values: {got}")
    check(got[0] == {"x": 1, "rank": None, "lower": 1, "upper": None, "cut": None, "status": "TRIVIAL"},
          f"a TRIVIAL row has its bound and no numbers: {got[0]}")
    check(got[2] == {"x": 3, "rank": 5, "lower": 4, "upper": None, "cut": 8, "status": "PROVEN"}, f"R = 3: {got[2]}")
    check(got[3]["cut"] == 123456789012345678901234567890, "a min-cut beyond 64 bits is read exactly")
    exact = plot.exponent_series(DOC, "T", "exact", "R", {"N": "8"})
    check([(r["x"], r["lower"], r["upper"], r["rank"]) for r in exact] == [(1, 1, 1, 1), (2, 2, 2, 2)],
          f"exact: the N/A row at R = 3 is left out, upper bounds read: {exact}")
    check(len(plot.exponent_series(DOC, "T", "grow", "R", {"N": "10"})) == 1, "--fix N=10 keeps one row")
    for args, says in ((("T", "grow", "R", {}), "fix ['N']"),              # two rows at R = 2
                       (("T", None, "R", {"N": "8"}), "several claims"),
                       (("T", "none", "R", {"N": "8"}), "no claim 'none'"),
                       (("U", "grow", "R", {}), "no theorem 'U'"),
                       (("T", "grow", "R", {"N": "9"}), "no row")):
        try:
            plot.exponent_series(DOC, *args)
            check(False, f"exponent_series{args} should refuse")
        except ValueError as e:
            check(says in str(e), f"exponent_series{args}: {e!r} should say {says!r}")
    try:
        plot.exponent_series({"command": "rank"}, "T", "grow", "R", {})
        check(False, "a rank output should be refused")
    except ValueError as e:
        check("seprank verify --json" in str(e), f"a rank output: {e}")


def test_command(work):
    path = os.path.join(work, "verify.json")
    with open(path, "w") as f:
        json.dump(DOC, f)
    out = os.path.join(work, "t.png")
    # The refusals come before anything is drawn: one line, non-zero exit, no file.
    for extra, says in ((["--fix", "N"], "--fix 'N' is not NAME=VALUE"), ([], "fix ['N']")):
        r = subprocess.run([sys.executable, PLOT, "exponent", "-o", out, "--theorem", "T", "--claim", "grow", "--x", "R",
                            *extra, path], capture_output=True, text=True)
        check(r.returncode != 0 and says in r.stderr and not os.path.exists(out),
              f"plot.py exponent {extra}: exit {r.returncode}, {r.stderr.strip()!r}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("SKIP drawing: matplotlib is not installed for", sys.executable, "(Debian: python3-matplotlib)")
        return
    r = subprocess.run([sys.executable, PLOT, "exponent", "-o", out, "--theorem", "T", "--claim", "grow", "--x", "R",
                        "--fix", "N=8", path], capture_output=True, text=True)
    check(r.returncode == 0, f"plot.py exponent draws: exit {r.returncode}, {r.stderr[-300:]}")
    with open(out, "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", "the picture is a PNG file")


def main():
    plot = load_plot()
    test_series(plot)
    with tempfile.TemporaryDirectory() as work:
        test_command(work)
    print("FAILED:" if failures else "OK: plot.py exponent reads verify --json as written by hand", len(failures) or "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
