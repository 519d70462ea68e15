#!/usr/bin/python3
"""Pictures from seprank's --json outputs (docs/float-comparison.md).

  plot.py spectrum -o spectrum.png COMPARE.json...
      (a) one panel per `seprank compare --json` output: the singular values on a log scale,
      numpy's tolerance as a horizontal line, the exact rank as a vertical line.
  plot.py sweep -o sweep.png --x window|depth [--claim EXPR] [--title T] JSON...
      (b) log_M(rank) against the first layer's window (or the number of GC layers below the
      global one) for a sweep of `seprank rank --json` and/or `seprank compare --json` outputs:
      the exact rank (rank, or exact_rank_mod_p), the float rank (compare outputs), the min-cut
      upper bound and the claimed bound as lines. EXPR is a Python expression in M, R, N, C, L
      (e.g. "M**(R-1)").
  plot.py exponent -o exponent.png --theorem ID [--claim NAME] --x PARAM [--fix P=V]... [--title T]
                   [--xlabel T] VERIFY.json
      (c) log2 of the certified rank against one parameter of a theorem file, from
      `seprank verify FILE --json`: the claimed lower bound, the claimed upper bound (when the
      claim has one) and the min-cut as lines. The rows drawn are the claim's whose parameters
      equal every --fix; the series must then have one row per value of PARAM (else the
      parameters left free are named and nothing is drawn). N/A rows are left out; TRIVIAL rows
      (no rank computed) show their claimed bound only.

Needs Python 3 and matplotlib (Debian: python3-matplotlib) to draw; reading the JSON files
needs only the standard library, which the exponent mode's tests use without matplotlib.
"""
import argparse
import json
import math
import sys


def pyplot():
    """matplotlib.pyplot, for files only (no display); imported when something is drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def describe(j):
    a = j["architecture"]
    shape = str(a["width"]) if a["dims"] == 1 else f'{a["height"]}x{a["width"]}'
    layers = ",".join(
        f'pool{l["window"]}/{l["stride"]}' if l["kind"] == "pool" else f'{l["window"]}/{l["stride"]}/{l["channels"]}'
        for l in a["layers"]
    )
    if len(layers) > 34:
        layers = layers[:31] + "..."
    extra = "" if a["padding"] == "valid" else f', {a["padding"]}'
    return f'N={shape}, M={a["templates"]}{extra}, {layers}'


def spectrum(args):
    plt = pyplot()
    runs = [load(p) for p in args.files]
    fig, axes = plt.subplots(1, len(runs), figsize=(4.6 * len(runs), 3.9), squeeze=False)
    for ax, j in zip(axes[0], runs):
        if j.get("command") != "compare":
            sys.exit(f"plot.py spectrum: {j.get('command')!r} output given, need `seprank compare --json`")
        s = j["singular_values"]
        exact = j["exact_rank_mod_p"]
        if not s:
            ax.text(0.5, 0.5, f'no float rank ({j["verdict"]})', ha="center", transform=ax.transAxes)
            continue
        idx = list(range(1, len(s) + 1))
        shown = [(i, v) for i, v in zip(idx, s) if v > 0]
        colors = ["tab:blue" if i <= exact else "tab:gray" for i, _ in shown]
        ax.scatter([i for i, _ in shown], [v for _, v in shown], c=colors, s=18, zorder=3)
        for i, v in shown:  # subnormal: fewer than 53 significant bits are left
            if v < 2.2250738585072014e-308:
                ax.annotate(f"{v:.2g} (subnormal)", (i, v), textcoords="offset points", xytext=(5, 6), fontsize=7)
        # Exact zeros have no place on a log scale: marked on the bottom edge of the panel.
        zeros = [i for i, v in zip(idx, s) if v <= 0]
        if zeros:
            ax.scatter(zeros, [0.03] * len(zeros), marker="v", c="tab:red", s=30, zorder=4,
                       transform=ax.get_xaxis_transform(), clip_on=False, label="sigma = 0 exactly")
        ax.set_yscale("log")
        ax.set_xlim(0.5, len(s) + 0.5)
        low, high = min(v for _, v in shown), max(v for _, v in shown)
        # A tenth of the smallest subnormal is 0 in double: then the axis starts at it.
        ax.set_ylim(low / 10 if low / 10 > 0 else low, high * 10)
        tol = j["tolerance"]
        if tol > 0:
            ax.axhline(tol, color="tab:orange", ls="--", label=f'numpy tolerance: float rank {j["float_rank"]}')
        else:
            ax.plot([], [], color="tab:orange", ls="--", label=f'numpy tolerance = 0 (underflow): float rank {j["float_rank"]}')
        ax.axvline(exact + 0.5, color="tab:green", lw=2, label=f"exact rank {exact}")
        ax.set_xlabel("i")
        ax.set_ylabel("sigma_i")
        ax.set_title(f'{describe(j)}\n{j["weights"]} seed {j["seed"]}: {j["verdict"]}', fontsize=8.5)
        ax.legend(fontsize=7.5, loc="best")
    fig.suptitle("Singular values of the double-precision matricization (LAPACK dgesdd, as numpy)", fontsize=10)
    fig.tight_layout()
    fig.savefig(args.output, dpi=args.dpi)


def x_value(j, axis):
    layers = [l for l in j["architecture"]["layers"] if l["kind"] == "gc"]
    if axis == "window":
        return layers[0]["window"]
    if axis == "overlap":
        return layers[0]["window"] - layers[0]["stride"]
    return len(j["architecture"]["layers"]) - 1  # layers below the global one


def sweep(args):
    plt = pyplot()
    runs = [load(p) for p in args.files]
    m = runs[0]["architecture"]["templates"]
    log_m = lambda v: math.log(v, m) if v and float(v) > 0 else float("nan")  # noqa: E731
    # A rank output and a compare output of the same instance share one x: the exact rank comes
    # from either (they agree), the float rank from the compare output.
    points = {}
    for j in runs:
        p = points.setdefault(x_value(j, args.x), {"json": j, "exact": None, "float": None, "cut": None})
        p["exact"] = j["rank"] if j["command"] == "rank" else j["exact_rank_mod_p"]
        if j["command"] == "compare":
            p["float"], p["compared"] = j["float_rank"], True
        if j.get("upper_bound") is not None:
            p["cut"] = int(j["upper_bound"])  # a decimal string (docs/schema/README.md)
    xs = sorted(points)
    exact = [log_m(points[x]["exact"]) for x in xs]
    floats = [log_m(points[x]["float"]) if points[x]["float"] else float("nan") for x in xs]
    cuts = [log_m(points[x]["cut"]) for x in xs]
    claims = []
    for x in xs:
        j = points[x]["json"]
        if args.claim:
            first = [l for l in j["architecture"]["layers"] if l["kind"] == "gc"][0]
            env = {"M": m, "R": first["window"], "C": first["channels"], "N": j["architecture"]["width"],
                   "L": len(j["architecture"]["layers"]) - 1, "min": min, "max": max}
            claims.append(log_m(eval(args.claim, {"__builtins__": {}}, env)))
    runs = [points[x]["json"] for x in xs]
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.plot(xs, cuts, color="tab:purple", lw=1.5, label="min-cut upper bound (all weights)")
    if args.claim:
        ax.plot(xs, claims, color="tab:green", ls="--", lw=1.5, label=f"claimed: {args.claim}")
    ax.plot(xs, exact, "o", color="tab:blue", ms=7, label="exact rank (mod p, certified lower bound)")
    if any(not math.isnan(v) for v in floats):
        ax.plot(xs, floats, "x", color="tab:red", ms=9, mew=2, label="float rank (numpy matrix_rank)")
    for x in xs:  # name the disagreements: on a log scale 63 and 64 look alike
        f, e = points[x]["float"], points[x]["exact"]
        if points[x].get("compared") and f != e:
            y = log_m(f) if f else 0
            ax.annotate(f"float {f if f is not None else 'none'}\nexact {e}", (x, y), textcoords="offset points",
                        xytext=(6, -22), fontsize=7, color="tab:red")
    ax.set_xlabel({"window": "window R of the first layer", "overlap": "overlap R - S of the first layer",
                   "depth": "GC layers below the global layer"}[args.x])
    ax.set_ylabel(f"log_{m}(rank)")
    ax.set_xticks(sorted(set(xs)))
    ax.grid(alpha=0.3)
    ax.set_title(args.title or describe(runs[-1]), fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.output, dpi=args.dpi)


def parameters_of(parameters):
    """verify --json's {"C": "2", "M": "2", "N": "8"} (values kept exact, as text), checked."""
    if not isinstance(parameters, dict):
        raise ValueError("an instance's parameters are not an object: a verify --json of schema_version 3 is needed")
    return dict(parameters)


def number(text):
    """A bound or a min-cut as verify --json writes it: null (none) -> None, else an int."""
    return None if text is None else int(text)


def exponent_series(doc, theorem, claim, x, fixed):
    """The rows of `claim` (None: the file's only claim) of theorem `theorem` in a verify --json
    document whose parameters equal `fixed` (name -> text), sorted by parameter x: a list of
    {"x", "rank", "lower", "upper", "cut", "status"} (ints or None). Raises ValueError naming
    what is wrong: no such theorem or claim, no rows, or two rows at one x (the free parameters)."""
    if doc.get("command") != "verify":
        raise ValueError(f"a {doc.get('command')!r} output given, need `seprank verify --json`")
    found = [t for t in doc["theorems"] if t["id"] == theorem]
    if not found:
        raise ValueError(f"no theorem {theorem!r} in the verify output (it has {[t['id'] for t in doc['theorems']]})")
    names = sorted({n for i in found[0]["instances"] for n in i["claim_names"]})
    if claim is None and len(names) > 1:
        raise ValueError(f"theorem {theorem} has several claims: name one with --claim ({names})")
    if claim is not None and claim not in names:
        raise ValueError(f"theorem {theorem} has no claim {claim!r} (it has {names})")
    rows, free = {}, set()
    for instance in found[0]["instances"]:
        p = parameters_of(instance["parameters"])
        if x not in p or any(p.get(k) != v for k, v in fixed.items()):
            continue
        for name, c in zip(instance["claim_names"], instance["claims"]):
            if (claim is not None and name != claim) or c["status"] == "N/A":
                continue
            at = int(p[x])
            if at in rows:
                free |= {k for k in p if k != x and k not in fixed and p[k] != rows[at]["parameters"][k]}
            rows[at] = {"x": at, "rank": c["certified_lower"], "lower": number(c["claimed_lower"]),
                        "upper": number(c["claimed_upper"]), "cut": number(c["min_cut"]), "status": c["status"],
                        "parameters": p}
    if free:
        raise ValueError(f"several rows at one {x}: fix {sorted(free)} with --fix")
    if not rows:
        raise ValueError(f"no row of theorem {theorem} has {x} and the parameters {fixed}")
    return [{k: v for k, v in rows[at].items() if k != "parameters"} for at in sorted(rows)]


def exponent(args):
    fixed = {}
    for item in args.fix:
        name, _, value = item.partition("=")
        if not name or not value:
            sys.exit(f"plot.py exponent: --fix {item!r} is not NAME=VALUE")
        fixed[name] = value
    try:
        series = exponent_series(load(args.files[0]), args.theorem, args.claim, args.x, fixed)
    except ValueError as e:
        sys.exit(f"plot.py exponent: {args.files[0]}: {e}")
    plt = pyplot()
    log2 = lambda v: math.log2(v) if v is not None and v > 0 else float("nan")  # noqa: E731
    xs = [r["x"] for r in series]
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.plot(xs, [log2(r["cut"]) for r in series], color="tab:purple", lw=4, alpha=0.45,
            label="min-cut (upper bound, all weights)")
    if any(r["upper"] is not None for r in series):
        ax.plot(xs, [log2(r["upper"]) for r in series], color="tab:orange", ls=":", lw=2, label="claimed upper bound")
    if any(r["lower"] is not None for r in series):
        ax.plot(xs, [log2(r["lower"]) for r in series], color="tab:green", ls="--", lw=1.5, label="claimed lower bound")
    ax.plot(xs, [log2(r["rank"]) for r in series], "o", color="tab:blue", ms=7,
            label="certified rank (mod p, almost all weights)")
    for r in series:
        if r["status"] != "PROVEN":
            ax.annotate(r["status"], (r["x"], log2(r["lower"] if r["rank"] is None else r["rank"])),
                        textcoords="offset points", xytext=(5, 5), fontsize=7)
    ax.set_xlabel(args.xlabel or args.x)
    ax.set_ylabel("log2(rank)")
    ax.set_xticks(xs)
    ax.grid(alpha=0.3)
    fixed_text = ", ".join(f"{k}={v}" for k, v in sorted(fixed.items()))
    ax.set_title(args.title or f"{args.theorem}{' ' + args.claim if args.claim else ''}: {fixed_text}", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.output, dpi=args.dpi)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("spectrum", help="(a) singular-value spectra of compare outputs")
    a.add_argument("files", nargs="+")
    b = sub.add_parser("sweep", help="(b) log_M(rank) against window size, overlap or depth")
    b.add_argument("files", nargs="+")
    b.add_argument("--x", choices=["window", "overlap", "depth"], default="window")
    b.add_argument("--claim", help="claimed rank as a Python expression in M, R, C, N, L")
    b.add_argument("--title")
    c = sub.add_parser("exponent", help="(c) log2(rank) of a theorem's claim against one parameter")
    c.add_argument("files", nargs=1, metavar="VERIFY.json")
    c.add_argument("--theorem", required=True, help="the theorem id, e.g. C2")
    c.add_argument("--claim", help="the claim's name (needed when the file has several)")
    c.add_argument("--x", required=True, help="the parameter on the x axis, e.g. R")
    c.add_argument("--fix", action="append", default=[], metavar="NAME=VALUE", help="keep only rows with this value")
    c.add_argument("--title")
    c.add_argument("--xlabel", help="the x axis' label (default: the parameter's name)")
    for p in (a, b, c):
        p.add_argument("-o", "--output", required=True)
        p.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    {"spectrum": spectrum, "sweep": sweep, "exponent": exponent}[args.command](args)


if __name__ == "__main__":
    main()
