#include "seprank/rank/rank_request.hpp"

#include <flint/fmpz.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <cmath>

#include "seprank/support/errors.hpp"
#include "seprank/assembly/matricization.hpp"
#include "seprank/rank/multimodular_rank.hpp"

namespace seprank {

double entry_degree(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                    Representation representation) {
  (void)arch;
  double degree = representation == Representation::random ? 1 : 0;  // F's entries
  for (const LayerGeometry& g : geometry)
    degree = g.offsets() * (degree + (g.pooling ? 0 : 1));
  return std::min(degree + 1, std::ldexp(1.0, 62));  // + readout
}

double entry_log2_bound(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                        Representation representation, std::int64_t bound) {
  const double log_b = std::log2(static_cast<double>(std::max<std::int64_t>(bound, 1)));
  double bits = representation == Representation::random ? log_b : 0;
  for (const LayerGeometry& g : geometry)
    bits = g.offsets() * (bits + (g.pooling ? 0 : log_b + std::log2(g.in_channels)));
  (void)arch;
  return bits + log_b + std::log2(geometry.back().out_channels);
}

double entry_log2_bound(const std::vector<LayerGeometry>& geometry, const GivenWeights& integers) {
  // As above with B per group: a unit's entry is a product over at most K offsets of sums of
  // C_in products |w|·|x|; every bound is at least 1, so leaving offsets out ("same") is covered.
  double bits = integers.group_log2_bound(0);
  for (std::size_t l = 0; l < geometry.size(); ++l) {
    const LayerGeometry& g = geometry[l];
    bits = g.offsets() * (bits + (g.pooling ? 0 : integers.group_log2_bound(l + 1) + std::log2(g.in_channels)));
  }
  return bits + integers.group_log2_bound(integers.groups() - 1) + std::log2(geometry.back().out_channels);
}

void check_prime(std::uint64_t prime) {
  if (prime < 2 || prime >= (std::uint64_t{1} << 63)) throw data_error("--prime must be at least 2 and below 2^63");
  if (!n_is_prime(prime)) throw data_error("--prime " + std::to_string(prime) + " is not prime");
}

namespace {

void check_memory(const PreparedNetwork& net, const RankRequest& request) {
  if (net.rows == 0 || net.cols == 0 || net.rows > (std::uint64_t{1} << 40) / net.cols)
    throw resource_error("the matricization has more than 2^40 entries (M^|I| x M^|J| with |I| = " +
                         std::to_string(net.partition.vary_I.size()) + ", |J| = " +
                         std::to_string(net.partition.vary_J.size()) + " varying)");
  const double entries = static_cast<double>(net.rows) * static_cast<double>(net.cols);
  // The matrix mod p (one word per entry) and the rank's working memory: in place, at most
  // 0.7 of the matrix (bench/measure_memory.sh: peaks of 1.04-1.67x the matrix for FLINT's LU
  // and FFLAS-FFPACK's PLUQ). Over Q the rank is multi-modular (multimodular_rank.hpp): one
  // matrix mod p at a time, the same. A certificate's minor search factors a working copy
  // while the matrix stays with FLINT's primes (nonsingular_minor_mod_p_in_place; FFLAS-FFPACK's
  // work in place): one word more, counted for every prime.
  const double bytes_per_entry = (request.certificate ? 3 : 2) * sizeof(mp_limb_t);
  double need = entries * bytes_per_entry;
  // Over Q, small matrices are ranked one prime per thread at once: `threads` of them.
  const bool prime_per_thread = request.field == Field::rationals && request.execution.threads > 1 &&
                                net.rows * net.cols <= multimodular_parallel_entries;
  // The network being evaluated, with one evaluator per assembling thread: with huge channel
  // counts it outweighs a small (sub)matrix by gigabytes.
  const auto evaluators = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max(request.execution.threads, 1)), net.rows);
  need += 8 * network_memory_words(net.arch, net.geometry, prime_per_thread ? 1 : static_cast<int>(evaluators));
  if (prime_per_thread) need *= request.execution.threads;
  if (need > static_cast<double>(request.max_memory_bytes))
    throw resource_error("the " + std::to_string(net.rows) + " x " + std::to_string(net.cols) +
                         " matricization and its network need about " + std::to_string(std::llround(need / 1048576.0)) +
                         " MiB, above the limit of " +
                         std::to_string(request.max_memory_bytes >> 20) + " MiB (--max-memory)");
}

}  // namespace

PreparedNetwork prepare_network_shape(const RankRequest& request) {
  PreparedNetwork net;
  net.arch = request.arch;
  net.geometry = resolve_geometry(request.arch);
  net.partition = make_partition(request.partition, request.arch);
  if (request.field == Field::gfp) {
    check_prime(request.prime);
    net.domain = {true, request.prime, 0};
  } else {
    if (request.weight_bound < 1 || request.weight_bound > (std::int64_t{1} << 31))
      throw data_error("--weight-bound must be in [1, 2^31]");
    net.domain = {false, 0, request.weight_bound};
  }
  const auto m = static_cast<std::uint64_t>(request.arch.templates);
  restrict_partition(net.partition, request.vary, request.fixed_templates, net.arch, net.geometry);
  net.rows = checked_power(m, net.partition.vary_I.size());
  net.cols = checked_power(m, net.partition.vary_J.size());
  check_memory(net, request);
  return net;
}

PreparedNetwork prepare_network(const RankRequest& request) {
  PreparedNetwork net = prepare_network_shape(request);
  if (request.given_weights) {
    const std::string where = request.network_file.empty() ? "" : request.network_file + ": ";
    if (request.field == Field::gfp) {
      net.weights = request.given_weights->residues(request.prime, where);
    } else {
      // Over Q, each group scaled by the LCM of its denominators: the function is multiplied
      // by a nonzero constant, the rank unchanged (GivenWeights::scaled_to_integers).
      auto integers = std::make_shared<const GivenWeights>(request.given_weights->scaled_to_integers());
      net.weights = integers->fits_int64() ? integers->as_int64() : integers->residues(request.prime, where);
      net.exact = std::move(integers);
    }
    return net;
  }
  net.weights = draw_weights(net.arch, net.geometry, request.representation, net.domain, request.seed);
  return net;
}

}  // namespace seprank
