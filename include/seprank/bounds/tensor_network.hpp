// The tensor network whose contraction is the grid tensor of a ConvAC (docs/model.md, "Upper
// bound for all weights"). Only the graph and its dimensions are built, never any weights: the
// network is the same for every weight setting and every sharing mode, which is what makes
// a cut of it an upper bound for all weights (docs/min-cut.md).
//
// Overlapping layers are unrolled into a tree: a unit read by several parents appears once
// per reading (its output enters the function once per reading, and a tensor network cannot
// reuse a tensor). The tree is glued only at the input copy tensors, which duplicate the
// template index of a position to every window offset that reads it.
//
// Nodes and bonds are stored compactly (the unrolled tree can be large); describe_node()
// and describe_bond() put them into words on demand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"

namespace seprank {

enum class NodeKind {
  input_copy,  // copy tensor of an input position: its open leg plus one leg per reading (dim M)
  unit_copy,   // copy (Hadamard) tensor of one unit instance (dim C_l); a pool unit's copy
               // tensor also stands for those of the units it pools (same dim: one copy tensor)
  matrix,      // F·W at a layer-1 window offset, F alone in a pool layer 1, W at layers >= 2
  readout,     // the readout vector a (one leg, dim C_L)
};

// One reading of a unit in the unrolled tree.
struct UnitInstance {
  int layer = 0;    // 0-based index into the geometry
  int unit = 0;     // linear index in that layer's output map
  int parent = -1;  // the instance that reads this one; -1 for the top unit
  int offset = -1;  // the window offset at which the parent reads it
};

struct TensorNode {
  NodeKind kind = NodeKind::matrix;
  std::int64_t dim = 0;  // copy tensors: the dimension of their one shared index; otherwise 0
  int instance = -1;     // unit_copy: its unit instance (the pooling one when merged);
                         // matrix: the instance whose window it sits in
  int index = -1;        // input_copy: the linear input position; matrix: the window offset

  bool is_copy() const { return kind == NodeKind::input_copy || kind == NodeKind::unit_copy; }
};

struct Bond {
  int a = -1, b = -1;  // node indices
  std::int64_t dim = 1;
};

struct TensorNetwork {
  int dims = 1;       // 1D or 2D, for naming places
  int width = 1;      // input width, for naming input positions
  int templates = 0;  // M, the dimension of every open leg
  std::vector<LayerGeometry> geometry;
  std::vector<std::vector<std::int64_t>> readings;  // [layer][unit]: instances in the tree
  std::vector<UnitInstance> instances;
  std::vector<TensorNode> nodes;
  std::vector<Bond> bonds;
  std::vector<int> input_copy;  // per linear input position: the node that carries its open leg
  int readout = -1;
};

// The unrolled tree can grow exponentially with the depth of stride-1 stacks; beyond this
// many nodes the build is refused (resource error) before the network is allocated. The
// min-cut needs about 0.5 KB and a few microseconds per node (1M nodes: ~0.5 GB, 2-5 s).
inline constexpr std::int64_t max_tensor_network_nodes = 1'000'000;

// `geometry` must be resolve_geometry(arch).
TensorNetwork build_tensor_network(const Architecture& arch,
                                   const std::vector<LayerGeometry>& geometry);
TensorNetwork build_tensor_network(const Architecture& arch);

// In words, e.g. "copy tensor of unit (1,1) in layer 1 (dim 4)", "copy tensor of input 3
// (dim 2)", "matrix W at layer 2 unit (0,0) offset (1,0) (2 x 4)"; a unit read more than once
// names its reading: "unit 1 in layer 1 [under layer 2 unit 0 offset 1]".
std::string describe_node(const TensorNetwork& net, int node);
// E.g. "bond W at layer 2 unit (0,1) offset (1,1) -> unit (0,1) in layer 2 (dim 2)".
std::string describe_bond(const TensorNetwork& net, int bond);

}  // namespace seprank
