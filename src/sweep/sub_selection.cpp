#include "seprank/sweep/sub_selection.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace seprank {

namespace {

// The largest k with m^k <= limit, at most `cap`.
int digits_within(std::uint64_t m, std::uint64_t limit, int cap) {
  int k = 0;
  std::uint64_t size = 1;
  while (k < cap && size <= limit / m) {
    size *= m;
    ++k;
  }
  return k;
}

std::uint64_t power(std::uint64_t m, int k) {
  std::uint64_t p = 1;
  for (int i = 0; i < k; ++i) p *= m;  // callers keep m^k <= side_limit
  return p;
}

// The k positions of `side` nearest `other` (Chebyshev distance; ties: lower index).
std::vector<int> nearest(const std::vector<int>& side, const std::vector<int>& other, int width, int k) {
  std::vector<std::pair<int, int>> by_distance;  // (distance, position)
  for (int p : side) {
    int best = 1 << 30;
    for (int q : other)
      best = std::min(best, std::max(std::abs(p / width - q / width), std::abs(p % width - q % width)));
    by_distance.emplace_back(best, p);
  }
  std::sort(by_distance.begin(), by_distance.end());
  std::vector<int> out;
  for (int t = 0; t < k; ++t) out.push_back(by_distance[static_cast<std::size_t>(t)].second);
  return out;
}

}  // namespace

SubSelection sub_selection(const Architecture& arch, const Partition& partition, std::uint64_t side_limit) {
  const auto m = static_cast<std::uint64_t>(arch.templates);
  if (m < 1 || side_limit < m) throw std::invalid_argument("sub_selection: needs M >= 1 and side_limit >= M");
  const int size_i = static_cast<int>(partition.I.size()), size_j = static_cast<int>(partition.J.size());
  SubSelection s;
  if (m == 1) {  // a 1 x 1 matrix
    s.vary_I = size_i;
    s.vary_J = size_j;
    s.rows = s.cols = 1;
    return s;
  }
  s.vary_I = digits_within(m, side_limit, size_i);
  s.vary_J = digits_within(m, side_limit, size_j);
  s.rows = power(m, s.vary_I);
  s.cols = power(m, s.vary_J);
  if (s.vary_I == size_i && s.vary_J == size_j) return s;
  std::vector<int> varying = nearest(partition.I, partition.J, arch.width, s.vary_I);
  const std::vector<int> from_j = nearest(partition.J, partition.I, arch.width, s.vary_J);
  varying.insert(varying.end(), from_j.begin(), from_j.end());
  std::sort(varying.begin(), varying.end());
  s.vary = "indices:";
  for (std::size_t t = 0; t < varying.size(); ++t) s.vary += (t ? "," : "") + std::to_string(varying[t]);
  return s;
}

}  // namespace seprank
