// The default prime of `seprank rank` (docs/model.md "Default prime"): large matrices start
// mod the fast prime and keep the promise P(miss) <= 1e-9, moving to 2^62 - 57 only when small
// primes cannot keep it. The network throughout: 4x4, 2/1/3 then 3/1/1, whose rank stays below
// its min-cut (so trials, not settling, decide). Degree of an entry in the weights, from
// docs/model.md's recursion: F 1, layer 1 4·(1 + 1) = 8, layer 2 9·(8 + 1) = 81, readout 82.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "seprank/analysis/rank_analysis.hpp"
#include "seprank/model/network_spec.hpp"
#include "test_support.hpp"

using namespace seprank;

namespace {

RankRequest unsettled_network() {
  return test_support::request("4x4", "2/1/3,3/1/1");  // 16 x 16, the default prime
}

}  // namespace

TEST_CASE("default prime: the fast prime first while its trials can reach 1e-9, with no more trials than needed") {
  AnalysisPolicy policy;
  policy.fast_primes_first = true;
  policy.fast_min_size = 16;  // this 16 x 16 matrix counts as large
  const RankAnalysis a = analyse_rank(unsettled_network(), policy);
  REQUIRE_FALSE(a.settled());
  // Each trial bounds the miss by 16·82/p ~ 1.6e-4 at p ~ 2^23: two leave 2.4e-8, three 3.8e-12.
  REQUIRE(a.trials.size() == 3);
  CHECK(a.trials[0].prime == fast_prime);
  for (std::size_t k = 1; k < a.trials.size(); ++k) {
    CHECK(a.trials[k].prime < a.trials[k - 1].prime);
    CHECK(a.trials[k].seed == a.trials[0].seed + k);
  }
  CHECK(a.miss_probability <= 1e-9);
  // The same rank as one trial mod 2^62 - 57 (FLINT, not FFLAS-FFPACK): the reported rank is the
  // generic one unless both missed.
  const RankAnalysis large = analyse_rank(unsettled_network());
  REQUIRE(large.trials.size() == 1);
  CHECK(large.trials[0].prime == default_prime);
  CHECK(a.best->rank == large.best->rank);
}

TEST_CASE("default prime: a small prime whose bound is vacuous gives way to 2^62 - 57 after one trial") {
  AnalysisPolicy policy;
  policy.fast_primes_first = true;
  policy.fast_min_size = 16;
  policy.fast_first = 1009;  // 16·82/1009 = 1.3: no number of such trials can reach 1e-9
  const RankAnalysis a = analyse_rank(unsettled_network(), policy);
  REQUIRE(a.trials.size() == 2);
  CHECK(a.trials[0].prime == 1009);
  CHECK(a.trials[1].prime == default_prime);
  CHECK(a.trials[1].seed == a.trials[0].seed + 1);
  CHECK(a.miss_probability <= 1e-9);
}

TEST_CASE("default prime: a small prime that could reach 1e-9 only with more than max_trials trials gives way at once") {
  AnalysisPolicy policy;
  policy.fast_primes_first = true;
  policy.fast_min_size = 16;
  // 16·82/13121 = 0.1 per trial: below 1/2, but 1e-9 needs nine such trials and max_trials is 8.
  policy.fast_first = 13121;
  REQUIRE(policy.max_trials == 8);
  const RankAnalysis a = analyse_rank(unsettled_network(), policy);
  REQUIRE(a.trials.size() == 2);
  CHECK(a.trials[0].prime == 13121);
  CHECK(a.trials[1].prime == default_prime);
  CHECK(a.miss_probability <= 1e-9);
}

TEST_CASE("default prime: small matrices and a prime the user chose are ranked as asked") {
  AnalysisPolicy policy;
  policy.fast_primes_first = true;  // fast_min_size 512 > 16 rows
  const RankAnalysis small = analyse_rank(unsettled_network(), policy);
  REQUIRE(small.trials.size() == 1);
  CHECK(small.trials[0].prime == default_prime);
  // The command line: --prime given means no fast start (the JSON's prime is the first trial's).
  const auto j = nlohmann::json::parse(
      test_support::run(test_support::seprank_command(
                            "rank --input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary indices:0,1,2,3,4,5,6,7,8,27,28,29,30,31,32,33,34,35 --json"))
          .out);
  // 18 varying positions, 9 on each side: 512 x 512, large enough for the fast start.
  REQUIRE(j["rows"] == 512);
  CHECK(j["trials"][0]["prime"] == fast_prime);
  CHECK(j["prime"] == fast_prime);
  CHECK((j["settled"] == true || j["generic_rank_miss_probability_bound"].get<double>() <= 1e-9));
  const auto chosen = nlohmann::json::parse(
      test_support::run(test_support::seprank_command(
                            "rank --input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary indices:0,1,2,3,4,5,6,7,8,27,28,29,30,31,32,33,34,35 "
                            "--prime 4611686018427387847 --json"))
          .out);
  CHECK(chosen["trials"][0]["prime"] == default_prime);
  CHECK(chosen["rank"] == j["rank"]);
}
