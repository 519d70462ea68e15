#include "seprank/model/layer_spec_parser.hpp"

#include <charconv>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// A whole-string positive decimal number, at most 10^9 (sizes are bounded again later).
int parse_size(const std::string& text, const std::string& what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 1'000'000'000)
    throw usage_error(what + ": '" + text + "' is not a number");
  return value;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t next = text.find(sep, pos);
    parts.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return parts;
    pos = next + 1;
  }
}

}  // namespace

void parse_input_shape(const std::string& text, Architecture& arch) {
  const std::vector<std::string> parts = split(text, 'x');
  if (parts.size() == 1) {
    arch.dims = 1;
    arch.height = 1;
    arch.width = parse_size(parts[0], "--input");
  } else if (parts.size() == 2) {
    arch.dims = 2;
    arch.height = parse_size(parts[0], "--input rows");
    arch.width = parse_size(parts[1], "--input cols");
  } else {
    throw usage_error("--input: '" + text + "' is neither N nor HxW");
  }
}

std::vector<LayerSpec> parse_layers(const std::string& text) {
  std::vector<LayerSpec> layers;
  for (const std::string& item : split(text, ',')) {
    const std::string where = "--layers item '" + item + "'";
    LayerSpec spec;
    if (item.rfind("pool", 0) == 0) {
      const std::vector<std::string> parts = split(item.substr(4), '/');
      if (parts.size() > 2) throw usage_error(where + ": expected poolR/S or poolR");
      spec.pooling = true;
      spec.window = parse_size(parts[0], where);
      spec.stride = parts.size() == 2 ? parse_size(parts[1], where) : spec.window;
    } else {
      const std::vector<std::string> parts = split(item, '/');
      if (parts.size() != 3) throw usage_error(where + ": expected R/S/C or poolR/S");
      spec.window = parse_size(parts[0], where);
      spec.stride = parse_size(parts[1], where);
      spec.channels = parse_size(parts[2], where);
    }
    layers.push_back(spec);
  }
  return layers;
}

Sharing parse_sharing(const std::string& text) {
  if (text == "conv") return Sharing::conv;
  if (text == "local") return Sharing::local;
  if (text == "1x1") return Sharing::one_by_one;
  throw usage_error("--sharing: '" + text + "' is not one of conv, local, 1x1");
}

Padding parse_padding(const std::string& text) {
  if (text == "valid") return Padding::valid;
  if (text == "same") return Padding::same;
  throw usage_error("--padding: '" + text + "' is not one of valid, same");
}

}  // namespace seprank
