// The `seprank rank` command-line contract, end to end: output, JSON fields, determinism,
// and every error path with its exit code (docs/errors.md).
#include <doctest/doctest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "process.hpp"

using test_support::run;
using test_support::seprank_command;

TEST_CASE("rank --json prints exactly one JSON object with the contract's fields") {
  const auto r = run(seprank_command("rank --input 8 --templates 2 --layers 3/1/2,6/1/1 --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);  // throws (fails the test) on partial JSON
  CHECK(j["schema_version"] == 2);
  CHECK(j["rank"] == 4);  // C2 with C' = 1: M^(R-1)
  CHECK(j["rows"] == 16);
  CHECK(j["cols"] == 16);
  CHECK(j["field"] == "gfp");
  CHECK(j["prime"] == 4611686018427387847ULL);
  CHECK(j["seed"] == 1);
  CHECK(j["index_order"] == "C");
  CHECK(j["partition"] == nlohmann::json::array({0, 1, 2, 3}));
  CHECK(j["architecture"]["layers"].size() == 2);
  CHECK(j["architecture"]["layers"][0]["window"] == 3);
  CHECK(r.err.empty());
}

TEST_CASE("same seed gives byte-identical output on every run, with 1 or 2 threads") {
  // Each command three times: --threads 1, 2, 2. rank over GF(p), over Q (multi-modular, one
  // prime per thread) and on a --vary submatrix; bound; certify, whose file must match too.
  const std::string dir = "/tmp/seprank_determinism_" + std::to_string(::getpid());
  run("mkdir -p " + dir);
  const std::string network = "--input 4x4 --layers 3/1/2,2/1/2 --partition odd-even";
  const std::string net = network + " --seed 9";
  const std::string commands[] = {
      "rank " + net + " --json",
      "rank " + net + " --json --field Q",
      "rank --input 4x4 --layers 3/1/2,2/1/2 --vary indices:0,1,2,3,4,5,6,7 --fixed-templates 1 --seed 3 --json",
      "bound " + network + " --json",
      "certify " + net + " --json --force -o " + dir + "/cert.json",
  };
  for (const std::string& command : commands) {
    CAPTURE(command);
    std::string first_out, first_file;
    for (const char* threads : {"1", "2", "2"}) {
      // bound takes no --threads: one unrolled network, no weights (its --help lists its options).
      const bool bound = command.rfind("bound", 0) == 0;
      const auto r = run(seprank_command(command + (bound ? "" : std::string(" --threads ") + threads)));
      REQUIRE(r.exit_code == 0);
      const std::string file = command.rfind("certify", 0) == 0 ? run("cat " + dir + "/cert.json").out : "";
      if (first_out.empty()) {
        first_out = r.out;
        first_file = file;
      }
      CHECK(r.out == first_out);
      CHECK(file == first_file);
    }
  }
  // The seed matters: another one draws other weights, hence another certificate.
  const std::string first = run("cat " + dir + "/cert.json").out;
  REQUIRE(run(seprank_command("certify " + network + " --seed 10 --force -o " + dir + "/cert.json")).exit_code == 0);
  CHECK(run("cat " + dir + "/cert.json").out != first);
  run("rm -rf " + dir);
}

TEST_CASE("rank --json names the back-end - over Q the primes and the rule that made the rank exact") {
  const auto fast = run(seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --prime fast --json"));
  REQUIRE(fast.exit_code == 0);
  CHECK(nlohmann::json::parse(fast.out)["rank_backend"] == "FFLAS ModularBalanced<double>");
  const auto big = run(seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --json"));
  CHECK(nlohmann::json::parse(big.out)["rank_backend"] == "FLINT nmod_mat");
  const auto q = run(seprank_command("rank --input 8 --layers 3/1/2,6/1/1 --field Q --json"));
  REQUIRE(q.exit_code == 0);
  const auto j = nlohmann::json::parse(q.out);
  CHECK(j["rank"] == 4);
  // Rank 4 = the min-cut bound: the rule "upper bound" stops after the first prime.
  CHECK(j["exact_by"] == "upper bound");
  REQUIRE(j["primes"].size() == j["ranks_mod_primes"].size());
  CHECK(j["ranks_mod_primes"].back() == 4);
}

TEST_CASE("a weak bound for one prime brings more primes and seeds, and only then") {
  // 4x4, 2/1/3 then 3/1/1: rank 15, min-cut 16 (not settled; C5's open instance). Degree of
  // an entry in the weights: F 1, layer 1 4·(1 + 1) = 8, layer 2 9·(8 + 1) = 81, readout 82.
  // One prime 2^23 - 15 bounds P(miss) by 16·82/p ~ 1.6e-4: the product of the trials'
  // bounds falls below 1e-9 at the third prime.
  const auto r = run(seprank_command("rank --input 4x4 --layers 2/1/3,3/1/1 --prime fast --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["entry_degree"] == 82.0);
  const double one = 16 * 82 / 8388593.0;
  const auto& trials = j["trials"];
  REQUIRE(trials.size() == 3);  // one^2 > 1e-9 >= one^3
  double product = 1;
  long long best = 0;
  for (std::size_t k = 0; k < trials.size(); ++k) {
    CHECK(trials[k]["seed"] == 1 + k);
    if (k) CHECK(trials[k]["prime"].get<unsigned long long>() < trials[k - 1]["prime"].get<unsigned long long>());
    CHECK(trials[k]["rank"].get<long long>() <= 16);
    best = std::max(best, trials[k]["rank"].get<long long>());
    product *= trials[k]["miss_probability_bound"].get<double>();
  }
  CHECK(trials[0]["prime"] == 8388593);
  CHECK(j["rank"] == best);
  CHECK(j["generic_rank_miss_probability_bound"].get<double>() == doctest::Approx(product));
  CHECK(product <= 1e-9);
  // Settled (rank = min-cut): one trial, no doubt left.
  const auto settled = nlohmann::json::parse(
      run(seprank_command("rank --input 4x4 --layers 3/1/2,2/1/2 --prime fast --json")).out);
  CHECK(settled["settled"] == true);
  CHECK(settled["trials"].size() == 1);
  CHECK(settled["generic_rank_miss_probability_bound"] == 0.0);
  // The default prime's bound is already tiny: one trial, even when the rank is not settled
  // (this network's rank stays below its min-cut, so the trial rule, not settling, decides).
  const auto big = nlohmann::json::parse(run(seprank_command("rank --input 4x4 --layers 2/1/3,3/1/1 --json")).out);
  REQUIRE(big["settled"] == false);
  CHECK(big["trials"].size() == 1);
  CHECK(big["generic_rank_miss_probability_bound"].get<double>() <= 1e-9);
  // A vacuous bound (p = 101, 16·degree > p/2) cannot be helped by more trials: one.
  const auto tiny = nlohmann::json::parse(
      run(seprank_command("rank --input 4x4 --layers 2/1/3,3/1/1 --prime 101 --json")).out);
  CHECK(tiny["trials"].size() == 1);
  CHECK(tiny["generic_rank_miss_probability_bound"] == 1.0);
}

TEST_CASE("human output is a table with the rank") {
  // Non-overlapping, left-right splits no window below the top: rank <= C_L = 3 for all
  // weights, and generic weights reach it (the three channel products of the left and of the
  // right units are independent); test_known_ranks.cpp asserts the same value.
  const auto r = run(seprank_command("rank --input 4x4 --layers 2/2/4,2/2/3"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("rank           3\n") != std::string::npos);
  CHECK(r.out.find("256 x 256") != std::string::npos);
}

TEST_CASE("Q field and identity F") {
  const auto r = run(seprank_command("rank --input 6 --layers 6/1/5 --field Q --templates-matrix identity --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["rank"] == 5);  // a shallow network of Z = 5 channels: min(Z, M^3) = 5 (A2 attained)
  CHECK(j["field"] == "Q");
  CHECK(!j.contains("prime"));
}

// A wrong value of a network option is a data error (65), as the same mistake in a theorem file
// is; 64 is the command line's own shape and the options that describe no network.
TEST_CASE("every bad input gets one error line and its exit code") {
  struct Case {
    const char* args;
    int code;
    const char* says;
  };
  const Case cases[] = {
      {"rank --input 8 --layers 3/1/2,6/1/", 65, "--layers"},
      {"rank --input 8 --layers 3-1-2", 65, "--layers"},
      {"rank --input 8 --layers 9/1/2", 65, "larger than its input"},
      {"rank --input 8 --layers 3/1/0,6/1/1", 65, "channels must be at least 1"},
      {"rank --input 8 --layers 3/0/2,6/1/1", 65, "stride must be at least 1"},
      {"rank --input 8 --layers 3/1/2", 65, "exactly one"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition mask:0101", 65, "mask has 4 characters"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition mask:0000000x", 65, "only 0 and 1"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition mask:00000000", 65, "both sides"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition mask:11111111", 65, "both sides"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition diagonal", 65, "unknown partition"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition indices:0,9", 65, "outside"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --prime 15", 65, "not prime"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --prime 1", 65, "at least 2"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --prime 9223372036854775837", 65, "below 2^63"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --prime 99999999999999999999999", 64, "--prime"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --field Q --prime 7", 64, "--prime"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --field R", 64, "--field"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --sharing full", 65, "--sharing"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --templates 0", 65, "templates"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --seed -1", 64, "--seed"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --bogus", 64, "bogus"},
      {"rank --layers 3/1/2,6/1/1", 64, "input"},
      {"rank --input 4y4 --layers 4/1/1", 65, "--input"},
      {"rank --input 6x6 --layers 1/1/2,6/1/2", 69, "MiB"},
      {"rank --input 64x64 --layers 64/1/2", 69, "entries"},
      {"rank --input 5000 --layers 5000/1/2", 69, "positions"},
      {"rank --input 8 --layers 3/1/100000,6/1/1", 69, "channels"},
      {"frobnicate", 64, "unknown command"},
      // No word is silently ignored, no option abbreviated, in any command (issue 13).
      {"rank --input 8 --layers 3/1/2,6/1/1 junk", 64, "unexpected argument 'junk'"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --seed 5 7", 64, "unexpected argument '7'"},
      {"rank --inp 8 --layers 3/1/2,6/1/1", 64, "unrecognised option '--inp'"},
      {"rank \xe2\x80\x94input 8 --layers 3/1/2,6/1/1", 64, "two ASCII hyphens"},
      {"certify --input 8 --layers 3/1/2,6/1/1 -o /tmp/never-written.json stray", 64, "unexpected argument 'stray'"},
      {"bound --input 8 --layers 3/1/2,6/1/1 extra", 64, "unexpected argument 'extra'"},
      {"compare --input 8 --layers 3/1/2,6/1/1 extra", 64, "unexpected argument 'extra'"},
      {"verify --retr 3", 64, "unrecognised option '--retr'"},
      {"demo --bogus", 64, "unrecognised option '--bogus'"},
      {"demo junk", 64, "unexpected argument 'junk'"},
  };
  for (const Case& c : cases) {
    const std::string args = c.args;
    CAPTURE(args);
    const auto r = run(seprank_command(args));
    CHECK(r.exit_code == c.code);
    CHECK(r.out.empty());  // no partial output on stdout
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
  }
}

TEST_CASE("every command answers -h and --help on stdout with exit 0") {
  for (const char* command : {"rank", "certify", "bound", "compare", "verify", "demo"})
    for (const char* flag : {"-h", "--help"}) {
      const std::string line = std::string(command) + " " + flag;
      CAPTURE(line);
      const auto r = run(seprank_command(line));
      CHECK(r.exit_code == 0);
      CHECK(r.out.rfind("usage: seprank " + std::string(command), 0) == 0);
      CHECK(r.err.empty());
    }
}
