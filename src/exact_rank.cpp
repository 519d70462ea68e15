#include "seprank/exact_rank.hpp"

namespace seprank {

std::int64_t rank_mod_p(const NmodMatrix& matrix) { return nmod_mat_rank(matrix.get()); }

std::int64_t rank_over_q(const FmpzMatrix& matrix) { return fmpz_mat_rank(matrix.get()); }

namespace {

// Pivot columns of rref(a), increasing; a is overwritten.
std::vector<std::int64_t> pivot_columns(NmodMatrix& a) {
  const std::int64_t rank = nmod_mat_rref(a.get());
  std::vector<std::int64_t> pivots;
  std::int64_t col = 0;
  for (std::int64_t row = 0; row < rank; ++row) {
    while (a.at(row, col) == 0) ++col;  // a reduced row's first nonzero is its pivot
    pivots.push_back(col);
  }
  return pivots;
}

}  // namespace

RankProfile rank_profile_mod_p(const NmodMatrix& matrix) {
  RankProfile profile;
  NmodMatrix work(matrix);
  profile.cols = pivot_columns(work);
  profile.rank = static_cast<std::int64_t>(profile.cols.size());
  // The chosen columns are independent; their transpose's pivot columns are independent rows.
  NmodMatrix transposed(profile.rank, matrix.rows(), matrix.get()->mod.n);
  for (std::int64_t j = 0; j < profile.rank; ++j)
    for (std::int64_t i = 0; i < matrix.rows(); ++i) transposed.at(j, i) = matrix.at(i, profile.cols[static_cast<std::size_t>(j)]);
  profile.rows = pivot_columns(transposed);
  return profile;
}

}  // namespace seprank
