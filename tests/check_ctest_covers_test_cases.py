#!/usr/bin/env python3
"""Every doctest test case has exactly one ctest entry of the same name, and no entry names
a test case that does not exist.

usage: check_ctest_covers_test_cases.py TEST_BINARY BUILD_DIR

The runtime guard in tests/test_main.cpp fails an entry that runs no test case; this check
closes the other side: a test case that got no entry at all (or two entries, as a name with a
';' once did) would never run under ctest and nothing would say so.
"""
import json
import subprocess
import sys


def listed_test_cases(binary):
    out = subprocess.run([binary, "--list-test-cases", "--no-version"], check=True,
                         capture_output=True, text=True).stdout
    names = []
    for line in out.splitlines():
        if line.startswith("[doctest]") or set(line) <= {"="}:
            continue
        names.append(line)
    return names


def ctest_entries(build_dir):
    out = subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"], check=True,
                         capture_output=True, text=True).stdout
    entries = {}
    for test in json.loads(out)["tests"]:
        command = test.get("command", [])
        entries[test["name"]] = command
    return entries


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, build_dir = sys.argv[1], sys.argv[2]
    cases = listed_test_cases(binary)
    entries = ctest_entries(build_dir)
    # Entries that run the doctest binary (the others are scripts: fuzz replays, the Python
    # checker's fuzzer, this check).
    doctest_entries = {name for name, command in entries.items()
                       if command and command[0] == binary}
    problems = []
    if not cases:
        problems.append("the test binary lists no test case")
    if len(set(cases)) != len(cases):
        problems.append("a test case name appears twice: " +
                        ", ".join(sorted({c for c in cases if cases.count(c) > 1})))
    for name in cases:
        if name not in doctest_entries:
            problems.append(f"test case without a ctest entry: {name!r}")
    for name in sorted(doctest_entries - set(cases)):
        problems.append(f"ctest entry that names no test case: {name!r}")
    for problem in problems:
        print(problem)
    print(f"{len(cases)} test cases, {len(doctest_entries)} ctest entries for them, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
