// Small helpers shared by the engine tests.
#pragma once

#include <string>

#include "seprank/layer_spec_parser.hpp"
#include "seprank/rank_computation.hpp"

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
  r.threads = 1;
  return r;
}

inline std::int64_t rank_of(const seprank::RankRequest& r) { return seprank::compute_rank(r).rank; }

inline std::int64_t ipow(std::int64_t b, std::int64_t e) {
  std::int64_t r = 1;
  while (e-- > 0) r *= b;
  return r;
}

}  // namespace test_support
