#include "seprank/comparison/numerical_rank.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <limits>

#include "seprank/support/errors.hpp"

// LAPACK's Fortran symbol (Debian liblapack3). The trailing argument is the hidden length of
// the CHARACTER argument JOBZ that gfortran passes by value.
extern "C" void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s,
                        double* u, const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork,
                        int* iwork, int* info, std::size_t jobz_length);

namespace seprank {

std::optional<std::vector<double>> singular_values(const std::vector<double>& row_major, std::int64_t rows,
                                                   std::int64_t cols) {
  if (rows < 1 || cols < 1 || rows > INT_MAX || cols > INT_MAX ||
      static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) != row_major.size())
    throw Error(exit_internal, "singular_values: the matrix shape does not match its entries");
  const int m = static_cast<int>(rows), n = static_cast<int>(cols);
  // Column-major copy, as numpy linearizes its argument before calling LAPACK (dgesdd
  // overwrites it).
  std::vector<double> a(row_major.size());
  for (std::size_t r = 0; r < static_cast<std::size_t>(m); ++r)
    for (std::size_t c = 0; c < static_cast<std::size_t>(n); ++c)
      a[c * static_cast<std::size_t>(m) + r] = row_major[r * static_cast<std::size_t>(n) + c];
  const int k = std::min(m, n);
  std::vector<double> s(static_cast<std::size_t>(k));
  std::vector<int> iwork(8 * static_cast<std::size_t>(k));
  double u = 0, vt = 0, query = 0;
  const int one = 1, query_size = -1;
  int info = 0;
  dgesdd_("N", &m, &n, a.data(), &m, s.data(), &u, &one, &vt, &one, &query, &query_size, iwork.data(), &info, 1);
  if (info != 0) throw Error(exit_internal, "dgesdd workspace query failed, info = " + std::to_string(info));
  const int lwork = std::max(1, static_cast<int>(query));
  std::vector<double> work(static_cast<std::size_t>(lwork));
  dgesdd_("N", &m, &n, a.data(), &m, s.data(), &u, &one, &vt, &one, work.data(), &lwork, iwork.data(), &info, 1);
  if (info < 0) throw Error(exit_internal, "dgesdd rejected argument " + std::to_string(-info));
  if (info > 0) return std::nullopt;  // "did not converge" (numpy raises LinAlgError)
  return s;
}

std::string lapack_library() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&dgesdd_), &info) == 0 || info.dli_fname == nullptr) return "unknown";
  return info.dli_fname;
}

namespace {

std::int64_t count_above(const std::vector<double>& s, double tolerance) {
  return std::count_if(s.begin(), s.end(), [&](double v) { return v > tolerance; });
}

}  // namespace

NumericalRank numerical_rank(std::vector<double> singular_values, std::int64_t rows, std::int64_t cols) {
  NumericalRank out;
  out.singular_values = std::move(singular_values);
  const std::vector<double>& s = out.singular_values;
  if (s.empty()) return out;
  constexpr double eps = std::numeric_limits<double>::epsilon();  // 2^-52
  const auto largest_dim = static_cast<double>(std::max(rows, cols));
  out.sigma_max = *std::max_element(s.begin(), s.end());
  out.sigma_min = *std::min_element(s.begin(), s.end());
  // numpy: S.max() * max(M, N) * eps, multiplied left to right.
  out.tolerance = out.sigma_max * largest_dim * eps;
  out.rank = count_above(s, out.tolerance);
  // MATLAB's eps(x): 2^(floor(log2 x) − 52) for normal x.
  const double spacing = out.sigma_max > 0 ? std::ldexp(1.0, std::ilogb(out.sigma_max) - 52) : 0.0;
  const std::pair<const char*, double> tolerances[] = {
      {"1e-10*sigma_max", 1e-10 * out.sigma_max},
      {"1e-6*sigma_max", 1e-6 * out.sigma_max},
      {"sqrt(eps)*sigma_max", std::sqrt(eps) * out.sigma_max},
      {"matlab", largest_dim * spacing},
  };
  for (const auto& [name, tol] : tolerances) out.other_tolerances.push_back({name, tol, count_above(s, tol)});
  if (s.size() >= 2 && out.sigma_max > 0) {
    SpectrumGap gap;
    for (std::size_t i = 0; i + 1 < s.size() && s[i] > 0; ++i) {
      const double ratio = s[i + 1] > 0 ? s[i] / s[i + 1] : std::numeric_limits<double>::infinity();
      if (ratio > gap.ratio) gap = {static_cast<std::int64_t>(i + 1), ratio};
    }
    out.largest_gap = gap;
  }
  return out;
}

}  // namespace seprank
