#!/usr/bin/env python3
"""The installed seprank (docs/install.md): `cmake --install` into a temporary prefix and the .deb
that `cpack -G DEB` makes, used from another directory as a researcher would.

Usage: python3 tests/test_install.py --build-dir BUILD --cmake CMAKE --cpack CPACK --arch-flags FLAGS

Checks, from a directory outside the source tree and without SEPRANK_BIN:
  * the installed `seprank verify` without a path proves the installed suite: one result per
    proofs/*.toml of the source tree, nothing REFUTED or UNCONFIRMED; still so after the prefix
    is moved (the install is relocatable);
  * the installed C++ and Python checkers verify a committed certificate and refuse a broken one;
  * `PYTHONPATH=P/lib/python3/dist-packages python3 -c "import seprank; ..."` ranks a network with
    the installed binary (C2's closed form: one GC(3, 1, 2) layer and a global layer on 8
    positions, M = 2, left-right: rank = M^(R-1) = 4) and checks a certificate;
  * man pages are installed when help2man is present;
  * the two .debs (seprank, seprank-proofs) hold the same files under /usr, seprank depends on
    FLINT's and OpenBLAS's packages and on seprank-proofs, and their extracted tree verifies the suite;
  * a build directory's seprank, run where there is no ./proofs and no installed suite, refuses
    `verify` without a path (exit 66, naming both places);
  * a CPU lacking an instruction the kernels were built for is refused (exit 78), simulated with
    SEPRANK_PRETEND_CPU_LACKS.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
ARGS = None
WORK = None


def clean_environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SEPRANK_BIN", "SEPRANK_CHECKER", "PYTHONPATH")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env.update(extra)
    return env


def run(command, cwd, **extra):
    return subprocess.run(command, cwd=cwd, env=clean_environment(**extra), capture_output=True, text=True,
                          timeout=600)


def source_theorem_ids():
    """The ids of the source tree's theorem files, read from the files, not from seprank."""
    ids = set()
    for path in (SOURCE_DIR / "proofs").glob("*.toml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("id = "):
                ids.add(line.split('"')[1])
                break
    return ids


def a_committed_certificate():
    return sorted((SOURCE_DIR / "proofs" / "certificates").glob("*.json"))[0].name


def verify_installed_suite(test, program, suite_dir):
    elsewhere = Path(tempfile.mkdtemp(dir=WORK, prefix="elsewhere-"))
    r = run([str(program), "verify", "--json"], elsewhere)
    test.assertEqual(r.returncode, 0, r.stderr)
    document = json.loads(r.stdout)
    test.assertEqual({t["id"] for t in document["theorems"]}, source_theorem_ids())
    for t in document["theorems"]:
        test.assertTrue(Path(t["path"]).resolve().is_relative_to(suite_dir.resolve()), t["path"])
        for instance in t["instances"]:
            for claim in instance["claims"]:
                test.assertNotIn(claim["status"], ("REFUTED", "UNCONFIRMED"), (t["id"], claim))


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = WORK / "prefix"
        r = subprocess.run([ARGS.cmake, "--install", ARGS.build_dir, "--prefix", str(cls.prefix)],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr

    def test_files_are_where_the_documents_say(self):
        p = self.prefix
        for relative in ("bin/seprank", "bin/seprank-check", "bin/seprank-check-py",
                         "lib/python3/dist-packages/seprank/__init__.py",
                         "lib/python3/dist-packages/seprank/check_certificate.py",
                         "share/seprank/proofs/C4.toml", "share/seprank/proofs/bundle/manifest.json",
                         "share/doc/seprank/README.md", "share/doc/seprank/LICENSE",
                         "share/doc/seprank/install.md"):
            self.assertTrue((p / relative).is_file(), relative)
        for program in ("bin/seprank", "bin/seprank-check", "bin/seprank-check-py"):
            self.assertTrue(os.access(p / program, os.X_OK), program)
        if shutil.which("help2man"):
            for page in ("seprank.1", "seprank-verify.1", "seprank-rank.1", "seprank-check.1"):
                text = (p / "share/man/man1" / page).read_text(encoding="utf-8")
                self.assertIn(".TH", text, page)
            self.assertIn("extended", (p / "share/man/man1/seprank-verify.1").read_text(encoding="utf-8"))

    def test_verify_without_a_path_proves_the_installed_suite(self):
        verify_installed_suite(self, self.prefix / "bin" / "seprank", self.prefix / "share/seprank/proofs")

    def test_installed_checkers(self):
        elsewhere = Path(tempfile.mkdtemp(dir=WORK, prefix="elsewhere-"))
        certificates = self.prefix / "share/seprank/proofs/certificates"
        good = certificates / a_committed_certificate()
        broken = sorted((certificates / "broken").glob("refuted-*.json"))[0]
        for checker in ([str(self.prefix / "bin/seprank-check")], [str(self.prefix / "bin/seprank-check-py")]):
            r = run(checker + [str(good)], elsewhere)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertTrue(r.stdout.startswith("VERIFIED"), r.stdout)
            r = run(checker + [str(broken)], elsewhere)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)

    def test_python_package_uses_the_installed_binary(self):
        elsewhere = Path(tempfile.mkdtemp(dir=WORK, prefix="elsewhere-"))
        site = self.prefix / "lib/python3/dist-packages"
        certificate = self.prefix / "share/seprank/proofs/certificates" / a_committed_certificate()
        script = (
            "import json, seprank\n"
            "from seprank import locate\n"
            "r = seprank.rank(input='8', layers='3/1/2,6/1/1', templates=2)\n"
            "c = seprank.check_certificate(%r)\n"
            "print(json.dumps({'module': seprank.__file__, 'binary': str(locate.find_binary()),\n"
            "                  'rank': r['rank'], 'verified': c['verified']}))\n" % str(certificate))
        r = run([sys.executable, "-c", script], elsewhere, PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertTrue(Path(out["module"]).resolve().is_relative_to(site.resolve()), out)
        self.assertEqual(Path(out["binary"]).resolve(), (self.prefix / "bin/seprank").resolve())
        self.assertEqual(out["rank"], 2 ** (3 - 1))
        self.assertTrue(out["verified"])

    def test_moved_prefix_still_finds_its_suite(self):
        moved = WORK / "moved-prefix"
        shutil.copytree(self.prefix, moved, symlinks=True)
        verify_installed_suite(self, moved / "bin" / "seprank", moved / "share/seprank/proofs")


class DebianPackage(unittest.TestCase):
    def test_deb_holds_the_install_and_works_extracted(self):
        if not shutil.which("dpkg-deb") or not shutil.which("dpkg-shlibdeps"):
            self.skipTest("dpkg-deb or dpkg-shlibdeps (dpkg-dev) missing")
        out = WORK / "package"
        r = subprocess.run([ARGS.cpack, "-G", "DEB", "-B", str(out), "--config",
                            str(Path(ARGS.build_dir) / "CPackConfig.cmake")],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        debs = {subprocess.run(["dpkg-deb", "-f", str(d), "Package"], capture_output=True, text=True,
                               check=True).stdout.strip(): d for d in out.glob("*.deb")}
        self.assertEqual(set(debs), {"seprank", "seprank-proofs"}, list(out.iterdir()))
        field = lambda package, name: subprocess.run(["dpkg-deb", "-f", str(debs[package]), name],
                                                     capture_output=True, text=True, check=True).stdout
        for package in ("libflint", "libopenblas", "python3", "seprank-proofs"):
            self.assertIn(package, field("seprank", "Depends"))
        self.assertEqual(field("seprank-proofs", "Architecture").strip(), "all")
        listing = {package: subprocess.run(["dpkg-deb", "-c", str(d)], capture_output=True, text=True).stdout
                   for package, d in debs.items()}
        for path in ("./usr/bin/seprank", "./usr/bin/seprank-check", "./usr/bin/seprank-check-py",
                     "./usr/lib/python3/dist-packages/seprank/__init__.py"):
            self.assertIn(path, listing["seprank"])
        for path in ("./usr/share/seprank/proofs/C4.toml", "./usr/share/seprank/proofs/bundle/manifest.json"):
            self.assertIn(path, listing["seprank-proofs"])
        root = WORK / "extracted"
        for d in debs.values():
            subprocess.run(["dpkg-deb", "-x", str(d), str(root)], check=True)
        verify_installed_suite(self, root / "usr/bin/seprank", root / "usr/share/seprank/proofs")


class Refusals(unittest.TestCase):
    def test_verify_without_a_path_and_no_suite(self):
        empty = Path(tempfile.mkdtemp(dir=WORK, prefix="empty-"))
        r = run([str(Path(ARGS.build_dir) / "seprank"), "verify"], empty)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("./proofs", r.stderr)
        self.assertIn("share/seprank/proofs", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_a_cpu_without_the_kernels_instructions(self):
        program = str(Path(ARGS.build_dir) / "seprank")
        command = [program, "rank", "--input", "4", "--layers", "2/1/2,3/1/1"]
        r = run(command, WORK, SEPRANK_PRETEND_CPU_LACKS="avx2")
        if "x86-64-v3" in ARGS.arch_flags or "native" in ARGS.arch_flags:
            self.assertEqual(r.returncode, 78, r.stderr)
            self.assertIn("avx2", r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        else:
            self.assertEqual(r.returncode, 0, r.stderr)  # kernels without AVX2: nothing to refuse
        # --help and --version work on any CPU.
        for words in (["--help"], ["--version"]):
            self.assertEqual(run([program] + words, WORK, SEPRANK_PRETEND_CPU_LACKS="avx2").returncode, 0)
        self.assertEqual(run(command, WORK).returncode, 0)


def main():
    global ARGS, WORK
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--cpack", required=True)
    parser.add_argument("--arch-flags", default="")
    ARGS, rest = parser.parse_known_args()
    WORK = Path(tempfile.mkdtemp(prefix="seprank-install-"))
    try:
        program = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
