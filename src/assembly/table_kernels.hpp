// The arithmetic of the table assembly (table_assembly.cpp): a few loops over raw arrays of
// residues, compiled on their own with the machine's vector instructions (CMake cache variable
// SEPRANK_ARCH_FLAGS, as for rank_fflas.cpp). The file includes no template of the
// standard library, so nothing it compiles can be shared with, or replace, code of another file.
//
// Two representations of GF(p):
//  * DoubleField, p < 2^26: residues as doubles in (-p, p). A product of two is below
//    (p-1)^2 < 2^52, exact; `max_terms` such products can be summed exactly before a reduction
//    h - round(h/p)·p (round by adding and subtracting 1.5·2^52, exact for |h/p| < 2^51).
//  * MontField, odd p < 2^63: Montgomery form x·2^64 mod p as 64-bit words in [0, p);
//    mul(a, b) = a·b·2^-64 mod p (REDC). A product of a Montgomery-form value and a value in
//    ordinary form is in ordinary form: the readout weights are kept in ordinary form, so the
//    final entries come out in ordinary form.
#pragma once

#include <cstddef>
#include <cstdint>

namespace seprank::table_kernels {

inline constexpr int max_runs = 64;

// An output table's entries in order, as nested runs (run 0 innermost): each run is a group of
// consecutive digits whose membership in the two input tables A and B is the same. `count[i]`
// is run i's number of values (M^length), `step_a[i]`/`step_b[i]` how far A's and B's index
// moves when the run's value increases by one (0 when the table does not hold those digits).
// Run 0's steps are 0 or 1. The output index moves by one per entry. A view of arrays of `runs`
// (1 to max_runs) words each, owned by the caller.
struct RunLoop {
  int runs = 0;
  const std::uint64_t* count = nullptr;
  const std::uint64_t* step_a = nullptr;
  const std::uint64_t* step_b = nullptr;
  std::uint64_t size() const {
    std::uint64_t s = 1;
    for (int i = 0; i < runs; ++i) s *= count[i];
    return s;
  }
};

struct DoubleField {
  double p = 0;
  double pinv = 0;  // 1/p rounded
  int max_terms = 1;  // products of two residues in (-p, p) summable before a reduction
};

struct MontField {
  std::uint64_t p = 0;
  std::uint64_t ninv = 0;  // -p^{-1} mod 2^64
  std::uint64_t one = 0;   // 2^64 mod p: 1 in Montgomery form
  std::uint64_t r2 = 0;    // 2^128 mod p: to_mont(x) = mul(x, r2)
};

// r[c·lr + i] = a[c·la + ia(i)] · b[c·lb + ib(i)] for c < channels and i over the loop.
void merge(const DoubleField& f, const RunLoop& loop, int channels, const double* a, std::size_t la,
           const double* b, std::size_t lb, double* r, std::size_t lr);
void merge(const MontField& f, const RunLoop& loop, int channels, const std::uint64_t* a, std::size_t la,
           const std::uint64_t* b, std::size_t lb, std::uint64_t* r, std::size_t lr);

// out[i] = Σ_c a[c·la + ia(i)] · b[c·lb + ib(i)] as a residue in [0, p), i over the loop.
// The double version uses `acc` (loop.size() doubles) as its accumulator.
void dot(const DoubleField& f, const RunLoop& loop, int channels, const double* a, std::size_t la, const double* b,
         std::size_t lb, double* acc, std::uint64_t* out);
void dot(const MontField& f, const RunLoop& loop, int channels, const std::uint64_t* a, std::size_t la,
         const std::uint64_t* b, std::size_t lb, std::uint64_t* out);

// z[o·len + i] = Σ_k w[o·cin + k] · t[k·lt + i] for o < cout, i < len: one weight matrix
// applied to a table of cin channels (w in Montgomery form for MontField).
void transform(const DoubleField& f, const double* w, int cout, int cin, const double* t, std::size_t lt,
               std::size_t len, double* z);
void transform(const MontField& f, const std::uint64_t* w, int cout, int cin, const std::uint64_t* t,
               std::size_t lt, std::size_t len, std::uint64_t* z);

// Scalar helpers for the set-up (weights, leaves), the same arithmetic as the loops.
double double_reduce(const DoubleField& f, double h);
std::uint64_t mont_mul(const MontField& f, std::uint64_t a, std::uint64_t b);

}  // namespace seprank::table_kernels
