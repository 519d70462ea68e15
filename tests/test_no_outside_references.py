#!/usr/bin/env python3
"""No tracked file refers to a document outside the repository.

usage: test_no_outside_references.py --source-dir DIR

The model and the theorem statements are docs/model.md and docs/theorems.md. The project's
specification outside the repository (its model and theorem files, and the folder that holds
them) must not be cited: a reader of the repository cannot open it. Every file that
`git ls-files` lists is searched, except LICENSE (a standard text). Exit 0 when none refers to
it, 1 naming each file and line that does, 77 (skipped) when DIR is not a git checkout.
"""
import argparse
import pathlib
import subprocess
import sys

# Built from parts, so that this file does not match itself.
FORBIDDEN = [b"THEOREMS" + b".md", b"MODEL" + b".md", b"../" + b"shared", b"/work/" + b"shared"]
EXCLUDED = {"LICENSE"}


def tracked_files(source_dir):
    result = subprocess.run(["git", "-C", str(source_dir), "ls-files", "-z"], capture_output=True)
    if result.returncode != 0:
        return None
    return [name.decode() for name in result.stdout.split(b"\0") if name]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", required=True, type=pathlib.Path)
    args = parser.parse_args()

    files = tracked_files(args.source_dir)
    if files is None:
        print(f"SKIPPED: {args.source_dir} is not a git checkout (git ls-files failed)")
        return 77
    hits = []
    searched = 0
    for name in files:
        if name in EXCLUDED:
            continue
        path = args.source_dir / name
        if not path.is_file():  # deleted in the work tree, or a submodule
            continue
        searched += 1
        data = path.read_bytes()
        if not any(word in data for word in FORBIDDEN):
            continue
        for number, line in enumerate(data.split(b"\n"), start=1):
            for word in FORBIDDEN:
                if word in line:
                    hits.append(f"{name}:{number}: refers to {word.decode()}: "
                                f"{line.decode(errors='replace').strip()[:160]}")
    if searched == 0:
        print("FAILED: git ls-files listed no file to search")
        return 1
    if hits:
        for hit in hits:
            print(hit)
        print(f"FAILED: {len(hits)} reference(s) to documents outside the repository in "
              f"{searched} tracked files; cite docs/model.md or docs/theorems.md instead")
        return 1
    print(f"OK: none of {searched} tracked files refers to a document outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
