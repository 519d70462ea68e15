// The table assembly (assemble_mod_p_by_tables) must equal the odometer (assemble_rows_parallel,
// what assemble_mod_p runs), entry by entry: on every network shape the test suite uses, under
// every sharing mode, both paddings, several partitions, --vary subsets and fixed templates,
// M = 2 and 3, primes from 2 to 2^63 - 25 (both arithmetic paths and the boundary between
// them), with the block size chosen automatically and forced (every leading digit fixed, none,
// and in between, so that the per-block caching and the odometer over fixed digits are
// exercised), on 1 to 3 threads; then on random architectures.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "seprank/assembly/matricization.hpp"
#include "seprank/assembly/rings.hpp"
#include "seprank/assembly/table_assembly.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/rank/rank_request.hpp"
#include "seprank/support/errors.hpp"

using namespace seprank;

namespace {

// Both sides of the boundary at 2^26 between doubles and Montgomery words, the fast prime, a
// prime near 2^25, the default prime and the largest prime below 2^63.
const std::uint64_t primes[] = {2,        3,        1000003,           8388593,             33554393,
                                67108859, 67108879, default_prime, 9223372036854775783ULL};

// The reference: the odometer (what assemble_mod_p ran before the table assembly), called
// directly so that it stays the reference whichever method assemble_mod_p uses.
NmodMatrix odometer(const PreparedNetwork& net, std::uint64_t prime, int threads) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights, &plan.input_reach());
  NmodMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), prime);
  assemble_rows_parallel(compiled, plan, net.rows, net.partition.vary_I.size(), threads,
                         [&](std::uint64_t r, std::uint64_t c, mp_limb_t v) {
                           matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)) = v;
                         });
  return matrix;
}

constexpr std::uint64_t max_test_entries = std::uint64_t{1} << 14;

struct Network {
  std::string input, layers;
  int m = 2;
  Sharing sharing = Sharing::conv;
  Padding padding = Padding::valid;
  std::string partition = "left-right", vary = "all", fixed = "0";
  Representation representation = Representation::random;
  std::uint64_t seed = 1;
};

RankRequest request_of(const Network& n, std::uint64_t prime) {
  RankRequest r;
  parse_input_shape(n.input, r.arch);
  r.arch.templates = n.m;
  r.arch.layers = parse_layers(n.layers);
  r.arch.sharing = n.sharing;
  r.arch.padding = n.padding;
  r.partition = n.partition;
  r.vary = n.vary;
  r.fixed_templates = n.fixed;
  r.prime = prime;
  r.seed = n.seed;
  r.representation = n.representation;
  return r;
}

std::string describe(const Network& n, std::uint64_t prime) {
  return n.input + " " + n.layers + " M=" + std::to_string(n.m) + " " + to_string(n.sharing) + " " +
         to_string(n.padding) + " partition " + n.partition + " vary " + n.vary + " fixed " + n.fixed +
         (n.representation == Representation::identity ? " F identity" : "") + " seed " + std::to_string(n.seed) +
         " p " + std::to_string(prime);
}

// Entries where the two matrices differ (or -1 when the shapes differ).
std::int64_t mismatches(const NmodMatrix& a, const NmodMatrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return -1;
  std::int64_t bad = 0;
  for (std::int64_t i = 0; i < a.rows(); ++i)
    for (std::int64_t j = 0; j < a.cols(); ++j) bad += a.at(i, j) != b.at(i, j);
  return bad;
}

// Makes the network small enough: "auto", then a random subset of at most `per_side` varying
// positions on each side. False when the network is invalid (the model refuses it).
bool shrink(Network& n, std::mt19937_64& rng, int per_side = 6) {
  PreparedNetwork shape;
  try {
    shape = prepare_network_shape(request_of(n, 1000003));
  } catch (const Error&) {
    return false;
  }
  if (shape.rows * shape.cols <= max_test_entries) return true;
  if (n.vary == "all") {
    n.vary = "auto";
    try {
      shape = prepare_network_shape(request_of(n, 1000003));
      if (shape.rows * shape.cols <= max_test_entries) return true;
    } catch (const Error&) {
    }
  }
  std::vector<int> in_i = shape.partition.I, in_j = shape.partition.J;
  std::shuffle(in_i.begin(), in_i.end(), rng);
  std::shuffle(in_j.begin(), in_j.end(), rng);
  int k = per_side;
  while (k > 1 && (static_cast<double>(k) * 2 * std::log2(static_cast<double>(n.m)) > 14)) --k;
  in_i.resize(std::min<std::size_t>(in_i.size(), static_cast<std::size_t>(k)));
  in_j.resize(std::min<std::size_t>(in_j.size(), static_cast<std::size_t>(k)));
  std::string spec = "indices:";
  for (std::size_t t = 0; t < in_i.size() + in_j.size(); ++t)
    spec += (t ? "," : "") + std::to_string(t < in_i.size() ? in_i[t] : in_j[t - in_i.size()]);
  n.vary = spec;
  try {
    shape = prepare_network_shape(request_of(n, 1000003));
  } catch (const Error&) {
    return false;
  }
  return shape.rows * shape.cols <= (max_test_entries << 2);
}

// The odometer against the tables: automatic block size on 1 and 2 threads, and forced numbers
// of fixed digits (none, one, half, all but one, all; at most 2^12 blocks, so that the large
// matrices stay quick) on 1 to 3 threads. Returns the assemblies compared.
int compare(const Network& n, std::uint64_t prime) {
  const std::string what = describe(n, prime);
  CAPTURE(what);
  const PreparedNetwork net = prepare_network(request_of(n, prime));
  REQUIRE(table_assembly_applies(net, prime));
  const NmodMatrix reference = odometer(net, prime, 1);
  const int digits = static_cast<int>(net.partition.vary_I.size() + net.partition.vary_J.size());
  int runs = 0;
  for (int threads : {1, 2}) {
    const NmodMatrix tables = assemble_mod_p_by_tables(net, prime, threads);
    CHECK(mismatches(reference, tables) == 0);
    ++runs;
  }
  const int forced[] = {0, 1, digits / 2, digits - 1, digits};
  for (std::size_t k = 0; k < std::size(forced); ++k) {
    if (forced[k] < 0 || forced[k] > digits || forced[k] > 12) continue;
    TableAssemblyOptions options;
    options.fixed_digits = forced[k];
    options.threads = 1 + static_cast<int>(k % 3);
    const int f = forced[k];
    CAPTURE(f);
    const NmodMatrix tables = assemble_mod_p_by_tables(net, prime, options);
    CHECK(mismatches(reference, tables) == 0);
    ++runs;
  }
  return runs;
}

// Every architecture the other test files, the theorem files' instances and the benchmarks use
// (input, layers), the refused ones left out.
const std::pair<const char*, const char*> suite_shapes[] = {
    {"1x5", "2/1/2,5/5/1"}, {"2", "2/1/1"}, {"2", "2/1/2"}, {"2x2", "2/1/1"}, {"2x7", "3/1/2,7/7/1"},
    {"2x7", "3/2/2,4/4/1"}, {"3", "2/2/1,2/2/1"}, {"3x3", "2/1/2,2/1/1"}, {"3x3", "2/1/2,2/1/2"},
    {"3x3", "2/1/3,pool2/1"}, {"3x3", "3/1/2"}, {"3x3", "pool2/1,2/1/2"}, {"3x5", "2/1/2,5/5/1"},
    {"3x5", "3/1/2,5/5/1"}, {"3x5", "3/2/2,2/2/2,2/2/1"}, {"3x5", "3/2/2,3/3/1"}, {"3x5", "3/2/3,pool3/3"},
    {"4", "1/1/2,pool2/2,2/1/1"}, {"4", "2/1/2,2/1/2,4/4/1"}, {"4", "2/1/2,3/1/1"}, {"4", "2/1/3,2/1/3,2/1/1"},
    {"4", "2/1/3,3/1/2"}, {"4", "2/2/3,2/2/1"}, {"4x4", "2/1/2,3/1/2"}, {"4x4", "2/2/2,2/2/2"},
    {"4x4", "2/2/2,2/2/3"}, {"4x4", "2/2/3,2/2/2"}, {"4x4", "2/2/4,2/2/2"}, {"4x4", "2/2/4,2/2/3"},
    {"4x4", "2/2/4,2/2/5"}, {"4x4", "2/2/4,2/2/6"}, {"4x4", "3/1/2,2/1/3"}, {"4x4", "3/1/2,2/2/2,pool2/2"},
    {"4x4", "3/2/2"}, {"4x4", "pool2/2,2/2/2"}, {"4x4", "pool2/2,2/2/3"}, {"5", "2/1/2,4/1/1"},
    {"5", "2/2/3,pool3/3"}, {"5", "3/1/2,3/1/2"}, {"5", "5/1/4"}, {"5x1", "2/1/2,5/5/1"},
    {"5x3", "2/1/2,3/3/2,pool2/2"}, {"5x3", "2/1/2,5/5/1"}, {"5x3", "3/2/2,3/3/1"}, {"5x3", "3/3/2"},
    {"5x5", "2/1/2,2/1/2,3/1/1"}, {"5x5", "3/1/2,3/1/2"}, {"5x5", "3/2/2,2/1/1"}, {"5x5", "3/2/2,3/3/1"},
    {"6", "2/1/3,5/1/2"}, {"6", "2/2/3,3/1/1"}, {"6", "2/2/3,3/1/2"}, {"6", "3/1/2,4/1/2"},
    {"6", "3/1/2,4/1/3"}, {"6", "pool2/2,3/1/1"}, {"6x4", "3/1/2,6/6/1"}, {"7", "2/1/2,6/1/1"},
    {"7", "3/1/2,5/1/1"}, {"7", "3/1/3,5/1/2"}, {"7", "3/2/2,3/1/1"}, {"7", "3/2/2,3/1/2"},
    {"7", "3/2/2,pool2/2,2/2/1"}, {"7", "3/2/2,pool2/2,2/2/2"}, {"7x2", "3/1/2,7/7/1"}, {"7x7", "3/1/2,7/7/1"},
    {"7x7", "3/2/2,3/1/1"}, {"7x7", "4/3/2,3/3/1"}, {"8", "2/1/2,7/1/2"}, {"8", "2/2/1,2/2/2,2/2/1"},
    {"8", "2/2/2,2/2/2,2/2/1"}, {"8", "2/2/2,2/2/2,2/2/2"}, {"8", "2/2/2,4/1/1"}, {"8", "2/2/2,4/4/3"},
    {"8", "2/2/3,2/2/3,2/2/2"}, {"8", "2/2/3,2/2/3,2/2/5"}, {"8", "2/2/3,2/2/5,2/2/5"},
    {"8", "2/2/4,2/2/4,2/2/1"}, {"8", "2/2/4,2/2/4,2/2/3"}, {"8", "2/2/5,2/2/1,2/2/1"}, {"8", "3/1/2,6/1/1"},
    {"8", "3/1/2,6/1/2"}, {"8", "3/1/2,pool2/2,2/1/2,2/1/1"}, {"8", "3/2/2,3/1/1"}, {"9", "3/1/2,7/1/1"},
    {"9", "3/1/2,9/9/1"}, {"9", "3/2/2,4/1/1"}, {"9", "4/2/2,5/5/1"},
    // command lines of the CLI tests
    {"12x12", "3/1/2,10/1/1"}, {"20", "2/1/2,19/1/1"}, {"2x4", "2/2/2,2/2/1"}, {"2x6", "2/2/3,pool3/3"},
    {"3", "1/1/1000,1/1/1000,3/1/1"}, {"30", "2/2/2,15/1/1"}, {"3x3", "2/1/3,2/1/2"}, {"3x3", "3/2/2,2/2/2"},
    {"3x4", "2/1/2,2/2/2"}, {"4", "2/2/2,2/2/1"}, {"4", "4/1/1"}, {"4x4", "1/1/2,pool2/2,2/2/2"},
    {"4x4", "1/1/2,pool2/2,2/2/3"}, {"4x4", "2/1/2,2/1/2,2/1/2"}, {"4x4", "2/1/2,pool3/1"}, {"4x4", "2/1/3,3/1/1"},
    {"4x4", "2/2/2,2/2/16"}, {"4x4", "3/1/2,2/1/2"}, {"4x4", "3/1/4,2/2/4,pool1/1"}, {"4x4", "pool2/1,2/1/2,2/1/1"},
    {"5", "2/1/2,4/1/2"}, {"5", "3/1/2,5/5/1"}, {"5x205", "5/1/2,1/1/1,pool1/201"}, {"6", "2/1/4,pool2/1,4/1/2"},
    {"6", "3/2/2,3/2/2,2/2/1"}, {"6", "6/1/2"}, {"6", "6/1/3"}, {"6", "6/1/5"}, {"6x6", "1/1/2,6/1/2"},
    {"6x6", "2/2/1,pool3/3"}, {"6x6", "3/1/2,3/1/2,2/1/2"}, {"7", "3/1/2,pool5/1"}, {"8", "2/1/2,pool2/1,pool2/1,5/1/1"},
    {"8", "2/1/2,pool3/1,5/1/1"}, {"8", "2/1/3,2/1/2,2/1/2,5/1/1"}, {"8", "2/2/2,2/2/1,2/2/3"}, {"8", "3/1/2"},
    {"8", "3/1/2,3/1/2,4/1/1"}, {"8", "4/1/3,5/1/2"}, {"8", "9/1/2"}, {"8", "pool2/2,2/2/2,2/2/1"},
    {"8", "pool2/2,2/2/3,pool2/2"}, {"8", "pool3/1,3/1/2,4/1/1"}, {"8x8", "2/2/2,2/2/2,2/2/2"},
    {"8x8", "3/1/2,3/1/2,3/1/2,2/1/2"}, {"8x8", "3/1/2,3/1/2,4/1/1"}, {"8x8", "3/1/2,6/1/2"}, {"9", "3/2/2,4/1/2"},
    {"64x64", "64/1/2"}, {"33x33", "33/1/1"}, {"1025", "1025/1/1"},
    // theorem files' instances (C4 at H = 6 and 8, C2/C3 stacks, pooling families), benchmarks
    {"6x6", "3/1/2,2/2/2,2/1/2"}, {"8x8", "3/1/2,2/2/2,3/1/2"}, {"6x6", "3/1/3,2/2/3,2/1/3"},
    {"12", "3/1/2,3/1/2,8/1/2"}, {"16", "3/1/2,3/1/2,3/1/2,10/1/2"}, {"24", "3/1/2,3/1/2,3/1/2,18/1/2"},
    {"6x6", "3/1/4,3/1/4,2/1/4"}, {"8", "2/2/4,2/2/16,2/2/3"}, {"9", "3/3/2,3/3/2"}, {"8", "3/1/2,3/1/2,pool4/4"},
    {"16", "2/2/2,2/2/4,2/2/4,2/2/1"}, {"10", "3/1/2,8/1/1"}, {"6x6", "3/1/2,4/1/3"},
};

}  // namespace

TEST_CASE("table assembly equals the odometer on every network shape of the test suite") {
  std::mt19937_64 rng(14);
  const Sharing sharings[] = {Sharing::conv, Sharing::local, Sharing::one_by_one};
  const char* partitions[] = {"left-right", "odd-even", "top-bottom"};
  int networks = 0, assemblies = 0, refused = 0, next_prime = 0;
  for (const auto& [input, layers] : suite_shapes)
    for (int variant = 0; variant < 6; ++variant) {
      Network n;
      n.input = input;
      n.layers = layers;
      n.sharing = sharings[variant % 3];
      n.padding = variant % 2 ? Padding::same : Padding::valid;
      n.partition = partitions[variant % 3];
      n.m = variant == 5 ? 3 : 2;
      n.seed = static_cast<std::uint64_t>(variant + 1);
      if (variant == 4) n.representation = Representation::identity;
      if (variant == 3) n.fixed = "1";
      if (!shrink(n, rng)) {
        ++refused;
        continue;
      }
      assemblies += compare(n, primes[next_prime++ % std::size(primes)]);
      ++networks;
    }
  MESSAGE(networks << " networks, " << assemblies << " table assemblies, " << refused << " variants refused by the model");
  CHECK(networks > 400);
}

TEST_CASE("table assembly equals the odometer under --vary, masks and fixed templates, on every prime") {
  struct Case {
    const char* input;
    const char* layers;
    const char* partition;
    const char* vary;
    const char* fixed;
    int m = 2;
    Padding padding = Padding::valid;
    Sharing sharing = Sharing::conv;
  };
  // test_assembly_reference.cpp's submatrices, the C4 strip at H = 6 (both claims' masks) and
  // the benchmarks' 6x6 strip shrunk to 2^14 entries.
  const Case cases[] = {
      {"8", "3/1/2,6/1/2", "left-right", "indices:2,3,4,5", "1"},
      {"8", "2/1/2,7/1/2", "left-right", "auto", "0"},
      {"4x4", "2/1/2,3/1/2", "left-right", "auto", "0110100110010110"},
      {"4x4", "2/2/2,2/2/2", "odd-even", "mask:1100110000000000", "1"},
      {"5x5", "3/1/2,3/1/2", "left-right", "mask:0110001100011000110001100", "0"},
      {"3x5", "3/1/2,5/5/1", "left-right", "auto", "0", 2, Padding::same},
      {"5x3", "2/1/2,5/5/1", "top-bottom", "auto", "010101010101010", 2, Padding::same},
      {"5x3", "2/1/2,5/5/1", "left-right", "auto", "1", 2, Padding::same},
      {"7", "2/1/2,6/1/1", "top-bottom", "auto", "1"},
      {"9", "4/2/2,5/5/1", "left-right", "auto", "012012012", 3, Padding::same},
      {"7x7", "3/2/2,3/1/1", "left-right", "indices:17,2,3,9,10,16", "1"},
      {"5x5", "3/2/2,2/1/1", "left-right", "auto", "1"},
      {"3x5", "2/1/2,5/5/1", "odd-even", "mask:110000000011000", "012012012012012", 3, Padding::same},
      {"2x7", "3/1/2,7/7/1", "left-right", "auto", "0", 2, Padding::same},
      {"6", "pool2/2,3/1/1", "left-right", "auto", "1"},
      {"8", "3/1/2,6/1/2", "odd-even", "mask:01111110", "10011001"},
      {"6x6", "3/1/2,2/2/2,2/1/2", "left-right", "mask:011110011110011110011110000000000000", "0"},
      {"6x6", "3/1/2,2/2/2,2/1/2", "left-right", "mask:011110011110011110011110000000001100", "0"},
      {"6x6", "3/1/2,3/1/2,2/1/2", "left-right", "mask:001100011110011110011110001100000000", "1"},
      {"6x6", "3/1/2,3/1/2,2/1/2", "odd-even", "mask:000000011110011110011110011110000000", "0", 2, Padding::valid,
       Sharing::local},
      {"8x8", "3/1/2,2/2/2,3/1/2", "left-right",
       "mask:0000000000111100001111000011110000000000000000000000000000011000", "0"},
      {"8x8", "3/1/2,2/2/2,3/1/2", "left-right",
       "mask:0011110000111100001111000000000000000000000000000000000000000000", "0", 2, Padding::valid,
       Sharing::one_by_one},
  };
  int assemblies = 0;
  for (const Case& c : cases)
    for (std::uint64_t prime : primes) {
      Network n;
      n.input = c.input;
      n.layers = c.layers;
      n.partition = c.partition;
      n.vary = c.vary;
      n.fixed = c.fixed;
      n.m = c.m;
      n.padding = c.padding;
      n.sharing = c.sharing;
      n.seed = prime % 1000;
      assemblies += compare(n, prime);
    }
  CHECK(assemblies >= static_cast<int>(std::size(cases) * std::size(primes)) * 6);
}

TEST_CASE("table assembly equals the odometer on random architectures") {
  std::mt19937_64 rng(20240514);
  auto pick = [&](int lo, int hi) { return static_cast<int>(std::uniform_int_distribution<int>(lo, hi)(rng)); };
  int networks = 0, attempts = 0;
  while (networks < 600 && attempts < 40000) {
    ++attempts;
    Network n;
    const bool two_d = pick(0, 1) == 1;
    const int h = two_d ? pick(2, 7) : 1, w = pick(2, two_d ? 7 : 16);
    n.input = two_d ? std::to_string(h) + "x" + std::to_string(w) : std::to_string(w);
    n.m = pick(0, 3) == 0 ? 3 : 2;
    n.sharing = static_cast<Sharing>(pick(0, 2));
    n.padding = pick(0, 2) == 0 ? Padding::same : Padding::valid;
    n.representation = pick(0, 4) == 0 ? Representation::identity : Representation::random;
    n.seed = static_cast<std::uint64_t>(pick(1, 1000000));
    // Layers: a few local ones (GC or pool), then a global GC or pool layer.
    int ch = h, cw = w;
    std::string layers;
    const int depth = pick(0, 3);
    for (int d = 0; d < depth; ++d) {
      const int r = pick(1, 3), s = pick(1, 3);
      if (n.padding == Padding::valid && (r > cw || (two_d && r > ch))) break;
      const bool pool = pick(0, 3) == 0;
      layers += (layers.empty() ? "" : ",") +
                (pool ? "pool" + std::to_string(r) + "/" + std::to_string(s)
                      : std::to_string(r) + "/" + std::to_string(s) + "/" + std::to_string(pick(1, 3)));
      if (n.padding == Padding::valid) {
        cw = (cw - r) / s + 1;
        if (two_d) ch = (ch - r) / s + 1;
      } else {
        cw = (cw + s - 1) / s;
        if (two_d) ch = (ch + s - 1) / s;
      }
    }
    const int global = std::max(ch, cw);
    const bool pool_top = pick(0, 4) == 0;
    layers += (layers.empty() ? "" : ",") +
              (pool_top ? "pool" + std::to_string(global) + "/" + std::to_string(global)
                        : std::to_string(global) + "/" + std::to_string(global) + "/" + std::to_string(pick(1, 3)));
    n.layers = layers;
    const int positions = h * w;
    switch (pick(0, 3)) {
      case 0: n.partition = "left-right"; break;
      case 1: n.partition = "odd-even"; break;
      case 2: n.partition = "top-bottom"; break;
      default: {
        std::string mask(static_cast<std::size_t>(positions), '0');
        for (char& c : mask) c = pick(0, 1) ? '1' : '0';
        n.partition = "mask:" + mask;
      }
    }
    if (pick(0, 1)) {
      std::string fixed(static_cast<std::size_t>(positions), '0');
      for (char& c : fixed) c = static_cast<char>('0' + pick(0, n.m - 1));
      n.fixed = fixed;
    }
    if (pick(0, 2) == 0) {
      std::string mask(static_cast<std::size_t>(positions), '0');
      for (char& c : mask) c = pick(0, 2) ? '1' : '0';
      n.vary = "mask:" + mask;
    }
    if (!shrink(n, rng, pick(2, 7))) continue;
    const std::uint64_t prime = primes[static_cast<std::size_t>(pick(0, static_cast<int>(std::size(primes)) - 1))];
    compare(n, prime);
    ++networks;
  }
  CHECK(networks == 600);
}

TEST_CASE("table assembly: the plan fits its working set and covers the matrix, whatever the thread count") {
  Network n;
  n.input = "6x6";
  n.layers = "3/1/2,3/1/2,2/1/2";
  n.vary = "mask:011110011110011110011110000000000000";
  for (std::uint64_t prime : {std::uint64_t{8388593}, default_prime}) {
    const PreparedNetwork net = prepare_network(request_of(n, prime));
    const NmodMatrix reference = odometer(net, prime, 1);
    for (std::size_t working_set : {std::size_t{0}, std::size_t{1} << 12, std::size_t{1} << 20})
      for (int threads : {1, 3, 1000}) {
        TableAssemblyOptions options;
        options.threads = threads;
        options.working_set_bytes = working_set;
        const TableAssemblyPlanInfo info = table_assembly_plan(net, prime, options);
        CAPTURE(working_set);
        CAPTURE(threads);
        CHECK(info.digits == 16);
        CHECK(info.blocks * info.block_entries == net.rows * net.cols);
        CHECK(info.threads == std::min<std::uint64_t>(static_cast<std::uint64_t>(threads), info.blocks));
        CHECK(info.doubles == (prime < (1u << 26)));
        if (working_set >= (std::size_t{1} << 20)) CHECK(info.bytes_per_thread <= working_set);
        CHECK(mismatches(reference, assemble_mod_p_by_tables(net, prime, options)) == 0);
      }
  }
}

TEST_CASE("table assembly applies to every prime below 2^63 and to nothing else") {
  Network n;
  n.input = "4";
  n.layers = "2/1/2,3/1/1";
  const PreparedNetwork net = prepare_network(request_of(n, 1000003));
  for (std::uint64_t prime : primes) CHECK(table_assembly_applies(net, prime));
  CHECK_FALSE(table_assembly_applies(net, 0));
  CHECK_FALSE(table_assembly_applies(net, 1));
  CHECK_FALSE(table_assembly_applies(net, std::uint64_t{1} << 63));
  // One template: a 1 x 1 matrix whatever the number of positions.
  Network one = n;
  one.input = "40";
  one.layers = "3/1/2,38/1/1";
  one.m = 1;
  const PreparedNetwork single = prepare_network(request_of(one, 1000003));
  REQUIRE(table_assembly_applies(single, 1000003));
  CHECK(mismatches(odometer(single, 1000003, 1), assemble_mod_p_by_tables(single, 1000003, 2)) == 0);
}
