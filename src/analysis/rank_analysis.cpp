#include "seprank/analysis/rank_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/multimodular_rank.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

UpperBound upper_bound_of(const Architecture& arch, const Partition& partition) {
  UpperBound u;
  try {
    u.bound = min_cut_bound(arch, partition);
  } catch (const Error& e) {
    if (e.code() != exit_resource) throw;
    u.unavailable = e.what();
  }
  return u;
}

void require_rank_within_bound(std::int64_t rank, const UpperBound& upper, const std::string& where) {
  const std::optional<std::uint64_t> bound = upper.value();
  if (bound && rank >= 0 && static_cast<std::uint64_t>(rank) > *bound)
    throw Error(exit_internal, where + "rank " + std::to_string(rank) + " exceeds the min-cut upper bound " +
                                   upper.bound->bound + " (D1): this is a bug in seprank, please report it");
}

bool settles(std::int64_t rank, const UpperBound& upper) {
  const std::optional<std::uint64_t> bound = upper.value();
  return bound && rank >= 0 && *bound == static_cast<std::uint64_t>(rank);
}

namespace {

// The bound for "the generic rank is above `rank`" from one trial at `prime`: an
// (rank+1)-minor is a nonzero polynomial of degree <= (rank+1)·degree over GF(prime).
double miss_bound(std::int64_t rank, double degree, std::uint64_t prime) {
  return std::min(1.0, static_cast<double>(rank + 1) * degree / static_cast<double>(prime));
}

}  // namespace

RankAnalysis analyse_rank(const RankRequest& request, const AnalysisPolicy& policy) {
  RankAnalysis a;
  // The bound first: it holds whether or not the matrix can be assembled.
  resolve_geometry(request.arch);  // validates before the partition walks the positions
  a.upper = upper_bound_of(request.arch, make_partition(request.partition, request.arch));
  const std::optional<std::uint64_t> bound = a.upper.value();

  RankRequest next = request;
  bool fast_phase = false;  // the trials run mod fast_prime and the primes below it
  const bool fast_first_allowed = policy.rule == RetryRule::confidence || policy.reach.has_value();
  if (fast_first_allowed && policy.fast_primes_first && request.field == Field::gfp) {
    const PreparedNetwork shape = prepare_network_shape(request);
    fast_phase = std::min(shape.rows, shape.cols) >= policy.fast_min_size && request.prime > policy.fast_first;
    if (fast_phase) next.prime = policy.fast_first;
  }
  // reach: a fast first trial is one more; the 1 + retries trials after it take request.prime.
  const bool extra_fast_trial = policy.rule == RetryRule::reach && fast_phase;
  double degree = 0;
  std::uint64_t ceiling = 0;  // min(rows, cols, min-cut): a rank there is the generic rank
  auto product_at_best = [&] {
    double p = 1;
    for (const RankTrial& t : a.trials) p *= miss_bound(a.best->rank, degree, t.prime);
    return p;
  };
  const int most = policy.rule == RetryRule::confidence ? policy.max_trials : 1 + policy.retries + extra_fast_trial;
  for (int k = 0; k < most; ++k) {
    if (k > 0) {
      const std::int64_t best = a.best->rank;
      if (policy.rule == RetryRule::reach) {
        if (!policy.reach || best >= *policy.reach) break;
        next.prime = request.prime;
      } else {
        if (request.field != Field::gfp) break;  // over Q the rank is exact (multimodular_rank)
        if (static_cast<std::uint64_t>(best) >= ceiling) break;  // generic rank known
        if (product_at_best() <= policy.target_miss_probability) break;
        if (fast_phase) {
          // Stay with the small primes while, each bounding the miss by `per`, the trials left
          // can still bring the product down to the target; otherwise the 62-bit prime.
          const std::uint64_t p = previous_prime(next.prime);
          const double per = miss_bound(best, degree, p);
          const double needed =
              per > 0 ? std::ceil(std::log(policy.target_miss_probability / product_at_best()) / std::log(per)) : 1;
          fast_phase = per < 0.5 && k + needed <= most;
          next.prime = fast_phase ? p : request.prime;
        } else {
          if (miss_bound(best, degree, next.prime) >= 0.5) break;  // vacuous: trials cannot help
          next.prime = previous_prime(next.prime);
        }
        if (next.prime == 0) break;  // no prime below 2
      }
      next.seed = request.seed + static_cast<std::uint64_t>(k);
    }
    RankComputation c;
    try {
      c = compute_rank(next);
    } catch (const Error& e) {
      if (!policy.too_large_is_result || e.code() != exit_resource) throw;
      a.too_large = e.what();
      break;
    }
    require_rank_within_bound(c.rank, a.upper, policy.where);
    a.trials.push_back({next.prime, next.seed, c.rank, c.miss_probability});
    if (k == 0) {
      degree = c.entry_degree;
      ceiling = std::min({c.net.rows, c.net.cols, bound.value_or(c.net.rows)});
    }
    if (!a.best || c.rank > a.best->rank) {
      a.best = std::move(c);
      a.best_seed = next.seed;
    }
  }
  if (!a.best) return a;
  if (policy.rule == RetryRule::confidence && request.field == Field::gfp) {
    // Every trial's bound at the best rank; none at the ceiling (compute_rank's convention).
    const bool known = static_cast<std::uint64_t>(a.best->rank) >= ceiling;
    for (RankTrial& t : a.trials) t.miss_probability = known ? 0.0 : miss_bound(a.best->rank, degree, t.prime);
    a.miss_probability = 1;
    for (const RankTrial& t : a.trials) a.miss_probability *= t.miss_probability;
  } else {
    a.miss_probability = a.best->miss_probability;
  }
  return a;
}

}  // namespace seprank
