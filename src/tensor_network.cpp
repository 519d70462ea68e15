#include "seprank/tensor_network.hpp"

#include <algorithm>
#include <utility>

#include "seprank/errors.hpp"

namespace seprank {

namespace {

// Saturating arithmetic for the size estimate: the unrolled tree of a deep stride-1 stack
// can exceed any integer type long before it exceeds the node limit's check.
constexpr std::int64_t saturated = std::int64_t{1} << 62;
std::int64_t sat_add(std::int64_t a, std::int64_t b) { return std::min(saturated, a + b); }
std::int64_t sat_mul(std::int64_t a, std::int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > saturated / b ? saturated : std::min(saturated, a * b);
}

class Builder {
 public:
  Builder(const Architecture& arch, const std::vector<LayerGeometry>& geometry)
      : arch_(arch), geo_(geometry), two_d_(arch.dims == 2) {}

  TensorNetwork build() {
    count_instances();
    net_.templates = arch_.templates;
    for (int p = 0; p < arch_.positions(); ++p)
      net_.input_copy.push_back(add_node(NodeKind::input_copy, arch_.templates,
                                         "copy tensor of input " + place(p, arch_.width) +
                                             " (dim " + std::to_string(arch_.templates) + ")"));
    const int top = static_cast<int>(geo_.size()) - 1;
    const std::int64_t top_dim = geo_[top].out_channels;
    const int root = add_unit_copy(top, 0, "");
    net_.readout = add_node(NodeKind::readout, 0,
                            "readout vector (dim " + std::to_string(top_dim) + ")");
    add_bond(root, net_.readout, top_dim,
             "bond unit " + place(0, 1) + " in layer " + std::to_string(top + 1) + " -> readout");
    build_unit(top, 0, root, "");
    return std::move(net_);
  }

 private:
  std::string place(int index, int width) const {
    if (!two_d_) return std::to_string(index);
    return "(" + std::to_string(index / width) + "," + std::to_string(index % width) + ")";
  }
  std::string offset_name(const LayerGeometry& g, int offset) const {
    if (!two_d_) return std::to_string(offset);
    return "(" + std::to_string(offset / g.window_width) + "," +
           std::to_string(offset % g.window_width) + ")";
  }
  // "unit (1,1)" plus, when the unit is read more than once, which reading this copy is.
  std::string unit_name(int layer, int unit, const std::string& chain) const {
    std::string s = "unit " + place(unit, geo_[layer].out_width);
    if (!chain.empty()) s += " [under " + chain + "]";
    return s;
  }
  std::string unit_in_layer(int layer, int unit, const std::string& chain) const {
    std::string s = "unit " + place(unit, geo_[layer].out_width) + " in layer " +
                    std::to_string(layer + 1);
    if (!chain.empty()) s += " [under " + chain + "]";
    return s;
  }

  int add_node(NodeKind kind, std::int64_t dim, std::string description) {
    net_.nodes.push_back(TensorNode{kind, dim, std::move(description)});
    return static_cast<int>(net_.nodes.size()) - 1;
  }
  void add_bond(int a, int b, std::int64_t dim, const std::string& description) {
    net_.bonds.push_back(Bond{a, b, dim, description + " (dim " + std::to_string(dim) + ")"});
  }
  int add_unit_copy(int layer, int unit, const std::string& chain) {
    const LayerGeometry& g = geo_[layer];
    std::string d = "copy tensor of " + unit_in_layer(layer, unit, chain);
    // Two copy tensors of equal dimension joined by a bond are one copy tensor; merging
    // them lets a cut pay for the pool's dimension once instead of once per pooled unit.
    if (g.pooling && layer > 0) d += " (pool, merged with the copy tensors of the units it pools)";
    return add_node(NodeKind::unit_copy, g.out_channels,
                    d + " (dim " + std::to_string(g.out_channels) + ")");
  }

  // How many readings of each unit the unrolled tree holds (0 for units nothing reads).
  void count_instances() {
    const int layers = static_cast<int>(geo_.size());
    instances_.assign(static_cast<std::size_t>(layers), {});
    for (int l = 0; l < layers; ++l)
      instances_[static_cast<std::size_t>(l)].assign(static_cast<std::size_t>(geo_[l].units()), 0);
    instances_.back()[0] = 1;
    std::int64_t nodes = sat_add(arch_.positions(), 2);
    for (int l = layers - 1; l >= 0; --l) {
      const LayerGeometry& g = geo_[l];
      for (int u = 0; u < g.units(); ++u) {
        const std::int64_t n = instances_[static_cast<std::size_t>(l)][static_cast<std::size_t>(u)];
        if (n == 0) continue;
        for (int o = 0; o < g.offsets(); ++o) {
          const int v = g.input_of(u, o);
          if (v < 0) continue;
          nodes = sat_add(nodes, sat_mul(n, 2));  // a matrix node, and the child's copy tensor
          if (l > 0) {
            auto& child = instances_[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(v)];
            child = sat_add(child, n);
          }
        }
      }
      if (nodes > max_tensor_network_nodes)
        throw resource_error("the unrolled tensor network of this architecture has more than " +
                             std::to_string(max_tensor_network_nodes) +
                             " nodes (overlapping layers are unrolled into a tree)");
    }
  }

  // Adds the inputs of one instance of `unit` in layer `layer`, attached to its copy tensor
  // `copy`; `chain` names which reading of the unit this is (empty when it is read once).
  void build_unit(int layer, int unit, int copy, const std::string& chain) {
    const LayerGeometry& g = geo_[layer];
    const std::string layer_name = "layer " + std::to_string(layer + 1);
    const std::string me = unit_name(layer, unit, chain);
    const std::string me_in_layer = unit_in_layer(layer, unit, chain);
    for (int o = 0; o < g.offsets(); ++o) {
      const int v = g.input_of(unit, o);
      if (v < 0) continue;  // "same" padding: left out of the product
      const std::string use = layer_name + " " + me + " offset " + offset_name(g, o);
      if (layer == 0) {
        const std::string kind = g.pooling ? "F" : "F·W";
        const int m = add_node(NodeKind::matrix, 0,
                               "matrix " + kind + " at " + use + " (" +
                                   std::to_string(g.in_channels) + " x " +
                                   std::to_string(g.out_channels) + ")");
        add_bond(net_.input_copy[static_cast<std::size_t>(v)], m, arch_.templates,
                 "bond input " + place(v, arch_.width) + " -> " + kind + " at " + use);
        add_bond(m, copy, g.out_channels, "bond " + use + " " + kind + " -> " + me_in_layer);
        continue;
      }
      const int below = layer - 1;
      // Which reading of v this is, in words; only needed when v is read more than once.
      std::string child_chain;
      if (instances_[static_cast<std::size_t>(below)][static_cast<std::size_t>(v)] > 1)
        child_chain = layer_name + " unit " + place(unit, g.out_width) + " offset " +
                      offset_name(g, o) + (chain.empty() ? "" : " < " + chain);
      if (g.pooling) {
        build_unit(below, v, copy, child_chain);  // merged into this unit's copy tensor
        continue;
      }
      const int child = add_unit_copy(below, v, child_chain);
      const int w = add_node(NodeKind::matrix, 0,
                             "matrix W at " + use + " (" + std::to_string(g.in_channels) + " x " +
                                 std::to_string(g.out_channels) + ")");
      add_bond(child, w, g.in_channels,
               "bond " + unit_in_layer(below, v, child_chain) + " -> W at " + use);
      add_bond(w, copy, g.out_channels, "bond " + use + " W -> " + me_in_layer);
      build_unit(below, v, child, child_chain);
    }
  }

  const Architecture& arch_;
  const std::vector<LayerGeometry>& geo_;
  const bool two_d_;
  std::vector<std::vector<std::int64_t>> instances_;  // [layer][unit]
  TensorNetwork net_;
};

}  // namespace

TensorNetwork build_tensor_network(const Architecture& arch,
                                   const std::vector<LayerGeometry>& geometry) {
  if (geometry.empty()) throw data_error("the network needs at least one layer");
  return Builder(arch, geometry).build();
}

TensorNetwork build_tensor_network(const Architecture& arch) {
  const std::vector<LayerGeometry> geometry = resolve_geometry(arch);
  return build_tensor_network(arch, geometry);
}

}  // namespace seprank
