#!/usr/bin/env python3
"""Crash consistency of the files seprank writes (issue 13; docs/output-files.md).

Kills `seprank certify -o FILE` and `seprank verify --bundle DIR` at random moments (SIGKILL and
SIGINT, with and without --force; with --force over a previous complete file or bundle, written
with another seed so that old and new differ) and checks what is left:

  * certify: FILE is absent (without --force only), the previous file byte for byte (with
    --force only), or the complete new one: byte for byte what an unkilled run writes, and
    VERIFIED by seprank-check;
  * bundle: the manifest is absent (without --force only), the previous one (with --force
    only), or the new one (it parses, and seprank-check --bundle verifies the bundle); every
    other file present is complete: byte for byte the new run's or (with --force) the previous
    run's. After a killed --force run that left the previous manifest, the bundle may mix old
    and new evidence files, each complete (counted, not an error: docs/output-files.md);
  * nothing else: the only extra files are temporary files named as documented
    (.NAME.tmp-PID-RANDOM with the killed process's PID), none after SIGINT, and they do not
    block the next run.

Half the signals come after a delay drawn uniformly from [0, 1.2 T], T an unkilled run's
duration; the other half once the run creates its first file (inotify), after a delay drawn
from [0, 1.1 W], W the time unkilled runs take from there until the target is in place (T and W
shrink when runs finish before their signal). A fixed seed. A run that finishes first is checked
the same way but not counted as a kill.
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TEMPORARY = re.compile(r"\..+\.tmp-([0-9]+)-[0-9a-f]{8}")

TINY_THEOREM = """format = "seprank-theorem"
format_version = 1
id = "TINY"
title = "A tiny theorem for the kill test"
source = "tests/test_crash_consistency.py"
statement = "rank = 2^(R-1)"

[[claim]]
input = "{N}"
templates = "2"
layers = "{R}/1/2,{N-R+1}/1/1"
lower = "2^(R-1)"
upper = "2^(R-1)"

[[instances]]
N = [6, 8]
R = [2, 3]
"""

CERTIFY_NETWORK = ["--input", "8", "--layers", "3/1/2,6/1/1"]


class Failures:
    def __init__(self):
        self.messages = []

    def fail(self, message):
        self.messages.append(message)
        if len(self.messages) <= 20:
            print("FAIL " + message, flush=True)


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120, **kwargs)


def read_tree(root):
    """Relative path -> bytes of every regular file under root, and the temporary files apart."""
    files, temporaries = {}, []
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            if TEMPORARY.fullmatch(name):
                temporaries.append(path)
                continue
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files, temporaries


LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
IN_CREATE, IN_NONBLOCK, IN_CLOEXEC = 0x100, 0o4000, 0o2000000


class CreationWatch:
    """inotify on one directory: a file created in it wakes the test within microseconds,
    where polling would miss a certificate's temporary file (it lives for about one fsync)."""

    def __init__(self, directory):
        self.fd = LIBC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0 or LIBC.inotify_add_watch(self.fd, directory.encode(), IN_CREATE) < 0:
            raise OSError(ctypes.get_errno(), "inotify on " + directory)

    def wait(self, process):
        """Seconds until the first creation (None if the process exits first)."""
        start = time.monotonic()
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while process.poll() is None:
            if poller.poll(5):
                return time.monotonic() - start
        return None

    def close(self):
        os.close(self.fd)


def start(command, watch_directory):
    """Starts command with a watch on watch_directory set up before it runs."""
    watch = CreationWatch(watch_directory)
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), watch


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def checker_verifies(seprank_check, *args):
    r = run([seprank_check, *args])
    return r.returncode == 0 and r.stdout.startswith("VERIFIED: ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank", required=True)
    parser.add_argument("--seprank-check", required=True)
    parser.add_argument("--kills", type=int, default=240, help="kills in all, spread over the 8 kinds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # An ignored SIGINT (a background ctest) would be inherited by the children; a handled one
    # is reset to the default on exec.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    rng = random.Random(args.seed)
    failures = Failures()
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="seprank_kill_")
    try:
        theorem = os.path.join(work, "tiny.toml")
        with open(theorem, "w") as f:
            f.write(TINY_THEOREM)

        def certify_command(seed, path, force):
            return [args.seprank, "certify", *CERTIFY_NETWORK, "--seed", str(seed), "-o", path] + (["--force"] if force else [])

        def bundle_command(seed, path, force):
            return [args.seprank, "verify", theorem, "--seed", str(seed), "--bundle", path] + (["--force"] if force else [])

        # The references: what complete runs write with the seed of the trials (new) and with
        # another seed (previous); they must differ, or "previous" and "new" could not be told apart.
        reference = os.path.join(work, "reference")
        os.mkdir(reference)
        durations = {"certify": [], "bundle": []}
        for name, seed in (("new", 1), ("old", 2)):
            for kind, command in (("certify", certify_command(seed, os.path.join(reference, name + ".json"), False)),
                                  ("bundle", bundle_command(seed, os.path.join(reference, name + "-bundle"), False))):
                t = time.monotonic()
                r = run(command)
                durations[kind].append(time.monotonic() - t)
                if r.returncode != 0:
                    print(f"FAIL reference run {command} exits {r.returncode}: {r.stderr.strip()}")
                    return 1
        new_certificate = read_bytes(os.path.join(reference, "new.json"))
        old_certificate = read_bytes(os.path.join(reference, "old.json"))
        new_bundle, _ = read_tree(os.path.join(reference, "new-bundle"))
        old_bundle, _ = read_tree(os.path.join(reference, "old-bundle"))
        for what, ok in (
                ("the reference certificates verify", checker_verifies(args.seprank_check, os.path.join(reference, "new.json"))
                 and checker_verifies(args.seprank_check, os.path.join(reference, "old.json"))),
                ("the reference bundles verify", checker_verifies(args.seprank_check, "--bundle", os.path.join(reference, "new-bundle"))
                 and checker_verifies(args.seprank_check, "--bundle", os.path.join(reference, "old-bundle"))),
                ("old and new certificates differ", new_certificate != old_certificate),
                ("old and new manifests differ", new_bundle["manifest.json"] != old_bundle["manifest.json"]),
                ("old and new bundles have the same files", sorted(new_bundle) == sorted(old_bundle)),
                ("some evidence differs between old and new", sum(new_bundle[k] != old_bundle[k] for k in new_bundle) > 2)):
            if not ok:
                print("FAIL " + what)
                return 1
        # Three more runs of each, watched: when they create their first file, and how long from
        # then until the target is in place (the window aimed at by half of the kills).
        writing = {"certify": [], "bundle": []}
        for _ in range(3):
            for kind in ("certify", "bundle"):
                watched = os.path.join(reference, "watched")
                shutil.rmtree(watched, ignore_errors=True)
                os.mkdir(watched)
                done = os.path.join(watched, "t.json") if kind == "certify" else os.path.join(watched, "b", "manifest.json")
                command = (certify_command(1, done, False) if kind == "certify"
                           else bundle_command(1, os.path.dirname(done), False))
                t = time.monotonic()
                process, watch = start(command, watched)
                first = watch.wait(process)
                watch.close()
                while process.poll() is None and not os.path.exists(done):
                    time.sleep(0.0001)
                if first is not None and os.path.exists(done):
                    writing[kind].append(time.monotonic() - t - first)
                process.wait(timeout=120)
                durations[kind].append(time.monotonic() - t)
        median = lambda d: sorted(d)[len(d) // 2] if d else 0.002
        estimate = {kind: median(d) for kind, d in durations.items()}
        window = {kind: median(d) for kind, d in writing.items()}
        print(f"unkilled runs: certify {estimate['certify'] * 1000:.0f} ms (writing {window['certify'] * 1000:.1f} ms), "
              f"verify --bundle {estimate['bundle'] * 1000:.0f} ms (writing {len(new_bundle)} files "
              f"{window['bundle'] * 1000:.1f} ms)", flush=True)

        kinds = [(kind, sig, force) for kind in ("certify", "bundle") for sig in (signal.SIGKILL, signal.SIGINT)
                 for force in (False, True)]
        quota = -(-args.kills // len(kinds))
        stats = {k: {"kills": 0, "runs aimed at the writing": 0, "finished first": 0, "absent": 0, "previous": 0, "new": 0, "temporaries left": 0,
                     "mid-write": 0, "previous manifest, mixed evidence": 0} for k in kinds}
        reruns = 0
        trial = 0
        while True:
            pending = [k for k in kinds if stats[k]["kills"] < quota]
            if not pending:
                break
            if trial > 4 * quota * len(kinds):
                failures.fail(f"only {sum(s['kills'] for s in stats.values())} kills in {trial} trials")
                break
            kind, sig, force = rng.choice(pending)
            s = stats[(kind, sig, force)]
            trial += 1
            directory = os.path.join(work, f"trial-{trial}")
            os.mkdir(directory)
            where = f"trial {trial} ({kind}, {signal.Signals(sig).name}, {'--force' if force else 'no --force'})"
            if kind == "certify":
                target = os.path.join(directory, "out.json")
                if force:
                    with open(target, "wb") as f:
                        f.write(old_certificate)
                command = certify_command(1, target, force)
            else:
                target = os.path.join(directory, "bundle")
                if force:
                    shutil.copytree(os.path.join(reference, "old-bundle"), target)
                command = bundle_command(1, target, force)

            # The first file a run creates: its temporary file or, for a new bundle, the
            # directory; over a previous bundle, the temporary copy of the theorem file.
            watched = os.path.join(target, "theorems") if kind == "bundle" and force else directory
            process, watch = start(command, watched)
            # Half the kills at any moment of the run, half once it writes (its last moments).
            aimed = rng.random() < 0.5
            if aimed:
                s["runs aimed at the writing"] += 1
                watch.wait(process)
                time.sleep(rng.uniform(0, 1.1 * window[kind]))
            else:
                time.sleep(rng.uniform(0, 1.2 * estimate[kind]))
            watch.close()
            process.send_signal(sig)
            code = process.wait(timeout=120)
            if code == -sig:
                s["kills"] += 1
            elif code == 0:
                s["finished first"] += 1
                if aimed:
                    window[kind] *= 0.8
                else:
                    estimate[kind] *= 0.9
            else:
                failures.fail(f"{where}: exit {code}")
                continue

            if kind == "certify":
                names = set(os.listdir(directory))
                temporaries = [os.path.join(directory, n) for n in names if TEMPORARY.fullmatch(n)]
                for n in names - {"out.json"} - {os.path.basename(t) for t in temporaries}:
                    failures.fail(f"{where}: unexpected file {n}")
                if not os.path.exists(target):
                    outcome = "absent"
                else:
                    content = read_bytes(target)
                    if content == old_certificate:
                        outcome = "previous"
                    elif content == new_certificate and checker_verifies(args.seprank_check, target):
                        outcome = "new"
                    else:
                        outcome = "broken"
                        failures.fail(f"{where}: the certificate is neither the previous nor the complete new one "
                                      f"({len(content)} bytes)")
            else:
                files, temporaries = read_tree(target) if os.path.isdir(target) else ({}, [])
                for rel, content in files.items():
                    if content != new_bundle.get(rel) and not (force and content == old_bundle.get(rel)):
                        failures.fail(f"{where}: {rel} is incomplete or unknown ({len(content)} bytes)")
                manifest = files.get("manifest.json")
                if manifest is None:
                    outcome = "absent"
                    if files:
                        s["mid-write"] += 1
                elif manifest == old_bundle["manifest.json"]:
                    outcome = "previous"
                    json.loads(manifest)
                    if any(files.get(rel) != content for rel, content in old_bundle.items()):
                        s["mid-write"] += 1
                        s["previous manifest, mixed evidence"] += 1
                elif manifest == new_bundle["manifest.json"]:
                    json.loads(manifest)
                    if checker_verifies(args.seprank_check, "--bundle", target):
                        outcome = "new"
                    else:
                        outcome = "broken"
                        failures.fail(f"{where}: the new manifest is in place but the bundle does not verify")
                else:
                    outcome = "broken"
                    failures.fail(f"{where}: the manifest is neither the previous nor the new one")
            if outcome != "broken":
                s[outcome] += 1
            if outcome == "previous" and not force:
                failures.fail(f"{where}: a previous file where there was none")
            if outcome == "absent" and force:
                failures.fail(f"{where}: the previous {'certificate' if kind == 'certify' else 'manifest'} is gone")
            for t in temporaries:
                if int(TEMPORARY.fullmatch(os.path.basename(t)).group(1)) != process.pid:
                    failures.fail(f"{where}: temporary file {t} does not name the killed process {process.pid}")
            if temporaries:
                s["temporaries left"] += 1
                if sig == signal.SIGINT:
                    failures.fail(f"{where}: SIGINT left temporary files {temporaries}")
                # Leftovers never block the next run. Without --force a run is refused, by design,
                # only where a complete file is in the way (a certificate, or the files a killed
                # bundle run finished): --force then.
                in_the_way = (outcome == "new") if kind == "certify" else bool(files)
                if reruns < 6:
                    reruns += 1
                    r = run(command + ["--force"] if in_the_way and not force else command)
                    complete = (read_bytes(target) == new_certificate if kind == "certify"
                                else read_tree(target)[0].get("manifest.json") == new_bundle["manifest.json"])
                    if r.returncode != 0 or not complete:
                        failures.fail(f"{where}: the run after the kill exits {r.returncode} "
                                      f"({r.stderr.strip()}) beside the leftovers")
            shutil.rmtree(directory)

        seconds = time.monotonic() - started
        total = sum(s["kills"] for s in stats.values())
        print(f"{total} kills in {trial} runs, {seconds:.1f} s; {reruns} runs after kills that left temporary files")
        for (kind, sig, force), s in stats.items():
            shown = {k: v for k, v in s.items() if kind == "bundle" or k not in ("mid-write", "previous manifest, mixed evidence")}
            print(f"  {kind:8} {signal.Signals(sig).name:8} {'--force' if force else 'no force':9} " +
                  ", ".join(f"{k} {v}" for k, v in shown.items()))
        mid_write = sum(s["mid-write"] for (kind, _, _), s in stats.items() if kind == "bundle")
        if total < args.kills:
            failures.fail(f"{total} kills, fewer than {args.kills}")
        # The delays must reach the writing: some bundle runs killed between their first file and the manifest.
        if mid_write == 0:
            failures.fail("no bundle run was killed while writing its files")
        for kind in ("certify", "bundle"):
            for outcome in ("new", "previous"):
                if sum(s[outcome] for (k, _, _), s in stats.items() if k == kind) == 0:
                    failures.fail(f"no {kind} run left the outcome '{outcome}': the delays miss part of the run")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures.messages:
        print(f"{len(failures.messages)} failures")
        return 1
    print("OK: every target is absent, the previous file or the complete new one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
