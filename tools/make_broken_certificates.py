#!/usr/bin/env python3
"""Derives deliberately broken certificates, one per kind of defect, from a valid one.

usage: python3 tools/make_broken_certificates.py [SOURCE] [OUTDIR]
Defaults: proofs/certificates/c4-2d-4x4-overlap.json -> proofs/certificates/broken/.
The file name says what both checkers must answer: refuted-* (exit 1), malformed-* (exit 2).
Where a defect is not about the hash, the hash is recomputed so that the checker's own
check of that defect is what rejects the file.

The malformed-binding-* files break the binding of the index sets to their names
(partition.spec, partition.vary): each is a consistent certificate in every other respect,
derived from SOURCE or from the committed vary-auto-2d-5x5-left-right.json,
indices-2d-3x3-two-columns.json and global-1d-mask.json (next to SOURCE);
tests/test_certificate_binding.cpp asserts what each checker's message names.
"""
import copy
import hashlib
import json
import pathlib
import sys


def rehash(doc):
    canonical = json.dumps(doc["network"], sort_keys=True, separators=(",", ":"))
    doc["network_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    return doc


def breakers(valid):
    p = valid["claim"]["prime"]
    r = valid["claim"]["rank_at_least"]

    def edit(fn, keep_hash=False):
        doc = copy.deepcopy(valid)
        fn(doc)
        return doc if keep_hash else rehash(doc)

    def set_(path, value):
        def apply(doc):
            target = doc
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        return apply

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


def main():
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "proofs/certificates/c4-2d-4x4-overlap.json")
    outdir = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "proofs/certificates/broken")
    valid = json.loads(source.read_text())
    for name, doc in breakers(valid).items():
        (outdir / name).write_text(json.dumps(doc) + "\n")
    for name, doc in binding_breakers(valid, source.parent).items():
        (outdir / name).write_text(json.dumps(rehash(doc)) + "\n")
    (outdir / "malformed-truncated-json.json").write_text(source.read_text()[: len(source.read_text()) // 2])
    (outdir / "malformed-empty.json").write_text("")
    # A byte order mark: nlohmann would skip it, Python's json refuses it; the format forbids it.
    (outdir / "malformed-byte-order-mark.json").write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    # A key given twice: JSON libraries disagree on which wins, so the format forbids it.
    text = json.dumps(valid)
    (outdir / "malformed-duplicate-key.json").write_text(text.replace('"format_version": 1', '"format_version": 1, "format_version": 1', 1) + "\n")


if __name__ == "__main__":
    main()
