// The loops of table_kernels.hpp. No standard-library template is used here (see the header).
#include "table_kernels.hpp"

namespace seprank::table_kernels {

namespace {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

// ---- GF(p), p < 2^26, as doubles ------------------------------------------------------------

// h - round(h/p)·p for an integer |h| <= max_terms·(p-1)^2 < 2^53 - p: round() by the 1.5·2^52
// trick (|h/p| < 2^51 because max_terms <= 2^20 and p < 2^26); q·p and the difference are
// integers below 2^53, hence exact, and |result| < p (q is within one of h/p).
inline double reduce(double h, double p, double pinv) {
  const double magic = 6755399441055744.0;  // 1.5 * 2^52
  const double q = (h * pinv + magic) - magic;
  return h - q * p;
}

inline u64 canonical(double v, double p) { return static_cast<u64>(v < 0 ? v + p : v); }

// ---- GF(p), odd p < 2^63, Montgomery form ---------------------------------------------------

// t·2^-64 mod p for t < p·2^64, in [0, p).
inline u64 redc(u128 t, u64 p, u64 ninv) {
  const u64 lo = static_cast<u64>(t), hi = static_cast<u64>(t >> 64);
  const u64 m = lo * ninv;  // t + m·p = 0 mod 2^64
  const u64 mp_hi = static_cast<u64>((static_cast<u128>(m) * p) >> 64);
  const u64 s = hi + mp_hi + (lo != 0);  // (t + m·p) / 2^64 < 2p
  return s >= p ? s - p : s;
}
inline u64 mmul(u64 a, u64 b, u64 p, u64 ninv) { return redc(static_cast<u128>(a) * b, p, ninv); }
inline u64 madd(u64 a, u64 b, u64 p) {
  const u64 s = a + b;  // < 2p < 2^64
  return s >= p ? s - p : s;
}

// ---- iteration ----------------------------------------------------------------------------

// Run 0's kind: which of A and B move with it.
enum Kind { both, a_only, b_only, neither };
inline Kind inner_kind(const RunLoop& loop) {
  const bool a = loop.step_a[0] != 0, b = loop.step_b[0] != 0;
  return a && b ? both : a ? a_only : b ? b_only : neither;
}

// One pass over run 0: o[i] = f(o[i], x(i), y(i)) for i < n (n = N when N > 0, so that short
// runs are unrolled and the loop over run 1 around them stays tight).
template <Kind K, int N, class T, class R, class F>
inline void inner(const T* x, const T* y, R* o, u64 n, F f) {
  const u64 count = N > 0 ? static_cast<u64>(N) : n;
  for (u64 i = 0; i < count; ++i) {
    const T xi = (K == both || K == a_only) ? x[i] : x[0];
    const T yi = (K == both || K == b_only) ? y[i] : y[0];
    o[i] = f(o[i], xi, yi);
  }
}

// The whole loop: run 0 by `inner`, run 1 around it, the other runs as an odometer.
template <Kind K, int N, class T, class R, class F>
void loop_runs(const RunLoop& loop, const T* a, const T* b, R* r, F f) {
  const u64 n0 = loop.count[0];
  const u64 n1 = loop.runs > 1 ? loop.count[1] : 1;
  const u64 sa1 = loop.runs > 1 ? loop.step_a[1] : 0, sb1 = loop.runs > 1 ? loop.step_b[1] : 0;
  u64 idx[max_runs] = {};
  u64 ia = 0, ib = 0;
  for (;;) {
    const T* x = a + ia;
    const T* y = b + ib;
    for (u64 j = 0; j < n1; ++j) {
      inner<K, N>(x, y, r, n0, f);
      x += sa1;
      y += sb1;
      r += n0;
    }
    int k = 2;
    for (; k < loop.runs; ++k) {
      if (++idx[k] < loop.count[k]) {
        ia += loop.step_a[k];
        ib += loop.step_b[k];
        break;
      }
      idx[k] = 0;
      ia -= (loop.count[k] - 1) * loop.step_a[k];
      ib -= (loop.count[k] - 1) * loop.step_b[k];
    }
    if (k >= loop.runs) return;
  }
}

template <Kind K, class T, class R, class F>
void loop_kind(const RunLoop& loop, const T* a, const T* b, R* r, F f) {
  switch (loop.count[0]) {
    case 2: return loop_runs<K, 2>(loop, a, b, r, f);
    case 3: return loop_runs<K, 3>(loop, a, b, r, f);
    case 4: return loop_runs<K, 4>(loop, a, b, r, f);
    case 8: return loop_runs<K, 8>(loop, a, b, r, f);
    case 9: return loop_runs<K, 9>(loop, a, b, r, f);
    case 16: return loop_runs<K, 16>(loop, a, b, r, f);
    default: return loop_runs<K, 0>(loop, a, b, r, f);
  }
}

// f over the loop into r: r[i] = f(r[i], A's entry, B's entry) in output order.
template <class T, class R, class F>
inline void map_loop(const RunLoop& loop, const T* a, const T* b, R* r, F f) {
  switch (inner_kind(loop)) {
    case both: return loop_kind<both>(loop, a, b, r, f);
    case a_only: return loop_kind<a_only>(loop, a, b, r, f);
    case b_only: return loop_kind<b_only>(loop, a, b, r, f);
    case neither: return loop_kind<neither>(loop, a, b, r, f);
  }
}

// transform() for cin <= 4 input channels whose products fit one REDC together.
template <int CIN>
void mont_transform_small(u64 p, u64 ninv, const u64* w, int cout, const u64* t, std::size_t lt, std::size_t len,
                          u64* z) {
  for (int o = 0; o < cout; ++o) {
    const u64* wo = w + static_cast<std::size_t>(o) * CIN;
    u64* zo = z + static_cast<std::size_t>(o) * len;
    for (std::size_t i = 0; i < len; ++i) {
      u128 acc = 0;
      for (int k = 0; k < CIN; ++k) acc += static_cast<u128>(wo[k]) * t[static_cast<std::size_t>(k) * lt + i];
      zo[i] = redc(acc, p, ninv);
    }
  }
}

}  // namespace

double double_reduce(const DoubleField& f, double h) { return reduce(h, f.p, f.pinv); }
std::uint64_t mont_mul(const MontField& f, std::uint64_t a, std::uint64_t b) { return mmul(a, b, f.p, f.ninv); }

void merge(const DoubleField& f, const RunLoop& loop, int channels, const double* a, std::size_t la,
           const double* b, std::size_t lb, double* r, std::size_t lr) {
  const double p = f.p, pinv = f.pinv;
  for (int c = 0; c < channels; ++c)
    map_loop(loop, a + c * la, b + c * lb, r + c * lr,
             [p, pinv](double, double x, double y) { return reduce(x * y, p, pinv); });
}

void merge(const MontField& f, const RunLoop& loop, int channels, const std::uint64_t* a, std::size_t la,
           const std::uint64_t* b, std::size_t lb, std::uint64_t* r, std::size_t lr) {
  const u64 p = f.p, ninv = f.ninv;
  for (int c = 0; c < channels; ++c)
    map_loop(loop, a + c * la, b + c * lb, r + c * lr,
             [p, ninv](u64, u64 x, u64 y) { return mmul(x, y, p, ninv); });
}

void dot(const DoubleField& f, const RunLoop& loop, int channels, const double* a, std::size_t la, const double* b,
         std::size_t lb, double* acc, std::uint64_t* out) {
  const double p = f.p, pinv = f.pinv;
  const u64 n = loop.size();
  int terms = 0;  // products (or reduced values) in acc
  for (int c = 0; c < channels; ++c) {
    if (c == 0) {
      map_loop(loop, a, b, acc, [](double, double x, double y) { return x * y; });
      terms = 1;
      continue;
    }
    if (terms == f.max_terms) {
      for (u64 i = 0; i < n; ++i) acc[i] = reduce(acc[i], p, pinv);
      terms = 1;
    }
    map_loop(loop, a + c * la, b + c * lb, acc, [](double s, double x, double y) { return s + x * y; });
    ++terms;
  }
  for (u64 i = 0; i < n; ++i) out[i] = canonical(reduce(acc[i], p, pinv), p);
}

void dot(const MontField& f, const RunLoop& loop, int channels, const std::uint64_t* a, std::size_t la,
         const std::uint64_t* b, std::size_t lb, std::uint64_t* out) {
  const u64 p = f.p, ninv = f.ninv;
  map_loop(loop, a, b, out, [p, ninv](u64, u64 x, u64 y) { return mmul(x, y, p, ninv); });
  for (int c = 1; c < channels; ++c)
    map_loop(loop, a + c * la, b + c * lb, out,
             [p, ninv](u64 s, u64 x, u64 y) { return madd(s, mmul(x, y, p, ninv), p); });
}

void transform(const DoubleField& f, const double* w, int cout, int cin, const double* t, std::size_t lt,
               std::size_t len, double* z) {
  const double p = f.p, pinv = f.pinv;
  constexpr std::size_t chunk = 512;  // the accumulator stays in L1
  double acc[chunk];
  for (std::size_t i0 = 0; i0 < len; i0 += chunk) {
    const std::size_t n = len - i0 < chunk ? len - i0 : chunk;
    for (int o = 0; o < cout; ++o) {
      const double* wo = w + static_cast<std::size_t>(o) * static_cast<std::size_t>(cin);
      int terms = 0;
      for (int k = 0; k < cin; ++k) {
        const double wk = wo[k];
        const double* tk = t + static_cast<std::size_t>(k) * lt + i0;
        if (k == 0) {
          for (std::size_t i = 0; i < n; ++i) acc[i] = wk * tk[i];
          terms = 1;
          continue;
        }
        if (terms == f.max_terms) {
          for (std::size_t i = 0; i < n; ++i) acc[i] = reduce(acc[i], p, pinv);
          terms = 1;
        }
        for (std::size_t i = 0; i < n; ++i) acc[i] += wk * tk[i];
        ++terms;
      }
      double* zo = z + static_cast<std::size_t>(o) * len + i0;
      for (std::size_t i = 0; i < n; ++i) zo[i] = reduce(acc[i], p, pinv);
    }
  }
}

void transform(const MontField& f, const std::uint64_t* w, int cout, int cin, const std::uint64_t* t,
               std::size_t lt, std::size_t len, std::uint64_t* z) {
  const u64 p = f.p, ninv = f.ninv;
  // Products are below p^2; s of them summed stay below p·2^64 (what REDC accepts) while s < 2^64/p.
  const u64 per_redc = ~u64{0} / p;  // >= 2 for p < 2^63
  if (static_cast<u64>(cin) <= per_redc && cin <= 4) {
    switch (cin) {
      case 1: return mont_transform_small<1>(p, ninv, w, cout, t, lt, len, z);
      case 2: return mont_transform_small<2>(p, ninv, w, cout, t, lt, len, z);
      case 3: return mont_transform_small<3>(p, ninv, w, cout, t, lt, len, z);
      default: return mont_transform_small<4>(p, ninv, w, cout, t, lt, len, z);
    }
  }
  for (int o = 0; o < cout; ++o) {
    const u64* wo = w + static_cast<std::size_t>(o) * static_cast<std::size_t>(cin);
    u64* zo = z + static_cast<std::size_t>(o) * len;
    for (std::size_t i = 0; i < len; ++i) {
      u64 sum = 0;
      u128 acc = 0;
      u64 terms = 0;
      for (int k = 0; k < cin; ++k) {
        acc += static_cast<u128>(wo[k]) * t[static_cast<std::size_t>(k) * lt + i];
        if (++terms == per_redc) {
          sum = madd(sum, redc(acc, p, ninv), p);
          acc = 0;
          terms = 0;
        }
      }
      zo[i] = terms ? madd(sum, redc(acc, p, ninv), p) : sum;
    }
  }
}

}  // namespace seprank::table_kernels
