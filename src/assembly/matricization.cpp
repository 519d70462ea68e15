#include "seprank/assembly/matricization.hpp"

namespace seprank {

std::uint64_t checked_power(std::uint64_t base, std::size_t exponent) {
  constexpr std::uint64_t limit = std::uint64_t{1} << 62;
  std::uint64_t result = 1;
  for (std::size_t i = 0; i < exponent; ++i) {
    if (base != 0 && result > limit / base) return 0;
    result *= base;
  }
  return result;
}

AssemblyPlan::AssemblyPlan(const std::vector<LayerGeometry>& geometry, const Partition& partition) {
  digit_positions_ = partition.vary_I;
  digit_positions_.insert(digit_positions_.end(), partition.vary_J.begin(), partition.vary_J.end());
  base_assignment_ = partition.fixed_templates;
  // Positions held fixed get reach -1: no odometer step ever changes them.
  std::vector<int> digit_of(partition.fixed_templates.size(), -1);
  for (std::size_t t = 0; t < digit_positions_.size(); ++t)
    digit_of[static_cast<std::size_t>(digit_positions_[t])] = static_cast<int>(t);

  // reach[u] = the least significant (largest) digit index that unit u depends on;
  // a change starting at digit k touches u exactly when reach[u] >= k.
  std::vector<std::vector<int>> reach_by_layer;
  reach_by_layer.reserve(geometry.size());  // `below` points into it
  const std::vector<int>* below = &digit_of;
  for (const LayerGeometry& g : geometry) {
    input_reach_.push_back(*below);
    std::vector<int> reach(static_cast<std::size_t>(g.units()), -1);
    for (int u = 0; u < g.units(); ++u)
      for (int k = 0; k < g.offsets(); ++k) {
        const int pos = g.input_of(u, k);
        if (pos >= 0) {
          int& r = reach[static_cast<std::size_t>(u)];
          r = std::max(r, (*below)[static_cast<std::size_t>(pos)]);
        }
      }
    std::vector<int> order(reach.size());
    for (std::size_t u = 0; u < order.size(); ++u) order[u] = static_cast<int>(u);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return reach[static_cast<std::size_t>(a)] > reach[static_cast<std::size_t>(b)];
    });
    units_by_reach_.push_back(std::move(order));
    reach_by_layer.push_back(std::move(reach));
    below = &reach_by_layer.back();
  }
  counts_.assign(digit_positions_.size(), std::vector<std::size_t>(geometry.size(), 0));
  for (std::size_t k = 0; k < digit_positions_.size(); ++k)
    for (std::size_t l = 0; l < geometry.size(); ++l)
      for (int r : reach_by_layer[l])
        if (r >= static_cast<int>(k)) ++counts_[k][l];
}

}  // namespace seprank
