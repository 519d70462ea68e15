// Rank back-ends against each other: FFLAS-FFPACK (every field and prime band seprank
// dispatches to) against FLINT's nmod_mat_rank on matrices of known rank, and the
// multi-modular rank over Q against FLINT's fraction-free fmpz_mat_rank.
#include <doctest/doctest.h>

#include <flint/ulong_extras.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "seprank/assembly/assemble.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/multimodular_rank.hpp"
#include "seprank/model/random.hpp"
#include "seprank/rank/rank_fflas.hpp"
#include "test_support.hpp"

using namespace seprank;

namespace {

// rows × cols mod p of rank `rank` (with probability ~1 - 1/p, exactly; always <= rank): a
// product of random rows × rank and rank × cols matrices.
NmodMatrix random_of_rank(std::int64_t rows, std::int64_t cols, std::int64_t rank, std::uint64_t p, std::uint64_t seed) {
  SplitMix64 rng(seed);
  NmodMatrix left(rows, rank, p), right(rank, cols, p), product(rows, cols, p);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t k = 0; k < rank; ++k) left.at(i, k) = uniform_below(rng, p);
  for (std::int64_t k = 0; k < rank; ++k)
    for (std::int64_t j = 0; j < cols; ++j) right.at(k, j) = uniform_below(rng, p);
  if (rank > 0) nmod_mat_mul(product.get(), left.get(), right.get());
  return product;
}

struct Shape {
  std::int64_t rows, cols, rank;
};

// A claimed maximal nonsingular minor of m: `rank` rows and columns, strictly increasing and in
// range, whose determinant FLINT recomputes as nonzero and equal to the claimed one.
void check_minor(const NmodMatrix& m, std::int64_t rank, const std::vector<std::int64_t>& rows,
                 const std::vector<std::int64_t>& cols, std::uint64_t determinant) {
  REQUIRE(rows.size() == static_cast<std::size_t>(rank));
  REQUIRE(cols.size() == static_cast<std::size_t>(rank));
  CHECK(std::adjacent_find(rows.begin(), rows.end(), std::greater_equal<>()) == rows.end());  // increasing
  CHECK(std::adjacent_find(cols.begin(), cols.end(), std::greater_equal<>()) == cols.end());
  if (rank == 0) return;
  CHECK(rows.front() >= 0);
  CHECK(cols.front() >= 0);
  CHECK(rows.back() < m.rows());
  CHECK(cols.back() < m.cols());
  NmodMatrix sub(rank, rank, m.get()->mod.n);
  for (std::int64_t i = 0; i < rank; ++i)
    for (std::int64_t j = 0; j < rank; ++j)
      sub.at(i, j) = m.at(rows[static_cast<std::size_t>(i)], cols[static_cast<std::size_t>(j)]);
  const std::uint64_t det = nmod_mat_det(sub.get());
  CHECK(det != 0);
  CHECK(determinant == det);
}

// Every way seprank computes a rank mod p, which must all agree.
void check_all_paths(const NmodMatrix& m, std::int64_t expected) {
  const std::int64_t flint = rank_mod_p_flint(m);
  CHECK(flint == expected);
  CHECK(rank_mod_p(m) == flint);
  CHECK(rank_mod_p(m, 2) == flint);
  NmodMatrix work(m);
  CHECK(rank_mod_p_in_place(work) == flint);
}

// Primes at both ends of every band of rank_backend_for, the FLINT range, and primes around
// FFLAS's own internal thresholds (16p < 189812531: 11863279 / 11863289).
const std::vector<std::uint64_t> band_primes = {
    2,        3,        5,        7,        1021,     2039,     2053,      8191,      1048573,
    5931641,  5931649,  8388593,  11863279, 11863289, 16777213, 23726561,  23726569,  33554393,
    94906249, 94906297, 1073741789, 4611686018427387847ULL};

}  // namespace

TEST_CASE("rank_backend_for: the bands measured by bench_rank") {
  CHECK(rank_backend_for(2) == RankBackend::flint);
  CHECK(rank_backend_for(3) == RankBackend::fflas_balanced_float);
  CHECK(rank_backend_for(2039) == RankBackend::fflas_balanced_float);
  CHECK(rank_backend_for(2053) == RankBackend::fflas_balanced_double);
  CHECK(rank_backend_for(fast_prime) == RankBackend::fflas_balanced_double);
  CHECK(rank_backend_for(16777213) == RankBackend::fflas_balanced_double);
  CHECK(rank_backend_for(94906249) == RankBackend::fflas_balanced_double);
  CHECK(rank_backend_for(94906297) == RankBackend::flint);
  CHECK(rank_backend_for(default_prime) == RankBackend::flint);
  CHECK(fast_prime == (1u << 23) - 15);
  CHECK(n_is_prime(fast_prime));
  CHECK(fflas_max_prime(FflasField::modular_double) == 94906266);  // floor(2^26.5 + 1/2)
  for (std::uint64_t p : band_primes) CHECK(n_is_prime(p));
}

TEST_CASE("FFLAS-FFPACK and FLINT agree on matrices of known rank, in every prime band") {
  // Small and odd shapes, wide and tall, full and deficient (float packing changes at 16
  // columns), and one above FFLAS's Winograd threshold (1000), so that the recursive products
  // run too.
  const Shape shapes[] = {{0, 0, 0},   {0, 5, 0},     {5, 0, 0},     {1, 1, 1},     {1, 7, 1},
                          {7, 1, 1},   {5, 3, 3},     {3, 5, 2},     {37, 53, 29},  {64, 64, 64},
                          {300, 260, 253}, {257, 513, 250}, {20, 16, 13}, {16, 15, 15}, {40, 17, 17}};
  for (std::uint64_t p : band_primes) {
    CAPTURE(p);
    std::uint64_t seed = p;
    for (const Shape& s : shapes) {
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      const NmodMatrix m = random_of_rank(s.rows, s.cols, s.rank, p, ++seed);
      // Mod 2 and 3 a random product loses rank often: compare with FLINT only.
      const std::int64_t expected = p < 100 ? rank_mod_p_flint(m) : s.rank;
      check_all_paths(m, expected);
    }
  }
  for (std::uint64_t p : {2039ULL, 1048573ULL, 8388593ULL, 16777213ULL, 33554393ULL}) {
    CAPTURE(p);
    check_all_paths(random_of_rank(1100, 1100, 1093, p, 7), 1093);
  }
}

TEST_CASE("fflas_nonsingular_minor: a maximal minor whose determinant FLINT recomputes") {
  const Shape shapes[] = {{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {5, 3, 3}, {3, 5, 2}, {37, 53, 29}, {64, 64, 64},
                          {40, 17, 17}, {300, 260, 253}, {257, 513, 250}};
  for (std::uint64_t p : band_primes) {
    if (!fflas_field_for(p)) continue;
    CAPTURE(p);
    std::uint64_t seed = 1000 + p;
    for (const Shape& s : shapes) {
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      const NmodMatrix m = random_of_rank(s.rows, s.cols, s.rank, p, ++seed);
      const std::int64_t expected = rank_mod_p_flint(m);  // = s.rank but for tiny primes
      const FflasMinor minor = fflas_nonsingular_minor(m.get()->rows[0], m.rows(), m.cols(), m.cols(), p, *fflas_field_for(p));
      REQUIRE(minor.rank == expected);
      check_minor(m, expected, minor.rows, minor.cols, minor.determinant);
    }
    NmodMatrix zero(6, 4, p);
    const FflasMinor none = fflas_nonsingular_minor(zero.get()->rows[0], 6, 4, 4, p, *fflas_field_for(p));
    CHECK(none.rank == 0);
    CHECK(none.rows.empty());
  }
}

TEST_CASE("nonsingular_minor_mod_p: every back-end's minor is nonsingular, its determinant FLINT's") {
  const Shape shapes[] = {{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {5, 3, 3}, {3, 5, 2}, {37, 53, 29}, {64, 64, 64},
                          {40, 17, 17}, {120, 90, 61}, {300, 260, 253}};
  for (std::uint64_t p : band_primes) {
    CAPTURE(p);
    std::uint64_t seed = 5000 + p;
    for (const Shape& s : shapes) {
      CAPTURE(s.rows);
      CAPTURE(s.cols);
      NmodMatrix m = random_of_rank(s.rows, s.cols, s.rank, p, ++seed);
      // Deficient columns and rows in the middle: pivots must skip them.
      if (s.cols > 2)
        for (std::int64_t i = 0; i < s.rows; ++i) m.at(i, 1) = 0;
      const std::int64_t expected = rank_mod_p_flint(m);
      const NonsingularMinor minor = nonsingular_minor_mod_p(m, 1 + static_cast<int>(p % 2));
      REQUIRE(minor.profile.rank == expected);
      check_minor(m, expected, minor.profile.rows, minor.profile.cols, minor.determinant);
    }
    // Anti-diagonal matrices need row exchanges: det = (-1)^(n(n-1)/2), by hand.
    for (std::int64_t n : {2, 3, 5, 6, 7}) {
      CAPTURE(n);
      NmodMatrix a(n, n, p);
      for (std::int64_t i = 0; i < n; ++i) a.at(i, n - 1 - i) = 1;
      const NonsingularMinor minor = nonsingular_minor_mod_p(a);
      CHECK(minor.profile.rank == n);
      CHECK(minor.determinant == ((n * (n - 1) / 2) % 2 ? p - 1 : 1));
    }
  }
}

TEST_CASE("FFLAS-FFPACK handles the extreme residues and the zero matrix") {
  for (std::uint64_t p : band_primes) {
    CAPTURE(p);
    NmodMatrix zero(9, 11, p), minus_one(9, 11, p), diag(9, 11, p);
    for (std::int64_t i = 0; i < 9; ++i)
      for (std::int64_t j = 0; j < 11; ++j) minus_one.at(i, j) = p - 1;  // rank 1
    for (std::int64_t i = 0; i < 9; ++i) diag.at(i, i) = i % 2 || p == 2 ? p - 1 : (p - 1) / 2 + 1;  // -1, (p+1)/2
    check_all_paths(zero, 0);
    check_all_paths(minus_one, 1);
    check_all_paths(diag, 9);
  }
}

TEST_CASE("hadamard_bits bounds (sqrt(k)·2^e)^k from above") {
  CHECK(hadamard_bits(0, 10) == 0);
  CHECK(hadamard_bits(1, 10) == 13);  // ceil(10·(1 + 1e-9)) + 2
  CHECK(hadamard_bits(4, 10) >= 4 * 11);
  for (std::int64_t k = 1; k < 200; ++k) {
    CHECK(hadamard_bits(k, 7.3) >= std::ceil(k * (7.3 + 0.5 * std::log2(static_cast<double>(k)))));
    CHECK(hadamard_bits(k + 1, 7.3) > hadamard_bits(k, 7.3));
  }
  CHECK(previous_prime(default_prime + 1) == default_prime);
  CHECK(previous_prime(default_prime) == 4611686018427387817ULL);  // 2^62 - 87
  CHECK(previous_prime(3) == 2);
  CHECK(previous_prime(2) == 0);
}

TEST_CASE("the multi-modular rank over Q equals FLINT's fmpz_mat_rank on 20 random small networks") {
  // Small weight bounds (B = 1, 2) make ranks below the generic one, and so rank drops that
  // only the Hadamard rule can settle; fmpz_mat_rank is the independent reference.
  struct Net {
    const char* input;
    const char* layers;
    int templates;
    const char* partition;
  };
  const Net nets[] = {
      {"6", "3/1/2,4/1/2", 2, "odd-even"},  {"6", "3/1/2,4/1/2", 2, "left-right"},
      {"8", "2/2/3,2/2/3,2/2/2", 2, "odd-even"}, {"6", "2/1/3,5/1/2", 3, "left-right"},
      {"3x3", "2/1/2,2/1/2", 2, "odd-even"},  {"4x4", "2/2/3,2/2/2", 2, "left-right"},
      {"8", "3/1/2,6/1/1", 2, "left-right"}, {"4", "2/1/3,3/1/2", 2, "odd-even"},
      {"5", "5/1/4", 3, "mask:10100"},       {"7", "3/1/3,5/1/2", 2, "mask:1100101"},
  };
  int seen_hadamard = 0, seen_size = 0, seen_upper = 0, case_index = 0;
  for (const Net& n : nets)
    for (std::int64_t bound : {1, 2}) {
      RankRequest r = test_support::request(n.input, n.layers, n.templates, n.partition);
      r.field = Field::rationals;
      r.weight_bound = bound;
      r.seed = static_cast<std::uint64_t>(++case_index);
      const std::string input = n.input, layers = n.layers;
      CAPTURE(input);
      CAPTURE(layers);
      CAPTURE(bound);
      RankComputation c;
      try {
        c = compute_rank(r);
      } catch (const std::exception& e) {
        FAIL(e.what());
        continue;
      }
      const std::int64_t reference = rank_over_q(assemble_integers(c.net));
      CHECK(c.rank == reference);
      CHECK(!c.exact_by.empty());
      REQUIRE(!c.primes.empty());
      CHECK(c.primes.front() == fast_prime);  // then 62-bit primes
      if (c.primes.size() > 1) CHECK(c.primes[1] == default_prime);
      std::vector<std::uint64_t> sorted = c.primes;
      std::sort(sorted.begin(), sorted.end());
      CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // distinct
      seen_hadamard += c.exact_by == "Hadamard bound";
      seen_size += c.exact_by == "matrix size";
      seen_upper += c.exact_by == "upper bound";
      // Without the min-cut bound the Hadamard rule must reach the same rank.
      const double bits = entry_log2_bound(c.net.arch, c.net.geometry, r.representation, bound);
      const MultimodularRank h = multimodular_rank(c.net, bits, MultimodularOptions{});
      CHECK(h.rank == reference);
      CHECK(h.exact);
      if (h.rank < static_cast<std::int64_t>(std::min(c.net.rows, c.net.cols))) CHECK(h.stopped_by == "Hadamard bound");
      // Two primes at once, one per thread: the same rank, the same rule.
      MultimodularOptions two;
      two.execution.threads = 2;
      const MultimodularRank t = multimodular_rank(c.net, bits, two);
      CHECK(t.rank == reference);
      CHECK(t.stopped_by == h.stopped_by);
      CHECK(t.primes.size() >= h.primes.size());
      // Only 62-bit primes (FLINT), only small ones (FFLAS-FFPACK): the same rank.
      MultimodularOptions large;
      large.leading_primes.clear();
      const MultimodularRank l = multimodular_rank(c.net, bits, large);
      CHECK(l.rank == reference);
      CHECK(l.primes.front() == default_prime);
      MultimodularOptions fast;
      fast.leading_primes.clear();
      fast.descend_from = fast_prime;
      fast.execution.threads = 2;  // two FFLAS-FFPACK ranks at once, one per thread
      const MultimodularRank f = multimodular_rank(c.net, bits, fast);
      CHECK(f.rank == reference);
      CHECK(f.primes.front() == fast_prime);
      if (f.primes.size() > 1) CHECK(f.primes.back() < fast_prime);
    }
  MESSAGE("stopped by Hadamard bound: " << seen_hadamard << ", matrix size: " << seen_size
                                        << ", upper bound: " << seen_upper);
  CHECK(seen_hadamard > 0);
}

TEST_CASE("the Hadamard rule needs the product of primes above H(r+1)") {
  // With max_primes the loop stops early and says the result is a lower bound only.
  RankRequest r = test_support::request("8", "3/1/2,6/1/1", 2, "left-right");
  r.field = Field::rationals;
  const RankComputation c = compute_rank(r);
  const double bits = entry_log2_bound(c.net.arch, c.net.geometry, r.representation, r.weight_bound);
  MultimodularOptions one;
  one.max_primes = 1;
  const MultimodularRank m = multimodular_rank(c.net, bits, one);
  CHECK(m.primes.size() == 1);
  CHECK_FALSE(m.exact);
  CHECK(m.stopped_by == "prime limit");
  CHECK(m.rank == c.rank);  // 4 = M^(R-1), the C2 example
  const MultimodularRank full = multimodular_rank(c.net, bits, MultimodularOptions{});
  CHECK(full.exact);
  CHECK(full.product_bits - 1 > full.hadamard_bits);
  CHECK(full.hadamard_bits == hadamard_bits(full.rank + 1, bits));
  // One prime fewer would not have been enough (the loop went on while bits - 1 <= L).
  REQUIRE(full.stopped_by == "Hadamard bound");
  CHECK(full.product_bits - 62 <= full.hadamard_bits + 1);
}
