#include "seprank/bounds/min_cut_bound.hpp"

#include <flint/flint.h>
#include <flint/fmpz.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>

// GCC 12 reports a false "maybe-uninitialized" inside Boost's edge iterator (a
// boost::optional it copies) when inlining the max-flow; silence it for Boost only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "seprank/support/errors.hpp"

namespace seprank {

std::string to_string(BoundLimit limit) {
  switch (limit) {
    case BoundLimit::cut: return "cut";
    case BoundLimit::matrix_size: return "matrix size";
    case BoundLimit::both: return "both";
  }
  return "?";
}

namespace {

// RAII owner of one FLINT integer.
class Fmpz {
 public:
  Fmpz() { fmpz_init(value_); }
  ~Fmpz() { fmpz_clear(value_); }
  Fmpz(const Fmpz&) = delete;
  Fmpz& operator=(const Fmpz&) = delete;

  fmpz* get() { return value_; }
  const fmpz* get() const { return value_; }
  std::string decimal() const {
    char* s = fmpz_get_str(nullptr, 10, value_);
    std::string out(s);
    flint_free(s);
    return out;
  }

 private:
  fmpz_t value_;
};

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS,
    boost::property<boost::vertex_color_t, boost::default_color_type,
                    boost::property<boost::vertex_distance_t, long,
                                    boost::property<boost::vertex_predecessor_t,
                                                    Traits::edge_descriptor>>>,
    boost::property<boost::edge_capacity_t, std::int64_t,
                    boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                    boost::property<boost::edge_reverse_t,
                                                    Traits::edge_descriptor>>>>;
using Vertex = Traits::vertex_descriptor;

// log2(dim) in units of 2^-32, rounded. Rounding can only make the max-flow pick a cut whose
// exact product is a hair above the true minimum (when two cuts' products differ by less
// than the accumulated rounding); the bound reported is the exact product of the cut found,
// and every cut is a valid bound, so correctness never depends on it.
std::int64_t log_capacity(std::int64_t dim) {
  return std::llround(std::log2(static_cast<double>(dim)) * 4294967296.0);
}

// An arc of the flow graph that stands for a cuttable item of the tensor network.
struct ItemArc {
  Vertex from, to;
  std::int64_t capacity;
  int item;  // < nodes: a copy tensor (node index); otherwise nodes + bond index
};

class FlowNetwork {
 public:
  explicit FlowNetwork(std::size_t vertices) : graph_(vertices) {}

  void add_arc(Vertex from, Vertex to, std::int64_t capacity) {
    auto capacity_map = boost::get(boost::edge_capacity, graph_);
    auto reverse_map = boost::get(boost::edge_reverse, graph_);
    const auto forward = boost::add_edge(from, to, graph_).first;
    const auto backward = boost::add_edge(to, from, graph_).first;
    capacity_map[forward] = capacity;
    capacity_map[backward] = 0;
    reverse_map[forward] = backward;
    reverse_map[backward] = forward;
  }

  std::int64_t max_flow(Vertex source, Vertex sink) {
    return boost::boykov_kolmogorov_max_flow(graph_, source, sink);
  }

  // The source side of the minimum cut: what the source still reaches in the residual graph.
  std::vector<char> source_side(Vertex source) const {
    auto residual = boost::get(boost::edge_residual_capacity, graph_);
    std::vector<char> seen(boost::num_vertices(graph_), 0);
    std::deque<Vertex> queue{source};
    seen[source] = 1;
    while (!queue.empty()) {
      const Vertex v = queue.front();
      queue.pop_front();
      for (auto [e, end] = boost::out_edges(v, graph_); e != end; ++e) {
        const Vertex w = boost::target(*e, graph_);
        if (!seen[w] && residual[*e] > 0) {
          seen[w] = 1;
          queue.push_back(w);
        }
      }
    }
    return seen;
  }

 private:
  FlowGraph graph_;
};

// Checks that removing the cut items leaves no path from an I leg to a J leg, so the bound
// never rests on the max-flow code alone (a failure is a bug: internal error).
void check_separates(const TensorNetwork& net, const std::vector<char>& side_i,
                     const std::vector<char>& node_cut, const std::vector<char>& bond_cut) {
  std::vector<std::vector<int>> adjacent(net.nodes.size());
  for (std::size_t b = 0; b < net.bonds.size(); ++b) {
    if (bond_cut[b]) continue;
    adjacent[static_cast<std::size_t>(net.bonds[b].a)].push_back(net.bonds[b].b);
    adjacent[static_cast<std::size_t>(net.bonds[b].b)].push_back(net.bonds[b].a);
  }
  std::vector<char> reached(net.nodes.size(), 0);
  std::deque<int> queue;
  for (std::size_t p = 0; p < net.input_copy.size(); ++p) {
    const int n = net.input_copy[p];
    if (side_i[p] && !node_cut[static_cast<std::size_t>(n)] && !reached[static_cast<std::size_t>(n)]) {
      reached[static_cast<std::size_t>(n)] = 1;
      queue.push_back(n);
    }
  }
  while (!queue.empty()) {
    const int n = queue.front();
    queue.pop_front();
    for (int m : adjacent[static_cast<std::size_t>(n)]) {
      // A cut copy tensor splits its legs between the sides: nothing passes through it.
      if (reached[static_cast<std::size_t>(m)] || node_cut[static_cast<std::size_t>(m)]) continue;
      reached[static_cast<std::size_t>(m)] = 1;
      queue.push_back(m);
    }
  }
  for (std::size_t p = 0; p < net.input_copy.size(); ++p)
    if (!side_i[p] && reached[static_cast<std::size_t>(net.input_copy[p])])
      throw Error(exit_internal, "min-cut: the cut found does not separate I from J (bug)");
}

// Which side each input position is on (1 = I), after checking the partition fits.
std::vector<char> sides_of(const TensorNetwork& net, const Partition& partition) {
  const std::size_t positions = net.input_copy.size();
  const auto mismatch = [&] {
    return data_error("min-cut: the partition does not match the network's " +
                      std::to_string(positions) + " positions");
  };
  if (partition.I.empty() || partition.J.empty() ||
      partition.I.size() + partition.J.size() != positions)
    throw mismatch();
  std::vector<char> side_i(positions, 0), listed(positions, 0);
  for (const auto* side : {&partition.I, &partition.J})
    for (int p : *side) {
      if (p < 0 || static_cast<std::size_t>(p) >= positions || listed[static_cast<std::size_t>(p)])
        throw mismatch();
      listed[static_cast<std::size_t>(p)] = 1;
      side_i[static_cast<std::size_t>(p)] = side == &partition.I;
    }
  return side_i;
}

// The flow graph of a network, before the terminals: its vertices and its item arcs.
struct CutGraph {
  std::size_t vertices = 0;
  std::vector<Vertex> in, out;  // per node; a copy tensor has two vertices, others one
  std::vector<ItemArc> arcs;
};

CutGraph model_cut_graph(const TensorNetwork& net) {
  const std::size_t nodes = net.nodes.size();
  // A matrix node between two bonds (every F·W, F and W) costs min of its two dims when cut
  // and separates the same things whichever bond is cut: it becomes one flow edge standing
  // for its smaller bond, which keeps the flow graph small.
  std::vector<int> degree(nodes, 0);
  std::vector<std::array<int, 2>> incident(nodes, {-1, -1});
  for (std::size_t b = 0; b < net.bonds.size(); ++b)
    for (int end : {net.bonds[b].a, net.bonds[b].b}) {
      const auto n = static_cast<std::size_t>(end);
      if (degree[n] < 2) incident[n][static_cast<std::size_t>(degree[n])] = static_cast<int>(b);
      ++degree[n];
    }
  const auto contracted = [&](std::size_t n) {
    return net.nodes[n].kind == NodeKind::matrix && degree[n] == 2;
  };

  // A copy tensor is split into in -> out of capacity log2(dim): cutting through it costs
  // its dimension once. Any other node is one vertex: a general tensor is cut at bonds.
  CutGraph g;
  g.in.assign(nodes, 0);
  g.out.assign(nodes, 0);
  for (std::size_t n = 0; n < nodes; ++n) {
    if (contracted(n)) continue;
    g.in[n] = g.vertices++;
    g.out[n] = net.nodes[n].is_copy() ? g.vertices++ : g.in[n];
    if (net.nodes[n].is_copy())
      g.arcs.push_back({g.in[n], g.out[n], log_capacity(net.nodes[n].dim), static_cast<int>(n)});
  }
  // A bond is undirected: an arc each way, out of one end into the other.
  const auto add_bond = [&](std::size_t a, std::size_t c, int bond) {
    const std::int64_t cap = log_capacity(net.bonds[static_cast<std::size_t>(bond)].dim);
    const int item = static_cast<int>(nodes) + bond;
    g.arcs.push_back({g.out[a], g.in[c], cap, item});
    g.arcs.push_back({g.out[c], g.in[a], cap, item});
  };
  const auto other_end = [&](int bond, std::size_t n) {
    const Bond& b = net.bonds[static_cast<std::size_t>(bond)];
    return static_cast<std::size_t>(static_cast<std::size_t>(b.a) == n ? b.b : b.a);
  };
  for (std::size_t b = 0; b < net.bonds.size(); ++b) {
    const auto a = static_cast<std::size_t>(net.bonds[b].a);
    const auto c = static_cast<std::size_t>(net.bonds[b].b);
    if (!contracted(a) && !contracted(c)) add_bond(a, c, static_cast<int>(b));
  }
  for (std::size_t n = 0; n < nodes; ++n) {
    if (!contracted(n)) continue;
    const auto [first, second] = incident[n];
    const std::size_t a = other_end(first, n), c = other_end(second, n);
    if (contracted(a) || contracted(c))
      throw Error(exit_internal, "min-cut: two matrix nodes are adjacent (bug)");
    const bool first_smaller = net.bonds[static_cast<std::size_t>(first)].dim <=
                               net.bonds[static_cast<std::size_t>(second)].dim;
    add_bond(a, c, first_smaller ? first : second);
  }
  return g;
}

// The window offsets from the top unit down to `instance` (docs/cut-witness.md "Readings").
std::vector<int> reading_path(const TensorNetwork& net, int instance) {
  std::vector<int> path;
  for (int i = instance; net.instances[static_cast<std::size_t>(i)].parent >= 0;
       i = net.instances[static_cast<std::size_t>(i)].parent)
    path.push_back(net.instances[static_cast<std::size_t>(i)].offset);
  std::reverse(path.begin(), path.end());
  return path;
}

// The items a cut goes through.
struct FoundCut {
  std::vector<char> node_cut, bond_cut;
};

FoundCut find_min_cut(const TensorNetwork& net, const std::vector<char>& side_i,
                      std::size_t smaller_side) {
  const CutGraph g = model_cut_graph(net);
  const Vertex source = g.vertices, sink = g.vertices + 1;
  FlowNetwork flow(g.vertices + 2);
  for (const ItemArc& arc : g.arcs) flow.add_arc(arc.from, arc.to, arc.capacity);
  // Cutting every input copy tensor of the smaller side is a cut of this value, so a
  // capacity above it is never part of a minimum cut: "infinite" for the terminal arcs.
  const std::int64_t infinite =
      static_cast<std::int64_t>(smaller_side) * log_capacity(net.templates) + 1;
  for (std::size_t p = 0; p < side_i.size(); ++p) {
    const auto n = static_cast<std::size_t>(net.input_copy[p]);
    if (side_i[p])
      flow.add_arc(source, g.in[n], infinite);
    else
      flow.add_arc(g.out[n], sink, infinite);
  }
  const std::int64_t flow_value = flow.max_flow(source, sink);
  const std::vector<char> reached = flow.source_side(source);

  // The cut: item arcs from the source side to the rest. Their capacities must add up to
  // the flow (max-flow = min-cut); a bond cut in both directions is one item.
  FoundCut cut{std::vector<char>(net.nodes.size(), 0), std::vector<char>(net.bonds.size(), 0)};
  std::int64_t cut_value = 0;
  for (const ItemArc& arc : g.arcs) {
    if (!reached[arc.from] || reached[arc.to]) continue;
    cut_value += arc.capacity;
    const auto item = static_cast<std::size_t>(arc.item);
    if (item < net.nodes.size())
      cut.node_cut[item] = 1;
    else
      cut.bond_cut[item - net.nodes.size()] = 1;
  }
  if (cut_value != flow_value || reached[sink])
    throw Error(exit_internal, "min-cut: residual cut does not match the max flow (bug)");
  return cut;
}

}  // namespace

MinCutBound min_cut_bound(const TensorNetwork& net, const Partition& partition) {
  const std::vector<char> side_i = sides_of(net, partition);
  const std::size_t smaller = std::min(partition.I.size(), partition.J.size());
  const FoundCut found = find_min_cut(net, side_i, smaller);
  check_separates(net, side_i, found.node_cut, found.bond_cut);

  MinCutBound result;
  result.network_nodes = net.nodes.size();
  result.network_bonds = net.bonds.size();
  for (std::size_t n = 0; n < net.nodes.size(); ++n)
    if (found.node_cut[n]) {
      CutItem item;
      item.kind = CutItem::Kind::copy_tensor;
      item.dim = net.nodes[n].dim;
      item.description = describe_node(net, static_cast<int>(n));
      if (net.nodes[n].kind == NodeKind::input_copy) {
        item.witness_kind = CutItem::WitnessKind::input;
        item.input_position = net.nodes[n].index;
      } else {
        item.witness_kind = CutItem::WitnessKind::unit;
        item.path = reading_path(net, net.nodes[n].instance);
      }
      result.cut.push_back(std::move(item));
    }
  for (std::size_t b = 0; b < net.bonds.size(); ++b)
    if (found.bond_cut[b]) {
      CutItem item;
      item.kind = CutItem::Kind::bond;
      item.dim = net.bonds[b].dim;
      item.description = describe_bond(net, static_cast<int>(b));
      // Every bond but the readout's has a matrix at one end; the readout's never separates.
      const TensorNode& a = net.nodes[static_cast<std::size_t>(net.bonds[b].a)];
      const TensorNode& c = net.nodes[static_cast<std::size_t>(net.bonds[b].b)];
      const TensorNode* matrix = a.kind == NodeKind::matrix ? &a : c.kind == NodeKind::matrix ? &c : nullptr;
      if (!matrix) throw Error(exit_internal, "min-cut: a cut bond without a matrix: " + item.description + " (bug)");
      item.witness_kind = CutItem::WitnessKind::matrix;
      item.path = reading_path(net, matrix->instance);
      item.path.push_back(matrix->index);
      result.cut.push_back(std::move(item));
    }

  // Exact integers: the cut's product and the matricization's smaller side M^min(|I|,|J|).
  Fmpz product, matrix_size;
  fmpz_one(product.get());
  double log2_product = 0;
  for (const CutItem& item : result.cut) {
    fmpz_mul_ui(product.get(), product.get(), static_cast<ulong>(item.dim));
    log2_product += std::log2(static_cast<double>(item.dim));
  }
  fmpz_set_ui(matrix_size.get(), static_cast<ulong>(net.templates));
  fmpz_pow_ui(matrix_size.get(), matrix_size.get(), static_cast<ulong>(smaller));
  const double log2_matrix =
      static_cast<double>(smaller) * std::log2(static_cast<double>(net.templates));

  result.cut_product = product.decimal();
  result.matrix_size_limit = matrix_size.decimal();
  const int order = fmpz_cmp(product.get(), matrix_size.get());
  result.limited_by = order < 0   ? BoundLimit::cut
                      : order > 0 ? BoundLimit::matrix_size
                                  : BoundLimit::both;
  const Fmpz& bound = order <= 0 ? product : matrix_size;
  result.bound = bound.decimal();
  result.log2_bound = order <= 0 ? log2_product : log2_matrix;
  if (fmpz_abs_fits_ui(bound.get())) result.bound_u64 = fmpz_get_ui(bound.get());
  return result;
}

MinCutBound min_cut_bound(const Architecture& arch, const Partition& partition) {
  if (partition.I.size() + partition.J.size() != static_cast<std::size_t>(arch.positions()))
    throw data_error("min-cut: the partition has " +
                     std::to_string(partition.I.size() + partition.J.size()) +
                     " positions; the input has " + std::to_string(arch.positions()));
  const std::vector<LayerGeometry> geometry = resolve_geometry(arch);
  return min_cut_bound(build_tensor_network(arch, geometry), partition);
}

}  // namespace seprank
