// The exit-code catalogue (docs/errors.md), end to end: every code of seprank, seprank-check
// and checker/check_certificate.py is produced here at least once, and the catalogue lists every
// code of include/seprank/support/errors.hpp. Further tests of each code are named beside it.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"
#include "seprank/support/cpu_support.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

const std::string source_dir = SEPRANK_SOURCE_DIR;
const std::string certificates = source_dir + "/proofs/certificates";

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string python_checker(const std::string& args) {
  return "python3 '" + source_dir + "/checker/check_certificate.py' " + args;
}

}  // namespace

TEST_CASE("exit codes: docs/errors.md lists every code seprank defines") {
  const std::string header = read(source_dir + "/include/seprank/support/errors.hpp");
  const std::string catalogue = read(source_dir + "/docs/errors.md");
  const std::regex code(R"(exit_\w+ = (\d+),)");
  std::set<std::string> codes;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), code); it != std::sregex_iterator(); ++it)
    codes.insert((*it)[1]);
  CHECK(codes.size() == 17);  // 0, 1, 64-66, 69, 70, 73, 74, 78 and merge's 80-86
  for (const std::string& c : codes) {
    CAPTURE(c);
    CHECK(catalogue.find("| " + c + " |") != std::string::npos);
  }
}

TEST_CASE("exit codes: seprank produces each code of the catalogue") {
  const fs::path dir = fs::temp_directory_path() / ("seprank_exit_codes_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string existing = (dir / "existing.json").string();
  std::ofstream(existing) << "keep me\n";
  // Sweep lines of a run of 4 (fingerprint "f"), for merge's codes (more in test_merge.cpp).
  const auto lines = [&](const std::string& name, std::vector<int> indices, const std::string& fingerprint = "f") {
    std::ofstream out(dir / name);
    for (int k : indices) out << "{\"family_size\":4,\"fingerprint\":\"" << fingerprint << "\",\"index\":" << k << "}\n";
    return "'" + (dir / name).string() + "'";
  };
  const std::string even = lines("even", {0, 2}), odd = lines("odd", {1, 3});
  const struct {
    int code;
    std::string command;
    std::string says;  // on stderr; "" for a success
  } cases[] = {
      // 0: also every successful test (test_cli_rank.cpp, test_certificates.cpp, test_verify.cpp).
      {0, seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --json"), ""},
      // 1: also test_verify.cpp (REFUTED by min-cut, REFUTED with a certificate, UNCONFIRMED).
      {1, seprank_command("verify '" + source_dir + "/tests/data/false-lower-nonoverlapping.toml'"), ""},
      // 64: also test_cli_rank.cpp (every malformed value), test_limits.cpp (numbers out of range).
      {64, seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --frobnicate"), "frobnicate"},
      // 65: also test_cli_rank.cpp, test_verify.cpp (malformed theorem files), test_limits.cpp.
      {65, seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --prime 15"), "not prime"},
      // 66: also test_verify.cpp.
      {66, seprank_command("verify /nonexistent/theorem.toml"), "no such file"},
      // 69: also test_cli_rank.cpp and test_limits.cpp (every limit).
      {69, seprank_command("rank --input 5000 --layers 5000/1/2"), "positions"},
      // 70: no input reaches it (a bug would); an environment variable injects one for this test.
      {70, "SEPRANK_INJECT_INTERNAL_ERROR=1 " + seprank_command("rank --input 8 --layers 3/1/2,6/1/1"),
       "internal error"},
      // 73: also test_certificates.cpp (certify without --force).
      {73, seprank_command("certify --input 6 --layers 6/1/2 -o '" + existing + "'"), "--force"},
      {73,
       seprank_command("verify '" + source_dir + "/proofs/C2.toml' --certificates '" + existing + "/sub'"),
       "cannot create the directory"},
      // 74: stdout cannot be written (a full disk); the JSON would be truncated.
      {74, seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --json >/dev/full"),
       "cannot write to standard output"},
      // 80-86: merge (also test_merge.cpp: verify documents and sweep lines, each kind).
      {0, seprank_command("merge " + odd + " " + even), ""},
      {80, seprank_command("merge " + even + " " + lines("odd-other", {1, 3}, "g")), "different runs"},
      {81, seprank_command("merge " + even + " " + odd + " " + lines("all", {0, 1, 2, 3})), "3 files were given"},
      {82, seprank_command("merge " + lines("third", {0, 3}) + " " + lines("next", {1})), "a shard is missing"},
      {83, seprank_command("merge " + even + " " + even), "both shard 1/2"},
      {84, seprank_command("merge " + even + " " + lines("odd-twice", {1, 1, 3})), "appears twice"},
      {85, seprank_command("merge " + even + " " + lines("odd-wrong", {3, 2})), "index 2 belongs to shard 1/2"},
      {86, seprank_command("merge " + even + " " + lines("odd-short", {1})), "missing"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.command);
    const auto r = run(c.command);
    CHECK(r.exit_code == c.code);
    if (!c.says.empty()) CHECK(r.err.find(c.says) != std::string::npos);
  }
  CHECK(read(existing) == "keep me\n");

  // 78: a CPU without an instruction the kernels were built for, simulated (test_install.py too).
  // Only where the kernels were built with AVX2 (the default; not -march=x86-64).
  ::setenv("SEPRANK_PRETEND_CPU_LACKS", "avx2", 1);
  const bool kernels_use_avx2 = !seprank::kernel_features_missing_on_this_cpu().empty();
  ::unsetenv("SEPRANK_PRETEND_CPU_LACKS");
  if (kernels_use_avx2) {
    const auto lacking = run("SEPRANK_PRETEND_CPU_LACKS=avx2 " + seprank_command("rank --input 8 --layers 3/1/2,6/1/1"));
    CHECK(lacking.exit_code == 78);
    CHECK(lacking.err.find("avx2") != std::string::npos);
  }

  // 74 from certify -o: a write that fails is reported and, the target not being a regular
  // file, left in place (with --force it may be a device, which root must never delete).
  const fs::path full = dir / "full";
  fs::create_symlink("/dev/full", full);
  const auto r = run(seprank_command("certify --input 6 --layers 6/1/2 --force -o '" + full.string() + "'"));
  CHECK(r.exit_code == 74);
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(fs::is_symlink(full));
  fs::remove_all(dir);
}

TEST_CASE("exit codes: both checkers produce 0, 1, 2 and 3") {
  const struct {
    int code;
    std::string file;  // "" runs the checker without an argument
  } cases[] = {
      {0, certificates + "/small-prime-3x3.json"},  // also test_certificates.cpp (every committed one)
      {1, certificates + "/broken/refuted-duplicate-row.json"},  // also every broken/refuted-*
      {2, certificates + "/broken/malformed-empty.json"},    // also every broken/malformed-*, test_limits.cpp
      // A structured certificate (docs/structured-certificate.md): the same codes.
      {0, certificates + "/structured-c4-2d-6x6.json"},
      {1, certificates + "/broken/refuted-structured-minor-singular.json"},
      {2, certificates + "/broken/malformed-structured-stale-hash.json"},
      {3, source_dir + "/proofs/no-such-certificate.json"},  // also test_certificates.cpp
      {3, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const std::string argument = c.file.empty() ? "" : "'" + c.file + "'";
    for (const std::string& command :
         {std::string(SEPRANK_CHECK_BINARY) + " " + argument, python_checker(argument)}) {
      CAPTURE(command);
      const auto r = run(command);
      CHECK(r.exit_code == c.code);
      CHECK(r.out.rfind(c.code == 0 ? "VERIFIED: " : "NOT VERIFIED: ", 0) == 0);
      CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
      CHECK(r.err.empty());
    }
  }
}
