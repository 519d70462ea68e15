#!/usr/bin/env python3
"""docs/catalogue.md and docs/catalogue.csv from the JSON Lines of `seprank sweep` (standard
library only). Every number in the document is computed here from the lines; nothing is typed in.

    python3 tools/catalogue_report.py LINES.jsonl --family FAMILY.toml --csv OUT.csv --markdown OUT.md [--measured TEXT]
"""
import argparse
import collections
import csv
import io
import json
import os
import sys

CSV_COLUMNS = ["index", "group", "input", "templates", "depth", "layers", "sharing", "padding", "partition",
               "certified_on", "assembled_rows", "assembled_cols", "certified_rank", "min_cut", "settled"]


def read_lines(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            row = json.loads(line)
            # Exact numbers are decimal strings (docs/schema/README.md); Python's ints are exact.
            for key in ("rows", "cols", "min_cut"):
                if row.get(key) is not None:
                    row[key] = int(row[key])
            if row["index"] != number - 1:
                sys.exit(f"{path}:{number}: index {row['index']}, expected {number - 1} (a sharded or partial run?)")
            rows.append(row)
    if not rows:
        sys.exit(f"{path}: no lines")
    if len(rows) != rows[0]["family_size"]:
        sys.exit(f"{path}: {len(rows)} lines, family_size {rows[0]['family_size']}")
    if len({r["fingerprint"] for r in rows}) != 1:
        sys.exit(f"{path}: lines of more than one run")
    return rows


def pooling_kind(row):
    layers = row["layers"].split(",")
    below, top = layers[:-1], layers[-1]
    pooled_below = any(l.startswith("pool") for l in below)
    if top.startswith("pool"):
        return "product pooling (global layer)" if not pooled_below else "product pooling (below and global)"
    return "product pooling (below the global layer)" if pooled_below else "weighted only"


def partition_kind(row):
    p = row["partition"]
    return p.split(":")[0] + ":..." if ":" in p else p


def cell(v):
    return "-" if v is None else str(v)


def share(settled, total):
    return f"{100.0 * settled / total:.1f}%" if total else "-"


def count_table(rows, key, title):
    counts = collections.OrderedDict()
    for r in rows:
        k = key(r)
        c = counts.setdefault(k, [0, 0, 0])
        c[0] += 1
        c[1] += r["settled"]
        c[2] += r["certified_on"] == "sub-selection"
    out = [f"| {title} | architectures | settled | share | on a sub-selection |", "|---|---:|---:|---:|---:|"]
    for k, (n, s, sub) in counts.items():
        out.append(f"| {k} | {n} | {s} | {share(s, n)} | {sub} |")
    return "\n".join(out)


def open_table(rows):
    out = ["| index | architecture (`seprank rank`/`bound` options) | assembled | certified | min-cut |",
           "|---:|---|---|---:|---:|"]
    for r in rows:
        assembled = "whole" if r["vary"] == "all" else f"{r['assembled_rows']}x{r['assembled_cols']}"
        out.append(f"| {r['index']} | `{r['spec']}` | {assembled} | {cell(r['certified_rank'])} | {cell(r['min_cut'])} |")
    return "\n".join(out)


def write_csv(rows, path):
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        values = [str(r[c]).lower() if isinstance(r[c], bool) else cell(r[c]) for c in CSV_COLUMNS]
        values[CSV_COLUMNS.index("certified_on")] = "full" if r["certified_on"] == "full matricization" else "sub"
        w.writerow(values)
    with open(path, "w", encoding="utf-8") as f:
        f.write(buffer.getvalue())


def gap(r):
    return (r["min_cut"] / r["certified_rank"]) if r["certified_rank"] and r["min_cut"] else None


def markdown(rows, family, measured, jsonl_bytes):
    n = len(rows)
    settled = sum(r["settled"] for r in rows)
    sub = [r for r in rows if r["certified_on"] == "sub-selection"]
    open_rows = [r for r in rows if not r["settled"]]
    # Open cases by kind: the whole matrix was ranked and stays below the min-cut; a
    # sub-selection stays below both its own size and the min-cut; a sub-selection is full
    # (only a larger one could show more).
    whole_below = [r for r in open_rows if r["certified_on"] == "full matricization"]
    sub_below = [r for r in open_rows if r["certified_on"] == "sub-selection" and not r["fills_assembled_matrix"]]
    sub_full = [r for r in open_rows if r["certified_on"] == "sub-selection" and r["fills_assembled_matrix"]]
    missing = [r for r in rows if r["certified_rank"] is None or r["min_cut"] is None]
    confirmed = sum(len(r["trials"]) > 1 for r in rows)
    raised = sum(len(r["trials"]) > 1 and r["trials"][1]["rank"] > r["trials"][0]["rank"] for r in rows)
    first = rows[0]
    p = []
    p.append("# A catalogue of exact generic ranks\n")
    p.append("Every architecture of the family `" + family + "` (docs/sweep-format.md), each with the rank of its "
             "grid tensor's matricization at seeded weights, certified by a nonzero minor that the independent "
             "checker verified in process (a proven lower bound on the generic rank), and the min-cut upper bound "
             "for all weights, its cut witness verified by the same checker. Where the two meet, the generic rank "
             "is known exactly: the line is *settled*. Generated by `tools/catalogue_report.py` from the lines of "
             "`seprank sweep`; every number below is computed from them.\n")
    p.append("## How it is made\n")
    p.append("```\nbash tools/make_catalogue.sh build/seprank\n```\n")
    p.append(f"runs `seprank sweep {family} -o build/catalogue/default.jsonl` ({jsonl_bytes / 1e6:.0f} MB: "
             "not committed), then writes this file and "
             "`docs/catalogue.csv` (one row per architecture: " + ", ".join(CSV_COLUMNS) + "; `certified_on` is `full` "
             "or `sub`). The run's fingerprint, "
             "on every line:\n")
    p.append(f"```\n{first['fingerprint']}\n```\n")
    if measured:
        p.append(f"Measured for this run: {measured}.\n")
    p.append("The family covers issue 15's bounds (1D N ≤ 12; 2D up to 5x5; M ≤ 3; window, stride and channels ≤ 4; "
             "weighted and product pooling; every partition kind) with up to two layers below the global layer, "
             "except on 5x5 (one layer) and in the groups of local and 1x1 sharing and `same` padding (one layer); "
             "its file says why. Matricizations with more than 1024 rows or columns are certified on a "
             "sub-selection (docs/sweep-format.md, \"Sub-selection\").\n")
    p.append("## Counts\n")
    p.append(f"**{n} architectures, {settled} settled ({share(settled, n)}).** {len(sub)} were certified on a "
             f"sub-selection, {n - len(sub)} on the whole matricization. {len(open_rows)} are open: "
             f"{len(whole_below)} whose whole matricization ranks below its min-cut, {len(sub_below)} whose "
             f"sub-selection ranks below both its own size and the min-cut, and {len(sub_full)} whose sub-selection "
             f"is of full rank but smaller than the min-cut. {len(missing)} lines lack a rank or a min-cut. "
             f"{confirmed} lines were ranked a second time modulo 2^62 − 57 (below their matrix's size and "
             f"min-cut modulo 2^23 − 15); the second prime raised the rank on {raised} of them.\n")
    p.append(count_table(rows, lambda r: f"{r['dims']}D", "dimension") + "\n")
    p.append(count_table(rows, lambda r: r["group"], "group") + "\n")
    p.append(count_table(rows, lambda r: r["input"], "input") + "\n")
    p.append(count_table(rows, lambda r: f"M = {r['templates']}", "templates") + "\n")
    p.append(count_table(rows, lambda r: f"{r['depth']}", "layers below the global layer") + "\n")
    p.append(count_table(rows, pooling_kind, "pooling") + "\n")
    p.append(count_table(rows, partition_kind, "partition") + "\n")
    p.append(count_table(rows, lambda r: f"{r['sharing']}, {r['padding']}", "sharing, padding") + "\n")

    p.append("## Observations\n")
    p.append("Only what the lines show; each is a count over the catalogue.\n")
    ratios = [(gap(r), r) for r in whole_below if gap(r)]
    obs = []
    obs.append(f"- On the whole matricization, the certified rank is strictly below the min-cut for "
               f"{len(whole_below)} of {n - len(sub)} architectures ({share(len(whole_below), n - len(sub))}), "
               "each ranked modulo 2^62 − 57 as well (they are below their matrix's size). Either the generic rank "
               "is below the min-cut there, or both draws missed it (for the second, with probability at most "
               "(r + 1)·D/(2^62 − 57) when the minor's polynomial is nonzero modulo that prime; docs/model.md). "
               "They are the first list of open cases below.")
    if ratios:
        worst = max(ratios, key=lambda t: (t[0], -t[1]["index"]))
        r = worst[1]
        obs.append(f"- The largest ratio min-cut / certified rank on a whole matricization is {worst[0]:.3g}: "
                   f"`{r['spec']}` (rank {r['certified_rank']}, min-cut {r['min_cut']}).")
        by_kind = collections.Counter(partition_kind(r) for _, r in ratios)
        obs.append("- By partition, those below their min-cut on the whole matricization: " +
                   ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())) + ".")
        by_pool = collections.Counter(pooling_kind(r) for _, r in ratios)
        obs.append("- By pooling: " + ", ".join(f"{k} {v}" for k, v in sorted(by_pool.items())) + ".")
        off_by_one = sum(1 for _, r in ratios if r["min_cut"] - r["certified_rank"] == 1)
        obs.append(f"- {off_by_one} of them miss the min-cut by exactly 1.")
    depth0 = [r for r in whole_below if r["depth"] == 0]
    if depth0:
        obs.append(f"- With no layer below the global one, {len(depth0)} architectures rank below the min-cut, by "
                   "sharing: " + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(
                       r["sharing"] for r in depth0).items())) + ".")
    for d in sorted({r["dims"] for r in rows}):
        part = [r for r in rows if r["dims"] == d and r["certified_on"] == "full matricization"]
        below = sum(1 for r in part if not r["settled"])
        obs.append(f"- {d}D, whole matricizations: {below} of {len(part)} below the min-cut.")
    p.append("\n".join(obs) + "\n")

    p.append("## Open cases\n")
    p.append("Every architecture that is not settled, by index (the line's `index`; `rank_command` in the line "
             "reproduces the rank). \"assembled\" is `whole` or the size of the sub-selection.\n")
    p.append(f"### The whole matricization ranks below the min-cut ({len(whole_below)})\n")
    p.append(open_table(whole_below) + "\n")
    p.append(f"### A sub-selection ranks below its own size and the min-cut ({len(sub_below)})\n")
    p.append(open_table(sub_below) + "\n")
    p.append(f"### A sub-selection is of full rank, below the min-cut: only a larger one could settle it ({len(sub_full)})\n")
    p.append(open_table(sub_full) + "\n")
    if missing:
        p.append(f"### No rank or no min-cut ({len(missing)})\n")
        p.append(open_table(missing) + "\n")
    return "\n".join(p)


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("lines")
    a.add_argument("--family", required=True)
    a.add_argument("--csv", required=True)
    a.add_argument("--markdown", required=True)
    a.add_argument("--measured", default="")
    args = a.parse_args()
    rows = read_lines(args.lines)
    write_csv(rows, args.csv)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(markdown(rows, args.family, args.measured, os.path.getsize(args.lines)))


if __name__ == "__main__":
    main()
