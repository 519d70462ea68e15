#include "seprank/model/network_weights.hpp"

#include "seprank/model/random.hpp"

namespace seprank {

NetworkWeights draw_weights(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                            Representation representation, const WeightDomain& domain,
                            std::uint64_t seed) {
  SplitMix64 rng(seed);
  auto draw = [&]() -> std::int64_t {
    return domain.modular ? static_cast<std::int64_t>(uniform_below(rng, domain.prime))
                          : uniform_symmetric(rng, domain.bound);
  };
  const auto m = static_cast<std::size_t>(arch.templates);
  NetworkWeights w;
  w.representation.assign(m * m, 0);
  for (std::size_t i = 0; i < m * m; ++i)
    w.representation[i] = representation == Representation::identity ? (i / m == i % m) : draw();
  for (const LayerGeometry& g : geometry) {
    const auto count = static_cast<std::size_t>(g.weight_matrices(arch.sharing)) *
                       static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels);
    std::vector<std::int64_t> layer(count);
    for (auto& v : layer) v = draw();
    w.layers.push_back(std::move(layer));
  }
  w.readout.resize(static_cast<std::size_t>(geometry.back().out_channels));
  for (auto& v : w.readout) v = draw();
  return w;
}

}  // namespace seprank
