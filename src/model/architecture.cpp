#include "seprank/model/architecture.hpp"

#include <sstream>

#include "seprank/support/errors.hpp"

namespace seprank {

std::string to_string(Sharing s) {
  switch (s) {
    case Sharing::conv: return "conv";
    case Sharing::local: return "local";
    case Sharing::one_by_one: return "1x1";
  }
  return "?";
}

std::string to_string(Padding p) { return p == Padding::valid ? "valid" : "same"; }

int LayerGeometry::input_of(int unit, int offset) const {
  const int uy = unit / out_width, ux = unit % out_width;
  const int oy = offset / window_width, ox = offset % window_width;
  const int y = uy * stride_height - pad_top + oy;
  const int x = ux * stride_width - pad_left + ox;
  if (y < 0 || y >= in_height || x < 0 || x >= in_width) return -1;
  return y * in_width + x;
}

std::int64_t LayerGeometry::weight_matrices(Sharing sharing) const {
  if (pooling) return 0;
  switch (sharing) {
    case Sharing::conv: return offsets();
    case Sharing::local: return static_cast<std::int64_t>(units()) * offsets();
    case Sharing::one_by_one: return 1;
  }
  return 0;
}

std::int64_t LayerGeometry::weight_index(Sharing sharing, int unit, int offset) const {
  switch (sharing) {
    case Sharing::conv: return offset;
    case Sharing::local: return static_cast<std::int64_t>(unit) * offsets() + offset;
    case Sharing::one_by_one: return 0;
  }
  return 0;
}

namespace {

struct AxisResult {
  int out = 0;
  int pad_before = 0;
};

// One spatial axis of one layer; see docs/model.md for both padding conventions.
AxisResult resolve_axis(int n, int window, int stride, Padding padding, int layer) {
  AxisResult r;
  if (padding == Padding::valid) {
    if (window > n)
      throw data_error("layer " + std::to_string(layer + 1) + ": window " + std::to_string(window) +
                       " is larger than its input map (" + std::to_string(n) + ")");
    r.out = (n - window) / stride + 1;
  } else {
    r.out = (n + stride - 1) / stride;
    const long total = static_cast<long>(r.out - 1) * stride + window - n;
    r.pad_before = static_cast<int>(total > 0 ? total / 2 : 0);
  }
  return r;
}

}  // namespace

std::vector<LayerGeometry> resolve_geometry(const Architecture& arch) {
  if (arch.dims != 1 && arch.dims != 2) throw data_error("input must be 1D or 2D");
  if (arch.dims == 1 && arch.height != 1) throw data_error("a 1D input has height 1");
  if (arch.height < 1 || arch.width < 1) throw data_error("input sizes must be at least 1");
  if (arch.height > max_side || arch.width > max_side ||
      static_cast<long>(arch.height) * arch.width > max_positions)
    throw resource_error("input has more than " + std::to_string(max_positions) + " positions");
  if (arch.templates < 1) throw data_error("templates (M) must be at least 1");
  if (arch.templates > max_templates)
    throw resource_error("templates (M) must be at most " + std::to_string(max_templates));
  if (arch.layers.empty()) throw data_error("the network needs at least one layer");
  if (arch.layers.size() > static_cast<std::size_t>(max_layers))
    throw resource_error("at most " + std::to_string(max_layers) + " layers");

  std::vector<LayerGeometry> out;
  int h = arch.height, w = arch.width, channels = arch.templates;
  std::int64_t weight_entries = 0, window_taps = 0;
  for (std::size_t i = 0; i < arch.layers.size(); ++i) {
    const LayerSpec& spec = arch.layers[i];
    const int layer = static_cast<int>(i);
    const std::string name = "layer " + std::to_string(layer + 1);
    if (spec.window < 1) throw data_error(name + ": window must be at least 1");
    if (spec.stride < 1) throw data_error(name + ": stride must be at least 1");
    if (spec.window > max_side || spec.stride > max_side)
      throw resource_error(name + ": window and stride must be at most " + std::to_string(max_side));
    if (!spec.pooling && spec.channels < 1) throw data_error(name + ": channels must be at least 1");
    if (!spec.pooling && spec.channels > max_channels)
      throw resource_error(name + ": channels must be at most " + std::to_string(max_channels));

    LayerGeometry g;
    g.pooling = spec.pooling;
    g.in_height = h;
    g.in_width = w;
    g.in_channels = channels;
    g.out_channels = spec.pooling ? channels : spec.channels;
    g.window_width = spec.window;
    g.stride_width = spec.stride;
    if (arch.dims == 2) {
      g.window_height = spec.window;
      g.stride_height = spec.stride;
    }
    const AxisResult ry = resolve_axis(h, g.window_height, g.stride_height, arch.padding, layer);
    const AxisResult rx = resolve_axis(w, g.window_width, g.stride_width, arch.padding, layer);
    g.out_height = ry.out;
    g.out_width = rx.out;
    g.pad_top = ry.pad_before;
    g.pad_left = rx.pad_before;
    const std::int64_t taps = static_cast<std::int64_t>(g.units()) * g.offsets();
    if (taps > max_window_taps - window_taps)
      throw resource_error(name + ": its units read " + std::to_string(taps) +
                           " window offsets; the network may have at most " +
                           std::to_string(max_window_taps) + " in all (a window much larger than its map?)");
    window_taps += taps;
    // Compared by division: matrices × channels² can exceed 2^63 (local sharing, many
    // offsets) long before anything is allocated.
    const std::int64_t per_matrix = static_cast<std::int64_t>(g.out_channels) * g.in_channels;
    const std::int64_t matrices = g.weight_matrices(arch.sharing);
    if (matrices > 0 && per_matrix > (max_weight_entries - weight_entries) / matrices)
      throw resource_error("the network has more than " + std::to_string(max_weight_entries) +
                           " weights");
    weight_entries += matrices * per_matrix;
    out.push_back(g);
    h = g.out_height;
    w = g.out_width;
    channels = g.out_channels;
  }
  if (h != 1 || w != 1)
    throw data_error("the last layer leaves " + std::to_string(h) + "x" + std::to_string(w) +
                     " positions; it must leave exactly one (add a global layer)");
  return out;
}

std::string describe(const Architecture& arch) {
  std::ostringstream s;
  if (arch.dims == 1)
    s << arch.width;
  else
    s << arch.height << "x" << arch.width;
  s << ", M=" << arch.templates << ", layers ";
  for (std::size_t i = 0; i < arch.layers.size(); ++i) {
    const LayerSpec& l = arch.layers[i];
    if (i) s << ",";
    if (l.pooling)
      s << "pool" << l.window << "/" << l.stride;
    else
      s << l.window << "/" << l.stride << "/" << l.channels;
  }
  s << ", " << to_string(arch.sharing) << ", " << to_string(arch.padding);
  return s.str();
}

}  // namespace seprank
