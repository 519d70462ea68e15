// The tests' own rank oracle: the rank of a matrix mod p by textbook Gaussian elimination
// (__int128 products, inverses by Fermat's little theorem). It shares nothing with src/'s rank
// back-ends (FLINT, FFLAS-FFPACK): slow and obvious on purpose, for matrices up to a few
// hundred rows.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace independent {

using u64 = std::uint64_t;

inline u64 mul_mod(u64 a, u64 b, u64 p) { return static_cast<u64>(static_cast<unsigned __int128>(a) * b % p); }

inline u64 pow_mod(u64 base, u64 exponent, u64 p) {
  u64 result = 1 % p;
  for (base %= p; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result = mul_mod(result, base, p);
    base = mul_mod(base, base, p);
  }
  return result;
}

// Rank over GF(p), p prime; entries must already lie in [0, p).
inline std::int64_t rank_mod_p(std::vector<std::vector<u64>> m, u64 p) {
  const std::size_t rows = m.size(), cols = rows ? m[0].size() : 0;
  std::size_t rank = 0;
  for (std::size_t c = 0; c < cols && rank < rows; ++c) {
    std::size_t pivot = rank;
    while (pivot < rows && m[pivot][c] == 0) ++pivot;
    if (pivot == rows) continue;
    std::swap(m[pivot], m[rank]);
    const u64 inverse = pow_mod(m[rank][c], p - 2, p);
    for (std::size_t r = rank + 1; r < rows; ++r) {
      if (m[r][c] == 0) continue;
      const u64 factor = mul_mod(m[r][c], inverse, p);
      for (std::size_t k = c; k < cols; ++k)
        m[r][k] = (m[r][k] + p - mul_mod(factor, m[rank][k], p)) % p;
    }
    ++rank;
  }
  return static_cast<std::int64_t>(rank);
}

}  // namespace independent
