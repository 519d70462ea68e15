// The rank over Q of a network with integer weights, from its ranks modulo several primes
// (docs/model.md "Rank over Q"). The entries are assembled modulo each prime directly, never
// as big integers.
//
// Why the rule is exact. Let A be the integer matrix, r the largest rank of A mod p_i seen
// over distinct primes p_1..p_s.
//  * rank_Q(A) >= r: a nonzero r×r minor mod p_i is the residue of an integer minor of A,
//    which is therefore nonzero.
//  * rank_Q(A) <= r once p_1···p_s > H(r+1), where H(k) >= |every k×k minor of A|. Suppose
//    rank_Q(A) = t > r. A has a nonsingular t×t submatrix, and a nonsingular matrix has a
//    nonsingular submatrix of every smaller size (expand the determinant along a row: some
//    cofactor is nonzero), so A has an (r+1)×(r+1) minor D != 0, an integer with
//    |D| <= H(r+1). Modulo each p_i the rank is <= r < r+1, so every (r+1)-minor vanishes mod
//    p_i: p_i divides D. Distinct primes: p_1···p_s divides D, so p_1···p_s <= |D| <= H(r+1),
//    a contradiction. (Only the largest rank mod any prime matters: a prime where the rank
//    dropped still divides D.)
//  * H(k) = (sqrt(k)·B)^k with B >= max |entry| is Hadamard's bound: |det| <= product of the
//    rows' Euclidean norms, each <= sqrt(k)·B.
// It also stops as soon as r reaches a proven upper bound: min(rows, cols) always, and the
// min-cut bound for all weights when the caller gives it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_request.hpp"
#include "seprank/support/execution_context.hpp"

namespace seprank {

// Matrices of at most this many entries are ranked one prime per thread at once (so memory
// holds `threads` of them); larger ones one prime at a time with all threads.
inline constexpr std::uint64_t multimodular_parallel_entries = std::uint64_t{1} << 22;

struct MultimodularOptions {
  ExecutionContext execution;
  // A proven upper bound on the rank over Q (e.g. the min-cut bound), besides min(rows, cols).
  std::optional<std::uint64_t> upper_bound;
  // The primes, in order: `leading_primes` (each a prime), then every prime downward from
  // `descend_from` (the largest prime <= descend_from first) except the leading ones. The
  // default leads with the fast prime (FFLAS-FFPACK, 8-13x faster than a 62-bit prime at
  // n = 2000-4000: what settles the rank by rules 1 and 2), then takes 62-bit primes, which
  // cost less per bit of product when the assembly dominates (rule 3).
  std::vector<std::uint64_t> leading_primes = {fast_prime};
  std::uint64_t descend_from = default_prime;
  // Stop after this many primes even when no rule has proved the rank (0: no limit); the
  // result is then a certified lower bound only (`exact` false).
  std::size_t max_primes = 0;
};

struct MultimodularRank {
  std::int64_t rank = 0;  // max over the primes of rank mod p: always <= rank over Q
  bool exact = false;     // a stopping rule proved rank over Q == rank
  std::string stopped_by;  // "matrix size", "upper bound", "Hadamard bound" or "prime limit"
  std::vector<std::uint64_t> primes;  // in the order used
  std::vector<std::int64_t> ranks;    // rank modulo each
  std::int64_t hadamard_bits = 0;     // L with H(rank+1) <= 2^L, at the end
  std::int64_t product_bits = 0;      // bit length of the product of the primes used
  double assembly_seconds = 0;  // wall-clock, summed over the primes
  double rank_seconds = 0;
};

// Bits L with H(k) = (sqrt(k)·2^entry_bits)^k <= 2^L, rounded up with a margin for the
// floating-point evaluation (entry_bits >= log2 max |entry|).
std::int64_t hadamard_bits(std::int64_t k, double entry_bits);

// The next prime below `below` (largest prime < below); 0 when there is none.
std::uint64_t previous_prime(std::uint64_t below);

// Rank over Q of the matricization of `net` (integer weights: net.domain.modular false).
MultimodularRank multimodular_rank(const PreparedNetwork& net, double entry_bits, const MultimodularOptions& options);

}  // namespace seprank
