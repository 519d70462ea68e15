#include "seprank/exact_rank.hpp"

#include <flint/flint.h>

#include <algorithm>

#include "seprank/rank_fflas.hpp"

namespace seprank {

const char* to_string(RankBackend backend) {
  switch (backend) {
    case RankBackend::flint: return "FLINT nmod_mat";
    case RankBackend::fflas_balanced_float: return "FFLAS ModularBalanced<float>";
    case RankBackend::fflas_modular_double: return "FFLAS Modular<double>";
    case RankBackend::fflas_balanced_double: return "FFLAS ModularBalanced<double>";
  }
  return "?";
}

RankBackend rank_backend_for(std::uint64_t prime) {
  // Thresholds from bench/bench_rank.cpp (docs/model.md "Rank mod p"). Balanced fields need p odd.
  if (prime % 2 == 0) return RankBackend::flint;
  if (prime <= fflas_max_prime(FflasField::balanced_float)) return RankBackend::fflas_balanced_float;
  if (prime < (std::uint64_t{1} << 23)) return RankBackend::fflas_modular_double;
  if (prime <= fflas_max_prime(FflasField::balanced_double)) return RankBackend::fflas_balanced_double;
  return RankBackend::flint;
}

double rank_mod_p_bytes_per_entry(std::uint64_t prime) {
  switch (rank_backend_for(prime)) {
    case RankBackend::flint: return sizeof(mp_limb_t);  // nmod_mat_rank's working copy
    case RankBackend::fflas_balanced_float: return static_cast<double>(fflas_bytes_per_entry(FflasField::balanced_float));
    case RankBackend::fflas_modular_double: return static_cast<double>(fflas_bytes_per_entry(FflasField::modular_double));
    case RankBackend::fflas_balanced_double: return static_cast<double>(fflas_bytes_per_entry(FflasField::balanced_double));
  }
  return sizeof(mp_limb_t);
}

std::int64_t rank_mod_p_flint(const NmodMatrix& matrix, int threads) {
  flint_set_num_threads(std::max(threads, 1));
  return nmod_mat_rank(matrix.get());
}

std::int64_t rank_mod_p(const NmodMatrix& matrix, int threads) {
  const std::uint64_t p = matrix.get()->mod.n;
  FflasField field;
  switch (rank_backend_for(p)) {
    case RankBackend::flint: return rank_mod_p_flint(matrix, threads);
    case RankBackend::fflas_balanced_float: field = FflasField::balanced_float; break;
    case RankBackend::fflas_modular_double: field = FflasField::modular_double; break;
    case RankBackend::fflas_balanced_double: field = FflasField::balanced_double; break;
    default: return rank_mod_p_flint(matrix, threads);
  }
  if (matrix.rows() == 0 || matrix.cols() == 0) return 0;
  // An nmod_mat made by nmod_mat_init stores its rows in one block, row i at rows[0] + i·cols
  // (a window into another matrix would not: FLINT then).
  const mp_limb_t* const* rows = matrix.get()->rows;
  const std::int64_t stride = matrix.rows() > 1 ? rows[1] - rows[0] : matrix.cols();
  for (std::int64_t i = 1; i < matrix.rows(); ++i)
    if (rows[i] != rows[0] + i * stride) return rank_mod_p_flint(matrix, threads);
  set_blas_threads(threads);
  return fflas_rank(rows[0], matrix.rows(), matrix.cols(), stride, p, field);
}

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
