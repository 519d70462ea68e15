// An independent, deliberately naive forward evaluation for tests: one full pass per entry,
// its own geometry arithmetic (written from docs/model.md, sharing nothing with src/), arithmetic
// mod p with __int128. Slow and obvious on purpose.
#pragma once

#include <cstdint>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/network_weights.hpp"

namespace reference {

using u64 = std::uint64_t;

inline u64 reduce(std::int64_t v, u64 p) {
  const __int128 r = static_cast<__int128>(v) % static_cast<__int128>(p);
  return static_cast<u64>(r < 0 ? r + p : r);
}

// h(assignment) mod p. assignment[i] = template at linear position i.
inline u64 evaluate(const seprank::Architecture& a, const seprank::NetworkWeights& w, u64 p,
                    const std::vector<int>& assignment) {
  const int m = a.templates;
  int h = a.height, wd = a.width, ch = m;
  // x[pos][c]
  std::vector<std::vector<u64>> x(static_cast<std::size_t>(h * wd));
  for (int i = 0; i < h * wd; ++i)
    for (int c = 0; c < m; ++c) x[i].push_back(reduce(w.representation[assignment[i] * m + c], p));
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const auto& spec = a.layers[l];
    const int rh = a.dims == 2 ? spec.window : 1, sh = a.dims == 2 ? spec.stride : 1;
    const int rw = spec.window, sw = spec.stride;
    int oh, ow, ph = 0, pw = 0;
    if (a.padding == seprank::Padding::valid) {
      oh = (h - rh) / sh + 1;
      ow = (wd - rw) / sw + 1;
    } else {
      oh = (h + sh - 1) / sh;
      ow = (wd + sw - 1) / sw;
      ph = std::max((oh - 1) * sh + rh - h, 0) / 2;
      pw = std::max((ow - 1) * sw + rw - wd, 0) / 2;
    }
    const int out_ch = spec.pooling ? ch : spec.channels;
    std::vector<std::vector<u64>> y(static_cast<std::size_t>(oh * ow), std::vector<u64>(out_ch, 1));
    for (int uy = 0; uy < oh; ++uy)
      for (int ux = 0; ux < ow; ++ux)
        for (int oy = 0; oy < rh; ++oy)
          for (int ox = 0; ox < rw; ++ox) {
            const int iy = uy * sh - ph + oy, ix = ux * sw - pw + ox;
            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
            const int u = uy * ow + ux, k = oy * rw + ox;
            const auto& in = x[iy * wd + ix];
            for (int c = 0; c < out_ch; ++c) {
              u64 t = 0;
              if (spec.pooling) {
                t = in[c];
              } else {
                std::int64_t mat = 0;
                if (a.sharing == seprank::Sharing::conv) mat = k;
                if (a.sharing == seprank::Sharing::local) mat = static_cast<std::int64_t>(u) * rh * rw + k;
                const std::int64_t base = (mat * out_ch + c) * ch;
                for (int c2 = 0; c2 < ch; ++c2)
                  t = static_cast<u64>((static_cast<unsigned __int128>(t) +
                                        static_cast<unsigned __int128>(reduce(w.layers[l][base + c2], p)) * in[c2]) % p);
              }
              y[u][c] = static_cast<u64>(static_cast<unsigned __int128>(y[u][c]) * t % p);
            }
          }
    x = std::move(y);
    h = oh;
    wd = ow;
    ch = out_ch;
  }
  u64 out = 0;
  for (int c = 0; c < ch; ++c)
    out = static_cast<u64>((static_cast<unsigned __int128>(out) + static_cast<unsigned __int128>(reduce(w.readout[c], p)) * x[0][c]) % p);
  return out;
}

// The matricization, rows over the templates of in_i (first most significant), columns over
// in_j, every other position held at fixed[position] (a submatrix when in_i, in_j do not
// cover everything), mod p.
inline std::vector<std::vector<u64>> matricize(const seprank::Architecture& a, const seprank::NetworkWeights& w,
                                               u64 p, const std::vector<int>& in_i, const std::vector<int>& in_j,
                                               const std::vector<int>& fixed = {}) {
  u64 rows = 1, cols = 1;
  for (std::size_t i = 0; i < in_i.size(); ++i) rows *= a.templates;
  for (std::size_t i = 0; i < in_j.size(); ++i) cols *= a.templates;
  std::vector<std::vector<u64>> out(rows, std::vector<u64>(cols));
  std::vector<int> assignment(static_cast<std::size_t>(a.height * a.width));
  if (!fixed.empty()) assignment = fixed;
  for (u64 r = 0; r < rows; ++r)
    for (u64 c = 0; c < cols; ++c) {
      u64 rr = r, cc = c;
      for (std::size_t t = in_i.size(); t-- > 0; rr /= a.templates) assignment[in_i[t]] = static_cast<int>(rr % a.templates);
      for (std::size_t t = in_j.size(); t-- > 0; cc /= a.templates) assignment[in_j[t]] = static_cast<int>(cc % a.templates);
      out[r][c] = evaluate(a, w, p, assignment);
    }
  return out;
}

}  // namespace reference
