#include "seprank/theorems/theorem_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/support/toml_text.hpp"

namespace seprank {

namespace {

// Instances of one file, [[instances]] and [[extended]] together: a few short lists expand
// to their product, so a small file could otherwise ask for billions of instances.
constexpr std::size_t max_instances_per_file = 100'000;

std::string place(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string what)
      : table_(table), path_(std::move(path)), what_(std::move(what)) {}

  std::string where() const { return place(path_, table_); }

  std::optional<std::string> optional_string(const std::string& key) {
    seen_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    if (!node->is_string()) throw data_error(place(path_, *node) + ": " + what_ + "'" + key + "' must be a string");
    return node->as_string()->get();
  }

  std::string string(const std::string& key) {
    std::optional<std::string> s = optional_string(key);
    if (!s) throw data_error(where() + ": " + what_ + "missing key '" + key + "'");
    return *s;
  }

  const toml::array* optional_array(const std::string& key) {
    seen_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return nullptr;
    if (!node->is_array()) throw data_error(place(path_, *node) + ": " + what_ + "'" + key + "' must be an array");
    return node->as_array();
  }

  void mark_known(const std::string& key) { seen_.insert(key); }

  // Every key must have been asked for: a misspelled key must not be silently ignored.
  void reject_unknown_keys() const {
    for (const auto& [key, node] : table_)
      if (!seen_.count(std::string(key.str())))
        throw data_error(place(path_, node) + ": " + what_ + "unknown key '" + std::string(key.str()) + "'");
  }

 private:
  const toml::table& table_;
  std::string path_, what_;
  std::set<std::string> seen_;
};

ClaimSpec read_claim(const toml::table& table, const std::string& path) {
  TableReader r(table, path, "[[claim]] ");
  ClaimSpec c;
  c.where = r.where();
  c.name = r.optional_string("name").value_or("");
  c.input = r.string("input");
  c.templates = r.string("templates");
  c.layers = r.string("layers");
  c.sharing = r.optional_string("sharing").value_or("conv");
  c.padding = r.optional_string("padding").value_or("valid");
  c.partition = r.optional_string("partition").value_or("left-right");
  c.templates_matrix = r.optional_string("templates_matrix").value_or("random");
  c.vary = r.optional_string("vary").value_or("all");
  c.fixed_templates = r.optional_string("fixed_templates").value_or("0");
  const std::string evidence = r.optional_string("evidence").value_or("dense");
  if (evidence != "dense" && evidence != "structured")
    throw data_error(c.where + ": [[claim]] evidence = '" + evidence + "': expected \"dense\" or \"structured\"");
  c.evidence = evidence == "structured" ? ClaimEvidence::structured : ClaimEvidence::dense;
  if (auto lower = r.optional_string("lower")) {
    c.lower_text = *lower;
    c.lower = Expression::parse(*lower, c.where);
  }
  if (auto upper = r.optional_string("upper")) {
    c.upper_text = *upper;
    c.upper = Expression::parse(*upper, c.where);
  }
  if (const toml::array* hypotheses = r.optional_array("hypotheses"))
    for (const toml::node& h : *hypotheses) {
      if (!h.is_string()) throw data_error(place(path, h) + ": hypotheses must be strings");
      const std::string text = h.as_string()->get();
      c.hypotheses.push_back({text, Expression::parse(text, place(path, h))});
    }
  r.reject_unknown_keys();
  return c;
}

// Names expressions give a meaning of their own: the partition's sizes, which bounds may use,
// and the words of the expression language. A parameter of that name would be shadowed or
// shadow it, and seprank and the Python checker must not have to agree on which.
constexpr const char* reserved_names_text = "size_I, size_J, and, or, not, true, false, min, max, floor, ceil, abs";

bool reserved_name(const std::string& name) {
  static const std::set<std::string> reserved = {"size_I", "size_J", "and", "or", "not", "true", "false",
                                                 "min", "max", "floor", "ceil", "abs"};
  return reserved.count(name) > 0;
}

// One [[instances]] table: integers or lists of integers, expanded to their product;
// `count` is the number of instances the file has so far.
std::vector<Instance> read_instances(const toml::table& table, const std::string& path, std::size_t count) {
  const std::string where = place(path, table);
  std::vector<std::pair<std::string, std::vector<Rational>>> axes;
  std::vector<std::string> only_claims;
  for (const auto& [key, node] : table) {
    if (key.str() == "claims") {  // the names of the claims this table is for
      const toml::array* names = node.as_array();
      if (!names) throw data_error(place(path, node) + ": 'claims' must be a list of claim names");
      for (const toml::node& n : *names) {
        if (!n.is_string()) throw data_error(place(path, n) + ": 'claims' must be a list of claim names");
        only_claims.push_back(n.as_string()->get());
      }
      continue;
    }
    const std::string name(key.str());  // a named copy: clang 14 cannot capture structured bindings
    if (reserved_name(name))
      throw data_error(place(path, node) + ": parameter '" + name + "' shadows a built-in name (" +
                       reserved_names_text + ")");
    std::vector<Rational> values;
    auto add = [&](const toml::node& v) {
      if (!v.is_integer())
        throw data_error(place(path, v) + ": parameter '" + name + "' must be an integer or a list of integers");
      values.emplace_back(static_cast<std::int64_t>(v.as_integer()->get()));
    };
    if (node.is_array()) {
      for (const toml::node& v : *node.as_array()) add(v);
      if (values.empty()) throw data_error(place(path, node) + ": parameter '" + name + "' has no values");
    } else {
      add(node);
    }
    axes.emplace_back(name, std::move(values));
  }
  std::size_t total = 1;
  for (const auto& axis : axes) {
    total *= axis.second.size();  // <= 10^5 times a list's length: cannot overflow
    if (total > max_instances_per_file - count)
      throw data_error(where + ": the file would have more than " + std::to_string(max_instances_per_file) +
                       " instances (each table stands for the product of its lists)");
  }
  std::vector<Instance> out;
  for (std::size_t index = 0; index < total; ++index) {
    Instance instance;
    instance.where = where;
    instance.only_claims = only_claims;
    std::size_t rest = index;
    for (std::size_t a = axes.size(); a-- > 0;) {
      const auto& values = axes[a].second;
      instance.parameters[axes[a].first] = values[rest % values.size()];
      rest /= values.size();
    }
    out.push_back(std::move(instance));
  }
  return out;
}

std::vector<Instance> read_instance_tables(const toml::array* tables, const std::string& path, std::size_t& count) {
  std::vector<Instance> out;
  if (!tables) return out;
  for (const toml::node& node : *tables) {
    if (!node.is_table()) throw data_error(place(path, node) + ": instances must be tables");
    for (Instance& i : read_instances(*node.as_table(), path, count)) {
      out.push_back(std::move(i));
      ++count;
    }
  }
  return out;
}

}  // namespace

TheoremFile read_theorem_file(const std::string& path) {
  return parse_theorem_text(read_regular_file(path, max_theorem_file_bytes), path);
}

TheoremFile parse_theorem_text(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml_text(text, path);
  TableReader r(root, path, "");
  if (r.string("format") != "seprank-theorem") throw data_error(path + ": format must be \"seprank-theorem\"");
  const toml::node* version = root.get("format_version");
  if (!version || !version->is_integer() || version->as_integer()->get() != theorem_format_version)
    throw data_error(path + ": format_version must be " + std::to_string(theorem_format_version));
  r.mark_known("format_version");
  TheoremFile t;
  t.path = path;
  t.id = r.string("id");
  // The id names files (certificates, a bundle's copies and evidence): a path never comes of it.
  const bool id_ok = !t.id.empty() && t.id.size() <= 64 &&
                     std::all_of(t.id.begin(), t.id.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '_';
                     });
  if (!id_ok)
    throw data_error(place(path, *root.get("id")) + ": id '" + t.id.substr(0, 80) +
                     "' must be 1 to 64 of A-Z a-z 0-9 - _ (it names the files verify writes)");
  t.title = r.string("title");
  t.source = r.string("source");
  t.statement = r.string("statement");
  t.derivation = r.optional_string("derivation").value_or("");
  if (t.source == "derived in this project" && t.derivation.empty())
    throw data_error(path + ": a statement derived in this project must write out its derivation");
  const toml::array* claims = r.optional_array("claim");
  if (!claims || claims->empty()) throw data_error(path + ": at least one [[claim]] is required");
  for (const toml::node& node : *claims) {
    if (!node.is_table()) throw data_error(place(path, node) + ": [[claim]] must be a table");
    t.claims.push_back(read_claim(*node.as_table(), path));
  }
  std::size_t instance_count = 0;
  t.instances = read_instance_tables(r.optional_array("instances"), path, instance_count);
  t.extended = read_instance_tables(r.optional_array("extended"), path, instance_count);
  if (t.instances.empty()) throw data_error(path + ": at least one [[instances]] table is required");
  for (const auto* set : {&t.instances, &t.extended})
    for (const Instance& i : *set)
      for (const std::string& name : i.only_claims)
        if (std::none_of(t.claims.begin(), t.claims.end(), [&](const ClaimSpec& c) { return c.name == name; }))
          throw data_error(i.where + ": 'claims' names no claim called '" + name + "'");
  r.reject_unknown_keys();
  return t;
}

namespace {

// The index of the ')' closing the '(' at `open`, skipping {...} expressions; npos if none.
std::size_t matching_parenthesis(const std::string& text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') {
      i = text.find('}', i);
      if (i == std::string::npos) return i;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')' && --depth == 0) {
      return i;
    }
  }
  return std::string::npos;
}

// Text for a one-line message: expanded templates can be 10^5 characters long.
std::string excerpt(const std::string& text) { return text.size() <= 80 ? text : text.substr(0, 77) + "..."; }

[[noreturn]] void too_long(const std::string& where, const std::string& text) {
  throw data_error(where + ": '" + excerpt(text) + "' expands to more than " +
                   std::to_string(max_substituted_length) + " characters");
}

// How a repetition's copies are put together: as they are (templates of theorem files), or as
// a list of layers (`--layers`: literal counts; a group without a comma at either end is
// one or more layers, so its copies are joined by commas, and zero copies take one
// neighbouring comma with them).
enum class Joining { concatenate, layer_list };

bool is_literal_count(const std::string& text) {
  return !text.empty() && text.size() <= 4 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Expands "(group)^{count}" into count copies of the group (outside {...} only).
std::string expand_repetitions(const std::string& text, const Parameters& parameters, const std::string& where,
                               int depth, Joining joining) {
  if (depth > 10) throw data_error(where + ": repetitions nested too deeply in '" + excerpt(text) + "'");
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      if (close == std::string::npos) throw data_error(where + ": unmatched '{' in '" + excerpt(text) + "'");
      out += text.substr(i, close - i + 1);
      i = close;
      continue;
    }
    if (text[i] != '(') {
      out += text[i];
      continue;
    }
    const std::size_t close = matching_parenthesis(text, i);
    if (close == std::string::npos || text.compare(close + 1, 2, "^{") != 0)
      throw data_error(where + ": expected '(...)^{count}' in '" + excerpt(text) + "'");
    const std::size_t end = text.find('}', close + 3);
    if (end == std::string::npos) throw data_error(where + ": unmatched '{' in '" + excerpt(text) + "'");
    const std::string count_text = text.substr(close + 3, end - close - 3);
    if (joining == Joining::layer_list && !is_literal_count(count_text))
      throw data_error(where + ": repetition count '" + excerpt(count_text) + "' is not an integer in [0, 1000] written in digits");
    const Rational count = Expression::parse(count_text, where).evaluate_number(parameters);
    if (!count.fits_int64() || count.to_int64() < 0 || count.to_int64() > 1000)
      throw data_error(where + ": repetition count " + (count.bits() <= 128 ? count.to_string() : "of " + std::to_string(count.bits()) + " bits") +
                       " is not an integer in [0, 1000]");
    const std::string group = expand_repetitions(text.substr(i + 1, close - i - 1), parameters, where, depth + 1, joining);
    const bool commas = joining == Joining::layer_list && !group.empty() && group.front() != ',' && group.back() != ',';
    // Checked before appending: ten nested counts of 1000 would ask for 10^30 characters.
    const auto copies = static_cast<std::size_t>(count.to_int64());
    const std::size_t copy_size = group.size() + (commas ? 1 : 0);
    if (out.size() > max_substituted_length ||
        (copy_size > 0 && copies > (max_substituted_length - out.size()) / copy_size))
      too_long(where, text);
    for (std::size_t k = 0; k < copies; ++k) out += (commas && k > 0 ? "," : "") + group;
    i = end;
    if (commas && copies == 0) {  // "(2/1/2)^{0},3/1/1" is "3/1/1"; "3/1/1,(2/1/2)^{0}" too
      if (i + 1 < text.size() && text[i + 1] == ',')
        ++i;
      else if (!out.empty() && out.back() == ',')
        out.pop_back();
    }
  }
  return out;
}

}  // namespace

std::string substitute(const std::string& raw, const Parameters& parameters, const std::string& where) {
  if (raw.size() > max_substituted_length) too_long(where, raw);
  const std::string text = expand_repetitions(raw, parameters, where, 0, Joining::concatenate);
  if (text.size() > max_substituted_length) too_long(where, raw);
  std::string out;
  const auto append = [&](const std::string& piece) {
    if (piece.size() > max_substituted_length - out.size()) too_long(where, raw);
    out += piece;
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string::npos) {
      append(text.substr(pos));
      break;
    }
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) throw data_error(where + ": unmatched '{' in '" + excerpt(text) + "'");
    append(text.substr(pos, open - pos));
    const std::string expression = text.substr(open + 1, close - open - 1);
    const Rational value = Expression::parse(expression, where).evaluate_number(parameters);
    if (!value.is_integer())
      throw data_error(where + ": '{" + excerpt(expression) + "}' is " +
                       (value.bits() <= 128 ? value.to_string() : "a fraction") + ", not an integer");
    // bits/4 is below the number of digits: refuses a value that surely does not fit before
    // the costly conversion of up to max_value_bits bits to decimal.
    if (value.bits() / 4 > max_substituted_length - out.size()) too_long(where, raw);
    append(value.to_string());
    pos = close + 1;
  }
  return out;
}

std::string expand_layer_repetitions(const std::string& layers, const std::string& where) {
  if (layers.size() > max_substituted_length) too_long(where, layers);
  return expand_repetitions(layers, {}, where, 0, Joining::layer_list);
}

std::string describe(const Parameters& parameters) {
  std::string out;
  for (const auto& [name, value] : parameters) out += (out.empty() ? "" : " ") + name + "=" + value.to_string();
  return out;
}

}  // namespace seprank
