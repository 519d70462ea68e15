#include "seprank/assemble.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "seprank/matricization.hpp"
#include "seprank/rings.hpp"

namespace seprank {

NmodMatrix assemble_mod_p(const PreparedNetwork& net, std::uint64_t prime, int threads) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights, &plan.input_reach());
  NmodMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), prime);
  auto fill = [&](std::uint64_t begin, std::uint64_t end) {
    assemble_rows(compiled, plan, begin, end, net.partition.vary_I.size(),
                  [&](std::uint64_t r, std::uint64_t c, mp_limb_t v) {
                    matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)) = v;
                  });
  };
  // Rows are independent and written to disjoint memory, so a row split needs no locking
  // and the result does not depend on the number of threads.
  const auto parts = static_cast<std::uint64_t>(std::clamp<std::uint64_t>(
      static_cast<std::uint64_t>(std::max(threads, 1)), 1, net.rows));
  std::vector<std::thread> workers;
  for (std::uint64_t t = 1; t < parts; ++t)
    workers.emplace_back(fill, net.rows * t / parts, net.rows * (t + 1) / parts);
  fill(0, net.rows / parts);
  for (auto& w : workers) w.join();
  return matrix;
}

FmpzMatrix assemble_integers(const PreparedNetwork& net) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<FmpzRing> compiled(FmpzRing{}, net.arch, net.geometry, net.weights, &plan.input_reach());
  FmpzMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols));
  // Single-threaded: fmpz may allocate through FLINT's memory pool.
  assemble_rows(compiled, plan, 0, net.rows, net.partition.vary_I.size(),
                [&](std::uint64_t r, std::uint64_t c, const fmpz& v) {
                  fmpz_set(matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)), &v);
                });
  return matrix;
}

}  // namespace seprank
