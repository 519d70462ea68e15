#include "seprank/rank/rank_computation.hpp"

#include <algorithm>
#include <chrono>

#include "seprank/assembly/assemble.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/rank/multimodular_rank.hpp"

namespace seprank {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

RankComputation compute_rank(const RankRequest& request) {
  RankComputation out;
  out.net = prepare_network(request);
  const ExecutionContext& context = request.execution;
  auto start = std::chrono::steady_clock::now();
  if (request.field == Field::gfp) {
    NmodMatrix matrix = assemble_mod_p(out.net, request.prime, context);
    out.assembly_seconds = seconds_since(start);
    start = std::chrono::steady_clock::now();
    if (request.certificate) {  // the certificate's minor gives the rank as well
      out.minor = nonsingular_minor_mod_p_in_place(matrix, context);  // the matrix is not needed again
      out.rank = out.minor->profile.rank;
    } else {
      out.rank = rank_mod_p_in_place(matrix, context);  // the matrix is not needed again
    }
    out.rank_seconds = seconds_since(start);
  } else {
    // Multi-modular (multimodular_rank.hpp): ranks modulo 62-bit primes until a rule proves
    // the largest one is the rank over Q.
    MultimodularOptions options;
    options.execution = context;
    try {
      // Holds over every field at every weights, so also for the submatrix over Q.
      const MinCutBound bound = min_cut_bound(out.net.arch, out.net.partition);
      options.upper_bound = bound.bound_u64;
    } catch (const Error& e) {
      if (e.code() != exit_resource) throw;  // too large to unroll: no upper bound but the size
    }
    const double bits = out.net.exact ? entry_log2_bound(out.net.geometry, *out.net.exact)
                                      : entry_log2_bound(out.net.arch, out.net.geometry, request.representation,
                                                         request.weight_bound);
    const MultimodularRank q = multimodular_rank(out.net, bits, options);
    out.rank = q.rank;
    out.primes = q.primes;
    out.ranks_mod_primes = q.ranks;
    out.exact_by = q.stopped_by;
    out.assembly_seconds = q.assembly_seconds;
    out.rank_seconds = q.rank_seconds;
  }
  out.entry_degree = entry_degree(out.net.arch, out.net.geometry, request.representation);
  const double sample_size = request.field == Field::gfp ? static_cast<double>(request.prime)
                                                         : 2.0 * static_cast<double>(request.weight_bound) + 1;
  const bool full_rank = static_cast<std::uint64_t>(out.rank) == std::min(out.net.rows, out.net.cols);
  out.miss_probability =
      full_rank ? 0.0 : std::min(1.0, static_cast<double>(out.rank + 1) * out.entry_degree / sample_size);
  return out;
}

}  // namespace seprank
