#!/usr/bin/env python3
"""Independent checker for seprank certificates (docs/certificate-format.md, version 1).

Usage: python3 checker/check_certificate.py FILE

Recomputes the r x r selected entries of the grid-tensor matricization by its own forward
evaluation of the network written in the certificate, and their determinant modulo p; checks
that the recorded index sets are those partition.spec and partition.vary name.
Standard library only; it shares no code with the C++ tools, on purpose.

Prints exactly one verdict line on stdout and exits with
  0  VERIFIED: rank >= r over GF(p)
  1  NOT VERIFIED: refuted (the determinant is zero or differs from the recorded one)
  2  NOT VERIFIED: malformed certificate (also: internal error, which should not happen)
  3  NOT VERIFIED: the file cannot be read (or no FILE was given)
"""
import hashlib
import json
import sys
from operator import mul

# Version-1 size limits, checked before anything proportional to them is built.
MAX_R, MAX_POSITIONS, MAX_M, MAX_CHANNELS, MAX_LAYERS, MAX_WEIGHTS = 16384, 64, 64, 4096, 64, 10**6
MAX_DEPTH = 256  # arrays and objects nested deeper are malformed anywhere in the document
CACHE_BUDGET = 1 << 21  # integers kept in memoized unit outputs (see make_forward)
MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)  # exact for n < 3.3e24
KINDS = {bool: "a boolean", float: "a non-integer number", str: "a string", list: "an array",
         dict: "an object", type(None): "null", int: "an integer"}


class Verdict(Exception):
    """Verdict(exit code, message) ends the check with that verdict."""


def malformed(path, why):
    return Verdict(2, f"malformed: {path}: {why}")


def show(v):
    """A short, ASCII-only rendering of a JSON value for messages."""
    try:
        s = json.dumps(v)
    except (ValueError, RecursionError):  # e.g. an integer too long to print
        s = KINDS.get(type(v), "?")
    return s if len(s) <= 48 else s[:30] + "..." + s[-10:]


def typed(v, path, typ):
    # Exact type test: JSON true/false parse to bool, a subclass of int, and must not pass as one.
    if type(v) is not typ:
        raise malformed(path, f"expected {KINDS[typ]}, got {KINDS[type(v)]}")
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


def axis(n, R, S, same, path):
    """(out, pad_before) of one spatial axis."""
    if not same:
        if n < R:
            raise malformed(path, f"window {show(R)} exceeds the input extent {n} (valid padding)")
        return (n - R) // S + 1, 0
    out = -(-n // S)
    return out, max((out - 1) * S + R - n, 0) // 2  # TensorFlow: the smaller half before


def parse_network(net, p):
    """Validates `network`; returns (H, W, F, layers, readout), each layer being
    (units, weight matrices or None for pool, channels), units[u] = [(input position, matrix)]."""
    obj(net, "network", ("input", "templates", "padding", "sharing", "representation", "layers",
                         "readout"), closed=True)
    inp = obj(net["input"], "network.input", ("dims", "height", "width"), closed=True)
    dims = choice(inp["dims"], "network.input.dims", 1, 2)
    H = integer(inp["height"], "network.input.height", 1, MAX_POSITIONS + 1)
    W = integer(inp["width"], "network.input.width", 1, MAX_POSITIONS + 1)
    if dims == 1 and H != 1:
        raise malformed("network.input.height", f"is {H}, must be 1 when dims is 1")
    if H * W > MAX_POSITIONS:
        raise malformed("network.input", f"{H}x{W} positions, more than the limit {MAX_POSITIONS}")
    M = integer(net["templates"], "network.templates", 1, MAX_M + 1)
    same = choice(net["padding"], "network.padding", "valid", "same") == "same"
    sharing = choice(net["sharing"], "network.sharing", "conv", "local", "1x1")
    F = matrix(net["representation"], "network.representation", M, M, p)
    if not array(net["layers"], "network.layers", limit=MAX_LAYERS):
        raise malformed("network.layers", "no layers")
    h, w, C_in, geometry = H, W, M, []
    for li, spec in enumerate(net["layers"]):  # geometry first: its errors explain the rest
        path = f"network.layers[{li}]"
        pool = choice(obj(spec, path, ("kind",))["kind"], path + ".kind", "gc", "pool") == "pool"
        obj(spec, path, ("kind", "window", "stride") + (() if pool else ("channels", "weights")),
            closed=True)
        R = integer(spec["window"], path + ".window", 1, 2**64)  # the spec's range: 64-bit, as in C++
        S = integer(spec["stride"], path + ".stride", 1, 2**64)
        Rh, Sh = (1, 1) if dims == 1 else (R, S)
        oh, pby = axis(h, Rh, Sh, same, path + ".window")
        ow, pbx = axis(w, R, S, same, path + ".window")
        C = C_in if pool else integer(spec["channels"], path + ".channels", 1, MAX_CHANNELS + 1)
        geometry.append((spec, path, pool, h, w, R, S, Rh, Sh, oh, ow, pby, pbx, C_in, C))
        h, w, C_in = oh, ow, C
    if (h, w) != (1, 1):
        raise malformed("network.layers", f"the last layer leaves {h}x{w} positions, not 1")
    C_L, total, layers = C_in, 0, []
    for spec, path, pool, h, w, R, S, Rh, Sh, oh, ow, pby, pbx, C_in, C in geometry:
        K, mats = Rh * R, None  # offsets per unit; R may be huge under `same`, never iterated
        if not pool:
            count = {"conv": K, "local": oh * ow * K, "1x1": 1}[sharing]
            total += count * C * C_in
            if total > MAX_WEIGHTS:  # before touching the array
                raise malformed(path + ".weights", f"weights total more than {MAX_WEIGHTS} entries")
            mats = [matrix(m, f"{path}.weights[{i}]", C, C_in, p)
                    for i, m in enumerate(array(spec["weights"], path + ".weights", count))]
        units = []
        for uy in range(oh):  # units and offsets row-major; offsets off the map left out
            for ux in range(ow):
                y0, x0, u = uy * Sh - pby, ux * S - pbx, uy * ow + ux
                pairs = []
                for oy in range(max(0, -y0), min(Rh, h - y0)):
                    for ox in range(max(0, -x0), min(R, w - x0)):
                        k = oy * R + ox
                        m = None if pool else {"conv": k, "local": u * K + k, "1x1": 0}[sharing]
                        pairs.append(((y0 + oy) * w + x0 + ox, m))
                units.append(pairs)
        layers.append((units, mats, C))
    return H, W, F, layers, int_row(net["readout"], "network.readout", C_L, p)


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


def check_partition_spec(spec, I, H, W, dims):
    """partition.spec must name exactly partition.I (docs/model.md "Partitions")."""
    path, n = "partition.spec", H * W
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


def fmt(positions):
    return "[" + ",".join(map(str, positions)) + "]"


def check(doc):
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
    H, W, F, layers, readout = parse_network(doc["network"], p)
    digest = typed(doc["network_sha256"], "network_sha256", str)
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
        raise malformed("network_sha256", "not 64 lowercase hexadecimal digits")
    canon = json.dumps(doc["network"], sort_keys=True, separators=(",", ":")).encode()
    if hashlib.sha256(canon).hexdigest() != digest:
        raise malformed("network_sha256", "does not match the canonical serialization of network")
    if not is_prime(p):
        raise malformed("claim.prime", f"{p} is not prime")
    partition = obj(doc["partition"], "partition", ("I",))
    I = array(partition["I"], "partition.I", limit=H * W)
    for t, i in enumerate(I):
        if integer(i, f"partition.I[{t}]", 0, H * W) <= (I[t - 1] if t else -1):
            raise malformed(f"partition.I[{t}]", f"{i} after {I[t - 1]}: not strictly increasing")
    if not 0 < len(I) < H * W:
        raise malformed("partition.I", "I and J must both be non-empty")
    J = sorted(set(range(H * W)) - set(I))
    if "spec" in partition:  # optional
        check_partition_spec(partition["spec"], I, H, W, doc["network"]["input"]["dims"])
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
    return f"VERIFIED: rank >= {r} over GF({p})"


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


def main(argv):
    if len(argv) != 2:
        return 3, "NOT VERIFIED: usage: check_certificate.py FILE"
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
    except (OSError, ValueError) as e:  # ValueError: e.g. a NUL byte in the name
        return 3, f"NOT VERIFIED: cannot read {show(argv[1])}: {getattr(e, 'strerror', None) or e}"
    try:
        try:
            doc = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates,
                             parse_constant=no_constant, parse_float=finite_float, parse_int=finite_int)
        except UnicodeDecodeError as e:
            raise Verdict(2, f"malformed: not UTF-8 (byte {e.start})")
        except RecursionError:
            raise Verdict(2, "malformed: JSON nested too deeply")
        except ValueError as e:  # JSONDecodeError, and integers too long to convert
            raise Verdict(2, f"malformed: not valid JSON: {e}")
        return 0, check(portable(doc))
    except Verdict as v:
        return v.args[0], f"NOT VERIFIED: {v.args[1]}"
    except MemoryError:
        return 2, "NOT VERIFIED: internal error: out of memory"
    except Exception as e:  # a bug here must still yield one verdict line, never a traceback
        return 2, f"NOT VERIFIED: internal error: {type(e).__name__}: {show(str(e))}"


if __name__ == "__main__":
    code, line = main(sys.argv)
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    sys.exit(code)
