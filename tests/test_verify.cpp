// seprank verify end to end: the committed theorem files all hold on their default
// instances; deliberately false files are REFUTED or UNCONFIRMED with a non-zero exit;
// malformed files give one error line naming file and line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <fstream>
#include <map>
#include <set>

#include "process.hpp"
#include "seprank/theorems/theorem_file.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

const std::string source_dir = SEPRANK_SOURCE_DIR;

std::multiset<std::string> statuses(const nlohmann::json& j) {
  std::multiset<std::string> out;
  for (const auto& t : j["theorems"])
    for (const auto& i : t["instances"])
      for (const auto& c : i["claims"]) out.insert(c["status"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("verify: every statement in proofs/ is PROVEN or TRIVIAL on its default instances, TRIVIAL counted apart") {
  const auto r = run(seprank_command("verify " + source_dir + "/proofs --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> ids;
  for (const auto& t : j["theorems"]) ids.insert(t["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{"A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "D1"});
  const auto s = statuses(j);
  CHECK(s.count("REFUTED") == 0);
  CHECK(s.count("UNCONFIRMED") == 0);
  CHECK(s.count("SKIPPED") == 0);  // nothing silently too large in the default set
  CHECK(s.count("CONSISTENT") + s.count("PROVEN") + s.count("TRIVIAL") + s.count("N/A") == s.size());
  CHECK(j["summary"]["ok"] == true);  // TRIVIAL is not a failure: exit 0 above
  CHECK(j["schema_version"] == 3);
  // TRIVIAL rows, counted per file apart from the code under test: the claims whose hypotheses
  // hold, with a lower bound whose ceiling is <= 1 and no upper bound. tests/count_trivial_claims.py
  // counts them with tomllib and the Python checker's own evaluator; by hand from the files:
  // A1 36 (r0 = 1), B1 24, C2 42 (C = 1), C4 2 (C = 1, in the dense and the structured claim):
  // 104 of the 1084 checks.
  const auto counted = run("python3 '" + source_dir + "/tests/count_trivial_claims.py' " + source_dir + "/proofs/*.toml");
  REQUIRE(counted.exit_code == 0);
  CHECK(counted.out == "A1 36\nB1 24\nC2 42\nC4 2\n");
  std::map<std::string, int> trivial;
  int proven = 0;
  for (const auto& t : j["theorems"])
    for (const auto& i : t["instances"])
      for (const auto& c : i["claims"]) {
        proven += c["status"] == "PROVEN";
        const bool lower_at_most_1 = !c["claimed_lower"].is_null() && std::stoll(c["claimed_lower"].get<std::string>()) <= 1;
        const bool is_trivial = c["status"] == "TRIVIAL";
        CAPTURE(t["id"].get<std::string>());
        CAPTURE(i["parameters"].dump());
        CHECK(is_trivial == (lower_at_most_1 && c["claimed_upper"].is_null()));
        if (!is_trivial) continue;
        ++trivial[t["id"].get<std::string>()];
        // Decided from the claim alone: no rank, no min-cut, no evidence.
        CHECK(c["certified_lower"].is_null());
        CHECK(c["min_cut"].is_null());
        CHECK(c["seed"].is_null());
        CHECK(c["tries"] == 0);
        CHECK(c["note"] == "lower bound <= 1 and no upper bound: nothing to prove");
      }
  CHECK(trivial == std::map<std::string, int>{{"A1", 36}, {"B1", 24}, {"C2", 42}, {"C4", 2}});
  CHECK(j["summary"]["trivial"] == 104);
  // 1028 checks PROVEN before TRIVIAL existed, less the 103 TRIVIAL then; plus C4's structured
  // claim: H = 6 with C = 2, 3 and H = 10, 12, 16 (lower bounds 2^8, 2^8, 2^16, 2^20, 2^28).
  CHECK(proven == 930);
  CHECK(j["summary"]["proven"] == 930);
  CHECK(j["summary"]["evidence_checked"] == 930);  // TRIVIAL rests on no evidence
}

TEST_CASE("verify: the summary line counts TRIVIAL apart from PROVEN") {
  // C4: 12 checks on its default instances, two of them (C = 1: lower bound 1) TRIVIAL.
  const auto r = run(seprank_command("verify " + source_dir + "/proofs/C4.toml"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(" PROVEN, 2 TRIVIAL (nothing to prove), 0 CONSISTENT, ") != std::string::npos);
  CHECK(r.out.find("TRIVIAL  ") != std::string::npos);  // the row's status column
}

TEST_CASE("verify --prime fast proves the same statements at BLAS speed - a bad prime is exit 65") {
  // Any prime certifies lower bounds; 2^23 - 15 only weakens the Schwartz-Zippel side, which
  // matters for UNCONFIRMED claims, of which there are none.
  const auto fast = run(seprank_command("verify " + source_dir + "/proofs --prime fast --json"));
  REQUIRE(fast.exit_code == 0);
  const auto j = nlohmann::json::parse(fast.out);
  CHECK(j["prime"] == 8388593);
  CHECK(j["summary"]["ok"] == true);
  const auto big = nlohmann::json::parse(run(seprank_command("verify " + source_dir + "/proofs --json")).out);
  CHECK(big["prime"] == 4611686018427387847ULL);
  CHECK(statuses(j) == statuses(big));
  const auto bad = run(seprank_command("verify " + source_dir + "/proofs/C2.toml --prime 9"));
  CHECK(bad.exit_code == 65);
  CHECK(bad.err.find("--prime 9") != std::string::npos);
}

TEST_CASE("a false lower bound is REFUTED by the min-cut, with exit 1") {
  const auto r = run(seprank_command("verify " + source_dir + "/tests/data/false-lower-nonoverlapping.toml --json"));
  CHECK(r.exit_code == 1);
  CHECK(statuses(nlohmann::json::parse(r.out)) == std::multiset<std::string>{"REFUTED"});
}

TEST_CASE("a false upper bound is REFUTED by the certified rank, with a certificate") {
  const std::string dir = "/tmp/seprank_verify_test_" + std::to_string(::getpid());
  const auto r = run(seprank_command("verify " + source_dir + "/tests/data/false-upper.toml --json --certificates " + dir));
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(statuses(j) == std::multiset<std::string>{"REFUTED"});
  const std::string note = j["theorems"][0]["instances"][0]["claims"][0]["note"];
  CHECK(note.find("certificate") != std::string::npos);
  // The counterexample's certificate is checked independently, and what it proves breaks the
  // claim: rank >= r with r > 3 (C2 gives M^(R-1) = 4 for almost all weights).
  const auto checked = run(std::string(SEPRANK_CHECK_BINARY) + " " + dir + "/FALSE-UPPER-counterexample-claim1-instance1.json");
  CHECK(checked.exit_code == 0);
  REQUIRE(checked.out.rfind("VERIFIED: rank >= ", 0) == 0);
  CHECK(std::stoll(checked.out.substr(std::string("VERIFIED: rank >= ").size())) > 3);
  run("rm -rf " + dir);
}

TEST_CASE("an unprovable lower bound is UNCONFIRMED after retries, with the miss probability") {
  const auto r = run(seprank_command("verify " + source_dir + "/tests/data/unconfirmed-symmetric.toml --json --retries 3"));
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(statuses(j) == std::multiset<std::string>{"UNCONFIRMED"});
  const auto& claim = j["theorems"][0]["instances"][0]["claims"][0];
  CHECK(claim["tries"] == 4);
  CHECK(claim["certified_lower"] == 3);  // dim Sym^2(K^2): the symmetric rank limit
  CHECK(claim["note"].get<std::string>().find("P <= 2^") != std::string::npos);
}

TEST_CASE("malformed theorem files: one error line naming file and line, exit 65") {
  struct Case {
    const char* file;
    const char* says;
  };
  const Case cases[] = {
      {"malformed-expression.toml", "malformed-expression.toml:8: instance M=2: unknown name 'Rr'"},
      {"malformed-division.toml", "malformed-division.toml:8: instance M=2: division by zero"},
      {"malformed-unknown-key.toml", "malformed-unknown-key.toml:13: [[claim]] unknown key 'hypotesis'"},
      {"malformed-toml.toml", "malformed-toml.toml:3: not valid TOML"},
  };
  for (const Case& c : cases) {
    const std::string file = c.file;
    CAPTURE(file);
    const auto r = run(seprank_command("verify " + source_dir + "/tests/data/" + file));
    CHECK(r.exit_code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  const auto missing = run(seprank_command("verify /nonexistent/theorem.toml"));
  CHECK(missing.exit_code == 66);
}

TEST_CASE("verify --json is byte-identical across runs and thread counts") {
  const std::string args = "verify " + source_dir + "/proofs/C2.toml " + source_dir + "/proofs/A1.toml --json";
  const auto a = run(seprank_command(args + " --threads 1"));
  const auto b = run(seprank_command(args + " --threads 2"));
  const auto c = run(seprank_command(args + " --threads 2"));  // a repeated run, same threads
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(b.out == c.out);
}

TEST_CASE("templates: repetition and substitution") {
  const seprank::Parameters p = {{"L", 3}, {"C", 4}, {"H", 6}};
  CHECK(seprank::substitute("2/2/1(,2/2/{C})^{L-1}", p, "t") == "2/2/1,2/2/4,2/2/4");
  CHECK(seprank::substitute("(x)^{0}y", p, "t") == "y");
  CHECK(seprank::substitute("mask:((0)^{H/2-2}1111(0)^{H/2-2})^{H-2}(0)^{2*H}", p, "t") ==
        "mask:011110011110011110011110000000000000");
  CHECK(seprank::substitute("{(H-2)/2}/1/{C}", p, "t") == "2/1/4");
  CHECK_THROWS_WITH(seprank::substitute("{H/4}", p, "f.toml:3"), doctest::Contains("f.toml:3"));
  CHECK_THROWS_WITH(seprank::substitute("(a)^{-1}", p, "f.toml:3"), doctest::Contains("repetition count"));
  CHECK_THROWS_WITH(seprank::substitute("(a)b", p, "f.toml:3"), doctest::Contains("expected '(...)^{count}'"));
  CHECK_THROWS_WITH(seprank::substitute("{H", p, "f.toml:3"), doctest::Contains("unmatched"));
}

TEST_CASE("verify --compare-float adds the float rank as data beside each verdict") {
  const auto r = run(seprank_command("verify " + source_dir + "/proofs/C3.toml --compare-float --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  int with_float = 0;
  for (const auto& i : j["theorems"][0]["instances"])
    for (const auto& c : i["claims"])
      if (!c["certified_lower"].is_null()) {
        CHECK(c.contains("float_rank"));
        CHECK(c.contains("float_verdict"));
        ++with_float;
      }
  CHECK(with_float > 0);
  // The verdicts themselves do not depend on floating point.
  const auto plain = run(seprank_command("verify " + source_dir + "/proofs/C3.toml --json"));
  CHECK(nlohmann::json::parse(plain.out)["summary"] == j["summary"]);
}

TEST_CASE("verify without --prime tries a large matrix mod 2^23 - 15 first, then 1 + retries mod 2^62 - 57") {
  // 1x1 sharing makes the global layer symmetric: on 18 positions, M = 2, its left-right rank is
  // at most dim Sym^9(K^2) = 10 (the min-cut allows 16, the channels), on a 512 x 512 matrix.
  // The claim 11 cannot be reached, so every try is made: the fast one, then 1 + --retries at
  // the big prime.
  const std::string dir = "/tmp/seprank-test-verify-fast-first";
  run("rm -rf " + dir + " && mkdir -p " + dir);
  {
    std::ofstream f(dir + "/SYM.toml");
    f << "format = \"seprank-theorem\"\nformat_version = 1\nid = \"SYM\"\ntitle = \"false\"\nsource = \"test\"\n"
         "statement = \"false\"\n[[claim]]\ninput = \"18\"\ntemplates = \"2\"\nlayers = \"18/1/16\"\n"
         "sharing = \"1x1\"\nlower = \"11\"\n[[instances]]\ndummy = 0\n";
  }
  const auto entry_of = [&](const std::string& bundle) {
    std::ifstream in(bundle + "/manifest.json");
    return nlohmann::json::parse(in)["theorems"][0]["entries"][0];
  };
  const auto fast = run(seprank_command("verify " + dir + "/SYM.toml --json --retries 1 --bundle " + dir + "/b1"));
  CHECK(fast.exit_code == 1);
  const auto j = nlohmann::json::parse(fast.out);
  const auto& claim = j["theorems"][0]["instances"][0]["claims"][0];
  CHECK(claim["status"] == "UNCONFIRMED");
  CHECK(claim["tries"] == 3);
  CHECK(claim["certified_lower"].get<int>() <= 10);
  CHECK(entry_of(dir + "/b1")["prime"] == 8388593);  // the first try's rank is kept when none is larger
  const auto given = run(seprank_command("verify " + dir + "/SYM.toml --json --retries 1 --prime 4611686018427387847 "
                                         "--bundle " + dir + "/b2"));
  CHECK(nlohmann::json::parse(given.out)["theorems"][0]["instances"][0]["claims"][0]["tries"] == 2);
  CHECK(entry_of(dir + "/b2")["prime"] == 4611686018427387847ULL);
  run("rm -rf " + dir);
}
