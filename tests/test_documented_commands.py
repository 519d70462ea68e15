#!/usr/bin/env python3
"""Every command shown in README.md and docs/tutorial.md runs, and prints what is shown.

Usage: python3 tests/test_documented_commands.py --build-dir BUILD

What counts as a command, in a fenced code block of those documents:
  * a block whose first line starts with "$ " is a transcript: each "$ " line is a command (run
    with bash in one scratch directory, in order), the lines up to the next "$ " line are its
    expected standard output;
  * a block right after a line "<!-- file: NAME -->" is written to NAME in the scratch directory
    before the commands that follow it;
  * a ```python block of the tutorial runs, in order, in one Python session (cwd: the scratch
    directory, the package from python/);
  * every other block is a synopsis or a picture of output, not a command: README's two set-up
    commands are what CI itself runs (.ci/run), and its usage block lists options.
The scratch directory has `build` (the build directory), `proofs` and `checker` (the source
tree's) as symbolic links, and `seprank`, `seprank-check` are the build's programs on PATH.

Comparison, line by line after dropping blank lines and trailing spaces: a timing "0.004 s"
matches any timing; a line "..." matches any number of lines; a line ending in "..." matches any
line that starts with the text before it. Every command must exit 0.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
DOCUMENTS = ["README.md", "docs/tutorial.md"]
TIMING = re.compile(r"\d+\.\d+ s\b")
FILE_MARKER = re.compile(r"<!-- file: ([A-Za-z0-9_.-]+) -->")


def blocks(text):
    """(info string, lines, file name or None) of each fenced block."""
    lines = text.splitlines()
    i, out = 0, []
    while i < len(lines):
        if lines[i].startswith("```"):
            info = lines[i][3:].strip()
            name = None
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and FILE_MARKER.fullmatch(lines[j].strip()):
                name = FILE_MARKER.fullmatch(lines[j].strip()).group(1)
            k = i + 1
            while k < len(lines) and not lines[k].startswith("```"):
                k += 1
            out.append((info, lines[i + 1:k], name))
            i = k + 1
        else:
            i += 1
    return out


def normalise(lines):
    return [TIMING.sub("T s", line.rstrip()) for line in lines if line.strip()]


def matches(expected, actual):
    """Does the output (lines) match the documented lines with their "..." wildcards?"""
    if not expected:
        return not actual
    head = expected[0]
    if head == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    if head.endswith("..."):
        ok = actual[0].startswith(head[:-3])
    else:
        ok = actual[0] == head
    return ok and matches(expected[1:], actual[1:])


def transcript(lines):
    """[(command, expected output lines)] of a transcript block."""
    steps = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    args = parser.parse_args()
    build = Path(args.build_dir).resolve()
    failures, commands = [], 0
    for document in DOCUMENTS:
        scratch = Path(tempfile.mkdtemp(prefix="seprank-documented-"))
        try:
            bin_dir = scratch / ".bin"
            bin_dir.mkdir()
            for program in ("seprank", "seprank-check"):
                os.symlink(build / program, bin_dir / program)
            for name, target in (("build", build), ("proofs", SOURCE_DIR / "proofs"),
                                 ("checker", SOURCE_DIR / "checker")):
                os.symlink(target, scratch / name)
            env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                       SEPRANK_BIN=str(build / "seprank"), PYTHONDONTWRITEBYTECODE="1",
                       PYTHONPATH=str(SOURCE_DIR / "python"), MPLBACKEND="Agg")
            python_code = []
            for info, lines, name in blocks((SOURCE_DIR / document).read_text(encoding="utf-8")):
                if name is not None:
                    (scratch / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
                elif lines and lines[0].startswith("$ "):
                    for command, expected in transcript(lines):
                        commands += 1
                        r = subprocess.run(["bash", "-c", command], cwd=scratch, env=env, capture_output=True,
                                           text=True, timeout=600)
                        where = f"{document}: $ {command}"
                        if r.returncode != 0:
                            failures.append(f"{where}: exit {r.returncode}: {r.stderr.strip()}")
                        elif not matches(normalise(expected), normalise(r.stdout.splitlines())):
                            failures.append(f"{where}: output differs from the document\n--- documented\n"
                                            + "\n".join(expected) + "\n--- printed\n" + r.stdout)
                elif info == "python" and document != "README.md":
                    python_code.append("\n".join(lines))
            if python_code:
                commands += 1
                r = subprocess.run([sys.executable, "-c", "\n\n".join(python_code)], cwd=scratch, env=env,
                                   capture_output=True, text=True, timeout=600)
                if r.returncode != 0:
                    failures.append(f"{document}: the python blocks failed: {r.stderr.strip()}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"{commands} documented commands run, {len(failures)} failed")
    sys.exit(1 if failures or commands == 0 else 0)


if __name__ == "__main__":
    main()
