#!/usr/bin/env python3
"""Independent checker for seprank's evidence: certificates (docs/certificate-format.md),
structured certificates (docs/structured-certificate.md), cut witnesses (docs/cut-witness.md),
all version 1, and proof bundles (docs/proof-bundle.md), version 2.

Usage: python3 checker/check_certificate.py FILE
       python3 checker/check_certificate.py --bundle DIR
       python3 checker/check_certificate.py --help | --version
       python3 checker/check_certificate.py --limits   (the size limits, one "name value" a line)

FILE is a certificate, a structured certificate or a cut witness, told apart by its "format" key.
- A certificate ("rank >= r over GF(p)"): recomputes the r x r selected entries of the
  grid-tensor matricization by its own forward evaluation of the network written in it, and
  their determinant modulo p; checks that the recorded index sets are those partition.spec and
  partition.vary name.
- A structured certificate ("rank >= r" for r far beyond a dense minor): evaluates the network
  at its particular weights symbolically, as products of small tables over disjoint groups of
  positions; checks that the recorded groups are unions of those, that each group's matrix is a
  multiple of the network's factor, and each group's minor is nonzero: rank >= their product.
- A cut witness ("rank <= B for all weights"): builds the unrolled tensor network of the
  architecture itself, removes the cut items, checks that no input of I is still connected to
  an input of J, and that the items' costs multiply to B.
- A bundle: re-checks every piece of evidence, recomputes every verdict from its numbers, and
  re-reads each theorem file (tomllib) to evaluate every bound and hypothesis with exact
  rationals (fractions), expanding its instances and templates.
Standard library only; it shares no code with the C++ tools, on purpose.

Prints exactly one verdict line on stdout and exits with
  0  VERIFIED: ...
  1  NOT VERIFIED: refuted (a zero or mismatched determinant, a cut that does not separate or
     whose costs multiply to another number, a wrong verdict or value in a bundle)
  2  NOT VERIFIED: malformed (also: internal error, which should not happen)
  3  NOT VERIFIED: a file cannot be read (or the command line is wrong)
  4  NOT VERIFIED: too large for this checker (a structured certificate beyond its limits;
     says nothing about the certificate's correctness)
"""
import os
import sys


def last_resort(kind, value, traceback):
    """sys.excepthook of the command: an exception outside run() (out of memory while the
    modules below load, say) still ends in one verdict line and exit 2, not a traceback and 1."""
    os.write(1, b"NOT VERIFIED: internal error: out of memory\n" if issubclass(kind, MemoryError)
             else b"NOT VERIFIED: internal error\n")
    os._exit(2)


if __name__ == "__main__":
    sys.excepthook = last_resort

import hashlib
import json
import math
import re
import stat
from fractions import Fraction
from itertools import product
from operator import mul

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))  # expressions nest 200 deep, ~15 frames a level
VERSION = "check_certificate.py 0.2.0 (certificate and cut witness format 1, proof bundle format 2)"
# Version-1 size limits, checked before anything proportional to them is built.
MAX_R, MAX_POSITIONS, MAX_M, MAX_CHANNELS, MAX_LAYERS, MAX_WEIGHTS = 16384, 1024, 64, 4096, 64, 10**6
MAX_NETWORK = 10**6  # vertices + edges of a witness's unrolled network (docs/cut-witness.md)
MAX_CUT_ITEMS = 10**6
MAX_READINGS = 2 * 10**6  # reachable within MAX_NETWORK only through stacked pool layers
MAX_DEPTH = 256  # arrays and objects nested deeper are malformed anywhere in the document
# Every file read (certificate, witness, manifest, theorem copy) is a regular file of at most
# 256 MiB: over three times the largest certificate the limits allow (docs/certificate-format.md).
MAX_FILE_BYTES = 256 << 20
CACHE_BUDGET = 1 << 21  # integers kept in memoized unit outputs (see make_forward)
MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)  # exact for n < 3.3e24
KINDS = {bool: "a boolean", float: "a non-integer number", str: "a string", list: "an array",
         dict: "an object", type(None): "null", int: "an integer"}
HEX64 = re.compile(r"[0-9a-f]{64}\Z")


class Verdict(Exception):
    """Verdict(exit code, message) ends the check with that verdict."""


def malformed(path, why):
    return Verdict(2, f"malformed: {path}: {why}")


def show(v):
    """A short, ASCII-only rendering of a JSON value for messages."""
    try:
        s = json.dumps(v)
    except (ValueError, RecursionError, TypeError):  # e.g. an integer too long to print
        s = KINDS.get(type(v), "?")
    return s if len(s) <= 48 else s[:30] + "..." + s[-10:]


def typed(v, path, typ):
    # Exact type test: JSON true/false parse to bool, a subclass of int, and must not pass as one.
    if type(v) is not typ:
        raise malformed(path, f"expected {KINDS[typ]}, got {KINDS.get(type(v), '?')}")
    return v


def integer(v, path, lo, hi=None):
    """An integer in [lo, hi) (hi=None: no upper bound)."""
    if typed(v, path, int) < lo or (hi is not None and v >= hi):
        raise malformed(path, f"value {show(v)} not in [{lo}, {'inf' if hi is None else hi})")
    return v


def choice(v, path, *options):
    if type(v) not in (str, int) or v not in options:  # type first: true == 1 in Python
        raise malformed(path, f"expected {' or '.join(map(show, options))}, got {show(v)}")
    return v


def array(v, path, length=None, limit=None):
    n = len(typed(v, path, list))
    if length is not None and n != length:
        raise malformed(path, f"has length {n}, expected {length}")
    if limit is not None and n > limit:
        raise malformed(path, f"has length {n}, more than the limit {limit}")
    return v


def int_row(v, path, length, hi):
    if not all(type(x) is int and 0 <= x < hi for x in array(v, path, length)):
        for i, x in enumerate(v):  # the fast test failed: name the culprit
            integer(x, f"{path}[{i}]", 0, hi)
    return v


def matrix(v, path, rows, cols, hi):
    return [int_row(row, f"{path}[{i}]", cols, hi) for i, row in enumerate(array(v, path, rows))]


def obj(v, path, required, closed=False):
    missing = [k for k in required if k not in typed(v, path, dict)]
    if missing:
        raise malformed(path, f"missing required key {show(missing[0])}")
    unknown = [k for k in v if k not in required] if closed else []
    if unknown:  # inside `network` every key is hashed, so none may be unknown
        raise malformed(path, f"unknown key {show(unknown[0])}")
    return v


def big_int(digits):
    """int() of a decimal string of any length (int() alone refuses more than 4300 digits)."""
    if len(digits) <= 2000:
        return int(digits)
    half = len(digits) // 2
    return big_int(digits[:half]) * 10 ** (len(digits) - half) + big_int(digits[half:])


def decimal(v, path, lo=None):
    """A JSON string holding an integer in plain decimal (no '+', no leading zero, no "-0")."""
    if not re.fullmatch(r"0|-?[1-9][0-9]*", typed(v, path, str), re.ASCII):
        raise malformed(path, f"{show(v)} is not an integer in decimal (no sign but '-', no leading zero)")
    value = big_int(v)
    if lo is not None and value < lo:
        raise malformed(path, f"{show(v)} is less than {lo}")
    return value


def canonical(value):
    """Type-exact comparison key of JSON values (true != 1)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)  # repr: TOML dates


def product_of(values):
    """The exact product, balanced (a million costs multiply in a blink this way)."""
    values = list(values)
    while len(values) > 1:
        values = [values[i] * values[i + 1] if i + 1 < len(values) else values[i]
                  for i in range(0, len(values), 2)]
    return values[0] if values else 1


def is_prime(n):
    if n < 2:
        return False
    for b in MR_BASES:
        if n % b == 0:
            return n == b
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for b in MR_BASES:
        x = pow(b, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


# ---- Geometry (docs/certificate-format.md "Geometry"), shared by certificates and witnesses ----
class Layer:
    """One layer, resolved: units[u] = [(offset k, input unit or position)] for the offsets
    inside the map, row-major; K = offsets per unit (window area); C_in, C = channels."""

    def __init__(self, path, pool, K, C_in, C, units):
        self.path, self.pool, self.K, self.C_in, self.C, self.units = path, pool, K, C_in, C, units


def axis(n, R, S, same, path):
    """(out, pad_before) of one spatial axis."""
    if not same:
        if n < R:
            raise malformed(path, f"window {show(R)} exceeds the input extent {n} (valid padding)")
        return (n - R) // S + 1, 0
    out = -(-n // S)
    return out, max((out - 1) * S + R - n, 0) // 2  # TensorFlow: the smaller half before


def parse_input(v, path):
    inp = obj(v, path, ("dims", "height", "width"), closed=True)
    dims = choice(inp["dims"], path + ".dims", 1, 2)
    H = integer(inp["height"], path + ".height", 1, MAX_POSITIONS + 1)
    W = integer(inp["width"], path + ".width", 1, MAX_POSITIONS + 1)
    if dims == 1 and H != 1:
        raise malformed(path + ".height", f"is {H}, must be 1 when dims is 1")
    if H * W > MAX_POSITIONS:
        raise malformed(path, f"{H}x{W} positions, more than the limit {MAX_POSITIONS}")
    return dims, H, W


def parse_layers(v, path, dims, H, W, M, same, weights):
    """The layers' geometry; `weights`: gc layers carry a `weights` key (certificates)."""
    if not array(v, path, limit=MAX_LAYERS):
        raise malformed(path, "no layers")
    h, w, C_in, layers = H, W, M, []
    for li, spec in enumerate(v):
        lp = f"{path}[{li}]"
        pool = choice(obj(spec, lp, ("kind",))["kind"], lp + ".kind", "gc", "pool") == "pool"
        keys = ("kind", "window", "stride") + (() if pool else ("channels", "weights") if weights else ("channels",))
        obj(spec, lp, keys, closed=True)
        R = integer(spec["window"], lp + ".window", 1, 2**64)  # the spec's range: 64-bit, as in C++
        S = integer(spec["stride"], lp + ".stride", 1, 2**64)
        Rh, Sh = (1, 1) if dims == 1 else (R, S)
        oh, pby = axis(h, Rh, Sh, same, lp + ".window")
        ow, pbx = axis(w, R, S, same, lp + ".window")
        C = C_in if pool else integer(spec["channels"], lp + ".channels", 1, MAX_CHANNELS + 1)
        units = []
        for uy in range(oh):  # units and offsets row-major; offsets off the map left out
            for ux in range(ow):  # (R may be huge under `same`: only in-map offsets are iterated)
                y0, x0 = uy * Sh - pby, ux * S - pbx
                units.append([(oy * R + ox, (y0 + oy) * w + x0 + ox)
                              for oy in range(max(0, -y0), min(Rh, h - y0))
                              for ox in range(max(0, -x0), min(R, w - x0))])
        layers.append(Layer(lp, pool, Rh * R, C_in, C, units))
        h, w, C_in = oh, ow, C
    if (h, w) != (1, 1):
        raise malformed(path, f"the last layer leaves {h}x{w} positions, not 1")
    return layers


def parse_architecture(arch, path, sharing=False):
    """A witness's `architecture` (a bundle entry's has `sharing` too): (dims, H, W, M, layers)."""
    obj(arch, path, ("input", "templates", "padding", "layers") + (("sharing",) if sharing else ()), closed=True)
    dims, H, W = parse_input(arch["input"], path + ".input")
    M = integer(arch["templates"], path + ".templates", 1, MAX_M + 1)
    same = choice(arch["padding"], path + ".padding", "valid", "same") == "same"
    if sharing:
        choice(arch["sharing"], path + ".sharing", "conv", "local", "1x1")
    return dims, H, W, M, parse_layers(arch["layers"], path + ".layers", dims, H, W, M, same, weights=False)


def parse_network(net, p):
    """Validates a certificate's `network`; returns (dims, H, W, F, layers, readout), each layer
    being (units, weight matrices or None for pool, channels), units[u] = [(input position, matrix)]."""
    obj(net, "network", ("input", "templates", "padding", "sharing", "representation", "layers",
                         "readout"), closed=True)
    dims, H, W = parse_input(net["input"], "network.input")
    M = integer(net["templates"], "network.templates", 1, MAX_M + 1)
    same = choice(net["padding"], "network.padding", "valid", "same") == "same"
    sharing = choice(net["sharing"], "network.sharing", "conv", "local", "1x1")
    F = matrix(net["representation"], "network.representation", M, M, p)
    geometry = parse_layers(net["layers"], "network.layers", dims, H, W, M, same, weights=True)
    total, layers = 0, []
    for lay, spec in zip(geometry, net["layers"]):
        mats = None
        if not lay.pool:
            count = {"conv": lay.K, "local": len(lay.units) * lay.K, "1x1": 1}[sharing]
            total += count * lay.C * lay.C_in
            if total > MAX_WEIGHTS:  # before touching the array
                raise malformed(lay.path + ".weights", f"weights total more than {MAX_WEIGHTS} entries")
            mats = [matrix(m, f"{lay.path}.weights[{i}]", lay.C, lay.C_in, p)
                    for i, m in enumerate(array(spec["weights"], lay.path + ".weights", count))]
        units = [[(pos, None if lay.pool else {"conv": k, "local": u * lay.K + k, "1x1": 0}[sharing])
                  for k, pos in pairs] for u, pairs in enumerate(lay.units)]
        layers.append((units, mats, lay.C))
    return dims, H, W, F, layers, int_row(net["readout"], "network.readout", geometry[-1].C, p)


# ---- Certificates ----
def make_forward(F, layers, readout, p, positions, lookups):
    """h(d) for a full assignment d (templates by linear position), all modulo p.

    The r*r entries share most of their templates, so a unit's output is memoized by the
    templates of its receptive field when that key space is smaller than the number of
    lookups (else nothing can repeat) and fits a memory budget."""
    M, budget, plan = len(F), CACHE_BUDGET, []
    fields = [[i] for i in range(positions)]  # the input positions each unit depends on
    for units, mats, C in layers:
        fields = [sorted({i for pos, _ in pairs for i in fields[pos]}) for pairs in units]
        memo = []
        for field in fields:
            keys = M ** len(field)
            cache = keys < lookups and keys * C <= budget
            budget -= keys * C if cache else 0
            memo.append({} if cache else None)
        plan.append((units, mats, C, fields, memo))
    # The first layer sees only rows of F: W*F[t] once per (matrix, template).
    table = None if layers[0][1] is None else [
        [[sum(map(mul, row, f)) % p for row in m] for f in F] for m in layers[0][1]]

    def forward(d):
        done = {}  # units computed in this pass: overlapping windows share inputs

        def value(l, u):
            got = done.get((l, u))
            if got is not None:
                return got
            units, mats, C, rf, memo = plan[l]
            key = None if memo[u] is None else tuple([d[i] for i in rf[u]])
            if key is not None:
                got = memo[u].get(key)
            if got is None:
                acc = None
                for pos, m in units[u]:
                    if l == 0:
                        v = F[d[pos]] if mats is None else table[m][d[pos]]
                    else:
                        v = value(l - 1, pos)
                        if mats is not None:
                            v = [sum(map(mul, row, v)) % p for row in mats[m]]
                    acc = v if acc is None else [a * b % p for a, b in zip(acc, v)]
                got = [1] * C if acc is None else acc  # empty product (same padding)
                if key is not None:
                    memo[u][key] = got
            done[(l, u)] = got
            return got
        return sum(map(mul, readout, value(len(plan) - 1, 0))) % p
    return forward


def det_mod(E, p):
    """(determinant mod p, first column that depends on the earlier ones or None), by
    Gaussian elimination with row swaps only; E is overwritten."""
    n, det = len(E), 1
    for c in range(n):
        piv = next((i for i in range(c, n) if E[i][c]), None)
        if piv is None:
            return 0, c
        if piv != c:
            E[c], E[piv], det = E[piv], E[c], -det
        top = E[c]
        det = det * top[c] % p
        inv = pow(top[c], -1, p)
        for i in range(c + 1, n):
            f = E[i][c] * inv % p
            if f:
                E[i][c:] = [(a - f * b) % p for a, b in zip(E[i][c:], top[c:])]
    return det % p, None


def named_set(spec, n, path):
    """The positions named by "mask:<0/1 per position>" or "indices:<i,j,...>" (the syntax of
    docs/certificate-format.md), or None for any other string."""
    if spec.startswith("mask:"):
        mask = spec[5:]
        if len(mask) != n:
            raise malformed(path, f"the mask has {len(mask)} characters, the input {n} positions")
        bad = next((ch for ch in mask if ch not in "01"), None)
        if bad is not None:
            raise malformed(path, f"mask character {show(bad)} is not 0 or 1")
        return {i for i, ch in enumerate(mask) if ch == "1"}
    if not spec.startswith("indices:"):
        return None
    named = set()
    for item in spec[8:].split(","):  # ASCII digits only: str.isdigit and int() accept more
        if not item or any(ch not in "0123456789" for ch in item) or (len(item) > 1 and item[0] == "0"):
            raise malformed(path, f"{show(item)} is not an index (decimal digits, no sign, no leading zero)")
        if len(item) > len(str(n)) or int(item) >= n:
            raise malformed(path, f"index {show(item)} is not in [0, {n})")
        if int(item) in named:
            raise malformed(path, f"index {item} appears twice")
        named.add(int(item))
    return named


def check_partition_spec(spec, I, H, W, dims, path="partition.spec"):
    """partition.spec must name exactly partition.I (docs/model.md "Partitions")."""
    n = H * W
    typed(spec, path, str)
    if spec == "left-right" or (spec == "top-bottom" and dims == 1):
        named = {i for i in range(n) if i % W < W // 2}
    elif spec == "top-bottom":
        named = {i for i in range(n) if i // W < H // 2}
    elif spec == "odd-even":
        named = {i for i in range(n) if (i // W + i % W) % 2 == 0}
    else:
        named = named_set(spec, n, path)
        if named is None:
            raise malformed(path, f"{show(spec)} is not a partition name"
                                  " (left-right, top-bottom, odd-even, mask:..., indices:...)")
    if sorted(named) != I:
        raise malformed(path, f"{show(spec)} names I = {fmt(sorted(named))} on the {H}x{W} input,"
                              f" but partition.I records {fmt(I)}")


def parse_partition(partition, H, W, dims, path="partition", spec_required=False):
    """(I, J) of a certificate's, witness's or bundle entry's `partition`; `spec` bound to I."""
    obj(partition, path, ("I", "spec") if spec_required else ("I",))
    I = array(partition["I"], path + ".I", limit=H * W)
    for t, i in enumerate(I):
        if integer(i, f"{path}.I[{t}]", 0, H * W) <= (I[t - 1] if t else -1):
            raise malformed(f"{path}.I[{t}]", f"{i} after {I[t - 1]}: not strictly increasing")
    if not 0 < len(I) < H * W:
        raise malformed(path + ".I", "I and J must both be non-empty")
    if "spec" in partition:  # optional in certificates and witnesses
        check_partition_spec(partition["spec"], I, H, W, dims, path + ".spec")
    return I, sorted(set(range(H * W)) - set(I))


def check_vary(vary, I, J, n, M, first_layer_units, rows, cols):
    """partition.vary: the varying sets are those its spec names, and every evidence row and
    column holds the fixed template wherever its position does not vary."""
    path = "partition.vary"
    obj(vary, path, ("spec", "fixed_templates", "I", "J"))
    spec = typed(vary["spec"], path + ".spec", str)
    fixed = int_row(vary["fixed_templates"], path + ".fixed_templates", n, M)
    if spec == "all":
        varies = set(range(n))
    elif spec == "auto":  # units of layer 1 whose window meets both sides
        in_i, varies = set(I), set()
        for pairs in first_layer_units:
            window = {pos for pos, _ in pairs}
            if window & in_i and window - in_i:
                varies |= window
    else:
        varies = named_set(spec, n, path + ".spec")
        if varies is None:
            raise malformed(path + ".spec", f"{show(spec)} is not a submatrix specification"
                                            " (all, auto, mask:..., indices:...)")
    for key, side in (("I", I), ("J", J)):
        recorded = [integer(x, f"{path}.{key}[{t}]", 0, n)
                    for t, x in enumerate(array(vary[key], f"{path}.{key}"))]
        expected = [pos for pos in side if pos in varies]
        if recorded != expected:
            raise malformed(f"{path}.{key}", f"records {fmt(recorded)}, but vary.spec {show(spec)}"
                                             f" varies {fmt(expected)} of {key}")
        if not expected:
            raise malformed(f"{path}.{key}", f"no position of {key} varies under vary.spec {show(spec)}")
    for key, side, assignments in (("rows", I, rows), ("cols", J, cols)):
        for i, a in enumerate(assignments):
            for t, pos in enumerate(side):
                if pos not in varies and a[t] != fixed[pos]:
                    raise malformed(f"evidence.{key}[{i}][{t}]",
                                    f"position {pos} does not vary (partition.vary), so it must hold the"
                                    f" fixed template {fixed[pos]}, not {a[t]}: the minor is not inside"
                                    f" the recorded submatrix")
    return varies, fixed


def fmt(positions):
    return "[" + ",".join(map(str, positions)) + "]"


def check_certificate(doc):
    """(verdict line, facts a bundle compares with its entry)."""
    obj(doc, "document", ("format", "format_version", "seprank_version", "claim", "network",
                          "network_sha256", "partition", "index_order", "evidence"))
    choice(doc["format"], "format", "seprank-certificate")
    choice(doc["format_version"], "format_version", 1)
    typed(doc["seprank_version"], "seprank_version", str)
    choice(doc["index_order"], "index_order", "C")
    claim = obj(doc["claim"], "claim", ("statement", "rank_at_least", "field", "prime"))
    typed(claim["statement"], "claim.statement", str)
    r = integer(claim["rank_at_least"], "claim.rank_at_least", 1, MAX_R + 1)
    choice(claim["field"], "claim.field", "gfp")
    p = integer(claim["prime"], "claim.prime", 2, 2**63)
    dims, H, W, F, layers, readout = parse_network(doc["network"], p)
    digest = typed(doc["network_sha256"], "network_sha256", str)
    if not HEX64.match(digest):
        raise malformed("network_sha256", "not 64 lowercase hexadecimal digits")
    canon = json.dumps(doc["network"], sort_keys=True, separators=(",", ":")).encode()
    if hashlib.sha256(canon).hexdigest() != digest:
        raise malformed("network_sha256", "does not match the canonical serialization of network")
    if not is_prime(p):
        raise malformed("claim.prime", f"{p} is not prime")
    partition = doc["partition"]
    I, J = parse_partition(partition, H, W, dims)
    ev = obj(doc["evidence"], "evidence", ("rows", "cols"))
    rows = [int_row(a, f"evidence.rows[{i}]", len(I), len(F))
            for i, a in enumerate(array(ev["rows"], "evidence.rows", r))]
    cols = [int_row(b, f"evidence.cols[{j}]", len(J), len(F))
            for j, b in enumerate(array(ev["cols"], "evidence.cols", r))]
    recorded = None
    if "determinant" in ev:  # optional
        recorded = integer(ev["determinant"], "evidence.determinant", 1, p)
    if "vary" in partition:  # optional
        check_vary(partition["vary"], I, J, H * W, len(F), layers[0][0], rows, cols)

    forward, d, E = make_forward(F, layers, readout, p, H * W, r * r), [0] * (H * W), []
    for a in rows:
        for pos, t in zip(I, a):
            d[pos] = t
        line = []
        for b in cols:
            for pos, t in zip(J, b):
                d[pos] = t
            line.append(forward(d))
        E.append(line)
    det, c = det_mod(E, p)
    if det == 0:
        why = "is zero" if c == 0 else f"is a combination of those for evidence.cols[0..{c - 1}]"
        raise Verdict(1, f"refuted: the {r}x{r} minor has determinant 0 mod {p}: its column for"
                         f" evidence.cols[{c}] {why}")
    if recorded is not None and det != recorded:
        raise Verdict(1, f"refuted: evidence.determinant: recorded {recorded},"
                         f" but the minor's determinant mod {p} is {det}")
    net = doc["network"]
    architecture = {key: net[key] for key in ("input", "templates", "padding", "sharing")}
    architecture["layers"] = [{k: v for k, v in layer.items() if k != "weights"} for layer in net["layers"]]
    facts = {"rank": r, "prime": p, "architecture": architecture, "I": I, "spec": partition.get("spec")}
    return f"VERIFIED: rank >= {r} over GF({p})", facts


# ---- Structured certificates (docs/structured-certificate.md) ----
# A factored value is None (ZERO) or (kappa, blocks): blocks a tuple of (positions, table),
# disjoint, increasing positions, ordered by their first position; a table lists M^|B| values in
# C order (first position most significant). It stands for d -> kappa * prod_B table_B(d|B).
MAX_TABLE, MAX_TOTAL, MAX_GROUP_RANK = 1 << 14, 1 << 20, 256  # this checker's own limits (exit 4)
MAX_STRUCTURED_RANK = 2**63 - 1
MAX_FACTOR_MATRIX = 1 << 20  # the format's bound on a group's `matrix` (seprank-check's table limit)


def too_large(why):
    return Verdict(4, f"too large for this checker: {why}")


def table_size(M, positions):
    if len(positions) * max(M - 1, 1).bit_length() > 62 or M ** len(positions) > MAX_TABLE:
        raise too_large(f"a table over {len(positions)} positions ({M}^{len(positions)} entries,"
                        f" above {MAX_TABLE})")
    return M ** len(positions)


def spread(M, B, D):
    """For each assignment of D (C order), the index of its restriction to B (B within D)."""
    stride = {pos: M ** (len(B) - 1 - j) for j, pos in enumerate(B)}
    index = [0]
    for pos in D:
        s = stride.get(pos, 0)
        index = [i + t * s for i in index for t in range(M)]
    return index


def extended(M, B, table, D):
    return [table[i] for i in spread(M, B, D)]


def normal(kappa, blocks, p):
    """The normal form: no zero table (else ZERO), each table's first nonzero entry 1, no
    table of ones."""
    out = []
    for B, t in blocks:
        first = next((x for x in t if x), 0)
        if not first:
            return None
        if first != 1:
            inv = pow(first, -1, p)
            t = [x * inv % p for x in t]
            kappa = kappa * first % p
        if any(x != 1 for x in t):
            out.append((B, t))
    return (kappa, tuple(sorted(out, key=lambda b: b[0][0]))) if kappa else None


def components(block_lists):
    """The connected components (two blocks joined when they intersect) of the blocks of the
    given lists: [(union of positions, [(list index, block)])], ordered by first position."""
    owner, groups = {}, []
    for li, blocks in enumerate(block_lists):
        for b in blocks:
            met = sorted({owner[pos] for pos in b[0] if pos in owner})
            if met:
                keep = groups[met[0]]
                for g in met[1:]:
                    keep[0] |= groups[g][0]
                    keep[1].extend(groups[g][1])
                    groups[g] = None
            else:
                groups.append([set(), []])
                keep, met = groups[-1], [len(groups) - 1]
            keep[0] |= set(b[0])
            keep[1].append((li, b))
            for pos in keep[0]:
                owner[pos] = met[0]
    return sorted(((tuple(sorted(g[0])), g[1]) for g in groups if g is not None), key=lambda c: c[0][0])


def product_on(M, D, members, p):
    """The entrywise product of the member tables extended to D (all ones for no member)."""
    out = [1] * table_size(M, D)
    for B, t in members:
        out = [a * b % p for a, b in zip(out, extended(M, B, t, D))]
    return out


def f_product(values, M, p):
    if any(v is None for v in values):
        return None
    kappa = 1
    for k, _ in values:
        kappa = kappa * k % p
    parts = components([blocks for _, blocks in values])
    return normal(kappa, [(D, product_on(M, D, [b for _, b in members], p)) for D, members in parts], p)


def f_combination(terms, M, p):
    """sum_i w_i g_i for terms [(w_i, g_i)] (docs/structured-certificate.md, "Linear combination")."""
    terms = [(w % p, g) for w, g in terms if w % p and g is not None]
    if not terms:
        return None
    parts = components([g[1] for _, g in terms])
    kappas, tables = [], []  # per term: kappa_i, and its normalized table per part (None: all ones)
    for i, (w, (kappa, _)) in enumerate(terms):
        row = []
        for D, members in parts:
            mine = [b for li, b in members if li == i]
            got = normal(1, [(D, product_on(M, D, mine, p))], p) if mine else (1, ())
            if got is None:  # blocks inside D multiply to zero: the term is zero (not in normal form)
                raise Verdict(2, "malformed: internal error: a product of normalized disjoint tables is zero")
            kappa = kappa * got[0] % p
            row.append(got[1][0][1] if got[1] else None)
        kappas.append(kappa)
        tables.append(row)
    agree = [all(tables[i][j] == tables[0][j] for i in range(len(terms))) for j in range(len(parts))]
    blocks = [(parts[j][0], tables[0][j]) for j in range(len(parts)) if agree[j] and tables[0][j] is not None]
    split = [j for j in range(len(parts)) if not agree[j]]
    if not split:
        kappa = sum(w * k for (w, _), k in zip(terms, kappas)) % p
        return normal(kappa, blocks, p)
    D = tuple(sorted(pos for j in split for pos in parts[j][0]))
    total = [0] * table_size(M, D)
    for i, (w, _) in enumerate(terms):
        piece = product_on(M, D, [(parts[j][0], tables[i][j]) for j in split if tables[i][j] is not None], p)
        c = w * kappas[i] % p
        total = [(a + c * b) % p for a, b in zip(total, piece)]
    return normal(1, blocks + [(D, total)], p)


def entries_held(values):
    return sum(len(t) for channels in values for v in channels if v is not None for _, t in v[1])


def symbolic_output(F, layers, readout, p, n, varies, fixed):
    """h as a factored value (docs/structured-certificate.md, "Symbolic evaluation")."""
    M = len(F)
    x = []
    for i in range(n):
        if i in varies:
            x.append([normal(1, [((i,), [F[d][m] % p for d in range(M)])], p) for m in range(M)])
        else:
            x.append([(F[fixed[i]][m], ()) if F[fixed[i]][m] else None for m in range(M)])
    for units, mats, C in layers:
        y = []
        for pairs in units:
            channels = []
            for c in range(C):
                if mats is None:
                    factors = [x[pos][c] for pos, _ in pairs]
                else:
                    factors = [f_combination(list(zip(mats[m][c], x[pos])), M, p) for pos, m in pairs]
                channels.append(f_product(factors, M, p) if factors else (1, ()))
            y.append(channels)
        if entries_held(x) + entries_held(y) > MAX_TOTAL:
            raise too_large(f"the tables of two adjacent layers hold more than {MAX_TOTAL} entries")
        x = y
    return f_combination(list(zip(readout, x[0])), M, p)


def check_structured(doc):
    """(verdict line, facts) of a structured certificate."""
    obj(doc, "document", ("format", "format_version", "seprank_version", "claim", "network",
                          "network_sha256", "partition", "index_order", "factors"))
    choice(doc["format_version"], "format_version", 1)
    typed(doc["seprank_version"], "seprank_version", str)
    choice(doc["index_order"], "index_order", "C")
    claim = obj(doc["claim"], "claim", ("statement", "rank_at_least", "field", "prime"))
    typed(claim["statement"], "claim.statement", str)
    r = integer(claim["rank_at_least"], "claim.rank_at_least", 1, MAX_STRUCTURED_RANK + 1)
    choice(claim["field"], "claim.field", "gfp")
    p = integer(claim["prime"], "claim.prime", 2, 2**63)
    dims, H, W, F, layers, readout = parse_network(doc["network"], p)
    digest = typed(doc["network_sha256"], "network_sha256", str)
    if not HEX64.match(digest):
        raise malformed("network_sha256", "not 64 lowercase hexadecimal digits")
    canon = json.dumps(doc["network"], sort_keys=True, separators=(",", ":")).encode()
    if hashlib.sha256(canon).hexdigest() != digest:
        raise malformed("network_sha256", "does not match the canonical serialization of network")
    if not is_prime(p):
        raise malformed("claim.prime", f"{p} is not prime")
    partition = obj(doc["partition"], "partition", ("I", "spec", "vary"))
    I, J = parse_partition(partition, H, W, dims, spec_required=True)
    M, n, in_i = len(F), H * W, set(I)
    varies, fixed = check_vary(partition["vary"], I, J, n, M, layers[0][0], [], [])

    groups, seen, product_of_ranks = [], set(), 1
    for g, factor in enumerate(array(doc["factors"], "factors", limit=n)):
        fp = f"factors[{g}]"
        obj(factor, fp, ("positions", "matrix", "rows", "cols"))
        G = array(factor["positions"], fp + ".positions", limit=n)
        for t, pos in enumerate(G):
            if integer(pos, f"{fp}.positions[{t}]", 0, n) <= (G[t - 1] if t else -1):
                raise malformed(f"{fp}.positions[{t}]", f"{pos} after {G[t - 1]}: not strictly increasing")
            if pos not in varies:
                raise malformed(f"{fp}.positions[{t}]", f"position {pos} does not vary (partition.vary)")
            if pos in seen:
                raise malformed(f"{fp}.positions[{t}]", f"position {pos} is in an earlier group")
            seen.add(pos)
        if not G:
            raise malformed(fp + ".positions", "an empty group")
        GI, GJ = [pos for pos in G if pos in in_i], [pos for pos in G if pos not in in_i]
        if len(G) * max(M - 1, 1).bit_length() > 62 or M ** len(G) > MAX_FACTOR_MATRIX:
            raise malformed(fp + ".matrix", f"{M}^{len(G)} entries, above the format's {MAX_FACTOR_MATRIX}")
        nr, nc = M ** len(GI), M ** len(GJ)
        mat = matrix(factor["matrix"], fp + ".matrix", nr, nc, p)
        rg = len(array(factor["rows"], fp + ".rows", limit=min(nr, nc)))
        rows = [integer(x, f"{fp}.rows[{t}]", 0, nr) for t, x in enumerate(factor["rows"])]
        cols = [integer(x, f"{fp}.cols[{t}]", 0, nc) for t, x in enumerate(array(factor["cols"], fp + ".cols", rg))]
        for key, idx in (("rows", rows), ("cols", cols)):
            if any(b <= a for a, b in zip(idx, idx[1:])):
                raise malformed(f"{fp}.{key}", "not strictly increasing")
        if rg == 0:
            raise malformed(fp + ".rows", "an empty minor")
        if rg > MAX_GROUP_RANK:
            raise too_large(f"{fp}: a {rg}x{rg} minor, above {MAX_GROUP_RANK}")
        product_of_ranks *= rg
        groups.append((fp, tuple(G), GI, GJ, mat, rows, cols))
    if not groups:
        raise malformed("factors", "no group")
    if product_of_ranks != r:
        raise malformed("claim.rank_at_least", f"is {r}, but the groups' minors multiply to {product_of_ranks}")

    h = symbolic_output(F, layers, readout, p, n, varies, fixed)
    if h is None:
        raise Verdict(1, "refuted: the network is zero on the submatrix (symbolic evaluation)")
    blocks = h[1]
    for fp, G, GI, GJ, mat, rows, cols in groups:
        members = []
        for B, t in blocks:
            inside = [pos for pos in B if pos in G]
            if inside and len(inside) != len(B):
                raise Verdict(1, f"refuted: {fp}: the network's factor over positions {fmt(B)} crosses the"
                                 f" group's border (positions {fmt([q for q in B if q not in G])} are outside it)")
            if inside:
                members.append((B, t))
        table = product_on(M, G, members, p)
        # The G index of (row, col): the sum of each side's contribution in G's strides.
        stride = {pos: M ** (len(G) - 1 - j) for j, pos in enumerate(G)}
        def offsets(side):
            index = [0]
            for pos in side:
                index = [i + t * stride[pos] for i in index for t in range(M)]
            return index
        ro, co = offsets(GI), offsets(GJ)
        computed = [[table[a + b] for b in co] for a in ro]
        first = next(((i, j) for i, line in enumerate(computed) for j, x in enumerate(line) if x), None)
        if first is None:  # impossible: h's tables are nonzero and disjoint
            raise Verdict(2, f"malformed: internal error: the network's factor on {fp} is zero")
        lam = mat[first[0]][first[1]] * pow(computed[first[0]][first[1]], -1, p) % p
        if not lam:
            raise Verdict(1, f"refuted: {fp}.matrix[{first[0]}][{first[1]}] is 0 where the network's factor is not")
        for i, line in enumerate(computed):
            for j, x in enumerate(line):
                if mat[i][j] != lam * x % p:
                    raise Verdict(1, f"refuted: {fp}.matrix[{i}][{j}] is not {lam} times the network's factor"
                                     f" (the multiple taken at [{first[0]}][{first[1]}])")
        det, c = det_mod([[mat[i][j] for j in cols] for i in rows], p)
        if det == 0:
            raise Verdict(1, f"refuted: {fp}: the {len(rows)}x{len(rows)} minor has determinant 0 mod {p}")
    net = doc["network"]
    architecture = {key: net[key] for key in ("input", "templates", "padding", "sharing")}
    architecture["layers"] = [{k: v for k, v in layer.items() if k != "weights"} for layer in net["layers"]]
    facts = {"rank": r, "prime": p, "architecture": architecture, "I": I, "spec": partition.get("spec")}
    return f"VERIFIED: rank >= {r} over GF({p}) (structured: {len(groups)} groups)", facts


# ---- Cut witnesses (docs/cut-witness.md) ----
def network_size(n, layers):
    """(readings, vertices + edges) of the unrolled network, counted before anything is built."""
    reads, readings, size = [1], 1, n + 1  # the top reading; the inputs and the top copy tensor
    for level in range(len(layers), 0, -1):  # layer `level` (1-based) reads the units below it
        lay = layers[level - 1]
        below = [0] * (n if level == 1 else len(layers[level - 2].units))
        for u, pairs in enumerate(lay.units):
            for _, pos in pairs:
                below[pos] += reads[u]
        if level == 1 or not lay.pool:  # an edge per child (per input read, at layer 1) ...
            size += sum(below)
        if level >= 2:
            readings += sum(below)
            if not lay.pool:  # ... and a copy tensor per child read by a gc layer
                size += sum(below)
        reads = below
    return readings, size


class Network:
    """The unrolled network of readings (docs/cut-witness.md "The tensor network a checker builds").

    Readings are numbered from the top (0) breadth first, so that the children of reading r are
    first[r], first[r] + 1, ... in the order of their unit's in-map offsets; a layer-1 reading's
    edges to the inputs are likewise first[r], first[r] + 1, ... Vertices: inputs 0..n-1, then the
    copy tensors. up_edge[r] is the edge through which a gc layer reads r (-1: none)."""

    def __init__(self, M, layers, n):
        L = len(layers)
        self.M, self.layers, self.n = M, layers, n
        self.index = [[{k: t for t, (k, _) in enumerate(pairs)} for pairs in lay.units] for lay in layers]
        self.layer, self.unit, self.vertex, self.first, self.up_edge = [L], [0], [n], [0], [-1]
        self.ends, self.edge_cost = [], []  # edge e joins vertices ends[2e] and ends[2e + 1]
        vertices = n + 1
        r = 0
        while r < len(self.layer):
            level, v = self.layer[r], self.vertex[r]
            lay = layers[level - 1]
            if level == 1:  # edges to the inputs: F.W (F alone under a pool layer)
                self.first[r] = len(self.edge_cost)
                for _, pos in lay.units[self.unit[r]]:
                    self.ends += (pos, v)
                    self.edge_cost.append(min(M, lay.C))
            else:
                self.first[r] = len(self.layer)
                for _, pos in lay.units[self.unit[r]]:
                    self.layer.append(level - 1)
                    self.unit.append(pos)
                    self.first.append(0)
                    if lay.pool:  # read by a pool layer >= 2: part of the reader's copy tensor
                        self.vertex.append(v)
                        self.up_edge.append(-1)
                    else:
                        self.vertex.append(vertices)
                        self.up_edge.append(len(self.edge_cost))
                        self.ends += (vertices, v)
                        self.edge_cost.append(min(lay.C_in, lay.C))
                        vertices += 1
            r += 1
        self.vertices = vertices

    def reading(self, path, where):
        """The reading a path of offsets names, or None."""
        r = 0
        for t, k in enumerate(array(path, where)):
            integer(k, f"{where}[{t}]", 0, 2**64)  # offsets are 64-bit, like windows (even where R^2 is not)
            child = None if self.layer[r] == 1 else self.index[self.layer[r] - 1][self.unit[r]].get(k)
            if child is None:
                return None
            r = self.first[r] + child
        return r

    def item(self, item, where):
        """(what the cut item removes: ("input"|"vertex"|"edge", number), its cost)."""
        if type(item) is not dict or len(item) != 1:
            raise malformed(where, "a cut item is an object with exactly one key (input, unit or matrix)")
        (kind, value), = item.items()
        if kind == "input":
            return ("vertex", integer(value, where + ".input", 0, self.n)), self.M
        if kind == "unit":
            r = self.reading(value, where + ".unit")
            if r is None:
                raise malformed(where + ".unit", f"{show(value)} names no reading")
            if r and self.up_edge[r] < 0:
                raise malformed(where + ".unit", f"reading {show(value)} has no copy tensor of its own"
                                                 " (it is read by a pool layer, part of its reader's)")
            return ("vertex", self.vertex[r]), self.layers[self.layer[r] - 1].C
        if kind == "matrix":
            if not array(value, where + ".matrix"):
                raise malformed(where + ".matrix", "the path of a matrix is not empty")
            r = self.reading(value[:-1], where + ".matrix")
            k = integer(value[-1], f"{where}.matrix[{len(value) - 1}]", 0, 2**64)
            child = None if r is None else self.index[self.layer[r] - 1][self.unit[r]].get(k)
            if child is None:
                raise malformed(where + ".matrix", f"{show(value)} names no reading's offset")
            e = self.first[r] + child if self.layer[r] == 1 else self.up_edge[self.first[r] + child]
            if e < 0:
                raise malformed(where + ".matrix", f"{show(value)} is read by a pool layer: no matrix")
            return ("edge", e), self.edge_cost[e]
        raise malformed(where, f"unknown cut item {show(kind)} (input, unit or matrix)")

    def connection(self, cut, I, J):
        """(q in J, p in I) joined by the network without the cut, or None: the components
        (union-find) of what is left, the same answer as a search from I's inputs."""
        cut_vertices = {number for kind, number in cut if kind == "vertex"}
        cut_edges = {number for kind, number in cut if kind == "edge"}
        parent = list(range(self.vertices))

        def root(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        ends = self.ends
        for e in range(len(self.edge_cost)):
            a, b = ends[2 * e], ends[2 * e + 1]
            if e not in cut_edges and a not in cut_vertices and b not in cut_vertices:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[ra] = rb
        reached = {}
        for p in I:
            if p not in cut_vertices:
                reached.setdefault(root(p), p)
        for q in J:
            if q not in cut_vertices and root(q) in reached:
                return q, reached[root(q)]
        return None


def check_witness(doc):
    """(verdict line, facts a bundle compares with its entry)."""
    obj(doc, "document", ("format", "format_version", "seprank_version", "claim", "architecture",
                          "partition", "cut"))
    choice(doc["format"], "format", "seprank-cut-witness")
    choice(doc["format_version"], "format_version", 1)
    typed(doc["seprank_version"], "seprank_version", str)
    claim = obj(doc["claim"], "claim", ("statement", "rank_at_most"))
    typed(claim["statement"], "claim.statement", str)
    B = decimal(claim["rank_at_most"], "claim.rank_at_most", 1)
    dims, H, W, M, layers = parse_architecture(doc["architecture"], "architecture")
    I, J = parse_partition(doc["partition"], H, W, dims)
    items = array(doc["cut"], "cut", limit=MAX_CUT_ITEMS)
    readings, size = network_size(H * W, layers)
    if size > MAX_NETWORK:
        raise malformed("architecture", f"unrolls into {size} vertices and edges, more than {MAX_NETWORK}")
    if readings > MAX_READINGS:
        raise malformed("architecture", f"unrolls into {readings} readings, more than {MAX_READINGS}")
    net = Network(M, layers, H * W)
    cut, costs = set(), []
    for i, item in enumerate(items):
        what, cost = net.item(item, f"cut[{i}]")
        if what in cut:
            raise malformed(f"cut[{i}]", f"{show(item)} is cut twice")
        cut.add(what)
        costs.append(cost)
    joined = net.connection(cut, I, J)
    if joined:
        raise Verdict(1, f"refuted: the cut does not separate I from J: input {joined[0]} (in J) is"
                         f" still connected to input {joined[1]} (in I)")
    total = product_of(costs)
    if total != B:
        shown = total if total.bit_length() < 10000 else f"a number of {total.bit_length()} bits"
        raise Verdict(1, f"refuted: the costs of the {len(costs)} cut items multiply to {shown},"
                         f" not claim.rank_at_most {show(claim['rank_at_most'])}")
    partition = doc["partition"]
    facts = {"bound": B, "architecture": doc["architecture"], "I": I, "spec": partition.get("spec")}
    return f"VERIFIED: rank <= {claim['rank_at_most']} for all weights", facts


# ---- Reading JSON ----
def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):  # parsers disagree on which duplicate wins: reject
        dup = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise Verdict(2, f"malformed: duplicate object key {show(dup)}")
    return dict(pairs)


def no_constant(name):
    raise Verdict(2, f"malformed: not valid JSON: {name} is not a JSON number")


def finite_float(text):
    """A JSON number with a fraction or exponent; beyond the double range it is malformed."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise Verdict(2, f"malformed: number {show(text)} is beyond the range of a double")
    return value


def finite_int(text):
    """A JSON integer, refused like a float when no double can hold it (|x| >= ~1.8e308):
    the spec makes such numbers malformed anywhere, since JSON parsers disagree on them."""
    value = int(text)
    try:
        float(value)
    except OverflowError:
        raise Verdict(2, f"malformed: number {show(text)} is beyond the range of a double") from None
    return value


def portable(doc):
    """Rejects what JSON parsers disagree on, even under keys the check ignores: nesting deeper
    than MAX_DEPTH, and strings that are not Unicode (an escaped lone surrogate, "\\ud800")."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise Verdict(2, f"malformed: string {show(value)} holds a lone surrogate") from None
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise Verdict(2, f"malformed: arrays and objects nested deeper than {MAX_DEPTH} levels")
            for key in value if isinstance(value, dict) else ():
                stack.append((key, depth))
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return doc


def parse_json(data):
    """The document in `data`, read as strictly as docs/certificate-format.md asks."""
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates,
                         parse_constant=no_constant, parse_float=finite_float, parse_int=finite_int)
    except UnicodeDecodeError as e:
        raise Verdict(2, f"malformed: not UTF-8 (byte {e.start})")
    except RecursionError:
        raise Verdict(2, "malformed: JSON nested too deeply")
    except ValueError as e:  # JSONDecodeError, and integers too long to convert
        raise Verdict(2, f"malformed: not valid JSON: {e}")
    return portable(doc)


def read_bytes(path, name):
    """The bytes of a regular file of at most MAX_FILE_BYTES bytes. Opened without blocking (a
    FIFO would block in open), its type and size checked before reading, read in chunks up to
    one byte past the limit (it may grow while read)."""
    def cannot(why):
        return Verdict(3, f"cannot read {show(name)}: {why}")
    limit = f"the limit of {MAX_FILE_BYTES} bytes (256 MiB)"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise cannot("a directory, not a regular file" if stat.S_ISDIR(info.st_mode) else "not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                raise cannot(f"{info.st_size} bytes, above {limit}")
            chunks, size = [], 0
            while chunk := os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise cannot(f"it grew past {limit} while being read")
            return b"".join(chunks)
        finally:
            os.close(fd)
    except (OSError, ValueError) as e:  # ValueError: e.g. a NUL byte in the name
        raise cannot(getattr(e, "strerror", None) or e) from None


def check_document(doc):
    """A certificate or a cut witness, by its "format": (verdict line, facts)."""
    if type(doc) is dict and doc.get("format") == "seprank-cut-witness":
        return check_witness(doc)
    if type(doc) is dict and doc.get("format") == "seprank-structured-certificate":
        return check_structured(doc)
    return check_certificate(doc)


# ---- Expressions of theorem files (docs/theorem-format.md "Expressions"), exact ----
MAX_EXPRESSION, MAX_NESTING, MAX_BITS = 10000, 200, 1 << 20
TOKEN = re.compile(r"[ \t\r\n]*(?:([0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/^(),<>]))?", re.ASCII)
KEYWORDS = {"and", "or", "not", "true", "false", "min", "max", "floor", "ceil", "abs"}
# No parameter may take one of these names: bounds see the partition's sizes under the first two,
# and the others are words of the expressions (docs/theorem-format.md).
RESERVED_NAMES = ("size_I", "size_J", "and", "or", "not", "true", "false", "min", "max", "floor", "ceil", "abs")


class ExpressionError(Exception):
    pass


class Expression:
    """Parsed once (types checked then), evaluated with exact rationals (Fraction) and booleans.

    Grammar, loosest first: or, and, not, one comparison (no chains), + -, * /, unary -, ^
    (right-associative, its exponent may carry a unary minus: 2^-1 = 1/2, -2^2 = -4), atoms
    (integers, names, true, false, min/max(...), floor/ceil/abs(x), parentheses). Nodes are
    tuples; chains of + - * / and or are flat, so that only nesting costs recursion."""

    def __init__(self, text):
        if len(text) > MAX_EXPRESSION:
            raise ExpressionError(f"longer than {MAX_EXPRESSION} characters")
        self.text, self.tokens, i = text, [], 0
        while True:
            m = TOKEN.match(text, i)
            if m.end() == len(text) and not m.lastindex:
                break
            if not m.lastindex:
                raise ExpressionError(f"unexpected character {show(text[m.end()])} at column {m.end() + 1}")
            self.tokens.append(("int name op".split()[m.lastindex - 1], m.group(m.lastindex), m.start(m.lastindex) + 1))
            i = m.end()
        if not self.tokens:
            raise ExpressionError("empty expression")
        self.at, self.depth = 0, 0
        self.tree, self.type = self.parse_or()
        if self.at < len(self.tokens):
            raise ExpressionError(f"unexpected {show(self.peek())} at column {self.tokens[self.at][2]}")

    def peek(self):
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        if self.at >= len(self.tokens):
            raise ExpressionError(f"unexpected end{'' if expected is None else ', expected ' + show(expected)}")
        kind, value, column = self.tokens[self.at]
        if expected is not None and (value != expected or kind == "int"):
            raise ExpressionError(f"expected {show(expected)} at column {column}, got {show(value)}")
        self.at += 1
        return kind, value, column

    def nested(self, parse):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"nested deeper than {MAX_NESTING} levels")
        result = parse()
        self.depth -= 1
        return result

    @staticmethod
    def need(typ, node_type, what):
        if node_type != typ:
            raise ExpressionError(f"{what} needs {'numbers' if typ == 'num' else 'booleans'}")

    def chain(self, ops, operand, typ, make):
        first, ftype = operand()
        rest = []
        while self.peek() in ops and self.tokens[self.at][0] != "int":
            op = self.take()[1]
            node, ntype = operand()
            self.need(typ, ftype, show(op))
            self.need(typ, ntype, show(op))
            rest.append((op, node))
        return (make(first, rest), typ) if rest else (first, ftype)

    def parse_or(self):
        return self.chain({"or"}, self.parse_and, "bool", lambda a, rest: ("or", [a] + [n for _, n in rest]))

    def parse_and(self):
        return self.chain({"and"}, self.parse_not, "bool", lambda a, rest: ("and", [a] + [n for _, n in rest]))

    def parse_not(self):
        if self.peek() == "not" and self.tokens[self.at][0] == "name":
            self.take()
            node, typ = self.nested(self.parse_not)
            self.need("bool", typ, "'not'")
            return ("not", node), "bool"
        return self.parse_comparison()

    def parse_comparison(self):
        a, atype = self.parse_sum()
        if self.peek() not in ("<", "<=", ">", ">=", "==", "!="):
            return a, atype
        op = self.take()[1]
        b, btype = self.parse_sum()
        if atype != btype or (atype == "bool" and op not in ("==", "!=")):
            raise ExpressionError(f"{show(op)} cannot compare these operands")
        if self.peek() in ("<", "<=", ">", ">=", "==", "!="):
            raise ExpressionError("comparisons do not chain")
        return ("cmp", op, a, b), "bool"

    def parse_sum(self):
        return self.chain({"+", "-"}, self.parse_product, "num", lambda a, rest: ("arith", a, rest))

    def parse_product(self):
        return self.chain({"*", "/"}, self.parse_unary, "num", lambda a, rest: ("arith", a, rest))

    def parse_unary(self):
        if self.peek() == "-":
            self.take()
            node, typ = self.nested(self.parse_unary)
            self.need("num", typ, "'-'")
            return ("neg", node), "num"
        return self.parse_power()

    def parse_power(self):
        base, btype = self.parse_atom()
        if self.peek() != "^":
            return base, btype
        self.take()
        exponent, etype = self.nested(self.parse_unary)  # right-associative, tighter than unary -
        self.need("num", btype, "'^'")
        self.need("num", etype, "'^'")
        return ("pow", base, exponent), "num"

    def parse_atom(self):
        kind, value, column = self.take()
        if kind == "int":
            return ("lit", Fraction(big_int(value))), "num"
        if kind == "op":
            if value != "(":
                raise ExpressionError(f"expected a number, a name or '(' at column {column}, got {show(value)}")
            node = self.nested(self.parse_or)
            self.take(")")
            return node
        if value in ("true", "false"):
            return ("lit", value == "true"), "bool"
        if value in ("min", "max", "floor", "ceil", "abs"):
            self.take("(")
            args = [self.nested(self.parse_or)]
            while self.peek() == ",":
                self.take()
                args.append(self.nested(self.parse_or))
            self.take(")")
            if value not in ("min", "max") and len(args) != 1:
                raise ExpressionError(f"{value} takes exactly one argument, got {len(args)}")
            for _, typ in args:
                self.need("num", typ, value)
            return ("call", value, [node for node, _ in args]), "num"
        if value in KEYWORDS:
            raise ExpressionError(f"expected a number, a name or '(' at column {column}, got {show(value)}")
        return ("name", value), "num"

    def evaluate(self, variables):
        return evaluate(self.tree, variables)


def bounded(x):
    if x.numerator.bit_length() > MAX_BITS or x.denominator.bit_length() > MAX_BITS:
        raise ExpressionError(f"a value exceeds the limit of {MAX_BITS} bits")
    return x


def evaluate(node, variables):
    """The value of a node: a Fraction or a bool. Names must be in `variables` (Fractions)."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "name":
        if node[1] not in variables:
            raise ExpressionError(f"unknown name {show(node[1])}")
        return variables[node[1]]
    if kind in ("and", "or"):  # the right side only when needed, so that guards work
        for operand in node[1]:
            if evaluate(operand, variables) != (kind == "and"):
                return kind == "or"
        return kind == "and"
    if kind == "not":
        return not evaluate(node[1], variables)
    if kind == "neg":
        return -evaluate(node[1], variables)
    if kind == "cmp":
        a, b = evaluate(node[2], variables), evaluate(node[3], variables)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[node[1]]
    if kind == "arith":
        value = evaluate(node[1], variables)
        for op, operand in node[2]:
            b = evaluate(operand, variables)
            if op == "/" and b == 0:
                raise ExpressionError("division by zero")
            value = bounded(value + b if op == "+" else value - b if op == "-" else value * b if op == "*"
                            else value / b)
        return value
    if kind == "pow":
        base, e = evaluate(node[1], variables), evaluate(node[2], variables)
        if e.denominator != 1:
            raise ExpressionError(f"the exponent {e} is not an integer")
        e = e.numerator
        if base == 0 and e < 0:
            raise ExpressionError("zero raised to a negative power")
        if abs(base.numerator) <= 1 and base.denominator == 1:  # 0, 1, -1: any exponent
            return Fraction(1) if e == 0 else base if e % 2 else abs(base)
        size = max(abs(base.numerator).bit_length(), base.denominator.bit_length()) - 1
        if abs(e) * size >= MAX_BITS:  # the result has at least |e| * size + 1 bits
            raise ExpressionError(f"a power exceeds the limit of {MAX_BITS} bits")
        return bounded(base ** e)
    args = [evaluate(a, variables) for a in node[2]]  # "call"
    return {"min": min, "max": max}[node[1]](args) if node[1] in ("min", "max") else \
        Fraction({"floor": math.floor, "ceil": math.ceil, "abs": abs}[node[1]](args[0]))


# ---- Theorem files (docs/theorem-format.md): instances and templates ----
MAX_INSTANCES, MAX_REPEAT, MAX_GROUPS, MAX_TEMPLATE = 100000, 1000, 10, 100000


def value_of(text, variables, typ):
    """An expression's value, which must be a number (Fraction) or, typ=bool, a boolean."""
    value = Expression(text).evaluate(variables)
    if type(value) is not typ:
        raise ExpressionError(f"{show(text)} is not a {'number' if typ is Fraction else 'boolean'}")
    return value


def integer_of(text, variables):
    value = value_of(text, variables, Fraction)
    if value.denominator != 1 or value.numerator.bit_length() > 64:
        raise ExpressionError(f"{show(text)} = {value} is not an integer of at most 64 bits")
    return value.numerator


def expand_template(text, variables):
    """First each (group)^{count} becomes count copies of the group (innermost first), then each
    {expression} the expression's integer value."""
    if len(text) > MAX_TEMPLATE:
        raise ExpressionError(f"template longer than {MAX_TEMPLATE} characters")

    def groups(i, depth):  # (the text from i up to the ')' closing this depth, where that is)
        out, size = [], 0
        while i < len(text) and text[i] != ")":
            if text[i] == "(":
                if depth == MAX_GROUPS:
                    raise ExpressionError(f"groups nested deeper than {MAX_GROUPS}")
                inner, i = groups(i + 1, depth + 1)
                end = text.find("}", i + 3)
                if not text.startswith(")^{", i) or end < 0:
                    raise ExpressionError("a group (...) must be followed by ^{count}")
                count = integer_of(text[i + 3:end], variables)
                if not 0 <= count <= MAX_REPEAT or len(inner) * count > MAX_TEMPLATE:
                    raise ExpressionError(f"repetition count {count} not in [0, {MAX_REPEAT}], or too long")
                piece, i = inner * count, end + 1
            elif text[i] == "{":  # an {expression}, kept whole for the second step
                end = text.find("}", i)
                if end < 0:
                    raise ExpressionError("'{' without '}'")
                piece, i = text[i:end + 1], end + 1
            else:
                piece, i = text[i], i + 1
            size += len(piece)
            if size > MAX_TEMPLATE:
                raise ExpressionError(f"template longer than {MAX_TEMPLATE} characters once repeated")
            out.append(piece)
        if (i < len(text)) != (depth > 0):
            raise ExpressionError("unbalanced parentheses")
        return "".join(out), i

    result = re.sub(r"\{([^{}]*)\}", lambda m: str(integer_of(m.group(1), variables)), groups(0, 0)[0])
    if "{" in result or "}" in result or len(result) > MAX_TEMPLATE:
        raise ExpressionError("stray '{' or '}', or too long once substituted")
    return result


def architecture_of(claim, variables):
    """The network a claim's templates name, as a bundle entry records it."""
    shape = expand_template(typed(claim.get("input"), "input", str), variables)
    m = re.fullmatch(r"([0-9]+)(?:x([0-9]+))?", shape, re.ASCII)
    if not m:
        raise ExpressionError(f"input {show(shape)} is not N or HxW")
    dims, H, W = (1, 1, int(m.group(1))) if m.group(2) is None else (2, int(m.group(1)), int(m.group(2)))
    layers = []
    for item in expand_template(typed(claim.get("layers"), "layers", str), variables).split(","):
        m = re.fullmatch(r"pool([0-9]+)/([0-9]+)|([0-9]+)/([0-9]+)/([0-9]+)", item, re.ASCII)
        if not m:
            raise ExpressionError(f"{show(item)} is not a layer (R/S/C or poolR/S)")
        layers.append({"kind": "pool", "window": int(m.group(1)), "stride": int(m.group(2))} if m.group(1) else
                      {"kind": "gc", "window": int(m.group(3)), "stride": int(m.group(4)), "channels": int(m.group(5))})
    return {"input": {"dims": dims, "height": H, "width": W},
            "templates": integer_of(typed(claim.get("templates"), "templates", str), variables),
            "padding": expand_template(typed(claim.get("padding", "valid"), "padding", str), variables),
            "sharing": expand_template(typed(claim.get("sharing", "conv"), "sharing", str), variables),
            "layers": layers}


def partition_of(claim, variables):
    """The partition name a claim's template gives, in seprank's canonical form (indices sorted,
    no leading zeros)."""
    spec = expand_template(typed(claim.get("partition", "left-right"), "partition", str), variables)
    if spec.startswith("indices:") and re.fullmatch(r"[0-9]+(,[0-9]+)*", spec[8:], re.ASCII):
        spec = "indices:" + ",".join(str(i) for i in sorted(int(item) for item in spec[8:].split(",")))
    return spec


def instance_list(theorem, extended, where):
    """[(claim names the table is limited to, or None; {parameter: Fraction})] in the run's order:
    [[instances]] then, with `extended`, [[extended]]; each table expanded in key order (keys
    sorted byte-wise, the last one varying fastest)."""
    tables, total = [], 0
    for key in ("instances", "extended"):
        for t, table in enumerate(array(theorem.get(key, []), f"{where}: {key}")):
            sizes = [len(v) for k, v in typed(table, f"{where}: {key}[{t}]", dict).items()
                     if k != "claims" and type(v) is list]
            shadowing = sorted(set(table) & set(RESERVED_NAMES))
            if shadowing:
                raise malformed(f"{where}: {key}[{t}]", f"parameter {show(shadowing[0])} shadows a built-in name"
                                                       f" ({', '.join(RESERVED_NAMES)})")
            total += product_of(sizes)
            if total > MAX_INSTANCES:
                raise malformed(where, f"more than {MAX_INSTANCES} instances")
            if key == "instances" or extended:
                tables.append(table)
    instances = []
    for table in tables:
        only = table.get("claims")
        if only is not None and not all(type(name) is str for name in array(only, f"{where}: claims")):
            raise malformed(where, "claims = [...] must list claim names")
        keys = sorted(k for k in table if k != "claims")  # key order: byte-wise, as seprank reads tables
        lists = [table[k] if type(table[k]) is list else [table[k]] for k in keys]
        if not all(type(v) is int for values in lists for v in values):
            raise malformed(where, "instance parameters must be integers or lists of integers")
        for values in product(*lists):
            instances.append((only, {k: Fraction(v) for k, v in zip(keys, values)}))
    return instances


def load_theorem(data, where, extended):
    """(claims, instances) of a theorem file's bytes."""
    import tomllib  # Python 3.11+; certificates and witnesses do not need it
    try:
        theorem = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise malformed(where, f"not a TOML file: {e}") from None
    if theorem.get("format") != "seprank-theorem" or theorem.get("format_version") != 1:
        raise malformed(where, "not a seprank-theorem file of format_version 1")
    claims = array(theorem.get("claim"), f"{where}: claim")
    for c, claim in enumerate(claims):
        typed(claim, f"{where}: claim {c + 1}", dict)
    return claims, instance_list(theorem, extended, where)


# ---- Proof bundles (docs/proof-bundle.md) ----
VERDICTS = {"PROVEN": "proven", "TRIVIAL": "trivial", "CONSISTENT": "consistent", "UNCONFIRMED": "unconfirmed",
            "REFUTED": "refuted", "SKIPPED": "skipped", "N/A": "not_applicable"}
STRENGTH = ("REFUTED", "UNCONFIRMED", "SKIPPED", "CONSISTENT", "PROVEN")  # strongest first
ENTRY_KEYS = ("claim", "claim_name", "instance", "parameters", "hypotheses", "lower", "upper",
              "architecture", "partition", "certified_rank", "prime", "min_cut", "verdict", "certificate",
              "certificate_sha256", "cut_witness", "cut_witness_sha256")


def verdict_of(L, U, r, B):
    """The verdict of a claim whose hypotheses hold, from its numbers (None: absent)."""
    if L is not None and U is None and L <= 1:
        return "TRIVIAL"  # nothing to prove, whatever the numbers (which must then be absent)
    parts = []
    if L is not None:
        parts.append("REFUTED" if B is not None and B < L else "SKIPPED" if r is None else
                     "PROVEN" if r >= L else "UNCONFIRMED")
    if U is not None:
        parts.append("PROVEN" if B is not None and B <= U else "REFUTED" if r is not None and r > U else
                     "CONSISTENT" if r is not None else "SKIPPED")
    if L is None and U is None:
        parts.append("PROVEN" if r is not None and B is not None else "SKIPPED")
    return min(parts, key=STRENGTH.index)


def bundle_file(root, rel, where):
    """The bytes of the regular file that `rel`, a relative path without '..', names in root."""
    parts = typed(rel, where, str).split("/")
    if any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts):
        raise malformed(where, f"{show(rel)} is not a relative path inside the bundle (no '..', '.', '//')")
    full = os.path.join(root, *parts)
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(full)]) != real_root:
        raise malformed(where, f"{show(rel)} leads outside the bundle directory")
    try:
        mode = os.lstat(full).st_mode
    except FileNotFoundError:
        raise malformed(where, f"{show(rel)}: no such file in the bundle") from None
    except OSError as e:
        raise Verdict(3, f"cannot read {show(rel)}: {e.strerror}") from None
    if not stat.S_ISREG(mode):
        raise malformed(where, f"{show(rel)} is not a regular file")
    return read_bytes(full, rel)


def sha256_of(data, recorded, where):
    if not HEX64.match(typed(recorded, where, str)):
        raise malformed(where, "not 64 lowercase hexadecimal digits")
    if hashlib.sha256(data).hexdigest() != recorded:
        raise malformed(where, "differs from the SHA-256 of the file")


def exact_value(text):
    """A parameter's exact value, "8", "-3", "1/2" (reduced, positive denominator), or None."""
    m = re.fullmatch(r"(-?[0-9]{1,1000})(?:/([0-9]{1,1000}))?", text, re.ASCII)
    value = None if m is None or int(m.group(2) or 1) == 0 else Fraction(int(m.group(1)), int(m.group(2) or 1))
    return value if value is not None and str(value) == text else None  # canonical: no "/1", "-0", "2/4"


def evidence(root, entry, key, ep, want):
    """First pass: the evidence file an entry points at is in the bundle, has the recorded
    SHA-256 and is a well-formed document of a format in `want`. Returns its facts, or the
    refutation's message (a refuted piece of evidence fails the second pass, exit 1)."""
    data = bundle_file(root, entry[key], f"{ep}.{key}")
    sha256_of(data, entry[key + "_sha256"], f"{ep}.{key}_sha256")
    try:
        doc = parse_json(data)
        choice(doc.get("format") if type(doc) is dict else None, "format", *want)
        return check_document(doc)[1]
    except Verdict as v:
        if v.args[0] == 1:
            return f"{entry[key]}: {v.args[1]}"
        raise Verdict(v.args[0], f"{entry[key]}: {v.args[1]}") from None


def entry_form(root, entry, ep):
    """First pass over an entry: every key with its type, the network and the partition
    well-formed, the evidence files well-formed. Returns what the second pass needs."""
    obj(entry, ep, ENTRY_KEYS)
    form = {"claim": integer(entry["claim"], ep + ".claim", 1), "instance": integer(entry["instance"], ep + ".instance", 1),
            "verdict": choice(entry["verdict"], ep + ".verdict", *VERDICTS)}
    typed(entry["claim_name"], ep + ".claim_name", str)
    for k, v in typed(entry["parameters"], ep + ".parameters", dict).items():
        typed(v, f"{ep}.parameters.{k}", str)
    for t, h in enumerate(array(entry["hypotheses"], ep + ".hypotheses")):
        typed(h, f"{ep}.hypotheses[{t}]", str)
    for key in ("lower", "upper"):
        form[key] = None
        if entry[key] is not None:
            typed(obj(entry[key], f"{ep}.{key}", ("expression", "value"))["expression"], f"{ep}.{key}.expression", str)
            form[key] = decimal(entry[key]["value"], f"{ep}.{key}.value")
    form["r"] = None if entry["certified_rank"] is None else decimal(entry["certified_rank"], ep + ".certified_rank", 0)
    form["B"] = None if entry["min_cut"] is None else decimal(entry["min_cut"], ep + ".min_cut", 1)
    form["prime"] = None if entry["prime"] is None else integer(entry["prime"], ep + ".prime", 2, 2**63)
    if form["prime"] is not None and not is_prime(form["prime"]):
        raise malformed(ep + ".prime", f"{form['prime']} is not prime")
    if (form["prime"] is None) != (entry["certified_rank"] is None):
        raise malformed(ep + ".prime", "present exactly when certified_rank is")
    if entry["architecture"] is not None:
        dims, H, W, _, _ = parse_architecture(entry["architecture"], ep + ".architecture", sharing=True)
        if entry["partition"] is not None:
            I, J = parse_partition(entry["partition"], H, W, dims, ep + ".partition", spec_required=True)
            form["sizes"] = Fraction(len(I)), Fraction(len(J))
    elif entry["partition"] is not None:
        raise malformed(ep + ".partition", "a partition without an architecture")
    # A certificate is dense or structured (docs/structured-certificate.md), as its "format" says.
    for key, want in (("certificate", ("seprank-certificate", "seprank-structured-certificate")),
                      ("cut_witness", ("seprank-cut-witness",))):
        form[key] = None
        if (entry[key] is None) != (entry[key + "_sha256"] is None):
            raise malformed(f"{ep}.{key}_sha256", f"present exactly when {key} is")
        if entry[key] is not None:
            form[key] = evidence(root, entry, key, ep, want)
    return form


def entry_claims(entry, form, claims, instances, ep):
    """Second pass over an entry: what it claims is what the theorem file and the evidence say.
    Every failure is a refutation (exit 1)."""
    def refuted(where, why):
        return Verdict(1, f"refuted: {where}: {why}")
    c, i, verdict, r, B = form["claim"], form["instance"], form["verdict"], form["r"], form["B"]
    parameters = {k: exact_value(v) for k, v in entry["parameters"].items()}
    bad = next((k for k, v in parameters.items() if v is None), None)
    if bad is not None:
        raise refuted(f"{ep}.parameters.{bad}", f"{show(entry['parameters'][bad])} is not an exact value (\"8\", \"-3\", \"1/2\")")
    # The claim in the theorem copy: its name, texts and hypotheses; the instance's parameters.
    if c > len(claims):
        raise refuted(ep + ".claim", f"the theorem file has {len(claims)} claims")
    claim, na = claims[c - 1], verdict == "N/A"
    for key, recorded, text in (("claim_name", entry["claim_name"], claim.get("name", "")),
                                ("hypotheses", entry["hypotheses"], claim.get("hypotheses", [])),
                                ("lower", entry["lower"] and entry["lower"]["expression"], None if na else claim.get("lower")),
                                ("upper", entry["upper"] and entry["upper"]["expression"], None if na else claim.get("upper"))):
        if canonical(recorded) != canonical(text):
            raise refuted(f"{ep}.{key}", f"records {show(recorded)}, the theorem file says {show(text)}"
                                         + (" (null for N/A)" if na and key in ("lower", "upper") else ""))
    if i > len(instances):
        raise refuted(ep + ".instance", f"the run has {len(instances)} instances")
    only, values = instances[i - 1]
    if only is not None and claim.get("name", "") not in only:
        raise refuted(ep + ".instance", f"instance {i}'s table is limited to the claims {show(only)}")
    if parameters != values:
        raise refuted(ep + ".parameters", f"differ from instance {i}'s: " + ", ".join(f"{k} = {v}" for k, v in values.items()))

    # Hypotheses: N/A exactly when one is false (evaluated in order, up to the first false one).
    false = next((h for h in entry["hypotheses"] if not value_of(h, parameters, bool)), None)
    if na != (false is not None):
        raise refuted(ep + ".verdict", f"{verdict} recorded, but " +
                      (f"hypothesis {show(false)} is false: N/A" if false else "every hypothesis holds"))
    if na:
        for key in ("architecture", "partition", "certified_rank", "min_cut", "certificate", "cut_witness"):
            if entry[key] is not None:
                raise refuted(f"{ep}.{key}", "must be null for N/A")
        return 0

    # The network and the partition are those the claim's templates name.
    if "sizes" not in form:
        raise refuted(ep, "architecture and partition are null, but the verdict is not N/A")
    expected = architecture_of(claim, parameters)
    if canonical(expected) != canonical(entry["architecture"]):
        raise refuted(ep + ".architecture", f"is not the network of the claim's templates, {canonical(expected)}")
    spec = partition_of(claim, parameters)
    if spec != entry["partition"]["spec"]:
        raise refuted(ep + ".partition.spec", f"is not the claim's partition {show(spec)}")

    # The bounds' values, then the verdict from the numbers.
    variables = dict(parameters, size_I=form["sizes"][0], size_J=form["sizes"][1])
    for key, rounding in (("lower", math.ceil), ("upper", math.floor)):
        if form[key] is not None:
            exact = value_of(entry[key]["expression"], variables, Fraction)
            if form[key] != rounding(exact):
                raise refuted(f"{ep}.{key}.value", f"records {show(entry[key]['value'])}, but"
                                                   f" {entry[key]['expression']} = {exact} gives {rounding(exact)}")
    computed = verdict_of(form["lower"], form["upper"], r, B)
    if verdict == "TRIVIAL" and (r is not None or B is not None):
        raise refuted(ep, "a TRIVIAL entry records no certified_rank and no min_cut: there is nothing to prove")
    if computed != verdict:
        raise refuted(ep + ".verdict", f"{verdict} recorded, but (lower, upper, certified_rank, min_cut) ="
                                       f" ({form['lower']}, {form['upper']}, {r}, {B}) give {computed}")
    if (entry["certificate"] is None) != (r is None or r < 1):
        raise refuted(ep + ".certificate", "present exactly when certified_rank >= 1")
    if (entry["cut_witness"] is None) != (B is None):
        raise refuted(ep + ".cut_witness", "present exactly when min_cut is")
    if r is not None and B is not None and r > B:
        raise refuted(ep, f"certified_rank {r} > min_cut {B}: the evidence contradicts itself")

    # The evidence: verified, and about this entry's numbers, network and partition.
    arch, partition = entry["architecture"], entry["partition"]
    bare = {k: v for k, v in arch.items() if k != "sharing"}
    for key, number, name, with_arch in (("certificate", "rank_at_least", "rank", arch),
                                         ("cut_witness", "rank_at_most", "bound", bare)):
        facts = form[key]
        if type(facts) is str:
            raise refuted(f"{ep}.{key}", facts)
        if facts is None:
            continue
        for what, got, want in ((number, facts[name], r if name == "rank" else B),
                                ("prime", facts.get("prime", form["prime"]), form["prime"]),
                                ("architecture", canonical(facts["architecture"]), canonical(with_arch)),
                                ("partition.I", facts["I"], partition["I"]),
                                ("partition.spec", facts["spec"], partition["spec"])):
            if got != want:
                raise refuted(f"{ep}.{key}", f"the evidence's {what} is {show(got)}, the entry's {show(want)}")
    return (entry["certificate"] is not None) + (entry["cut_witness"] is not None)


def check_bundle(root):
    if not os.path.isdir(root):
        raise Verdict(3, f"cannot read {show(root)}: not a directory")
    manifest = parse_json(read_bytes(os.path.join(root, "manifest.json"), "manifest.json"))
    # First pass: the form of everything (exit 2), evidence checked once.
    obj(manifest, "manifest", ("format", "format_version", "seprank_version", "prime", "seed", "extended",
                               "theorems", "summary"))
    choice(manifest["format"], "manifest.format", "seprank-proof-bundle")
    if type(manifest["format_version"]) is int and manifest["format_version"] == 1:
        raise malformed("manifest.format_version", "1 is a bundle from before the TRIVIAL verdict:"
                        " regenerate it with seprank verify --bundle (docs/proof-bundle.md)")
    if type(manifest["format_version"]) is int and manifest["format_version"] == 2:
        raise malformed("manifest.format_version", "2 is a bundle from before each entry's prime:"
                        " regenerate it with seprank verify --bundle (docs/proof-bundle.md)")
    choice(manifest["format_version"], "manifest.format_version", 3)
    typed(manifest["seprank_version"], "manifest.seprank_version", str)
    prime = integer(manifest["prime"], "manifest.prime", 2, 2**63)  # the run's; each entry names its own
    if not is_prime(prime):
        raise malformed("manifest.prime", f"{prime} is not prime")
    typed(manifest["seed"], "manifest.seed", int)
    extended = typed(manifest["extended"], "manifest.extended", bool)
    files, ids = [], set()
    for ti, theorem in enumerate(array(manifest["theorems"], "manifest.theorems")):
        tp = f"manifest.theorems[{ti}]"
        obj(theorem, tp, ("id", "file", "file_sha256", "entries"))
        name = typed(theorem["id"], tp + ".id", str)
        if not re.fullmatch(r"[A-Za-z0-9_-]+", name, re.ASCII) or name in ids:
            raise malformed(tp + ".id", f"{show(name)} is not an ID of letters, digits, '-' and '_', or not unique")
        ids.add(name)
        if theorem["file"] != f"theorems/{name}.toml":
            raise malformed(tp + ".file", f"{show(theorem['file'])} is not \"theorems/{name}.toml\"")
        data = bundle_file(root, theorem["file"], tp + ".file")
        sha256_of(data, theorem["file_sha256"], tp + ".file_sha256")
        claims, instances = load_theorem(data, theorem["file"], extended)
        entries = []
        for ei, entry in enumerate(array(theorem["entries"], tp + ".entries")):
            ep = f"{tp}.entries[{ei}]"
            try:
                entries.append((entry, entry_form(root, entry, ep), ep))
            except Verdict as v:
                raise Verdict(v.args[0], f"{label(name, entry)}: {v.args[1]}") from None
        files.append((name, theorem["file"], claims, instances, entries))
    summary = obj(manifest["summary"], "manifest.summary", tuple(VERDICTS.values()) + ("checks", "evidence_checked", "ok"))
    for key in summary:
        if key in VERDICTS.values() or key in ("checks", "evidence_checked"):
            integer(summary[key], "manifest.summary." + key, 0)
    typed(summary["ok"], "manifest.summary.ok", bool)

    # Second pass: every claim the bundle makes (exit 1).
    counts, pieces = dict.fromkeys(VERDICTS, 0), 0
    for name, file, claims, instances, entries in files:
        seen = set()
        for entry, form, ep in entries:
            try:
                pieces += entry_claims(entry, form, claims, instances, ep)
            except ExpressionError as e:
                raise Verdict(1, f"{label(name, entry)}: refuted: {ep}: {file}: {e}") from None
            except Verdict as v:
                raise Verdict(v.args[0], f"{label(name, entry)}: {v.args[1]}") from None
            pair = form["claim"], form["instance"]
            if pair in seen:
                raise Verdict(1, f"{label(name, entry)}: refuted: {ep}: a second entry for this claim and instance")
            seen.add(pair)
            counts[form["verdict"]] += 1
        expected = {(c, i) for i, (only, _) in enumerate(instances, 1) for c, claim in enumerate(claims, 1)
                    if only is None or claim.get("name", "") in only}
        if seen != expected:
            c, i = min(expected - seen) if expected - seen else min(seen - expected)
            raise Verdict(1, f"{name} claim {c} instance {i}: refuted: {file} has "
                             + ("no entry for it" if (c, i) in expected else "no such claim on that instance"))
    recomputed = {VERDICTS[v]: n for v, n in counts.items()}
    recomputed.update(checks=sum(counts.values()), evidence_checked=counts["PROVEN"] + counts["REFUTED"],
                      ok=counts["REFUTED"] == 0 and counts["UNCONFIRMED"] == 0)
    for key, value in recomputed.items():
        if canonical(summary[key]) != canonical(value):
            raise Verdict(1, f"refuted: manifest.summary.{key}: records {show(summary[key])}, the entries give {show(value)}")
    return (f"VERIFIED: bundle of {recomputed['checks']} verdicts ({counts['PROVEN']} PROVEN,"
            f" {counts['TRIVIAL']} TRIVIAL, {counts['REFUTED']} REFUTED), {pieces} pieces of evidence checked")


def label(name, entry):
    """<theorem, claim, instance> of an entry, for messages."""
    if type(entry) is not dict:
        return name
    return f"{name} claim {show(entry.get('claim'))} instance {show(entry.get('instance'))}"


def main(argv):
    """(exit code, verdict line) of `check_certificate.py FILE` or `--bundle DIR`."""
    args = argv[1:]
    if len(args) not in (1, 2) or (len(args) == 2) != (args[0] == "--bundle"):
        return 3, "NOT VERIFIED: usage: check_certificate.py FILE | --bundle DIR | --help | --version | --limits"
    try:
        if len(args) == 2:
            return 0, check_bundle(args[1])
        return 0, check_document(parse_json(read_bytes(args[0], args[0])))[0]
    except Verdict as v:
        return v.args[0], f"NOT VERIFIED: {v.args[1]}"
    except MemoryError:
        return 2, "NOT VERIFIED: internal error: out of memory"
    except OSError as e:  # I/O that the checks above did not anticipate
        return 3, f"NOT VERIFIED: cannot read: {show(str(e))}"
    except Exception as e:  # a bug here must still yield one verdict line, never a traceback
        return 2, f"NOT VERIFIED: internal error: {type(e).__name__}: {show(str(e))}"


def run(argv):
    """The command: --help and --version print, everything else is one verdict line."""
    if argv[1:] == ["--help"]:
        sys.stdout.write(__doc__.lstrip())
        return 0
    if argv[1:] == ["--version"]:
        sys.stdout.write(VERSION + "\n")
        return 0
    if argv[1:] == ["--limits"]:  # the table of docs/certificate-format.md, "Format limits"
        limits = [("max_rank", MAX_R), ("max_positions", MAX_POSITIONS), ("max_templates", MAX_M),
                  ("max_channels", MAX_CHANNELS), ("max_layers", MAX_LAYERS), ("max_weight_entries", MAX_WEIGHTS),
                  ("max_network_size", MAX_NETWORK), ("max_readings", MAX_READINGS),
                  ("max_cut_items", MAX_CUT_ITEMS), ("max_nesting", MAX_DEPTH)]
        sys.stdout.write("".join(f"{name} {value}\n" for name, value in limits))
        return 0
    try:
        code, line = main(argv)
        data = " ".join(line.split()).encode("ascii", "backslashreplace") + b"\n"
    except BaseException:  # MemoryError or RecursionError while forming the line itself
        code, data = 2, b"NOT VERIFIED: internal error\n"
    while data:  # written unbuffered: nothing is left to allocate or flush once the line is formed
        data = data[os.write(1, data):]
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv))
