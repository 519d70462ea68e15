// Several independent ranks mod p when one prime's Schwartz–Zippel bound is weak (small
// primes such as `--prime fast`): each rank is a certified lower bound on the generic rank,
// and trials draw independent weights, so the chance that every trial misses a higher
// generic rank is at most the product of their bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "seprank/rank/rank_computation.hpp"

namespace seprank {

struct RankTrial {
  std::uint64_t prime = 0;
  std::uint64_t seed = 0;
  std::int64_t rank = 0;
  double miss_probability = 1;  // this trial's bound alone
};

struct RankTrialOptions {
  double target_miss_probability = 1e-9;  // stop once the product of bounds is this small
  int max_trials = 8;
};

// Trial k >= 1 uses the k-th prime below request.prime and seed request.seed + k (as verify's
// retries). More trials run only when they can help: the rank is below min(rows, cols) and
// below `upper_bound` (a proven bound: the generic rank is then unknown), and the first
// trial's bound is below 1/2 but above the target. `first` is the computation at
// (request.prime, request.seed); the returned list starts with it.
std::vector<RankTrial> rank_trials(const RankRequest& request, const RankComputation& first,
                                   std::optional<std::uint64_t> upper_bound, const RankTrialOptions& options = {});

// The product of the trials' bounds (the bound for the best rank over all trials).
double combined_miss_probability(const std::vector<RankTrial>& trials);

}  // namespace seprank
