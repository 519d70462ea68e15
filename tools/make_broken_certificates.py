#!/usr/bin/env python3
"""Derives deliberately broken certificates, one per kind of defect, from a valid one.

usage: python3 tools/make_broken_certificates.py [SOURCE] [OUTDIR]
Defaults: proofs/certificates/c4-2d-4x4-overlap.json -> proofs/certificates/broken/.
The file name says what both checkers must answer: refuted-* (exit 1), malformed-* (exit 2).
Where a defect is not about the hash, the hash is recomputed so that the checker's own
check of that defect is what rejects the file.
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


def main():
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "proofs/certificates/c4-2d-4x4-overlap.json")
    outdir = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "proofs/certificates/broken")
    valid = json.loads(source.read_text())
    for name, doc in breakers(valid).items():
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
