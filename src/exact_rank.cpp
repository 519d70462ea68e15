#include "seprank/exact_rank.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <optional>

#include "seprank/progress.hpp"
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
  // The fastest back-end for the prime among those whose working memory stays within half the
  // matrix, measured by bench/bench_rank.cpp (n × n of rank n - 7, one core) and a peak-RSS
  // probe (docs/model.md "Rank modulo p"):
  //  * 2 < p < 2^11: ModularBalanced<float>, packed in place (at 1021, 25% faster than
  //    doubles; at 2039 as fast);
  //  * 2^11 <= p <= 2^26.5: ModularBalanced<double>. At n = 4000 it beats Modular<double> at
  //    every prime size (by 8-12% at 22-24 bits, by 2x just below 2^23.5, where Modular<double>'s
  //    products convert to balanced ones with copies of the operands: FFLAS's fgemm does so
  //    while 16p < 189812531, at a peak of 2x the matrix); Modular<double> is up to 15% faster
  //    at n <= 2000 only. It is within 1.2-1.3x of dgetrf up to 2^24 (n = 4000), slower
  //    above (1.65x at 2^25, 2.9x at 2^26), and meets FLINT at 2^26.5-2^27: 94906266 is
  //    Modular<double>'s largest modulus, a round bound;
  //  * FLINT above, and for p = 2 (5-12x slower than dgetrf at every prime size; FLINT 2.9 has
  //    no BLAS; its in-place LU needs ~1/2 of the matrix).
  if (prime <= 2) return RankBackend::flint;
  if (prime < 2048) return RankBackend::fflas_balanced_float;
  if (prime <= fflas_max_prime(FflasField::modular_double)) return RankBackend::fflas_balanced_double;
  return RankBackend::flint;
}

std::optional<FflasField> fflas_field_for(std::uint64_t prime) {
  switch (rank_backend_for(prime)) {
    case RankBackend::fflas_balanced_float: return FflasField::balanced_float;
    case RankBackend::fflas_modular_double: return FflasField::modular_double;
    case RankBackend::fflas_balanced_double: return FflasField::balanced_double;
    case RankBackend::flint: break;
  }
  return std::nullopt;
}

std::int64_t rank_mod_p_flint(const NmodMatrix& matrix, int threads) {
  flint_set_num_threads(std::max(threads, 1));
  return nmod_mat_rank(matrix.get());  // LU of a working copy
}

namespace {


// The distance between consecutive rows when the matrix is one row-major block (as
// nmod_mat_init makes it); nullopt for a window into another matrix.
std::optional<std::int64_t> row_stride(const NmodMatrix& matrix) {
  const mp_limb_t* const* rows = matrix.get()->rows;
  const std::int64_t stride = matrix.rows() > 1 ? rows[1] - rows[0] : matrix.cols();
  if (stride < matrix.cols()) return std::nullopt;
  for (std::int64_t i = 1; i < matrix.rows(); ++i)
    if (rows[i] != rows[0] + i * stride) return std::nullopt;
  return stride;
}

}  // namespace

std::int64_t rank_mod_p(const NmodMatrix& matrix, int threads) {
  if (matrix.rows() == 0 || matrix.cols() == 0) return 0;
  const std::uint64_t p = matrix.get()->mod.n;
  const auto field = fflas_field_for(p);
  const auto stride = row_stride(matrix);
  const bool fflas = field && stride;
  const RankBackend backend = fflas ? rank_backend_for(p) : RankBackend::flint;
  EliminationProgress progress(matrix.rows(), matrix.cols(), p, to_string(backend), threads);
  const std::int64_t rank = fflas ? fflas_rank(matrix.get()->rows[0], matrix.rows(), matrix.cols(), *stride, p,
                                               *field, std::max(threads, 1), fflas_threading)
                                  : rank_mod_p_flint(matrix, threads);
  progress.finish();
  return rank;
}

std::int64_t rank_mod_p_in_place(NmodMatrix& matrix, int threads) {
  if (matrix.rows() == 0 || matrix.cols() == 0) return 0;
  const std::uint64_t p = matrix.get()->mod.n;
  const auto field = fflas_field_for(p);
  const auto stride = row_stride(matrix);
  const bool fflas = field && stride;
  const RankBackend backend = fflas ? rank_backend_for(p) : RankBackend::flint;
  EliminationProgress progress(matrix.rows(), matrix.cols(), p, to_string(backend), threads);
  std::int64_t rank = 0;
  if (fflas) {
    rank = fflas_rank_in_place(matrix.get()->rows[0], matrix.rows(), matrix.cols(), *stride, p, *field,
                               std::max(threads, 0), fflas_threading);
  } else {
    if (threads > 0) flint_set_num_threads(threads);
    std::vector<slong> permutation(static_cast<std::size_t>(matrix.rows()));
    rank = nmod_mat_lu(permutation.data(), matrix.get(), 0);  // nmod_mat_rank's LU, in place
  }
  progress.finish();
  return rank;
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
  // Timed apart from the ranks: two rrefs cost more than one LU.
  EliminationProgress progress(matrix.rows(), matrix.cols(), matrix.get()->mod.n, "FLINT rank profile (rref)", 0);
  NmodMatrix work(matrix);
  profile.cols = pivot_columns(work);
  profile.rank = static_cast<std::int64_t>(profile.cols.size());
  // The chosen columns are independent; their transpose's pivot columns are independent rows.
  NmodMatrix transposed(profile.rank, matrix.rows(), matrix.get()->mod.n);
  for (std::int64_t j = 0; j < profile.rank; ++j)
    for (std::int64_t i = 0; i < matrix.rows(); ++i) transposed.at(j, i) = matrix.at(i, profile.cols[static_cast<std::size_t>(j)]);
  profile.rows = pivot_columns(transposed);
  progress.finish();
  return profile;
}

}  // namespace seprank
