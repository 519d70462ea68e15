#include "seprank/comparison/float_compare.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "seprank/analysis/rank_analysis.hpp"
#include "seprank/assembly/assemble.hpp"
#include "seprank/assembly/double_ring.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/assembly/matricization.hpp"
#include "seprank/support/progress.hpp"

namespace seprank {

std::string to_string(FloatVerdict v) {
  switch (v) {
    case FloatVerdict::agree: return "AGREE";
    case FloatVerdict::float_underestimates: return "FLOAT UNDERESTIMATES";
    case FloatVerdict::float_overestimates: return "FLOAT OVERESTIMATES";
    case FloatVerdict::float_fails: return "FLOAT FAILS";
  }
  return "?";
}

std::vector<double> assemble_doubles(const PreparedNetwork& net, const RealNetworkWeights& weights,
                                     const ExecutionContext& context) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<DoubleRing> compiled(DoubleRing{}, net.arch, net.geometry, double_weight_codes(weights),
                                             &plan.input_reach());
  std::vector<double> matrix(static_cast<std::size_t>(net.rows * net.cols));
  Progress progress("assembly (doubles)", net.rows, "rows", context.display());
  assemble_rows_parallel(
      compiled, plan, net.rows, net.partition.vary_I.size(), context.threads,
      [&](std::uint64_t r, std::uint64_t c, double v) { matrix[r * net.cols + c] = v; }, &progress);
  return matrix;
}

namespace {

// The float side needs, besides the mod-p matrix that prepare_network accounts for, the
// double matrix and the column-major copy that dgesdd overwrites.
void check_float_memory(const PreparedNetwork& net, const RankRequest& request) {
  constexpr double bytes_per_entry = 2 * sizeof(mp_limb_t) + 2 * sizeof(double);
  const double need = static_cast<double>(net.rows) * static_cast<double>(net.cols) * bytes_per_entry;
  if (need > static_cast<double>(request.max_memory_bytes))
    throw resource_error("comparing the " + std::to_string(net.rows) + " x " + std::to_string(net.cols) +
                         " matricization in double precision and mod p needs about " +
                         std::to_string(std::llround(need / 1048576.0)) + " MiB, above the limit of " +
                         std::to_string(request.max_memory_bytes >> 20) + " MiB (--max-memory)");
  if (net.rows > INT32_MAX || net.cols > INT32_MAX)
    throw resource_error("the matricization has a side above 2^31 - 1, beyond LAPACK's indices");
}

FloatVerdict verdict_of(std::int64_t float_rank, std::int64_t exact_rank) {
  if (float_rank == exact_rank) return FloatVerdict::agree;
  return float_rank < exact_rank ? FloatVerdict::float_underestimates : FloatVerdict::float_overestimates;
}

}  // namespace

FloatComparison compare_float_with_exact(const RankRequest& request, RealWeightDistribution distribution) {
  if (request.field != Field::gfp)
    throw data_error("compare ranks the rational network modulo a prime: use --field gfp");
  if (request.prime == 2)
    throw data_error("compare needs an odd prime: 2 must be invertible to reduce the doubles mod p");
  FloatComparison out;
  out.distribution = distribution;
  out.net = prepare_network(request);  // validates; its residue weights are replaced below
  check_float_memory(out.net, request);
  out.real_weights =
      draw_real_weights(out.net.arch, out.net.geometry, request.representation, distribution, request.seed);
  out.net.weights = residue_weights(out.real_weights, request.prime);

  const ExecutionContext& context = request.execution;
  const LibraryThreads pools(context.threads);  // the elimination's and LAPACK's
  const NmodMatrix exact = assemble_mod_p(out.net, request.prime, context);
  out.exact_rank_mod_p = rank_mod_p(exact, context);

  const std::vector<double> floats = assemble_doubles(out.net, out.real_weights, context);
  for (std::uint64_t r = 0; r < out.net.rows; ++r)
    for (std::uint64_t c = 0; c < out.net.cols; ++c) {
      const double v = floats[r * out.net.cols + c];
      if (!std::isfinite(v))
        ++out.overflow_entries;
      else if ((v == 0 || std::fpclassify(v) == FP_SUBNORMAL) &&
               exact.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)) != 0)
        ++out.underflow_entries;
    }
  if (out.overflow_entries == 0) {
    auto s = singular_values(floats, static_cast<std::int64_t>(out.net.rows), static_cast<std::int64_t>(out.net.cols));
    if (s) out.numerical = numerical_rank(std::move(*s), static_cast<std::int64_t>(out.net.rows),
                                          static_cast<std::int64_t>(out.net.cols));
  }

  const UpperBound upper = upper_bound_of(out.net.arch, out.net.partition);
  out.upper_bound = upper.bound;
  out.upper_bound_unavailable = upper.unavailable;
  require_rank_within_bound(out.exact_rank_mod_p, upper, "");
  out.exact_rank_settled = settles(out.exact_rank_mod_p, upper);
  // A bound beyond 64 bits exceeds any rank computed here; treat it as no information.
  const bool has_bound = upper.value().has_value();
  const std::uint64_t bound = upper.value().value_or(0);

  if (!out.numerical) {
    out.verdict = FloatVerdict::float_fails;
    out.verdict_certified = true;
    return out;
  }
  const std::int64_t float_rank = out.numerical->rank;
  out.verdict = verdict_of(float_rank, out.exact_rank_mod_p);
  switch (out.verdict) {
    case FloatVerdict::float_underestimates:  // float < mod-p rank <= rank over Q
      out.verdict_certified = true;
      break;
    case FloatVerdict::float_overestimates:  // rank over Q <= min-cut < float
      out.verdict_certified = out.exact_rank_settled || (has_bound && static_cast<std::uint64_t>(float_rank) > bound);
      break;
    default:
      out.verdict_certified = out.exact_rank_settled;
  }
  return out;
}

}  // namespace seprank
