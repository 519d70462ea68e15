#!/usr/bin/env bash
# Regenerates the catalogue of exact generic ranks: docs/catalogue.md and docs/catalogue.csv
# from `seprank sweep catalogue/families/default.toml` (issue 15, item 4). Run from the
# repository root after building:
#   bash tools/make_catalogue.sh [path/to/seprank] [threads]
# The JSON Lines (about 160 MB) stay in build/catalogue/default.jsonl. The lines do not depend
# on the thread count; the CPU time measured here goes into docs/catalogue.md.
set -euo pipefail
seprank=${1:-build/seprank}
threads=${2:-0}
family=catalogue/families/default.toml
mkdir -p build/catalogue
jsonl=build/catalogue/default.jsonl
time_file=build/catalogue/time.txt
/usr/bin/time -f "%e %U %S %M" -o "$time_file" \
  nice "$seprank" sweep "$family" --threads "$threads" -o "$jsonl" --force
read -r wall user sys max_kb <"$time_file"
python3 tools/catalogue_report.py "$jsonl" --family "$family" \
  --csv docs/catalogue.csv --markdown docs/catalogue.md \
  --measured "$(nproc) cores, --threads $threads: ${wall} s wall, $(python3 -c "print(round(${user} + ${sys}))") CPU s, peak ${max_kb} KiB"
