// The tensor network whose contraction is the grid tensor of a ConvAC (MODEL.md, "What a
// rank result means"). Only the graph and its dimensions are built, never any weights: the
// network is the same for every weight setting and every sharing mode, which is what makes
// a cut of it an upper bound for all weights (docs/min-cut.md).
//
// Overlapping layers are unrolled into a tree: a unit read by several parents appears once
// per reading (its output enters the function once per reading, and a tensor network cannot
// reuse a tensor). The tree is glued only at the input copy tensors, which duplicate the
// template index of a position to every window offset that reads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/architecture.hpp"

namespace seprank {

enum class NodeKind {
  input_copy,  // copy tensor of an input position: its open leg plus one leg per reading (dim M)
  unit_copy,   // copy (Hadamard) tensor of one unit instance (dim C_l); a pool unit is merged
               // with the copy tensors of the units it pools (same dimension, a copy tensor too)
  matrix,      // F·W at a layer-1 window offset, F alone under a pool layer 1, W at layers >= 2
  readout,     // the readout vector a (one leg, dim C_L)
};

struct TensorNode {
  NodeKind kind = NodeKind::matrix;
  std::int64_t dim = 0;     // copy tensors: the dimension of their one shared index; else 0
  std::string description;  // e.g. "copy tensor of unit (1,1) in layer 1 (dim 4)"

  bool is_copy() const { return kind == NodeKind::input_copy || kind == NodeKind::unit_copy; }
};

struct Bond {
  int a = -1, b = -1;  // node indices
  std::int64_t dim = 1;
  std::string description;  // e.g. "bond layer 2 unit (0,0) offset (1,0) W -> unit (0,0) in layer 2 (dim 2)"
};

struct TensorNetwork {
  std::vector<TensorNode> nodes;
  std::vector<Bond> bonds;
  std::vector<int> input_copy;  // per linear input position: the node that carries its open leg
  int readout = -1;
  int templates = 0;            // M, the dimension of every open leg
};

// The unrolled tree can grow exponentially with the depth of stride-1 stacks; beyond this
// many nodes the build is refused (resource error) before anything is allocated.
inline constexpr std::int64_t max_tensor_network_nodes = 4'000'000;

// `geometry` must be resolve_geometry(arch).
TensorNetwork build_tensor_network(const Architecture& arch,
                                   const std::vector<LayerGeometry>& geometry);
TensorNetwork build_tensor_network(const Architecture& arch);

}  // namespace seprank
