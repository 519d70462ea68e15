#include "seprank/comparison/real_weights.hpp"

#include <flint/nmod_vec.h>
#include <flint/ulong_extras.h>

#include <cmath>

#include "seprank/assembly/double_ring.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

std::string to_string(RealWeightDistribution d) {
  return d == RealWeightDistribution::uniform ? "uniform" : "gaussian";
}

double unit_interval_double(SplitMix64& rng) {
  return static_cast<double>(rng.next() >> 11) * 0x1.0p-53;  // k < 2^53: both steps exact
}

double symmetric_unit_double(SplitMix64& rng) {
  return 2.0 * unit_interval_double(rng) - 1.0;  // (k − 2^52)·2^-52, representable: exact
}

double standard_gaussian_double(SplitMix64& rng) {
  const double u1 = 1.0 - unit_interval_double(rng);  // (2^53 − k)·2^-53 in (0, 1], exact
  const double u2 = unit_interval_double(rng);
  constexpr double two_pi = 6.283185307179586;  // the double nearest 2π
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

RealNetworkWeights draw_real_weights(const Architecture& arch, const std::vector<LayerGeometry>& geometry,
                                     Representation representation, RealWeightDistribution distribution,
                                     std::uint64_t seed) {
  SplitMix64 rng(seed);
  auto draw = [&] {
    return distribution == RealWeightDistribution::uniform ? symmetric_unit_double(rng)
                                                           : standard_gaussian_double(rng);
  };
  const auto m = static_cast<std::size_t>(arch.templates);
  RealNetworkWeights w;
  w.representation.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m * m; ++i)
    w.representation[i] = representation == Representation::identity ? (i / m == i % m ? 1.0 : 0.0) : draw();
  for (const LayerGeometry& g : geometry) {
    const auto count = static_cast<std::size_t>(g.weight_matrices(arch.sharing)) *
                       static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels);
    std::vector<double> layer(count);
    for (auto& v : layer) v = draw();
    w.layers.push_back(std::move(layer));
  }
  w.readout.resize(static_cast<std::size_t>(geometry.back().out_channels));
  for (auto& v : w.readout) v = draw();
  return w;
}

std::uint64_t dyadic_residue(double x, std::uint64_t prime) {
  if (!std::isfinite(x)) throw Error(exit_internal, "dyadic_residue: the weight is not finite");
  if (prime < 3 || prime % 2 == 0 || prime >= (std::uint64_t{1} << 63))
    throw Error(exit_internal, "dyadic_residue: the modulus must be an odd prime below 2^63");
  if (x == 0) return 0;
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(x), &exponent);  // |x| = fraction·2^exponent
  // fraction in [1/2, 1) has at most 53 significant bits, so fraction·2^53 is an integer < 2^53
  // (subnormals included: frexp normalises them).
  const auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  const int e = exponent - 53;  // |x| = mantissa·2^e exactly
  nmod_t mod;
  nmod_init(&mod, prime);
  const mp_limb_t base = e >= 0 ? 2 : (prime + 1) / 2;  // (p + 1)/2 = 2^{-1} mod p
  const mp_limb_t scale = n_powmod2_ui_preinv(base, static_cast<mp_limb_t>(e >= 0 ? e : -e), mod.n, mod.ninv);
  const mp_limb_t r = nmod_mul(mantissa % prime, scale, mod);
  return x < 0 ? nmod_neg(r, mod) : r;
}

namespace {

template <class Convert>
NetworkWeights convert_weights(const RealNetworkWeights& real, Convert&& convert) {
  auto all = [&](const std::vector<double>& v) {
    std::vector<std::int64_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = convert(v[i]);
    return out;
  };
  NetworkWeights w;
  w.representation = all(real.representation);
  for (const auto& layer : real.layers) w.layers.push_back(all(layer));
  w.readout = all(real.readout);
  return w;
}

}  // namespace

NetworkWeights residue_weights(const RealNetworkWeights& weights, std::uint64_t prime) {
  return convert_weights(weights, [&](double x) { return static_cast<std::int64_t>(dyadic_residue(x, prime)); });
}

NetworkWeights double_weight_codes(const RealNetworkWeights& weights) {
  return convert_weights(weights, [](double x) { return double_weight_code(x); });
}

}  // namespace seprank
