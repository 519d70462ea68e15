#include "seprank/model/given_weights.hpp"

#include <flint/flint.h>
#include <flint/fmpq.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// An fmpz owned for one scope.
struct OwnedFmpz {
  fmpz_t v;
  OwnedFmpz() { fmpz_init(v); }
  OwnedFmpz(const OwnedFmpz&) = delete;
  OwnedFmpz& operator=(const OwnedFmpz&) = delete;
  ~OwnedFmpz() { fmpz_clear(v); }
};

std::string decimal(const fmpz* value) {
  std::unique_ptr<char, void (*)(void*)> text(fmpz_get_str(nullptr, 10, value), flint_free);
  return text.get();
}

}  // namespace

GivenWeights::GivenWeights(const Architecture& arch, const std::vector<LayerGeometry>& geometry) {
  start_.push_back(0);
  auto add = [&](std::size_t count, int rows, int cols) {
    start_.push_back(start_.back() + count);
    rows_.push_back(rows);
    cols_.push_back(cols);
  };
  const auto m = static_cast<std::size_t>(arch.templates);
  add(m * m, arch.templates, arch.templates);
  for (const LayerGeometry& g : geometry)
    add(g.pooling ? 0
                  : static_cast<std::size_t>(g.weight_matrices(arch.sharing)) *
                        static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels),
        g.out_channels, g.in_channels);
  add(static_cast<std::size_t>(geometry.back().out_channels), 1, geometry.back().out_channels);
  // fmpz 0 and 1 are small values: no fmpz_init needed for a vector of them.
  num_.assign(start_.back(), 0);
  den_.assign(start_.back(), 1);
}

GivenWeights::~GivenWeights() {
  for (fmpz& v : num_) fmpz_clear(&v);
  for (fmpz& v : den_) fmpz_clear(&v);
}

void GivenWeights::set(std::size_t group, std::size_t index, const fmpz_t numerator,
                       const fmpz_t denominator) {
  fmpz* n = &num_[start_[group] + index];
  fmpz* d = &den_[start_[group] + index];
  fmpz_set(n, numerator);
  fmpz_set(d, denominator);
  OwnedFmpz g;
  fmpz_gcd(g.v, n, d);
  if (fmpz_sgn(d) < 0) fmpz_neg(g.v, g.v);  // a positive denominator
  fmpz_divexact(n, n, g.v);
  fmpz_divexact(d, d, g.v);
}

std::string GivenWeights::name(std::size_t group, std::size_t index) const {
  const auto cols = static_cast<std::size_t>(cols_[group]);
  if (group == 0)
    return "network.representation[" + std::to_string(index / cols) + "][" + std::to_string(index % cols) +
           "]";
  if (group + 1 == groups()) return "network.readout[" + std::to_string(index) + "]";
  const std::size_t per_matrix = static_cast<std::size_t>(rows_[group]) * cols;
  return "network.layers[" + std::to_string(group - 1) + "].weights[" + std::to_string(index / per_matrix) +
         "][" + std::to_string(index % per_matrix / cols) + "][" + std::to_string(index % cols) + "]";
}

std::string GivenWeights::text(std::size_t group, std::size_t index) const {
  std::string s = decimal(numerator(group, index));
  if (!fmpz_is_one(denominator(group, index))) s += "/" + decimal(denominator(group, index));
  return s;
}

NetworkWeights GivenWeights::residues(std::uint64_t prime, const std::string& where) const {
  OwnedFmpz p, n, d;
  fmpz_set_ui(p.v, prime);
  std::vector<std::vector<std::int64_t>> groups_out(groups());
  for (std::size_t g = 0; g < groups(); ++g) {
    groups_out[g].resize(group_size(g));
    for (std::size_t i = 0; i < group_size(g); ++i) {
      fmpz_mod(n.v, numerator(g, i), p.v);
      fmpz_mod(d.v, denominator(g, i), p.v);
      if (fmpz_is_zero(d.v))
        throw data_error(where + name(g, i) + " = " + text(g, i) +
                         ": its denominator is divisible by p = " + std::to_string(prime) +
                         ", so the weight has no value mod p (use another --prime, or --field Q)");
      if (!fmpz_is_one(d.v)) {
        fmpz_invmod(d.v, d.v, p.v);
        fmpz_mul(n.v, n.v, d.v);
        fmpz_mod(n.v, n.v, p.v);
      }
      groups_out[g][i] = static_cast<std::int64_t>(fmpz_get_ui(n.v));  // p < 2^63
    }
  }
  NetworkWeights w;
  w.representation = std::move(groups_out.front());
  w.readout = std::move(groups_out.back());
  for (std::size_t g = 1; g + 1 < groups(); ++g) w.layers.push_back(std::move(groups_out[g]));
  return w;
}

GivenWeights GivenWeights::scaled_to_integers() const {
  GivenWeights out(*this, 0);
  OwnedFmpz lcm, v;
  for (std::size_t g = 0; g < groups(); ++g) {
    fmpz_one(lcm.v);
    for (std::size_t i = 0; i < group_size(g); ++i) fmpz_lcm(lcm.v, lcm.v, denominator(g, i));
    for (std::size_t i = 0; i < group_size(g); ++i) {
      fmpz_divexact(v.v, lcm.v, denominator(g, i));
      fmpz_mul(&out.num_[start_[g] + i], numerator(g, i), v.v);
    }
  }
  return out;
}

GivenWeights::GivenWeights(const GivenWeights& shape, int)
    : start_(shape.start_),
      rows_(shape.rows_),
      cols_(shape.cols_),
      num_(shape.num_.size(), 0),
      den_(shape.den_.size(), 1) {}

bool GivenWeights::fits_int64() const {
  return std::all_of(den_.begin(), den_.end(), [](const fmpz& d) { return fmpz_is_one(&d); }) &&
         std::all_of(num_.begin(), num_.end(), [](const fmpz& n) { return fmpz_fits_si(&n) != 0; });
}

NetworkWeights GivenWeights::as_int64() const {
  if (!fits_int64()) throw Error(exit_internal, "GivenWeights::as_int64: a weight is not a 64-bit integer");
  NetworkWeights w;
  auto group = [&](std::size_t g) {
    std::vector<std::int64_t> out(group_size(g));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = fmpz_get_si(numerator(g, i));
    return out;
  };
  w.representation = group(0);
  for (std::size_t g = 1; g + 1 < groups(); ++g) w.layers.push_back(group(g));
  w.readout = group(groups() - 1);
  return w;
}

double GivenWeights::group_log2_bound(std::size_t group) const {
  // fmpz_bits(x) = floor(log2 |x|) + 1 >= log2 |x|; a group of zeros and ones bounds by 0.
  std::size_t bits = 0;
  for (std::size_t i = 0; i < group_size(group); ++i) {
    const fmpz* n = numerator(group, i);
    if (fmpz_bits(n) > 1) bits = std::max<std::size_t>(bits, fmpz_bits(n));
  }
  return static_cast<double>(bits);
}

}  // namespace seprank
