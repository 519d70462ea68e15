#include "seprank/assembly/assemble.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "seprank/assembly/matricization.hpp"
#include "seprank/support/progress.hpp"
#include "seprank/assembly/rings.hpp"
#include "seprank/assembly/table_assembly.hpp"

namespace seprank {

NmodMatrix assemble_mod_p(const PreparedNetwork& net, std::uint64_t prime, const ExecutionContext& context) {
  if (net.exact) {  // given integers of any size: their residues mod this prime
    PreparedNetwork at_prime = net;
    at_prime.exact = nullptr;
    at_prime.weights = net.exact->residues(prime, "");
    return assemble_mod_p(at_prime, prime, context);
  }
  if (!table_assembly_applies(net, prime)) return assemble_mod_p_by_odometer(net, prime, context);
  Progress progress("assembly", net.rows, "rows", context.display());
  TableAssemblyOptions options;
  options.threads = std::max(context.threads, 1);
  options.progress = &progress;
  return assemble_mod_p_by_tables(net, prime, options);
}

NmodMatrix assemble_mod_p_by_odometer(const PreparedNetwork& net, std::uint64_t prime, const ExecutionContext& context) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights, &plan.input_reach());
  NmodMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), prime);
  Progress progress("assembly", net.rows, "rows", context.display());
  assemble_rows_parallel(
      compiled, plan, net.rows, net.partition.vary_I.size(), context.threads,
      [&](std::uint64_t r, std::uint64_t c, mp_limb_t v) {
        matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)) = v;
      },
      &progress);
  return matrix;
}

FmpzMatrix assemble_integers(const PreparedNetwork& net, const ExecutionContext& context) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<FmpzRing> compiled(FmpzRing{}, net.arch, net.geometry, net.weights, &plan.input_reach());
  FmpzMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols));
  Progress progress("assembly over Z", net.rows, "rows", context.display());
  // Single-threaded: fmpz may allocate through FLINT's memory pool.
  assemble_rows(
      compiled, plan, 0, net.rows, net.partition.vary_I.size(),
      [&](std::uint64_t r, std::uint64_t c, const fmpz& v) {
        fmpz_set(matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)), &v);
      },
      &progress);
  return matrix;
}

}  // namespace seprank
