#!/usr/bin/env python3
"""tools/catalogue_report.py on the lines of a small sweep: one CSV row per line, the CSV's
`settled` is certified_rank == min_cut, the document counts every line and lists every line
that is not settled; partial (sharded) lines are refused.

usage: test_catalogue_report.py --seprank BIN --source-dir DIR
"""
import argparse
import csv
import json
import pathlib
import subprocess
import sys
import tempfile


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--seprank", required=True)
    a.add_argument("--source-dir", required=True, type=pathlib.Path)
    args = a.parse_args()
    family = args.source_dir / "tests/data/sweep/tiny.toml"
    report = args.source_dir / "tools/catalogue_report.py"
    failures = []
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        lines_path = work / "tiny.jsonl"
        subprocess.run([args.seprank, "sweep", str(family), "-o", str(lines_path)], check=True)
        rows = [json.loads(l) for l in lines_path.read_text().splitlines()]
        subprocess.run([sys.executable, str(report), str(lines_path), "--family", str(family), "--csv",
                        str(work / "c.csv"), "--markdown", str(work / "c.md")], check=True)
        table = list(csv.DictReader((work / "c.csv").open()))
        if len(table) != len(rows) or len(rows) != rows[0]["family_size"]:
            failures.append(f"{len(table)} CSV rows, {len(rows)} lines, family_size {rows[0]['family_size']}")
        for line, row in zip(rows, table):
            if int(row["index"]) != line["index"] or row["layers"] != line["layers"]:
                failures.append(f"CSV row {row['index']} is not line {line['index']}")
            expected = "true" if row["certified_rank"] == row["min_cut"] else "false"
            if row["settled"] != expected:
                failures.append(f"CSV row {row['index']}: settled {row['settled']}, rank {row['certified_rank']}, "
                                f"min-cut {row['min_cut']}")
        text = (work / "c.md").read_text()
        settled = sum(r["settled"] for r in rows)
        if f"**{len(rows)} architectures, {settled} settled" not in text:
            failures.append("the document's count line is missing")
        for r in rows:
            if not r["settled"] and f"| {r['index']} | `{r['spec']}` |" not in text:
                failures.append(f"open case {r['index']} is not listed")
        # A shard is not a whole run: refused with a message naming the line.
        shard = work / "shard.jsonl"
        subprocess.run([args.seprank, "sweep", str(family), "--shard", "2/3", "-o", str(shard)], check=True)
        refused = subprocess.run([sys.executable, str(report), str(shard), "--family", str(family), "--csv",
                                  str(work / "s.csv"), "--markdown", str(work / "s.md")], capture_output=True, text=True)
        if refused.returncode == 0 or "shard.jsonl:1: index 1, expected 0" not in refused.stderr:
            failures.append(f"a shard's lines were not refused: {refused.returncode} {refused.stderr!r}")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
