// seprank-check FILE — independent checker for seprank certificates (docs/certificate-format.md,
// version 1). It recomputes the r×r selected entries by its own forward evaluation of the
// network, takes the determinant mod p and prints exactly one verdict line on stdout. It also
// checks that the recorded index sets are those partition.spec and partition.vary name.
// Exit codes: 0 verified; 1 refuted (determinant zero or different from the recorded one);
//             2 malformed certificate (including invalid JSON); 3 file cannot be read (or usage).
// Deliberately small and free of FLINT/Boost/OpenSSL: nlohmann-json parses, the arithmetic is
// plain 64-bit modular arithmetic, SHA-256 is implemented below. Strict where the spec is: no
// duplicate keys anywhere, no unknown keys inside `network` (they are ignored elsewhere).
// Compiled with -DSEPRANK_CHECK_NO_MAIN, the file is a library of two functions (namespace
// seprank_check, below) for the fuzz target, which includes it; the checker stays one file.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seprank_check {

struct Verdict {
  int exit_code;        // 0 verified, 1 refuted, 2 malformed, 3 cannot read
  std::string message;  // after "VERIFIED: " or "NOT VERIFIED: "
};

// The verdict on a certificate given as its bytes: what `seprank-check FILE` says of a file
// holding them. Never throws.
Verdict check_certificate_text(const std::string& text);

// The one line the checker prints: "VERIFIED: ..." or "NOT VERIFIED: ...", printable ASCII.
std::string verdict_line(const Verdict& verdict);

}  // namespace seprank_check

namespace {

using seprank_check::Verdict;
using json = nlohmann::json;
using u64 = std::uint64_t;
using u128 = unsigned __int128;
using i128 = __int128;

// Size limits of format version 1 (end of the spec).
constexpr u64 kMaxRank = 16384, kMaxPositions = 64, kMaxTemplates = 64, kMaxChannels = 4096, kMaxLayers = 64,
              kMaxWeightEntries = 1000000;
// Arrays and objects nested deeper are malformed anywhere in the document: Python's json
// recurses (and gives up near 1000), nlohmann's dump() recurses too. A valid certificate nests 5.
constexpr std::size_t kMaxDepth = 256;

[[noreturn]] void malformed(const std::string& what) { throw Verdict{2, "malformed: " + what}; }

std::string idx(u64 i) {
  std::string s = std::to_string(i);  // (appended, not "[" + ...: GCC 12 warns falsely on that)
  return s.insert(0, 1, '[') + ']';
}

// ---- SHA-256 (FIPS 180-4) ----
std::string sha256_hex(const std::string& data) {
  static constexpr std::uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  std::string msg = data + '\x80';  // padding: 1 bit, zeros, 64-bit big-endian bit length
  while (msg.size() % 64 != 56) msg += '\0';
  const u64 bits = u64(data.size()) * 8;
  for (int i = 7; i >= 0; --i) msg += char(bits >> (8 * i));
  for (std::size_t block = 0; block < msg.size(); block += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 64; ++i)  // big-endian words of the block in w[0..15]
      w[i / 4] = (i % 4 ? w[i / 4] << 8 : 0) | static_cast<unsigned char>(msg[block + i]);
    for (int i = 16; i < 64; ++i) {
      std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::string hex;
  for (std::uint32_t word : h)
    for (int shift = 28; shift >= 0; shift -= 4) hex += "0123456789abcdef"[(word >> shift) & 0xf];
  return hex;
}

// ---- arithmetic mod p (p < 2^63, so a sum of two residues never overflows) ----
u64 mul_mod(u64 a, u64 b, u64 p) {
  if (((a | b) >> 32) == 0) return a * b % p;  // a 64-bit division: ~5x faster than 128-bit
  return u64(u128(a) * b % p);
}
u64 add_mod(u64 a, u64 b, u64 p) { return a + b >= p ? a + b - p : a + b; }
u64 pow_mod(u64 base, u64 e, u64 p) {
  u64 result = 1 % p;
  for (base %= p; e; e >>= 1, base = mul_mod(base, base, p))
    if (e & 1) result = mul_mod(result, base, p);
  return result;
}

// Deterministic Miller–Rabin; the first twelve primes as bases are exact far beyond 2^64.
bool is_prime(u64 n) {
  static constexpr u64 bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  if (n < 2) return false;
  for (u64 q : bases)
    if (n % q == 0) return n == q;
  u64 d = n - 1;
  int s = 0;
  for (; d % 2 == 0; d /= 2) ++s;
  for (u64 a : bases) {
    u64 x = pow_mod(a, d, n);
    bool witness = x != 1 && x != n - 1;
    for (int i = 1; i < s && witness; ++i) witness = (x = mul_mod(x, x, n)) != n - 1;
    if (witness) return false;
  }
  return true;
}

// ---- typed access to the JSON document; every failure names the field path ----
std::string describe(const json& v) {
  return v.is_number_float() ? "the number " + v.dump() + " (not an integer that fits in 64 bits)"
                             : std::string(v.type_name());
}

// Why v is not an integer in [lo, hi] (range_text says so in the message), or nullopt.
std::optional<std::string> uint_problem(const json& v, u64 lo, u64 hi, const std::string& range_text) {
  // nlohmann: booleans are not numbers; floats and integers beyond 64 bits are number_float.
  if (!v.is_number_integer()) return "expected an integer, got " + describe(v);
  bool negative = !v.is_number_unsigned() && v.get<std::int64_t>() < 0;
  if (negative || v.get<u64>() < lo || v.get<u64>() > hi)
    return "value " + v.dump() + " not in " + range_text;
  return std::nullopt;
}

u64 as_uint(const json& v, const std::string& path, u64 lo, u64 hi, const std::string& range_text) {
  if (auto why = uint_problem(v, lo, hi, range_text)) malformed(path + ": " + *why);
  return v.get<u64>();
}

const json& as_array(const json& v, const std::string& path, std::optional<u64> length = {}) {
  if (!v.is_array()) malformed(path + ": expected an array, got " + describe(v));
  if (length && v.size() != *length)
    malformed(path + ": expected " + std::to_string(*length) + " elements, got " + std::to_string(v.size()));
  return v;
}

const json& as_object(const json& v, const std::string& path) {
  if (!v.is_object()) malformed(path + ": expected an object, got " + describe(v));
  return v;
}

// Accessors for obj[key] where obj lives at path; the key's own path is path.key.
std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

const json& field(const json& obj, const std::string& path, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) malformed((path.empty() ? "" : path + ": ") + "missing key \"" + key + "\"");
  return *it;
}

u64 uint_field(const json& obj, const std::string& path, const char* key, u64 lo, u64 hi,
               const std::string& range) {
  return as_uint(field(obj, path, key), join(path, key), lo, hi, range);
}

// The string at obj[key]; when `allowed` is given it must be one of those.
std::string string_field(const json& obj, const std::string& path, const char* key,
                         std::initializer_list<std::string_view> allowed = {}) {
  const json& v = field(obj, path, key);
  if (!v.is_string()) malformed(join(path, key) + ": expected a string, got " + describe(v));
  std::string s = v.get<std::string>();
  if (allowed.size() != 0 && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    std::string list;
    for (std::string_view option : allowed)
      list += (list.empty() ? "\"" : " or \"") + std::string(option) + "\"";
    malformed(join(path, key) + ": expected " + list + ", got " + v.dump());
  }
  return s;
}

// Appends the integers of an array of the given length, each in [0, bound), to out.
void read_vector(const json& v, u64 length, u64 bound, const std::string& bound_name, const std::string& path,
                 std::vector<u64>& out) {
  as_array(v, path, length);
  for (u64 i = 0; i < length; ++i) {
    if (auto why = uint_problem(v[i], 0, bound - 1, "[0, " + bound_name + ")"))
      malformed(path + idx(i) + ": " + *why);
    out.push_back(v[i].get<u64>());
  }
}

// The spec lists every key an object inside `network` may have; what = " in a pool layer" etc.
void only_keys(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed,
               const std::string& what = "") {
  for (const auto& item : obj.items())
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
      malformed(path + ": unexpected key " + json(item.key()).dump() + what);
}

// nlohmann keeps the last of duplicate keys, so a SAX pass over the (valid) text rejects them,
// naming the object's path; it also bounds the nesting depth. (Not a parse callback: nlohmann's callback parser is quadratic in
// the length of a list of objects.)
struct DuplicateKeys final : json::json_sax_t {
  struct Open {  // an enclosing object or array
    bool object = false;
    u64 elements = 0;  // begun so far (arrays)
    std::string key;   // the current one (objects)
    std::set<std::string> keys;
  };
  std::vector<Open> open;  // outermost first

  bool element() {
    if (!open.empty()) ++open.back().elements;
    return true;
  }
  bool start(bool object) {
    element();
    open.emplace_back().object = object;
    if (open.size() > kMaxDepth)
      malformed("arrays and objects nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return true;
  }
  bool end() {
    open.pop_back();
    return true;
  }
  bool null() override { return element(); }
  bool boolean(bool) override { return element(); }
  bool number_integer(json::number_integer_t) override { return element(); }
  bool number_unsigned(json::number_unsigned_t) override { return element(); }
  bool number_float(json::number_float_t, const std::string&) override { return element(); }
  bool string(std::string&) override { return element(); }
  bool binary(json::binary_t&) override { return element(); }
  bool start_object(std::size_t) override { return start(true); }
  bool start_array(std::size_t) override { return start(false); }
  bool end_object() override { return end(); }
  bool end_array() override { return end(); }
  bool parse_error(std::size_t, const std::string&, const json::exception&) override { return false; }
  bool key(std::string& key) override {
    if (!open.back().keys.insert(key).second) {
      std::string path;
      for (std::size_t i = 0; i + 1 < open.size(); ++i)
        path = open[i].object ? join(path, open[i].key.c_str()) : path + idx(open[i].elements - 1);
      malformed((path.empty() ? "" : path + ": ") + "duplicate key " + json(key).dump());
    }
    open.back().key = key;
    return true;
  }
};

// ---- the validated certificate ----
struct Tap {
  std::uint32_t input_position;
  u64 matrix;  // index into the layer's weight matrices (unused by pool layers)
};

struct Layer {
  bool pool = false;
  u64 channels_in = 0, channels_out = 0;
  std::vector<u64> weights;            // matrices back to back, each channels_out × channels_in
  std::vector<std::vector<Tap>> taps;  // per output unit: the in-map window offsets
};

struct Certificate {
  u64 p = 0, r = 0, templates = 0, positions = 0;
  u64 dims = 1, height = 1, width = 1;  // network.input
  std::vector<u64> representation;  // M × M
  std::vector<Layer> layers;
  std::vector<u64> readout;
  std::vector<std::uint32_t> part_i, part_j;
  std::vector<std::vector<u64>> rows, cols;
  std::optional<u64> determinant;
};

struct Axis {
  u64 n, window, stride, out;
  i128 pad_before;
};

Axis make_axis(u64 n, u64 window, u64 stride, bool same, const std::string& path) {
  if (!same) {
    if (n < window)
      malformed(path + ": window " + std::to_string(window) + " exceeds the input extent " +
                std::to_string(n) + " (valid padding)");
    return {n, window, stride, (n - window) / stride + 1, 0};
  }
  u64 out = (n - 1) / stride + 1;  // ceil(n / S) without overflow
  i128 pad_total = i128(out - 1) * stride + i128(window) - i128(n);
  return {n, window, stride, out, pad_total > 0 ? pad_total / 2 : 0};  // TensorFlow: less padding before
}

// Window offsets o of unit u whose coordinate u·S − pad_before + o lies inside [0, n).
std::pair<i128, i128> offsets_inside(const Axis& axis, u64 unit) {
  i128 start = i128(unit) * axis.stride - axis.pad_before;
  i128 first = start < 0 ? -start : 0;
  i128 last = std::min<i128>(i128(axis.window) - 1, i128(axis.n) - 1 - start);
  return {first, last};
}

void read_network(const json& net, Certificate& cert) {
  const std::string path = "network";
  as_object(net, path);
  only_keys(net, path, {"input", "templates", "padding", "sharing", "representation", "layers", "readout"});
  const std::string ip = "network.input";
  const json& input = as_object(field(net, path, "input"), ip);
  only_keys(input, ip, {"dims", "height", "width"});
  const u64 dims = uint_field(input, ip, "dims", 1, 2, "{1, 2}");
  const u64 height = dims == 1 ? uint_field(input, ip, "height", 1, 1, "{1} (1D input)")
                               : uint_field(input, ip, "height", 1, kMaxPositions, "[1, 64]");
  const u64 width = uint_field(input, ip, "width", 1, kMaxPositions, "[1, 64]");
  if (height * width > kMaxPositions)
    malformed(ip + ": H*W = " + std::to_string(height * width) + " exceeds 64");
  cert.positions = height * width;
  cert.dims = dims, cert.height = height, cert.width = width;
  const u64 p = cert.p;
  const u64 M = cert.templates = uint_field(net, path, "templates", 1, kMaxTemplates, "[1, 64]");
  const bool same = string_field(net, path, "padding", {"valid", "same"}) == "same";
  const std::string sharing = string_field(net, path, "sharing", {"conv", "local", "1x1"});

  const json& rep = as_array(field(net, path, "representation"), "network.representation", M);
  for (u64 d = 0; d < M; ++d)
    read_vector(rep[d], M, p, "p", "network.representation" + idx(d), cert.representation);

  const json& layers = as_array(field(net, path, "layers"), "network.layers");
  if (layers.empty() || layers.size() > kMaxLayers)
    malformed("network.layers: " + std::to_string(layers.size()) + " layers, expected 1 to 64");
  Axis rows{height, 1, 1, height, 0}, cols{width, 1, 1, width, 0};  // .out: extent of the current map
  u64 channels = M, weight_entries = 0;
  for (u64 l = 0; l < layers.size(); ++l) {
    const std::string lp = "network.layers" + idx(l);
    const json& spec = as_object(layers[l], lp);
    Layer layer;
    layer.pool = string_field(spec, lp, "kind", {"gc", "pool"}) == "pool";
    if (layer.pool)
      only_keys(spec, lp, {"kind", "window", "stride"}, " in a pool layer");
    else
      only_keys(spec, lp, {"kind", "window", "stride", "channels", "weights"}, " in a gc layer");
    const u64 window = uint_field(spec, lp, "window", 1, ~u64(0), "[1, 2^64)");
    const u64 stride = uint_field(spec, lp, "stride", 1, ~u64(0), "[1, 2^64)");
    layer.channels_in = channels;
    layer.channels_out =
        layer.pool ? channels : uint_field(spec, lp, "channels", 1, kMaxChannels, "[1, 4096]");
    // 1D: the row axis has extent 1 and window/stride 1.
    const Axis ay = dims == 1 ? make_axis(1, 1, 1, false, lp) : make_axis(rows.out, window, stride, same, lp);
    const Axis ax = make_axis(cols.out, window, stride, same, lp);
    const u64 units = ay.out * ax.out;  // ≤ 64: outputs never exceed inputs
    // Bound the number of weight entries before any allocation (R² may be astronomically large).
    const bool per_offset = !layer.pool && sharing != "1x1";
    if (per_offset && window > kMaxWeightEntries)
      malformed(lp + ".window: too large for the limit of 10^6 weight entries");
    const u64 offsets = per_offset ? ay.window * ax.window : 1;  // K
    if (!layer.pool) {
      const u64 matrices = sharing == "local" ? units * offsets : offsets;
      const u128 entries = u128(matrices) * layer.channels_out * layer.channels_in + weight_entries;
      if (entries > kMaxWeightEntries)
        malformed(lp + ".weights: the network has more than 10^6 weight entries in all");
      weight_entries = u64(entries);
      const std::string wp = lp + ".weights";
      const json& matrix_list = as_array(field(spec, lp, "weights"), wp, matrices);
      layer.weights.reserve(matrices * layer.channels_out * layer.channels_in);
      for (u64 m = 0; m < matrices; ++m) {
        as_array(matrix_list[m], wp + idx(m), layer.channels_out);
        for (u64 c = 0; c < layer.channels_out; ++c)
          read_vector(matrix_list[m][c], layer.channels_in, p, "p", wp + idx(m) + idx(c), layer.weights);
      }
    }
    layer.taps.resize(units);
    for (u64 uy = 0; uy < ay.out; ++uy)
      for (u64 ux = 0; ux < ax.out; ++ux) {
        const u64 unit = uy * ax.out + ux;
        const auto [oy_first, oy_last] = offsets_inside(ay, uy);
        const auto [ox_first, ox_last] = offsets_inside(ax, ux);
        for (i128 oy = oy_first; oy <= oy_last; ++oy)
          for (i128 ox = ox_first; ox <= ox_last; ++ox) {
            const u64 position = u64(i128(uy) * ay.stride - ay.pad_before + oy) * ax.n +
                                 u64(i128(ux) * ax.stride - ax.pad_before + ox);
            u64 matrix = 0;  // 1x1 and pool
            if (per_offset)
              matrix = u64(oy) * ax.window + u64(ox) + (sharing == "local" ? unit * offsets : 0);
            layer.taps[unit].push_back({std::uint32_t(position), matrix});
          }
      }
    rows = ay, cols = ax, channels = layer.channels_out;
    cert.layers.push_back(std::move(layer));
  }
  if (rows.out != 1 || cols.out != 1)
    malformed("network.layers: the last layer leaves " + std::to_string(rows.out) + "x" +
              std::to_string(cols.out) + " positions, expected exactly one");
  read_vector(field(net, path, "readout"), channels, p, "p", "network.readout", cert.readout);
}

// ---- binding the index sets to their names (partition.spec, partition.vary) ----
// A string for a message: at most 40 characters of it (a name may be megabytes long).
std::string quoted(const std::string& s) {
  return json(s.size() <= 40 ? s : s.substr(0, 30) + "...").dump(-1, ' ', false, json::error_handler_t::replace);
}

template <class T>
std::string list_text(const std::vector<T>& list) {
  std::string out = "[";
  for (std::size_t t = 0; t < list.size(); ++t) {
    if (t) out += ',';
    out += std::to_string(list[t]);
  }
  return out += ']';
}

// The set named by "mask:<0/1 per position>" or "indices:<i,j,...>" (the syntax of
// docs/certificate-format.md), as membership per position; nullopt for any other string.
std::optional<std::vector<bool>> named_set(const std::string& spec, u64 n, const std::string& path) {
  std::vector<bool> member(n, false);
  if (spec.rfind("mask:", 0) == 0) {
    const std::string mask = spec.substr(5);
    if (mask.size() != n)
      malformed(path + ": the mask has " + std::to_string(mask.size()) + " characters, the input " +
                std::to_string(n) + " positions");
    for (u64 i = 0; i < n; ++i) {
      if (mask[i] != '0' && mask[i] != '1')
        malformed(path + ": mask character " + quoted(std::string(1, mask[i])) + " is not 0 or 1");
      member[i] = mask[i] == '1';
    }
    return member;
  }
  if (spec.rfind("indices:", 0) != 0) return std::nullopt;
  for (std::size_t pos = 8;;) {  // items separated by single commas
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    const std::string item = spec.substr(pos, comma - pos);
    const bool digits = !item.empty() && std::all_of(item.begin(), item.end(), [](char ch) {
      return ch >= '0' && ch <= '9';
    });
    if (!digits || (item.size() > 1 && item[0] == '0'))
      malformed(path + ": " + quoted(item) + " is not an index (decimal digits, no sign, no leading zero)");
    u64 value = 0;
    for (char ch : item) value = std::min<u64>(value * 10 + u64(ch - '0'), n);  // n: out of range
    if (value >= n) malformed(path + ": index " + quoted(item) + " is not in [0, " + std::to_string(n) + ")");
    if (member[value]) malformed(path + ": index " + item + " appears twice");
    member[value] = true;
    if (comma == spec.size()) return member;
    pos = comma + 1;
  }
}

// partition.spec: the I it names must be partition.I (docs/model.md "Partitions").
void check_partition_spec(const json& value, const Certificate& cert) {
  const std::string path = "partition.spec";
  if (!value.is_string()) malformed(path + ": expected a string, got " + describe(value));
  const std::string spec = value.get<std::string>();
  const u64 n = cert.positions, W = cert.width, H = cert.height;
  std::vector<bool> member(n, false);
  if (spec == "left-right" || (spec == "top-bottom" && cert.dims == 1)) {
    for (u64 i = 0; i < n; ++i) member[i] = i % W < W / 2;
  } else if (spec == "top-bottom") {
    for (u64 i = 0; i < n; ++i) member[i] = i / W < H / 2;
  } else if (spec == "odd-even") {
    for (u64 i = 0; i < n; ++i) member[i] = (i / W + i % W) % 2 == 0;
  } else if (auto named = named_set(spec, n, path)) {
    member = std::move(*named);
  } else {
    malformed(path + ": " + quoted(spec) +
              " is not a partition name (left-right, top-bottom, odd-even, mask:..., indices:...)");
  }
  std::vector<std::uint32_t> named_i;
  for (u64 i = 0; i < n; ++i)
    if (member[i]) named_i.push_back(std::uint32_t(i));
  if (named_i != cert.part_i)
    malformed(path + ": " + quoted(spec) + " names I = " + list_text(named_i) + " on the " +
              std::to_string(H) + "x" + std::to_string(W) + " input, but partition.I records " +
              list_text(cert.part_i));
}

// partition.vary: the varying sets must be those its spec names, and the minor must lie in the
// submatrix (every row and column holds the fixed template wherever its position does not vary).
void check_vary(const json& value, const Certificate& cert) {
  const std::string path = "partition.vary";
  const json& vary = as_object(value, path);
  const std::string spec = string_field(vary, path, "spec");
  const u64 n = cert.positions;
  std::vector<u64> fixed;
  read_vector(field(vary, path, "fixed_templates"), n, cert.templates, "M", path + ".fixed_templates", fixed);
  std::vector<bool> varies(n, false);
  if (spec == "all") {
    varies.assign(n, true);
  } else if (spec == "auto") {  // units of layer 1 whose window meets both sides
    std::vector<bool> in_i(n, false);
    for (std::uint32_t i : cert.part_i) in_i[i] = true;
    for (const std::vector<Tap>& window : cert.layers.front().taps) {
      bool meets_i = false, meets_j = false;
      for (const Tap& tap : window) (in_i[tap.input_position] ? meets_i : meets_j) = true;
      if (meets_i && meets_j)
        for (const Tap& tap : window) varies[tap.input_position] = true;
    }
  } else if (auto named = named_set(spec, n, path + ".spec")) {
    varies = std::move(*named);
  } else {
    malformed(path + ".spec: " + quoted(spec) + " is not a submatrix specification (all, auto, mask:..., indices:...)");
  }
  auto check_side = [&](const char* key, const std::vector<std::uint32_t>& side) {
    const std::string sp = join(path, key);
    const json& recorded = as_array(field(vary, path, key), sp);
    std::vector<std::uint32_t> got, expected;
    for (u64 t = 0; t < recorded.size(); ++t)
      got.push_back(std::uint32_t(as_uint(recorded[t], sp + idx(t), 0, n - 1, "[0, H*W)")));
    for (std::uint32_t pos : side)
      if (varies[pos]) expected.push_back(pos);
    if (got != expected)
      malformed(sp + ": records " + list_text(got) + ", but vary.spec " + quoted(spec) + " varies " +
                list_text(expected) + " of " + key);
    if (expected.empty())
      malformed(sp + ": no position of " + key + " varies under vary.spec " + quoted(spec));
  };
  check_side("I", cert.part_i);
  check_side("J", cert.part_j);
  auto check_fixed = [&](const char* key, const std::vector<std::uint32_t>& side,
                         const std::vector<std::vector<u64>>& assignments) {
    for (u64 i = 0; i < assignments.size(); ++i)
      for (u64 t = 0; t < side.size(); ++t)
        if (!varies[side[t]] && assignments[i][t] != fixed[side[t]])
          malformed(join("evidence", key) + idx(i) + idx(t) + ": position " + std::to_string(side[t]) +
                    " does not vary (partition.vary), so it must hold the fixed template " +
                    std::to_string(fixed[side[t]]) + ", not " + std::to_string(assignments[i][t]) +
                    ": the minor is not inside the recorded submatrix");
  };
  check_fixed("rows", cert.part_i, cert.rows);
  check_fixed("cols", cert.part_j, cert.cols);
}

Certificate read_certificate(const json& doc) {
  Certificate cert;
  as_object(doc, "certificate");
  string_field(doc, "", "format", {"seprank-certificate"});
  uint_field(doc, "", "format_version", 1, 1, "{1}");
  string_field(doc, "", "seprank_version");
  string_field(doc, "", "index_order", {"C"});

  const json& claim = as_object(field(doc, "", "claim"), "claim");
  string_field(claim, "claim", "statement");
  string_field(claim, "claim", "field", {"gfp"});
  cert.r = uint_field(claim, "claim", "rank_at_least", 1, kMaxRank, "[1, 16384]");
  cert.p = uint_field(claim, "claim", "prime", 2, (u64(1) << 63) - 1, "[2, 2^63)");
  if (!is_prime(cert.p)) malformed("claim.prime: " + std::to_string(cert.p) + " is not prime");

  const json& network = field(doc, "", "network");
  read_network(network, cert);
  const std::string recorded = string_field(doc, "", "network_sha256");
  const std::string computed = sha256_hex(network.dump());  // std::map keys: sorted; compact by default
#ifndef SEPRANK_CHECK_FUZZ_IGNORE_HASH  // defined only by the fuzz target: lets a fuzzed network reach evaluation
  if (recorded != computed)
    malformed("network_sha256: recorded " + json(recorded).dump() + ", but the network hashes to " +
              computed);
#endif

  const json& partition = as_object(field(doc, "", "partition"), "partition");
  const json& part_i = as_array(field(partition, "partition", "I"), "partition.I");
  if (part_i.empty() || part_i.size() >= cert.positions)
    malformed("partition.I: has " + std::to_string(part_i.size()) + " of " + std::to_string(cert.positions) +
              " positions; I and J must both be non-empty");
  std::vector<bool> in_i(cert.positions, false);
  for (u64 t = 0; t < part_i.size(); ++t) {
    const u64 pos = as_uint(part_i[t], "partition.I" + idx(t), 0, cert.positions - 1, "[0, H*W)");
    if (t > 0 && pos <= cert.part_i.back()) malformed("partition.I" + idx(t) + ": not strictly increasing");
    cert.part_i.push_back(std::uint32_t(pos));
    in_i[pos] = true;
  }
  for (u64 pos = 0; pos < cert.positions; ++pos)
    if (!in_i[pos]) cert.part_j.push_back(std::uint32_t(pos));
  if (auto spec = partition.find("spec"); spec != partition.end()) check_partition_spec(*spec, cert);

  const json& evidence = as_object(field(doc, "", "evidence"), "evidence");
  auto read_assignments = [&](const char* key, u64 length, std::vector<std::vector<u64>>& out) {
    const std::string ep = join("evidence", key);
    const json& list = as_array(field(evidence, "evidence", key), ep, cert.r);  // r = len(rows) = len(cols)
    out.resize(cert.r);
    for (u64 i = 0; i < cert.r; ++i) read_vector(list[i], length, cert.templates, "M", ep + idx(i), out[i]);
  };
  read_assignments("rows", cert.part_i.size(), cert.rows);
  read_assignments("cols", cert.part_j.size(), cert.cols);
  if (evidence.contains("determinant"))
    cert.determinant = uint_field(evidence, "evidence", "determinant", 1, cert.p - 1, "[1, p)");
  if (auto vary = partition.find("vary"); vary != partition.end()) check_vary(*vary, cert);
  return cert;
}

// ---- evaluation ----
// h(assignment): forward pass over GF(p); x and y are scratch buffers reused across calls.
u64 evaluate(const Certificate& cert, const std::vector<u64>& assignment, std::vector<u64>& x,
             std::vector<u64>& y) {
  const u64 p = cert.p, M = cert.templates;
  x.resize(cert.positions * M);
  for (u64 i = 0; i < cert.positions; ++i)
    std::copy_n(cert.representation.begin() + assignment[i] * M, M, x.begin() + i * M);
  for (const Layer& layer : cert.layers) {
    const u64 cin = layer.channels_in, cout = layer.channels_out;
    y.assign(layer.taps.size() * cout, 1 % p);  // the empty product is 1
    for (u64 u = 0; u < layer.taps.size(); ++u)
      for (const Tap& tap : layer.taps[u]) {
        const u64* in = x.data() + u64(tap.input_position) * cin;
        const u64* w = layer.pool ? nullptr : layer.weights.data() + tap.matrix * cout * cin;
        for (u64 c = 0; c < cout; ++c) {
          u64 factor = layer.pool ? in[c] : 0;
          if (!layer.pool) {
            u128 sum = 0;  // products are < 2^126: reduce only when the sum nears 2^128
            for (u64 c2 = 0; c2 < cin; ++c2) {
              sum += u128(w[c * cin + c2]) * in[c2];
              if (sum >> 127) sum %= p;
            }
            factor = (sum >> 64) == 0 ? u64(sum) % p : u64(sum % p);  // 64-bit division when it fits
          }
          y[u * cout + c] = mul_mod(y[u * cout + c], factor, p);
        }
      }
    std::swap(x, y);
  }
  u64 h = 0;
  for (u64 c = 0; c < cert.readout.size(); ++c) h = add_mod(h, mul_mod(cert.readout[c], x[c], p), p);
  return h;
}

// row[j] += factor·pivot[j] mod p for j in [from, r), for residues stored as words.
void add_multiple(u64* row, const u64* pivot, u64 factor, u64 p, u64 from, u64 r) {
  for (u64 j = from; j < r; ++j) row[j] = add_mod(row[j], mul_mod(factor, pivot[j], p), p);
}

// The same in doubles, for p < 2^26: the sum is an integer below p + p^2 < 2^53, exact; its
// quotient by p, rounded to nearest (the 1.5·2^52 trick, which compilers vectorize), is off by
// at most one, so the remainder lands in (-p, p) and one conditional add fixes it. A large
// minor's elimination runs ~7x faster this way.
void add_multiple(double* __restrict row, const double* __restrict pivot, u64 factor, u64 p, u64 from, u64 r) {
  const double f = double(factor), q_p = double(p), inverse = 1.0 / q_p, round = 6755399441055744.0;  // 1.5·2^52
  for (u64 j = from; j < r; ++j) {
    const double x = row[j] + f * pivot[j];
    const double q = (x * inverse + round) - round;
    const double rem = x - q * q_p;
    row[j] = rem + (rem < 0 ? q_p : 0.0);
  }
}

// Determinant mod p by Gaussian elimination of the residues in m (words or doubles, consumed);
// reports the first pivot-free column.
template <class T>
u64 eliminate(std::vector<T>& m, u64 r, u64 p, u64& zero_column) {
  u64 det = 1;
  for (u64 col = 0; col < r; ++col) {
    u64 pivot = col;
    while (pivot < r && m[pivot * r + col] == 0) ++pivot;
    if (pivot == r) {
      zero_column = col;
      return 0;
    }
    if (pivot != col) {
      std::swap_ranges(m.begin() + pivot * r, m.begin() + pivot * r + r, m.begin() + col * r);
      det = (p - det) % p;
    }
    const u64 diagonal = u64(m[col * r + col]);
    det = mul_mod(det, diagonal, p);
    const u64 inverse = pow_mod(diagonal, p - 2, p);  // Fermat: p is prime
    for (u64 row = col + 1; row < r; ++row) {
      const u64 factor = mul_mod(u64(m[row * r + col]), inverse, p);
      if (factor != 0) add_multiple(&m[row * r], &m[col * r], p - factor, p, col, r);
    }
  }
  return det;
}

u64 determinant_mod(std::vector<u64>& m, u64 r, u64 p, u64& zero_column) {
  if (p >= (u64(1) << 26)) return eliminate(m, r, p, zero_column);
  std::vector<double> d(m.begin(), m.end());
  std::vector<u64>().swap(m);  // consumed: only the doubles are needed now
  return eliminate(d, r, p, zero_column);
}

// Throws a Verdict when the certificate is malformed.
Verdict check_text(const std::string& text) {
  // nlohmann skips a byte order mark, Python's json refuses it: the spec forbids it.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) malformed("a byte order mark precedes the JSON text");
  json doc;
  try {
    doc = json::parse(text);  // nlohmann's parser is iterative: deep nesting cannot overflow the stack
  } catch (const json::exception& e) {  // syntax (101) and numbers beyond a double (406)
    std::string why = e.what();  // quotes the offending token, which may be thousands of digits
    if (why.size() > 200) why = why.substr(0, 180) + "...";
    malformed("invalid JSON: " + why);
  }
  DuplicateKeys duplicate_keys;
  json::sax_parse(text, &duplicate_keys);
  const Certificate cert = read_certificate(doc);

  const u64 r = cert.r, p = cert.p;
  std::vector<u64> matrix(r * r), assignment(cert.positions), x, y;
  for (u64 i = 0; i < r; ++i) {
    for (u64 t = 0; t < cert.part_i.size(); ++t) assignment[cert.part_i[t]] = cert.rows[i][t];
    for (u64 j = 0; j < r; ++j) {
      for (u64 t = 0; t < cert.part_j.size(); ++t) assignment[cert.part_j[t]] = cert.cols[j][t];
      matrix[i * r + j] = evaluate(cert, assignment, x, y);
    }
  }
  u64 zero_column = 0;
  const u64 det = determinant_mod(matrix, r, p, zero_column);
  const std::string minor = "the selected " + std::to_string(r) + "x" + std::to_string(r) + " minor";
  if (det == 0)
    return {1, "refuted: " + minor + " has determinant 0 mod " + std::to_string(p) + " (no pivot in column " +
                   std::to_string(zero_column) + " after elimination)"};
  if (cert.determinant && *cert.determinant != det)
    return {1, "refuted: evidence.determinant records " + std::to_string(*cert.determinant) + ", but " +
                   minor + " has determinant " + std::to_string(det) + " mod " + std::to_string(p)};
  return {0, "rank >= " + std::to_string(r) + " over GF(" + std::to_string(p) + ")"};
}

// Every way a check can end, as a verdict: thrown ones, and exceptions a bug or the
// allocator may raise (a checker must still print one line).
template <class Check>
Verdict verdict_of(Check check) noexcept {
  try {
    return check();
  } catch (const Verdict& early) {
    return early;
  } catch (const std::bad_alloc&) {
    return {2, "malformed: out of memory while reading the certificate"};
  } catch (const std::exception& e) {
    return {2, std::string("malformed: ") + e.what()};
  } catch (...) {
    return {2, "malformed: internal error"};
  }
}

}  // namespace

namespace seprank_check {

Verdict check_certificate_text(const std::string& text) {
  return verdict_of([&] { return check_text(text); });
}

std::string verdict_line(const Verdict& verdict) {
  std::string message = verdict.message;
  for (char& ch : message)  // one line of printable ASCII, whatever the input contained
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
  return (verdict.exit_code == 0 ? "VERIFIED: " : "NOT VERIFIED: ") + message;
}

}  // namespace seprank_check

#ifndef SEPRANK_CHECK_NO_MAIN
namespace {

Verdict check_file(const char* file_name) {
  std::FILE* file = std::fopen(file_name, "rb");
  if (!file) return {3, std::string("cannot read ") + file_name + ": " + std::strerror(errno)};
  std::string text;
  char buffer[1 << 16];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, got);
  const bool read_failed = std::ferror(file);
  const int read_errno = errno;
  std::fclose(file);
  if (read_failed) return {3, std::string("cannot read ") + file_name + ": " + std::strerror(read_errno)};
  return seprank_check::check_certificate_text(text);
}

}  // namespace

int main(int argc, char** argv) {
  const Verdict verdict = argc == 2 ? verdict_of([&] { return check_file(argv[1]); })
                                    : Verdict{3, "usage: seprank-check FILE"};
  std::cout << seprank_check::verdict_line(verdict) << std::endl;
  return verdict.exit_code;
}
#endif
