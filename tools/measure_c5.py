#!/usr/bin/env python3
"""Measures THEOREMS.md C5 (deep stride-1 overlap) and writes proofs/C5.toml.

usage: python3 tools/measure_c5.py [path/to/seprank]   (default build/seprank)
For each stack of L layers GC(R, 1, C) followed by a global layer, it records the certified
lower bound (rank mod p at seed 1) and the min-cut upper bound; `seprank verify` then re-checks
that both still hold: rank >= the recorded lower bound, min-cut <= the recorded upper bound.
"""
import json
import subprocess
import sys

SEPRANK = sys.argv[1] if len(sys.argv) > 1 else "build/seprank"

HEADER = '''format = "seprank-theorem"
format_version = 1
id = "C5"
title = "Deep stride-1 overlapping stacks: measured ranks and min-cuts"
source = "derived in this project (measured); THEOREMS.md C5"
statement = """
Stacks of L layers GC(R, 1, C) followed by one global layer, for 1D N <= 16 and 2D 4x4,
L = 1..4, left-right partition: the certified lower bound (rank mod p at random weights, a.e.)
and the min-cut upper bound (all weights), recorded by tools/measure_c5.py. An instance whose
two values are equal (marked "settled" below) has its generic rank known exactly.
"""
derivation = """
Measured, not derived: lower = rank_found is the exact rank modulo 2^62 - 57 at the weights of
seed 1 (a nonzero minor, so rank >= rank_found for almost all weights); upper = cut_found is a
minimum cut of the grid tensor's tensor network (rank <= cut_found for all weights).
Regenerate with: python3 tools/measure_c5.py build/seprank > proofs/C5.toml
"""

[[claim]]
name = "1D"
input = "{N}"
templates = "M"
layers = "({R}/1/{C},)^{L}{N - L*(R-1)}/1/1"
partition = "left-right"
lower = "rank_found"
upper = "cut_found"
hypotheses = ["N - L*(R-1) >= 1"]

[[claim]]
name = "2D"
input = "{H}x{H}"
templates = "M"
layers = "({R}/1/{C},)^{L}{H - L*(R-1)}/1/1"
partition = "left-right"
lower = "rank_found"
upper = "cut_found"
hypotheses = ["H - L*(R-1) >= 1"]
'''


def measure(args):
    out = subprocess.run([SEPRANK, "rank", *args, "--json", "--threads", "2"], check=True,
                         capture_output=True, text=True).stdout
    j = json.loads(out)
    return j["rank"], j["upper_bound"]


def main():
    print(HEADER)
    settled = total = 0
    for dims, sizes in (("1D", (8, 12, 16)), ("2D", (4,))):
        for n in sizes:
            for r in (2, 3):
                for c in (1, 2, 3):
                    for layers in (1, 2, 3, 4):
                        top = n - layers * (r - 1)
                        if top < 1:
                            continue
                        stack = ",".join([f"{r}/1/{c}"] * layers) + f",{top}/1/1"
                        shape = str(n) if dims == "1D" else f"{n}x{n}"
                        rank, cut = measure(["--input", shape, "--layers", stack])
                        total += 1
                        settled += rank == cut
                        key = "N" if dims == "1D" else "H"
                        note = "settled" if rank == cut else "open: lower < upper"
                        print(f'[[instances]]  # {shape}, layers {stack}: {note}')
                        print(f'claims = ["{dims}"]')
                        print(f"{key} = {n}\nM = 2\nR = {r}\nC = {c}\nL = {layers}")
                        print(f"rank_found = {rank}\ncut_found = {cut}\n")
    print(f"# {settled} of {total} instances settled exactly.")


if __name__ == "__main__":
    main()
