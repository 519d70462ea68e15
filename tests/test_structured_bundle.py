#!/usr/bin/env python3
"""A proof bundle whose structured certificate was edited is refused by both checkers.

`seprank verify tests/data/structured-bundle.toml --bundle DIR` writes a bundle with one PROVEN
entry backed by a structured certificate (docs/structured-certificate.md; C4's strip at H = 6,
rank >= 2^8). One weight of that certificate is then edited, with the integrity fields kept
consistent or left stale in each combination, and each variant must get from both checkers the
exit code docs/proof-bundle.md gives it ("Exit codes"):

  the certificate's own network_sha256 | the manifest's certificate_sha256 | expected
  -------------------------------------+-----------------------------------+----------------------
  stale                                 | stale                             | 2 (first pass: hash)
  updated                               | stale                             | 2 (first pass: hash)
  stale                                 | updated                           | 2 (evidence malformed)
  updated                               | updated                           | 1 (evidence refuted)

The weight edited is one entry of one of the two drawn first-layer matrices of the links
construction (docs/structured-certificate.md, "Producer"), chosen so that the matrix becomes
singular: every link g = Psi^T Phi then has rank 1, so the network's function on the submatrix
is a product of functions of single positions and the submatrix has rank 1. A certificate of
rank >= 256 on it cannot be verified by a sound checker, and the edit leaves it well-formed (the
weight stays in [0, p)): refuted, whatever check finds it. The test asserts the construction's
shape first (F the identity, exactly two first-layer matrices that are not all ones, every other
weight 1), so that the argument applies to the certificate it edits.

A control: the certificate rewritten unedited, with the manifest's hash updated, stays VERIFIED
(so what the checkers refuse is the edit, not the rewriting).

usage: test_structured_bundle.py --seprank BINARY --seprank-check BINARY
"""
import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(REPO, "checker", "check_certificate.py")
THEOREM = os.path.join(REPO, "tests", "data", "structured-bundle.toml")
failures = []


def expect(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return ok


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def network_hash(network):
    return hashlib.sha256(json.dumps(network, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def both(seprank_check, *args):
    """[(name, exit code, stdout, stderr)] of both checkers on the same arguments."""
    out = []
    for name, command in (("seprank-check", [seprank_check, *args]), ("check_certificate.py", [sys.executable, CHECKER, *args])):
        r = subprocess.run(command, capture_output=True, text=True, timeout=300)
        out.append((name, r.returncode, r.stdout, r.stderr))
    return out


def expect_verdict(seprank_check, what, expected, args, names=None):
    """Both checkers exit `expected` with one verdict line (naming `names`, if given), no stderr."""
    for name, code, out, err in both(seprank_check, *args):
        line = out.strip()
        expect(code == expected, f"{what}: {name} exits {code}, expected {expected} ({line})")
        expect(out.count("\n") == 1 and out.endswith("\n"), f"{what}: {name} printed not one line: {out!r}")
        expect(err == "", f"{what}: {name} wrote to stderr: {err!r}")
        prefix = "VERIFIED: " if expected == 0 else "NOT VERIFIED: "
        expect(line.startswith(prefix), f"{what}: {name} says {line!r}, expected it to start with {prefix!r}")
        if names:
            expect(names in line, f"{what}: {name} says {line!r}, which does not name {names!r}")


def singular_weight_edit(cert):
    """The certificate with one first-layer weight changed so that its matrix is singular."""
    net, p = cert["network"], cert["claim"]["prime"]
    M = net["templates"]
    ones = [[1] * M for _ in range(M)]
    first = net["layers"][0]
    # The links construction's shape (docs/structured-certificate.md, "Producer").
    expect(net["representation"] == [[int(i == j) for j in range(M)] for i in range(M)], "F is not the identity")
    expect(M == 2 and first["kind"] == "gc" and first["channels"] == 2, "not M = C = 2")
    drawn = [k for k, w in enumerate(first["weights"]) if w != ones]
    expect(len(drawn) == 2, f"first-layer matrices that are not all ones: {drawn}, expected two")
    later = [w for layer in net["layers"][1:] if layer["kind"] == "gc" for w in layer["weights"]]
    expect(all(w == ones for w in later) and all(x == 1 for x in net["readout"]), "a later weight is not 1")
    edited = copy.deepcopy(cert)
    psi = edited["network"]["layers"][0]["weights"][drawn[0]]
    expect(psi[1][1] % p != 0, "Psi[1][1] is 0")
    singular = psi[0][1] * psi[1][0] * pow(psi[1][1], p - 2, p) % p
    expect(singular != psi[0][0], "Psi is singular already")
    psi[0][0] = singular
    expect((psi[0][0] * psi[1][1] - psi[0][1] * psi[1][0]) % p == 0, "the edited matrix is not singular")
    return edited


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--seprank-check", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        bundle = os.path.join(work, "bundle")
        r = subprocess.run([args.seprank, "verify", THEOREM, "--bundle", bundle], capture_output=True, text=True,
                           timeout=300)
        if not expect(r.returncode == 0, f"seprank verify --bundle exits {r.returncode}: {r.stderr[-500:]}"):
            return 1
        expect_verdict(args.seprank_check, "the bundle as written", 0, ["--bundle", bundle])
        with open(os.path.join(bundle, "manifest.json")) as f:
            manifest = json.load(f)
        entries = [e for t in manifest["theorems"] for e in t["entries"] if e["certificate"]]
        if not expect(len(entries) == 1, f"{len(entries)} entries with a certificate, expected 1"):
            return 1
        relative = entries[0]["certificate"]
        with open(os.path.join(bundle, relative)) as f:
            cert = json.load(f)
        expect(cert["format"] == "seprank-structured-certificate", f"the certificate's format is {cert['format']}")
        expect(entries[0]["verdict"] == "PROVEN" and entries[0]["certified_rank"] == "256",
               f"the entry: {entries[0]['verdict']}, rank {entries[0]['certified_rank']}")
        edited = singular_weight_edit(cert)
        if failures:
            return 1

        # The edited certificate alone, its hash updated: refuted by both (a well-formed certificate).
        alone = os.path.join(work, "alone.json")
        rehashed = dict(edited, network_sha256=network_hash(edited["network"]))
        with open(alone, "w") as f:
            json.dump(rehashed, f)
        expect_verdict(args.seprank_check, "the edited certificate alone, rehashed", 1, [alone], "refuted")

        def variant(what, expected, document, update_manifest, names=None):
            copy_dir = os.path.join(work, "edited")
            shutil.rmtree(copy_dir, ignore_errors=True)
            shutil.copytree(bundle, copy_dir)
            path = os.path.join(copy_dir, relative)
            with open(path, "w") as f:
                json.dump(document, f)
            m = copy.deepcopy(manifest)
            if update_manifest:
                next(e for t in m["theorems"] for e in t["entries"] if e["certificate"] == relative)[
                    "certificate_sha256"] = sha256_file(path)
                with open(os.path.join(copy_dir, "manifest.json"), "w") as f:
                    json.dump(m, f)
            expect_verdict(args.seprank_check, what, expected, ["--bundle", copy_dir], names)

        variant("control: rewritten unedited, manifest hash updated", 0, cert, True)
        variant("weight edited; both hashes stale", 2, edited, False, "certificate_sha256")
        variant("weight edited; network_sha256 updated, manifest hash stale", 2, rehashed, False, "certificate_sha256")
        variant("weight edited; network_sha256 stale, manifest hash updated", 2, edited, True, "network_sha256")
        variant("weight edited; both hashes updated", 1, rehashed, True, "refuted")
    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("an edited structured certificate in a bundle: refused by both checkers with the codes of docs/proof-bundle.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
