#include "seprank/model/network_spec.hpp"

#include <charconv>
#include <cstdint>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// "--fixed-templates" on the command line, "fixed_templates" in a theorem file.
std::string field_name(const std::string& option, SpellingSource source) {
  if (source == SpellingSource::command_line) return "--" + option;
  std::string key = option;
  for (char& c : key)
    if (c == '-') c = '_';
  return key;
}

// A whole-string decimal number (its sign and range are checked with the geometry); beyond
// 10^9 it is a size above every hard limit, a resource error like the limits themselves.
int parse_size(const std::string& text, const std::string& what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
    throw data_error(what + ": '" + text + "' is not a number");
  if (ec == std::errc::result_out_of_range || value > 1'000'000'000)
    throw resource_error(what + ": '" + text + "' is above every size limit");
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

void parse_input_shape(const std::string& text, Architecture& arch, const std::string& name) {
  const std::vector<std::string> parts = split(text, 'x');
  if (parts.size() == 1) {
    arch.dims = 1;
    arch.height = 1;
    arch.width = parse_size(parts[0], name);
  } else if (parts.size() == 2) {
    arch.dims = 2;
    arch.height = parse_size(parts[0], name + " rows");
    arch.width = parse_size(parts[1], name + " cols");
  } else {
    throw data_error(name + ": '" + text + "' is neither N nor HxW");
  }
}

std::vector<LayerSpec> parse_layers(const std::string& text, const std::string& name) {
  std::vector<LayerSpec> layers;
  for (const std::string& item : split(text, ',')) {
    const std::string where = name + " item '" + item + "'";
    LayerSpec spec;
    if (item.rfind("pool", 0) == 0) {
      const std::vector<std::string> parts = split(item.substr(4), '/');
      if (parts.size() > 2) throw data_error(where + ": expected poolR/S or poolR");
      spec.pooling = true;
      spec.window = parse_size(parts[0], where);
      spec.stride = parts.size() == 2 ? parse_size(parts[1], where) : spec.window;
    } else {
      const std::vector<std::string> parts = split(item, '/');
      if (parts.size() != 3) throw data_error(where + ": expected R/S/C or poolR/S");
      spec.window = parse_size(parts[0], where);
      spec.stride = parse_size(parts[1], where);
      spec.channels = parse_size(parts[2], where);
    }
    layers.push_back(spec);
  }
  return layers;
}

Sharing parse_sharing(const std::string& text, const std::string& name) {
  if (text == "conv") return Sharing::conv;
  if (text == "local") return Sharing::local;
  if (text == "1x1") return Sharing::one_by_one;
  throw data_error(name + ": '" + text + "' is not one of conv, local, 1x1");
}

Padding parse_padding(const std::string& text, const std::string& name) {
  if (text == "valid") return Padding::valid;
  if (text == "same") return Padding::same;
  throw data_error(name + ": '" + text + "' is not one of valid, same");
}

// M: a positive decimal; above the hard limit a resource error, like every other size.
int parse_templates(const std::string& text, const std::string& name) {
  std::uint64_t m = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), m);
  if (text.empty() || end != text.data() + text.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
    throw data_error(name + ": '" + text + "' is not a positive integer");
  if (ec == std::errc::result_out_of_range || m > static_cast<std::uint64_t>(max_templates))
    throw resource_error(name + " must be at most " + std::to_string(max_templates));
  if (m < 1) throw data_error(name + " must be at least 1");
  return static_cast<int>(m);
}

Representation parse_representation(const std::string& text, const std::string& name) {
  if (text == "random") return Representation::random;
  if (text == "identity") return Representation::identity;
  throw data_error(name + ": '" + text + "' is not one of random, identity");
}

}  // namespace

NetworkSpec parse_network_spelling(const NetworkSpelling& s, SpellingSource source) {
  NetworkSpec spec;
  parse_input_shape(s.input, spec.arch, field_name("input", source));
  spec.arch.templates = parse_templates(s.templates, field_name("templates", source));
  spec.arch.layers = parse_layers(s.layers, field_name("layers", source));
  spec.arch.sharing = parse_sharing(s.sharing, field_name("sharing", source));
  spec.arch.padding = parse_padding(s.padding, field_name("padding", source));
  spec.partition = s.partition;
  spec.vary = s.vary;
  spec.fixed_templates = s.fixed_templates;
  spec.representation = parse_representation(s.templates_matrix, field_name("templates-matrix", source));
  return spec;
}

void parse_input_shape(const std::string& text, Architecture& arch) { parse_input_shape(text, arch, "--input"); }
std::vector<LayerSpec> parse_layers(const std::string& text) { return parse_layers(text, "--layers"); }
Sharing parse_sharing(const std::string& text) { return parse_sharing(text, "--sharing"); }
Padding parse_padding(const std::string& text) { return parse_padding(text, "--padding"); }

}  // namespace seprank
