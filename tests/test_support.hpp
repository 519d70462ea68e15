// Small helpers shared by the engine tests.
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "seprank/model/network_spec.hpp"
#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/rank/rank_computation.hpp"

namespace test_support {

inline seprank::RankRequest request(const std::string& input, const std::string& layers, int templates = 2,
                                    const std::string& partition = "left-right",
                                    seprank::Sharing sharing = seprank::Sharing::conv) {
  seprank::RankRequest r;
  seprank::parse_input_shape(input, r.arch);
  r.arch.templates = templates;
  r.arch.layers = seprank::parse_layers(layers);
  r.arch.sharing = sharing;
  r.partition = partition;
  r.execution.threads = 1;
  return r;
}

// The rank at random weights, after checking it against the min-cut bound for all weights
// (docs/theorems.md#d1): a rank above the bound is a bug in seprank and fails the test loudly.
inline std::int64_t rank_of(const seprank::RankRequest& r) {
  const seprank::RankComputation c = seprank::compute_rank(r);
  const seprank::MinCutBound bound = seprank::min_cut_bound(c.net.arch, c.net.partition);
  REQUIRE_MESSAGE(bound.bound_u64.has_value(), "min-cut bound beyond 64 bits");
  REQUIRE_MESSAGE(static_cast<std::uint64_t>(c.rank) <= *bound.bound_u64,
                  "rank " << c.rank << " exceeds the min-cut bound " << bound.bound << ": a bug");
  return c.rank;
}

inline std::int64_t ipow(std::int64_t b, std::int64_t e) {
  std::int64_t r = 1;
  while (e-- > 0) r *= b;
  return r;
}

}  // namespace test_support
