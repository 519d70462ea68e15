// The conventions of docs/model.md and README.md, computed independently for tests: the input
// shape and linear index, every named partition, --vary (all, auto, mask:, indices:) and
// --fixed-templates. Written from the documents' text, sharing no code with src/ (no seprank
// header is included), so that a convention bug in src/ fails a value assertion instead of
// being fed to the reference evaluator as its expected input.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace model {

// docs/model.md "Input": `--input N` is 1D (one row, H = 1); `--input HxW` has H rows and W
// columns; position (r, c) has linear index r·W + c.
struct Grid {
  int dims = 1;
  int height = 1;
  int width = 1;
  int positions() const { return height * width; }
  int row(int i) const { return i / width; }
  int col(int i) const { return i % width; }
};

inline Grid grid(const std::string& input) {
  Grid g;
  const std::size_t x = input.find('x');
  if (x == std::string::npos) {
    g.width = std::stoi(input);
  } else {
    g.dims = 2;
    g.height = std::stoi(input.substr(0, x));
    g.width = std::stoi(input.substr(x + 1));
  }
  return g;
}

inline std::vector<int> parse_indices(const std::string& list) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    out.push_back(std::stoi(list.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The set I of docs/model.md "Partitions" (linear indices, increasing), possibly empty or
// everything (the caller decides what that means).
// - left-right: column c < floor(W/2) (1D: i < floor(N/2));
// - top-bottom: row r < floor(H/2) (1D: same as left-right);
// - odd-even: (r + c) even (1D: i even);
// - mask:<0/1 per linear index>, 1 = in I;  indices:<i,j,...>: I's linear indices.
inline std::vector<int> side_i(const std::string& spec, const Grid& g) {
  std::vector<int> in;
  const int n = g.positions();
  if (spec == "left-right" || (spec == "top-bottom" && g.dims == 1)) {
    const int half = g.dims == 1 ? n / 2 : g.width / 2;
    for (int i = 0; i < n; ++i)
      if ((g.dims == 1 ? i : g.col(i)) < half) in.push_back(i);
  } else if (spec == "top-bottom") {
    for (int i = 0; i < n; ++i)
      if (g.row(i) < g.height / 2) in.push_back(i);
  } else if (spec == "odd-even") {
    for (int i = 0; i < n; ++i)
      if ((g.dims == 1 ? i : g.row(i) + g.col(i)) % 2 == 0) in.push_back(i);
  } else if (spec.rfind("mask:", 0) == 0) {
    const std::string mask = spec.substr(5);
    if (mask.size() != static_cast<std::size_t>(n)) throw std::invalid_argument("mask length");
    for (int i = 0; i < n; ++i)
      if (mask[static_cast<std::size_t>(i)] == '1') in.push_back(i);
  } else if (spec.rfind("indices:", 0) == 0) {
    in = parse_indices(spec.substr(8));
  } else {
    throw std::invalid_argument("unknown partition " + spec);
  }
  return in;
}

inline std::vector<int> complement(const std::vector<int>& in, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i)
    if (!std::binary_search(in.begin(), in.end(), i)) out.push_back(i);
  return out;
}

// One spatial axis of a layer (docs/model.md "Padding"): the input coordinates unit u covers,
// those outside [0, n) left out ("same" padding).
struct Axis {
  int out = 0;
  int pad_before = 0;
};

inline Axis axis(int n, int window, int stride, bool same) {
  Axis a;
  if (same) {
    a.out = (n + stride - 1) / stride;
    a.pad_before = std::max((a.out - 1) * stride + window - n, 0) / 2;
  } else {
    a.out = (n - window) / stride + 1;  // the caller keeps window <= n
  }
  return a;
}

// The first layer's window, "R/S/C", "poolR/S" or "poolR" (stride R): (R, S).
struct Window {
  int size = 1;
  int stride = 1;
};

inline Window first_window(const std::string& layers) {
  std::string first = layers.substr(0, layers.find(','));
  const bool pool = first.rfind("pool", 0) == 0;
  if (pool) first = first.substr(4);
  const std::size_t slash = first.find('/');
  Window w;
  w.size = std::stoi(first.substr(0, slash));
  if (slash == std::string::npos) {
    w.stride = w.size;  // poolR: stride R
  } else {
    const std::size_t slash2 = first.find('/', slash + 1);
    w.stride = std::stoi(first.substr(slash + 1, slash2 == std::string::npos ? std::string::npos : slash2 - slash - 1));
  }
  return w;
}

// The receptive field of every first-layer unit: the linear positions its window covers inside
// the map. 1D: the row axis has window 1 and stride 1.
inline std::vector<std::vector<int>> first_layer_fields(const Grid& g, const Window& w, bool same) {
  const int rh = g.dims == 2 ? w.size : 1, sh = g.dims == 2 ? w.stride : 1;
  const Axis ay = axis(g.height, rh, sh, same), ax = axis(g.width, w.size, w.stride, same);
  std::vector<std::vector<int>> fields;
  for (int uy = 0; uy < ay.out; ++uy)
    for (int ux = 0; ux < ax.out; ++ux) {
      std::vector<int> field;
      for (int oy = 0; oy < rh; ++oy)
        for (int ox = 0; ox < w.size; ++ox) {
          const int y = uy * sh - ay.pad_before + oy, x = ux * w.stride - ax.pad_before + ox;
          if (y >= 0 && y < g.height && x >= 0 && x < g.width) field.push_back(y * g.width + x);
        }
      fields.push_back(std::move(field));
    }
  return fields;
}

// --vary auto: a first-layer unit whose receptive field meets both I and J makes every position
// of its field vary. Returns the varying positions, increasing.
inline std::vector<int> auto_vary(const Grid& g, const std::vector<int>& in_i, const Window& w, bool same) {
  std::vector<char> varies(static_cast<std::size_t>(g.positions()), 0);
  for (const std::vector<int>& field : first_layer_fields(g, w, same)) {
    bool meets_i = false, meets_j = false;
    for (int pos : field) (std::binary_search(in_i.begin(), in_i.end(), pos) ? meets_i : meets_j) = true;
    if (meets_i && meets_j)
      for (int pos : field) varies[static_cast<std::size_t>(pos)] = 1;
  }
  std::vector<int> out;
  for (int i = 0; i < g.positions(); ++i)
    if (varies[static_cast<std::size_t>(i)]) out.push_back(i);
  return out;
}

// --fixed-templates: one template for all positions, or one digit per position.
inline std::vector<int> fixed_templates(const std::string& text, int n) {
  if (text.size() == static_cast<std::size_t>(n) && n > 1) {
    std::vector<int> out;
    for (char c : text) out.push_back(c - '0');
    return out;
  }
  return std::vector<int>(static_cast<std::size_t>(n), std::stoi(text));
}

// What the documents say one request assembles: I and J, the varying positions on each side
// (rows over vary_i, first most significant; columns over vary_j), the others' templates.
struct Submatrix {
  std::vector<int> i, j;
  std::vector<int> vary_i, vary_j;
  std::vector<int> fixed;
  bool whole() const { return vary_i.size() == i.size() && vary_j.size() == j.size(); }
};

inline std::vector<int> intersect(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// nullopt when the documents say the request is refused: a partition side empty, or a --vary
// leaving one side without a varying position.
inline std::optional<Submatrix> submatrix(const std::string& input, const std::string& layers,
                                          bool same_padding, const std::string& partition,
                                          const std::string& vary = "all", const std::string& fixed = "0") {
  const Grid g = grid(input);
  const int n = g.positions();
  Submatrix s;
  s.i = side_i(partition, g);
  s.j = complement(s.i, n);
  if (s.i.empty() || s.j.empty()) return std::nullopt;
  std::vector<int> varying;
  if (vary == "all")
    varying = complement({}, n);
  else if (vary == "auto")
    varying = auto_vary(g, s.i, first_window(layers), same_padding);
  else
    varying = side_i(vary, g);  // mask:/indices: name the varying positions
  s.vary_i = intersect(s.i, varying);
  s.vary_j = intersect(s.j, varying);
  if (s.vary_i.empty() || s.vary_j.empty()) return std::nullopt;
  s.fixed = fixed_templates(fixed, n);
  return s;
}

}  // namespace model
