#!/usr/bin/env python3
"""Random networks up to the format limits (docs/certificate-format.md, "Format limits"):
whatever `seprank certify` writes, both checkers verify; one step beyond a limit, certify
refuses at once (exit 69, the limit named) and writes nothing.

Each network is drawn from a fixed seed: 1D or 2D input of up to 1024 positions (64 and 1024
exactly in a share of them), M up to 64, up to 64 layers (stacks of 1x1 windows reach 64), gc and pool
layers, strides up to the window + 1, valid and same padding, every sharing mode, channels up
to 4096 with up to 10^6 weight entries, every partition kind, a --vary submatrix of one or two
positions a side, fixed templates, the default and the fast prime. The submatrix is kept small
enough for the Python checker (r^2 forward passes over the whole network).

usage: test_certify_within_format_limits.py --seprank BIN --seprank-check BIN [--networks N] [--seed S]
Exit status 0 when every check passed, 1 otherwise. Standard library only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(REPO, "checker", "check_certificate.py")

MAX_POSITIONS, MAX_TEMPLATES, MAX_CHANNELS, MAX_LAYERS, MAX_WEIGHTS = 1024, 64, 4096, 64, 10**6
CHECKER_WORK = 3 * 10**7  # r^2 x weight entries: what the Python checker may spend on one network

failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


class Network:
    """A drawn network: the command-line words and what the limits count."""

    def __init__(self, dims, height, width, templates, layers, sharing, padding):
        self.dims, self.height, self.width = dims, height, width
        self.templates, self.layers, self.sharing, self.padding = templates, layers, sharing, padding

    def positions(self):
        return self.height * self.width

    def shape(self):
        return str(self.width) if self.dims == 1 else f"{self.height}x{self.width}"

    def layer_words(self):
        return ",".join(f"pool{r}/{s}" if pool else f"{r}/{s}/{c}" for pool, r, s, c in self.layers)

    def geometry(self):
        """Per layer: (pool, offsets K, units, C_in, C_out), following docs/model.md."""
        h, w, c_in, out = self.height, self.width, self.templates, []
        for pool, r, s, c in self.layers:
            def axis(n):
                if self.padding == "same":
                    return -(-n // s)
                return (n - r) // s + 1
            oh = axis(h) if self.dims == 2 else 1
            ow = axis(w)
            k = r * r if self.dims == 2 else r
            c_out = c_in if pool else c
            out.append((pool, k, oh * ow, c_in, c_out))
            h, w, c_in = oh, ow, c_out
        return out

    def weight_entries(self):
        total = 0
        for pool, k, units, c_in, c_out in self.geometry():
            if not pool:
                matrices = {"conv": k, "local": units * k, "1x1": 1}[self.sharing]
                total += matrices * c_in * c_out
        return total

    def args(self):
        return ["--input", self.shape(), "--templates", str(self.templates), "--layers", self.layer_words(),
                "--sharing", self.sharing, "--padding", self.padding]


def final_layer(rng, h, w, dims, padding):
    """A window and stride that leave exactly one position."""
    big, small = max(h, w), min(h, w) if dims == 2 else w
    if padding == "same":
        return rng.randint(1, big), big
    return small, big - small + 1


def draw_network(rng):
    while True:
        dims = rng.choice([1, 2])
        if dims == 1:
            height, width = 1, rng.choice([MAX_POSITIONS, 64, rng.randint(2, 64)])
        else:
            height, width = rng.choice([(32, 32), (16, 64), (8, 8), (2, 32), (rng.randint(1, 8), rng.randint(2, 8))])
        templates = rng.choice([MAX_TEMPLATES, 2, 3, rng.randint(2, MAX_TEMPLATES)])
        sharing = rng.choice(["conv", "local", "1x1"])
        padding = rng.choice(["valid", "valid", "same"])
        layers, h, w = [], height, width
        if rng.random() < 0.15:  # a deep stack of 1x1 windows: up to the layer limit
            layers += [(False, 1, 1, rng.randint(1, 3)) for _ in range(rng.randint(30, MAX_LAYERS - 1))]
        for _ in range(rng.randint(0, 3)):
            side = min(h, w) if dims == 2 else w
            if side < 2:
                break
            r = rng.randint(1, side)
            s = rng.randint(1, r + 1)
            pool = rng.random() < 0.25
            layers.append((pool, r, s, 0 if pool else rng.choice([1, 2, 3, 4, 8, 64, 1000, MAX_CHANNELS])))
            if padding == "same":
                h2, w2 = (-(-h // s) if dims == 2 else 1), -(-w // s)
            else:
                h2, w2 = ((h - r) // s + 1 if dims == 2 else 1), (w - r) // s + 1
            h, w = h2, w2
        if h * w > 1:
            r, s = final_layer(rng, h, w, dims, padding)
            layers.append((False, r, s, rng.choice([1, 2, 3, MAX_CHANNELS])))
        net = Network(dims, height, width, templates, layers, sharing, padding)
        if len(layers) > MAX_LAYERS:
            continue
        # Keep the weights within the limit: lower the largest channel counts until they fit.
        for _ in range(40):
            if net.weight_entries() <= MAX_WEIGHTS:
                break
            i = max(range(len(layers)), key=lambda j: layers[j][3])
            pool, r, s, c = layers[i]
            layers[i] = (pool, r, s, max(1, c // 4))
        if net.weight_entries() <= MAX_WEIGHTS:
            return net


def draw_partition_and_vary(rng, net):
    n = net.positions()
    kinds = ["left-right", "odd-even", "mask"] + (["top-bottom"] if net.dims == 2 and net.height > 1 else [])
    kind = rng.choice(kinds)
    if kind == "mask":
        bits = [rng.randint(0, 1) for _ in range(n)]
        bits[0], bits[-1] = 1, 0
        spec = "mask:" + "".join(map(str, bits))
        in_i = [p for p in range(n) if bits[p]]
    elif kind == "left-right":
        spec = kind
        in_i = [p for p in range(n) if p % net.width < net.width // 2]
    elif kind == "top-bottom":
        spec = kind
        in_i = [p for p in range(n) if p // net.width < net.height // 2]
    else:
        spec = kind
        in_i = [p for p in range(n) if (p // net.width + p % net.width) % 2 == 0] if net.dims == 2 else \
               [p for p in range(n) if p % 2 == 0]
    in_j = [p for p in range(n) if p not in in_i]
    return spec, in_i, in_j


def run(command):
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def check_both(seprank_check, path, rank):
    want = f"rank >= {rank} over GF("
    for name, command in (("seprank-check", [seprank_check, path]), ("python checker", [sys.executable, CHECKER, path])):
        r = run(command)
        if r.returncode != 0 or not r.stdout.startswith("VERIFIED: " + want):
            fail(f"{name} on {path}: exit {r.returncode}: {r.stdout.strip()} {r.stderr.strip()[-300:]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--seprank-check", required=True)
    parser.add_argument("--networks", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="seprank_format_limits_")
    certified = refused_zero = 0
    largest = {"positions": 0, "templates": 0, "channels": 0, "layers": 0, "weights": 0}
    for index in range(args.networks):
        net = draw_network(rng)
        spec, in_i, in_j = draw_partition_and_vary(rng, net)
        weights = max(net.weight_entries(), 1)
        m = net.templates
        # One or two varying positions a side, as many as the Python checker's budget allows.
        per_side = 2 if m ** 2 * m ** 2 * weights <= CHECKER_WORK and rng.random() < 0.5 else 1
        if m * m * weights > CHECKER_WORK:
            # Hold M down rather than skip: one position a side gives at most an M x M minor.
            m = net.templates = max(2, int((CHECKER_WORK / weights) ** 0.5))
            weights = max(net.weight_entries(), 1)
            if m * m * weights > CHECKER_WORK:
                continue
        vary = sorted(rng.sample(in_i, min(per_side, len(in_i))) + rng.sample(in_j, min(per_side, len(in_j))))
        fixed = str(rng.randint(0, min(m, 10) - 1))
        prime = rng.choice([[], ["--prime", "fast"]])
        path = os.path.join(work, f"net{index}.json")
        command = [args.seprank, "certify", *net.args(), "--partition", spec, "--vary",
                   "indices:" + ",".join(map(str, vary)), "--fixed-templates", fixed, "--seed",
                   str(rng.randint(1, 10**6)), *prime, "--json", "-o", path]
        r = run(command)
        described = " ".join(command[2:-3])
        if r.returncode == 65 and "zero" in r.stderr:
            refused_zero += 1  # the submatrix vanishes: nothing to certify (and nothing written)
            if os.path.exists(path):
                fail(f"{described}: refused but wrote {path}")
            continue
        if r.returncode != 0:
            fail(f"{described}: exit {r.returncode}: {r.stderr.strip()}")
            continue
        rank = json.loads(r.stdout)["rank"]
        check_both(args.seprank_check, path, rank)
        certified += 1
        largest["positions"] = max(largest["positions"], net.positions())
        largest["templates"] = max(largest["templates"], net.templates)
        largest["channels"] = max(largest["channels"], max((c for pool, _, _, c in net.layers if not pool), default=0))
        largest["layers"] = max(largest["layers"], len(net.layers))
        largest["weights"] = max(largest["weights"], net.weight_entries())
        os.remove(path)

    # One step beyond each limit: refused at once, the limit named, nothing written.
    path = os.path.join(work, "beyond.json")
    beyond = [
        ("max_positions", ["--input", "1025", "--layers", "1025/1/1", "--vary", "indices:0,1024"]),
        ("max_positions", ["--input", "5x205", "--layers", "5/1/2,1/1/1,pool1/201", "--vary", "indices:0,1024"]),
        ("max_templates", ["--input", "4", "--templates", "65", "--layers", "4/1/1", "--vary", "indices:0,3"]),
        ("max_channels", ["--input", "8", "--layers", "2/2/4097,4/1/1", "--sharing", "1x1"]),
        ("max_layers", ["--input", "2", "--layers", ",".join(["1/1/1"] * 64 + ["2/1/1"])]),
        # conv, 1D: 1000 x 2 (window 1), then 1000 x 1000 x 1 and 1 x 1000 x 1 ... : 10^6 + 2000 + 1000.
        ("max_weight_entries", ["--input", "3", "--layers", "1/1/1000,1/1/1000,3/1/1"]),
        ("max_rank", ["--input", "30", "--layers", "2/2/2,15/1/1", "--partition", "odd-even",
                      "--max-memory", "100000"]),
    ]
    for limit, words in beyond:
        r = run([args.seprank, "certify", *words, "-o", path])
        if r.returncode != 69 or f"{limit} = " not in r.stderr or r.stdout or os.path.exists(path):
            fail(f"certify {' '.join(words)}: expected exit 69 naming {limit}, got {r.returncode}: {r.stderr.strip()}")
    print(f"{certified} certificates verified by both checkers, {refused_zero} zero submatrices refused, "
          f"{len(beyond)} networks one step beyond a limit refused; largest certified: "
          + ", ".join(f"{k} {v}" for k, v in largest.items()))
    if certified < args.networks // 2:
        fail(f"only {certified} of {args.networks} networks were certified")
    os.rmdir(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
