#!/usr/bin/env python3
"""Mutation fuzzer for the Python certificate checker (checker/check_certificate.py).

libFuzzer cannot drive Python, so this mutates the committed certificates instead (dense ones
and the structured one, docs/structured-certificate.md, which a fixed share of the mutants
start from so that the symbolic evaluation is reached in every run) -- at the
byte level (flips, cuts, splices, interesting tokens), at the JSON level (values replaced
by edge cases, keys dropped, added or duplicated, lists grown and shrunk, the network hash
recomputed so that mutants get past it), and around the document (bytes after it: a NUL, a
second document, garbage, JSON and non-JSON whitespace; byte order marks before, inside and
after it) -- for a bounded number of iterations and seconds, and asserts for every mutant:

  * the checker reaches a verdict: exit 0..3 and exactly one line on stdout, starting with
    "VERIFIED" or "NOT VERIFIED", nothing on stderr, never a traceback;
  * the C++ checker (seprank-check) reaches the same kind of verdict (the same exit code), so
    in particular every mutant that Python verifies, seprank-check verifies too; except that
    where the Python checker's smaller limits give exit 4 (a structured certificate too large
    for it), seprank-check may verify or refute.

Every mutant runs in-process (fast); a sample, and every mutant either checker verifies, also
runs as a real process to check the printed line. Standard library only.

usage: fuzz_python_checker.py --seprank-check PATH [--iterations N] [--seconds S] [--seed K]
                              [--failures DIR] [--max-certificate-bytes B] [--structured-share F]
Exit status: 0 when every mutant passed, 1 otherwise (failing mutants are saved to --failures).
"""
import argparse
import copy
import hashlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(REPO, "checker", "check_certificate.py")
CERTIFICATES = os.path.join(REPO, "proofs", "certificates")

# Values that sit on the edges the checkers test: sizes, signs, 2^63, 2^64, types.
INTERESTING_VALUES = [0, 1, -1, 2, 3, 63, 64, 65, 4096, 4097, 10**6, 2**31, 2**32, 2**62 - 57,
                      2**63 - 1, 2**63, 2**64 - 1, 2**64, 10**30, 10**400, 1.5, -0.0, 1e308,
                      True, False, None, "", "1", "gfp", "C", "same", "pool", [], [0], [[0]], {},
                      {"I": [0]}]
INTERESTING_TOKENS = [b"-1", b"0", b"1e400", b"NaN", b"Infinity", b"-", b"[", b"]", b"{", b"}", b",",
                      b":", b'"', b"\\u0000", b"\\ud800", b"\xff", b"\x00", b"null", b"true",
                      b"18446744073709551616", b"9223372036854775808", b"1" * 400, b"9" * 5000, b"[" * 2000,
                      b'"network":{}', b'"format_version":1,"format_version":1']


def load_module(path):
    spec = importlib.util.spec_from_file_location("check_certificate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical_hash(network):
    text = json.dumps(network, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# ---- JSON-level mutations ----
def containers(doc):
    """Every (parent, key) below doc, depth first: the places a mutation can touch."""
    places, stack = [], [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in items:
            places.append((node, key))
            if isinstance(child, (dict, list)):
                stack.append(child)
    return places


def mutate_json(rng, doc):
    doc = copy.deepcopy(doc)
    places = containers(doc)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        parent, key = rng.choice(places)
        value = parent[key]
        kind = rng.randrange(9)
        if kind == 0:
            parent[key] = copy.deepcopy(rng.choice(INTERESTING_VALUES))
        elif kind == 1 and isinstance(value, int) and not isinstance(value, bool):
            parent[key] = value + rng.choice([-1, 1, 2**63, -(2**63), value])
        elif kind == 2 and isinstance(parent, dict):
            del parent[key]
        elif kind == 3 and isinstance(parent, dict):
            parent[rng.choice(["extra", "weights", "channels", "determinant", "kind", "factors", "matrix", "rows",
                               "positions"])] = copy.deepcopy(
                rng.choice(INTERESTING_VALUES))
        elif kind == 4 and isinstance(value, list) and value:
            value.append(copy.deepcopy(rng.choice(value)))
        elif kind == 5 and isinstance(value, list) and value:
            del value[rng.randrange(len(value))]
        elif kind == 6 and isinstance(value, list) and len(value) > 1:
            i, j = rng.randrange(len(value)), rng.randrange(len(value))
            value[i], value[j] = value[j], value[i]
        elif kind == 7 and isinstance(value, str):
            parent[key] = value + rng.choice(["x", " ", "\u00e9", "\x00"]) if value else "x"
        else:
            parent[key] = copy.deepcopy(value if rng.random() < 0.5 else rng.choice(INTERESTING_VALUES))
        places = containers(doc)
        if not places:
            break
    # Recompute the hash most of the time, so that mutants of the network reach the checks
    # after it; a mutated network that is not hashable (a float key...) keeps the old one.
    if isinstance(doc, dict) and isinstance(doc.get("network"), (dict, list)) and rng.random() < 0.8:
        try:
            doc["network_sha256"] = canonical_hash(doc["network"])
        except (TypeError, ValueError):
            pass
    style = rng.randrange(3)
    if style == 0:
        return json.dumps(doc).encode()
    if style == 1:
        return json.dumps(doc, sort_keys=True, indent=1).encode()
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


# ---- byte-level mutations ----
def mutate_bytes(rng, data, others):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4])):
        n = len(data)
        kind = rng.randrange(7)
        if kind == 0 and n:
            data[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif kind == 1 and n:
            i = rng.randrange(n)
            del data[i:i + rng.randrange(1, 64)]
        elif kind == 2 and n:
            i, j = sorted((rng.randrange(n), rng.randrange(n)))
            data[j:j] = data[i:j][:256]
        elif kind == 3:
            i = rng.randrange(n + 1)
            data[i:i] = rng.choice(INTERESTING_TOKENS)
        elif kind == 4 and n:
            i = rng.randrange(n)
            j = i + rng.randrange(1, 8)
            data[i:j] = rng.choice(INTERESTING_TOKENS)
        elif kind == 5:  # splice: the front of this one, the back of another
            other = rng.choice(others)
            data = data[:rng.randrange(n + 1)] + other[rng.randrange(len(other) + 1):]
        elif n:
            del data[rng.randrange(n):]
    return bytes(data)


# ---- around the document: trailing bytes and byte order marks ----
BOM = "\ufeff".encode()
JSON_WHITESPACE = [b" ", b"\t", b"\n", b"\r"]
OTHER_WHITESPACE = [b"\x0b", b"\x0c", "\u00a0".encode(), "\u2028".encode(), "\u3000".encode(), b"\x85"]
GARBAGE = [b"x", b"}", b"]", b",", b"null", b"0", b'""', b"{}", b"[]", b"\xff", b"\\", b"//", b"#"]


def whitespace(rng):
    return b"".join(rng.choice(JSON_WHITESPACE) for _ in range(rng.choice([1, 1, 2, 5])))


def mutate_around(rng, data, others):
    """The document with bytes added after it, byte order marks somewhere, or both."""
    kind = rng.randrange(9)
    if kind == 0:  # a NUL, maybe with more after it (nlohmann once stopped reading at a NUL)
        return data + b"\x00" + rng.choice([b"", b"\x00", b"garbage", rng.choice(others), whitespace(rng)])
    if kind == 1:  # a second document, maybe separated by whitespace
        return data + rng.choice([b"", whitespace(rng)]) + rng.choice([data] + others)[:rng.choice([None, 50])]
    if kind == 2:  # trailing garbage
        return data + rng.choice([b"", whitespace(rng)]) + rng.choice(GARBAGE)
    if kind == 3:  # trailing whitespace: JSON's own (allowed) or another (malformed)
        return data + (whitespace(rng) if rng.random() < 0.6 else rng.choice(OTHER_WHITESPACE) + whitespace(rng))
    if kind == 4:  # leading whitespace, JSON's own or another
        return (whitespace(rng) if rng.random() < 0.6 else rng.choice(OTHER_WHITESPACE)) + data
    if kind == 5:  # a byte order mark first, maybe twice or after whitespace; or a UTF-16/32 one
        return rng.choice([BOM, BOM + BOM, whitespace(rng) + BOM, b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]) + data
    if kind == 6:  # a byte order mark after the document
        return data + rng.choice([BOM, whitespace(rng) + BOM, BOM + whitespace(rng)])
    if kind == 7:  # a byte order mark in place of a space or newline, or after a quote (in a string, or not)
        spaces = [i for i, byte in enumerate(data) if byte in b" \n"]
        quotes = [i for i, byte in enumerate(data) if byte == ord('"')]
        if spaces and (rng.random() < 0.5 or not quotes):
            i = rng.choice(spaces)
            return data[:i] + BOM + data[i + 1:]
        if quotes:
            i = rng.choice(quotes)
            return data[:i + 1] + BOM + data[i + 1:]
        return BOM + data
    return mutate_around(rng, mutate_around(rng, data, others), others)  # two of the above


# ---- running the checkers ----
def in_process(module, path):
    """(exit code, the printed line) as the checker's __main__ block produces them."""
    code, line = module.main(["check_certificate.py", path])
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    return code, line


def as_process(args):
    return subprocess.run(args, capture_output=True, timeout=120)


def problems_of(module, path, cxx_checker, force_process):
    """(the Python checker's exit code, why this mutant fails the contract: empty when it passes)."""
    found = []
    try:
        code, line = in_process(module, path)
    except BaseException as e:  # the contract: never an exception out of main
        return None, [f"check_certificate.main raised {type(e).__name__}: {e!r}"[:300]]
    if code not in (0, 1, 2, 3, 4):  # 4: a structured certificate beyond the Python checker's limits
        found.append(f"exit code {code}")
    if not (line.startswith("VERIFIED: ") if code == 0 else line.startswith("NOT VERIFIED: ")):
        found.append(f"verdict line does not match exit {code}: {line[:120]!r}")
    cxx = as_process([cxx_checker, path])
    # Exit 4 is "too large for this checker" (docs/structured-certificate.md, "Limits"): the
    # Python checker's limits are the smaller, so where it gives up seprank-check may still
    # answer 0 or 1 (the form is checked before the evaluation, so never 2); the other way
    # round, or any other difference, is a disagreement.
    if cxx.returncode != code and not (code == 4 and cxx.returncode in (0, 1)):
        found.append(f"seprank-check exits {cxx.returncode} ({cxx.stdout.decode(errors='replace').strip()[:160]}),"
                     f" check_certificate.py {code} ({line[:160]})")
    if force_process or code == 0 or cxx.returncode == 0:
        real = as_process([sys.executable, CHECKER, path])
        out = real.stdout.decode("ascii", errors="replace")
        if real.stderr:
            found.append(f"stderr is not empty: {real.stderr.decode(errors='replace')[:200]!r}")
        if out.count("\n") != 1 or not out.endswith("\n"):
            found.append(f"stdout is not exactly one line: {out[:200]!r}")
        if (real.returncode, out.rstrip("\n")) != (code, line):
            found.append(f"the process printed {out.strip()[:120]!r} and exited {real.returncode};"
                         f" in-process: {line[:120]!r}, {code}")
    return code, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank-check", required=True, help="the C++ checker binary")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--failures", default=os.path.join(tempfile.gettempdir(), "fuzz_python_checker_failures"))
    parser.add_argument("--max-certificate-bytes", type=int, default=8192,
                        help="mutate only certificates up to this size (the larger ones take seconds per check)")
    parser.add_argument("--structured-share", type=float, default=0.3,
                        help="the share of mutants made from a structured certificate")
    args = parser.parse_args()

    module = load_module(CHECKER)
    bases = []
    for name in sorted(os.listdir(CERTIFICATES)):
        path = os.path.join(CERTIFICATES, name)
        if name.endswith(".json") and os.path.getsize(path) <= args.max_certificate_bytes:
            with open(path, "rb") as f:
                bases.append((name, f.read()))
    if not bases:
        sys.exit("no certificates to mutate")
    documents = [(name, json.loads(data)) for name, data in bases]
    raw = [data for _, data in bases]
    structured = [i for i, (_, doc) in enumerate(documents) if doc.get("format") == "seprank-structured-certificate"]
    dense = [i for i in range(len(bases)) if i not in structured]
    if not structured or not dense:
        sys.exit("proofs/certificates holds no structured certificate, or only structured ones")

    rng = random.Random(args.seed)
    start, tried, failed, verdicts = time.monotonic(), 0, 0, {}
    structured_verdicts = {}
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "mutant.json")
        while tried < args.iterations and time.monotonic() - start < args.seconds:
            index = rng.choice(structured if rng.random() < args.structured_share else dense)
            dice = rng.random()
            if dice < 0.4:
                how, mutant = "json", mutate_json(rng, documents[index][1])
            elif dice < 0.8:
                how, mutant = "bytes", mutate_bytes(rng, raw[index], raw)
            else:  # around a committed certificate (mostly valid: the trailing bytes decide) or a mutant
                how = "around"
                inner = raw[index] if rng.random() < 0.7 else mutate_json(rng, documents[index][1])
                mutant = mutate_around(rng, inner, raw)
            with open(path, "wb") as f:
                f.write(mutant)
            code, found = problems_of(module, path, args.seprank_check, force_process=tried % 20 == 0)
            verdicts[code] = verdicts.get(code, 0) + 1
            if index in structured:
                structured_verdicts[code] = structured_verdicts.get(code, 0) + 1
            tried += 1
            if found:
                failed += 1
                os.makedirs(args.failures, exist_ok=True)
                saved = os.path.join(args.failures, f"mutant-{args.seed}-{tried}.json")
                with open(saved, "wb") as f:
                    f.write(mutant)
                print(f"FAIL mutant {tried} ({how} mutation of {bases[index][0]}), saved as {saved}:")
                for problem in found:
                    print("   ", problem)
    elapsed = time.monotonic() - start
    def summary(counts):
        return ", ".join(f"exit {k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
    print(f"{tried} mutants in {elapsed:.1f} s ({summary(verdicts)}); {failed} failed")
    print(f"of them {sum(structured_verdicts.values())} from a structured certificate ({summary(structured_verdicts)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
