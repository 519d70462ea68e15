// Ranks known in closed form, from the structure of the network (not from the code):
// see each case's comment for the argument.
#include <doctest/doctest.h>

#include <algorithm>

#include "seprank/assembly/assemble.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "test_support.hpp"

using namespace seprank;
using test_support::ipow;
using test_support::rank_of;
using test_support::request;

TEST_CASE("non-overlapping networks on an aligned left-right partition have rank C_L") {
  // The top window's left half reads only I, its right half only J: h = sum_c a_c f_c(I) g_c(J),
  // so rank <= C_L, with equality for generic weights when C_L <= M^{min(|I|,|J|)} and the
  // layers below are wide enough (the top window's inputs have C_{L-1} >= C_L channels).
  CHECK(rank_of(request("8", "2/2/4,2/2/4,2/2/3")) == 3);
  CHECK(rank_of(request("8", "2/2/4,2/2/4,2/2/1")) == 1);
  CHECK(rank_of(request("8", "2/2/3,2/2/5,2/2/5", 3)) == 5);
  CHECK(rank_of(request("8", "2/2/3,2/2/3,2/2/5", 3)) == 3);  // capped by C_{L-1} = 3
  CHECK(rank_of(request("8", "2/2/2,4/4/3")) == 3);
  CHECK(rank_of(request("4x4", "2/2/4,2/2/3")) == 3);
  CHECK(rank_of(request("4x4", "2/2/4,2/2/2", 2, "top-bottom")) == 2);
  CHECK(rank_of(request("4x4", "2/2/4,2/2/6", 2, "left-right", Sharing::local)) == 6);
  CHECK(rank_of(request("4x4", "2/2/4,2/2/5", 2, "left-right", Sharing::one_by_one)) == 5);
}

TEST_CASE("deep R = S = 2 networks on odd-even reach min(C_1, M)^(N/2)") {
  // Every first-layer window pairs one even (I) and one odd (J) position; h is a product-sum
  // whose matricization is a Kronecker product of N/2 factors of rank min(C_1, M).
  for (Sharing s : {Sharing::conv, Sharing::local, Sharing::one_by_one}) {
    CAPTURE(to_string(s));
    CHECK(rank_of(request("8", "2/2/1,2/2/2,2/2/1", 2, "odd-even", s)) == 1);
    CHECK(rank_of(request("8", "2/2/2,2/2/2,2/2/1", 2, "odd-even", s)) == 16);
    CHECK(rank_of(request("8", "2/2/5,2/2/1,2/2/1", 2, "odd-even", s)) == 16);
    CHECK(rank_of(request("8", "2/2/2,2/2/2,2/2/2", 3, "odd-even", s)) == 16);
    CHECK(rank_of(request("4", "2/2/3,2/2/1", 3, "odd-even", s)) == 9);
  }
}

TEST_CASE("one global layer with Z channels has rank min(Z, M^min(|I|,|J|))") {
  // h = sum_z a_z prod_i (W_i F d_i)_z is a CP sum of Z terms; for generic factors the
  // Khatri-Rao products have full column rank, so the rank is min(Z, M^|I|, M^|J|).
  for (int z : {1, 2, 3, 5, 8, 9, 20}) {
    CAPTURE(z);
    const std::string one = "6/1/" + std::to_string(z);
    CHECK(rank_of(request("6", one)) == std::min<std::int64_t>(z, 8));
    CHECK(rank_of(request("6", one, 2, "mask:100000")) == std::min<std::int64_t>(z, 2));
    CHECK(rank_of(request("6", one, 3, "mask:110000", Sharing::local)) == std::min<std::int64_t>(z, 9));
    const std::string two = "3/1/" + std::to_string(z);
    CHECK(rank_of(request("3x3", two, 2, "odd-even")) == std::min<std::int64_t>(z, 16));
    CHECK(rank_of(request("3x3", two, 2, "mask:111000000")) == std::min<std::int64_t>(z, 8));
  }
}

TEST_CASE("C2 in 1D with C' = 1: one overlapping layer has rank exactly M^(R-1)") {
  // docs/theorems.md#c2: rank >= min(M, C)^(R-1), attained when C' = 1 and C >= M.
  for (int m : {2, 3})
    for (int window : {2, 3, 4}) {
      const int n = 2 * window;  // R <= m + 1 = n/2 + 1
      CAPTURE(m);
      CAPTURE(window);
      const std::string layers = std::to_string(window) + "/1/" + std::to_string(m) + "," +
                                 std::to_string(n - window + 1) + "/1/1";
      if (ipow(m, n) > 5'000'000) continue;
      CHECK(rank_of(request(std::to_string(n), layers, m)) == ipow(m, window - 1));
    }
}

TEST_CASE("GF(p) rank never exceeds the rank over Q of the same integer weights") {
  // Reducing mod p can only lose rank: a nonzero minor mod p is a nonzero integer.
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    RankRequest q = request("6", "3/1/2,4/1/2", 2, "odd-even");
    q.field = Field::rationals;
    q.weight_bound = 3;
    q.seed = seed;
    const RankComputation exact = compute_rank(q);
    for (std::uint64_t p : {2ULL, 3ULL, 5ULL, 7ULL, 1000003ULL}) {
      // Same integer weights, reduced mod p.
      PreparedNetwork net = exact.net;
      const NmodMatrix m = assemble_mod_p(net, p, 1);
      CAPTURE(seed);
      CAPTURE(p);
      CHECK(rank_mod_p(m) <= exact.rank);
    }
  }
}
