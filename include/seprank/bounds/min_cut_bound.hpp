// An upper bound on rank [A]_{I,J} that holds for every weight setting: the product of the
// dimensions cut by a minimum cut of the grid tensor's tensor network (docs/min-cut.md).
// Any cut separating I's open legs from J's gives a valid bound, so the result is a proof
// whatever the max-flow's rounding; the minimum only makes it as small as possible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/bounds/tensor_network.hpp"

namespace seprank {

struct CutItem {
  enum class Kind { bond, copy_tensor };  // a copy tensor is cut through at its dimension, once
  Kind kind = Kind::bond;
  std::int64_t dim = 1;
  std::string description;  // the bond's or the copy tensor's description in the network
  // Its name in a cut witness (docs/cut-witness.md): an input copy tensor by its position, a
  // unit's copy tensor by the path of window offsets from the top unit to that reading, a
  // bond by the path of the reading whose matrix it belongs to (a matrix is cut at its
  // smaller bond, so naming the matrix names the cost).
  enum class WitnessKind { input, unit, matrix };
  WitnessKind witness_kind = WitnessKind::input;
  int input_position = -1;  // WitnessKind::input
  std::vector<int> path;    // WitnessKind::unit and ::matrix
};

// Which term gives the bound; `both` when the cut's product equals M^{min(|I|,|J|)}.
enum class BoundLimit { cut, matrix_size, both };
std::string to_string(BoundLimit limit);  // "cut", "matrix size", "both"

struct MinCutBound {
  std::vector<CutItem> cut;       // the cut found, bonds and copy tensors, in network order
  std::string cut_product;        // exact product of the dims in `cut`, decimal
  std::string matrix_size_limit;  // exact M^{min(|I|,|J|)}, decimal: rank never exceeds it
  std::string bound;              // exact min(cut_product, matrix_size_limit), decimal
  BoundLimit limited_by = BoundLimit::cut;
  double log2_bound = 0;                   // for display and sorting only
  std::optional<std::uint64_t> bound_u64;  // `bound` when it fits in 64 bits
  std::size_t network_nodes = 0, network_bonds = 0;
};

// Builds the tensor network of `arch` and cuts it between the partition's two sides.
// Data error when the partition does not cover exactly the architecture's positions;
// resource error when the unrolled network is too large (tensor_network.hpp).
MinCutBound min_cut_bound(const Architecture& arch, const Partition& partition);

// The same on an already built network (its input_copy gives the open legs).
MinCutBound min_cut_bound(const TensorNetwork& network, const Partition& partition);

}  // namespace seprank
