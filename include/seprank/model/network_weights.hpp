// The weights of one network: F, every layer's matrices, the readout (docs/model.md).
// Values are integers: residues in [0, p) over GF(p), small signed integers over Q.
// (Rational weights would add nothing to the rank: scaling any one matrix by a nonzero
// constant scales the grid tensor by a nonzero constant.)
#pragma once

#include <cstdint>
#include <vector>

#include "seprank/model/architecture.hpp"

namespace seprank {

enum class Representation { random, identity };

struct NetworkWeights {
  std::vector<std::int64_t> representation;        // F, M×M row-major, row d = F[d]
  std::vector<std::vector<std::int64_t>> layers;   // per layer: its matrices (weight_index
                                                   // order), each C_l×C_{l-1} row-major
  std::vector<std::int64_t> readout;               // a, length C_L
};

// Where random values come from: residues modulo `prime`, or integers in [-bound, bound].
struct WeightDomain {
  bool modular = true;
  std::uint64_t prime = 0;  // when modular
  std::int64_t bound = 0;   // when integer
};

// Draws in this order from one SplitMix64(seed): F (row-major; skipped when identity), then
// each GC layer's matrices in weight_index order, each row-major, then the readout.
NetworkWeights draw_weights(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                            Representation representation, const WeightDomain& domain,
                            std::uint64_t seed);

}  // namespace seprank
