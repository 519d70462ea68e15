#include "seprank/sweep/family.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "seprank/evidence/certificate.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/support/toml_text.hpp"

namespace seprank {

std::string FamilyMember::options() const {
  return "--input " + input + " --templates " + std::to_string(templates) + " --layers " + layers + " --sharing " +
         sharing + " --padding " + padding + " --partition " + partition;
}

namespace {

// Values a family may use: within the evidence formats' limits and small enough that the
// enumeration's candidate layers stay few (docs/sweep-format.md "Limits").
constexpr int max_list_length = 64;
constexpr int max_value = 64;
constexpr int max_depth = 8;
// Candidate layers tried while enumerating (the valid and the skipped ones): bounds the work
// of a family whose members are few but whose lists would make it try billions.
constexpr std::uint64_t max_candidates_tried = 100'000'000;

std::string place(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

// One table's keys, each asked for once; a key never asked for is a misspelling (refused).
class Keys {
 public:
  Keys(const toml::table& table, std::string path) : table_(table), path_(std::move(path)) {}

  std::string where() const { return place(path_, table_); }

  const toml::node* get(const std::string& key) {
    seen_.insert(key);
    return table_.get(key);
  }

  std::string string(const std::string& key, const std::optional<std::string>& fallback = std::nullopt) {
    const toml::node* node = get(key);
    if (!node) {
      if (fallback) return *fallback;
      throw data_error(where() + ": missing key '" + key + "'");
    }
    if (!node->is_string()) throw data_error(place(path_, *node) + ": '" + key + "' must be a string");
    return node->as_string()->get();
  }

  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
    const toml::node* node = get(key);
    if (!node) return fallback;
    if (!node->is_integer()) throw data_error(place(path_, *node) + ": '" + key + "' must be an integer");
    const std::int64_t v = node->as_integer()->get();
    if (v < lo || v > hi)
      throw data_error(place(path_, *node) + ": '" + key + "' must be in [" + std::to_string(lo) + ", " +
                       std::to_string(hi) + "]");
    return v;
  }

  // A non-empty list without repeats (a repeat would enumerate an architecture twice).
  const toml::array& list(const std::string& key, const toml::array* fallback = nullptr) {
    const toml::node* node = get(key);
    if (!node) {
      if (fallback) return *fallback;
      throw data_error(where() + ": missing key '" + key + "'");
    }
    const toml::array* a = node->as_array();
    if (!a) throw data_error(place(path_, *node) + ": '" + key + "' must be a list");
    if (a->empty()) throw data_error(place(path_, *node) + ": '" + key + "' is empty");
    if (a->size() > static_cast<std::size_t>(max_list_length))
      throw data_error(place(path_, *node) + ": '" + key + "' has more than " + std::to_string(max_list_length) +
                       " values");
    return *a;
  }

  std::vector<int> integers(const std::string& key, int lo, int hi, const std::vector<int>& fallback = {}) {
    toml::array defaults;
    for (int v : fallback) defaults.push_back(v);
    const toml::array& a = list(key, fallback.empty() ? nullptr : &defaults);
    std::vector<int> out;
    for (const toml::node& v : a) {
      const std::string at = &a == &defaults ? where() : place(path_, v);
      if (!v.is_integer()) throw data_error(at + ": '" + key + "' must be a list of integers");
      const std::int64_t x = v.as_integer()->get();
      if (x < lo || x > hi)
        throw data_error(at + ": '" + key + "' value " + std::to_string(x) + " is not in [" + std::to_string(lo) +
                         ", " + std::to_string(hi) + "]");
      if (std::find(out.begin(), out.end(), static_cast<int>(x)) != out.end())
        throw data_error(at + ": '" + key + "' lists " + std::to_string(x) + " twice");
      out.push_back(static_cast<int>(x));
    }
    return out;
  }

  // Strings, each one of `allowed` unless `allowed` is empty; `check` validates each.
  template <typename Check>
  std::vector<std::string> strings(const std::string& key, const std::vector<std::string>& allowed,
                                   const std::vector<std::string>& fallback, Check&& check) {
    toml::array defaults;
    for (const std::string& v : fallback) defaults.push_back(v);
    const toml::array& a = list(key, fallback.empty() ? nullptr : &defaults);
    std::vector<std::string> out;
    for (const toml::node& v : a) {
      const std::string at = &a == &defaults ? where() : place(path_, v);
      if (!v.is_string()) throw data_error(at + ": '" + key + "' must be a list of strings");
      const std::string s = v.as_string()->get();
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
        std::string names;
        for (const std::string& n : allowed) names += (names.empty() ? "" : ", ") + n;
        throw data_error(at + ": '" + key + "' value '" + s + "' is not one of " + names);
      }
      if (std::find(out.begin(), out.end(), s) != out.end())
        throw data_error(at + ": '" + key + "' lists '" + s + "' twice");
      try {
        check(s);
      } catch (const Error& e) {
        throw data_error(at + ": '" + key + "' value '" + s + "': " + e.what());
      }
      out.push_back(s);
    }
    return out;
  }

  void reject_unknown_keys() const {
    for (const auto& [key, node] : table_)
      if (!seen_.count(std::string(key.str())))
        throw data_error(place(path_, node) + ": unknown key '" + std::string(key.str()) + "'");
  }

 private:
  const toml::table& table_;
  std::string path_;
  std::set<std::string> seen_;
};

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

FamilyGroup read_group(const toml::table& table, const std::string& path) {
  Keys k(table, path);
  FamilyGroup g;
  g.where = k.where();
  g.name = k.string("name");
  if (!valid_name(g.name)) throw data_error(g.where + ": group name must be 1 to 64 of A-Z a-z 0-9 - _");
  const auto any = [](const std::string&) {};
  g.inputs = k.strings("inputs", {}, {}, [](const std::string& s) {
    Architecture arch;
    parse_input_shape(s, arch);
    if (arch.positions() < 2) throw data_error("an input needs two positions to be partitioned");
    if (arch.positions() > 1024) throw data_error("at most 1024 positions (the evidence formats' limit)");
  });
  g.templates = k.integers("templates", 1, max_value);
  g.depths = k.integers("depth", 0, max_depth);
  g.windows = k.integers("window", 1, max_value);
  g.strides = k.integers("stride", 1, max_value);
  g.channels = k.integers("channels", 1, max_value);
  g.layer_kinds = k.strings("layer_kinds", {"gc", "pool"}, {"gc"}, any);
  g.global_kinds = k.strings("global_kinds", {"gc", "pool"}, {"gc"}, any);
  g.global_channels = k.integers("global_channels", 1, max_value, {1});
  g.sharing = k.strings("sharing", {"conv", "local", "1x1"}, {"conv"}, any);
  g.padding = k.strings("padding", {"valid", "same"}, {"valid"}, any);
  g.partitions = k.strings("partitions", {}, {"left-right"}, [](const std::string& s) {
    const bool named = s == "left-right" || s == "top-bottom" || s == "odd-even";
    if (!named && s.rfind("mask:", 0) != 0 && s.rfind("indices:", 0) != 0)
      throw data_error("not a partition (left-right, top-bottom, odd-even, mask:..., indices:...)");
  });
  k.reject_unknown_keys();
  return g;
}

}  // namespace

Family read_family_file(const std::string& path) {
  return parse_family_text(read_regular_file(path, max_family_file_bytes), path);
}

Family parse_family_text(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml_text(text, path);
  Keys k(root, path);
  Family f;
  f.path = path;
  f.sha256 = sha256_hex(text);
  if (k.string("format") != "seprank-family") throw data_error(path + ":1: format must be \"seprank-family\"");
  const toml::node* version = k.get("format_version");
  if (!version || !version->is_integer() || version->as_integer()->get() != family_format_version)
    throw data_error((version ? place(path, *version) : path + ":1") + ": format_version must be " +
                     std::to_string(family_format_version));
  f.name = k.string("name");
  if (!valid_name(f.name)) throw data_error(path + ": name must be 1 to 64 of A-Z a-z 0-9 - _");
  f.title = k.string("title", std::string());
  f.max_matrix_side = static_cast<std::uint64_t>(k.integer("max_matrix_side", 1024, 2, 16384));
  const toml::node* groups = k.get("group");
  if (!groups) throw data_error(path + ": no [[group]] tables");
  const toml::array* list = groups->as_array();
  if (!list || list->empty()) throw data_error(place(path, *groups) + ": 'group' must be [[group]] tables");
  std::set<std::string> names;
  for (const toml::node& node : *list) {
    if (!node.is_table()) throw data_error(place(path, node) + ": 'group' must be [[group]] tables");
    FamilyGroup g = read_group(*node.as_table(), path);
    if (!names.insert(g.name).second) throw data_error(g.where + ": a second group named '" + g.name + "'");
    f.groups.push_back(std::move(g));
  }
  k.reject_unknown_keys();
  return f;
}

namespace {

// The output extent of one axis, or 0 when the layer does not tile it (docs/sweep-format.md,
// "Which architectures"): the window fits, the stride is no larger than the window, and under
// valid padding the units end at the last position.
int tiled_extent(int n, int window, int stride, const std::string& padding) {
  if (window > n || stride > window) return 0;
  if (padding == "valid") return (n - window) % stride == 0 ? (n - window) / stride + 1 : 0;
  return (n + stride - 1) / stride;
}

std::string layer_text(const std::string& kind, int window, int stride, int channels) {
  if (kind == "pool") return "pool" + std::to_string(window) + "/" + std::to_string(stride);
  return std::to_string(window) + "/" + std::to_string(stride) + "/" + std::to_string(channels);
}

struct HiddenLayer {
  std::string text;
  int window, stride;
};

// The partitions of `group` on one input that name distinct cuts, in list order: a name that
// does not fit the input (a mask of another length, an index out of range, an empty side) is
// skipped, and so is one naming the same cut as an earlier one (the same I, or I and J swapped).
std::vector<std::string> distinct_partitions(const FamilyGroup& group, const Architecture& arch) {
  std::vector<std::string> out;
  std::set<std::vector<int>> seen;
  for (const std::string& spec : group.partitions) {
    Partition p;
    try {
      p = make_partition(spec, arch);
    } catch (const Error& e) {
      if (e.code() != exit_data) throw;
      continue;
    }
    if (seen.count(p.I) || seen.count(p.J)) continue;
    seen.insert(p.I);
    out.push_back(spec);
  }
  return out;
}

class Enumerator {
 public:
  explicit Enumerator(std::vector<FamilyMember>& out) : out_(out) {}

  void group(const FamilyGroup& g) {
    for (const std::string& input : g.inputs) {
      Architecture arch;
      parse_input_shape(input, arch);
      const std::vector<std::string> partitions = distinct_partitions(g, arch);
      for (int m : g.templates)
        for (const std::string& sharing : g.sharing)
          for (const std::string& padding : g.padding)
            for (int depth : g.depths) {
              FamilyMember base;
              base.group = g.name;
              base.input = input;
              base.templates = m;
              base.sharing = sharing;
              base.padding = padding;
              base.depth = depth;
              std::vector<std::string> stack;
              hidden(g, base, partitions, arch.dims, arch.height, arch.width, depth, stack);
            }
    }
  }

 private:
  // Layers below the global layer, the first outermost: each candidate in the order window,
  // stride, kind (gc with each channel count, then pool), skipped unless it tiles its map and
  // leaves at least two positions.
  void hidden(const FamilyGroup& g, const FamilyMember& base, const std::vector<std::string>& partitions, int dims,
              int h, int w, int left, std::vector<std::string>& stack) {
    if (left == 0) {
      global(g, base, partitions, dims, h, w, stack);
      return;
    }
    for (int window : g.windows)
      for (int stride : g.strides)
        for (const std::string& kind : g.layer_kinds) {
          if (++tried_ > max_candidates_tried)
            throw resource_error(g.where + ": enumerating group '" + g.name + "' tries more than " +
                                 std::to_string(max_candidates_tried) + " candidate layers");
          if (kind == "pool" && window < 2) continue;  // a pool of window 1 is the identity
          const int ow = tiled_extent(w, window, stride, base.padding);
          const int oh = dims == 1 ? 1 : tiled_extent(h, window, stride, base.padding);
          if (ow == 0 || oh == 0 || ow * oh < 2) continue;
          const std::vector<int> counts = kind == "gc" ? g.channels : std::vector<int>{0};
          for (int c : counts) {
            stack.push_back(layer_text(kind, window, stride, c));
            hidden(g, base, partitions, dims, oh, ow, left - 1, stack);
            stack.pop_back();
          }
        }
  }

  // The global layer: one unit reading the whole remaining map (square in 2D, else skipped),
  // written W/1/C (valid) or W/W/C (same), or poolW/1, poolW/W.
  void global(const FamilyGroup& g, const FamilyMember& base, const std::vector<std::string>& partitions, int dims,
              int h, int w, const std::vector<std::string>& stack) {
    if (dims == 2 && h != w) return;
    const int stride = base.padding == "valid" ? 1 : w;
    std::string below;
    for (const std::string& s : stack) below += s + ",";
    for (const std::string& kind : g.global_kinds) {
      const std::vector<int> counts = kind == "gc" ? g.global_channels : std::vector<int>{0};
      for (int c : counts)
        for (const std::string& partition : partitions) {
          if (out_.size() >= max_family_size)
            throw resource_error(g.where + ": the family has more than " + std::to_string(max_family_size) +
                                 " architectures");
          FamilyMember m = base;
          m.layers = below + layer_text(kind, w, stride, c);
          m.partition = partition;
          out_.push_back(std::move(m));
        }
    }
  }

  std::vector<FamilyMember>& out_;
  std::uint64_t tried_ = 0;
};

}  // namespace

std::vector<FamilyMember> enumerate_family(const Family& family) {
  std::vector<FamilyMember> out;
  Enumerator e(out);
  for (const FamilyGroup& g : family.groups) e.group(g);
  return out;
}

}  // namespace seprank
