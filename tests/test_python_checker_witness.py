#!/usr/bin/env python3
"""Tests of the Python checker (checker/check_certificate.py) beyond certificates: cut witnesses,
its exact expression evaluator and theorem templates, and proof bundles.

  * Witnesses written by `seprank bound --witness` on many architectures (1D and 2D, stride-1
    stacks, stride 2, pool layers at layer 1 and above, `same` padding, every kind of partition)
    are VERIFIED by the Python checker, with the bound `seprank bound --json` reports, and by
    seprank-check when it reads witnesses (until then it answers for certificates only, and the
    cross-check is skipped with a note).
  * Single-edit mutants of those witnesses are rejected with the exit code docs/cut-witness.md
    gives (1 refuted, 2 malformed); seprank-check, when it reads witnesses, gives the same.
  * The expression evaluator and the template expansion against values computed by hand.
  * Proof bundles written by `seprank verify --bundle` (when seprank has it): the bundle is
    VERIFIED, and edited bundles are rejected (a raised bound value, an edited expression text,
    evidence paths swapped between two entries, a removed evidence file, a changed verdict, an
    edited theorem copy).

usage: test_python_checker_witness.py --seprank BIN --seprank-check BIN
Exit status 0 when every check passed, 1 otherwise. Standard library only.
"""
import argparse
import copy
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(REPO, "checker", "check_certificate.py")

# `seprank bound` arguments: (name, arguments). Every partition kind, 1D and 2D, strides 1 and 2,
# pool layers at layer 1, in the middle, stacked and on top, `same` padding, local and 1x1 sharing.
ARCHITECTURES = [
    ("1d overlap", "--input 6 --layers 3/1/2,4/1/2"),
    ("1d binary tree", "--input 8 --layers 2/2/2,2/2/2,2/2/2"),
    ("1d stride-1 stack", "--input 8 --layers 3/1/2,3/1/2,4/1/1"),
    ("1d stride-1 stack M=3", "--input 8 --templates 3 --layers 2/1/3,2/1/2,2/1/2,5/1/1"),
    ("1d stride 2", "--input 9 --layers 3/2/2,4/1/2"),
    ("1d stride 2 odd-even", "--input 9 --layers 3/2/2,4/1/2 --partition odd-even"),
    ("1d pool at layer 1", "--input 8 --layers pool2/2,2/2/2,2/2/1"),
    ("1d pool at layer 1 overlapping", "--input 8 --layers pool3/1,3/1/2,4/1/1 --partition odd-even"),
    ("1d pool in the middle", "--input 8 --layers 2/1/2,pool3/1,5/1/1"),
    ("1d stacked pools", "--input 8 --layers 2/1/2,pool2/1,pool2/1,5/1/1 --partition odd-even"),
    ("1d pool on top", "--input 7 --layers 3/1/2,pool5/1 --partition indices:1,2,5"),
    ("1d same padding", "--input 7 --layers 3/2/2,pool2/2,2/2/2 --padding same --partition odd-even"),
    ("1d same padding indices", "--input 5 --layers 3/1/2,5/5/1 --padding same --partition indices:0,3"),
    ("1d global mask", "--input 6 --templates 3 --layers 6/1/5 --partition mask:101100"),
    ("1d local", "--input 8 --templates 3 --layers 4/1/3,5/1/2 --sharing local --partition top-bottom"),
    ("1d 1x1 narrow top", "--input 8 --layers 2/2/2,2/2/1,2/2/3 --sharing 1x1"),
    ("2d overlap", "--input 4x4 --layers 3/1/2,2/1/2"),
    ("2d pool after overlap", "--input 4x4 --layers 2/1/2,pool3/1 --partition odd-even"),
    ("2d overlap stride 2", "--input 4x4 --layers 3/1/4,2/2/4,pool1/1 --partition odd-even"),
    ("2d quad tree top-bottom", "--input 4x4 --layers 2/2/2,2/2/2 --partition top-bottom"),
    ("2d small", "--input 3x3 --layers 2/1/3,2/1/2 --partition odd-even"),
    ("2d indices", "--input 3x3 --layers 2/1/2,2/1/1 --partition indices:0,1,3,4,6,7"),
    ("2d stack", "--input 5x5 --layers 2/1/2,2/1/2,3/1/1 --partition mask:1111100000111110000011111"),
    ("2d same padding non-square", "--input 2x4 --layers 2/2/2,2/2/1 --padding same --partition mask:10100101"),
    ("2d 8x8 overlapping stack", "--input 8x8 --layers 3/1/2,3/1/2,4/1/1"),
    ("2d pool at layer 1", "--input 4x4 --templates 3 --layers pool2/1,2/1/2,2/1/1 --partition odd-even"),
]


class Tests:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")
        return condition


T = Tests()
CHECKER_MODULE = None  # the checker loaded in-process (main() sets it)


def load_checker():
    spec = importlib.util.spec_from_file_location("check_certificate", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def python_checker(*args, process=False):
    """(exit code, the one line) of the Python checker: in-process (fast, as the fuzzer does), or
    run as a process, whose output must then be exactly one line and stderr empty."""
    if not process:
        code, line = CHECKER_MODULE.main(["check_certificate.py", *args])
        return code, " ".join(line.split())
    run = subprocess.run([sys.executable, CHECKER, *args], capture_output=True, text=True, timeout=600)
    T.check(run.stderr == "", f"check_certificate.py {' '.join(args)}: stderr {run.stderr[:300]!r}")
    T.check(run.stdout.count("\n") == 1 and run.stdout.endswith("\n"),
            f"check_certificate.py {' '.join(args)}: not exactly one line: {run.stdout[:300]!r}")
    return run.returncode, run.stdout.strip()


def cxx_checker(binary, path):
    run = subprocess.run([binary, path], capture_output=True, text=True, timeout=600)
    return run.returncode, run.stdout.strip()


def write(path, document):
    with open(path, "w") as f:
        f.write(json.dumps(document) if not isinstance(document, str) else document)


# ---- expressions and templates ----
def test_expressions(module):
    def number(text, **names):
        return module.Expression(text).evaluate({k: Fraction(v) for k, v in names.items()})

    def error(text, **names):
        try:
            module.Expression(text).evaluate({k: Fraction(v) for k, v in names.items()})
        except module.ExpressionError:
            return True
        return False

    cases = [  # (text, names, value computed by hand)
        ("min(M, C)^(R-1)", dict(M=2, C=3, R=4), 8),        # min(2,3)^3
        ("min(M, C)^((R-1)*(H-R+1))", dict(M=2, C=3, R=2, H=4), 8),
        ("2^-1", {}, Fraction(1, 2)),                        # the exponent carries the minus
        ("-2^2", {}, -4),                                    # ^ binds tighter than unary minus
        ("(-2)^2", {}, 4),
        ("-2^-2", {}, Fraction(-1, 4)),
        ("2^3^2", {}, 512),                                  # right-associative: 2^9
        ("(2^3)^2", {}, 64),
        ("3^-2", {}, Fraction(1, 9)),
        ("(2/3)^-2", {}, Fraction(9, 4)),
        ("0^0", {}, 1),
        ("(-1)^(10^30 + 1)", {}, -1),
        ("floor(-7/2)", {}, -4), ("ceil(-7/2)", {}, -3), ("floor(7/2)", {}, 3), ("ceil(7/2)", {}, 4),
        ("floor(-1/3)", {}, -1), ("ceil(-1/3)", {}, 0), ("floor(-4)", {}, -4), ("ceil(-2/2)", {}, -1),
        ("1 - 2 - 3", {}, -4), ("24 / 4 / 2", {}, 3), ("2 + 3 * 4", {}, 14), ("2 * -3", {}, -6),
        ("--3", {}, 3), ("1/3 + 1/6", {}, Fraction(1, 2)), (" 1\n+\t2\r", {}, 3),
        ("min(3, 1, 2)", {}, 1), ("max(3, 1, 2)", {}, 3), ("min(7)", {}, 7),
        ("max(-1/2, -1/3)", {}, Fraction(-1, 3)), ("abs(-7/2)", {}, Fraction(7, 2)),
        ("M^min(size_I, size_J)", dict(M=3, size_I=2, size_J=4), 9),
        ("2^(2^L / 2)", dict(L=3), 16),
        ("(N - R) / S", dict(N=8, R=3, S=2), Fraction(5, 2)),
        ("2^64 + 1", {}, 18446744073709551617),
        ("1" + "+1" * 4999, {}, 5000),
        ("(" * 200 + "1" + ")" * 200, {}, 1),
    ]
    for text, names, value in cases:
        got = number(text, **names)
        T.check(got == value and type(got) is Fraction, f"expression {text[:40]!r} {names}: {got!r}, expected {value}")
    truths = [
        ("1 < 2", {}, True), ("2 < 2", {}, False), ("2 <= 2", {}, True), ("1/2 == 2/4", {}, True),
        ("1/2 != 1/3", {}, True), ("true == true", {}, True), ("(1 < 2) == true", {}, True),
        ("not 1 < 2", {}, False), ("true or false and false", {}, True), ("not false and true", {}, True),
        ("not (false or true)", {}, False), ("-2^2 < -3", {}, True),
        ("R <= floor(N/2) + 1", dict(R=5, N=8), True), ("R <= floor(N/2) + 1", dict(R=6, N=8), False),
        ("N == 0 or M / N > 1", dict(N=0, M=1), True),        # the right side is not evaluated
        ("N != 0 and M / N > 1", dict(N=0, M=1), False),
        ("(N - R) / S == floor((N - R) / S)", dict(N=9, R=3, S=2), True),
        ("H / 2 == floor(H / 2)", dict(H=7), False),
    ]
    for text, names, value in truths:
        got = module.Expression(text).evaluate({k: Fraction(v) for k, v in names.items()})
        T.check(got is value, f"expression {text!r} {names}: {got!r}, expected {value}")
    for text in ["", "1 +", "(1", "min()", "floor(1, 2)", "min", "2 ** 3", "1 < 2 < 3", "1 2", "2M", "(1))",
                 "1.5", "a = 1", "!a", "1 # 2", "1 \u2264 2", "and", "true + 1", "1 and 2", "not 1", "-true",
                 "2^true", "true < false", "1 == true", "floor(1 < 2)", "true or 1 + true",
                 "1/(M-M)", "0^-1", "2^(1/2)", "X", "2^(10^18)", "2^1048576", "3^(2^20)", "2^2^2^2^2^2",
                 "(" * 201 + "1" + ")" * 201, "-" * 300 + "1", "2^" * 300 + "2", "1" * 10001]:
        T.check(error(text, M=3), f"expression {text[:40]!r} must be an error")

    def expand(text, **names):
        return module.expand_template(text, {k: Fraction(v) for k, v in names.items()})
    templates = [
        ("2/2/{r0}(,2/2/{C})^{L-1}", dict(r0=4, C=2, L=3), "2/2/4,2/2/2,2/2/2"),
        ("2/2/{r0}(,2/2/{C})^{L-1}", dict(r0=4, C=2, L=1), "2/2/4"),
        ("mask:((10)^{2^L / 2})^{2^L}", dict(L=2), "mask:" + "1010" * 4),
        ("({R}/1/{C},)^{L}{N - L*(R-1)}/1/1", dict(R=3, C=2, L=2, N=8), "3/1/2,3/1/2,4/1/1"),
        ("mask:((0)^{H/2-2}1111(0)^{H/2-2})^{H-2}(0)^{2*H}", dict(H=6), "mask:" + "011110" * 4 + "0" * 12),
        ("mask:1(0)^{N-2}1", dict(N=5), "mask:10001"),
        ("{R}/1/{C},{(H-2)/2}/1/{C}", dict(R=3, C=2, H=8), "3/1/2,3/1/2"),
        ("{H}x{H}", dict(H=4), "4x4"),
    ]
    for text, names, value in templates:
        got = expand(text, **names)
        T.check(got == value, f"template {text!r} {names}: {got!r}, expected {value!r}")
    for text in ["{(H-1)/2}", "(ab", "ab)", "(ab)^2", "(a)^{2000}", "{H", "a}", "(a)^{-1}"]:
        try:
            expand(text, H=4)
            T.check(False, f"template {text!r} must be an error")
        except module.ExpressionError:
            T.passed += 1

    # Instances: [[instances]] then [[extended]]; each table's keys sorted, the last varying fastest.
    theorem = {"instances": [{"claims": ["a"], "N": [6, 8], "C": [1, 2], "M": 2}, {"N": 4, "C": 3, "M": 3}],
               "extended": [{"N": 10, "C": [1, 2], "M": 2}]}
    got = [(only, {k: int(v) for k, v in values.items()}) for only, values in module.instance_list(theorem, True, "t")]
    T.check(got == [(["a"], {"C": 1, "M": 2, "N": 6}), (["a"], {"C": 1, "M": 2, "N": 8}),
                    (["a"], {"C": 2, "M": 2, "N": 6}), (["a"], {"C": 2, "M": 2, "N": 8}),
                    (None, {"C": 3, "M": 3, "N": 4}), (None, {"C": 1, "M": 2, "N": 10}),
                    (None, {"C": 2, "M": 2, "N": 10})], f"instance expansion: {got}")
    T.check(len(module.instance_list(theorem, False, "t")) == 5, "instances without [[extended]]")

    # The verdict as a function of (L, U, r, B) (docs/proof-bundle.md), by hand.
    verdicts = [((4, None, 4, 8), "PROVEN"), ((4, None, 3, 8), "UNCONFIRMED"), ((4, None, None, 8), "SKIPPED"),
                ((4, None, 4, 3), "REFUTED"), ((None, 8, 4, 8), "PROVEN"), ((None, 8, 9, 16), "REFUTED"),
                ((None, 8, 4, 16), "CONSISTENT"), ((None, 8, None, 16), "SKIPPED"), ((None, 8, None, None), "SKIPPED"),
                ((None, None, 4, 8), "PROVEN"), ((None, None, 4, None), "SKIPPED"), ((4, 4, 4, 4), "PROVEN"),
                ((4, 4, 3, 8), "UNCONFIRMED"), ((4, 4, 4, 8), "CONSISTENT"), ((4, 4, 5, 8), "REFUTED"),
                # a lower bound <= 1 and no upper bound: TRIVIAL whatever the numbers
                ((1, None, None, None), "TRIVIAL"), ((1, None, 4, 8), "TRIVIAL"), ((0, None, 0, 8), "TRIVIAL"),
                ((-2, None, None, None), "TRIVIAL"), ((2, None, None, None), "SKIPPED"), ((2, None, 2, 8), "PROVEN"),
                ((1, 1, 1, 1), "PROVEN"), ((1, 8, None, 16), "SKIPPED")]
    for numbers, value in verdicts:
        T.check(module.verdict_of(*numbers) == value, f"verdict_of{numbers}: {module.verdict_of(*numbers)}, expected {value}")


# ---- witnesses ----
def item_cost(witness, item):
    """The cost docs/cut-witness.md gives a cut item, from the architecture (for choosing which
    removals must change the product)."""
    arch = witness["architecture"]
    M, layers = arch["templates"], arch["layers"]
    channels = [M]
    for layer in layers:
        channels.append(layer["channels"] if layer["kind"] == "gc" else channels[-1])
    L = len(layers)
    if "input" in item:
        return M
    if "unit" in item:
        return channels[L - len(item["unit"])]
    level = L - (len(item["matrix"]) - 1)  # the layer of the reading whose offset the matrix is
    return min(M, channels[1]) if level == 1 else min(channels[level - 1], channels[level])


def mutants(witness):
    """(name, document or raw text, expected exit code) of single edits of a witness."""
    out = []

    def edit(name, code, change):
        doc = copy.deepcopy(witness)
        change(doc)
        out.append((name, doc, code))
    B = int(witness["claim"]["rank_at_most"])
    edit("rank_at_most + 1", 1, lambda d: d["claim"].update(rank_at_most=str(B + 1)))
    edit("rank_at_most 10^6000", 1, lambda d: d["claim"].update(rank_at_most="1" + "0" * 6000))
    edit("rank_at_most as an integer", 2, lambda d: d["claim"].update(rank_at_most=B))
    edit("rank_at_most with a leading zero", 2, lambda d: d["claim"].update(rank_at_most="0" + str(B)))
    edit("rank_at_most 0", 2, lambda d: d["claim"].update(rank_at_most="0"))
    edit("rank_at_most with a sign", 2, lambda d: d["claim"].update(rank_at_most="+" + str(B)))
    edit("format_version 2", 2, lambda d: d.update(format_version=2))
    edit("no cut", 2, lambda d: d.pop("cut"))
    edit("unknown key in the architecture", 2, lambda d: d["architecture"].update(sharing="conv"))
    edit("unknown key in a layer", 2, lambda d: d["architecture"]["layers"][0].update(weights=[]))
    edit("unknown top-level key (ignored)", 0, lambda d: d.update(seed=7))
    edit("unknown partition key (ignored)", 0, lambda d: d["partition"].update(vary={"spec": "all"}))
    edit("templates 65", 2, lambda d: d["architecture"].update(templates=65))
    edit("channels 4097", 2, lambda d: next(l for l in d["architecture"]["layers"] if l["kind"] == "gc").update(channels=4097))
    edit("a window of 0", 2, lambda d: d["architecture"]["layers"][0].update(window=0))
    edit("a stride of 2^64", 2, lambda d: d["architecture"]["layers"][0].update(stride=2**64))
    edit("I swapped with J under the same spec", 2, lambda d: d["partition"].update(
        I=[i for i in range(d["architecture"]["input"]["height"] * d["architecture"]["input"]["width"])
           if i not in d["partition"]["I"]]))
    edit("an empty cut, B = 1", 1, lambda d: d.update(cut=[], claim={"statement": "", "rank_at_most": "1"}))
    edit("a cut item twice", 2, lambda d: d["cut"].append(d["cut"][0]))
    edit("an input out of range", 2, lambda d: d["cut"].append({"input": 64}))
    edit("an input as a string", 2, lambda d: d["cut"].append({"input": "0"}))
    edit("an item with two keys", 2, lambda d: d["cut"].append({"input": 0, "unit": []}))
    edit("an unknown item", 2, lambda d: d["cut"].append({"bond": [0]}))
    edit("a unit path that names no reading", 2, lambda d: d["cut"].append({"unit": [999]}))
    edit("a unit path with an offset of 2^64", 2, lambda d: d["cut"].append({"unit": [2**64]}))
    edit("a matrix path with a negative offset", 2, lambda d: d["cut"].append({"matrix": [-1]}))
    edit("a unit path with a boolean", 2, lambda d: d["cut"].append({"unit": [True]}))
    edit("a matrix with an empty path", 2, lambda d: d["cut"].append({"matrix": []}))
    edit("a matrix past the inputs", 2, lambda d: d["cut"].append({"matrix": [0] * (len(d["architecture"]["layers"]) + 1)}))
    edit("a unit path past layer 1", 2, lambda d: d["cut"].append({"unit": [0] * len(d["architecture"]["layers"])}))
    # The trivial cut: every input of the smaller side, at M^min(|I|, |J|), is a witness too.
    n = witness["architecture"]["input"]["height"] * witness["architecture"]["input"]["width"]
    I = witness["partition"]["I"]
    side = I if len(I) <= n - len(I) else [i for i in range(n) if i not in I]
    M = witness["architecture"]["templates"]
    edit("the trivial cut", 0, lambda d: d.update(cut=[{"input": p} for p in side],
                                                   claim={"statement": "", "rank_at_most": str(M ** len(side))}))
    edit("the trivial cut less one input", 1, lambda d: d.update(cut=[{"input": p} for p in side[1:]],
                                                                  claim={"statement": "", "rank_at_most": str(M ** (len(side) - 1))}))
    for t, item in enumerate(witness["cut"]):
        if item_cost(witness, item) > 1:  # removing it changes the product, or breaks the cut
            edit(f"cut item {t} removed", 1, lambda d, t=t: d["cut"].pop(t))
    text = json.dumps(witness)
    out.append(("a byte order mark", "\ufeff" + text, 2))
    out.append(("bytes after the document", text + " 1", 2))
    out.append(("a duplicate key", text[:-1] + ', "cut": []}', 2))
    out.append(("nested 300 deep under an ignored key", text[:-1] + ', "x": ' + "[" * 300 + "]" * 300 + "}", 2))
    out.append(("truncated", text[:len(text) // 2], 2))
    return out


def test_witnesses(seprank, seprank_check, work):
    cxx_reads_witnesses = None
    for name, arguments in ARCHITECTURES:
        path = os.path.join(work, "witness.json")
        run = subprocess.run([seprank, "bound", *arguments.split(), "--witness", path, "--force", "--json"],
                             capture_output=True, text=True, timeout=600)
        if not T.check(run.returncode == 0, f"{name}: seprank bound {arguments} exits {run.returncode}: {run.stderr[:300]}"):
            continue
        bound = json.loads(run.stdout)["upper_bound"]
        with open(path) as f:
            witness = json.load(f)
        code, line = python_checker(path, process=True)
        T.check((code, line) == (0, f"VERIFIED: rank <= {bound} for all weights"),
                f"{name}: the Python checker says {line!r} (exit {code}), the bound is {bound}")
        cxx = cxx_checker(seprank_check, path)
        if cxx_reads_witnesses is None:
            cxx_reads_witnesses = not (cxx[0] == 2 and "format" in cxx[1] and "seprank-certificate" in cxx[1])
            if not cxx_reads_witnesses:
                print(f"NOTE seprank-check does not read cut witnesses yet ({cxx[1]}): cross-checks skipped")
        if cxx_reads_witnesses:
            T.check(cxx == (0, f"VERIFIED: rank <= {bound} for all weights"), f"{name}: seprank-check says {cxx}")
        for t, (mutant, document, expected) in enumerate(mutants(witness)):
            mpath = os.path.join(work, "mutant.json")
            write(mpath, document)
            code, line = python_checker(mpath, process=t % 10 == 0)
            T.check(code == expected, f"{name}: mutant '{mutant}': exit {code} ({line}), expected {expected}")
            if cxx_reads_witnesses:
                cxx = cxx_checker(seprank_check, mpath)
                T.check(cxx[0] == code, f"{name}: mutant '{mutant}': seprank-check exits {cxx[0]} ({cxx[1]}),"
                                        f" the Python checker {code} ({line})")
    # Beyond the size limit: 63 overlapping layers of window 2 unroll into ~2^63 readings.
    big = {"format": "seprank-cut-witness", "format_version": 1, "seprank_version": "test",
           "claim": {"statement": "", "rank_at_most": "2"},
           "architecture": {"input": {"dims": 1, "height": 1, "width": 64}, "templates": 2, "padding": "valid",
                            "layers": [{"kind": "gc", "window": 2, "stride": 1, "channels": 2}] * 63},
           "partition": {"I": list(range(32))}, "cut": [{"unit": []}]}
    path = os.path.join(work, "big.json")
    write(path, big)
    code, line = python_checker(path, process=True)
    T.check(code == 2 and "vertices and edges" in line, f"a network beyond 10^6 vertices and edges: {line}")
    # A network just within it still works: 2D 8x8, three overlapping layers.
    return cxx_reads_witnesses


# ---- bundles ----
def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_bundles(seprank, seprank_check, work, bundle=None):
    """`bundle`: an existing bundle of proofs/C2.toml to use instead of writing one."""
    help_text = subprocess.run([seprank, "verify", "--help"], capture_output=True, text=True).stdout
    if "--bundle" not in help_text:
        print("NOTE seprank verify has no --bundle yet: bundle tests skipped")
        return False
    if bundle is None:
        bundle = os.path.join(work, "bundle")
        run = subprocess.run([seprank, "verify", os.path.join(REPO, "proofs", "C2.toml"), "--bundle", bundle, "--force"],
                             capture_output=True, text=True, timeout=1200)
        if not T.check(run.returncode == 0, f"seprank verify C2 --bundle exits {run.returncode}: {run.stderr[:300]}"):
            return True
    code, line = python_checker("--bundle", bundle, process=True)
    T.check(code == 0 and line.startswith("VERIFIED: bundle of "), f"the C2 bundle: {line} (exit {code})")
    cxx_help = subprocess.run([seprank_check, "--help"], capture_output=True, text=True).stdout
    cxx_reads_bundles = "--bundle" in cxx_help
    if not cxx_reads_bundles:
        print("NOTE seprank-check does not read bundles yet: bundle cross-checks skipped")
    else:
        cxx = subprocess.run([seprank_check, "--bundle", bundle], capture_output=True, text=True).stdout.strip()
        T.check(cxx == line, f"the C2 bundle: seprank-check says {cxx!r}, the Python checker {line!r}")
    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    entries = manifest["theorems"][0]["entries"]
    proven = [e for e in entries if e["verdict"] == "PROVEN" and e["lower"] and e["certificate"]]

    def edited(name, expected, change, *said, python_only=False):
        """Copies the bundle, applies `change(manifest, directory)`, checks the verdict's exit code
        and that its line names what was edited (one of `said`); seprank-check must give the same
        exit code, except for edits only item 5 (the theorem file, Python only) can see."""
        copy_dir = os.path.join(work, "edited")
        shutil.rmtree(copy_dir, ignore_errors=True)
        shutil.copytree(bundle, copy_dir)
        m = copy.deepcopy(manifest)
        change(m, copy_dir)
        with open(os.path.join(copy_dir, "manifest.json"), "w") as f:
            json.dump(m, f)
        code, line = python_checker("--bundle", copy_dir)
        T.check(code == expected and any(part in line for part in said),
                f"bundle edit '{name}': exit {code} ({line}), expected {expected} naming one of {said}")
        if cxx_reads_bundles and not python_only:
            cxx = subprocess.run([seprank_check, "--bundle", copy_dir], capture_output=True, text=True)
            T.check(cxx.returncode == code, f"bundle edit '{name}': seprank-check exits {cxx.returncode}"
                                            f" ({cxx.stdout.strip()}), the Python checker {code}")

    def entry(m, e):
        return next(x for x in m["theorems"][0]["entries"] if (x["claim"], x["instance"]) == (e["claim"], e["instance"]))
    # first: a bound met exactly (r = L), so that a raised value changes the verdict too
    first = next(e for e in proven if e["certified_rank"] == e["lower"]["value"])
    second = next(e for e in proven if e["certified_rank"] != first["certified_rank"])
    edited("a raised lower bound value", 1,
           lambda m, d: entry(m, first)["lower"].update(value=str(int(first["lower"]["value"]) + 1)), "lower.value")
    edited("an edited expression text", 1, lambda m, d: entry(m, first)["lower"].update(expression="M^R"), ".lower:",
           python_only=True)
    edited("a changed verdict", 1, lambda m, d: entry(m, first).update(verdict="CONSISTENT"), ".verdict:")
    edited("a verdict made N/A", 1, lambda m, d: entry(m, first).update(
        verdict="N/A", lower=None, architecture=None, partition=None, certified_rank=None, prime=None, min_cut=None,
        certificate=None, certificate_sha256=None, cut_witness=None, cut_witness_sha256=None), ".verdict:",
           python_only=True)
    edited("a raised certified rank", 1, lambda m, d: entry(m, first).update(
        certified_rank=str(int(first["certified_rank"]) + 1)), "rank_at_least", "> min_cut")

    def swap_paths(m, d):
        a, b = entry(m, first), entry(m, second)
        a["certificate"], b["certificate"] = b["certificate"], a["certificate"]
    edited("evidence paths swapped between two entries", 2, swap_paths, "certificate_sha256")

    def swap_with_hashes(m, d):
        a, b = entry(m, first), entry(m, second)
        for key in ("certificate", "certificate_sha256"):
            a[key], b[key] = b[key], a[key]
    edited("evidence paths and hashes swapped between two entries", 1, swap_with_hashes, "rank_at_least")
    edited("a removed evidence file", 2, lambda m, d: os.remove(os.path.join(d, first["cut_witness"])), "no such file")
    edited("an evidence path with ..", 2, lambda m, d: entry(m, first).update(
        certificate="evidence/../" + first["certificate"]), "relative path")
    edited("an absolute evidence path", 2, lambda m, d: entry(m, first).update(
        certificate=os.path.join(d, first["certificate"])), "relative path")

    def edit_theorem(m, d):
        path = os.path.join(d, m["theorems"][0]["file"])
        with open(path, "a") as f:
            f.write("\n# edited\n")
    edited("an edited theorem copy", 2, edit_theorem, "file_sha256")

    def edit_theorem_and_hash(m, d):  # the copy says something else, and its hash is updated
        path = os.path.join(d, m["theorems"][0]["file"])
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace('lower = "min(M, C)^(R-1)"', 'lower = "min(M, C)^R"', 1))
        m["theorems"][0]["file_sha256"] = sha256(path)
    edited("an edited theorem copy with its hash", 1, edit_theorem_and_hash, ".lower:", python_only=True)
    edited("a summary count", 1, lambda m, d: m["summary"].update(proven=m["summary"]["proven"] + 1), "summary.proven")
    edited("an entry removed", 1, lambda m, d: m["theorems"][0]["entries"].pop(), "no entry")
    edited("a changed parameter", 1, lambda m, d: entry(m, first)["parameters"].update(M="3"), ".parameters:",
           python_only=True)
    edited("a missing key", 2, lambda m, d: entry(m, first).pop("min_cut"), "min_cut")
    # TRIVIAL (C2's C = 1 instances: lower bound 1, no upper bound), counted apart.
    trivial = next(e for e in entries if e["verdict"] == "TRIVIAL")
    T.check(trivial["lower"]["value"] in ("0", "1") and trivial["upper"] is None and trivial["certified_rank"] is None
            and trivial["min_cut"] is None and trivial["certificate"] is None and trivial["cut_witness"] is None,
            f"a TRIVIAL entry of the C2 bundle records a bound <= 1 and nothing else: {trivial}")
    T.check(manifest["summary"]["trivial"] == sum(e["verdict"] == "TRIVIAL" for e in entries) > 0,
            "the C2 bundle's summary counts its TRIVIAL entries")

    def trivial_as_proven(m, d):
        entry(m, trivial).update(verdict="PROVEN")
        m["summary"].update(proven=m["summary"]["proven"] + 1, trivial=m["summary"]["trivial"] - 1)
    edited("TRIVIAL turned PROVEN", 1, trivial_as_proven, ".verdict:")
    edited("a TRIVIAL row with lower 2", 1, lambda m, d: entry(m, trivial)["lower"].update(value="2"), "lower.value")

    def proven_as_trivial(m, d):
        entry(m, first).update(verdict="TRIVIAL")
        m["summary"].update(proven=m["summary"]["proven"] - 1, trivial=m["summary"]["trivial"] + 1)
    edited("PROVEN turned TRIVIAL", 1, proven_as_trivial, "TRIVIAL")
    edited("the TRIVIAL count", 1, lambda m, d: m["summary"].update(trivial=0), "summary.trivial")
    edited("a summary without the TRIVIAL count", 2, lambda m, d: m["summary"].pop("trivial"), "summary")
    edited("format version 1, from before TRIVIAL", 2, lambda m, d: m.update(format_version=1), "format_version")
    edited("format version 2, from before each entry's prime", 2, lambda m, d: m.update(format_version=2),
           "format_version")
    edited("an entry prime other than its certificate's", 1, lambda m, d: entry(m, first).update(prime=101), "prime")
    edited("a rank without its prime", 2, lambda m, d: entry(m, first).update(prime=None), ".prime")
    edited("an unknown verdict", 2, lambda m, d: entry(m, first).update(verdict="TRUE"), ".verdict:")
    code, line = python_checker("--bundle", os.path.join(work, "no such bundle"))
    T.check(code == 3, f"a missing bundle directory: exit {code} ({line})")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--seprank-check", required=True)
    parser.add_argument("--bundle", help="test this bundle of proofs/C2.toml instead of writing one")
    parser.add_argument("--only-bundles", action="store_true", help="skip the witness and expression tests")
    args = parser.parse_args()
    global CHECKER_MODULE
    module = CHECKER_MODULE = load_checker()
    if not args.only_bundles:
        test_expressions(module)
    for flag in ("--help", "--version"):
        run = subprocess.run([sys.executable, CHECKER, flag], capture_output=True, text=True)
        T.check(run.returncode == 0 and run.stdout and not run.stderr, f"check_certificate.py {flag}")
    T.check(python_checker(process=True)[0] == 3, "no argument: exit 3")
    with tempfile.TemporaryDirectory() as work:
        cxx = args.only_bundles or test_witnesses(args.seprank, args.seprank_check, work)
        bundles = test_bundles(args.seprank, args.seprank_check, work, args.bundle)
    print(f"{T.passed} checks passed, {T.failed} failed"
          + ("" if cxx else "; seprank-check does not read witnesses yet: no cross-check")
          + ("" if bundles else "; no bundle tests (seprank verify has no --bundle)"))
    return 1 if T.failed else 0


if __name__ == "__main__":
    sys.exit(main())
