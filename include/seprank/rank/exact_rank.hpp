// Exact ranks: over GF(p), by FFLAS-FFPACK (BLAS speed) for the word-size primes where it is
// the fastest measured and by FLINT (nmod_mat) otherwise; over Q by FLINT (fmpz_mat,
// fraction-free; the multi-modular rank over Q is in multimodular_rank.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "seprank/rank/flint_matrix.hpp"
#include "seprank/rank/rank_fflas.hpp"
#include "seprank/support/execution_context.hpp"

namespace seprank {

// `--prime fast`: 2^23 - 15, the largest prime below 2^23, where FFLAS-FFPACK's
// ModularBalanced<double> ranks within 1.23x of LAPACK's dgetrf on a double matrix of the
// same size at n = 4000, one core (bench/bench_rank.cpp), and within 1.45x with OpenBLAS's
// AVX-512 kernels too (larger primes reach 1.5-1.7x there).
inline constexpr std::uint64_t fast_prime = 8388593;

// How rank_mod_p spreads FFLAS-FFPACK over threads: BLAS threads under the sequential PLUQ.
// bench/bench_rank.cpp measures both; n = 4000, 2 cores: 1.48x faster than one thread, the
// task-parallel pRank 1.23x.
inline constexpr FflasThreading fflas_threading = FflasThreading::blas;

// Which library computes a rank mod p (bench/bench_rank.cpp measures them side by side).
enum class RankBackend { flint, fflas_balanced_float, fflas_modular_double, fflas_balanced_double };
const char* to_string(RankBackend backend);
RankBackend rank_backend_for(std::uint64_t prime);
// The FFLAS-FFPACK field of rank_backend_for(prime), or nullopt for FLINT.
std::optional<FflasField> fflas_field_for(std::uint64_t prime);

// The rank mod the matrix's prime, by rank_backend_for(prime), with the context's threads (BLAS
// threads for FFLAS-FFPACK, FLINT's thread pool for FLINT).
std::int64_t rank_mod_p(const NmodMatrix& matrix, const ExecutionContext& context = {});
// The same rank computed in the matrix's own storage, which it overwrites (no working copy:
// the memory is the matrix plus the back-end's temporaries, measured <= half the matrix).
// A context of 0 threads leaves the libraries' pools as they are, so that several threads can
// each rank their own matrix at once.
std::int64_t rank_mod_p_in_place(NmodMatrix& matrix, const ExecutionContext& context = {});
// The same rank by FLINT's nmod_mat_rank whatever the prime (the independent cross-check).
std::int64_t rank_mod_p_flint(const NmodMatrix& matrix, const ExecutionContext& context = {});

std::int64_t rank_over_q(const FmpzMatrix& matrix);

// A maximal nonsingular minor, for certificates: `rows` and `cols` (increasing) select a
// rank×rank minor whose determinant mod p is `determinant`, nonzero unless the rank is 0. The
// indices are the pivots of a factorization of a working copy. FFLAS-FFPACK's primes: its PLUQ,
// the determinant the product of U's pivots (signed for the sorting of rows and columns); a
// checker that recomputes it from the minor catches any slip. FLINT's primes: its LU, the
// determinant from a second elimination of the minor read from the matrix, so that a wrong
// pivot shows as a zero determinant. Working memory: one copy of the matrix, freed before the
// r × r minor is formed.
struct RankProfile {
  std::int64_t rank = 0;
  std::vector<std::int64_t> rows;
  std::vector<std::int64_t> cols;
};
struct NonsingularMinor {
  RankProfile profile;
  std::uint64_t determinant = 0;
};
NonsingularMinor nonsingular_minor_mod_p(const NmodMatrix& matrix, const ExecutionContext& context = {});
// The same, overwriting the matrix instead of copying it where FFLAS-FFPACK ranks it (FLINT's
// primes still take a working copy).
NonsingularMinor nonsingular_minor_mod_p_in_place(NmodMatrix& matrix, const ExecutionContext& context = {});

}  // namespace seprank
