// IEEE-754 double precision as a "ring" for the evaluator (grid_evaluator.hpp), used only to
// compare floating point with the exact ranks (docs/float-comparison.md). Nothing exact is
// ever computed with it.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace seprank {

// The evaluator reads every weight through Ring::set_int from NetworkWeights' int64 slots.
// For this ring those slots hold the IEEE-754 binary64 bit patterns of the weights
// (double_weight_code), so doubles pass through the evaluator unchanged and no shared code
// needs a second weight type.
struct DoubleRing {
  using Elem = double;
  using Buffer = std::vector<double>;

  void set_int(Elem& dst, std::int64_t weight_code) const { dst = std::bit_cast<double>(weight_code); }
  void set(Elem& dst, const Elem& src) const { dst = src; }
  void zero(Elem& dst) const { dst = 0.0; }
  void one(Elem& dst) const { dst = 1.0; }
  void mul(Elem& dst, const Elem& a, const Elem& b) const { dst = a * b; }
  void addmul(Elem& dst, const Elem& a, const Elem& b) const { dst += a * b; }
};

// The int64 slot that carries `x` to DoubleRing::set_int.
inline std::int64_t double_weight_code(double x) { return std::bit_cast<std::int64_t>(x); }

}  // namespace seprank
