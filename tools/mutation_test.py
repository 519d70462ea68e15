#!/usr/bin/env python3
"""Mutation testing for seprank: does the test suite catch small, realistic bugs?

Usage:
  python3 tools/mutation_test.py                  # baseline, then every mutant (45-60 min on 2 shared cores)
  python3 tools/mutation_test.py --only ID[,ID]   # a subset (after the baseline)
  python3 tools/mutation_test.py --list           # the mutants, and whether each anchor still matches
  python3 tools/mutation_test.py --all-failures --report /tmp/mutation-report.md

Run it before closing any issue that changes a stage of the pipeline (geometry, partitions,
weights, assembly, rank back-ends, the Q rule, min-cut, certificates, the checkers, verdicts,
expressions): every mutant of that stage must still be caught, and a change that makes a
mutant's anchor disappear must come with a new mutant for the new code (the script refuses to
run while any anchor does not match exactly once, so the list cannot silently rot).

What it does, in a scratch copy so that the developers' tree is never touched:
  1. clones the repository's HEAD (or --rev) into WORKDIR/src (default WORKDIR:
     /tmp/seprank-mutation; an existing clone is fetched and checked out again, and its
     leftovers are discarded) and configures WORKDIR/build once (Release, SEPRANK_FUZZ=OFF);
  2. checks that every mutant's original snippet occurs exactly once in its file;
  3. builds and runs the unmutated suite (the baseline) and stops if any test fails there:
     a mutant "caught" by a test that fails anyway would prove nothing;
  4. per mutant: replaces the snippet, builds incrementally (`cmake --build -j2`; a build
     failure is reported as "does not compile"), runs
     `ctest --output-on-failure -j JOBS --timeout 300 [--stop-on-failure]`, records the
     failing tests from ctest's output, and restores the file with `git checkout`;
  5. prints a table (mutant, stage, caught, catching tests) and writes it as Markdown to
     --report if given; what each build and ctest printed is kept in WORKDIR/logs/.

By default ctest stops at the first failure (fast; the table then names only the first
catching test(s), and since ctest starts with the tests that failed in its previous run, those
are often the ones that caught the previous mutant); --all-failures runs the whole suite per
mutant and names every catching test. Only committed code is tested (the clone is of a commit).

Exit status: 0 when every selected mutant was caught; 1 when one survived or did not compile;
2 on a usage error, a stale anchor, a failing baseline or a failing configure/build.

Standard library only.
"""
import argparse
import dataclasses
import datetime
import os
import re
import shutil
import subprocess
import sys
import time


@dataclasses.dataclass(frozen=True)
class Mutant:
    id: str
    stage: str
    file: str         # relative to the repository root
    original: str     # must occur exactly once in the file
    replacement: str
    description: str  # the bug it models


M = Mutant
MUTANTS = [
    # ---- model / architecture geometry ----
    M("arch-valid-out", "geometry", "src/model/architecture.cpp",
      "    r.out = (n - window) / stride + 1;",
      "    r.out = (n - window + stride - 1) / stride + 1;",
      "valid padding: output size rounds up when (n - R) is not a multiple of S (a last, partial window)"),
    M("arch-same-out", "geometry", "src/model/architecture.cpp",
      "    r.out = (n + stride - 1) / stride;",
      "    r.out = n / stride;",
      "same padding: output size floor(n/S) instead of ceil(n/S)"),
    M("arch-same-pad", "geometry", "src/model/architecture.cpp",
      "r.pad_before = static_cast<int>(total > 0 ? total / 2 : 0);",
      "r.pad_before = static_cast<int>(total > 0 ? (total + 1) / 2 : 0);",
      "same padding: the larger half of an odd padding goes before (PyTorch) instead of after (TensorFlow)"),
    # ---- partition conventions ----
    M("part-left-right", "partition", "src/model/partition.cpp",
      "if (i % arch.width < arch.width / 2) in_i.push_back(i);",
      "if (i % arch.width < (arch.width + 1) / 2) in_i.push_back(i);",
      "left-right on an odd width puts the middle column in I instead of J"),
    M("part-odd-even-2d", "partition", "src/model/partition.cpp",
      "if ((i / arch.width + i % arch.width) % 2 == 0) in_i.push_back(i);",
      "if ((i % arch.width) % 2 == 0) in_i.push_back(i);",
      "odd-even in 2D: column parity (stripes) instead of the (r + c) checkerboard"),
    M("part-odd-even-swap", "partition", "src/model/partition.cpp",
      "if ((i / arch.width + i % arch.width) % 2 == 0) in_i.push_back(i);",
      "if ((i / arch.width + i % arch.width) % 2 == 1) in_i.push_back(i);",
      "odd-even puts the odd positions in I (I and J swapped: same rank, different named partition)"),
    M("part-vary-auto", "partition", "src/model/partition.cpp",
      "      if (meets_i && meets_j)",
      "      if (meets_i || meets_j)",
      "--vary auto lets every window vary, not only the windows that straddle I and J"),
    # ---- weights ----
    M("weights-draw-order", "weights", "src/model/network_weights.cpp",
      "    w.representation[i] = representation == Representation::identity ? (i / m == i % m) : draw();",
      "    w.representation[(i % m) * m + i / m] = representation == Representation::identity ? (i / m == i % m) : draw();",
      "the representation F is filled column by column instead of row by row (documented draw order)"),
    M("weights-reject-off-by-one", "weights", "include/seprank/model/random.hpp",
      "if (x <= ~std::uint64_t{0} - excess) return x % bound;",
      "if (x < ~std::uint64_t{0} - excess) return x % bound;",
      "rejection sampling rejects its largest acceptable draw 2^64 - 1 - (2^64 mod bound) (off by one)"),
    M("weights-splitmix-constant", "weights", "include/seprank/model/random.hpp",
      "z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;",
      "z = (z ^ (z >> 30)) * 0xbf58476d1ce4e59bULL;",
      "SplitMix64's first multiplier with two hex digits transposed"),
    M("weights-symmetric-span", "weights", "include/seprank/model/random.hpp",
      "const auto span = static_cast<std::uint64_t>(bound) * 2 + 1;",
      "const auto span = static_cast<std::uint64_t>(bound) * 2;",
      "integer weights drawn from [-B, B-1] instead of [-B, B] (+B never drawn)"),
    # ---- assembly ----
    M("assembly-index-order", "assembly", "src/assembly/matricization.cpp",
      "  digit_positions_ = partition.vary_I;",
      "  digit_positions_.assign(partition.vary_I.rbegin(), partition.vary_I.rend());",
      "row index digits over I's positions taken least significant first (rows permuted: same rank)"),
    M("assembly-skip-unit", "assembly", "src/assembly/matricization.cpp",
      "if (r >= static_cast<int>(k)) ++counts_[k][l];",
      "if (r > static_cast<int>(k)) ++counts_[k][l];",
      "incremental re-evaluation skips the units whose receptive field reaches exactly the changed digit"),
    M("assembly-row-start", "assembly", "include/seprank/assembly/matricization.hpp",
      "  for (std::size_t t = i_size; t-- > 0;) {",
      "  for (std::size_t t = 0; t < i_size; ++t) {",
      "a thread's first row is decoded least significant digit first (wrong rows when assembly is split)"),
    # ---- table assembly (the default path; the odometer above is the reference) ----
    M("table-mont-carry", "table assembly", "src/assembly/table_kernels.cpp",
      "  const u64 s = hi + mp_hi + (lo != 0);  // (t + m·p) / 2^64 < 2p",
      "  const u64 s = hi + mp_hi;  // (t + m·p) / 2^64 < 2p",
      "Montgomery REDC drops the carry out of the low word (entries mod primes >= 2^26 off by one)"),
    M("table-canonical-zero", "table assembly", "src/assembly/table_kernels.cpp",
      "inline u64 canonical(double v, double p) { return static_cast<u64>(v < 0 ? v + p : v); }",
      "inline u64 canonical(double v, double p) { return static_cast<u64>(v <= 0 ? v + p : v); }",
      "a zero entry mod a prime < 2^26 is written as p instead of 0 (not a canonical residue)"),
    M("table-first-block-digits", "table assembly", "src/assembly/table_assembly.cpp",
      "    for (int t = f; t-- > 0;) {\n      digit[static_cast<std::size_t>(t)] = static_cast<int>(b % m);",
      "    for (int t = 0; t < f; ++t) {\n      digit[static_cast<std::size_t>(t)] = static_cast<int>(b % m);",
      "a thread's first block decodes its fixed digits least significant first (wrong rows when split)"),
    M("table-stale-unit", "table assembly", "src/assembly/table_assembly.cpp",
      "    const Mask since = block == first ? ~Mask{0} : ~((Mask{1} << changed) - 1);",
      "    const Mask since = block == first ? ~Mask{0} : ~((Mask{1} << (changed + 1)) - 1);",
      "a unit that depends on exactly the fixed digit that changed keeps its previous block's table"),
    # ---- the default prime's trial policy ----
    M("default-fast-phase-reach", "rank policy", "src/analysis/rank_analysis.cpp",
      "          fast_phase = per < 0.5 && k + needed <= most;",
      "          fast_phase = per < 0.5;",
      "the default rank stays with the small primes although the trials left cannot reach P(miss) <= 1e-9"),
    # ---- rank back-ends ----
    M("rank-fflas-rows", "rank", "src/rank/rank_fflas.cpp",
      "    rank = FFPACK::Rank(field, m, n, a, lda);  // PLUQ, in place",
      "    rank = FFPACK::Rank(field, m - 1, n, a, lda);  // PLUQ, in place",
      "the serial FFLAS-FFPACK rank eliminates one row too few (bound off by one)"),
    M("rank-backend-threshold", "rank", "src/rank/exact_rank.cpp",
      "if (prime < 2048) return RankBackend::fflas_balanced_float;",
      "if (prime < 16384) return RankBackend::fflas_balanced_float;",
      "float back-end threshold 2^14, above ModularBalanced<float>'s largest modulus 8191 (primes 8192..16383 refused)"),
    M("rank-flint-det-sign", "rank", "src/rank/exact_rank.cpp",
      "      if (j != static_cast<std::size_t>(i)) odd = !odd;",
      "      odd = !odd;",
      "permutation sign counts k transpositions per k-cycle instead of k - 1 (FLINT determinants flip sign)"),
    # ---- the Q multi-modular rule ----
    M("qrank-hadamard", "Q rule", "src/rank/multimodular_rank.cpp",
      "out.hadamard_bits = hadamard_bits(out.rank + 1, entry_bits);",
      "out.hadamard_bits = hadamard_bits(out.rank, entry_bits);",
      "Hadamard stopping rule bounds the rank x rank minors instead of the (rank+1) x (rank+1) ones"),
    # ---- min-cut ----
    M("mincut-dimension", "min-cut", "src/bounds/tensor_network.cpp",
      "const int child_copy = add_node(NodeKind::unit_copy, g.in_channels, child, -1);",
      "const int child_copy = add_node(NodeKind::unit_copy, g.out_channels, child, -1);",
      "a hidden unit's copy tensor gets its reader's channel count instead of its own"),
    M("mincut-missed-arc", "min-cut", "src/bounds/min_cut_bound.cpp",
      "    g.arcs.push_back({g.out[c], g.in[a], cap, item});\n",
      "",
      "a bond becomes one arc in one direction (the reverse arc is missed)"),
    M("mincut-contract-larger", "min-cut", "src/bounds/min_cut_bound.cpp",
      "add_bond(a, c, first_smaller ? first : second);",
      "add_bond(a, c, first_smaller ? second : first);",
      "a contracted matrix node stands for its larger bond instead of its smaller one (valid, not minimal)"),
    # ---- certificates ----
    M("cert-row-assignment", "certificate", "src/evidence/certificate.cpp",
      "  for (std::size_t t = varying.size(); t-- > 0; index /= m)",
      "  for (std::size_t t = 0; t < varying.size(); ++t, index /= m)",
      "evidence rows/cols decode an index least significant digit first (the convention: first most significant)"),
    M("cert-hash", "certificate", "src/evidence/certificate.cpp",
      "return sha256_hex(value.dump());  // std::map objects: sorted keys, compact",
      "return sha256_hex(value.dump(1));  // std::map objects: sorted keys, compact",
      "network_sha256 hashes an indented serialization instead of the canonical compact one"),
    # ---- checkers ----
    M("check-cpp-det-zero", "checkers", "checker/seprank_check.cpp",
      "  if (det == 0)\n",
      "  if (det == 0 && cert.determinant)\n",
      "seprank-check tests for a zero determinant only when one is recorded (zero minor without it: VERIFIED)"),
    M("check-cpp-unsorted", "checkers", "checker/seprank_check.cpp",
      "if (t > 0 && pos <= m.part_i.back())",
      "if (t > 0 && pos == m.part_i.back())",
      "seprank-check accepts a partition.I that is not increasing (only adjacent repeats refused)"),
    M("check-py-det-zero", "checkers", "checker/check_certificate.py",
      "    det, c = det_mod(E, p)\n    if det == 0:\n",
      "    det, c = det_mod(E, p)\n    if det == 0 and recorded is not None:\n",
      "check_certificate.py tests for a zero determinant only when one is recorded"),
    M("check-py-unsorted", "checkers", "checker/check_certificate.py",
      'if integer(i, f"{path}.I[{t}]", 0, H * W) <= (I[t - 1] if t else -1):',
      'if integer(i, f"{path}.I[{t}]", 0, H * W) == (I[t - 1] if t else -1):',
      "check_certificate.py accepts a partition.I that is not increasing (only adjacent repeats refused)"),
    # ---- structured certificates (docs/structured-certificate.md) ----
    M("check-cpp-struct-agree", "checkers", "checker/seprank_check.cpp",
      "for (std::size_t i = 1; i < terms.size() && agree; ++i) agree = same_table(on[i][j], on[0][j]);",
      "for (std::size_t i = 1; i < terms.size() && agree; ++i) agree = on[i][j] && on[0][j];",
      "seprank-check takes two parts for equal whenever both depend on their positions (a sum of products taken for a product)"),
    M("check-py-struct-agree", "checkers", "checker/check_certificate.py",
      "    agree = [all(tables[i][j] == tables[0][j] for i in range(len(terms))) for j in range(len(parts))]",
      "    agree = [all(len(tables[i][j] or ()) == len(tables[0][j] or ()) for i in range(len(terms))) for j in range(len(parts))]",
      "check_certificate.py compares the terms' tables on a part by size only (a sum of products taken for a product)"),
    M("check-cpp-struct-border", "checkers", "checker/seprank_check.cpp",
      "      if (inside != 0 && inside != b->positions.size())",
      "      if (inside != 0 && inside + 1 < b->positions.size())",
      "seprank-check lets a factor of the network stick out of a group by one position"),
    # ---- verdicts ----
    M("verify-proven-strict", "verdicts", "src/theorems/verdict.cpp",
      "    } else if (Rational(*rank) >= *lower) {",
      "    } else if (Rational(*rank) > *lower) {",
      "a lower claim is PROVEN only when certified > claimed (a tight claim becomes UNCONFIRMED)"),
    M("verify-upper-wrong-way", "verdicts", "src/theorems/verdict.cpp",
      "    if (cut && *cut <= *upper) {",
      "    if (cut && *cut >= *upper) {",
      "an upper claim is PROVEN when the min-cut is at least, instead of at most, the claimed bound"),
    M("verify-trivial-boundary", "verdicts", "src/theorems/verdict.cpp",
      "  return lower && !upper && *lower <= Rational(1);",
      "  return lower && !upper && *lower < Rational(1);",
      "a claim of rank >= 1 with no upper bound is PROVEN (vacuous) instead of TRIVIAL"),
    M("verify-trivial-with-upper", "verdicts", "src/theorems/verdict.cpp",
      "  return lower && !upper && *lower <= Rational(1);",
      "  return lower && *lower <= Rational(1);",
      "a claim with lower bound 1 and an upper bound is TRIVIAL (its upper half goes unchecked)"),
    # ---- expressions ----
    M("expr-precedence", "expressions", "src/theorems/expression.cpp",
      "    return parse_chain(NodeKind::sum, '+', Operator::add, '-', Operator::subtract,\n"
      "                       &Parser::parse_multiplicative);\n"
      "  }\n"
      "  NodePtr parse_multiplicative() {\n"
      "    return parse_chain(NodeKind::product, '*', Operator::multiply, '/', Operator::divide,\n",
      "    return parse_chain(NodeKind::sum, '*', Operator::multiply, '/', Operator::divide,\n"
      "                       &Parser::parse_multiplicative);\n"
      "  }\n"
      "  NodePtr parse_multiplicative() {\n"
      "    return parse_chain(NodeKind::product, '+', Operator::add, '-', Operator::subtract,\n",
      "+ and - bind tighter than * and / (2 + 3*4 = 20)"),
    M("expr-floor-trunc", "expressions", "src/theorems/rational.cpp",
      "fmpz_fdiv_q(fmpq_numref(r.value_), fmpq_numref(value_), fmpq_denref(value_));",
      "fmpz_tdiv_q(fmpq_numref(r.value_), fmpq_numref(value_), fmpq_denref(value_));",
      "floor() rounds toward zero (floor(-3/2) = -1): floor division and upper claims of negative fractions"),
]
del M


# ---------------------------------------------------------------------------------------------

def log(message):
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def run(cmd, cwd=None, capture=True, check=False):
    """Runs cmd; returns (exit code, combined stdout+stderr text)."""
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None, text=True, errors="replace")
    if check and proc.returncode != 0:
        out = proc.stdout or ""
        raise SystemExit(f"mutation_test: command failed ({proc.returncode}): {' '.join(cmd)}\n{out[-4000:]}")
    return proc.returncode, proc.stdout or ""


def where_now(root, snippet):
    """Tracked files of root holding snippet, for the message about a stale anchor (a moved
    file, a moved function). Only a hint: the mutant list itself must be updated."""
    code, out = run(["git", "-C", root, "grep", "-l", "-F", "-z", "-e", snippet.split("\n")[0]])
    if code != 0:
        return []
    hits = []
    for name in filter(None, out.split("\0")):
        try:
            with open(os.path.join(root, name), encoding="utf-8") as f:
                if f.read().count(snippet) == 1:
                    hits.append(name)
        except (OSError, UnicodeDecodeError):
            pass
    return hits


def anchor_problems(root, mutants):
    """(mutant, why) for every mutant whose original snippet is not in its file exactly once."""
    problems, seen = [], set()
    for m in mutants:
        if m.id in seen:
            problems.append((m, "duplicate mutant id"))
        seen.add(m.id)
        path = os.path.join(root, m.file)
        try:
            with open(path, encoding="utf-8") as f:
                count = f.read().count(m.original)
            why = f"original snippet found {count} times in {m.file} (must be exactly once)"
        except OSError as e:
            count, why = None, f"cannot read {m.file}: {e.strerror}"
        if count != 1:
            moved = [h for h in where_now(root, m.original) if h != m.file]
            problems.append((m, why + (f"; the snippet is now in {', '.join(moved)}" if moved else "")))
        elif m.original == m.replacement:
            problems.append((m, "replacement equals the original"))
    return problems


def apply_mutant(root, m):
    path = os.path.join(root, m.file)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.count(m.original) != 1:  # checked up front; re-checked against a changed tree
        raise SystemExit(f"mutation_test: {m.id}: snippet no longer matches exactly once in {m.file}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(m.original, m.replacement, 1))


def restore(root, m):
    run(["git", "-C", root, "checkout", "--", m.file], check=True)


def prepare_scratch(repo, rev, workdir):
    """Clones (or refreshes) repo at rev into workdir/src; returns (src, commit sha)."""
    sha = run(["git", "-C", repo, "rev-parse", "--verify", rev + "^{commit}"], check=True)[1].strip()
    src = os.path.join(workdir, "src")
    os.makedirs(workdir, exist_ok=True)
    if not os.path.isdir(os.path.join(src, ".git")):
        if os.path.exists(src):
            raise SystemExit(f"mutation_test: {src} exists and is not a git clone; remove it or use --workdir")
        log(f"cloning {repo} into {src}")
        run(["git", "clone", "--quiet", "--no-checkout", repo, src], check=True)
    else:
        log(f"refreshing {src} from {repo}")
        run(["git", "-C", src, "fetch", "--quiet", repo, sha], check=True)
    run(["git", "-C", src, "checkout", "--quiet", "--force", "--detach", sha], check=True)
    run(["git", "-C", src, "clean", "-fdxq"], check=True)  # leftovers of an interrupted run
    return src, sha


def configure(src, build):
    if os.path.exists(os.path.join(build, "CMakeCache.txt")):
        return  # configured once; `cmake --build` re-runs CMake itself when CMakeLists change
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    log(f"configuring {build}")
    code, out = run(["cmake", "-S", src, "-B", build, *generator, "-DCMAKE_BUILD_TYPE=Release",
                     "-DSEPRANK_FUZZ=OFF"])
    if code != 0:
        raise SystemExit(f"mutation_test: configure failed:\n{out[-4000:]}")


def build_tree(build, jobs):
    return run(["cmake", "--build", build, "-j", str(jobs)])


# "  12 - name of the test (Failed)" in ctest's closing summary; names may hold parentheses.
SUMMARY_LINE = re.compile(r"^\s*\d+\s+-\s+(.*)\s+\(([^()]*)\)\s*$")
# " 3/120 Test  #12: name ......***Failed  0.12 sec" (also "***Timeout", "***Exception: ...").
STATUS_LINE = re.compile(r"^\s*\d+/\d+\s+Test\s+#\d+:\s+(.*?)\s+\.*\s*\*\*\*(\S.*?)\s+[\d.]+\s+sec\s*$")


def failing_tests(output):
    """Names of the failing tests in ctest's output, in order, each once."""
    names = []
    lines = output.splitlines()
    if "The following tests FAILED:" in lines:
        for line in lines[lines.index("The following tests FAILED:") + 1:]:
            match = SUMMARY_LINE.match(line)
            if match:
                names.append(match.group(1))
            elif line.strip():
                break
    for line in lines:  # tests ctest reports failed but leaves out of the summary
        match = STATUS_LINE.match(line)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def run_tests(build, jobs, stop_on_failure, timeout):
    cmd = ["ctest", "--test-dir", build, "--output-on-failure", "-j", str(jobs), "--timeout", str(timeout)]
    if stop_on_failure:
        cmd.append("--stop-on-failure")
    code, out = run(cmd)
    total = re.search(r"tests passed, (\d+) tests failed out of (\d+)", out)
    return code, out, failing_tests(out), (int(total.group(2)) if total else None)


def save_log(logs, mutant_id, step, text):
    with open(os.path.join(logs, f"{mutant_id}.{step}.txt"), "w", encoding="utf-8") as f:
        f.write(text)


@dataclasses.dataclass
class Result:
    mutant: Mutant
    status: str            # caught, survived, does not compile, error
    tests: list
    build_seconds: float
    test_seconds: float
    detail: str = ""


def markdown_table(results, header):
    lines = header + ["", "| mutant | stage | file | caught | catching tests | build s | test s |",
                      "|---|---|---|---|---|---:|---:|"]
    for r in results:
        caught = {"caught": "yes", "survived": "**NO**", "does not compile": "does not compile",
                  "error": "error"}[r.status]
        tests = "; ".join(f"`{t}`" for t in r.tests) if r.tests else (r.detail or "-")
        tests = tests.replace("|", "\\|")
        lines.append(f"| {r.mutant.id} | {r.mutant.stage} | {r.mutant.file} | {caught} | {tests} | "
                     f"{r.build_seconds:.0f} | {r.test_seconds:.0f} |")
    survivors = [r for r in results if r.status != "caught"]
    if survivors:
        lines += ["", "Not caught:", ""]
        lines += [f"- **{r.mutant.id}** ({r.mutant.file}): {r.mutant.description} — {r.status}"
                  for r in survivors]
    return "\n".join(lines) + "\n"


def list_mutants(repo):
    problems = {m.id: why for m, why in anchor_problems(repo, MUTANTS)}
    width = max(len(m.id) for m in MUTANTS)
    for m in MUTANTS:
        state = f"STALE: {problems[m.id]}" if m.id in problems else "anchor ok"
        print(f"{m.id:<{width}}  {m.stage:<11}  {m.file:<32}  {state}\n{'':<{width}}  {m.description}")
    print(f"\n{len(MUTANTS)} mutants; anchors checked against {repo} (working tree)")
    return 2 if problems else 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_repo = run(["git", "-C", here, "rev-parse", "--show-toplevel"])[1].strip() or os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/seprank-mutation",
                    help="scratch directory: WORKDIR/src (clone) and WORKDIR/build (default: %(default)s)")
    ap.add_argument("--repo", default=default_repo, help="repository to clone (default: %(default)s)")
    ap.add_argument("--rev", default="HEAD", help="commit of --repo to test (default: HEAD)")
    ap.add_argument("--only", help="comma-separated mutant ids to run")
    ap.add_argument("--list", action="store_true", help="list the mutants and check their anchors, then exit")
    ap.add_argument("--jobs", type=int, default=2, help="ctest -j (default: %(default)s)")
    ap.add_argument("--build-jobs", type=int, default=2, help="cmake --build -j (default: %(default)s)")
    ap.add_argument("--timeout", type=int, default=300, help="ctest --timeout per test (default: %(default)s)")
    ap.add_argument("--all-failures", action="store_true",
                    help="run the whole suite per mutant and name every catching test "
                         "(default: ctest --stop-on-failure, which names only the first)")
    ap.add_argument("--report", help="also write the table as Markdown to this file")
    args = ap.parse_args(argv)

    if args.list:
        return list_mutants(args.repo)
    selected = MUTANTS
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        known = {m.id for m in MUTANTS}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            print(f"mutation_test: unknown mutant id(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
            return 2
        selected = [m for m in MUTANTS if m.id in wanted]

    started = time.monotonic()
    workdir = os.path.abspath(args.workdir)
    src, sha = prepare_scratch(args.repo, args.rev, workdir)
    problems = anchor_problems(src, MUTANTS)  # all of them, not only the selected: no silent rot
    if problems:
        for m, why in problems:
            print(f"mutation_test: mutant {m.id}: {why}", file=sys.stderr)
        print("mutation_test: refusing to run: update the stale mutants (their code changed) in "
              "tools/mutation_test.py", file=sys.stderr)
        return 2
    build = os.path.join(workdir, "build")
    configure(src, build)

    log(f"baseline: building {sha[:12]}")
    t0 = time.monotonic()
    code, out = build_tree(build, args.build_jobs)
    if code != 0:
        print(f"mutation_test: the unmutated tree does not build:\n{out[-4000:]}", file=sys.stderr)
        return 2
    log(f"baseline: built in {time.monotonic() - t0:.0f} s; running the whole suite")
    t0 = time.monotonic()
    code, out, failed, total = run_tests(build, args.jobs, False, args.timeout)
    baseline_seconds = time.monotonic() - t0
    if code != 0 or failed:
        print(out[-6000:], file=sys.stderr)
        print(f"mutation_test: the baseline fails ({', '.join(failed) or f'ctest exit {code}'}): "
              "fix the suite first; a mutant caught by a failing test proves nothing", file=sys.stderr)
        return 2
    log(f"baseline: {total} tests pass in {baseline_seconds:.0f} s")

    logs = os.path.join(workdir, "logs")  # per mutant: what the build and ctest printed
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    results = []
    for number, m in enumerate(selected, 1):
        log(f"[{number}/{len(selected)}] {m.id}: {m.description}")
        apply_mutant(src, m)
        try:
            t0 = time.monotonic()
            code, out = build_tree(build, args.build_jobs)
            build_seconds = time.monotonic() - t0
            save_log(logs, m.id, "build", out)
            if code != 0:
                errors = [l for l in out.splitlines() if "error" in l][:3]
                results.append(Result(m, "does not compile", [], build_seconds, 0, " / ".join(errors)[:300]))
                log(f"    does not compile ({build_seconds:.0f} s)")
                continue
            t0 = time.monotonic()
            code, out, failed, _ = run_tests(build, args.jobs, not args.all_failures, args.timeout)
            test_seconds = time.monotonic() - t0
            save_log(logs, m.id, "ctest", out)
            if failed:
                results.append(Result(m, "caught", failed, build_seconds, test_seconds))
            elif code == 0:
                results.append(Result(m, "survived", [], build_seconds, test_seconds))
            else:
                tail = " ".join(out.strip().splitlines()[-3:])[:300]
                results.append(Result(m, "error", [], build_seconds, test_seconds,
                                      f"ctest exit {code}, no failing test named: {tail}"))
            log(f"    {results[-1].status}: {'; '.join(failed) or '-'} "
                f"(build {build_seconds:.0f} s, tests {test_seconds:.0f} s)")
        finally:
            restore(src, m)

    caught = sum(r.status == "caught" for r in results)
    elapsed = time.monotonic() - started
    header = [
        "# seprank mutation test report",
        "",
        f"- commit: `{sha}`",
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- ctest: -j {args.jobs} --timeout {args.timeout}"
        + ("" if args.all_failures else " --stop-on-failure (only the first catching test(s) are named)"),
        f"- baseline: {total} tests pass in {baseline_seconds:.0f} s",
        f"- result: {caught} of {len(results)} mutants caught; total time {elapsed / 60:.1f} min",
    ]
    table = markdown_table(results, header)
    print(table)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write(table)
        log(f"report written to {args.report}")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
