// `seprank compare` and its parts (docs/float-comparison.md). Expected values come from hand
// computation (the double -> residue conversion, a 2x2 network), from arithmetic that is exact
// in double precision, and for the regression instances from the exact side only: the rank mod
// p and the min-cut bound. The float ranks are recorded (MESSAGE), never asserted, so that no
// test depends on a particular LAPACK's rounding.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "independent_rank.hpp"
#include "process.hpp"
#include "reference_evaluator.hpp"
#include "test_support.hpp"
#include "seprank/assembly/assemble.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/comparison/float_compare.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/comparison/numerical_rank.hpp"
#include "seprank/comparison/real_weights.hpp"

using namespace seprank;
using test_support::run;
using test_support::seprank_command;

namespace {

using u64 = std::uint64_t;
constexpr u64 p = default_prime;

u64 mul_mod(u64 a, u64 b, u64 m) { return static_cast<u64>(static_cast<unsigned __int128>(a) * b % m); }

// 2^k mod m by repeated doubling: independent of the code under test.
u64 two_to_the(int k, u64 m) {
  u64 r = 1 % m;
  for (int i = 0; i < k; ++i) r = (r * 2) % m;  // r < 2^63, so 2r does not overflow
  return r;
}

RankRequest request_for(const std::string& input, const std::string& layers, int templates = 2,
                        Padding padding = Padding::valid, std::uint64_t seed = 1) {
  RankRequest r;
  parse_input_shape(input, r.arch);
  r.arch.templates = templates;
  r.arch.layers = parse_layers(layers);
  r.arch.padding = padding;
  r.seed = seed;
  r.execution.threads = 1;
  return r;
}

std::string repeat(const std::string& layer, int times, const std::string& last) {
  std::string s;
  for (int i = 0; i < times; ++i) s += layer + ",";
  return s + last;
}

}  // namespace

TEST_CASE("float compare: dyadic_residue: hand cases mod 7") {
  // Mod 7: 2^-1 = 4, 4^-1 = 2, and 2^3 = 8 = 1, so 2^k depends on k mod 3 only.
  CHECK(dyadic_residue(0.0, 7) == 0);
  CHECK(dyadic_residue(-0.0, 7) == 0);
  CHECK(dyadic_residue(3.0, 7) == 3);
  CHECK(dyadic_residue(-1.0, 7) == 6);
  CHECK(dyadic_residue(0.5, 7) == 4);
  CHECK(dyadic_residue(-0.75, 7) == 1);                    // -3 * 4^-1 = -3 * 2 = -6 = 1
  CHECK(dyadic_residue(std::ldexp(3.0, -60), 7) == 3);     // 2^-60 = (2^3)^-20 = 1
  CHECK(dyadic_residue(std::ldexp(1.0, 100), 7) == 2);     // 2^100 = 2^(3*33+1) = 2
  const double smallest_subnormal = std::numeric_limits<double>::denorm_min();  // 2^-1074
  REQUIRE(smallest_subnormal == std::ldexp(1.0, -1074));
  CHECK(dyadic_residue(smallest_subnormal, 7) == 1);       // 1074 = 3 * 358
  CHECK(dyadic_residue(5 * smallest_subnormal, 7) == 5);
  CHECK(dyadic_residue(-std::ldexp(1.0, -1073), 7) == 5);  // -(2^-1074 * 2) = -2 = 5
}

TEST_CASE("float compare: dyadic_residue: hand cases mod the default prime, checked by multiplying back") {
  // 0.5 -> the inverse of 2, (p + 1) / 2.
  CHECK(dyadic_residue(0.5, p) == (p + 1) / 2);
  // -0.75 = -3/4: r * 4 = -3 (mod p).
  const u64 r = dyadic_residue(-0.75, p);
  CHECK(mul_mod(r, 4, p) == p - 3);
  // 3 * 2^-60: r * 2^60 = 3.
  CHECK(mul_mod(dyadic_residue(std::ldexp(3.0, -60), p), two_to_the(60, p), p) == 3);
  // Subnormals: 2^-1074 and (2^52 - 1) * 2^-1074, the largest subnormal.
  const double tiny = std::numeric_limits<double>::denorm_min();
  CHECK(mul_mod(dyadic_residue(tiny, p), two_to_the(1074, p), p) == 1);
  const double largest_subnormal = std::nextafter(std::numeric_limits<double>::min(), 0.0);
  REQUIRE(std::fpclassify(largest_subnormal) == FP_SUBNORMAL);
  CHECK(mul_mod(dyadic_residue(largest_subnormal, p), two_to_the(1074, p), p) == ((u64{1} << 52) - 1) % p);
  // The largest double, (2^53 - 1) * 2^971.
  CHECK(dyadic_residue(std::numeric_limits<double>::max(), p) ==
        mul_mod(((u64{1} << 53) - 1) % p, two_to_the(971, p), p));
  // Integers below 2^53 are themselves; negatives wrap.
  CHECK(dyadic_residue(9007199254740991.0, p) == 9007199254740991ULL);
  CHECK(dyadic_residue(-2.0, p) == p - 2);
}

TEST_CASE("float compare: dyadic_residue refuses non-finite values and even moduli") {
  CHECK_THROWS_AS(dyadic_residue(std::numeric_limits<double>::infinity(), p), Error);
  CHECK_THROWS_AS(dyadic_residue(std::numeric_limits<double>::quiet_NaN(), p), Error);
  CHECK_THROWS_AS(dyadic_residue(0.5, 2), Error);
}

TEST_CASE("float compare: real weights: the specified mapping from SplitMix64") {
  SplitMix64 a(1234567);
  // Vigna's test vector for seed 1234567 starts 6457827717110365317.
  CHECK(unit_interval_double(a) == std::ldexp(static_cast<double>(6457827717110365317ULL >> 11), -53));
  for (int i = 0; i < 1000; ++i) {
    const double u = symmetric_unit_double(a);
    CHECK(u >= -1.0);
    CHECK(u < 1.0);
    CHECK(std::ldexp(u, 52) == std::floor(std::ldexp(u, 52)));  // a multiple of 2^-52
  }
  SplitMix64 g1(7), g2(7);
  for (int i = 0; i < 100; ++i) {
    const double z = standard_gaussian_double(g1);
    const double u1 = 1.0 - unit_interval_double(g2), u2 = unit_interval_double(g2);
    CHECK(z == std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }
}

TEST_CASE("float compare: real weights follow draw_weights' order and sizes, identity F is exact") {
  RankRequest r = request_for("4x4", "3/1/2,2/1/3");
  r.representation = Representation::identity;
  const PreparedNetwork net = prepare_network(r);
  const RealNetworkWeights w =
      draw_real_weights(net.arch, net.geometry, Representation::identity, RealWeightDistribution::uniform, 5);
  REQUIRE(w.representation.size() == 4);
  CHECK(w.representation == std::vector<double>{1.0, 0.0, 0.0, 1.0});
  REQUIRE(w.layers.size() == 2);
  CHECK(w.layers[0].size() == 9 * 2 * 2);  // 9 offsets of 2x2 matrices (C_0 = M = 2)
  CHECK(w.layers[1].size() == 4 * 3 * 2);
  CHECK(w.readout.size() == 3);
  SplitMix64 rng(5);  // identity F draws nothing: the first layer's first weight is the first draw
  CHECK(w.layers[0][0] == symmetric_unit_double(rng));
}

TEST_CASE("float compare: the double evaluator on a hand-computed 2-position network") {
  // N = 2, M = 2, F = identity, one layer 2/1/1 (W_0 = [a b], W_1 = [c d]), readout e:
  // h(d0, d1) = e * W_0[d0] * W_1[d1], an outer product.
  RankRequest r = request_for("2", "2/1/1");
  r.representation = Representation::identity;
  const PreparedNetwork net = prepare_network(r);
  RealNetworkWeights w;
  w.representation = {1.0, 0.0, 0.0, 1.0};
  w.layers = {{0.5, -0.25, 2.0, 0.75}};  // offset 0: [a b], offset 1: [c d]
  w.readout = {-3.0};
  const std::vector<double> m = assemble_doubles(net, w, 1);
  CHECK(m == std::vector<double>{-3.0 * 0.5 * 2.0, -3.0 * 0.5 * 0.75, -3.0 * -0.25 * 2.0, -3.0 * -0.25 * 0.75});
}

TEST_CASE("float compare: where double arithmetic is exact, each float entry reduces to the mod-p entry") {
  // Weights k/4 with |k| <= 4 on small networks: every product and sum stays far below 53
  // bits, so the doubles are the exact rationals and dyadic_residue(entry) must equal the
  // entry that assemble_mod_p computes from dyadic_residue(weights).
  struct Case {
    const char* input;
    const char* layers;
    int templates;
    Sharing sharing;
    Padding padding;
  };
  const Case cases[] = {
      {"6", "3/1/2,4/1/2", 2, Sharing::conv, Padding::valid},
      {"3x3", "2/1/2,2/1/2", 2, Sharing::local, Padding::valid},
      {"5", "2/2/3,pool3/3", 3, Sharing::one_by_one, Padding::same},
  };
  for (const Case& c : cases) {
    CAPTURE(c.layers);
    RankRequest r = request_for(c.input, c.layers, c.templates, c.padding);
    r.arch.sharing = c.sharing;
    PreparedNetwork net = prepare_network(r);
    RealNetworkWeights w = draw_real_weights(net.arch, net.geometry, Representation::random,
                                             RealWeightDistribution::uniform, 3);
    auto quarter = [](double x) { return std::round(x * 4.0) / 4.0; };
    for (double& v : w.representation) v = quarter(v);
    for (auto& layer : w.layers)
      for (double& v : layer) v = quarter(v);
    for (double& v : w.readout) v = quarter(v);
    const std::vector<double> floats = assemble_doubles(net, w, 2);
    net.weights = residue_weights(w, p);
    const NmodMatrix exact = assemble_mod_p(net, p, 1);
    std::size_t mismatches = 0, nonzero = 0;
    for (std::uint64_t i = 0; i < net.rows; ++i)
      for (std::uint64_t j = 0; j < net.cols; ++j) {
        const double v = floats[i * net.cols + j];
        nonzero += v != 0;
        mismatches += dyadic_residue(v, p) != exact.at(static_cast<std::int64_t>(i), static_cast<std::int64_t>(j));
      }
    CHECK(mismatches == 0);
    CHECK(nonzero > 0);
  }
}

TEST_CASE("float compare: numerical_rank: numpy's tolerance and the others, on given singular values") {
  const double eps = std::numeric_limits<double>::epsilon();
  // 4 x 6 matrix: tol = 10 * 6 * eps.
  const NumericalRank n = numerical_rank({10.0, 1.0, 2e-9, 1e-14}, 4, 6);
  CHECK(n.tolerance == 10.0 * 6 * eps);
  CHECK(n.rank == 3);  // 10 * 6 * eps = 1.33e-14 > 1e-14
  CHECK(n.sigma_max == 10.0);
  CHECK(n.sigma_min == 1e-14);
  REQUIRE(n.other_tolerances.size() == 4);
  CHECK(n.other_tolerances[0].name == "1e-10*sigma_max");
  CHECK(n.other_tolerances[0].rank == 3);  // 1e-10 * 10 = 1e-9 < 2e-9
  CHECK(n.other_tolerances[1].rank == 2);  // 1e-6 * 10
  CHECK(n.other_tolerances[2].rank == 2);  // 2^-26 * 10 = 1.5e-7
  CHECK(n.other_tolerances[3].name == "matlab");
  CHECK(n.other_tolerances[3].tolerance == 6 * std::ldexp(1.0, 3 - 52));  // eps(10) = 2^(3-52)
  CHECK(n.other_tolerances[3].rank == 3);                                   // 1.07e-14 > 1e-14
  REQUIRE(n.largest_gap.has_value());
  CHECK(n.largest_gap->after == 2);  // 1 / 2e-9
  CHECK(n.largest_gap->ratio == doctest::Approx(5e8));

  const NumericalRank zero_tail = numerical_rank({2.0, 1.0, 0.0}, 3, 3);
  CHECK(zero_tail.rank == 2);
  CHECK(zero_tail.largest_gap->after == 2);
  CHECK(std::isinf(zero_tail.largest_gap->ratio));
  const NumericalRank all_zero = numerical_rank({0.0, 0.0}, 2, 2);
  CHECK(all_zero.rank == 0);
  CHECK(!all_zero.largest_gap.has_value());
}

TEST_CASE("float compare: singular_values through LAPACK: shapes, order, and agreement to rounding") {
  // diag(3, 2, 1, 0) in a 4 x 5 matrix, rows permuted: singular values 3, 2, 1, 0.
  std::vector<double> a(4 * 5, 0.0);
  a[0 * 5 + 1] = 1.0;
  a[1 * 5 + 0] = -3.0;
  a[3 * 5 + 2] = 2.0;
  const auto s = singular_values(a, 4, 5);
  REQUIRE(s.has_value());
  REQUIRE(s->size() == 4);
  CHECK((*s)[0] == doctest::Approx(3.0).epsilon(1e-14));
  CHECK((*s)[1] == doctest::Approx(2.0).epsilon(1e-14));
  CHECK((*s)[2] == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(std::abs((*s)[3]) < 1e-14);
  CHECK(numerical_rank(*s, 4, 5).rank == 3);
  // A tall rank-1 outer product (entries exact): rank 1 at numpy's tolerance whatever the LAPACK.
  std::vector<double> outer;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 3; ++j) outer.push_back((i + 1) * (j + 2) * 0.5);
  const auto t = singular_values(outer, 6, 3);
  REQUIRE(t.has_value());
  CHECK(numerical_rank(*t, 6, 3).rank == 1);
  CHECK(lapack_library() != "");
}

// The smallest instances found where the float rank (numpy's default) is wrong. Each asserts
// the exact rank of the rational network (mod p, and equal to the min-cut bound, so exact over
// Q) and records what floating point said. docs/float-comparison.md has the table and why.
// The exact ranks are not taken from a run: the first four are full rank, min(rows, cols) =
// M^floor(N/2) (1D left-right), the most any weights can give; the fifth has one channel in
// every layer, so each unit outputs a product of scalar functions of single positions and
// h(d) = c·Π_i g_i(d_i) has rank at most 1 (exactly 1 when nonzero). That these weights reach
// those values is checked independently: the reference evaluator and the tests' own elimination.
TEST_CASE("float compare: regression: smallest float failures, exact side asserted, float rank recorded") {
  struct Case {
    std::string what;
    RankRequest request;
    RealWeightDistribution weights;
    std::int64_t exact_rank;
  };
  const Case cases[] = {
      // 9 x 9, three layers, valid padding, uniform weights: the matrix is exactly nonsingular
      // but its sigma_min / sigma_max is about 1e-17 (numpy said 8). Full rank 3^2.
      {"N=4 M=3 2/1/3,2/1/3,2/1/1 uniform seed 3", request_for("4", "2/1/3,2/1/3,2/1/1", 3, Padding::valid, 3),
       RealWeightDistribution::uniform, test_support::ipow(3, 4 / 2)},
      // 4 x 4, two GC layers, same padding, gaussian weights (numpy said 3). Full rank 2^2.
      {"N=4 M=2 same 2/1/2,2/1/2,4/4/1 gaussian seed 7",
       request_for("4", "2/1/2,2/1/2,4/4/1", 2, Padding::same, 7), RealWeightDistribution::gaussian,
       test_support::ipow(2, 4 / 2)},
      // 2 x 2, eight GC layers, same padding, gaussian weights (numpy said 1). Full rank 2^1.
      {"N=2 M=2 same 8 x 2/1/2 gaussian seed 10",
       request_for("2", repeat("2/1/2", 8, "2/2/1"), 2, Padding::same, 10), RealWeightDistribution::gaussian,
       test_support::ipow(2, 2 / 2)},
      // 8 x 8, valid padding, M=2: 2/1/2 four times then a global layer (numpy said 7). Full rank 2^3.
      {"N=6 M=2 4 x 2/1/2,2/1/1 uniform seed 1", request_for("6", repeat("2/1/2", 4, "2/1/1"), 2, Padding::valid, 1),
       RealWeightDistribution::uniform, test_support::ipow(2, 6 / 2)},
      // 4 x 4, one channel: rank 1 exactly, but every entry underflows to a subnormal and
      // numpy's tolerance underflows to 0 (numpy said 2): FLOAT OVERESTIMATES.
      {"N=4 M=2 same 9 x 2/1/1 uniform seed 2", request_for("4", repeat("2/1/1", 9, "4/4/1"), 2, Padding::same, 2),
       RealWeightDistribution::uniform, 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const FloatComparison f = compare_float_with_exact(c.request, c.weights);
    CHECK(f.exact_rank_mod_p == c.exact_rank);
    // The same residue weights, evaluated and eliminated by the tests' own code (1D
    // left-right: I = {0, ..., floor(N/2) - 1}).
    std::vector<int> in_i, in_j;
    for (int pos = 0; pos < c.request.arch.width; ++pos) (pos < c.request.arch.width / 2 ? in_i : in_j).push_back(pos);
    const std::uint64_t p = f.net.domain.prime;
    CHECK(independent::rank_mod_p(reference::matricize(f.net.arch, f.net.weights, p, in_i, in_j), p) == c.exact_rank);
    REQUIRE(f.upper_bound.has_value());
    CHECK(f.upper_bound->bound == std::to_string(c.exact_rank));
    CHECK(f.exact_rank_settled);
    if (f.numerical) {
      MESSAGE(c.what << ": exact rank " << f.exact_rank_mod_p << ", float rank " << f.numerical->rank << " ("
                     << to_string(f.verdict) << "), sigma_max " << f.numerical->sigma_max << ", sigma_min "
                     << f.numerical->sigma_min << ", underflowed entries " << f.underflow_entries
                     << ", LAPACK " << lapack_library());
      // The verdict is the comparison of the two ranks, whatever they are.
      const std::int64_t fr = f.numerical->rank;
      CHECK(f.verdict == (fr == c.exact_rank  ? FloatVerdict::agree
                          : fr < c.exact_rank ? FloatVerdict::float_underestimates
                                              : FloatVerdict::float_overestimates));
      CHECK(f.verdict_certified);  // settled: every verdict holds over Q
    } else {
      MESSAGE(c.what << ": exact rank " << f.exact_rank_mod_p << ", float rank none (" << to_string(f.verdict) << ")");
    }
  }
}

TEST_CASE("float compare: the underflow instance: all 16 entries are subnormal though exactly nonzero") {
  // Not a LAPACK matter: each entry is a product of 2^9-fold powers of numbers below 1.
  const FloatComparison f = compare_float_with_exact(
      request_for("4", repeat("2/1/1", 9, "4/4/1"), 2, Padding::same, 2), RealWeightDistribution::uniform);
  CHECK(f.underflow_entries == 16);
  CHECK(f.overflow_entries == 0);
}

TEST_CASE("float compare: compare refuses an even prime and the Q field") {
  RankRequest r = request_for("4", "2/1/2,3/1/1");
  r.prime = 2;
  CHECK_THROWS_AS(compare_float_with_exact(r, RealWeightDistribution::uniform), Error);
  r.prime = default_prime;
  r.field = Field::rationals;
  CHECK_THROWS_AS(compare_float_with_exact(r, RealWeightDistribution::uniform), Error);
}

TEST_CASE("float compare: compare --json: one object with the contract's fields") {
  const auto r = run(seprank_command("compare --input 8 --layers 3/1/2,6/1/1 --json"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 2);
  CHECK(j["command"] == "compare");
  CHECK(j["exact_rank_mod_p"] == 4);  // C2: M^(R-1)
  CHECK(j["upper_bound"] == "4");
  CHECK(j["exact_rank_settled"] == true);
  CHECK(j["prime"] == p);
  CHECK(j["seed"] == 1);
  CHECK(j["weights"] == "uniform");
  CHECK(j["index_order"] == "C");
  CHECK(j["partition"] == nlohmann::json::array({0, 1, 2, 3}));
  CHECK(j["rows"] == 16);
  CHECK(j["cols"] == 16);
  CHECK(j["architecture"]["layers"].size() == 2);
  CHECK(j["overflow_count"] == 0);
  CHECK(j["underflow_count"] == 0);
  for (const char* key : {"float_rank", "tolerance", "sigma_max", "sigma_min", "largest_gap", "verdict",
                          "verdict_certified", "exact_rank_meaning", "lapack"})
    CHECK_MESSAGE(j.contains(key), key);
  REQUIRE(j["singular_values"].size() == 16);
  CHECK(j["sigma_max"] == j["singular_values"][0]);
  REQUIRE(j["ranks_at_tolerances"].size() == 5);
  CHECK(j["ranks_at_tolerances"][0]["name"] == "numpy");
  CHECK(j["ranks_at_tolerances"][0]["rank"] == j["float_rank"]);
  const std::string verdicts[] = {"AGREE", "FLOAT UNDERESTIMATES", "FLOAT OVERESTIMATES"};
  CHECK(std::find(std::begin(verdicts), std::end(verdicts), j["verdict"].get<std::string>()) != std::end(verdicts));
}

TEST_CASE("float compare: compare: same seed gives byte-identical output, with 1 or 2 threads - weights modes") {
  const std::string args = "compare --input 3x3 --layers 2/1/2,2/1/2 --partition odd-even --seed 4 --json";
  const auto a = run(seprank_command(args + " --threads 1"));
  const auto b = run(seprank_command(args + " --threads 2"));
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  const auto g1 = run(seprank_command(args + " --weights gaussian"));
  const auto g2 = run(seprank_command(args + " --weights gaussian"));
  REQUIRE(g1.exit_code == 0);
  CHECK(g1.out == g2.out);
  CHECK(g1.out != a.out);
  CHECK(nlohmann::json::parse(g1.out)["weights"] == "gaussian");
}

TEST_CASE("float compare: compare: the human table ends with the verdict - overflow gives FLOAT FAILS") {
  const auto r = run(seprank_command("compare --input 8 --layers 3/1/2,6/1/1"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("float rank     ") != std::string::npos);
  CHECK(r.out.find("exact rank     4") != std::string::npos);
  CHECK(r.out.find("\nverdict        ") != std::string::npos);
  // Gaussian weights through ten layers of 2/1/3 grow beyond 10^308: numpy would raise.
  const auto o = run(seprank_command("compare --input 10 --layers " + repeat("2/1/3", 9, "1/1/1") +
                                     " --weights gaussian --json"));
  REQUIRE(o.exit_code == 0);
  const auto j = nlohmann::json::parse(o.out);
  CHECK(j["verdict"] == "FLOAT FAILS");
  CHECK(j["float_rank"].is_null());
  CHECK(j["overflow_count"].get<int>() > 0);
  CHECK(j["exact_rank_mod_p"] == 32);
  CHECK(j["singular_values"].empty());
}

TEST_CASE("float compare: compare: every bad input gets one error line and its exit code") {
  struct Case {
    const char* args;
    int code;
    const char* says;
  };
  const Case cases[] = {
      {"compare --input 8 --layers 3/1/2,6/1/1 --weights cauchy", 64, "--weights"},
      {"compare --input 8 --layers 3/1/2,6/1/1 --field Q", 64, "--field"},
      {"compare --input 8 --layers 3/1/2,6/1/1 --prime 2", 65, "odd prime"},
      {"compare --input 8 --layers 3/1/2,6/1/1 --prime 15", 65, "not prime"},
      {"compare --input 8 --layers 3/1/2", 65, "exactly one"},
      {"compare --layers 3/1/2,6/1/1", 64, "input"},
      {"compare --input 8 --layers 3/1/2,6/1/1 --bogus", 64, "bogus"},
      {"compare --input 20 --layers 2/1/2,19/1/1 --max-memory 1", 69, "MiB"},
  };
  for (const Case& c : cases) {
    const std::string args = c.args;
    CAPTURE(args);
    const auto r = run(seprank_command(args));
    CHECK(r.exit_code == c.code);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}
