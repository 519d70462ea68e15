// Dense rank modulo a word-size prime with FFLAS-FFPACK (PLUQ over BLAS), and the BLAS's
// self-description. The FFLAS-FFPACK headers are heavy: they are included by src/rank/rank_fflas.cpp only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seprank {

struct RankTiming {
  double wall_seconds = 0;
  double cpu_seconds = 0;  // of the calling thread (all the work when the BLAS has 1 thread)
};

// How FFLAS-FFPACK represents GF(p): Givaro's fields, each with a largest admissible prime
// (Givaro's maxCardinality: a·b + c must be exact in the floating-point type).
enum class FflasField {
  balanced_float,   // ModularBalanced<float>, residues in [-(p-1)/2, (p-1)/2], p <= 8191
  modular_double,   // Modular<double>, residues in [0, p), p <= 94906266 (~2^26.5)
  balanced_double,  // ModularBalanced<double>, p <= 189812531 (~2^27.5)
};

const char* to_string(FflasField field);
std::uint64_t fflas_max_prime(FflasField field);

// How FFLAS-FFPACK uses more than one thread: the BLAS's threads under the sequential PLUQ, or
// FFLAS-FFPACK's own task-parallel PLUQ (OpenMP tasks, pRank) over a one-thread BLAS.
enum class FflasThreading { blas, tasks };
const char* to_string(FflasThreading threading);

// Rank of the rows × cols matrix whose entry (i, j) is entries[i·stride + j] ∈ [0, p), modulo
// the prime p <= fflas_max_prime(field), by FFPACK::Rank (PLUQ). The input is not modified: it
// is converted into a working copy of rows·cols floats or doubles. `threads` threads work on
// it as `threading` says (threads = 0: the libraries' pools as the caller set them, for callers
// that rank several matrices at once from their own threads; see LibraryThreads). When `timing` is given, it receives the wall-clock and
// CPU seconds spent in FFPACK::Rank alone (without the conversion), for benchmarks.
std::int64_t fflas_rank(const std::uint64_t* entries, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                        std::uint64_t p, FflasField field, int threads = 1,
                        FflasThreading threading = FflasThreading::blas, RankTiming* timing = nullptr);

// A nonsingular maximal minor of the same matrix, for certificates: its rows and columns
// (increasing) and its determinant mod p (nonzero), or rank 0 and no rows for a zero matrix.
// The indices are the pivots of a PLUQ factorization of a working copy (A[P(0..r), Q(0..r)]
// = L11·U11 is nonsingular); the determinant is then computed again, by a second
// elimination of that minor taken from the untouched input, so an error in reading the
// permutations cannot yield a singular minor unnoticed. Working memory: one copy of the
// matrix in the field's elements, then the r × r minor.
struct FflasMinor {
  std::int64_t rank = 0;
  std::vector<std::int64_t> rows, cols;
  std::uint64_t determinant = 0;
};
FflasMinor fflas_nonsingular_minor(const std::uint64_t* entries, std::int64_t rows, std::int64_t cols,
                                   std::int64_t stride, std::uint64_t p, FflasField field, int threads = 1);
// The same in the caller's storage, which it overwrites (no working copy).
FflasMinor fflas_nonsingular_minor_in_place(std::uint64_t* entries, std::int64_t rows, std::int64_t cols,
                                            std::int64_t stride, std::uint64_t p, FflasField field, int threads = 1);

// The same rank computed in the caller's storage, which it overwrites (no working copy): the
// residues are converted in place to the field's elements (doubles keep the layout; floats are
// packed into the first half, rows aligned to 64 bytes). The entries are garbage afterwards.
std::int64_t fflas_rank_in_place(std::uint64_t* entries, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                                 std::uint64_t p, FflasField field, int threads = 1,
                        FflasThreading threading = FflasThreading::blas, RankTiming* timing = nullptr);

// Bytes of the working copy fflas_rank allocates per matrix entry (plus O(rows + cols)).
std::size_t fflas_bytes_per_entry(FflasField field);

// The BLAS library's self-description (OpenBLAS: version, core and thread count).
std::string blas_description();

}  // namespace seprank
