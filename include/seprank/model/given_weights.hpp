// Weights given by the user (`--network FILE`, network_file.hpp) rather than drawn: exact
// rationals of any size, in the groups and order of NetworkWeights (F, each layer's matrices,
// the readout). What a rank at given weights means: docs/model.md "Given weights".
#pragma once

#include <flint/fmpz.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/network_weights.hpp"

namespace seprank {

class GivenWeights {
 public:
  // Zero weights in the shape of `arch` (every layer's matrices, F, the readout); the values are
  // set with set() by index in the group. `geometry` is resolve_geometry(arch).
  GivenWeights(const Architecture& arch, const std::vector<LayerGeometry>& geometry);
  GivenWeights(const GivenWeights&) = delete;
  GivenWeights& operator=(const GivenWeights&) = delete;
  GivenWeights(GivenWeights&&) = default;
  GivenWeights& operator=(GivenWeights&&) = delete;
  ~GivenWeights();

  // Groups: 0 is F (M×M), 1..L the layers (empty for a pool layer), L + 1 the readout.
  std::size_t groups() const { return start_.size() - 1; }
  std::size_t group_size(std::size_t group) const { return start_[group + 1] - start_[group]; }
  // Sets weight `index` of `group` to numerator/denominator (denominator nonzero), reduced.
  void set(std::size_t group, std::size_t index, const fmpz_t numerator, const fmpz_t denominator);
  const fmpz* numerator(std::size_t group, std::size_t index) const { return &num_[start_[group] + index]; }
  const fmpz* denominator(std::size_t group, std::size_t index) const { return &den_[start_[group] + index]; }

  // Where weight `index` of `group` is in the file: "network.layers[1].weights[0][2][1]".
  std::string name(std::size_t group, std::size_t index) const;
  // "a" or "a/b", in decimal.
  std::string text(std::size_t group, std::size_t index) const;

  // Every weight reduced mod p, a/b as a·b^-1, in [0, p) (NetworkWeights' GF(p) convention).
  // A data error naming the weight when p divides a denominator (`where` prefixes the message).
  NetworkWeights residues(std::uint64_t prime, const std::string& where) const;
  // The same weights with each group multiplied by the least common multiple of its
  // denominators: integers. Scaling F, one layer's matrices or the readout by a nonzero
  // constant c multiplies the network's function, hence every grid-tensor entry, by c^d for a
  // d that does not depend on the templates (the function is homogeneous in each group), so
  // the matricization's rank over Q is unchanged.
  GivenWeights scaled_to_integers() const;
  // All weights are integers within [-2^63, 2^63): as_int64() gives them.
  bool fits_int64() const;
  NetworkWeights as_int64() const;
  // log2 of the largest |weight| of the group, and at least 0 (0 for a group of zeros and
  // ones): a bound for the Hadamard rule. Integers only.
  double group_log2_bound(std::size_t group) const;

 private:
  GivenWeights(const GivenWeights& shape, int);  // zeros in the shape of `shape`
  std::vector<std::size_t> start_;               // group g holds [start_[g], start_[g + 1])
  std::vector<int> rows_, cols_;                 // the shape of one matrix of the group (readout: 1 × C_L)
  std::vector<fmpz> num_, den_;                  // canonical: lowest terms, den_ > 0
};

}  // namespace seprank
