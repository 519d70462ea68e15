#!/usr/bin/env python3
"""A prototype of the links construction (docs/structured-certificate.md, "Producer"), for the
tests of the structured checkers until `seprank certify --structured` exists.

links_certificate(...) builds a 2D network (or 1D with height 1) whose first GC layer carries
two drawn matrices at two window offsets and all-ones matrices elsewhere, every later layer and
the readout all ones, F the identity; it finds the groups with the Python checker's symbolic
evaluation and each group's minor by its own elimination, and returns the certificate.

dense_rank(...) is the independent cross-check: the rank of the varying submatrix at the same
weights from the checker's dense forward evaluation, entry by entry, and Gaussian elimination.

  python3 tests/structured_links.py --H 10 -o c4-h10.json   # C4 at H = 10, 2^16
"""
import argparse
import hashlib
import importlib.util
import json
import os
import random
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def checker_module():
    spec = importlib.util.spec_from_file_location("check_certificate", os.path.join(REPO, "checker", "check_certificate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def c4_shape(H, C):
    """C4's architecture on H x H and its left-right strip (proofs/C4.toml, first claim)."""
    layers = [(3, 1, C), (2, 2, C), ((H - 2) // 2, 1, C)]
    row = "0" * (H // 2 - 2) + "1111" + "0" * (H // 2 - 2)
    return (2, H, H), layers, "mask:" + row * (H - 2) + "0" * (2 * H)


def network(dims_h_w, layers, M, p, link_offsets, rng):
    dims, H, W = dims_h_w
    out, c_in, layer_objs = None, M, []
    for li, (R, S, C) in enumerate(layers):
        K = R * R if dims == 2 else R
        mats = []
        for k in range(K):
            if li == 0 and k in link_offsets:
                mats.append([[rng.randrange(1, p) for _ in range(c_in)] for _ in range(C)])
            else:
                mats.append([[1] * c_in for _ in range(C)])
        layer_objs.append({"kind": "gc", "window": R, "stride": S, "channels": C, "weights": mats})
        c_in = C
    return {"input": {"dims": dims, "height": H, "width": W}, "templates": M, "padding": "valid",
            "sharing": "conv", "representation": [[int(i == j) for j in range(M)] for i in range(M)],
            "layers": layer_objs, "readout": [1] * c_in}


def rank_and_minor(mat, p):
    """(rank, pivot rows, pivot columns) of a small matrix mod p, by elimination."""
    A = [row[:] for row in mat]
    rows, cols, r = [], [], 0
    order = list(range(len(A)))
    for c in range(len(A[0]) if A else 0):
        piv = next((i for i in range(r, len(A)) if A[i][c]), None)
        if piv is None:
            continue
        A[r], A[piv] = A[piv], A[r]
        order[r], order[piv] = order[piv], order[r]
        inv = pow(A[r][c], -1, p)
        for i in range(r + 1, len(A)):
            f = A[i][c] * inv % p
            if f:
                A[i] = [(a - f * b) % p for a, b in zip(A[i], A[r])]
        rows.append(order[r])
        cols.append(c)
        r += 1
    return r, sorted(rows), sorted(cols)


def links_certificate(dims_h_w, layers, M, spec, vary_spec, p=8388593, seed=1, link_offsets=(0, 2),
                      every_block=False):
    rng = random.Random(seed)
    net = network(dims_h_w, layers, M, p, link_offsets, rng)
    _, H, W = dims_h_w
    n = H * W
    I = sorted(i for i in range(n) if (i % W) < W // 2)
    mask = vary_spec[5:]
    varies = {i for i, ch in enumerate(mask) if ch == "1"}
    return structured_certificate(net, p, I, spec, vary_spec, varies, [0] * n, every_block)


def structured_certificate(net, p, I, spec, vary_spec, varies, fixed, every_block=False):
    """The certificate of `net` (at its weights) with a group per block of h that meets both
    sides (every block, with every_block); None when h is zero or there is no group."""
    cc = checker_module()
    dims, H, W, F, lays, readout = cc.parse_network(net, p)
    n, M = H * W, len(F)
    h = cc.symbolic_output(F, lays, readout, p, n, varies, fixed)
    if h is None:
        return None
    in_i, factors, r = set(I), [], 1
    for B, t in h[1]:
        GI, GJ = [q for q in B if q in in_i], [q for q in B if q not in in_i]
        if not every_block and (not GI or not GJ):
            continue  # inside one side: rank 1, no group needed
        stride = {pos: M ** (len(B) - 1 - j) for j, pos in enumerate(B)}

        def offsets(side):
            index = [0]
            for pos in side:
                index = [i + d * stride[pos] for i in index for d in range(M)]
            return index
        mat = [[t[a + b] for b in offsets(GJ)] for a in offsets(GI)]
        rank, rows, cols = rank_and_minor(mat, p)
        factors.append({"positions": list(B), "matrix": mat, "rows": rows, "cols": cols})
        r *= rank
    if not factors:
        return None
    canon = json.dumps(net, sort_keys=True, separators=(",", ":")).encode()
    J = [i for i in range(n) if i not in in_i]
    return {"format": "seprank-structured-certificate", "format_version": 1, "seprank_version": "prototype",
            "claim": {"statement": f"rank >= {r} over GF({p})", "rank_at_least": r, "field": "gfp", "prime": p},
            "network": net, "network_sha256": hashlib.sha256(canon).hexdigest(),
            "partition": {"I": I, "spec": spec,
                          "vary": {"spec": vary_spec, "fixed_templates": fixed,
                                   "I": [i for i in I if i in varies], "J": [j for j in J if j in varies]}},
            "index_order": "C", "factors": factors}


def dense_rank(cert):
    """The rank of the varying submatrix at the certificate's weights, entry by entry."""
    cc = checker_module()
    p = cert["claim"]["prime"]
    dims, H, W, F, layers, readout = cc.parse_network(cert["network"], p)
    n, M = H * W, len(F)
    vary = cert["partition"]["vary"]
    VI, VJ, fixed = vary["I"], vary["J"], vary["fixed_templates"]
    forward = cc.make_forward(F, layers, readout, p, n, M ** (len(VI) + len(VJ)))
    d = list(fixed)

    def assignments(side):
        out = [[]]
        for _ in side:
            out = [a + [t] for a in out for t in range(M)]
        return out
    E = []
    for a in assignments(VI):
        for pos, t in zip(VI, a):
            d[pos] = t
        line = []
        for b in assignments(VJ):
            for pos, t in zip(VJ, b):
                d[pos] = t
            line.append(forward(d))
        E.append(line)
    return rank_and_minor(E, p)[0]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--H", type=int, required=True)
    ap.add_argument("--C", type=int, default=2)
    ap.add_argument("--M", type=int, default=2)
    ap.add_argument("-o", required=True)
    a = ap.parse_args()
    t0 = time.time()
    shape, layers, vary = c4_shape(a.H, a.C)
    cert = links_certificate(shape, layers, a.M, "left-right", vary)
    with open(a.o, "w") as f:
        json.dump(cert, f)
    print(f"rank >= {cert['claim']['rank_at_least']} in {time.time() - t0:.2f} s", file=sys.stderr)
