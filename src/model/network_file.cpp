#include "seprank/model/network_file.hpp"

#include <flint/fmpz.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_nesting = 256;                // as the evidence formats
constexpr std::size_t max_number_characters = 100'000;  // one weight's text
constexpr long max_exponent = 100'000;                  // |e| of a decimal weight: 332 000 bits at most

// Builds the document as nlohmann's DOM parser does, but keeps the text of every number
// with a fraction or an exponent (and of integers beyond 64 bits, which nlohmann reads as
// doubles): the weights are exact, never rounded through a double. Such a number becomes a
// string holding its text. Refuses duplicate keys and nesting beyond max_nesting.
class ExactBuilder : public nlohmann::json_sax<json> {
 public:
  explicit ExactBuilder(std::string path) : path_(std::move(path)) {}
  json root;

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t, const string_t& text) override { return put(text); }
  bool string(string_t& v) override { return put(v); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& k) override {
    if (stack_.back()->contains(k))
      throw data_error(path_ + ": the key " + json(k).dump() + " appears twice in one object");
    key_ = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    throw data_error(path_ + ": not a JSON document: " + e.what());
  }

 private:
  json* place(json value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(value);
    return &slot;
  }
  bool put(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json value) {
    if (stack_.size() >= max_nesting)
      throw data_error(path_ + ": arrays and objects nested more than " + std::to_string(max_nesting) +
                       " deep");
    stack_.push_back(place(std::move(value)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  std::string path_;
  std::vector<json*> stack_;
  std::string key_;
};

// An fmpz owned for one scope.
struct OwnedFmpz {
  fmpz_t v;
  OwnedFmpz() { fmpz_init(v); }
  OwnedFmpz(const OwnedFmpz&) = delete;
  OwnedFmpz& operator=(const OwnedFmpz&) = delete;
  ~OwnedFmpz() { fmpz_clear(v); }
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "[-]digits", "[-]digits/digits" or "[-]digits[.digits][(e|E)[+|-]digits]" into num/den;
// false when the text is none of them (or the denominator is zero: `zero_denominator`).
bool parse_exact(const std::string& text, fmpz_t num, fmpz_t den, bool& zero_denominator) {
  zero_denominator = false;
  if (text.empty() || text.size() > max_number_characters) return false;
  const bool negative = text[0] == '-';
  const std::string body = negative ? text.substr(1) : text;
  fmpz_one(den);
  const std::size_t slash = body.find('/');
  if (slash != std::string::npos) {
    const std::string a = body.substr(0, slash), b = body.substr(slash + 1);
    if (!all_digits(a) || !all_digits(b)) return false;
    fmpz_set_str(num, a.c_str(), 10);
    fmpz_set_str(den, b.c_str(), 10);
    if (fmpz_is_zero(den)) {
      zero_denominator = true;
      return false;
    }
  } else {
    const std::size_t e = body.find_first_of("eE");
    const std::string mantissa = body.substr(0, e);
    long exponent = 0;
    if (e != std::string::npos) {
      std::string exp_text = body.substr(e + 1);
      if (!exp_text.empty() && (exp_text[0] == '+' || exp_text[0] == '-')) {
        if (exp_text[0] == '-') exponent = -1;
        exp_text = exp_text.substr(1);
      }
      if (!all_digits(exp_text)) return false;
      long magnitude = 0;
      auto [end, ec] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), magnitude);
      if (ec != std::errc() || end != exp_text.data() + exp_text.size() || magnitude > max_exponent)
        return false;
      exponent = exponent < 0 ? -magnitude : magnitude;
    }
    const std::size_t dot = mantissa.find('.');
    const std::string whole = mantissa.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? "" : mantissa.substr(dot + 1);
    if (!all_digits(whole) || (dot != std::string::npos && !all_digits(fraction))) return false;
    fmpz_set_str(num, (whole + fraction).c_str(), 10);
    exponent -= static_cast<long>(fraction.size());
    OwnedFmpz power;
    fmpz_set_ui(power.v, 10);
    fmpz_pow_ui(power.v, power.v, static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
    if (exponent >= 0)
      fmpz_mul(num, num, power.v);
    else
      fmpz_set(den, power.v);
  }
  if (negative) fmpz_neg(num, num);
  return true;
}

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw data_error(path_ + ": " + where + ": " + what);
  }

  const json& object(const json& v, const std::string& where, const std::set<std::string>& keys) const {
    if (!v.is_object()) fail(where, "expected an object, not " + std::string(v.type_name()));
    for (const auto& [k, value] : v.items())
      if (!keys.count(k)) fail(where, "unknown key " + json(k).dump());
    for (const std::string& k : keys)
      if (!v.contains(k)) fail(where + "." + k, "missing");
    return v;
  }

  const json& array(const json& v, const std::string& where, std::size_t expected,
                    const std::string& why) const {
    if (!v.is_array()) fail(where, "expected an array, not " + std::string(v.type_name()));
    if (v.size() != expected)
      fail(where,
           std::to_string(v.size()) + " entries, expected " + std::to_string(expected) + " (" + why + ")");
    return v;
  }

  // A size: a JSON integer >= 1; above 10^9 it is beyond every limit (resource, as --input).
  int size(const json& v, const std::string& where) const {
    if (!v.is_number_integer()) fail(where, "expected a positive integer, not " + describe(v));
    if (v.is_number_unsigned() ? v.get<std::uint64_t>() > 1'000'000'000 : false)
      throw resource_error(path_ + ": " + where + ": " + v.dump() + " is above every size limit");
    if (v.is_number_unsigned() ? v.get<std::uint64_t>() < 1 : true)
      fail(where, "must be at least 1, not " + v.dump());
    return static_cast<int>(v.get<std::uint64_t>());
  }

  std::string word(const json& v, const std::string& where, const std::vector<std::string>& allowed) const {
    if (v.is_string() && std::find(allowed.begin(), allowed.end(), v.get<std::string>()) != allowed.end())
      return v.get<std::string>();
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(where, describe(v) + " is not one of " + list);
  }

  // One weight: a JSON integer, or the text of a number (a string, or a JSON number with a
  // fraction or an exponent, which ExactBuilder kept as text).
  void weight(const json& v, const std::string& where, fmpz_t num, fmpz_t den) const {
    fmpz_one(den);
    if (v.is_number_unsigned()) {
      fmpz_set_ui(num, v.get<std::uint64_t>());
      return;
    }
    if (v.is_number_integer()) {
      fmpz_set_si(num, v.get<std::int64_t>());
      return;
    }
    bool zero_denominator = false;
    if (v.is_string() && parse_exact(v.get<std::string>(), num, den, zero_denominator)) return;
    if (zero_denominator) fail(where, describe(v) + " divides by zero");
    fail(where, describe(v) + " is not an integer, a fraction \"a/b\" or a decimal number");
  }

  // A matrix of `rows` × `cols` weights into `group` of `w`, from index `first`.
  void matrix(const json& v, const std::string& where, int rows, int cols, const std::string& why,
              GivenWeights& w, std::size_t group, std::size_t first) const {
    array(v, where, static_cast<std::size_t>(rows), why);
    OwnedFmpz num, den;
    for (int r = 0; r < rows; ++r) {
      const std::string row = where + "[" + std::to_string(r) + "]";
      array(v[static_cast<std::size_t>(r)], row, static_cast<std::size_t>(cols), why);
      for (int c = 0; c < cols; ++c) {
        weight(v[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)],
               row + "[" + std::to_string(c) + "]", num.v, den.v);
        w.set(group,
              first + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                  static_cast<std::size_t>(c),
              num.v, den.v);
      }
    }
  }

 private:
  static std::string describe(const json& v) {
    if (v.is_string())
      return "'" + v.get<std::string>().substr(0, 60) + (v.get<std::string>().size() > 60 ? "...'" : "'");
    if (v.is_number()) return v.dump();
    return std::string("a JSON ") + v.type_name();
  }

  std::string path_;
};

std::string sharing_rule(Sharing s) {
  switch (s) {
    case Sharing::conv:
      return "conv sharing: one matrix per window offset";
    case Sharing::local:
      return "local sharing: one matrix per unit and window offset";
    case Sharing::one_by_one:
      return "1x1 sharing: one matrix";
  }
  return "";
}

}  // namespace

NetworkFile read_network_file(const std::string& path) {
  return parse_network_file(read_regular_file(path, max_network_file_bytes), path);
}

NetworkFile parse_network_file(const std::string& text, const std::string& path) {
  ExactBuilder builder(path);
  json::sax_parse(text, &builder);  // throws on malformed JSON, duplicate keys, deep nesting
  const json& doc = builder.root;
  // A whole certificate: its network. (A network object has no key "network".)
  const json& network = doc.is_object() && doc.contains("network") ? doc["network"] : doc;
  const Reader read(path);
  read.object(network, "network",
              {"input", "templates", "padding", "sharing", "representation", "layers", "readout"});

  NetworkFile out;
  Architecture& arch = out.arch;
  const json& input = read.object(network["input"], "network.input", {"dims", "height", "width"});
  if (!(input["dims"] == 1 || input["dims"] == 2))
    read.fail("network.input.dims", "must be 1 or 2, not " + input["dims"].dump());
  arch.dims = input["dims"].get<int>();
  arch.height = read.size(input["height"], "network.input.height");
  arch.width = read.size(input["width"], "network.input.width");
  if (arch.dims == 1 && arch.height != 1) read.fail("network.input.height", "a 1D input has height 1");
  arch.templates = read.size(network["templates"], "network.templates");
  arch.padding = read.word(network["padding"], "network.padding", {"valid", "same"}) == "same"
                     ? Padding::same
                     : Padding::valid;
  const std::string sharing = read.word(network["sharing"], "network.sharing", {"conv", "local", "1x1"});
  arch.sharing = sharing == "local" ? Sharing::local : sharing == "1x1" ? Sharing::one_by_one : Sharing::conv;
  const json& layers = network["layers"];
  if (!layers.is_array() || layers.empty())
    read.fail("network.layers", "expected a non-empty array of layers");
  if (layers.size() > static_cast<std::size_t>(max_layers))
    throw resource_error(path + ": network.layers: " + std::to_string(layers.size()) + " layers, at most " +
                         std::to_string(max_layers));
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const std::string where = "network.layers[" + std::to_string(l) + "]";
    if (!layers[l].is_object() || !layers[l].contains("kind"))
      read.fail(where, "expected an object with a \"kind\"");
    LayerSpec spec;
    spec.pooling = read.word(layers[l]["kind"], where + ".kind", {"gc", "pool"}) == "pool";
    if (spec.pooling)
      read.object(layers[l], where, {"kind", "window", "stride"});
    else
      read.object(layers[l], where, {"kind", "window", "stride", "channels", "weights"});
    spec.window = read.size(layers[l]["window"], where + ".window");
    spec.stride = read.size(layers[l]["stride"], where + ".stride");
    if (!spec.pooling) spec.channels = read.size(layers[l]["channels"], where + ".channels");
    arch.layers.push_back(spec);
  }
  // The geometry before any weight is read: the shapes below follow from it, and a network
  // beyond the limits is refused before its weights are converted.
  std::vector<LayerGeometry> geometry;
  try {
    geometry = resolve_geometry(arch);
  } catch (const Error& e) {
    throw Error(e.code(), path + ": network: " + e.what());
  }

  auto weights = std::make_shared<GivenWeights>(arch, geometry);
  read.matrix(network["representation"], "network.representation", arch.templates, arch.templates,
              "F is M x M with M = " + std::to_string(arch.templates), *weights, 0, 0);
  for (std::size_t l = 0; l < geometry.size(); ++l) {
    if (geometry[l].pooling) continue;
    const LayerGeometry& g = geometry[l];
    const std::string where = "network.layers[" + std::to_string(l) + "].weights";
    const auto count = static_cast<std::size_t>(g.weight_matrices(arch.sharing));
    read.array(layers[l]["weights"], where, count, sharing_rule(arch.sharing));
    const std::string shape = "each matrix is C_l x C_(l-1) = " + std::to_string(g.out_channels) + " x " +
                              std::to_string(g.in_channels);
    for (std::size_t k = 0; k < count; ++k)
      read.matrix(layers[l]["weights"][k], where + "[" + std::to_string(k) + "]", g.out_channels,
                  g.in_channels, shape, *weights, l + 1,
                  k * static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels));
  }
  const int top = geometry.back().out_channels;
  read.array(network["readout"], "network.readout", static_cast<std::size_t>(top),
             "one per channel of the last layer, C_L = " + std::to_string(top));
  {
    OwnedFmpz num, den;
    for (int c = 0; c < top; ++c) {
      read.weight(network["readout"][static_cast<std::size_t>(c)],
                  "network.readout[" + std::to_string(c) + "]", num.v, den.v);
      weights->set(weights->groups() - 1, static_cast<std::size_t>(c), num.v, den.v);
    }
  }
  out.weights = std::move(weights);
  return out;
}

}  // namespace seprank
