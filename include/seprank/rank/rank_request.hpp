// A request for the exact rank of one network's matricization, and the network it prepares:
// validated architecture, partition, and drawn weights (the shared front half of
// `seprank rank`, `certify` and `bound`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/given_weights.hpp"
#include "seprank/model/network_weights.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/support/execution_context.hpp"

namespace seprank {

enum class Field { gfp, rationals };

// Default prime: the largest prime below 2^62 (2^62 - 57). docs/model.md says why.
inline constexpr std::uint64_t default_prime = 4611686018427387847ULL;
inline constexpr std::int64_t default_weight_bound = 100;  // Q weights in [-100, 100]

struct RankRequest {
  Architecture arch;
  std::string partition = "left-right";
  std::string vary = "all";            // which positions' templates vary (restrict_partition)
  std::string fixed_templates = "0";   // the templates of the others
  Field field = Field::gfp;
  std::uint64_t prime = default_prime;
  std::uint64_t seed = 1;
  Representation representation = Representation::random;
  std::int64_t weight_bound = default_weight_bound;
  ExecutionContext execution;  // threads (also in the memory estimate) and the progress observer
  std::uint64_t max_memory_bytes = std::uint64_t{16} << 30;
  // The matrix will also be searched for a certificate's minor (one more working copy).
  bool certificate = false;
  // `--network FILE` (network_file.hpp): these weights instead of drawn ones (`seed`,
  // `representation` and `weight_bound` then play no part), and the file's name.
  std::shared_ptr<const GivenWeights> given_weights;
  std::string network_file;
};

struct PreparedNetwork {
  Architecture arch;
  std::vector<LayerGeometry> geometry;
  Partition partition;
  NetworkWeights weights;
  WeightDomain domain;
  std::uint64_t rows = 0;  // M^|vary_I| (M^|I| for the whole matrix)
  std::uint64_t cols = 0;  // M^|vary_J|
  // Given weights over Q (request.given_weights), scaled to integers of any size: the
  // assembly modulo a prime reduces these (assemble_mod_p), and `weights` holds them only
  // when they fit in 64 bits, else their residues modulo the request's prime.
  std::shared_ptr<const GivenWeights> exact;
};

// A data error unless 2 <= prime < 2^63 is prime (`--prime`).
void check_prime(std::uint64_t prime);

// Validates everything (data/usage/resource errors), estimates the memory of the rank
// computation and refuses it when above the limit, then draws the weights.
PreparedNetwork prepare_network(const RankRequest& request);
// The same without drawing the weights (`weights` empty): what would be assembled, or why not.
PreparedNetwork prepare_network_shape(const RankRequest& request);

// Degree of one grid-tensor entry as a polynomial in all weights (F, W's, readout);
// saturates at 2^62. Used for the Schwartz–Zippel bound.
double entry_degree(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                    Representation representation);

// Upper bound on log2 |entry| for integer weights in [-bound, bound].
double entry_log2_bound(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                        Representation representation, std::int64_t bound);
// The same for given integer weights (GivenWeights::scaled_to_integers), from each group's
// largest weight.
double entry_log2_bound(const std::vector<LayerGeometry>& geometry, const GivenWeights& integers);

}  // namespace seprank
