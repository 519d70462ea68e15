#!/usr/bin/env python3
"""The structured certificate (docs/structured-certificate.md) in the Python checker.

1. The symbolic evaluation is exact: on random small networks (random F and weights, zeros
   among them, conv/local/1x1 sharing, pool layers, same padding, 1D and 2D, random varying sets
   and fixed templates) the factored value of h equals the checker's dense forward evaluation at
   every assignment of the varying positions.
2. The links construction's certified rank equals the rank of the varying submatrix computed
   entry by entry and eliminated (C4 at H = 6, chains in 1D): the Kronecker identity, seen.
3. Every single edit of a valid certificate that breaks it is refused, with the right exit code:
   weights (hash updated), groups split or moved, matrix entries, minors, the claim, positions
   outside V; the checker's own size limit gives exit 4, never VERIFIED.

4. seprank-check agrees: both checkers verify certificates of random networks (a group per
   block) and give the same exit code on single edits of them.

5. `seprank certify --structured` reaches C4's closed-form bound on its strips (H = 6 to 16),
   and refuses where the links construction cannot apply.

Usage: python3 tests/test_structured_certificate.py [--seprank-check BINARY [--seprank BINARY]]
"""
import copy
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import structured_links as sl  # noqa: E402

cc = sl.checker_module()
CHECKER = os.path.join(sl.REPO, "checker", "check_certificate.py")
failures = []


def expect(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, flush=True)


def value_at(h, d, M):
    """A factored value at the assignment d (templates by linear position)."""
    if h is None:
        return 0
    kappa, blocks = h
    out = kappa
    for B, t in blocks:
        index = 0
        for pos in B:
            index = index * M + d[pos]
        out *= t[index]
    return out


def random_network(rng, p):
    dims = rng.choice((1, 2))
    H, W = (1, rng.randint(3, 7)) if dims == 1 else (rng.randint(2, 4), rng.randint(2, 4))
    M = rng.randint(1, 3)
    same = rng.random() < 0.3
    sharing = rng.choice(("conv", "local", "1x1"))
    h, w, c_in, layers = H, W, M, []
    while (h, w) != (1, 1) and len(layers) < 4:
        last = rng.random() < 0.4 or len(layers) == 3
        if last:  # one global layer (valid: it covers the whole map)
            R, S, pad = max(h, w) if dims == 2 else w, 1, False
            if dims == 2 and h != w:
                break
        else:
            R, S = rng.randint(1, 3), rng.randint(1, 2)
        Rh, Sh = (1, 1) if dims == 1 else (R, S)
        if same and not last:
            oh, ow = -(-h // Sh), -(-w // S)
        else:
            if h < Rh or w < R:
                break
            oh, ow = (h - Rh) // Sh + 1, (w - R) // S + 1
        pool = rng.random() < 0.2 and layers and not last
        C = c_in if pool else rng.randint(1, 3)
        if pool:
            layers.append({"kind": "pool", "window": R, "stride": S})
        else:
            K = Rh * R
            count = {"conv": K, "local": oh * ow * K, "1x1": 1}[sharing]

            def entry():
                return 0 if rng.random() < 0.25 else rng.randrange(p)
            layers.append({"kind": "gc", "window": R, "stride": S, "channels": C,
                           "weights": [[[entry() for _ in range(c_in)] for _ in range(C)] for _ in range(count)]})
        h, w, c_in = oh, ow, C
        if same and last:
            break
    if (h, w) != (1, 1) or not layers:
        return None
    net = {"input": {"dims": dims, "height": H, "width": W}, "templates": M,
           "padding": "same" if same else "valid", "sharing": sharing,
           "representation": [[rng.randrange(p) for _ in range(M)] for _ in range(M)],
           "layers": layers, "readout": [rng.randrange(p) for _ in range(c_in)]}
    try:
        cc.parse_network(net, p)
    except cc.Verdict:
        return None
    return net


def check_symbolic_exact(trials=300, seed=7):
    rng, p, done = random.Random(seed), 97, 0
    while done < trials:
        net = random_network(rng, p)
        if net is None:
            continue
        dims, H, W, F, layers, readout = cc.parse_network(net, p)
        n, M = H * W, len(F)
        varies = {i for i in range(n) if rng.random() < 0.7} or {0}
        while M ** len(varies) > 4096:
            varies.discard(max(varies))
        fixed = [rng.randrange(M) for _ in range(n)]
        h = cc.symbolic_output(F, layers, readout, p, n, varies, fixed)
        forward = cc.make_forward(F, layers, readout, p, n, 1)
        V = sorted(varies)
        for k in range(M ** len(V)):
            d = list(fixed)
            for pos in reversed(V):
                d[pos], k = k % M, k // M
            if value_at(h, d, M) % p != forward(d):
                expect(False, f"symbolic != dense on {json.dumps(net)[:200]} at {d}")
                break
        done += 1
    print(f"symbolic evaluation equals the dense forward pass on {trials} random networks")


def check_ranks():
    cases = []
    for C in (1, 2, 3):
        shape, layers, vary = sl.c4_shape(6, C)
        cases.append(("C4 H=6 C=%d" % C, shape, layers, 2, vary, (0, 2)))
    for N, R, C, M, offs in ((8, 3, 2, 2, (0, 2)), (10, 4, 2, 3, (0, 3)), (9, 3, 3, 2, (0, 1))):
        cases.append((f"1D N={N} R={R} C={C} M={M}", (1, 1, N), [(R, 1, C), (N - R + 1, 1, C)], M,
                      "mask:" + "1" * N, offs))
    for name, shape, layers, M, vary, offs in cases:
        cert = sl.links_certificate(shape, layers, M, "left-right", vary, seed=len(name), link_offsets=offs,
                                    every_block=True)
        r, dense = cert["claim"]["rank_at_least"], sl.dense_rank(cert)
        expect(r == dense, f"{name}: structured rank {r}, dense rank at the same weights {dense}")
        print(f"{name}: structured {r} = dense {dense}")


SEPRANK_CHECK = None  # the C++ checker, when given: run on every edit too, with the same exit code


def run(doc, cpp=True):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    try:
        out = subprocess.run([sys.executable, CHECKER, f.name], capture_output=True, text=True, timeout=600)
        if SEPRANK_CHECK and cpp:
            other = subprocess.run([SEPRANK_CHECK, f.name], capture_output=True, text=True, timeout=600)
            expect(other.returncode == out.returncode,
                   f"seprank-check exits {other.returncode} ({other.stdout.strip()}), the Python checker"
                   f" {out.returncode} ({out.stdout.strip()})")
        return out.returncode, out.stdout.strip()
    finally:
        os.unlink(f.name)


def rehash(doc):
    doc["network_sha256"] = hashlib.sha256(
        json.dumps(doc["network"], sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return doc


def check_edits():
    shape, layers, vary = sl.c4_shape(8, 2)
    good = sl.links_certificate(shape, layers, 2, "left-right", vary, seed=3)
    code, line = run(good)
    expect(code == 0 and line.startswith("VERIFIED: rank >= 4096 "), f"the good certificate: {code} {line}")
    p = good["claim"]["prime"]

    def edit(name, want, change):
        doc = copy.deepcopy(good)
        change(doc)
        code, line = run(doc)
        expect(code == want, f"{name}: exit {code}, expected {want} ({line})")

    g0 = good["factors"][0]
    edit("claim one more", 2, lambda d: d["claim"].__setitem__("rank_at_least", 4097))
    edit("weight edited, hash stale", 2, lambda d: d["network"]["layers"][1]["weights"][0][0].__setitem__(0, 2))
    # A second-layer weight of 0 removes links: the groups no longer match what the network is.
    edit("weights edited, hash updated", 1,
         lambda d: (d["network"]["layers"][0]["weights"][0].__setitem__(1, [0, 0]), rehash(d)))
    # Group 0 ({a in I, b in J}) cut down to {a}, with the matrix a checker would compute if it
    # let the network's factor stick out of the group (b held at template 0), the claim halved.
    column = [[row[0]] for row in g0["matrix"]]
    nonzero = next(i for i, row in enumerate(column) if row[0])
    edit("group split", 1,
         lambda d: (d["factors"].__setitem__(0, {"positions": g0["positions"][:1], "matrix": column,
                                                   "rows": [nonzero], "cols": [0]}),
                    d["claim"].__setitem__("rank_at_least", 2048)))
    edit("matrix entry", 1, lambda d: d["factors"][0]["matrix"][0].__setitem__(0, (g0["matrix"][0][0] + 1) % p))
    edit("matrix scaled (valid)", 0,
         lambda d: d["factors"][0].__setitem__("matrix", [[3 * x % p for x in row] for row in g0["matrix"]]))
    edit("minor singular", 1, lambda d: d["factors"][0].__setitem__("matrix", [[1, 1], [1, 1]]))
    edit("rows repeated", 2, lambda d: d["factors"][0].__setitem__("rows", [0, 0]))
    edit("position outside V", 2, lambda d: d["factors"][0]["positions"].__setitem__(0, 0))
    edit("groups overlap", 2, lambda d: d["factors"][1].__setitem__("positions", g0["positions"]))
    edit("no vary", 2, lambda d: d["partition"].pop("vary"))
    edit("format version", 2, lambda d: d.__setitem__("format_version", 2))
    edit("zero readout", 1, lambda d: (d["network"].__setitem__("readout", [0, 0]), rehash(d)))
    big = copy.deepcopy(good)
    big["factors"][0]["matrix"] = [[0] * (1 << 8) for _ in range(1 << 7)]
    code, line = run(big)
    expect(code == 2, f"a matrix of the wrong shape: {code} {line}")
    print("edits: each refused with its exit code")


def check_too_large():
    """A 1D chain of 15 varying positions: a table of 2^15 entries, beyond this checker."""
    N, p = 16, 8388593
    # Links (0, 1) chain every position: one block over all 16.
    cert_net = sl.network((1, 1, N), [(2, 1, 2), (N - 1, 1, 2)], 2, p, (0, 1), random.Random(5))
    I = list(range(N // 2))
    doc = rehash({"format": "seprank-structured-certificate", "format_version": 1, "seprank_version": "test",
                  "claim": {"statement": "", "rank_at_least": 2, "field": "gfp", "prime": p},
                  "network": cert_net, "network_sha256": "",
                  "partition": {"I": I, "spec": "left-right",
                                "vary": {"spec": "all", "fixed_templates": [0] * N, "I": I,
                                         "J": list(range(N // 2, N))}},
                  "index_order": "C",
                  "factors": [{"positions": [7, 8], "matrix": [[1, 0], [0, 1]], "rows": [0, 1], "cols": [0, 1]}]})
    code, line = run(doc, cpp=False)  # seprank-check's limits are larger: it answers (refuted)
    expect(code == 4 and "too large for this checker" in line, f"a table of 2^16 entries: {code} {line}")
    print(f"too large: exit {code}")


def check_differential(seprank_check, trials=150, seed=11):
    """seprank-check and the Python checker give the same exit code on certificates of random
    networks (every block a group: both VERIFIED) and on single edits of them."""
    rng, done, codes = random.Random(seed), 0, {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.json")

        def both(doc):
            with open(path, "w") as f:
                json.dump(doc, f)
            py = cc.main(["check_certificate.py", path])
            cpp = subprocess.run([seprank_check, path], capture_output=True, text=True, timeout=600)
            return py[0], cpp.returncode, py[1], cpp.stdout.strip()

        while done < trials:
            p = rng.choice((97, 8388593))
            net = random_network(rng, p)
            if net is None or net["input"]["width"] < 2:
                continue
            H, W = net["input"]["height"], net["input"]["width"]
            n, M = H * W, net["templates"]
            I = [i for i in range(n) if i % W < W // 2]
            V = sorted(i for i in range(n) if rng.random() < 0.7)
            while V and M ** len(V) > 4096:
                V.pop()
            if not any(i in I for i in V) or all(i in I for i in V):
                continue
            fixed = [rng.randrange(M) for _ in range(n)]
            cert = sl.structured_certificate(net, p, I, "left-right", "indices:" + ",".join(map(str, V)), set(V),
                                             fixed, every_block=True)
            if cert is None:
                continue
            py, cpp, pl, cl = both(cert)
            expect(py == 0 and cpp == 0, f"random certificate: python {py} ({pl}), seprank-check {cpp} ({cl})")
            edits = []
            gc = [l for l in cert["network"]["layers"] if l["kind"] == "gc"]
            if gc:
                doc = copy.deepcopy(cert)
                layer = rng.choice([l for l in doc["network"]["layers"] if l["kind"] == "gc"])
                m = rng.choice(layer["weights"])
                row = rng.choice(m)
                row[rng.randrange(len(row))] = rng.randrange(p)
                edits.append(("weight", rehash(doc)))
            doc = copy.deepcopy(cert)
            f = rng.choice(doc["factors"])
            line = rng.choice(f["matrix"])
            line[rng.randrange(len(line))] = rng.randrange(p)
            edits.append(("matrix", doc))
            for name, doc in edits:
                py, cpp, pl, cl = both(doc)
                codes[py] = codes.get(py, 0) + 1
                expect(py == cpp, f"{name} edit: python {py} ({pl}), seprank-check {cpp} ({cl})")
            done += 1
    print(f"differential: {trials} random certificates verified by both; edits' exit codes {sorted(codes.items())}"
          " equal in both")


def check_producer(seprank):
    """`seprank certify --structured`: C4's strip reaches the closed-form bound
    min(M, C)^(2(H-2)) of proofs/C4.toml's derivation at H = 6, 10, 16, both checkers verify it;
    where the construction cannot apply, exit 65 and no file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s.json")
        for H, M, C in ((6, 2, 2), (6, 3, 2), (10, 2, 2), (16, 2, 2), (8, 2, 3)):
            row = "0" * (H // 2 - 2) + "1111" + "0" * (H // 2 - 2)
            mask = "mask:" + row * (H - 2) + "0" * (2 * H)
            got = subprocess.run([seprank, "certify", "--structured", "--input", f"{H}x{H}", "--templates", str(M),
                                  "--layers", f"3/1/{C},2/2/{C},{(H - 2) // 2}/1/{C}", "--partition", "left-right",
                                  "--vary", mask, "--prime", "fast", "-o", out, "--force", "--json"],
                                 capture_output=True, text=True, timeout=600)
            bound = min(M, C) ** (2 * (H - 2))
            rank = json.loads(got.stdout)["rank"] if got.returncode == 0 else None
            expect(rank == bound, f"C4 H={H} M={M} C={C}: certify --structured exits {got.returncode}, rank {rank},"
                                  f" expected {bound} ({got.stderr.strip()})")
            if got.returncode == 0:
                with open(out) as f:
                    code, line = run(json.load(f))
                expect(code == 0 and line.startswith(f"VERIFIED: rank >= {bound} "), f"C4 H={H}: {code} {line}")
        for why, args in (("pool first", ["--input", "6", "--layers", "pool2/1,5/1/2"]),
                          ("1x1 sharing", ["--input", "6", "--layers", "3/1/2,4/1/2", "--sharing", "1x1"]),
                          ("window 1", ["--input", "6", "--layers", "1/1/2,6/1/2"])):
            got = subprocess.run([seprank, "certify", "--structured", *args, "-o", out, "--force"],
                                 capture_output=True, text=True, timeout=600)
            expect(got.returncode == 65 and "does not apply" in got.stderr,
                   f"{why}: exit {got.returncode} ({got.stderr.strip()})")
        got = subprocess.run([seprank, "certify", "--structured", "--input", "6", "--layers", "3/1/2,4/1/2",
                              "--field", "Q", "-o", out, "--force"], capture_output=True, text=True, timeout=600)
        expect(got.returncode == 64, f"--structured --field Q: exit {got.returncode} ({got.stderr.strip()})")
    print("producer: C4 strips at the closed-form bound, checked by both; refusals exit 65/64")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--seprank-check":
        SEPRANK_CHECK = sys.argv[2]
    if len(sys.argv) == 5 and sys.argv[3] == "--seprank":
        check_producer(sys.argv[4])
    check_symbolic_exact()
    check_ranks()
    check_edits()
    check_too_large()
    if SEPRANK_CHECK:
        check_differential(SEPRANK_CHECK)
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)
    print("all passed")
