// The architecture of a ConvAC (docs/model.md): input shape, templates, layers, sharing, padding,
// and the geometry each layer derives from it. Weights live elsewhere (network_weights.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seprank {

enum class Sharing { conv, local, one_by_one };
enum class Padding { valid, same };

std::string to_string(Sharing s);   // "conv", "local", "1x1"
std::string to_string(Padding p);   // "valid", "same"

struct LayerSpec {
  bool pooling = false;  // a pool layer: no weights, channels = previous layer's
  int window = 1;        // R (R×R in 2D)
  int stride = 1;        // S
  int channels = 0;      // C; ignored for pool layers
};

struct Architecture {
  int dims = 1;    // 1 or 2; a 1D input of length N is stored as height 1, width N
  int height = 1;
  int width = 1;
  int templates = 2;  // M
  std::vector<LayerSpec> layers;
  Sharing sharing = Sharing::conv;
  Padding padding = Padding::valid;

  int positions() const { return height * width; }
};

// What one layer does on its input map, with every size resolved.
struct LayerGeometry {
  bool pooling = false;
  int in_height = 1, in_width = 1;
  int out_height = 1, out_width = 1;
  int window_height = 1, window_width = 1;  // 1D: window_height = 1
  int stride_height = 1, stride_width = 1;  // 1D: stride_height = 1
  int pad_top = 0, pad_left = 0;            // "same" padding only
  int in_channels = 0, out_channels = 0;

  int offsets() const { return window_height * window_width; }
  int units() const { return out_height * out_width; }
  int in_units() const { return in_height * in_width; }
  // Linear input position read by `unit` at window offset `offset` (row-major),
  // or -1 when it falls outside the map ("same" padding leaves it out of the product).
  int input_of(int unit, int offset) const;
  // Number of weight matrices this layer owns under the given sharing mode.
  std::int64_t weight_matrices(Sharing sharing) const;
  // Which weight matrix unit `unit` uses at `offset`.
  std::int64_t weight_index(Sharing sharing, int unit, int offset) const;
};

// Resolves every layer; throws a data error when a window does not fit, a size is
// non-positive or beyond the limits, or the last layer leaves more than one position.
std::vector<LayerGeometry> resolve_geometry(const Architecture& arch);

// Human-readable one-line description, e.g. "4x4, M=2, 3/1/2,2/2/2,pool2/2 conv valid".
std::string describe(const Architecture& arch);

// Limits on user-given sizes (checked before anything is allocated).
inline constexpr int max_side = 4096;
inline constexpr int max_positions = 4096;
inline constexpr int max_templates = 1024;
inline constexpr int max_channels = 65536;
inline constexpr int max_layers = 64;
inline constexpr std::int64_t max_weight_entries = 100'000'000;
// Units × window offsets summed over the layers: every pass over the network (evaluation,
// the min-cut's unrolling, --vary auto) walks them. Valid padding never comes near it (a 1D
// input of 4096 has at most ~8·10^6); "same" padding admits windows far larger than the map.
inline constexpr std::int64_t max_window_taps = std::int64_t{1} << 24;

}  // namespace seprank
