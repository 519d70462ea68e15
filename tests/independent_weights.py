#!/usr/bin/env python3
"""The weights seprank draws, computed independently from docs/model.md (standard library only).

Written from the text of docs/model.md, "Random weights", sharing no code with src/:
  - one SplitMix64 generator (Vigna's reference constants) seeded with --seed;
  - over GF(p): x is drawn until x <= 2^64 - 1 - (2^64 mod p), and x mod p is used;
  - over Q: the same map with bound 2B + 1, minus B;
  - the order of draws: F row-major (skipped for identity); then for each GC layer in order
    its matrices in sharing order (conv: offset k; local: unit u, then offset k; 1x1: one),
    each C_l x C_{l-1} row-major; then the readout a.
The geometry that fixes how many matrices a local layer owns comes from "Padding" of the same
document. Prints one JSON object shaped like a certificate's `network` (docs/certificate-format.md):
input, templates, padding, sharing, representation, layers, readout; over Q the weights are the
signed integers themselves (a certificate holds them reduced mod its prime).

Also: --splitmix SEED COUNT prints the first COUNT raw outputs of SplitMix64(SEED) as a JSON list;
--batch FILE reads one set of these arguments per line of FILE and prints a JSON array with one
result per line (one interpreter start for many requests).
"""

import argparse
import json
import shlex
import sys

MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def uniform_below(rng, bound):
    """x drawn until x <= 2^64 - 1 - (2^64 mod bound), then x mod bound."""
    limit = (1 << 64) - 1 - ((1 << 64) % bound)
    while True:
        x = rng.next()
        if x <= limit:
            return x % bound


def axis(n, window, stride, same):
    """(out, pad_before) of one spatial axis of extent n (docs/model.md "Padding")."""
    if same:
        out = -(-n // stride)
        pad_total = max((out - 1) * stride + window - n, 0)
        return out, pad_total // 2
    if window > n:
        raise SystemExit("window %d larger than the map (%d) under valid padding" % (window, n))
    return (n - window) // stride + 1, 0


def parse_layers(text):
    layers = []
    for item in text.split(","):
        if item.startswith("pool"):
            parts = item[4:].split("/")
            window = int(parts[0])
            stride = int(parts[1]) if len(parts) == 2 else window
            layers.append({"kind": "pool", "window": window, "stride": stride})
        else:
            window, stride, channels = (int(v) for v in item.split("/"))
            layers.append({"kind": "gc", "window": window, "stride": stride, "channels": channels})
    return layers


def network(args):
    if "x" in args.input:
        height, width = (int(v) for v in args.input.split("x"))
        dims = 2
    else:
        height, width, dims = 1, int(args.input), 1
    m = args.templates
    if args.field == "gfp":
        def draw():
            return uniform_below(rng, args.prime)
    else:
        def draw():
            return uniform_below(rng, 2 * args.weight_bound + 1) - args.weight_bound
    rng = SplitMix64(args.seed)
    if args.templates_matrix == "identity":
        representation = [[1 if r == c else 0 for c in range(m)] for r in range(m)]
    else:
        representation = [[draw() for _ in range(m)] for _ in range(m)]
    same = args.padding == "same"
    h, w, channels = height, width, m
    layers = []
    for spec in parse_layers(args.layers):
        # 1D: the row axis uses window 1, stride 1.
        out_h, _ = axis(h, spec["window"] if dims == 2 else 1, spec["stride"] if dims == 2 else 1, same)
        out_w, _ = axis(w, spec["window"], spec["stride"], same)
        offsets = spec["window"] * (spec["window"] if dims == 2 else 1)
        if spec["kind"] == "gc":
            count = {"conv": offsets, "local": out_h * out_w * offsets, "1x1": 1}[args.sharing]
            out_channels = spec["channels"]
            # Matrix t is drawn whole (C_l rows of C_{l-1}, row-major) before matrix t + 1.
            spec["weights"] = [[[draw() for _ in range(channels)] for _ in range(out_channels)]
                               for _ in range(count)]
            channels = out_channels
        layers.append(spec)
        h, w = out_h, out_w
    if (h, w) != (1, 1):
        raise SystemExit("the last layer leaves %dx%d positions" % (h, w))
    readout = [draw() for _ in range(channels)]
    return {
        "input": {"dims": dims, "height": height, "width": width},
        "templates": m,
        "padding": args.padding,
        "sharing": args.sharing,
        "representation": representation,
        "layers": layers,
        "readout": readout,
    }


def parser():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", metavar="FILE")
    p.add_argument("--splitmix", nargs=2, type=int, metavar=("SEED", "COUNT"))
    p.add_argument("--input")
    p.add_argument("--templates", type=int, default=2)
    p.add_argument("--layers")
    p.add_argument("--sharing", default="conv", choices=["conv", "local", "1x1"])
    p.add_argument("--padding", default="valid", choices=["valid", "same"])
    p.add_argument("--field", default="gfp", choices=["gfp", "Q"])
    p.add_argument("--prime", type=int, default=(1 << 62) - 57)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--templates-matrix", dest="templates_matrix", default="random",
                   choices=["random", "identity"])
    p.add_argument("--weight-bound", dest="weight_bound", type=int, default=100)
    return p


def result(p, args):
    if args.splitmix:
        rng = SplitMix64(args.splitmix[0])
        return [rng.next() for _ in range(args.splitmix[1])]
    if args.input is None or args.layers is None:
        p.error("--input and --layers are required (or --splitmix SEED COUNT, or --batch FILE)")
    return network(args)


def main():
    p = parser()
    args = p.parse_args()
    if args.batch:
        with open(args.batch, encoding="utf-8") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
        print(json.dumps([result(p, p.parse_args(shlex.split(line))) for line in lines]))
    else:
        print(json.dumps(result(p, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
