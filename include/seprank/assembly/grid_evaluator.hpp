// Forward evaluation of a ConvAC on template assignments, over a ring (rings.hpp).
// CompiledNetwork holds read-only tables shared by threads; GridEvaluator holds one thread's
// activations and can re-evaluate only what changed: each unit keeps the running products of
// its window's factors, with the inputs ordered so that those that change together come last.
#pragma once

#include <algorithm>
#include <limits>
#include <cstdint>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/network_weights.hpp"

namespace seprank {

// Window offsets of one layer that fall inside its input map (all of them under "valid"
// padding), summed over its units: the UnitInput entries CompiledNetwork keeps.
inline std::int64_t taps_inside_map(const LayerGeometry& g) {
  const auto inside = [](int n, int window, int stride, int pad, int units) {
    std::int64_t total = 0;
    for (int u = 0; u < units; ++u) {
      const std::int64_t start = static_cast<std::int64_t>(u) * stride - pad;
      total += std::max<std::int64_t>(0, std::min<std::int64_t>(window, n - start) - std::max<std::int64_t>(0, -start));
    }
    return total;
  };
  return inside(g.in_height, g.window_height, g.stride_height, g.pad_top, g.out_height) *
         inside(g.in_width, g.window_width, g.stride_width, g.pad_left, g.out_width);
}

// Machine words (8 bytes) that evaluating the network takes before any matrix exists: the
// drawn weights, one CompiledNetwork (weights again, layer 1's table, the window lists) and
// `evaluators` GridEvaluators (activations and running products per unit and channel).
// Huge channel counts make this the dominant cost even for a 2 x 2 submatrix.
inline double network_memory_words(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                                   int evaluators) {
  const double m = arch.templates;
  double weights = m * m + geometry.back().out_channels, compiled = 0, per_evaluator = 0;
  for (std::size_t l = 0; l < geometry.size(); ++l) {
    const LayerGeometry& g = geometry[l];
    const double matrices = static_cast<double>(g.weight_matrices(arch.sharing));
    const double taps = static_cast<double>(taps_inside_map(g));
    weights += matrices * g.out_channels * g.in_channels;
    compiled += l == 0 ? std::max(matrices, 1.0) * m * g.out_channels : matrices * g.out_channels * g.in_channels;
    compiled += 2 * taps + g.units() + 1;
    per_evaluator += (static_cast<double>(g.units()) + taps + 1) * g.out_channels;
  }
  return weights + compiled + evaluators * per_evaluator;
}

template <class Ring>
class CompiledNetwork {
 public:
  using Elem = typename Ring::Elem;
  using Buffer = typename Ring::Buffer;

  struct UnitInput {
    int position;        // input position of the layer (a unit of the layer below)
    std::int64_t matrix; // which weight matrix (weight_index); 0 for pool layers
    int reach;           // the ordering key (see the constructor); 0 when none is given
  };

  // `input_reach`, when given, holds per layer a key for each input position of that layer:
  // each unit's inputs are sorted by it (stably), so that an update that changes exactly the
  // inputs with key >= k recomputes a suffix of each window (GridEvaluator::evaluate_units).
  CompiledNetwork(Ring ring, const Architecture& arch, std::vector<LayerGeometry> geometry,
                  const NetworkWeights& weights, const std::vector<std::vector<int>>* input_reach = nullptr)
      : ring_(std::move(ring)), templates_(arch.templates), geometry_(std::move(geometry)) {
    for (std::size_t l = 0; l < geometry_.size(); ++l) {
      const LayerGeometry& g = geometry_[l];
      std::vector<std::size_t> begin{0};
      std::vector<UnitInput> inputs;
      for (int u = 0; u < g.units(); ++u) {
        const std::size_t first = inputs.size();
        for (int k = 0; k < g.offsets(); ++k) {
          const int pos = g.input_of(u, k);
          if (pos < 0) continue;
          const int key = input_reach ? (*input_reach)[l][static_cast<std::size_t>(pos)] : 0;
          inputs.push_back({pos, g.pooling ? 0 : g.weight_index(arch.sharing, u, k), key});
        }
        std::stable_sort(inputs.begin() + static_cast<std::ptrdiff_t>(first), inputs.end(),
                         [](const UnitInput& a, const UnitInput& b) { return a.reach < b.reach; });
        begin.push_back(inputs.size());
      }
      input_begin_.push_back(std::move(begin));
      inputs_.push_back(std::move(inputs));
    }
    for (std::size_t l = 1; l < geometry_.size(); ++l) {
      Buffer w(weights.layers[l].size());
      for (std::size_t i = 0; i < w.size(); ++i) ring_.set_int(w[i], weights.layers[l][i]);
      weights_.push_back(std::move(w));
    }
    build_first_layer_table(arch, weights);
    readout_ = Buffer(weights.readout.size());
    for (std::size_t i = 0; i < readout_.size(); ++i) ring_.set_int(readout_[i], weights.readout[i]);
  }

  const Ring& ring() const { return ring_; }
  int templates() const { return templates_; }
  const std::vector<LayerGeometry>& geometry() const { return geometry_; }
  // Inputs of unit u of layer l: [inputs_begin, inputs_end).
  const UnitInput* inputs_begin(std::size_t l, int u) const {
    return inputs_[l].data() + input_begin_[l][static_cast<std::size_t>(u)];
  }
  const UnitInput* inputs_end(std::size_t l, int u) const {
    return inputs_[l].data() + input_begin_[l][static_cast<std::size_t>(u) + 1];
  }
  // Layer 1's factor for one input: W_matrix · F[d] (or F[d] for a pool layer), length C_1.
  const Elem* first_layer_factor(std::int64_t matrix, int d) const {
    const auto c1 = static_cast<std::size_t>(geometry_[0].out_channels);
    return &first_table_[(static_cast<std::size_t>(matrix) * static_cast<std::size_t>(templates_) +
                          static_cast<std::size_t>(d)) * c1];
  }
  // Weight matrix `matrix` of layer l >= 1 (0-based), C_l × C_{l-1} row-major.
  const Elem* layer_matrix(std::size_t l, std::int64_t matrix) const {
    const LayerGeometry& g = geometry_[l];
    return &weights_[l - 1][static_cast<std::size_t>(matrix) * static_cast<std::size_t>(g.out_channels) *
                            static_cast<std::size_t>(g.in_channels)];
  }
  const Buffer& readout() const { return readout_; }

 private:
  void build_first_layer_table(const Architecture& arch, const NetworkWeights& weights) {
    const LayerGeometry& g = geometry_[0];
    const auto m = static_cast<std::size_t>(arch.templates);
    const auto c1 = static_cast<std::size_t>(g.out_channels);
    const std::size_t matrices = g.pooling ? 1 : static_cast<std::size_t>(g.weight_matrices(arch.sharing));
    Buffer f(m * m);
    for (std::size_t i = 0; i < f.size(); ++i) ring_.set_int(f[i], weights.representation[i]);
    first_table_ = Buffer(matrices * m * c1);
    Buffer w(1);
    for (std::size_t mat = 0; mat < matrices; ++mat)
      for (std::size_t d = 0; d < m; ++d)
        for (std::size_t c = 0; c < c1; ++c) {
          Elem& dst = first_table_[(mat * m + d) * c1 + c];
          if (g.pooling) {
            ring_.set(dst, f[d * m + c]);
            continue;
          }
          ring_.zero(dst);
          for (std::size_t k = 0; k < m; ++k) {
            ring_.set_int(w[0], weights.layers[0][(mat * c1 + c) * m + k]);
            ring_.addmul(dst, w[0], f[d * m + k]);
          }
        }
  }

  Ring ring_;
  int templates_;
  std::vector<LayerGeometry> geometry_;
  std::vector<std::vector<std::size_t>> input_begin_;
  std::vector<std::vector<UnitInput>> inputs_;
  std::vector<Buffer> weights_;  // layers 2..L
  Buffer first_table_;
  Buffer readout_;
};

template <class Ring>
class GridEvaluator {
 public:
  using Elem = typename Ring::Elem;
  using Buffer = typename Ring::Buffer;

  explicit GridEvaluator(const CompiledNetwork<Ring>& net) : net_(net), scratch_(2) {
    for (std::size_t l = 0; l < net.geometry().size(); ++l) {
      const LayerGeometry& g = net.geometry()[l];
      const auto channels = static_cast<std::size_t>(g.out_channels);
      activations_.emplace_back(static_cast<std::size_t>(g.units()) * channels);
      const auto inputs = static_cast<std::size_t>(net.inputs_end(l, g.units() - 1) - net.inputs_begin(l, 0));
      running_.emplace_back(inputs * channels);
      factor_.emplace_back(channels);
    }
  }

  // Evaluates every unit for the assignment (templates by linear position).
  void evaluate_all(const int* assignment) {
    for (std::size_t l = 0; l < activations_.size(); ++l)
      for (int u = 0; u < net_.geometry()[l].units(); ++u) compute_unit(l, u, assignment, every_input);
    compute_output();
  }

  // Re-evaluates after exactly the inputs with reach >= k changed: the listed units (per layer,
  // in layer order), and in each only the suffix of its window from the first changed input.
  void evaluate_units(const std::vector<std::vector<int>>& units, const std::vector<std::size_t>& counts,
                      const int* assignment, int k) {
    for (std::size_t l = 0; l < activations_.size(); ++l)
      for (std::size_t i = 0; i < counts[l]; ++i) compute_unit(l, units[l][i], assignment, k);
    compute_output();
  }

  const Elem& value() const { return scratch_[0]; }

 private:
  static constexpr int every_input = std::numeric_limits<int>::min();  // below every reach key

  // running_[l] holds, for input j of a unit (in sorted order), the product of the factors of
  // its inputs up to and including j; inputs before the first with reach >= k are unchanged.
  void compute_unit(std::size_t l, int u, const int* assignment, int k) {
    const Ring& ring = net_.ring();
    const LayerGeometry& g = net_.geometry()[l];
    const auto channels = static_cast<std::size_t>(g.out_channels);
    const auto in_channels = static_cast<std::size_t>(g.in_channels);
    const auto* base = net_.inputs_begin(l, 0);
    const auto* begin = net_.inputs_begin(l, u);
    const auto* end = net_.inputs_end(l, u);
    Elem* out = &activations_[l][static_cast<std::size_t>(u) * channels];
    if (begin == end) {  // an empty window ("same" padding): the empty product
      for (std::size_t c = 0; c < channels; ++c) ring.one(out[c]);
      return;
    }
    const auto* in = end;
    while (in != begin && (in - 1)->reach >= k) --in;
    Buffer& f = factor_[l];
    for (; in != end; ++in) {
      const Elem* factor = nullptr;
      if (l == 0) {
        factor = net_.first_layer_factor(in->matrix, assignment[in->position]);
      } else {
        const Elem* x = &activations_[l - 1][static_cast<std::size_t>(in->position) * in_channels];
        if (g.pooling) {
          factor = x;
        } else {
          const Elem* w = net_.layer_matrix(l, in->matrix);
          for (std::size_t c = 0; c < channels; ++c) {
            ring.zero(f[c]);
            for (std::size_t i = 0; i < in_channels; ++i) ring.addmul(f[c], w[c * in_channels + i], x[i]);
          }
          factor = &f[0];
        }
      }
      const auto j = static_cast<std::size_t>(in - base);
      Elem* run = &running_[l][j * channels];
      if (in == begin)
        for (std::size_t c = 0; c < channels; ++c) ring.set(run[c], factor[c]);
      else
        for (std::size_t c = 0; c < channels; ++c) ring.mul(run[c], run[c - channels], factor[c]);
    }
    const Elem* product = &running_[l][static_cast<std::size_t>(end - 1 - base) * channels];
    for (std::size_t c = 0; c < channels; ++c) ring.set(out[c], product[c]);
  }

  void compute_output() {
    const Ring& ring = net_.ring();
    const Buffer& top = activations_.back();
    Elem& h = scratch_[0];
    ring.zero(h);
    for (std::size_t c = 0; c < top.size(); ++c) ring.addmul(h, net_.readout()[c], top[c]);
  }

  const CompiledNetwork<Ring>& net_;
  std::vector<Buffer> activations_;
  std::vector<Buffer> running_;  // per layer: running products, one row per unit input
  std::vector<Buffer> factor_;   // per layer: one factor W·x being formed
  Buffer scratch_;               // [0] the output h
};

}  // namespace seprank
