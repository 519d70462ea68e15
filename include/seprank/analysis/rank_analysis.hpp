// The analysis step: one network's rank with its trials, its min-cut upper bound and the
// invariant between them (a rank at any weights never exceeds the min-cut for all weights).
// `rank`, `compare` and `verify` all take their numbers from here; they differ only in the
// retry rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_computation.hpp"

namespace seprank {

// The min-cut bound for all weights, or why there is none (an unrolled network beyond its limit).
struct UpperBound {
  std::optional<MinCutBound> bound;
  std::string unavailable;
  // The bound when it fits in 64 bits (a larger one exceeds every rank computed here).
  std::optional<std::uint64_t> value() const { return bound ? bound->bound_u64 : std::nullopt; }
};
UpperBound upper_bound_of(const Architecture& arch, const Partition& partition);

// Internal error (exit 70) when a rank exceeds the bound: a bug somewhere, never a result.
void require_rank_within_bound(std::int64_t rank, const UpperBound& upper, const std::string& where);
// The rank reaches the bound: the generic rank is known exactly.
bool settles(std::int64_t rank, const UpperBound& upper);

// One rank computation of the analysis, at one prime and seed.
struct RankTrial {
  std::uint64_t prime = 0;
  std::uint64_t seed = 0;
  std::int64_t rank = 0;
  double miss_probability = 1;  // this trial's Schwartz–Zippel bound at the best rank
};

// When to draw again after the first trial (prime p, seed s). Trial k >= 1 uses seed s + k.
enum class RetryRule {
  // `rank`: the k-th prime below p, while one prime's bound is weak — below 1/2 but the product
  // of the bounds above target_miss_probability — and the rank is below its ceiling
  // (min(rows, cols, min-cut)); at most max_trials in all. With fast_primes_first, see there.
  confidence,
  // `verify`: the same prime, until the rank reaches `reach`; at most 1 + retries in all. With
  // fast_primes_first, a first trial mod fast_first comes before them (2 + retries in all).
  reach,
};

struct AnalysisPolicy {
  RetryRule rule = RetryRule::confidence;
  double target_miss_probability = 1e-9;
  int max_trials = 8;
  // confidence, over GF(p), when the user chose no prime: a matrix of at least
  // `fast_min_size` rows and columns is ranked first mod `fast_first` (FFLAS-FFPACK, BLAS
  // speed), then mod the primes below it while that can still reach the target within
  // max_trials; only if it cannot, mod request.prime (2^62 - 57, FLINT) and below. A rank that
  // reaches its ceiling (the min-cut, or full rank) ends the trials at once, whatever the prime.
  // reach, with a `reach` set: the first trial of such a matrix is mod fast_first, and the rank it
  // certifies counts as any other; if it falls short, the 1 + retries trials mod request.prime.
  bool fast_primes_first = false;
  std::uint64_t fast_first = fast_prime;  // tests take others
  std::uint64_t fast_min_size = 512;    // below it the 62-bit prime costs little
  std::optional<std::int64_t> reach;  // reach: the smallest rank that ends the tries
  int retries = 2;
  // verify: a matrix beyond the memory limit is a result (no rank), not an error.
  bool too_large_is_result = false;
  std::string where;  // prefixes the message of a broken invariant ("file: network: ")
};

struct RankAnalysis {
  UpperBound upper;
  std::optional<RankComputation> best;  // the trial with the largest rank (its network, weights)
  std::uint64_t best_seed = 0;
  std::string too_large;                // why there is no rank (too_large_is_result)
  std::vector<RankTrial> trials;
  // Bound on P(the generic rank is above best->rank): the product over the trials (GF(p)), or
  // the single computation's bound (Q); 0 when settled or at full rank.
  double miss_probability = 1;
  bool settled() const { return best && settles(best->rank, upper); }
};

RankAnalysis analyse_rank(const RankRequest& request, const AnalysisPolicy& policy = {});

}  // namespace seprank
