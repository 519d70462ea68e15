#include "seprank/bounds/tensor_network.hpp"

#include <algorithm>
#include <utility>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// Saturating arithmetic for the size estimate: the unrolled tree of a deep stride-1 stack
// can overflow any integer type long before anything is allocated.
constexpr std::int64_t saturated = std::int64_t{1} << 62;
std::int64_t sat_add(std::int64_t a, std::int64_t b) { return std::min(saturated, a + b); }

std::size_t at(int i) { return static_cast<std::size_t>(i); }

class Builder {
 public:
  Builder(const Architecture& arch, const std::vector<LayerGeometry>& geometry) {
    net_.dims = arch.dims;
    net_.width = arch.width;
    net_.templates = arch.templates;
    net_.geometry = geometry;
  }

  TensorNetwork build(int positions) {
    count_readings(positions);
    for (int p = 0; p < positions; ++p)
      net_.input_copy.push_back(add_node(NodeKind::input_copy, net_.templates, -1, p));
    const int top = static_cast<int>(net_.geometry.size()) - 1;
    const int root_instance = add_instance(top, 0, -1, -1);
    const int root = add_node(NodeKind::unit_copy, net_.geometry[at(top)].out_channels, root_instance, -1);
    net_.readout = add_node(NodeKind::readout, 0, -1, -1);
    add_bond(root, net_.readout, net_.geometry[at(top)].out_channels);
    build_unit(root_instance, root);
    return std::move(net_);
  }

 private:
  int add_node(NodeKind kind, std::int64_t dim, int instance, int index) {
    net_.nodes.push_back(TensorNode{kind, dim, instance, index});
    return static_cast<int>(net_.nodes.size()) - 1;
  }
  void add_bond(int a, int b, std::int64_t dim) { net_.bonds.push_back(Bond{a, b, dim}); }
  int add_instance(int layer, int unit, int parent, int offset) {
    net_.instances.push_back(UnitInstance{layer, unit, parent, offset});
    return static_cast<int>(net_.instances.size()) - 1;
  }

  // How many readings of each unit the unrolled tree holds (0 for units nothing reads), and
  // a refusal when the tree would be too large.
  void count_readings(int positions) {
    const auto& geo = net_.geometry;
    auto& readings = net_.readings;
    readings.assign(geo.size(), {});
    for (std::size_t l = 0; l < geo.size(); ++l) readings[l].assign(at(geo[l].units()), 0);
    readings.back()[0] = 1;
    std::int64_t nodes = sat_add(positions, 2);
    for (int l = static_cast<int>(geo.size()) - 1; l >= 0; --l) {
      const LayerGeometry& g = geo[at(l)];
      for (int u = 0; u < g.units(); ++u) {
        const std::int64_t n = readings[at(l)][at(u)];
        if (n == 0) continue;
        nodes = sat_add(nodes, n);  // the unit's copy tensor
        for (int o = 0; o < g.offsets(); ++o) {
          const int v = g.input_of(u, o);
          if (v < 0) continue;
          nodes = sat_add(nodes, n);  // its matrix at this offset
          if (l > 0) readings[at(l - 1)][at(v)] = sat_add(readings[at(l - 1)][at(v)], n);
        }
      }
      if (nodes > max_tensor_network_nodes)
        throw resource_error("the unrolled tensor network of this architecture has more than " +
                             std::to_string(max_tensor_network_nodes) +
                             " nodes (overlapping layers are unrolled into a tree)");
    }
  }

  // Adds the inputs of unit instance `instance`, attached to its copy tensor `copy`.
  void build_unit(int instance, int copy) {
    const int layer = net_.instances[at(instance)].layer;
    const int unit = net_.instances[at(instance)].unit;
    const LayerGeometry& g = net_.geometry[at(layer)];
    for (int o = 0; o < g.offsets(); ++o) {
      const int v = g.input_of(unit, o);
      if (v < 0) continue;  // "same" padding: left out of the product
      if (layer == 0) {
        const int m = add_node(NodeKind::matrix, 0, instance, o);
        add_bond(net_.input_copy[at(v)], m, net_.templates);
        add_bond(m, copy, g.out_channels);
        continue;
      }
      const int child = add_instance(layer - 1, v, instance, o);
      if (g.pooling) {
        // Two copy tensors of equal dimension joined by a bond are one copy tensor; merging
        // lets a cut pay for the pool's dimension once instead of once per pooled unit.
        build_unit(child, copy);
        continue;
      }
      const int child_copy = add_node(NodeKind::unit_copy, g.in_channels, child, -1);
      const int w = add_node(NodeKind::matrix, 0, instance, o);
      add_bond(child_copy, w, g.in_channels);
      add_bond(w, copy, g.out_channels);
      build_unit(child, child_copy);
    }
  }

  TensorNetwork net_;
};

std::string place(const TensorNetwork& net, int index, int width) {
  if (net.dims == 1) return std::to_string(index);
  return "(" + std::to_string(index / width) + "," + std::to_string(index % width) + ")";
}

std::string offset_name(const TensorNetwork& net, const LayerGeometry& g, int offset) {
  if (net.dims == 1) return std::to_string(offset);
  return "(" + std::to_string(offset / g.window_width) + "," +
         std::to_string(offset % g.window_width) + ")";
}

bool read_more_than_once(const TensorNetwork& net, const UnitInstance& in) {
  return net.readings[at(in.layer)][at(in.unit)] > 1;
}

// Which reading an instance is: the chain of readers up to the first unit read only once.
std::string reading_chain(const TensorNetwork& net, int instance) {
  std::string chain;
  for (int i = instance; read_more_than_once(net, net.instances[at(i)]);) {
    const UnitInstance& in = net.instances[at(i)];
    const UnitInstance& parent = net.instances[at(in.parent)];
    const LayerGeometry& g = net.geometry[at(parent.layer)];
    if (!chain.empty()) chain += " < ";
    chain += "layer " + std::to_string(parent.layer + 1) + " unit " +
             place(net, parent.unit, g.out_width) + " offset " + offset_name(net, g, in.offset);
    i = in.parent;
  }
  return chain.empty() ? chain : " [under " + chain + "]";
}

// "unit (1,1) in layer 1" or, inside a window's name, "layer 1 unit (1,1)".
std::string unit_in_layer(const TensorNetwork& net, int instance) {
  const UnitInstance& in = net.instances[at(instance)];
  return "unit " + place(net, in.unit, net.geometry[at(in.layer)].out_width) + " in layer " +
         std::to_string(in.layer + 1) + reading_chain(net, instance);
}
std::string layer_unit(const TensorNetwork& net, int instance) {
  const UnitInstance& in = net.instances[at(instance)];
  return "layer " + std::to_string(in.layer + 1) + " unit " +
         place(net, in.unit, net.geometry[at(in.layer)].out_width) + reading_chain(net, instance);
}

std::string matrix_name(const TensorNetwork& net, const TensorNode& node) {
  const int layer = net.instances[at(node.instance)].layer;
  const LayerGeometry& g = net.geometry[at(layer)];
  const std::string kind = layer > 0 ? "W" : g.pooling ? "F" : "F·W";
  return kind + " at " + layer_unit(net, node.instance) + " offset " + offset_name(net, g, node.index);
}

// The short name of a node, as it appears at either end of a bond.
std::string short_name(const TensorNetwork& net, int node) {
  const TensorNode& n = net.nodes[at(node)];
  switch (n.kind) {
    case NodeKind::input_copy: return "input " + place(net, n.index, net.width);
    case NodeKind::unit_copy: return unit_in_layer(net, n.instance);
    case NodeKind::matrix: return matrix_name(net, n);
    case NodeKind::readout: return "readout";
  }
  return "?";
}

}  // namespace

TensorNetwork build_tensor_network(const Architecture& arch,
                                   const std::vector<LayerGeometry>& geometry) {
  if (geometry.empty()) throw data_error("the network needs at least one layer");
  return Builder(arch, geometry).build(arch.positions());
}

TensorNetwork build_tensor_network(const Architecture& arch) {
  return build_tensor_network(arch, resolve_geometry(arch));
}

std::string describe_node(const TensorNetwork& net, int node) {
  const TensorNode& n = net.nodes[at(node)];
  switch (n.kind) {
    case NodeKind::input_copy:
    case NodeKind::unit_copy: {
      std::string s = "copy tensor of " + short_name(net, node);
      if (n.kind == NodeKind::unit_copy) {
        const UnitInstance& in = net.instances[at(n.instance)];
        if (in.layer > 0 && net.geometry[at(in.layer)].pooling)
          s += " (pool, merged with the copy tensors of the units it pools)";
      }
      return s + " (dim " + std::to_string(n.dim) + ")";
    }
    case NodeKind::matrix: {
      const LayerGeometry& g = net.geometry[at(net.instances[at(n.instance)].layer)];
      return "matrix " + matrix_name(net, n) + " (" + std::to_string(g.in_channels) + " x " +
             std::to_string(g.out_channels) + ")";
    }
    case NodeKind::readout:
      return "readout vector (dim " + std::to_string(net.geometry.back().out_channels) + ")";
  }
  return "?";
}

std::string describe_bond(const TensorNetwork& net, int bond) {
  const Bond& b = net.bonds[at(bond)];
  return "bond " + short_name(net, b.a) + " -> " + short_name(net, b.b) + " (dim " +
         std::to_string(b.dim) + ")";
}

}  // namespace seprank
