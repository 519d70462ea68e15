#!/usr/bin/env python3
"""Sharded runs on a scheduler (docs/cluster.md): the shards' outputs merge to exactly the bytes of
the unsharded run, whichever scheduler ran them.

Usage: python3 tests/test_cluster.py --seprank BUILD/seprank --part PART
  proofs    three shards of `seprank verify proofs/ --json`, merged in shuffled orders, against the
            unsharded run, byte for byte
  sweep     three shards of `seprank sweep` on a small family, merged in shuffled orders, against
            the unsharded sweep, byte for byte; and more shards than architectures
  parallel  the GNU parallel recipe of docs/cluster.md, run as written (the block between its
            recipe markers) in a directory whose proofs/ is the repository's (a symlink);
            exit 77 (skipped) when GNU parallel is not installed
  slurm     tools/slurm/*.sbatch: valid bash (bash -n); run as the tasks of an array (with the
            variables SLURM sets) through a wrapper that records each command line, which must
            be the one docs/cluster.md documents; the tasks' outputs merge to the unsharded run;
            an array that does not run from 1 to N is refused
The expected bytes are always those of the unsharded run. Exits 0, 1 on a failure, 77 skipped.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
# Quick theorem files (well under a second each) for the SLURM tasks, run one after another.
SMALL_THEOREMS = ["A2.toml", "B2.toml", "C2.toml"]

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, **kwargs)


def part_proofs(seprank, work):
    # Paths as the user would type them, from the source directory.
    whole = run([seprank, "verify", "proofs/", "--json"], cwd=SOURCE_DIR)
    check(whole.returncode == 0, f"verify proofs/ exits {whole.returncode}: {whole.stderr[-300:]!r}")
    shards = [work / f"shard-{i}-of-3.json" for i in (1, 2, 3)]
    # The three shards at once (they share the cores as a scheduler's jobs would).
    processes = [subprocess.Popen([seprank, "verify", "proofs/", "--shard", f"{i}/3", "--json", "-o", str(path)],
                                  cwd=SOURCE_DIR, stderr=subprocess.PIPE)
                 for i, path in zip((1, 2, 3), shards)]
    for p in processes:
        _, err = p.communicate()
        check(p.returncode == 0, f"a shard exits {p.returncode}: {err[-300:]!r}")
    rng = random.Random(1)
    orders = [[0, 1, 2], [2, 0, 1], rng.sample(range(3), 3)]
    for order in orders:
        merged = run([seprank, "merge", *(str(shards[k]) for k in order)])
        check(merged.returncode == 0, f"merge in order {order} exits {merged.returncode}: {merged.stderr!r}")
        check(merged.stdout == whole.stdout, f"merge in order {order} differs from the unsharded output")
    check(len(whole.stdout) > 100000, "the unsharded output is suspiciously short")


def part_sweep(seprank, work):
    family = "tests/data/sweep/tiny.toml"  # a small family (tests/test_sweep.cpp counts it by hand)
    whole = run([seprank, "sweep", family], cwd=SOURCE_DIR)
    check(whole.returncode == 0, f"sweep exits {whole.returncode}: {whole.stderr[-300:]!r}")
    lines = whole.stdout.decode().splitlines()
    check(len(lines) >= 6, f"the family has {len(lines)} architectures; the test needs a few per shard")
    shards = [work / f"sweep-shard-{i}-of-3.jsonl" for i in (1, 2, 3)]
    processes = [subprocess.Popen([seprank, "sweep", family, "--shard", f"{i}/3", "-o", str(path)],
                                  cwd=SOURCE_DIR, stderr=subprocess.PIPE)
                 for i, path in zip((1, 2, 3), shards)]
    for p in processes:
        _, err = p.communicate()
        check(p.returncode == 0, f"a sweep shard exits {p.returncode}: {err[-300:]!r}")
    # Each shard holds the unsharded run's lines k with k mod 3 = i - 1 (sweep's own rule).
    for i, path in zip((1, 2, 3), shards):
        check(path.read_bytes().decode().splitlines() == lines[i - 1::3], f"shard {i}/3 is not every 3rd line")
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        merged = run([seprank, "merge", *(str(shards[k]) for k in order)])
        check(merged.returncode == 0, f"merge in order {order} exits {merged.returncode}: {merged.stderr!r}")
        check(merged.stdout == whole.stdout, f"merge in order {order} differs from the unsharded sweep")
    # More shards than architectures: the empty ones are written, and merge takes them.
    n = len(lines) + 2
    many = [work / f"many-{i}.jsonl" for i in range(1, n + 1)]
    for i, path in enumerate(many, 1):
        r = run([seprank, "sweep", family, "--shard", f"{i}/{n}", "-o", str(path)], cwd=SOURCE_DIR)
        check(r.returncode == 0, f"sweep --shard {i}/{n} exits {r.returncode}")
    check(many[-1].read_bytes() == b"", "a shard beyond the family is not empty")
    merged = run([seprank, "merge", *(str(p) for p in reversed(many))])
    check(merged.stdout == whole.stdout, f"{n} shards merge to something else than the unsharded sweep")
    return 0


def recipe(name):
    """The block of docs/cluster.md between '<!-- recipe: NAME' and '<!-- end recipe -->'."""
    text = (SOURCE_DIR / "docs" / "cluster.md").read_text()
    m = re.search(r"<!-- recipe: " + re.escape(name) + r"[^\n]*-->\n```sh\n(.*?)```\n<!-- end recipe -->", text, re.S)
    if not m:
        raise SystemExit(f"docs/cluster.md has no recipe {name}")
    return m.group(1)


def part_parallel(seprank, work):
    if shutil.which("parallel") is None:
        print("GNU parallel is not installed (apt-get install parallel): skipped", file=sys.stderr)
        return 77
    (work / "proofs").symlink_to(SOURCE_DIR / "proofs")  # the recipe's proofs/, read in place
    bin_dir = work / "bin"
    bin_dir.mkdir()
    (bin_dir / "seprank").symlink_to(Path(seprank).resolve())
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    block = recipe("gnu-parallel")
    done = run(["bash", "-e", "-c", block], cwd=work, env=env)
    check(done.returncode == 0, f"the recipe exits {done.returncode}: {done.stderr[-500:]!r}")
    shards = sorted(work.glob("verify-shard-*-of-8.json"))
    check(len(shards) == 8, f"the recipe wrote {len(shards)} shards, not 8")
    whole = run(["seprank", "verify", "proofs/", "--json"], cwd=work, env=env)
    check(whole.returncode == 0, f"verify exits {whole.returncode}")
    check((work / "verify.json").read_bytes() == whole.stdout, "the recipe's verify.json differs from the unsharded run")
    return 0


def recording_wrapper(directory, real):
    """An executable that appends its arguments (one line, tab-separated) to calls.log and runs
    `real` with them ('' runs nothing)."""
    path = directory / "seprank-wrapper"
    run_real = f'exec "{real}" "$@"' if real else "exit 0"
    path.write_text("#!/bin/bash\n"
                    f'(IFS=$\'\\t\'; echo "$*") >> "{directory}/calls.log"\n'
                    f"{run_real}\n")
    path.chmod(0o755)
    return path


def array_task(script, i, n, env, low=1, high=None):
    task_env = dict(env, SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_TASK_COUNT=str(n),
                    SLURM_ARRAY_TASK_MIN=str(low), SLURM_ARRAY_TASK_MAX=str(n if high is None else high),
                    SLURM_CPUS_PER_TASK="2", SLURM_ARRAY_JOB_ID="4242", SLURM_JOB_ID=str(4242 + i))
    return run(["bash", str(script)], env=task_env, cwd=env["OUT"])


def part_slurm(seprank, work):
    slurm = SOURCE_DIR / "tools" / "slurm"
    scripts = sorted(slurm.glob("*.sbatch"))
    check([s.name for s in scripts] == ["sweep-array.sbatch", "verify-array.sbatch"], f"scripts: {scripts}")
    for s in scripts:
        syntax = run(["bash", "-n", str(s)])
        check(syntax.returncode == 0, f"bash -n {s.name}: {syntax.stderr!r}")
        check(s.read_text().startswith("#!/bin/bash\n"), f"{s.name} does not start with #!/bin/bash")
        check("#SBATCH" in s.read_text(), f"{s.name} has no #SBATCH line")
    doc = (SOURCE_DIR / "docs" / "cluster.md").read_text()

    def documented(command, i, n, values):
        """The words of the command docs/cluster.md says each task runs, without "seprank",
        with the variables replaced by the values this test sets."""
        m = re.search(r"Each task runs `seprank " + command + r" ([^`]*)`", doc)
        check(m is not None, f"docs/cluster.md does not document the {command} task's command")
        values = dict(values, **{"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT": f"{i}/{n}",
                                 "$SLURM_CPUS_PER_TASK": "2"})
        words = [command] + (m.group(1).split() if m else [])
        return [re.sub(r"\$OUT/(.*)-shard-<i>-of-<n>", lambda w: f"{out}/{w.group(1)}-shard-{i}-of-{n}",
                       values.get(word, word)) for word in words]

    theorems = work / "theorems"
    theorems.mkdir()
    for name in SMALL_THEOREMS:
        shutil.copy(SOURCE_DIR / "proofs" / name, theorems / name)
    out = work / "out"
    out.mkdir()
    wrapper = recording_wrapper(work, Path(seprank).resolve())
    env = dict(os.environ, SEPRANK=str(wrapper), THEOREMS=str(theorems), OUT=str(out), MAX_MEMORY_MIB="3000")
    n = 3
    for i in (2, 3, 1):
        task = array_task(slurm / "verify-array.sbatch", i, n, env)
        check(task.returncode == 0, f"verify task {i} exits {task.returncode}: {task.stderr[-300:]!r}")
    calls = (work / "calls.log").read_text().splitlines()
    check(len(calls) == n, f"{len(calls)} commands for {n} tasks")
    for i, call in zip((2, 3, 1), calls):
        expected = documented("verify", i, n, {"$THEOREMS": str(theorems), "$MAX_MEMORY_MIB": "3000"})
        check(call.split("\t") == expected, f"task {i} ran {call.split(chr(9))}, documented {expected}")
    merged = run([seprank, "merge", *(str(p) for p in sorted(out.glob("verify-shard-*-of-3.json")))])
    whole = run([seprank, "verify", str(theorems), "--json", "--max-memory", "3000"])
    check(whole.returncode == 0 and merged.returncode == 0, f"exits {whole.returncode}, {merged.returncode}")
    check(merged.stdout == whole.stdout, "the array's merged output differs from the unsharded run")
    # An array that does not run from 1 to N is refused before seprank runs.
    for low, high in ((0, 2), (1, 4)):
        task = array_task(slurm / "verify-array.sbatch", 1, 3, env, low, high)
        check(task.returncode == 64 and "--array=1-N" in task.stderr.decode(), f"array {low}-{high}: {task.returncode}")
    check(len((work / "calls.log").read_text().splitlines()) == n, "a refused task ran seprank")

    # The sweep task's command line, recorded without running it.
    (work / "calls.log").unlink()
    sweep_wrapper = recording_wrapper(work, "")
    family = work / "family.toml"
    env = dict(os.environ, SEPRANK=str(sweep_wrapper), FAMILY=str(family), OUT=str(out))
    task = array_task(slurm / "sweep-array.sbatch", 2, 5, env)
    check(task.returncode == 0, f"sweep task exits {task.returncode}: {task.stderr!r}")
    expected = documented("sweep", 2, 5, {"$FAMILY": str(family)})
    check(expected == ["sweep", str(family), "--shard", "2/5", "--threads", "2", "-o", f"{out}/sweep-shard-2-of-5.jsonl"],
          f"the documented sweep command: {expected}")
    check((work / "calls.log").read_text().splitlines() == ["\t".join(expected)], "the sweep task's command")
    check("--shard {}/8" in doc and "sweep-array.sbatch" in doc, "docs/cluster.md does not document the sweep recipes")
    unset = run(["bash", str(slurm / "sweep-array.sbatch")], env={k: v for k, v in env.items() if k != "FAMILY"})
    check(unset.returncode != 0 and "FAMILY" in unset.stderr.decode(), "the sweep script runs without FAMILY")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--part", required=True, choices=["proofs", "sweep", "parallel", "slurm"])
    args = parser.parse_args()
    seprank = str(Path(args.seprank).resolve())
    work = Path(tempfile.mkdtemp(prefix="seprank-cluster-"))
    try:
        parts = {"proofs": part_proofs, "sweep": part_sweep, "parallel": part_parallel, "slurm": part_slurm}
        code = parts[args.part](seprank, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if code == 77:
        return 77
    print(f"{args.part}: {len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
