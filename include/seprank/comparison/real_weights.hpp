// Real weights as doubles, drawn from the project's generator with a library-independent
// mapping, and their exact reduction modulo p (docs/float-comparison.md). A double is a dyadic
// rational m·2^e, so the network the floats evaluate is a rational network whose exact rank
// seprank can bound from below modulo any odd prime.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/network_weights.hpp"
#include "seprank/model/random.hpp"

namespace seprank {

enum class RealWeightDistribution { uniform, gaussian };

std::string to_string(RealWeightDistribution d);  // "uniform", "gaussian"

// (x >> 11)·2^-53 for the next draw x: uniform on the 2^53 multiples of 2^-53 in [0, 1), exact.
double unit_interval_double(SplitMix64& rng);

// 2u − 1 for u = unit_interval_double: the multiples of 2^-52 in [−1, 1), exact.
double symmetric_unit_double(SplitMix64& rng);

// Box–Muller from two draws: u1 = 1 − unit_interval_double (in (0, 1]), then
// u2 = unit_interval_double, z = sqrt(−2·log u1)·cos(2π·u2). Uses the C library's log, cos and
// sqrt: sqrt is exact (correctly rounded) but log and cos may differ in the last bit between
// C libraries, so gaussian weights are reproducible per platform, not provably across them.
double standard_gaussian_double(SplitMix64& rng);

// The same layout as NetworkWeights (network_weights.hpp), with doubles.
struct RealNetworkWeights {
  std::vector<double> representation;        // F, M×M row-major
  std::vector<std::vector<double>> layers;   // per layer: its matrices, each C_l×C_{l-1} row-major
  std::vector<double> readout;               // a, length C_L
};

// Draws in the order of draw_weights (F unless identity, each GC layer's matrices, the
// readout) from one SplitMix64(seed); an identity F is exactly 1.0 and 0.0.
RealNetworkWeights draw_real_weights(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                                     Representation representation, RealWeightDistribution distribution,
                                     std::uint64_t seed);

// The residue in [0, p) of the rational number x exactly: x = ±m·2^e with m < 2^53 an integer,
// so x ≡ ±(m mod p)·(2^{-1})^{-e} (e < 0) or ±(m mod p)·2^e (e >= 0). `prime` must be an odd
// prime (2 must be invertible) and x finite; otherwise an internal error (callers check).
std::uint64_t dyadic_residue(double x, std::uint64_t prime);

// Every weight reduced with dyadic_residue: the weights of the same rational network over GF(p).
NetworkWeights residue_weights(const RealNetworkWeights& weights, std::uint64_t prime);

// Every weight as its bit pattern (double_weight_code), for the DoubleRing evaluator.
NetworkWeights double_weight_codes(const RealNetworkWeights& weights);

}  // namespace seprank
