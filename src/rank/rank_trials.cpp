#include "seprank/rank/rank_trials.hpp"

#include <algorithm>

#include "seprank/rank/multimodular_rank.hpp"

namespace seprank {

namespace {

// The bound for "the generic rank is above `rank`" from one trial at `prime`: an
// (rank+1)-minor is a nonzero polynomial of degree <= (rank+1)·degree over GF(prime).
double miss_bound(std::int64_t rank, double degree, std::uint64_t prime) {
  return std::min(1.0, static_cast<double>(rank + 1) * degree / static_cast<double>(prime));
}

}  // namespace

std::vector<RankTrial> rank_trials(const RankRequest& request, const RankComputation& first,
                                   std::optional<std::uint64_t> upper_bound, const RankTrialOptions& options) {
  std::vector<RankTrial> trials{{request.prime, request.seed, first.rank, first.miss_probability}};
  if (request.field != Field::gfp) return trials;
  const auto ceiling = std::min({first.net.rows, first.net.cols, upper_bound.value_or(first.net.rows)});
  RankRequest next = request;
  std::int64_t best = first.rank;
  // Every trial's bound is taken at the best rank so far (P(trial's rank <= best) when the
  // generic rank is larger), recomputed as the best rank grows.
  auto product = [&] {
    double p = 1;
    for (const RankTrial& t : trials) p *= miss_bound(best, first.entry_degree, t.prime);
    return p;
  };
  for (int k = 1; k < options.max_trials; ++k) {
    if (static_cast<std::uint64_t>(best) >= ceiling) break;  // generic rank known: nothing to add
    if (miss_bound(best, first.entry_degree, next.prime) >= 0.5) break;  // vacuous: trials cannot help
    if (product() <= options.target_miss_probability) break;
    next.prime = previous_prime(next.prime);
    if (next.prime == 0) break;  // no prime below 2
    next.seed = request.seed + static_cast<std::uint64_t>(k);
    const RankComputation c = compute_rank(next);
    trials.push_back({next.prime, next.seed, c.rank, c.miss_probability});
    best = std::max(best, c.rank);
  }
  // At the ceiling the generic rank is known (compute_rank's convention: no miss at all).
  const bool known = static_cast<std::uint64_t>(best) >= ceiling;
  for (RankTrial& t : trials) t.miss_probability = known ? 0.0 : miss_bound(best, first.entry_degree, t.prime);
  return trials;
}

double combined_miss_probability(const std::vector<RankTrial>& trials) {
  double p = 1;
  for (const RankTrial& t : trials) p *= t.miss_probability;
  return p;
}

}  // namespace seprank
