// The only translation unit that includes FFLAS-FFPACK and Givaro (heavy headers).
#include "seprank/rank/rank_fflas.hpp"

// Debian's FFLAS-FFPACK was configured without OpenMP; this file is compiled with it (for
// pRank), which the headers accept after a warning unless told so first.
#if defined(_OPENMP) && !defined(__FFLASFFPACK_USE_OPENMP)
#define __FFLASFFPACK_USE_OPENMP
#endif
#include <fflas-ffpack/fflas-ffpack.h>
#include <givaro/modular-balanced.h>
#include <givaro/modular.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "seprank/support/execution_context.hpp"

// OpenBLAS's self-description (libopenblas, linked explicitly by CMakeLists.txt).
extern "C" {
char* openblas_get_config(void);
int openblas_get_num_threads(void);
}

namespace seprank {

const char* to_string(FflasThreading threading) {
  return threading == FflasThreading::blas ? "BLAS threads" : "FFLAS tasks";
}

const char* to_string(FflasField field) {
  switch (field) {
    case FflasField::balanced_float: return "ModularBalanced<float>";
    case FflasField::modular_double: return "Modular<double>";
    case FflasField::balanced_double: return "ModularBalanced<double>";
  }
  return "?";
}

std::uint64_t fflas_max_prime(FflasField field) {
  switch (field) {
    case FflasField::balanced_float:
      return static_cast<std::uint64_t>(Givaro::ModularBalanced<float>::maxCardinality());
    case FflasField::modular_double:
      return static_cast<std::uint64_t>(Givaro::Modular<double>::maxCardinality());
    case FflasField::balanced_double:
      return static_cast<std::uint64_t>(Givaro::ModularBalanced<double>::maxCardinality());
  }
  return 0;
}

std::size_t fflas_bytes_per_entry(FflasField field) {
  return field == FflasField::balanced_float ? sizeof(float) : sizeof(double);
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Residue r in [0, p) as a field element: itself, or r - p in the balanced fields' range
// [-(p-1)/2, (p-1)/2]. Exact: p <= fflas_max_prime(field) < 2^28, and floats only hold
// residues of primes below 2^13.
template <class Element>
Element element_of(std::uint64_t r, std::uint64_t p, bool balanced) {
  // Through a signed integer (r, p < 2^28): a select and one conversion, which vectorize.
  const auto v = static_cast<std::int64_t>(r) - (balanced && r > (p - 1) / 2 ? static_cast<std::int64_t>(p) : 0);
  return static_cast<Element>(v);
}

// Residue in [0, p) of a field element (balanced fields hold negative ones).
template <class Element>
std::uint64_t residue_of(Element e, std::uint64_t p) {
  const std::int64_t v = static_cast<std::int64_t>(e) % static_cast<std::int64_t>(p);
  return static_cast<std::uint64_t>(v < 0 ? v + static_cast<std::int64_t>(p) : v);
}

template <class Element>
using FflasBuffer = std::unique_ptr<Element, void (*)(Element*)>;

// fflas_new: storage aligned for the BLAS; released by fflas_delete on every path.
template <class Element>
FflasBuffer<Element> fflas_buffer(std::size_t count) {
  return FflasBuffer<Element>(FFLAS::fflas_new<Element>(count), [](Element* ptr) { FFLAS::fflas_delete(ptr); });
}

struct Threads {
  int count = 1;
  FflasThreading threading = FflasThreading::blas;
};

template <class Field>
std::size_t plu_rank(const Field& field, std::size_t m, std::size_t n, typename Field::Element* a, std::size_t lda,
                     Threads threads, RankTiming* timing) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  std::size_t rank = 0;
  if (threads.count > 1 && threads.threading == FflasThreading::tasks) {
    const LibraryThreads pools = LibraryThreads::for_tasks(threads.count);
    rank = FFPACK::pRank(field, m, n, a, lda, static_cast<std::size_t>(threads.count));  // PLUQ, in place
  } else {
    const LibraryThreads pools(threads.count);  // 0: as the caller set them
    rank = FFPACK::Rank(field, m, n, a, lda);  // PLUQ, in place
  }
  if (timing) *timing = {seconds_since(start), thread_cpu_seconds() - cpu_start};
  return rank;
}

// A rows × cols copy in the field's elements, row-major (lda = cols), of the residues
// entry(i, j) in [0, p).
template <class Element, class Entry>
FflasBuffer<Element> field_copy(std::size_t rows, std::size_t cols, std::uint64_t p, bool balanced, Entry entry) {
  auto a = fflas_buffer<Element>(rows * cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) a.get()[i * cols + j] = element_of<Element>(entry(i, j), p, balanced);
  return a;
}

template <class Field>
std::int64_t rank_copy(const std::uint64_t* entries, std::size_t m, std::size_t n, std::size_t stride,
                       std::uint64_t p, bool balanced, Threads threads, RankTiming* timing) {
  using Element = typename Field::Element;
  const Field field(static_cast<Element>(p));
  auto a = field_copy<Element>(m, n, p, balanced, [&](std::size_t i, std::size_t j) { return entries[i * stride + j]; });
  return static_cast<std::int64_t>(plu_rank(field, m, n, a.get(), n, threads, timing));
}

// The m x n residues in [0, p) at `entries` (row stride `stride`) turned, in the same storage,
// into Elements; returns where they start and their row stride (lda).
template <class Element>
std::pair<Element*, std::size_t> elements_in_place(std::uint64_t* entries, std::size_t m, std::size_t n,
                                                   std::size_t stride, std::uint64_t p, bool balanced) {
  static_assert(sizeof(Element) <= sizeof(std::uint64_t));
  // Doubles replace the residues one for one (lda = stride). Floats are packed: row i at byte
  // o + 4·i·lda with lda = n rounded up to 16 floats and o < 64 the shift to a 64-byte
  // boundary, so that rows are aligned for the SIMD reductions (10% faster than unaligned).
  // Each block of a row is read whole (memcpy to a buffer) before its elements are written,
  // and a block's elements land on residues already read: for row i, block end e = j0 + len,
  // o + 4(i·lda + e) <= 48 + 4i(stride + 15) + 4e <= 8(i·stride + e) once n >= 16 (and for
  // doubles trivially). Byte copies keep the compiler from assuming the two views do not
  // alias, and the buffers let it vectorize.
  auto* bytes = reinterpret_cast<unsigned char*>(entries);
  std::size_t lda = stride;
  unsigned char* base = bytes;
  if (sizeof(Element) < sizeof(std::uint64_t)) {
    lda = n >= 16 ? (n + 15) / 16 * 16 : n;
    const auto misalignment = reinterpret_cast<std::uintptr_t>(bytes) % 64;
    if (n >= 16 && misalignment % sizeof(Element) == 0) base = bytes + (64 - misalignment) % 64;
  }
  constexpr std::size_t block = 512;
  std::uint64_t in[block];
  Element out[block];
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j0 = 0; j0 < n; j0 += block) {
      const std::size_t len = std::min(block, n - j0);
      std::memcpy(in, bytes + (i * stride + j0) * sizeof(std::uint64_t), len * sizeof(std::uint64_t));
      for (std::size_t j = 0; j < len; ++j) out[j] = element_of<Element>(in[j], p, balanced);
      std::memcpy(base + (i * lda + j0) * sizeof(Element), out, len * sizeof(Element));
    }
  // The storage now holds Elements (malloc'd storage takes the type of what is stored in it).
  return {reinterpret_cast<Element*>(base), lda};
}

template <class Field>
std::int64_t rank_in_place(std::uint64_t* entries, std::size_t m, std::size_t n, std::size_t stride,
                           std::uint64_t p, bool balanced, Threads threads, RankTiming* timing) {
  using Element = typename Field::Element;
  const Field field(static_cast<Element>(p));
  const auto [a, lda] = elements_in_place<Element>(entries, m, n, stride, p, balanced);
  return static_cast<std::int64_t>(plu_rank(field, m, n, a, lda, threads, timing));
}

// The first r entries of a LAPACK-style permutation (a sequence of swaps) as indices, in pivot
// order: entry k is the row (or column) of A that PLUQ moved to position k.
std::vector<std::int64_t> pivots(const std::vector<std::size_t>& lapack, std::size_t r) {
  std::vector<std::size_t> math(lapack.size());
  FFPACK::LAPACKPerm2MathPerm(math.data(), lapack.data(), lapack.size());
  return {math.begin(), math.begin() + static_cast<std::ptrdiff_t>(r)};
}

// Sorts distinct indices, returning the parity of the permutation that sorted them (true: odd),
// from its cycles: a cycle of length c is c - 1 transpositions.
bool sort_with_parity(std::vector<std::int64_t>& indices) {
  std::vector<std::size_t> order(indices.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return indices[a] < indices[b]; });
  bool odd = false;
  std::vector<bool> seen(order.size(), false);
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::size_t length = 0;
    for (std::size_t j = k; !seen[j]; j = order[j]) seen[j] = true, ++length;
    if (length > 0 && length % 2 == 0) odd = !odd;
  }
  std::sort(indices.begin(), indices.end());
  return odd;
}

// A nonsingular minor of the m x n matrix of Elements at a (row stride lda), which PLUQ
// overwrites: its rows, columns and determinant.
template <class Field>
FflasMinor minor_by_pluq(const Field& field, std::size_t m, std::size_t n, typename Field::Element* a, std::size_t lda,
                         std::uint64_t p) {
  using Element = typename Field::Element;
  FflasMinor out;
  std::vector<std::size_t> P(m), Q(n);
  // P^T·A·Q^T = L·U with L unit lower trapezoidal and U's first r diagonal entries nonzero:
  // rows P(0..r) and columns Q(0..r) of A make the nonsingular L11·U11.
  out.rank = static_cast<std::int64_t>(FFPACK::PLUQ(field, FFLAS::FflasNonUnit, m, n, a, lda, P.data(), Q.data()));
  if (out.rank == 0) return out;
  // That minor, rows and columns in pivot order, is L11·U11 with L11 unit triangular: its
  // determinant is U's first r diagonal entries' product. In sorted order (the certificate's)
  // it changes sign once per odd sorting permutation.
  const auto r = static_cast<std::size_t>(out.rank);
  Element det = field.one;
  for (std::size_t k = 0; k < r; ++k) field.mulin(det, a[k * lda + k]);
  out.rows = pivots(P, r);
  out.cols = pivots(Q, r);
  if (sort_with_parity(out.rows) != sort_with_parity(out.cols)) field.negin(det);
  out.determinant = residue_of(det, p);
  return out;
}

template <class Field>
FflasMinor minor_of(const std::uint64_t* entries, std::size_t m, std::size_t n, std::size_t stride, std::uint64_t p,
                    bool balanced, int threads) {
  using Element = typename Field::Element;
  const Field field(static_cast<Element>(p));
  const LibraryThreads pools(threads);  // 0: as the caller set them
  auto a = field_copy<Element>(m, n, p, balanced, [&](std::size_t i, std::size_t j) { return entries[i * stride + j]; });
  return minor_by_pluq(field, m, n, a.get(), n, p);
}

template <class Field>
FflasMinor minor_in_place(std::uint64_t* entries, std::size_t m, std::size_t n, std::size_t stride, std::uint64_t p,
                          bool balanced, int threads) {
  using Element = typename Field::Element;
  const Field field(static_cast<Element>(p));
  const LibraryThreads pools(threads);  // 0: as the caller set them
  const auto [a, lda] = elements_in_place<Element>(entries, m, n, stride, p, balanced);
  return minor_by_pluq(field, m, n, a, lda, p);
}

void check_admissible(std::uint64_t p, FflasField field) {
  if (p < 2 || p > fflas_max_prime(field) || (field != FflasField::modular_double && p % 2 == 0))
    throw std::invalid_argument(std::string("fflas_rank: prime ") + std::to_string(p) + " is not admissible for " +
                                to_string(field));
}

// Calls run(std::type_identity<Field>{}, balanced) with the Givaro field type of `field`: the
// one place where the enum becomes a type.
template <class Run>
auto with_field(FflasField field, Run&& run) {
  switch (field) {
    case FflasField::balanced_float: return run(std::type_identity<Givaro::ModularBalanced<float>>{}, true);
    case FflasField::modular_double: return run(std::type_identity<Givaro::Modular<double>>{}, false);
    case FflasField::balanced_double: break;
  }
  return run(std::type_identity<Givaro::ModularBalanced<double>>{}, true);
}

}  // namespace

std::int64_t fflas_rank(const std::uint64_t* entries, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                        std::uint64_t p, FflasField field, int thread_count, FflasThreading threading,
                        RankTiming* timing) {
  check_admissible(p, field);
  if (rows <= 0 || cols <= 0) return 0;
  return with_field(field, [&](auto type, bool balanced) {
    return rank_copy<typename decltype(type)::type>(entries, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols),
                                     static_cast<std::size_t>(stride), p, balanced, Threads{thread_count, threading},
                                     timing);
  });
}

std::int64_t fflas_rank_in_place(std::uint64_t* entries, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                                 std::uint64_t p, FflasField field, int thread_count, FflasThreading threading,
                                 RankTiming* timing) {
  check_admissible(p, field);
  if (rows <= 0 || cols <= 0) return 0;
  return with_field(field, [&](auto type, bool balanced) {
    return rank_in_place<typename decltype(type)::type>(entries, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols),
                                         static_cast<std::size_t>(stride), p, balanced,
                                         Threads{thread_count, threading}, timing);
  });
}

FflasMinor fflas_nonsingular_minor(const std::uint64_t* entries, std::int64_t rows, std::int64_t cols,
                                   std::int64_t stride, std::uint64_t p, FflasField field, int threads) {
  check_admissible(p, field);
  if (rows <= 0 || cols <= 0) return {};
  return with_field(field, [&](auto type, bool balanced) {
    return minor_of<typename decltype(type)::type>(entries, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols),
                                    static_cast<std::size_t>(stride), p, balanced, threads);
  });
}

FflasMinor fflas_nonsingular_minor_in_place(std::uint64_t* entries, std::int64_t rows, std::int64_t cols,
                                            std::int64_t stride, std::uint64_t p, FflasField field, int threads) {
  check_admissible(p, field);
  if (rows <= 0 || cols <= 0) return {};
  return with_field(field, [&](auto type, bool balanced) {
    return minor_in_place<typename decltype(type)::type>(entries, static_cast<std::size_t>(rows),
                                                         static_cast<std::size_t>(cols), static_cast<std::size_t>(stride),
                                                         p, balanced, threads);
  });
}

std::string blas_description() {
  return std::string(openblas_get_config()) + ", " + std::to_string(openblas_get_num_threads()) + " thread(s)";
}

}  // namespace seprank
