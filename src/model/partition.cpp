#include "seprank/model/partition.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "seprank/support/errors.hpp"

namespace seprank {

Partition partition_from_indices(std::vector<int> in_i, int positions) {
  std::sort(in_i.begin(), in_i.end());
  if (std::adjacent_find(in_i.begin(), in_i.end()) != in_i.end())
    throw data_error("partition: an index appears twice");
  std::vector<char> member(static_cast<std::size_t>(positions), 0);
  for (int i : in_i) {
    if (i < 0 || i >= positions)
      throw data_error("partition: index " + std::to_string(i) + " is outside 0.." +
                       std::to_string(positions - 1));
    member[static_cast<std::size_t>(i)] = 1;
  }
  Partition p;
  for (int i = 0; i < positions; ++i) (member[static_cast<std::size_t>(i)] ? p.I : p.J).push_back(i);
  if (p.I.empty() || p.J.empty()) throw data_error("partition: both sides must be non-empty");
  p.vary_I = p.I;
  p.vary_J = p.J;
  p.fixed_templates.assign(static_cast<std::size_t>(positions), 0);
  return p;
}

namespace {

std::vector<int> parse_index_list(const std::string& text, const std::string& option) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    int v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size())
      throw data_error(option + " indices: '" + item + "' is not an index");
    out.push_back(v);
    pos = comma + 1;
  }
  return out;
}

// The positions a partition name names (its I), in the order written; `option` names the
// option in messages ("--partition", "--vary"). Checked by the caller: range, repeats, sides.
std::vector<int> named_positions(const std::string& spec, const Architecture& arch, const std::string& option) {
  // The loops below run over every position: refuse an unvalidated input size first.
  if (arch.height < 1 || arch.width < 1) throw data_error("input sizes must be at least 1");
  if (static_cast<std::int64_t>(arch.height) * arch.width > max_positions)
    throw resource_error("input has more than " + std::to_string(max_positions) + " positions");
  const int n = arch.positions();
  std::vector<int> in_i;
  if (spec == "left-right" || (spec == "top-bottom" && arch.dims == 1)) {
    for (int i = 0; i < n; ++i)
      if (i % arch.width < arch.width / 2) in_i.push_back(i);
  } else if (spec == "top-bottom") {
    for (int i = 0; i < n; ++i)
      if (i / arch.width < arch.height / 2) in_i.push_back(i);
  } else if (spec == "odd-even") {
    // 1D: even i; 2D: checkerboard, (r + c) even. With height 1 these coincide.
    for (int i = 0; i < n; ++i)
      if ((i / arch.width + i % arch.width) % 2 == 0) in_i.push_back(i);
  } else if (spec.rfind("mask:", 0) == 0) {
    const std::string mask = spec.substr(5);
    if (mask.size() != static_cast<std::size_t>(n))
      throw data_error(option + " mask has " + std::to_string(mask.size()) + " characters; the input has " +
                       std::to_string(n) + " positions");
    for (int i = 0; i < n; ++i) {
      const char c = mask[static_cast<std::size_t>(i)];
      if (c != '0' && c != '1')
        throw data_error(option + " mask may contain only 0 and 1, found '" + std::string(1, c) + "'");
      if (c == '1') in_i.push_back(i);
    }
  } else if (spec.rfind("indices:", 0) == 0) {
    in_i = parse_index_list(spec.substr(8), option);
  } else {
    throw data_error(option + ": unknown partition '" + spec +
                      "' (left-right, top-bottom, odd-even, mask:..., indices:...)");
  }
  return in_i;
}

}  // namespace

Partition make_partition(const std::string& spec, const Architecture& arch) {
  Partition p = partition_from_indices(named_positions(spec, arch, "--partition"), arch.positions());
  p.spec = spec;
  return p;
}

void restrict_partition(Partition& p, const std::string& vary, const std::string& fixed, const Architecture& arch,
                        const std::vector<LayerGeometry>& geometry) {
  const int n = arch.positions();
  std::vector<char> varies(static_cast<std::size_t>(n), 0);
  if (vary == "all") {
    varies.assign(varies.size(), 1);
  } else if (vary == "auto") {
    std::vector<char> in_i(varies.size(), 0);
    for (int i : p.I) in_i[static_cast<std::size_t>(i)] = 1;
    const LayerGeometry& g = geometry.front();
    for (int u = 0; u < g.units(); ++u) {
      bool meets_i = false, meets_j = false;
      for (int k = 0; k < g.offsets(); ++k) {
        const int pos = g.input_of(u, k);
        if (pos >= 0) (in_i[static_cast<std::size_t>(pos)] ? meets_i : meets_j) = true;
      }
      if (meets_i && meets_j)
        for (int k = 0; k < g.offsets(); ++k)
          if (const int pos = g.input_of(u, k); pos >= 0) varies[static_cast<std::size_t>(pos)] = 1;
    }
  } else {
    // Reuse the partition syntax: the "I" of a mask/indices spec is the varying set. A
    // partition name (left-right, ...) is no submatrix specification (certificates record
    // only all, auto, mask: and indices:).
    if (vary.rfind("mask:", 0) != 0 && vary.rfind("indices:", 0) != 0)
      throw data_error("--vary: unknown specification '" + vary + "' (all, auto, mask:..., indices:...)");
    // V may be every position (the whole matrix, as "all"), unlike a partition's I.
    for (int i : named_positions(vary, arch, "--vary")) {
      if (i < 0 || i >= n) throw data_error("--vary: index " + std::to_string(i) + " is outside 0.." + std::to_string(n - 1));
      if (varies[static_cast<std::size_t>(i)]) throw data_error("--vary: index " + std::to_string(i) + " appears twice");
      varies[static_cast<std::size_t>(i)] = 1;
    }
  }
  std::vector<int> templates(static_cast<std::size_t>(n), 0);
  if (fixed.size() == static_cast<std::size_t>(n) && n > 1) {
    for (int i = 0; i < n; ++i) {
      const char digit = fixed[static_cast<std::size_t>(i)];
      if (digit < '0' || digit > '9')  // else ':' would pass for template 10
        throw data_error("--fixed-templates: '" + std::string(1, digit) + "' is not a digit");
      templates[static_cast<std::size_t>(i)] = digit - '0';
    }
  } else {
    int t = 0;
    auto [end, ec] = std::from_chars(fixed.data(), fixed.data() + fixed.size(), t);
    if (fixed.empty() || ec != std::errc() || end != fixed.data() + fixed.size())
      throw data_error("--fixed-templates: '" + fixed + "' is neither one template nor one digit per position");
    templates.assign(templates.size(), t);
  }
  for (int t : templates)
    if (t < 0 || t >= arch.templates)
      throw data_error("--fixed-templates: template " + std::to_string(t) + " is not in 0.." +
                       std::to_string(arch.templates - 1));
  p.vary_I.clear();
  p.vary_J.clear();
  for (int i : p.I)
    if (varies[static_cast<std::size_t>(i)]) p.vary_I.push_back(i);
  for (int j : p.J)
    if (varies[static_cast<std::size_t>(j)]) p.vary_J.push_back(j);
  if (p.vary_I.empty() || p.vary_J.empty())
    throw data_error("--vary " + vary + " leaves no varying position on one side of the partition");
  p.fixed_templates = std::move(templates);
  p.vary_spec = vary;
}

std::string canonical_partition_spec(const std::string& spec, std::vector<int> indices) {
  if (spec.rfind("indices:", 0) != 0) return spec;
  std::sort(indices.begin(), indices.end());
  std::string out = "indices:";
  for (std::size_t t = 0; t < indices.size(); ++t) {
    if (t) out += ',';
    out += std::to_string(indices[t]);
  }
  return out;
}

}  // namespace seprank
