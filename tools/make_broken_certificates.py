#!/usr/bin/env python3
"""Derives deliberately broken certificates, one per kind of defect, from a valid one.

usage: python3 tools/make_broken_certificates.py [SOURCE] [OUTDIR]
Defaults: proofs/certificates/c4-2d-4x4-overlap.json -> proofs/certificates/broken/.
The file name says what both checkers must answer: refuted-* (exit 1), malformed-* (exit 2).
Where a defect is not about the hash, the hash is recomputed so that the checker's own
check of that defect is what rejects the file.

The *-structured-* files are derived from the committed structured certificate
structured-c4-2d-6x6.json (next to SOURCE; `seprank certify --structured`, see MANIFEST) by
structured_breakers below, one edit each, chosen so that the spec
(docs/structured-certificate.md, "What a checker verifies") forces the verdict; the comment at
each says which check rejects it and why no other outcome is possible.

The malformed-binding-* files break the binding of the index sets to their names
(partition.spec, partition.vary): each is a consistent certificate in every other respect,
derived from SOURCE or from the committed vary-auto-2d-5x5-left-right.json,
indices-2d-3x3-two-columns.json and global-1d-mask.json (next to SOURCE);
tests/test_certificate_binding.cpp asserts what each checker's message names.
"""
import copy
from itertools import combinations
import hashlib
import json
import pathlib
import sys


def rehash(doc):
    canonical = json.dumps(doc["network"], sort_keys=True, separators=(",", ":"))
    doc["network_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    return doc


def set_(path, value):
    """An edit that sets the value at path (keys and indices) in a document."""
    def apply(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return apply


def breakers(valid):
    p = valid["claim"]["prime"]
    r = valid["claim"]["rank_at_least"]

    def edit(fn, keep_hash=False):
        doc = copy.deepcopy(valid)
        fn(doc)
        return doc if keep_hash else rehash(doc)

    def duplicate_row(doc):  # two equal rows: the minor is singular
        doc["evidence"]["rows"][1] = list(doc["evidence"]["rows"][0])
        del doc["evidence"]["determinant"]

    def exceed_rank(doc):  # claim r + 1 with an extra row and column: every (r+1)-minor is 0
        rows, cols = doc["evidence"]["rows"], doc["evidence"]["cols"]
        extra_row = next(x for x in (digits(i, len(rows[0])) for i in range(2 ** len(rows[0]))) if x not in rows)
        extra_col = next(x for x in (digits(i, len(cols[0])) for i in range(2 ** len(cols[0]))) if x not in cols)
        rows.append(extra_row)
        cols.append(extra_col)
        doc["claim"]["rank_at_least"] = r + 1
        del doc["evidence"]["determinant"]

    def nested(depth):  # [[[...]]]: beyond the 256 levels the format allows
        value = []
        for _ in range(depth - 1):
            value = [value]
        return value

    def digits(i, n):
        return [(i >> (n - 1 - t)) & 1 for t in range(n)]

    w = ["network", "layers", 0, "weights", 0, 0, 0]
    return {
        "refuted-duplicate-row.json": edit(duplicate_row),
        "refuted-rank-exceeds-true-rank.json": edit(exceed_rank),
        "refuted-wrong-determinant.json": edit(set_(["evidence", "determinant"], 1 if valid["evidence"]["determinant"] != 1 else 2)),
        "malformed-stale-hash.json": edit(lambda d: d["network"]["readout"].__setitem__(0, (d["network"]["readout"][0] + 1) % p), keep_hash=True),
        "malformed-prime-not-prime.json": edit(set_(["claim", "prime"], p - 1)),
        "malformed-weight-out-of-range.json": edit(lambda d: d["network"]["layers"][0]["weights"][0][0].__setitem__(0, p)),
        "malformed-version.json": edit(set_(["format_version"], 2)),
        "malformed-rank-count-mismatch.json": edit(set_(["claim", "rank_at_least"], r - 1)),
        "malformed-template-out-of-range.json": edit(lambda d: d["evidence"]["rows"][0].__setitem__(0, 2)),
        "malformed-assignment-length.json": edit(lambda d: d["evidence"]["cols"][0].append(0)),
        "malformed-partition-out-of-range.json": edit(set_(["partition", "I"], valid["partition"]["I"][:-1] + [16])),
        # The same set in another order, with no name to compare it with: only "strictly
        # increasing" rejects it (the rows' templates are read in I's order).
        "malformed-partition-not-increasing.json": edit(lambda d: (d["partition"].pop("spec"), d["partition"].pop("vary"),
                                                                   d["partition"].__setitem__("I", d["partition"]["I"][::-1]))),
        "malformed-geometry.json": edit(set_(["network", "layers", 1, "window"], 1)),
        "malformed-missing-evidence.json": edit(lambda d: d.pop("evidence")),
        "malformed-float-weight.json": edit(lambda d: d["network"]["readout"].__setitem__(0, 1.5)),
        "malformed-weight-shape.json": edit(lambda d: d["network"]["layers"][0]["weights"].pop()),
        "malformed-unknown-network-key.json": edit(lambda d: d["network"]["input"].__setitem__("depth", 3)),
        # Under an ignored key, but beyond the double range: JSON parsers disagree on it.
        "malformed-number-beyond-double.json": edit(lambda d: d.__setitem__("seed", 10**400)),
        "malformed-lone-surrogate.json": edit(lambda d: d.__setitem__("note", "\ud800")),
        # The last layer leaves one position whatever its stride, but 2^64 is beyond the spec.
        "malformed-stride-beyond-64-bits.json": edit(set_(["network", "layers", 1, "stride"], 2**64)),
        "malformed-nested-too-deep.json": edit(lambda d: d.__setitem__("note", nested(300))),
    }


def binding_breakers(valid, directory):
    """Certificates whose recorded index sets disagree with their names."""
    def load(name):
        return json.loads((directory / name).read_text())

    # A left-right certificate computed with the (W+1)/2 convention: a genuine certificate
    # for I = columns 0, 1 of a 3x3 input (--partition indices:...), labelled left-right,
    # whose I is column 0 only (floor(3/2) = 1).
    ceil = load("indices-2d-3x3-two-columns.json")
    assert ceil["partition"]["I"] == [0, 1, 3, 4, 6, 7], "indices-2d-3x3-two-columns.json changed"
    ceil["partition"]["spec"] = "left-right"

    # I and J swapped, rows and columns too: the minor is transposed, its determinant the
    # same, so only the name tells that this is the right-left matricization.
    swapped = copy.deepcopy(valid)
    part, ev = swapped["partition"], swapped["evidence"]
    assert part["spec"] == "left-right" and part["vary"]["spec"] == "all", "SOURCE must be a left-right certificate"
    n = swapped["network"]["input"]["height"] * swapped["network"]["input"]["width"]
    part["I"] = [i for i in range(n) if i not in part["I"]]
    part["vary"]["I"], part["vary"]["J"] = part["vary"]["J"], part["vary"]["I"]
    ev["rows"], ev["cols"] = ev["cols"], ev["rows"]

    # A mask that names another I than the one recorded (mask:101100 is I = {0, 2, 3}).
    mask = load("global-1d-mask.json")
    assert mask["partition"]["spec"] == "mask:101100", "global-1d-mask.json changed"
    mask["partition"]["spec"] = "mask:101010"

    # A varying set that is not the one "auto" names: one position of I too few.
    vary = load("vary-auto-2d-5x5-left-right.json")
    assert vary["partition"]["vary"]["spec"] == "auto", "vary-auto-2d-5x5-left-right.json changed"
    vary_set = copy.deepcopy(vary)
    vary_set["partition"]["vary"]["I"].pop()

    # A row outside the recorded submatrix: a position that does not vary holds a template
    # other than its fixed one (the determinant is dropped: only the binding can reject it).
    outside = copy.deepcopy(vary)
    varying, fixed = set(vary["partition"]["vary"]["I"]), vary["partition"]["vary"]["fixed_templates"]
    t = next(t for t, pos in enumerate(vary["partition"]["I"]) if pos not in varying)
    row = outside["evidence"]["rows"][0]
    row[t] = 1 - fixed[vary["partition"]["I"][t]]  # M = 2
    del outside["evidence"]["determinant"]

    return {
        "malformed-binding-left-right-ceil.json": ceil,
        "malformed-binding-swapped-i-j.json": swapped,
        "malformed-binding-mask-disagrees.json": mask,
        "malformed-binding-vary-set.json": vary_set,
        "malformed-binding-fixed-template.json": outside,
    }


def inverse(x, p):
    return pow(x, p - 2, p)


def det_mod(rows, p):
    """The determinant of a square matrix mod p, by elimination (the tool's own, tiny)."""
    a, n, det = [[x % p for x in row] for row in rows], len(rows), 1
    for c in range(n):
        pivot = next((r for r in range(c, n) if a[r][c]), None)
        if pivot is None:
            return 0
        if pivot != c:
            a[c], a[pivot], det = a[pivot], a[c], -det
        det = det * a[c][c] % p
        inv = inverse(a[c][c], p)
        for r in range(c + 1, n):
            f = a[r][c] * inv % p
            a[r] = [(x - f * y) % p for x, y in zip(a[r], a[c])]
    return det % p


def structured_breakers(valid):
    """Broken structured certificates (docs/structured-certificate.md), one edit each."""
    assert valid["format"] == "seprank-structured-certificate", "not a structured certificate"
    p, r = valid["claim"]["prime"], valid["claim"]["rank_at_least"]
    net, part = valid["network"], valid["partition"]
    in_i = set(part["I"])
    factors = valid["factors"]
    assert net["representation"] == [[1, 0], [0, 1]] and net["templates"] == 2, "links construction, M = 2"

    def edit(fn, keep_hash=False):
        doc = copy.deepcopy(valid)
        fn(doc)
        return doc if keep_hash else rehash(doc)

    # A group of one position in I and one in J with r_G = 2: its 2 x 2 table has rank 2, so
    # some block of h holds both positions (blocks inside I or inside J alone give rank 1).
    pair = next(g for g, f in enumerate(factors) if len(f["positions"]) == 2 and len(f["rows"]) == 2
                and sum(pos in in_i for pos in f["positions"]) == 1)
    pair_factor = factors[pair]
    # Another group of the same kind: given the pair's positions, the two overlap while the
    # shapes of both matrices stay right.
    other = next(g for g, f in enumerate(factors) if g != pair and len(f["positions"]) == 2
                 and sum(pos in in_i for pos in f["positions"]) == 1)

    # Weights: the links construction's first GC layer uses Psi = weights[k1] (docs, "Producer").
    # One entry of Psi set to make it singular (rank 1): every link g = Psi^T Phi then has rank
    # 1, h is a product of functions of single positions and the whole submatrix has rank 1.
    # No certificate of rank >= 256 can hold on it; the file is well-formed (the weight is in
    # [0, p)), so it is refuted (step 3: a group's matrix is no multiple of its table).
    k1 = valid["construction"]["offsets"][0]
    psi = net["layers"][0]["weights"][k1]
    assert psi[1][1] % p, "Psi[1][1] is 0"
    singular = psi[0][1] * psi[1][0] * inverse(psi[1][1], p) % p
    assert singular != psi[0][0], "Psi already singular"

    def singular_link(d):
        d["network"]["layers"][0]["weights"][k1][0][0] = singular

    # A factor's minor: rows x cols of the same size r_G picking a singular minor of the group's
    # matrix (found here by det mod p = 0). The matrix is untouched, so step 3 holds; step 4
    # (the minor's determinant is nonzero) fails: refuted.
    singular_minor = None
    for g, f in enumerate(factors):
        rg, m = len(f["rows"]), f["matrix"]
        for rows in combinations(range(len(m)), rg):
            for cols in combinations(range(len(m[0])), rg):
                if det_mod([[m[i][j] for j in cols] for i in rows], p) == 0:
                    singular_minor = (g, list(rows), list(cols))
                    break
            if singular_minor:
                break
        if singular_minor:
            break
    assert singular_minor, "no group of SOURCE has a singular minor of its size"
    sg, srows, scols = singular_minor

    # The grouping: the pair group cut down to its position in I (a column, group inside I),
    # with the matrix the network's table would give at the other position's template 0 and the
    # claim halved (so that the claim is the product, and the file well-formed). The block of h
    # holding that position also holds the other (above): it crosses the new group's border,
    # step 3: refuted.
    a = next(pos for pos in pair_factor["positions"] if pos in in_i)
    column = [[row[0]] for row in pair_factor["matrix"]]  # rows: a's template; b's is 0
    nonzero = next(i for i, row in enumerate(column) if row[0])

    def split_group(d):
        d["factors"][pair] = {"positions": [a], "matrix": column, "rows": [nonzero], "cols": [0]}
        d["claim"]["rank_at_least"] = r // 2
        d["claim"]["statement"] = f"rank >= {r // 2} over GF({p})"

    # A factor's matrix: one entry changed. The matrix must be a nonzero multiple c T_G of the
    # group's table; T_G has rank 2, so at least two nonzero entries: a multiple c' T_G that
    # equals c T_G but at one entry has c' = c. Step 3: refuted.
    def matrix_entry(d):
        m = d["factors"][pair]["matrix"]
        m[0][1] = (m[0][1] + 1) % p

    return {
        "refuted-structured-weight-singular-link.json": edit(singular_link),
        # The same weight edited, the network hash left stale: step 1, malformed.
        "malformed-structured-stale-hash.json": edit(singular_link, keep_hash=True),
        # The readout all zeros: h is ZERO (a linear combination with every w_i = 0); step 2.
        "refuted-structured-zero-readout.json": edit(set_(["network", "readout"], [0] * len(net["readout"]))),
        "refuted-structured-group-split.json": edit(split_group),
        # Two groups with the same positions: groups must be pairwise disjoint (step 1).
        "malformed-structured-groups-overlap.json": edit(
            lambda d: d["factors"][other].__setitem__("positions", list(pair_factor["positions"]))),
        "refuted-structured-matrix-entry.json": edit(matrix_entry),
        # A matrix entry p: outside [0, p) (step 1).
        "malformed-structured-matrix-entry-out-of-range.json": edit(lambda d: d["factors"][pair]["matrix"][0].__setitem__(0, p)),
        # A matrix row dropped: not M^|G n I| rows (step 1).
        "malformed-structured-matrix-shape.json": edit(lambda d: d["factors"][pair]["matrix"].pop()),
        "refuted-structured-minor-singular.json": edit(
            lambda d: d["factors"][sg].update(rows=srows, cols=scols)),
        # A minor's row index past the matrix (step 1).
        "malformed-structured-minor-out-of-range.json": edit(
            lambda d: d["factors"][pair]["rows"].__setitem__(-1, len(pair_factor["matrix"]))),
        # rows and cols of different lengths (step 1).
        "malformed-structured-minor-lengths-differ.json": edit(lambda d: d["factors"][pair]["cols"].pop()),
        # The claim twice the product of the groups' r_G: the claim must be exactly the product
        # (step 1), so a larger claim is malformed, whatever the network's true rank.
        "malformed-structured-claim-exceeds-product.json": edit(
            lambda d: d["claim"].update(rank_at_least=2 * r, statement=f"rank >= {2 * r} over GF({p})")),
        "malformed-structured-version.json": edit(set_(["format_version"], 2)),
        "malformed-structured-index-order.json": edit(set_(["index_order"], "F")),
        # partition.vary is required in a structured certificate.
        "malformed-structured-no-vary.json": edit(lambda d: d["partition"].pop("vary")),
        "malformed-structured-no-factors.json": edit(set_(["factors"], [])),
    }


def main():
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "proofs/certificates/c4-2d-4x4-overlap.json")
    outdir = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "proofs/certificates/broken")
    valid = json.loads(source.read_text())
    for name, doc in breakers(valid).items():
        (outdir / name).write_text(json.dumps(doc) + "\n")
    for name, doc in binding_breakers(valid, source.parent).items():
        (outdir / name).write_text(json.dumps(rehash(doc)) + "\n")
    structured = json.loads((source.parent / "structured-c4-2d-6x6.json").read_text())
    for name, doc in structured_breakers(structured).items():
        (outdir / name).write_text(json.dumps(doc) + "\n")
    (outdir / "malformed-truncated-json.json").write_text(source.read_text()[: len(source.read_text()) // 2])
    (outdir / "malformed-empty.json").write_text("")
    # A byte order mark: nlohmann would skip it, Python's json refuses it; the format forbids it.
    (outdir / "malformed-byte-order-mark.json").write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    # A key given twice: JSON libraries disagree on which wins, so the format forbids it.
    text = json.dumps(valid)
    (outdir / "malformed-duplicate-key.json").write_text(text.replace('"format_version": 1', '"format_version": 1, "format_version": 1', 1) + "\n")


if __name__ == "__main__":
    main()
