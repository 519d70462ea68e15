#!/usr/bin/env python3
"""Counts, per theorem file, the checks `seprank verify` must report TRIVIAL: claims whose
hypotheses hold, with a lower bound whose ceiling is <= 1 and no upper bound
(docs/theorem-format.md). Independent of the C++ code: tomllib reads the files, and the Python
checker's own evaluator (instance_list, value_of) expands instances and evaluates expressions.
Prints one "ID COUNT" line per file with a nonzero count, sorted by ID.

Usage: count_trivial_claims.py THEOREM.toml...
"""
import importlib.util
import math
import os
import sys
import tomllib
from fractions import Fraction

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_checker():
    spec = importlib.util.spec_from_file_location("check_certificate", os.path.join(REPO, "checker", "check_certificate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(paths):
    checker = load_checker()
    counts = {}
    for path in paths:
        with open(path, "rb") as f:
            theorem = tomllib.load(f)
        n = 0
        for only, values in checker.instance_list(theorem, False, path):
            for claim in theorem["claim"]:
                if only is not None and claim.get("name", "") not in only:
                    continue
                if any(not checker.value_of(h, values, bool) for h in claim.get("hypotheses", [])):
                    continue  # N/A
                # (size_I and size_J are not given: a bound that uses them raises, and none here does)
                if "lower" in claim and "upper" not in claim and math.ceil(checker.value_of(claim["lower"], values, Fraction)) <= 1:
                    n += 1
        if n:
            counts[theorem["id"]] = n
    for key in sorted(counts):
        print(key, counts[key])


if __name__ == "__main__":
    main(sys.argv[1:])
