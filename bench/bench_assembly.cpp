// Assembly speed: the incremental odometer assembly against a baseline that runs one full
// forward pass per entry, measured in the same process on the same network.
// usage: bench_assembly            (prints one line per network: entries, times, speed-up)
#include <chrono>
#include <cstdio>

#include "seprank/assemble.hpp"
#include "seprank/layer_spec_parser.hpp"
#include "seprank/matricization.hpp"
#include "seprank/rings.hpp"

using namespace seprank;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Baseline: every entry from scratch (digits decoded, all units evaluated).
double full_pass_per_entry(const PreparedNetwork& net, std::uint64_t prime, std::uint64_t* checksum) {
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights);
  GridEvaluator<NmodRing> eval(compiled);
  std::vector<int> assignment(static_cast<std::size_t>(net.arch.positions()));
  const auto m = static_cast<std::uint64_t>(net.arch.templates);
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t sum = 0;
  for (std::uint64_t r = 0; r < net.rows; ++r)
    for (std::uint64_t c = 0; c < net.cols; ++c) {
      std::uint64_t rr = r, cc = c;
      for (std::size_t t = net.partition.I.size(); t-- > 0; rr /= m) assignment[net.partition.I[t]] = static_cast<int>(rr % m);
      for (std::size_t t = net.partition.J.size(); t-- > 0; cc /= m) assignment[net.partition.J[t]] = static_cast<int>(cc % m);
      eval.evaluate_all(assignment.data());
      sum += eval.value();
    }
  *checksum = sum;
  return seconds(t0);
}

}  // namespace

int main() {
  struct Case {
    const char* input;
    const char* layers;
    const char* partition;
  };
  const Case cases[] = {
      {"4x4", "3/1/2,2/1/2", "left-right"},
      {"4x4", "3/1/4,2/2/4,pool1/1", "odd-even"},
      {"16", "3/1/2,3/1/2,3/1/2,10/1/2", "left-right"},
      {"5x5", "3/1/2,3/1/2", "left-right"},
  };
  const std::uint64_t prime = default_prime;
  std::printf("%-6s %-26s %-10s %10s %12s %12s %8s\n", "input", "layers", "partition", "entries",
              "full pass s", "odometer s", "speedup");
  for (const Case& c : cases) {
    RankRequest r;
    parse_input_shape(c.input, r.arch);
    r.arch.layers = parse_layers(c.layers);
    r.partition = c.partition;
    const PreparedNetwork net = prepare_network(r);
    std::uint64_t baseline_sum = 0;
    const double base = full_pass_per_entry(net, prime, &baseline_sum);
    const auto t0 = std::chrono::steady_clock::now();
    const NmodMatrix m = assemble_mod_p(net, prime, 1);
    const double fast = seconds(t0);
    std::uint64_t sum = 0;
    for (std::int64_t i = 0; i < m.rows(); ++i)
      for (std::int64_t j = 0; j < m.cols(); ++j) sum += m.at(i, j);
    std::printf("%-6s %-26s %-10s %10llu %12.3f %12.3f %7.1fx%s\n", c.input, c.layers, c.partition,
                static_cast<unsigned long long>(net.rows * net.cols), base, fast, base / fast,
                sum == baseline_sum ? "" : "  CHECKSUM MISMATCH");
  }
}
