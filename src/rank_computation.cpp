#include "seprank/rank_computation.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <chrono>

#include "seprank/assemble.hpp"
#include "seprank/exact_rank.hpp"

namespace seprank {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

RankComputation compute_rank(const RankRequest& request) {
  RankComputation out;
  out.net = prepare_network(request);
  flint_set_num_threads(request.threads);
  auto start = std::chrono::steady_clock::now();
  if (request.field == Field::gfp) {
    const NmodMatrix matrix = assemble_mod_p(out.net, request.prime, request.threads);
    out.assembly_seconds = seconds_since(start);
    start = std::chrono::steady_clock::now();
    out.rank = rank_mod_p(matrix);
  } else {
    const FmpzMatrix matrix = assemble_integers(out.net);
    out.assembly_seconds = seconds_since(start);
    start = std::chrono::steady_clock::now();
    out.rank = rank_over_q(matrix);
  }
  out.rank_seconds = seconds_since(start);
  out.entry_degree = entry_degree(out.net.arch, out.net.geometry, request.representation);
  const double sample_size = request.field == Field::gfp ? static_cast<double>(request.prime)
                                                         : 2.0 * static_cast<double>(request.weight_bound) + 1;
  const bool full_rank = static_cast<std::uint64_t>(out.rank) == std::min(out.net.rows, out.net.cols);
  out.miss_probability =
      full_rank ? 0.0 : std::min(1.0, static_cast<double>(out.rank + 1) * out.entry_degree / sample_size);
  return out;
}

}  // namespace seprank
