#!/usr/bin/env python3
"""Tests of the Python package seprank (python/seprank/, docs/python.md), standard library only.

Usage: python3 tests/test_python_package.py --seprank BUILD/seprank [unittest options]

Expected ranks come from closed forms of docs/theorems.md, never from seprank itself:
C2's exact claim (one GC(R, 1, C >= M) layer and a global layer with one channel on 8 positions,
left-right: rank = M^(R-1)) and A2's shallow network (one global layer with Z channels, the mask
1(0)^(N-2)1: rank = min(Z, M^2)). Certificates are checked by the independent Python checker;
a tampered one must be refused. Every ```python block of docs/python.md is run, in order, in
one session (the plot example only when matplotlib is importable). Exits non-zero on a failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

SOURCE_DIR = Path(__file__).resolve().parent.parent
PYTHON_DIR = SOURCE_DIR / "python"
SEPRANK = None  # the binary under test, from --seprank

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, str(PYTHON_DIR))
import seprank  # noqa: E402
from seprank.commands import option_arguments  # noqa: E402


def fake_program(directory, name, marker):
    """An executable that prints {"fake": marker} whatever its arguments."""
    path = Path(directory) / name
    path.write_text(f"#!/bin/sh\necho '{{\"fake\": \"{marker}\"}}'\n")
    path.chmod(0o755)
    return path


def clean_environment(**extra):
    """os.environ without SEPRANK_BIN and SEPRANK_CHECKER, plus extra."""
    env = {k: v for k, v in os.environ.items() if k not in ("SEPRANK_BIN", "SEPRANK_CHECKER")}
    env.update(extra)
    return env


class WithBinary(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch.dict(os.environ, {"SEPRANK_BIN": SEPRANK})
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("SEPRANK_CHECKER", None)
        self.directory = Path(tempfile.mkdtemp(prefix="seprank-python-"))
        self.addCleanup(shutil.rmtree, self.directory, True)


class Ranks(WithBinary):
    def test_c2_exact_rank_is_m_to_the_r_minus_1(self):
        # docs/theorems.md#c2, claim "1D exact, C'=1": N = 8, R <= floor(N/2) + 1, C >= M.
        for M, R, C in [(2, 2, 2), (2, 3, 2), (2, 4, 3), (3, 3, 3), (2, 5, 2)]:
            with self.subTest(M=M, R=R, C=C):
                result = seprank.rank(input="8", layers=f"{R}/1/{C},{8 - R + 1}/1/1", templates=M)
                self.assertEqual(result["rank"], M ** (R - 1))
                self.assertEqual(result["upper_bound"], M ** (R - 1))
                self.assertIs(result["settled"], True)
                self.assertEqual(result["command"], "rank")

    def test_a2_shallow_network_rank_is_min_of_channels_and_side(self):
        # docs/theorems.md#a2, claim "1D exact": one global layer with Z channels, conv sharing,
        # I = the two end positions: rank = min(Z, M^min(|I|, |J|)) = min(Z, M^2).
        N = 6
        for M, Z in [(2, 3), (2, 6), (3, 5)]:
            with self.subTest(M=M, Z=Z):
                result = seprank.rank(input=N, layers=f"{N}/1/{Z}", templates=M,
                                      partition="mask:1" + "0" * (N - 2) + "1", prime="fast")
                self.assertEqual(result["rank"], min(Z, M ** 2))

    def test_bound_and_compare(self):
        self.assertEqual(seprank.bound(input="8", layers="3/1/2,6/1/1")["upper_bound"], 4)
        result = seprank.compare(input="8", layers="3/1/2,6/1/1", weights="gaussian")
        self.assertEqual(result["command"], "compare")
        self.assertEqual(result["exact_rank_mod_p"], 4)
        self.assertIn("verdict", result)

    def test_options_become_flags(self):
        self.assertEqual(
            option_arguments({"fixed_templates": "0", "max_memory": 1024, "prime": "fast",
                              "threads": 0, "timings": True, "seed": None, "json_x": False,
                              "output": Path("/tmp/a b.json")}),
            ["--fixed-templates=0", "--max-memory=1024", "--prime=fast", "--threads=0",
             "--timings", "--output=/tmp/a b.json"])
        with self.assertRaises(TypeError):
            option_arguments({"json": True})
        with self.assertRaises(TypeError):
            option_arguments({"Bad-Name": 1})
        # The options reach seprank: a different seed draws other weights, --timings adds timings.
        result = seprank.rank(input="8", layers="3/1/2,6/1/1", seed=7, max_memory=1024,
                              prime="fast", threads=1, fixed_templates="0", timings=True)
        self.assertEqual(result["seed"], 7)
        self.assertEqual(result["prime"], 2 ** 23 - 15)
        self.assertTrue(any("tim" in key for key in result), sorted(result))


class Certificates(WithBinary):
    def certify(self, name="c2.json", **options):
        path = self.directory / name
        summary = seprank.certify(input="8", layers="3/1/2,6/1/1", output=path, **options)
        self.assertEqual(summary["rank"], 4)  # docs/theorems.md#c2
        self.assertEqual(Path(summary["file"]).resolve(), path.resolve())
        return path

    def test_certify_then_check(self):
        path = self.certify()
        check = seprank.check_certificate(path)
        self.assertEqual(check, {"verified": True, "exit_code": 0,
                                 "verdict": check["verdict"]})
        self.assertTrue(check["verdict"].startswith("VERIFIED: rank >= 4 over GF("), check)
        self.assertEqual(seprank.check_certificate(str(path))["exit_code"], 0)

    def test_rank_of_a_network_file(self):
        # The certificate records the drawn weights: their rank is C2's M^(R-1) = 4 again, and
        # the output says it is a rank at given weights (docs/model.md "Given weights").
        path = self.certify()
        result = seprank.rank(network=path)
        self.assertEqual(result["rank"], 4)
        self.assertEqual(result["weights"], "file")
        self.assertIsNone(result["settled"])
        with self.assertRaises(seprank.UsageError):
            seprank.rank(network=path, input="8")
        with self.assertRaises(seprank.UsageError):
            seprank.rank()

    def test_existing_output_needs_force(self):
        path = self.certify()
        with self.assertRaises(seprank.CannotCreateError) as caught:
            self.certify()
        self.assertEqual(caught.exception.exit_code, 73)
        self.certify(force=True)
        self.assertTrue(seprank.check_certificate(path)["verified"])

    def test_tampered_minor_is_refuted(self):
        path = self.certify()
        certificate = json.loads(path.read_text())
        column = certificate["evidence"]["cols"][1]
        column[-1] = (column[-1] + 1) % certificate["network"]["templates"]  # another minor
        tampered = self.directory / "tampered.json"
        tampered.write_text(json.dumps(certificate))
        check = seprank.check_certificate(tampered)
        self.assertIs(check["verified"], False)
        self.assertEqual(check["exit_code"], 1, check)
        self.assertTrue(check["verdict"].startswith("NOT VERIFIED: refuted"), check)

    def test_tampered_weight_is_malformed(self):
        path = self.certify()
        certificate = json.loads(path.read_text())
        certificate["network"]["readout"][0] += 1  # network_sha256 no longer matches
        tampered = self.directory / "tampered.json"
        tampered.write_text(json.dumps(certificate))
        check = seprank.check_certificate(tampered)
        self.assertEqual((check["verified"], check["exit_code"]), (False, 2), check)

    def test_unreadable_file_raises(self):
        with self.assertRaises(seprank.CheckerError) as caught:
            seprank.check_certificate(self.directory / "missing.json")
        self.assertEqual(caught.exception.exit_code, 3)
        self.assertIn("cannot read", caught.exception.message)

    def test_cut_witness(self):
        witness = self.directory / "cut.json"
        self.assertEqual(seprank.bound(input="8", layers="3/1/2,6/1/1", witness=witness)["upper_bound"], 4)
        self.assertTrue(seprank.check_certificate(witness)["verified"])


class Errors(WithBinary):
    def test_invalid_option_is_64(self):
        with self.assertRaises(seprank.SeprankError) as caught:
            seprank.rank(input="8", layers="3/1/2,6/1/1", no_such_option=1)
        error = caught.exception
        self.assertIsInstance(error, seprank.UsageError)
        self.assertIsInstance(error, RuntimeError)
        self.assertEqual(error.exit_code, 64)
        self.assertIn("--no-such-option", error.message)
        self.assertFalse(error.message.startswith("seprank:"), error.message)
        self.assertNotIn("\n", error.message)
        self.assertEqual(error.command[0], SEPRANK)
        self.assertEqual(error.command[1], "rank")
        self.assertIn("--no-such-option=1", error.command)

    def test_unparsable_value_is_64(self):
        with self.assertRaises(seprank.UsageError) as caught:
            seprank.rank(input="8", layers="3/1/2,6/1/1", seed=-1)
        self.assertEqual(caught.exception.exit_code, 64)
        self.assertIn("--seed", caught.exception.message)

    def test_bad_value_is_65(self):
        for options in ({"layers": "3-1-2"}, {"layers": "3/1/2,5/1/1"},
                        {"layers": "3/1/2,6/1/1", "partition": "mask:01"}):
            with self.subTest(**options):
                with self.assertRaises(seprank.DataError) as caught:
                    seprank.rank(input="8", **options)
                self.assertEqual(caught.exception.exit_code, 65)
                self.assertTrue(caught.exception.message)

    def test_too_large_is_69(self):
        with self.assertRaises(seprank.ResourceError) as caught:
            seprank.rank(input="99999999999", layers="3/1/2")
        self.assertEqual(caught.exception.exit_code, 69)

    def test_verify(self):
        theorem = self.directory / "window.toml"
        theorem.write_text('format = "seprank-theorem"\nformat_version = 1\nid = "WINDOW"\n'
                           'title = "t"\nsource = "docs/theorems.md#c2"\nstatement = "s"\n'
                           '[[claim]]\ninput = "8"\ntemplates = "2"\n'
                           'layers = "{R}/1/2,{9-R}/1/1"\nlower = "2^(R-1)"\nupper = "2^(R-1)"\n'
                           '[[instances]]\nR = [2, 3]\n')
        report = seprank.verify(theorem, prime="fast")
        self.assertEqual((report["summary"]["proven"], report["summary"]["ok"]), (2, True))
        report = seprank.verify([str(theorem)], prime="fast")
        self.assertEqual(report["summary"]["proven"], 2)
        with self.assertRaises(seprank.ClaimFailed) as caught:
            seprank.verify(SOURCE_DIR / "tests" / "data" / "false-upper.toml")
        error = caught.exception
        self.assertEqual(error.exit_code, 1)
        self.assertEqual(error.result["summary"]["refuted"], 1)
        self.assertIn("REFUTED", error.message)
        with self.assertRaises(seprank.NoInputError) as caught:
            seprank.verify(self.directory / "missing.toml")
        self.assertEqual(caught.exception.exit_code, 66)


class Lookup(unittest.TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="seprank-python-lookup-"))
        self.addCleanup(shutil.rmtree, self.directory, True)
        (self.directory / "path").mkdir()
        fake_program(self.directory / "path", "seprank", "on PATH")
        self.configured = fake_program(self.directory, "configured-seprank", "SEPRANK_BIN")

    def test_seprank_bin_comes_before_path(self):
        with mock.patch.dict(os.environ, clean_environment(
                SEPRANK_BIN=str(self.configured), PATH=str(self.directory / "path")), clear=True):
            self.assertEqual(seprank.find_binary(), str(self.configured))
            self.assertEqual(seprank.rank(input="8", layers="x")["fake"], "SEPRANK_BIN")

    def test_path_is_last(self):
        with mock.patch.dict(os.environ, clean_environment(PATH=str(self.directory / "path")),
                             clear=True):
            self.assertEqual(seprank.rank(input="8", layers="x")["fake"], "on PATH")

    def test_none_found_or_wrong_seprank_bin(self):
        with mock.patch.dict(os.environ, clean_environment(PATH=str(self.directory / "empty")),
                             clear=True):
            with self.assertRaises(seprank.ProgramNotFoundError) as caught:
                seprank.rank(input="8", layers="3/1/2,6/1/1")
            self.assertIn("SEPRANK_BIN", str(caught.exception))
        with mock.patch.dict(os.environ, clean_environment(
                SEPRANK_BIN=str(self.directory / "missing"), PATH=str(self.directory / "path")),
                clear=True):
            with self.assertRaises(FileNotFoundError) as caught:  # never falls through to PATH
                seprank.find_binary()
            self.assertIn("missing", str(caught.exception))

    def test_checker_lookup(self):
        with mock.patch.dict(os.environ, clean_environment(), clear=True):
            self.assertEqual(Path(seprank.find_checker()),
                             SOURCE_DIR / "checker" / "check_certificate.py")
        with mock.patch.dict(os.environ, clean_environment(
                SEPRANK_CHECKER=str(self.configured)), clear=True):
            self.assertEqual(seprank.find_checker(), str(self.configured))
        with mock.patch.dict(os.environ, clean_environment(
                SEPRANK_CHECKER=str(self.directory / "missing.py")), clear=True):
            with self.assertRaises(seprank.ProgramNotFoundError):
                seprank.find_checker()

    def test_installed_layout(self):
        # What the install step does (docs/python.md): the package to
        # P/lib/python3/dist-packages/seprank/, the checker into it, the binary to P/bin/.
        prefix = self.directory / "prefix"
        site = prefix / "lib" / "python3" / "dist-packages"
        shutil.copytree(PYTHON_DIR / "seprank", site / "seprank",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(SOURCE_DIR / "checker" / "check_certificate.py", site / "seprank")
        (prefix / "bin").mkdir()
        os.symlink(SEPRANK, prefix / "bin" / "seprank")
        elsewhere = self.directory / "elsewhere"
        elsewhere.mkdir()
        program = ("import seprank, sys\n"
                   "print(seprank.find_binary()); print(seprank.find_checker())\n"
                   "print(seprank.rank(input='8', layers='3/1/2,6/1/1')['rank'])\n"
                   "seprank.certify(input='8', layers='3/1/2,6/1/1', output='c.json')\n"
                   "print(seprank.check_certificate('c.json')['verified'])\n")
        env = clean_environment(PYTHONPATH=str(site), PATH=str(self.directory / "path"))
        out = subprocess.run([sys.executable, "-c", program], cwd=elsewhere, env=env,
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.split("\n")[:4],
                         [str(prefix / "bin" / "seprank"),
                          str(site / "seprank" / "check_certificate.py"), "4", "True"])
        # Without P/bin/seprank the installed package falls back to PATH.
        (prefix / "bin" / "seprank").unlink()
        out = subprocess.run([sys.executable, "-c", "import seprank; print(seprank.find_binary())"],
                             cwd=elsewhere, env=env, capture_output=True, text=True)
        self.assertEqual(out.stdout.strip(), str(self.directory / "path" / "seprank"), out.stderr)


class Sweeps(WithBinary):
    def test_window_sweep_matches_c2(self):
        rows = seprank.sweep("rank", {"R": [2, 3, 4, 5]}, input="8",
                             layers=lambda R: f"{R}/1/2,{9 - R}/1/1", prime="fast")
        self.assertEqual([row["R"] for row in rows], [2, 3, 4, 5])
        self.assertEqual([row["rank"] for row in rows], [2 ** (R - 1) for R in [2, 3, 4, 5]])
        self.assertEqual([row["upper_bound"] for row in rows], [row["rank"] for row in rows])
        for row in rows:
            self.assertEqual(row["layers"], f"{row['R']}/1/2,{9 - row['R']}/1/1")
            self.assertIs(row["settled"], True)
            self.assertGreaterEqual(row["wall_seconds"], 0)
            self.assertFalse(any(isinstance(v, (dict, list)) for v in row.values()), row)
            self.assertNotIn("input", row)  # fixed options are not columns

    def test_option_parameters_are_passed_and_feed_derived_options(self):
        rows = seprank.sweep("rank", {"templates": [2, 3], "R": [3]}, input="8",
                             layers=lambda R, templates: f"{R}/1/{templates},{9 - R}/1/1")
        self.assertEqual([(row["templates"], row["rank"]) for row in rows], [(2, 4), (3, 9)])

    def test_explicit_points_and_recorded_errors(self):
        rows = seprank.sweep("bound", [{"layers": "3/1/2,6/1/1"}, {"layers": "3/1/2,5/1/1"}],
                             input="8", on_error="record")
        self.assertEqual(rows[0]["upper_bound"], 4)
        self.assertEqual((rows[1]["exit_code"], "upper_bound" in rows[1]), (65, False))
        self.assertTrue(rows[1]["error"])
        with self.assertRaises(seprank.DataError):
            seprank.sweep("bound", [{"layers": "3/1/2,5/1/1"}], input="8")
        with self.assertRaises(seprank.UsageError):  # a misspelled option is not dropped
            seprank.sweep("rank", {"templats": [2]}, input="8", layers="3/1/2,6/1/1")

    def test_plot_without_matplotlib(self):
        rows = [{"R": 2, "rank": 2, "upper_bound": 2}]
        with mock.patch.dict(sys.modules, {"matplotlib": None, "matplotlib.pyplot": None}):
            with self.assertRaises(ImportError) as caught:
                seprank.plot(rows, x="R")
        self.assertIn("matplotlib", str(caught.exception))
        self.assertIn("python3-matplotlib", str(caught.exception))

    def test_plot_with_matplotlib_when_present(self):
        try:
            import matplotlib
        except ImportError:
            self.skipTest("matplotlib is not installed (no test depends on it)")
        matplotlib.use("Agg")
        rows = [{"R": 2, "rank": 2, "upper_bound": 2}, {"R": 3, "rank": 4, "upper_bound": 4},
                {"R": 4, "error": "too large", "exit_code": 69}]
        ax = seprank.plot(rows, x="R", logy=True, title="t")
        self.assertEqual([line.get_label() for line in ax.get_lines()], ["rank", "upper_bound"])
        self.assertEqual(list(ax.get_lines()[0].get_xdata()), [2, 3])
        self.assertEqual(ax.get_yscale(), "log")
        ax = seprank.plot(rows, x="R", y="rank", ax=ax)
        self.assertEqual(len(ax.get_lines()), 3)


class Versions(WithBinary):
    def test_version_is_the_projects(self):
        cmake = (SOURCE_DIR / "CMakeLists.txt").read_text()
        project = re.search(r"project\(\s*seprank\s+VERSION\s+([0-9.]+)", cmake).group(1)
        self.assertEqual(seprank.__version__, project)
        self.assertEqual(seprank.binary_version(), project)


class Guide(WithBinary):
    def test_docs_python_md_examples_run(self):
        text = (SOURCE_DIR / "docs" / "python.md").read_text()
        blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
        self.assertGreaterEqual(len(blocks), 6)
        try:
            import matplotlib  # noqa: F401
            have_matplotlib = True
        except ImportError:
            have_matplotlib = False
        program = []
        for block in blocks:
            if "seprank.plot(" in block and not have_matplotlib:
                print("docs/python.md: the plot example is skipped (no matplotlib)", file=sys.stderr)
                continue
            program.append(block)
        env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR), MPLBACKEND="Agg",
                   PYTHONDONTWRITEBYTECODE="1")
        out = subprocess.run([sys.executable, "-c", "\n".join(program)], cwd=self.directory,
                             env=env, capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("4 4 True", out.stdout)
        self.assertIn("VERIFIED: rank >= 4", out.stdout)
        self.assertTrue((self.directory / "c2.json").is_file())
        if have_matplotlib:
            self.assertTrue((self.directory / "c2-window.png").is_file())


def main():
    global SEPRANK
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seprank", required=True, help="the seprank binary under test")
    arguments, rest = parser.parse_known_args()
    SEPRANK = str(Path(arguments.seprank).resolve())
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
