// The numerical rank of a double matrix as floating-point practice computes it: singular values
// from LAPACK dgesdd, exactly the call numpy.linalg.matrix_rank makes, counted above a
// tolerance (docs/float-comparison.md). For comparison with exact ranks only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seprank {

// Singular values of the rows×cols matrix `row_major`, decreasing: dgesdd with JOBZ = 'N' on
// its column-major copy with M = rows, N = cols, as numpy.linalg.svd(A, compute_uv=False).
// Entries must be finite. Returns nothing when dgesdd reports that it did not converge.
std::optional<std::vector<double>> singular_values(const std::vector<double>& row_major, std::int64_t rows,
                                                   std::int64_t cols);

// The file of the shared library that provides dgesdd at run time (on Debian the liblapack.so.3
// alternative: reference LAPACK or OpenBLAS, the one numpy on the same machine uses), or
// "unknown". Different LAPACKs may round differently, so outputs record it.
std::string lapack_library();

// The count of singular values strictly above one tolerance.
struct ToleranceRank {
  std::string name;  // e.g. "1e-10*sigma_max"
  double tolerance = 0;
  std::int64_t rank = 0;
};

// The largest ratio σ_i / σ_{i+1} between consecutive singular values (1-based i): a gap that
// suggests rank i. infinite when σ_{i+1} = 0 < σ_i.
struct SpectrumGap {
  std::int64_t after = 0;  // i
  double ratio = 0;        // +inf when σ_{i+1} = 0
};

struct NumericalRank {
  std::vector<double> singular_values;  // decreasing
  // numpy.linalg.matrix_rank's default: tol = (σ_max · max(m, n)) · eps, rank = #{σ > tol}.
  double tolerance = 0;
  std::int64_t rank = 0;
  // Other common tolerances: 1e-10·σ_max, 1e-6·σ_max, sqrt(eps)·σ_max, and MATLAB's rank
  // default max(m, n)·eps(σ_max), eps(x) the spacing of doubles at x.
  std::vector<ToleranceRank> other_tolerances;
  std::optional<SpectrumGap> largest_gap;  // none for fewer than 2 singular values or σ_max = 0
  double sigma_max = 0, sigma_min = 0;     // σ_1 and σ_{min(m,n)}
};

// The ranks and spectrum statistics of the given singular values (decreasing) of a rows×cols matrix.
NumericalRank numerical_rank(std::vector<double> singular_values, std::int64_t rows, std::int64_t cols);

}  // namespace seprank
