// Exact ranks with FLINT: over GF(p) (nmod_mat) and over Q (fmpz_mat, fraction-free).
#pragma once

#include <cstdint>
#include <vector>

#include "seprank/flint_matrix.hpp"

namespace seprank {

std::int64_t rank_mod_p(const NmodMatrix& matrix);
std::int64_t rank_over_q(const FmpzMatrix& matrix);

// A maximal nonsingular submatrix: `rows` and `cols` (increasing) select a rank×rank minor
// that is nonzero mod p. Found as the pivot columns of rref(A), then the pivot rows of
// rref of those columns transposed.
struct RankProfile {
  std::int64_t rank = 0;
  std::vector<std::int64_t> rows;
  std::vector<std::int64_t> cols;
};
RankProfile rank_profile_mod_p(const NmodMatrix& matrix);

}  // namespace seprank
