#include "seprank/rank/exact_rank.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "seprank/support/progress.hpp"
#include "seprank/rank/rank_fflas.hpp"

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

std::int64_t rank_mod_p_flint(const NmodMatrix& matrix, const ExecutionContext& context) {
  const LibraryThreads pools(std::max(context.threads, 1));
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

namespace {

// Who ranks a matrix: FFLAS-FFPACK when the prime is one of its and the rows are one row-major
// block (nmod_mat_init makes them so; a window into another matrix is not), FLINT otherwise.
struct Backend {
  std::uint64_t prime = 0;
  std::optional<FflasField> field;  // nullopt: FLINT
  std::int64_t stride = 0;
  const char* name = "";
};

Backend backend_of(const NmodMatrix& matrix) {
  Backend b;
  b.prime = matrix.get()->mod.n;
  const auto stride = row_stride(matrix);
  if (stride) b.field = fflas_field_for(b.prime);
  b.stride = stride.value_or(0);
  b.name = to_string(b.field ? rank_backend_for(b.prime) : RankBackend::flint);
  return b;
}

}  // namespace

std::int64_t rank_mod_p(const NmodMatrix& matrix, const ExecutionContext& context) {
  if (matrix.rows() == 0 || matrix.cols() == 0) return 0;
  const Backend b = backend_of(matrix);
  EliminationProgress progress(matrix.rows(), matrix.cols(), b.prime, b.name, context.threads, context.display());
  const std::int64_t rank = b.field ? fflas_rank(matrix.get()->rows[0], matrix.rows(), matrix.cols(), b.stride,
                                                 b.prime, *b.field, std::max(context.threads, 1), fflas_threading)
                                    : rank_mod_p_flint(matrix, context);
  progress.finish();
  return rank;
}

std::int64_t rank_mod_p_in_place(NmodMatrix& matrix, const ExecutionContext& context) {
  if (matrix.rows() == 0 || matrix.cols() == 0) return 0;
  const Backend b = backend_of(matrix);
  const int threads = context.threads;
  EliminationProgress progress(matrix.rows(), matrix.cols(), b.prime, b.name, threads, context.display());
  std::int64_t rank = 0;
  if (b.field) {
    rank = fflas_rank_in_place(matrix.get()->rows[0], matrix.rows(), matrix.cols(), b.stride, b.prime, *b.field,
                               std::max(threads, 0), fflas_threading);
  } else {
    const LibraryThreads pools(threads);  // 0: as the caller set them
    std::vector<slong> permutation(static_cast<std::size_t>(matrix.rows()));
    rank = nmod_mat_lu(permutation.data(), matrix.get(), 0);  // nmod_mat_rank's LU, in place
  }
  progress.finish();
  return rank;
}

std::int64_t rank_over_q(const FmpzMatrix& matrix) { return fmpz_mat_rank(matrix.get()); }

namespace {

// The determinant of a square matrix from FLINT's LU of it, in place: LU = PA with L unit
// lower triangular, so det(A) = sign(P)·prod(diag U) (0 when singular).
std::uint64_t determinant_in_place(NmodMatrix& a) {
  const std::int64_t n = a.rows();
  std::vector<slong> permutation(static_cast<std::size_t>(n));
  if (nmod_mat_lu(permutation.data(), a.get(), 1) < n) return 0;  // rank_check: stop at singular
  const nmod_t mod = a.get()->mod;
  std::uint64_t det = 1 % mod.n;
  for (std::int64_t i = 0; i < n; ++i) det = nmod_mul(det, a.at(i, i), mod);
  // The permutation's sign from its cycles: a cycle of length k is k - 1 transpositions.
  std::vector<bool> seen(static_cast<std::size_t>(n), false);
  bool odd = false;
  for (std::int64_t i = 0; i < n; ++i)
    for (auto j = static_cast<std::size_t>(i); !seen[j]; j = static_cast<std::size_t>(permutation[j])) {
      seen[j] = true;
      if (j != static_cast<std::size_t>(i)) odd = !odd;
    }
  return odd ? nmod_neg(det, mod) : det;
}

// FLINT: the pivots of a generalised LU of a working copy. LU = PA with U in row echelon form:
// row k < r of the result holds L left of column k and U from column k on, whose first nonzero
// entry is the pivot; rows P(0..r) and the pivot columns make the nonsingular L11·U11.
RankProfile flint_pivots(const NmodMatrix& matrix) {
  NmodMatrix work(matrix);
  std::vector<slong> permutation(static_cast<std::size_t>(matrix.rows()));
  RankProfile profile;
  profile.rank = nmod_mat_lu(permutation.data(), work.get(), 0);
  std::int64_t col = 0;
  for (std::int64_t k = 0; k < profile.rank; ++k) {
    col = std::max(col, k);
    while (col < work.cols() && work.at(k, col) == 0) ++col;
    if (col == work.cols()) throw std::logic_error("flint_pivots: row " + std::to_string(k) + " of U has no pivot");
    profile.cols.push_back(col++);
    profile.rows.push_back(permutation[static_cast<std::size_t>(k)]);
  }
  std::sort(profile.rows.begin(), profile.rows.end());
  return profile;
}

// nonsingular_minor_mod_p; `in_place`: FFLAS-FFPACK may overwrite the matrix.
NonsingularMinor nonsingular_minor(const NmodMatrix& matrix, bool in_place, const ExecutionContext& context) {
  const int threads = context.threads;
  NonsingularMinor out;
  if (matrix.rows() == 0 || matrix.cols() == 0) return out;
  const Backend b = backend_of(matrix);
  const std::uint64_t p = b.prime;
  EliminationProgress progress(matrix.rows(), matrix.cols(), p, std::string(b.name) + " nonsingular minor", threads,
                               context.display());
  if (b.field) {
    // BLAS speed; the determinant from the same PLUQ (rank_fflas.hpp).
    std::uint64_t* entries = matrix.get()->rows[0];
    FflasMinor minor = in_place ? fflas_nonsingular_minor_in_place(entries, matrix.rows(), matrix.cols(), b.stride, p,
                                                                   *b.field, threads)
                                : fflas_nonsingular_minor(entries, matrix.rows(), matrix.cols(), b.stride, p, *b.field,
                                                          threads);
    out.profile = {minor.rank, std::move(minor.rows), std::move(minor.cols)};
    out.determinant = minor.determinant;
  } else {
    const LibraryThreads pools(threads);
    out.profile = flint_pivots(matrix);
    NmodMatrix minor(out.profile.rank, out.profile.rank, p);
    for (std::int64_t i = 0; i < out.profile.rank; ++i)
      for (std::int64_t j = 0; j < out.profile.rank; ++j)
        minor.at(i, j) = matrix.at(out.profile.rows[static_cast<std::size_t>(i)], out.profile.cols[static_cast<std::size_t>(j)]);
    out.determinant = out.profile.rank > 0 ? determinant_in_place(minor) : 0;
  }
  progress.finish();
  return out;
}

}  // namespace

NonsingularMinor nonsingular_minor_mod_p(const NmodMatrix& matrix, const ExecutionContext& context) {
  return nonsingular_minor(matrix, false, context);
}

NonsingularMinor nonsingular_minor_mod_p_in_place(NmodMatrix& matrix, const ExecutionContext& context) {
  return nonsingular_minor(matrix, true, context);
}

}  // namespace seprank
