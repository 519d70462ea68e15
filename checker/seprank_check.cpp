// seprank-check — the independent C++ checker of seprank's evidence:
//   seprank-check FILE          a certificate (docs/certificate-format.md, version 1: rank >= r over
//                               GF(p)), a structured certificate (docs/structured-certificate.md:
//                               rank >= r far beyond a dense minor) or a cut witness
//                               (docs/cut-witness.md: rank <= B for all weights), told apart by
//                               the top-level "format";
//   seprank-check --bundle DIR  a proof bundle (docs/proof-bundle.md, version 2, items 1-4 of "What a
//                               checker verifies"): every verdict recomputed, every piece of
//                               evidence checked;
//   seprank-check --help | --version.
// For a certificate it recomputes the r×r selected entries by its own forward evaluation of the
// network, takes the determinant mod p, and checks that the recorded index sets are those
// partition.spec and partition.vary name. For a witness it builds the unrolled network of
// readings itself, removes the cut items, searches from I's inputs and multiplies the costs.
// For a structured certificate it evaluates the network symbolically, as products of small
// tables over disjoint groups of positions, and checks each group's matrix and minor.
// It prints exactly one verdict line on stdout.
// Exit codes: 0 verified; 1 refuted (determinant zero or different from the recorded one; a cut
//             that does not separate or whose product differs; a wrong verdict in a bundle);
//             2 malformed (including invalid JSON); 3 file cannot be read (or usage);
//             4 too large for this checker (a structured certificate beyond its own limits).
// Deliberately small and free of FLINT/Boost/OpenSSL/BLAS: nlohmann-json parses, SHA-256 is
// implemented below, and so is the arithmetic: the minor is evaluated and eliminated over doubles
// for p < 2^26 and in Montgomery form above, in blocks, on all cores (std::thread). Strict where
// the spec is: no duplicate keys anywhere, no unknown keys inside `network` or `architecture`
// (they are ignored elsewhere).
// Compiled with -DSEPRANK_CHECK_NO_MAIN, the file is a library (namespace seprank_check, below)
// for the fuzz target and `seprank verify`, which compile it; the checker stays one file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace seprank_check {

struct Verdict {
  int exit_code;        // 0 verified, 1 refuted, 2 malformed, 3 cannot read, 4 too large for this checker
  std::string message;  // after "VERIFIED: " or "NOT VERIFIED: "
};

// The verdicts on documents given as their bytes: what `seprank-check FILE` says of a file
// holding them. None of them throws.
// A certificate ("format": "seprank-certificate"; anything else is malformed).
Verdict check_certificate_text(const std::string& text);
// A cut witness ("format": "seprank-cut-witness"; anything else is malformed).
Verdict check_cut_witness_text(const std::string& text);
// Either, chosen by the top-level "format" (what `seprank-check FILE` runs).
Verdict check_evidence_text(const std::string& text);

// The verdict on the proof bundle in directory dir (`seprank-check --bundle DIR`). Never throws.
Verdict check_bundle(const std::string& dir);

// For `seprank certify --structured`, which chooses the groups from what this checker will
// compute: the blocks of h (docs/structured-certificate.md) for a structured certificate's
// network, partition and vary; its claim is read as usual, its `factors` not at all. Verdict 0
// with the blocks, or why not (1: h is zero; 2: malformed; 4: too large). Never throws.
struct StructuredBlock {
  std::vector<std::uint32_t> positions;  // increasing
  std::vector<std::uint64_t> table;      // M^|positions| values mod p, C order, first nonzero 1
};
Verdict structured_blocks(const std::string& text, std::vector<StructuredBlock>& blocks);

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
constexpr u64 kMaxRank = 16384, kMaxPositions = 1024, kMaxTemplates = 64, kMaxChannels = 4096, kMaxLayers = 64,
              kMaxWeightEntries = 1000000;
// Cut witnesses: vertices and edges of the unrolled network together, its readings (a memory
// bound, reached beyond the first only through stacked pool layers), and cut items.
constexpr u64 kMaxNetworkSize = 1000000, kMaxReadings = 2000000, kMaxCutItems = 1000000;
// Arrays and objects nested deeper are malformed anywhere in the document: Python's json
// recurses (and gives up near 1000), nlohmann's dump() recurses too. A certificate nests 7 levels, a manifest 8.
constexpr std::size_t kMaxDepth = 256;
// Every file a checker reads (a certificate, a witness, a manifest, a theorem copy) is a regular
// file of at most this many bytes, 256 MiB: over three times the largest certificate the limits
// above allow (docs/certificate-format.md "Reading files"). A FIFO or a device is never read.
constexpr u64 kMaxFileBytes = u64(256) << 20;

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

// ---- the validated architecture, partition and certificate ----
struct Tap {
  std::uint32_t input_position;
  u64 matrix;   // index into the layer's weight matrices (unused by pool layers and witnesses)
  u128 offset;  // the window offset k = oy·R_w + ox (R² may exceed 2^64 in `same` mode)
};

struct Layer {
  bool pool = false;
  u64 channels_in = 0, channels_out = 0;
  std::vector<u64> weights;            // matrices back to back, each channels_out × channels_in
  std::vector<std::vector<Tap>> taps;  // per output unit: the in-map window offsets, k increasing
};

// What a certificate and a cut witness both speak of: the matricization [A]_{I,J} of an
// architecture (input, M, layers' geometry) under a partition.
struct Matricization {
  u64 templates = 0, positions = 0;
  u64 dims = 1, height = 1, width = 1;  // network.input / architecture.input
  std::vector<Layer> layers;
  std::vector<std::uint32_t> part_i, part_j;
};

struct Certificate : Matricization {
  u64 p = 0, r = 0;
  std::vector<u64> representation;  // M × M
  std::vector<u64> readout;
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

// A certificate's `network` (cert given: weights, representation and readout are read mod
// cert->p), a witness's `architecture` (cert null: none of them may appear) or, with `sharing`,
// a bundle entry's (a witness's plus "sharing"). The geometry goes into m (for a certificate,
// m is *cert); `path` names the object in messages.
void read_network(const json& net, Matricization& m, Certificate* cert, const std::string& path,
                  bool with_sharing = false) {
  as_object(net, path);
  if (cert)
    only_keys(net, path, {"input", "templates", "padding", "sharing", "representation", "layers", "readout"});
  else if (with_sharing)
    only_keys(net, path, {"input", "templates", "padding", "sharing", "layers"});
  else
    only_keys(net, path, {"input", "templates", "padding", "layers"});
  const std::string ip = path + ".input";
  const json& input = as_object(field(net, path, "input"), ip);
  only_keys(input, ip, {"dims", "height", "width"});
  const u64 dims = uint_field(input, ip, "dims", 1, 2, "{1, 2}");
  const u64 height = dims == 1 ? uint_field(input, ip, "height", 1, 1, "{1} (1D input)")
                               : uint_field(input, ip, "height", 1, kMaxPositions, "[1, 1024]");
  const u64 width = uint_field(input, ip, "width", 1, kMaxPositions, "[1, 1024]");
  if (height * width > kMaxPositions)
    malformed(ip + ": H*W = " + std::to_string(height * width) + " exceeds 1024");
  m.positions = height * width;
  m.dims = dims, m.height = height, m.width = width;
  const u64 p = cert ? cert->p : 0;
  const u64 M = m.templates = uint_field(net, path, "templates", 1, kMaxTemplates, "[1, 64]");
  const bool same = string_field(net, path, "padding", {"valid", "same"}) == "same";
  const std::string sharing =
      cert || with_sharing ? string_field(net, path, "sharing", {"conv", "local", "1x1"}) : "";

  if (cert) {
    const json& rep = as_array(field(net, path, "representation"), "network.representation", M);
    for (u64 d = 0; d < M; ++d)
      read_vector(rep[d], M, p, "p", "network.representation" + idx(d), cert->representation);
  }

  const json& layers = as_array(field(net, path, "layers"), path + ".layers");
  if (layers.empty() || layers.size() > kMaxLayers)
    malformed(path + ".layers: " + std::to_string(layers.size()) + " layers, expected 1 to 64");
  Axis rows{height, 1, 1, height, 0}, cols{width, 1, 1, width, 0};  // .out: extent of the current map
  u64 channels = M, weight_entries = 0;
  for (u64 l = 0; l < layers.size(); ++l) {
    const std::string lp = path + ".layers" + idx(l);
    const json& spec = as_object(layers[l], lp);
    Layer layer;
    layer.pool = string_field(spec, lp, "kind", {"gc", "pool"}) == "pool";
    if (layer.pool)
      only_keys(spec, lp, {"kind", "window", "stride"}, " in a pool layer");
    else if (cert)
      only_keys(spec, lp, {"kind", "window", "stride", "channels", "weights"}, " in a gc layer");
    else
      only_keys(spec, lp, {"kind", "window", "stride", "channels"}, " in a gc layer of an architecture");
    const u64 window = uint_field(spec, lp, "window", 1, ~u64(0), "[1, 2^64)");
    const u64 stride = uint_field(spec, lp, "stride", 1, ~u64(0), "[1, 2^64)");
    layer.channels_in = channels;
    layer.channels_out =
        layer.pool ? channels : uint_field(spec, lp, "channels", 1, kMaxChannels, "[1, 4096]");
    // 1D: the row axis has extent 1 and window/stride 1.
    const Axis ay = dims == 1 ? make_axis(1, 1, 1, false, lp) : make_axis(rows.out, window, stride, same, lp);
    const Axis ax = make_axis(cols.out, window, stride, same, lp);
    const u64 units = ay.out * ax.out;  // ≤ kMaxPositions: outputs never exceed inputs
    // Bound the number of weight entries before any allocation (R² may be astronomically large).
    const bool per_offset = cert && !layer.pool && sharing != "1x1";
    if (per_offset && window > kMaxWeightEntries)
      malformed(lp + ".window: too large for the limit of 10^6 weight entries");
    const u64 offsets = per_offset ? ay.window * ax.window : 1;  // K
    if (cert && !layer.pool) {
      const u64 matrices = sharing == "local" ? units * offsets : offsets;
      const u128 entries = u128(matrices) * layer.channels_out * layer.channels_in + weight_entries;
      if (entries > kMaxWeightEntries)
        malformed(lp + ".weights: the network has more than 10^6 weight entries in all");
      weight_entries = u64(entries);
      const std::string wp = lp + ".weights";
      const json& matrix_list = as_array(field(spec, lp, "weights"), wp, matrices);
      layer.weights.reserve(matrices * layer.channels_out * layer.channels_in);
      for (u64 mi = 0; mi < matrices; ++mi) {
        as_array(matrix_list[mi], wp + idx(mi), layer.channels_out);
        for (u64 c = 0; c < layer.channels_out; ++c)
          read_vector(matrix_list[mi][c], layer.channels_in, p, "p", wp + idx(mi) + idx(c), layer.weights);
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
            const u128 offset = u128(oy) * ax.window + u128(ox);
            layer.taps[unit].push_back({std::uint32_t(position), matrix, offset});
          }
      }
    rows = ay, cols = ax, channels = layer.channels_out;
    m.layers.push_back(std::move(layer));
  }
  if (rows.out != 1 || cols.out != 1)
    malformed(path + ".layers: the last layer leaves " + std::to_string(rows.out) + "x" +
              std::to_string(cols.out) + " positions, expected exactly one");
  if (cert) read_vector(field(net, path, "readout"), channels, p, "p", "network.readout", cert->readout);
}

// ---- binding the index sets to their names (partition.spec, partition.vary) ----
// A string for a message: at most `limit` characters of it (a name may be megabytes long).
std::string quoted_text(const std::string& s, std::size_t limit = 40) {
  return json(s.size() <= limit ? s : s.substr(0, limit - 10) + "...")
      .dump(-1, ' ', false, json::error_handler_t::replace);
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
        malformed(path + ": mask character " + quoted_text(std::string(1, mask[i])) + " is not 0 or 1");
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
      malformed(path + ": " + quoted_text(item) + " is not an index (decimal digits, no sign, no leading zero)");
    u64 value = 0;
    for (char ch : item) value = std::min<u64>(value * 10 + u64(ch - '0'), n);  // n: out of range
    if (value >= n) malformed(path + ": index " + quoted_text(item) + " is not in [0, " + std::to_string(n) + ")");
    if (member[value]) malformed(path + ": index " + item + " appears twice");
    member[value] = true;
    if (comma == spec.size()) return member;
    pos = comma + 1;
  }
}

// partition.spec: the I it names must be partition.I (docs/model.md "Partitions"); `partition`
// names the object in messages.
void check_partition_spec(const json& value, const Matricization& cert, const std::string& partition) {
  const std::string path = partition + ".spec";
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
    malformed(path + ": " + quoted_text(spec) +
              " is not a partition name (left-right, top-bottom, odd-even, mask:..., indices:...)");
  }
  std::vector<std::uint32_t> named_i;
  for (u64 i = 0; i < n; ++i)
    if (member[i]) named_i.push_back(std::uint32_t(i));
  if (named_i != cert.part_i)
    malformed(path + ": " + quoted_text(spec) + " names I = " + list_text(named_i) + " on the " +
              std::to_string(H) + "x" + std::to_string(W) + " input, but " + partition + ".I records " +
              list_text(cert.part_i));
}

// partition.vary: the varying sets must be those its spec names, and the minor must lie in the
// submatrix (every row and column holds the fixed template wherever its position does not vary).
struct VaryingSet {
  std::vector<bool> varies;  // per position
  std::vector<u64> fixed;    // the template of every position that does not vary
};

VaryingSet check_vary(const json& value, const Certificate& cert) {
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
    malformed(path + ".spec: " + quoted_text(spec) + " is not a submatrix specification (all, auto, mask:..., indices:...)");
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
      malformed(sp + ": records " + list_text(got) + ", but vary.spec " + quoted_text(spec) + " varies " +
                list_text(expected) + " of " + key);
    if (expected.empty())
      malformed(sp + ": no position of " + key + " varies under vary.spec " + quoted_text(spec));
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
  return {std::move(varies), std::move(fixed)};
}

// A `partition` object at `path`: I strictly increasing inside [0, H·W), I and J non-empty, and
// bound to `spec` when present (certificates and witnesses alike; a bundle entry's must have
// one). Returns the object.
const json& read_partition(const json& value, const std::string& path, Matricization& m,
                           bool spec_required = false) {
  const json& partition = as_object(value, path);
  const std::string ip = path + ".I";
  const json& part_i = as_array(field(partition, path, "I"), ip);
  if (part_i.empty() || part_i.size() >= m.positions)
    malformed(ip + ": has " + std::to_string(part_i.size()) + " of " + std::to_string(m.positions) +
              " positions; I and J must both be non-empty");
  std::vector<bool> in_i(m.positions, false);
  for (u64 t = 0; t < part_i.size(); ++t) {
    const u64 pos = as_uint(part_i[t], ip + idx(t), 0, m.positions - 1, "[0, H*W)");
    if (t > 0 && pos <= m.part_i.back()) malformed(ip + idx(t) + ": not strictly increasing");
    m.part_i.push_back(std::uint32_t(pos));
    in_i[pos] = true;
  }
  for (u64 pos = 0; pos < m.positions; ++pos)
    if (!in_i[pos]) m.part_j.push_back(std::uint32_t(pos));
  if (spec_required) field(partition, path, "spec");
  if (auto spec = partition.find("spec"); spec != partition.end()) check_partition_spec(*spec, m, path);
  return partition;
}

// What a dense and a structured certificate share: format, claim, network (hashed) and
// partition; returns the `partition` object. `structured` allows ranks up to 2^63 − 1 and
// requires partition.spec (its vary is read by the caller).
const json& read_certificate_head(const json& doc, Certificate& cert, bool structured) {
  as_object(doc, "certificate");
  string_field(doc, "", "format", {structured ? "seprank-structured-certificate" : "seprank-certificate"});
  uint_field(doc, "", "format_version", 1, 1, "{1}");
  string_field(doc, "", "seprank_version");
  string_field(doc, "", "index_order", {"C"});

  const json& claim = as_object(field(doc, "", "claim"), "claim");
  string_field(claim, "claim", "statement");
  string_field(claim, "claim", "field", {"gfp"});
  cert.r = structured ? uint_field(claim, "claim", "rank_at_least", 1, (u64(1) << 63) - 1, "[1, 2^63)")
                      : uint_field(claim, "claim", "rank_at_least", 1, kMaxRank, "[1, 16384]");
  cert.p = uint_field(claim, "claim", "prime", 2, (u64(1) << 63) - 1, "[2, 2^63)");
  if (!is_prime(cert.p)) malformed("claim.prime: " + std::to_string(cert.p) + " is not prime");

  const json& network = field(doc, "", "network");
  read_network(network, cert, &cert, "network");
  const std::string recorded = string_field(doc, "", "network_sha256");
  const std::string computed = sha256_hex(network.dump());  // std::map keys: sorted; compact by default
#ifndef SEPRANK_CHECK_FUZZ_IGNORE_HASH  // defined only by the fuzz target: lets a fuzzed network reach evaluation
  if (recorded != computed)
    malformed("network_sha256: recorded " + json(recorded).dump() + ", but the network hashes to " +
              computed);
#endif
  return read_partition(field(doc, "", "partition"), "partition", cert, structured);
}

Certificate read_certificate(const json& doc) {
  Certificate cert;
  const json& partition = read_certificate_head(doc, cert, false);

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

// ---- arithmetic mod p for the minor: two representations, each reducing rarely ----
constexpr u64 kLanes = 64;  // entries evaluated side by side (columns of the minor), for SIMD and fewer calls

// The loops over doubles are also compiled for AVX2 with FMA and for AVX-512 on x86-64 with
// glibc (GCC 11+, Clang 14+), the best one for the processor chosen when the program starts:
// twice as fast as the SSE2 of a plain x86-64 build. The arithmetic is the same: every product
// and sum is an integer below 2^53, exact either way, and the one rounding (SmallField::reduce)
// allows a fused multiply-add.
#if defined(__x86_64__) && defined(__GLIBC__) && \
    (defined(__clang__) ? __clang_major__ >= 14 : defined(__GNUC__) && __GNUC__ >= 11)
#define VECTOR_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define VECTOR_CLONES
#endif

// Both fields have the same members: T (a residue), from/to (a u64 residue in, out), one, add,
// neg, mul, dot (a sum of products, reduced once per `batch` products), mul_lanes and dot_lanes
// (kLanes products or sums side by side) and axpy (the elimination's inner loop). Each says why
// none of its sums leaves the range where its arithmetic is exact.

// p < 2^26: a residue is a double holding an integer in (−p, p), any representative of its
// class (so no reduction needs a comparison; the class is 0 exactly when the double is).
// Doubles are exact on integers up to 2^53, and a product of two residues is below p² < 2^52.
struct SmallField {
  using T = double;
  double p, inverse_p;  // 1/p, rounded
  u64 batch;            // products a residue may take on before reducing: (p−1) + batch·(p−1)² ≤ 2^52
  explicit SmallField(u64 prime)
      : p(double(prime)),
        inverse_p(1.0 / double(prime)),
        batch(((u64(1) << 52) - (prime - 1)) / ((prime - 1) * (prime - 1))) {}  // >= 1 for p < 2^26

  // A residue of the integer x, |x| ≤ 2^52. The computed x·inverse_p is within 0.34 of x/p (two
  // roundings, each off by at most a relative 2^-53, of a quotient of at most 2^52/3; 1/2 is
  // exact), and adding and subtracting 1.5·2^52 rounds it to the nearest integer q (|x/p| ≤ 2^51:
  // the sum lies in [2^52, 2^53], where the unit in the last place is 1; a fused multiply-add
  // would only round once). So |x/p − q| < 0.84, and x − q·p is in (−p, p), computed exactly:
  // |q·p| < |x| + p < 2^53.
  double reduce(double x) const {
    const double q = (x * inverse_p + 6755399441055744.0) - 6755399441055744.0;
    return x - q * p;
  }
  double from(u64 x) const { return double(x); }
  u64 to(double x) const { return u64(x < 0 ? x + p : x); }
  double one() const { return 1; }
  double add(double a, double b) const { return reduce(a + b); }
  double neg(double a) const { return -a; }
  double mul(double a, double b) const { return reduce(a * b); }
  // Σ a[t]·b[t] mod p: a residue takes on `batch` products, then is reduced.
  double dot(const double* a, const double* b, u64 n) const {
    double result = 0;
    for (u64 k = 0; k < n; k += batch) {
      double sum[4] = {result, 0, 0, 0};  // four sums at once (integers: the order is immaterial)
      const u64 end = std::min(n, k + batch);
      u64 t = k;
      for (; t + 4 <= end; t += 4)
        for (int s = 0; s < 4; ++s) sum[s] += a[t + s] * b[t + s];
      for (; t < end; ++t) sum[0] += a[t] * b[t];
      result = reduce((sum[0] + sum[1]) + (sum[2] + sum[3]));
    }
    return result;
  }
  // c[j] = c[j] + Σ_t a[t]·u[t][j] mod p for j in [from, to), for count ≤ batch rows u[t]: each
  // c[j] takes on count products, then its one reduction. (Rows outer, columns inner: the
  // compiler vectorizes the j loops; the copy of the field keeps stores into c from changing p.)
  VECTOR_CLONES
  void axpy(double* c, const double* const* u, const double* a, u64 count, u64 from, u64 to) const {
    const SmallField f = *this;
    double* __restrict row = c;
    for (u64 t = 0; t < count; ++t) {
      const double* __restrict pivot_row = u[t];
      const double factor = a[t];
      for (u64 j = from; j < to; ++j) row[j] += factor * pivot_row[j];
    }
    for (u64 j = from; j < to; ++j) row[j] = f.reduce(row[j]);
  }
  // The elimination's inner loop in the shape of a matrix product: the kRows rows c[r] on the
  // kCols columns from j subtract Σ_t a[r·stride + t]·b[t·kCols + l] for t < count ≤ batch, b being
  // pivot rows packed kCols entries per t side by side. The block's sums stay in registers over
  // every t, so each load of b serves kRows rows and each multiplier kCols columns, and c is
  // loaded and stored once. Each sum takes on count products, as in axpy.
  // (Lanes: kCols doubles as one value, GCC's and Clang's vector extension, so that the compiler
  // keeps each row's sums in vector registers; arithmetic on it is per lane, as on double.)
  static constexpr u64 kRows = 6, kCols = 8;
  using Lanes = double __attribute__((vector_size(kCols * sizeof(double))));
  VECTOR_CLONES
  void subtract_block(double* const* c, u64 j, const double* a, u64 stride, const double* b, u64 count) const {
    Lanes sum[kRows];
    for (u64 r = 0; r < kRows; ++r) std::memcpy(&sum[r], c[r] + j, sizeof(Lanes));
    for (u64 t = 0; t < count; ++t) {
      Lanes pivot;
      std::memcpy(&pivot, b + t * kCols, sizeof(Lanes));
      for (u64 r = 0; r < kRows; ++r) sum[r] -= a[r * stride + t] * pivot;
    }
    for (u64 r = 0; r < kRows; ++r) {  // reduce, lane by lane as above
      const Lanes q = (sum[r] * inverse_p + 6755399441055744.0) - 6755399441055744.0;
      sum[r] -= q * p;
      std::memcpy(c[r] + j, &sum[r], sizeof(Lanes));
    }
  }
  // out[lane] = a[lane]·b[lane] mod p for rows of kLanes residues (out may be a).
  VECTOR_CLONES
  void mul_lanes(const double* a, const double* b, double* out) const {
    const SmallField f = *this;
    for (u64 lane = 0; lane < kLanes; ++lane) out[lane] = f.mul(a[lane], b[lane]);
  }
  // out[lane] = Σ_k a[k]·x[k][lane] mod p for rows x[k] of kLanes residues, reduced as in dot.
  VECTOR_CLONES
  void dot_lanes(const double* a, const double* x, u64 n, double* out) const {
    const SmallField f = *this;
    double sum[kLanes] = {};
    for (u64 k = 0; k < n; k += batch) {
      for (u64 t = k; t < std::min(n, k + batch); ++t)
        for (u64 lane = 0; lane < kLanes; ++lane) sum[lane] += a[t] * x[t * kLanes + lane];
      for (u64 lane = 0; lane < kLanes; ++lane) sum[lane] = f.reduce(sum[lane]);
    }
    std::copy_n(sum, kLanes, out);
  }
};

// 2^26 ≤ p < 2^63 (odd, being prime): Montgomery residues, x held as x·2^64 mod p in [0, p).
// redc(t) = t·2^-64 mod p for every t < p·2^64: a product of two residues (below p²) and a sum
// of up to batch = ⌊(2^64−1)/p⌋ ≥ 2 of them (below batch·p² ≤ (2^64−1)·p) take one redc. The
// Montgomery factor cancels: redc(x·2^64 · y·2^64) = xy·2^64.
struct MontField {
  using T = u64;
  u64 p, minus_inverse, r1, r2, batch;  // −p⁻¹ mod 2^64, 2^64 mod p, 2^128 mod p
  explicit MontField(u64 prime) : p(prime), batch(~u64(0) / prime) {
    u64 inverse = prime;  // p·p ≡ 1 mod 8 for odd p: 3 correct bits,
    for (int i = 0; i < 5; ++i) inverse *= 2 - prime * inverse;  // each Newton step doubles them
    minus_inverse = 0 - inverse;
    r1 = u64((u128(1) << 64) % prime);
    r2 = u64(u128(r1) * r1 % prime);
  }
  // t + m·p ≡ 0 mod 2^64 by the choice of m; t + m·p < p·2^64 + 2^64·p ≤ 2^128 (p < 2^63); the
  // quotient by 2^64 is below 2p, one subtraction.
  u64 redc(u128 t) const {
    const u64 m = u64(t) * minus_inverse;
    const u64 x = u64((t + u128(m) * p) >> 64);
    return x >= p ? x - p : x;
  }
  u64 from(u64 x) const { return redc(u128(x) * r2); }
  u64 to(u64 x) const { return redc(x); }
  u64 one() const { return r1; }
  u64 add(u64 a, u64 b) const { return a + b >= p ? a + b - p : a + b; }  // a + b < 2p < 2^64
  u64 neg(u64 a) const { return a == 0 ? 0 : p - a; }
  u64 mul(u64 a, u64 b) const { return redc(u128(a) * b); }
  u64 dot(const u64* a, const u64* b, u64 n) const {
    u64 result = 0;
    for (u64 k = 0; k < n; k += batch) {
      u128 sum = 0;
      for (u64 t = k; t < std::min(n, k + batch); ++t) sum += u128(a[t]) * b[t];
      result = add(result, redc(sum));
    }
    return result;
  }
  void axpy(u64* c, const u64* const* u, const u64* a, u64 count, u64 from, u64 to) const {
    u64 j = from;
    for (; j + 2 <= to; j += 2) {  // two columns at a time: each multiplier and row read serves both
      u128 sum0 = 0, sum1 = 0;
      for (u64 t = 0; t < count; ++t) sum0 += u128(a[t]) * u[t][j], sum1 += u128(a[t]) * u[t][j + 1];
      c[j] = add(c[j], redc(sum0)), c[j + 1] = add(c[j + 1], redc(sum1));
    }
    for (; j < to; ++j) {
      u128 sum = 0;
      for (u64 t = 0; t < count; ++t) sum += u128(a[t]) * u[t][j];
      c[j] = add(c[j], redc(sum));
    }
  }
  void mul_lanes(const u64* a, const u64* b, u64* out) const {
    for (u64 lane = 0; lane < kLanes; ++lane) out[lane] = mul(a[lane], b[lane]);
  }
  void dot_lanes(const u64* a, const u64* x, u64 n, u64* out) const {
    for (u64 lane = 0; lane < kLanes; ++lane) {
      u64 result = 0;
      for (u64 k = 0; k < n; k += batch) {
        u128 sum = 0;
        for (u64 t = k; t < std::min(n, k + batch); ++t) sum += u128(a[t]) * x[t * kLanes + lane];
        result = add(result, redc(sum));
      }
      out[lane] = result;
    }
  }
};

template <class F>
typename F::T power(const F& f, typename F::T base, u64 e) {
  typename F::T result = f.one();
  for (; e; e >>= 1, base = f.mul(base, base))
    if (e & 1) result = f.mul(result, base);
  return result;
}

// Runs work(begin, end, k) for `threads` contiguous shares k of [0, n), share 0 on the calling
// thread. A share whose thread cannot be started runs on the calling thread. work only computes
// (it neither allocates nor throws).
template <class Work>
void in_parallel(u64 n, unsigned threads, const Work& work) {
  std::vector<std::thread> started;
  started.reserve(threads);
  for (unsigned k = 1; k < threads; ++k) {
    const u64 begin = n * k / threads, end = n * (k + 1) / threads;
    try {
      started.emplace_back([&work, begin, end, k] { work(begin, end, k); });
    } catch (const std::system_error&) {
      work(begin, end, k);
    }
  }
  work(0, n / threads, 0);
  for (std::thread& thread : started) thread.join();
}

// ---- the minor's entries ----
// Entry (i, j) is h(rows[i] on I, cols[j] on J). A unit's value depends only on the input
// positions below it: a unit that sees only positions of I has the same value in every column,
// one that sees only J's the same in every row. So the product over a unit's taps is split by
// what each tap's child sees: factors from children that see only I are multiplied once per
// row (the row part), those from children that see only J once per column (the column part),
// and only units that see both ("mixed") are evaluated per entry, from their two parts and their
// mixed children. (Multiplication commutes; the top unit is treated as mixed.) Entries are
// evaluated kLanes columns at a time, every value a row of kLanes residues.
template <class F>
class MinorEntries {
 public:
  using T = typename F::T;
  struct Scratch {  // one per thread
    std::vector<T> x, y, part, values, factor;
    std::vector<u64> assignment;
  };

  MinorEntries(const F& f, const Certificate& cert) : f_(f), cert_(cert) {
    sees_.emplace_back(cert.positions, 2);  // the inputs: 1 in I, 2 in J
    for (std::uint32_t i : cert.part_i) sees_[0][i] = 1;
    for (const u64 x : cert.representation) representation_.push_back(f.from(x));
    for (const u64 x : cert.readout) readout_.push_back(f.from(x));
    for (std::size_t l = 0; l < cert.layers.size(); ++l) {
      const Layer& layer = cert.layers[l];
      std::vector<unsigned char> sees(layer.taps.size(), 0);
      for (u64 u = 0; u < layer.taps.size(); ++u) {
        for (const Tap& tap : layer.taps[u]) sees[u] |= sees_[l][tap.input_position];
        if (sees[u] == 0) sees[u] = 1;  // no taps: the same value in every entry
      }
      if (l + 1 == cert.layers.size()) sees[0] = 3;
      width_ = std::max<u64>(width_, layer.taps.size() * layer.channels_out);
      mixed_at_.emplace_back(layer.taps.size(), 0);
      for (u64 u = 0; u < layer.taps.size(); ++u)
        if (sees[u] == 3) mixed_at_[l][u] = mixed_size_, mixed_size_ += layer.channels_out;
      sees_.push_back(std::move(sees));
      weights_.emplace_back();
      for (const u64 x : layer.weights) weights_[l].push_back(f.from(x));
    }
    width_ = std::max<u64>(width_, cert.positions * cert.templates);
  }

  u64 mixed_size() const { return mixed_size_; }
  u64 width() const { return width_; }

  Scratch scratch() const {
    return {std::vector<T>(width_),      std::vector<T>(width_),
            std::vector<T>(mixed_size_), std::vector<T>(mixed_size_ * kLanes),
            std::vector<T>(kLanes),      std::vector<u64>(cert_.positions, 0)};
  }

  // The row part (side 1, the positions of I set in s.assignment) or the column part (side 2)
  // of every mixed unit, into s.part: the forward pass over the units that see only that side,
  // multiplying into each mixed unit the factors of its taps whose child does.
  void part(unsigned char side, Scratch& s) const {
    const u64 M = cert_.templates;
    for (u64 i = 0; i < cert_.positions; ++i)
      std::copy_n(representation_.begin() + s.assignment[i] * M, M, s.x.begin() + i * M);
    for (std::size_t l = 0; l < cert_.layers.size(); ++l) {
      const Layer& layer = cert_.layers[l];
      const u64 cin = layer.channels_in, cout = layer.channels_out;
      for (u64 u = 0; u < layer.taps.size(); ++u) {
        const unsigned char sees = sees_[l + 1][u];
        if (sees != side && sees != 3) continue;
        T* out = sees == side ? &s.y[u * cout] : &s.part[mixed_at_[l][u]];
        std::fill_n(out, cout, f_.one());  // the empty product
        for (const Tap& tap : layer.taps[u]) {
          if (sees_[l][tap.input_position] != side) continue;
          const T* child = &s.x[tap.input_position * cin];
          for (u64 c = 0; c < cout; ++c)  // the factor (W_tap · child)[c], or child[c] in a pool layer
            out[c] = f_.mul(out[c], layer.pool ? child[c] : f_.dot(weight_row(l, tap, c), child, cin));
        }
      }
      std::swap(s.x, s.y);
    }
  }

  // The entries of kLanes columns whose column parts are the rows of kLanes residues
  // column_parts[0, mixed_size) in the row whose row part is s.part, into out[0, kLanes).
  void entries(Scratch& s, const T* column_parts, T* out) const {
    T* const values = s.values.data();  // of the mixed units: rows of kLanes, at mixed_at_
    for (std::size_t l = 0; l < cert_.layers.size(); ++l) {
      const Layer& layer = cert_.layers[l];
      const u64 cin = layer.channels_in, cout = layer.channels_out;
      for (u64 u = 0; u < layer.taps.size(); ++u) {
        if (sees_[l + 1][u] != 3) continue;
        T* const value = values + mixed_at_[l][u] * kLanes;
        for (u64 c = 0; c < cout; ++c) {  // row part times column part
          std::fill_n(value + c * kLanes, kLanes, s.part[mixed_at_[l][u] + c]);
          f_.mul_lanes(value + c * kLanes, column_parts + (mixed_at_[l][u] + c) * kLanes, value + c * kLanes);
        }
        for (const Tap& tap : layer.taps[u]) {
          if (l == 0 || sees_[l][tap.input_position] != 3) continue;  // (inputs are never mixed)
          const T* child = values + mixed_at_[l - 1][tap.input_position] * kLanes;
          for (u64 c = 0; c < cout; ++c) {
            const T* factor = child + c * kLanes;  // a pool layer's; a gc layer's is (W_tap · child)[c]
            if (!layer.pool) {
              f_.dot_lanes(weight_row(l, tap, c), child, cin, s.factor.data());
              factor = s.factor.data();
            }
            f_.mul_lanes(value + c * kLanes, factor, value + c * kLanes);
          }
        }
      }
    }
    f_.dot_lanes(readout_.data(), values + mixed_at_.back()[0] * kLanes, readout_.size(), out);
  }

 private:
  // Row c of the tap's weight matrix W_tap (gc layers).
  const T* weight_row(std::size_t l, const Tap& tap, u64 c) const {
    const Layer& layer = cert_.layers[l];
    return &weights_[l][(tap.matrix * layer.channels_out + c) * layer.channels_in];
  }

  const F& f_;
  const Certificate& cert_;
  std::vector<T> representation_, readout_;
  std::vector<std::vector<T>> weights_;            // per layer, as cert.layers[l].weights
  std::vector<std::vector<unsigned char>> sees_;  // [0] the inputs, [l + 1] layer l's units: 1 I, 2 J, 3 both
  std::vector<std::vector<u64>> mixed_at_;        // per layer, per mixed unit: its values' offset
  u64 mixed_size_ = 0, width_ = 0;                // width: the largest map, units × channels
};

// The r×r minor, row-major, as residues of f. The columns go in groups of kLanes (the last one
// padded with zeros), their column parts kept for a block of groups at a time: no more of them
// than the minor has entries (or 2^22). Columns, then rows, are split among up to `threads`
// threads, as many as have scratch space within the minor's size (or 1 GiB) together.
template <class F>
std::unique_ptr<typename F::T[]> minor_entries(const F& f, const Certificate& cert, unsigned threads) {
  using T = typename F::T;
  const MinorEntries<F> entries(f, cert);
  const u64 r = cert.r, mixed = entries.mixed_size(), groups = (r + kLanes - 1) / kLanes;
  const u64 scratch_bytes =
      (2 * entries.width() + mixed * (kLanes + 1) + kLanes) * sizeof(T) + cert.positions * sizeof(u64);
  const u64 space = std::max<u64>(r * r * sizeof(T), u64(1) << 30);
  threads = unsigned(std::clamp<u64>(space / scratch_bytes, 1, threads));
  std::vector<typename MinorEntries<F>::Scratch> scratch;
  for (unsigned k = 0; k < threads; ++k) scratch.push_back(entries.scratch());
  const u64 block = std::max<u64>(1, std::min(groups, std::max<u64>(r * r, u64(1) << 22) / (mixed * kLanes)));
  std::unique_ptr<T[]> matrix(new T[r * r]);  // every entry is written below: no zeros first
  std::vector<T> column_parts(block * mixed * kLanes);
  for (u64 g0 = 0; g0 < groups; g0 += block) {
    const u64 g1 = std::min(groups, g0 + block), j0 = g0 * kLanes, j1 = std::min(r, g1 * kLanes);
    std::fill(column_parts.begin(), column_parts.end(), T(0));
    in_parallel(j1 - j0, threads, [&](u64 begin, u64 end, unsigned k) {
      typename MinorEntries<F>::Scratch& s = scratch[k];
      for (u64 j = j0 + begin; j < j0 + end; ++j) {
        for (u64 t = 0; t < cert.part_j.size(); ++t) s.assignment[cert.part_j[t]] = cert.cols[j][t];
        entries.part(2, s);
        T* group = &column_parts[(j - j0) / kLanes * mixed * kLanes];
        for (u64 m = 0; m < mixed; ++m) group[m * kLanes + j % kLanes] = s.part[m];
      }
    });
    in_parallel(r, threads, [&](u64 begin, u64 end, unsigned k) {
      typename MinorEntries<F>::Scratch& s = scratch[k];
      T out[kLanes];
      for (u64 i = begin; i < end; ++i) {
        for (u64 t = 0; t < cert.part_i.size(); ++t) s.assignment[cert.part_i[t]] = cert.rows[i][t];
        entries.part(1, s);
        for (u64 g = g0; g < g1; ++g) {
          entries.entries(s, &column_parts[(g - g0) * mixed * kLanes], out);
          std::copy_n(out, std::min(kLanes, r - g * kLanes), &matrix[i * r + g * kLanes]);
        }
      }
    });
  }
  return matrix;
}

// ---- the determinant ----
// Step 3 of determinant below for p < 2^26: rows c1..r−1 subtract the panel's pivot rows c0..c1−1
// (their multipliers in columns [c0, c1)) on columns [c1, r), as SmallField::subtract_block
// blocks. The pivot rows are first copied into a buffer laid out as the blocks read them (kCols
// columns for each row in turn): read in place they lie r entries apart, and 64 of them at once
// would map to the same few cache sets. Rows and columns left over by the blocks take
// subtract_rows(i, c0, c1, j_begin, j_end).
template <class SubtractRows>
void subtract_panel_packed(const SmallField& f, double* m, u64 r, u64 c0, u64 c1, unsigned threads,
                           const SubtractRows& subtract_rows) {
  constexpr u64 kRows = SmallField::kRows, kCols = SmallField::kCols, kTileChunks = 32;
  const u64 panel = c1 - c0, chunks = (r - c1) / kCols, packed_end = c1 + chunks * kCols;
  std::vector<double> packed(chunks * panel * kCols);
  for (u64 chunk = 0; chunk < chunks; ++chunk)
    for (u64 t = 0; t < panel; ++t)
      std::copy_n(&m[(c0 + t) * r + c1 + chunk * kCols], kCols, &packed[(chunk * panel + t) * kCols]);
  const u64 blocks = (r - c1) / kRows;
  in_parallel(blocks, threads, [&](u64 begin, u64 end, unsigned) {
    for (u64 chunk0 = 0; chunk0 < chunks; chunk0 += kTileChunks)  // a tile of packed rows stays in cache
      for (u64 block = begin; block < end; ++block) {
        const u64 i = c1 + block * kRows;
        double* rows[kRows];
        for (u64 b = 0; b < kRows; ++b) rows[b] = &m[(i + b) * r];
        for (u64 chunk = chunk0; chunk < std::min(chunks, chunk0 + kTileChunks); ++chunk)
          for (u64 k = 0; k < panel; k += f.batch)
            f.subtract_block(rows, c1 + chunk * kCols, &m[i * r + c0 + k], r,
                             &packed[(chunk * panel + k) * kCols], std::min(f.batch, panel - k));
      }
    for (u64 block = begin; block < end; ++block)
      for (u64 b = 0; b < kRows; ++b) subtract_rows(c1 + block * kRows + b, c0, c1, packed_end, r);
  });
  for (u64 i = c1 + blocks * kRows; i < r; ++i) subtract_rows(i, c0, c1, c1, r);
}

// Determinant mod p of the r×r matrix m (residues of f; consumed) by Gaussian elimination with
// row pivoting, in panels of 64 columns (a blocked LU): the panel's columns are eliminated one
// by one, the multipliers kept in place of the zeros; then every row subtracts the panel's
// pivot rows from its entries right of the panel all at once, f.batch products per reduction, so
// that the matrix is walked once per panel, not once per column, in tiles of columns that stay in
// cache. Reports the first pivot-free column: the first column in the span of those before it,
// whatever pivots were chosen.
template <class F>
u64 determinant(const F& f, typename F::T* m, u64 r, u64& zero_column, unsigned threads) {
  using T = typename F::T;
  constexpr u64 kPanel = 64, kTile = 512;
  auto at = [&](u64 row, u64 col) -> T& { return m[row * r + col]; };
  // Row i minus Σ_t m[i][t]·(row t) over t in [t_begin, t_end) with m[i][t] ≠ 0, on columns
  // [j_begin, j_end).
  auto subtract_rows = [&](u64 i, u64 t_begin, u64 t_end, u64 j_begin, u64 j_end) {
    T minus_l[kPanel];
    const T* pivot_rows[kPanel];
    u64 count = 0;
    for (u64 t = t_begin; t < t_end; ++t)
      if (at(i, t) != 0) minus_l[count] = f.neg(at(i, t)), pivot_rows[count++] = &at(t, 0);
    for (u64 k = 0; k < count; k += f.batch)
      f.axpy(&at(i, 0), pivot_rows + k, minus_l + k, std::min(f.batch, count - k), j_begin, j_end);
  };
  T det = f.one();
  for (u64 c0 = 0; c0 < r; c0 += kPanel) {
    const u64 c1 = std::min(r, c0 + kPanel);
    // 1. The panel: columns [c0, c1) of rows c0..r-1, left-looking: each entry is updated
    // once, by the dot product of its row's multipliers and the pivot rows' entries above it.
    for (u64 col = c0; col < c1; ++col) {
      T column[kPanel];  // the pivot rows' entries in column col, final (U's)
      for (u64 row = c0; row < r; ++row) {  // top down: a pivot row's entry is final before it is used
        const u64 t_end = std::min(row, col);
        if (t_end > c0) at(row, col) = f.add(at(row, col), f.neg(f.dot(&at(row, c0), column, t_end - c0)));
        if (row < col) column[row - c0] = at(row, col);
      }
      u64 pivot = col;
      while (pivot < r && at(pivot, col) == 0) ++pivot;
      if (pivot == r) {
        zero_column = col;
        return 0;
      }
      if (pivot != col) {
        std::swap_ranges(&at(pivot, 0), &at(pivot, 0) + r, &at(col, 0));  // whole rows, multipliers too
        det = f.neg(det);
      }
      det = f.mul(det, at(col, col));
      const T inverse = power(f, at(col, col), u64(f.p) - 2);  // Fermat: a^(p−2)
      for (u64 row = col + 1; row < r; ++row) at(row, col) = f.mul(at(row, col), inverse);
    }
    // 2. The panel's own rows right of it, top down: each subtracts the rows above it, final by then.
    for (u64 row = c0 + 1; row < c1; ++row) subtract_rows(row, c0, row, c1, r);
    // 3. The rows below, split among threads.
    if constexpr (std::is_same_v<F, SmallField>) {
      subtract_panel_packed(f, m, r, c0, c1, threads, subtract_rows);
    } else {
      in_parallel(r - c1, threads, [&](u64 begin, u64 end, unsigned) {
        for (u64 j0 = c1; j0 < r; j0 += kTile)
          for (u64 i = c1 + begin; i < c1 + end; ++i) subtract_rows(i, c0, c1, j0, std::min(r, j0 + kTile));
      });
    }
  }
  return f.to(det);
}

// The determinant of the certificate's minor mod p, and its first pivot-free column if it is 0.
template <class F>
u64 minor_determinant(const F& f, const Certificate& cert, u64& zero_column) {
  // Threads pay off on large minors only.
  const unsigned threads = cert.r < 128 ? 1 : std::clamp(std::thread::hardware_concurrency(), 1u, 64u);
  const std::unique_ptr<typename F::T[]> matrix = minor_entries(f, cert, threads);
  return determinant(f, matrix.get(), cert.r, zero_column, threads);
}

// ---- reading a document ----
// The JSON document in text, as strictly as the spec asks (docs/certificate-format.md "What a
// checker must verify", item 1); throws a malformed Verdict otherwise.
json parse_document(const std::string& text) {
  // nlohmann skips a byte order mark, Python's json refuses it: the spec forbids it.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) malformed("a byte order mark precedes the JSON text");
  // nlohmann takes a NUL for the end of the input and would ignore what follows it; JSON text
  // has no raw NUL anywhere (in a string it must be escaped), so any NUL is malformed.
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    malformed("a NUL byte at offset " + std::to_string(nul) + " (JSON text has none)");
  json doc;
  try {
    doc = json::parse(text);  // nlohmann's parser is iterative: deep nesting cannot overflow the stack
  } catch (const json::exception& e) {  // syntax (101; bytes after the document, lone surrogates
    std::string why = e.what();         // too) and numbers beyond a double (406); the message
    if (why.size() > 200) why = why.substr(0, 180) + "...";  // quotes the token: maybe huge
    malformed("invalid JSON: " + why);
  }
  DuplicateKeys duplicate_keys;
  json::sax_parse(text, &duplicate_keys);
  return doc;
}

// Throws a Verdict when the certificate is malformed.
Verdict check_certificate(const json& doc) {
  const Certificate cert = read_certificate(doc);

  const u64 r = cert.r, p = cert.p;
  u64 zero_column = 0;
  const u64 det = p < (u64(1) << 26) ? minor_determinant(SmallField(p), cert, zero_column)
                                     : minor_determinant(MontField(p), cert, zero_column);
  const std::string minor = "the selected " + std::to_string(r) + "x" + std::to_string(r) + " minor";
  if (det == 0)
    return {1, "refuted: " + minor + " has determinant 0 mod " + std::to_string(p) + " (no pivot in column " +
                   std::to_string(zero_column) + " after elimination)"};
  if (cert.determinant && *cert.determinant != det)
    return {1, "refuted: evidence.determinant records " + std::to_string(*cert.determinant) + ", but " +
                   minor + " has determinant " + std::to_string(det) + " mod " + std::to_string(p)};
  return {0, "rank >= " + std::to_string(r) + " over GF(" + std::to_string(p) + ")"};
}

// ---- structured certificates (docs/structured-certificate.md) ----
// This checker's own limits (exit 4 beyond them); the first also bounds a group's `matrix` in
// the format (beyond it: malformed).
constexpr u64 kMaxTableEntries = u64(1) << 20, kMaxTotalEntries = u64(1) << 24, kMaxGroupRank = 4096;

[[noreturn]] void too_large(const std::string& what) { throw Verdict{4, "too large for this checker: " + what}; }

using Positions = std::vector<std::uint32_t>;
struct Block {
  Positions positions;     // increasing
  std::vector<u64> table;  // M^|positions| values, C order (first position most significant)
};
using BlockPtr = std::shared_ptr<const Block>;

// A factored value: the zero function, or kappa · Π_B table_B(d|B) over disjoint blocks ordered
// by their first position, in normal form (no zero table, each table's first nonzero entry 1,
// no table of ones). Blocks are shared between values: most pass unchanged up the layers.
struct Factored {
  bool zero = true;
  u64 kappa = 0;
  std::vector<BlockPtr> blocks;
};

bool same_table(const BlockPtr& a, const BlockPtr& b) {
  if (!a || !b) return !a && !b;  // null: the table of ones
  return a == b || (a->positions == b->positions && a->table == b->table);
}

// The rules of the spec ("Factored values"), over GF(p) with M templates and n positions.
class Symbolic {
 public:
  Symbolic(u64 p, u64 M, u64 n) : p_(p), M_(M), n_(n) {}

  // M^count, refused beyond the table limit.
  u64 entries(std::size_t count) const {
    u64 e = 1;
    for (std::size_t i = 0; i < count; ++i)
      if ((e *= M_) > kMaxTableEntries)
        too_large("a table over " + std::to_string(count) + " positions (" + std::to_string(M_) + "^" +
                  std::to_string(count) + " entries, above " + std::to_string(kMaxTableEntries) + ")");
    return e;
  }

  // For each assignment of D (C order), the index of its restriction to B ⊆ D.
  std::vector<u64> spread(const Positions& B, const Positions& D) const {
    std::vector<u64> index{0};
    index.reserve(entries(D.size()));
    for (std::uint32_t pos : D) {
      u64 stride = 0;
      if (auto it = std::lower_bound(B.begin(), B.end(), pos); it != B.end() && *it == pos) {
        stride = 1;
        for (auto rest = it + 1; rest != B.end(); ++rest) stride *= M_;
      }
      std::vector<u64> next;
      next.reserve(index.size() * M_);
      for (u64 i : index)
        for (u64 t = 0; t < M_; ++t) next.push_back(i + t * stride);
      index.swap(next);
    }
    return index;
  }

  // The entrywise product of the members' tables extended to D (ones for no member).
  std::vector<u64> product_on(const Positions& D, const std::vector<const Block*>& members) const {
    std::vector<u64> out(entries(D.size()), 1 % p_);
    for (const Block* b : members) {
      const std::vector<u64> at = spread(b->positions, D);
      for (std::size_t j = 0; j < out.size(); ++j) out[j] = mul_mod(out[j], b->table[at[j]], p_);
    }
    return out;
  }

  // Divides a nonzero table by its first nonzero entry, which it returns (0: the table is zero).
  u64 scale_down(std::vector<u64>& table) const {
    const auto first = std::find_if(table.begin(), table.end(), [](u64 x) { return x != 0; });
    if (first == table.end()) return 0;
    const u64 lead = *first;
    if (lead != 1) {
      const u64 inverse = pow_mod(lead, p_ - 2, p_);
      for (u64& x : table) x = mul_mod(x, inverse, p_);
    }
    return lead;
  }

  static bool all_ones(const std::vector<u64>& table) {
    return std::all_of(table.begin(), table.end(), [](u64 x) { return x == 1; });
  }

  // The normal form of kappa · Π blocks (the blocks disjoint); fresh tables are given in `made`.
  Factored normal(u64 kappa, std::vector<BlockPtr> kept, std::vector<Block> made) const {
    Factored f;
    for (Block& b : made) {
      const u64 lead = scale_down(b.table);
      if (lead == 0) return f;  // zero
      kappa = mul_mod(kappa, lead, p_);
      if (!all_ones(b.table)) kept.push_back(std::make_shared<const Block>(std::move(b)));
    }
    if (kappa == 0) return f;
    std::sort(kept.begin(), kept.end(), [](const BlockPtr& a, const BlockPtr& b) {
      return a->positions.front() < b->positions.front();
    });
    f.zero = false, f.kappa = kappa, f.blocks = std::move(kept);
    return f;
  }

  struct Component {
    Positions positions;  // the union of the members, increasing
    std::vector<std::pair<std::size_t, BlockPtr>> members;  // (which list, block)
  };

  // The connected components of the blocks of the lists (two joined when they intersect),
  // ordered by their first position.
  std::vector<Component> components(const std::vector<const std::vector<BlockPtr>*>& lists) const {
    std::vector<std::pair<std::size_t, BlockPtr>> items;
    for (std::size_t l = 0; l < lists.size(); ++l)
      for (const BlockPtr& b : *lists[l]) items.emplace_back(l, b);
    std::vector<std::size_t> parent(items.size());
    for (std::size_t k = 0; k < items.size(); ++k) parent[k] = k;
    auto root = [&](std::size_t k) {
      while (parent[k] != k) k = parent[k] = parent[parent[k]];
      return k;
    };
    std::vector<std::int64_t> owner(n_, -1);
    for (std::size_t k = 0; k < items.size(); ++k)
      for (std::uint32_t pos : items[k].second->positions) {
        if (owner[pos] < 0)
          owner[pos] = std::int64_t(k);
        else
          parent[root(k)] = root(std::size_t(owner[pos]));
      }
    std::vector<std::int64_t> slot(items.size(), -1);
    std::vector<Component> out;
    for (std::size_t k = 0; k < items.size(); ++k) {
      const std::size_t r = root(k);
      if (slot[r] < 0) slot[r] = std::int64_t(out.size()), out.emplace_back();
      Component& c = out[std::size_t(slot[r])];
      c.positions.insert(c.positions.end(), items[k].second->positions.begin(), items[k].second->positions.end());
      c.members.push_back(items[k]);
    }
    for (Component& c : out) {  // blocks of different lists may share positions
      std::sort(c.positions.begin(), c.positions.end());
      c.positions.erase(std::unique(c.positions.begin(), c.positions.end()), c.positions.end());
    }
    std::sort(out.begin(), out.end(), [](const Component& a, const Component& b) {
      return a.positions.front() < b.positions.front();
    });
    return out;
  }

  Factored product(const std::vector<const Factored*>& values) const {
    u64 kappa = 1 % p_;
    std::vector<const std::vector<BlockPtr>*> lists;
    for (const Factored* v : values) {
      if (v->zero) return {};
      kappa = mul_mod(kappa, v->kappa, p_);
      lists.push_back(&v->blocks);
    }
    std::vector<BlockPtr> kept;
    std::vector<Block> made;
    for (Component& c : components(lists)) {
      if (c.members.size() == 1) {
        kept.push_back(c.members.front().second);  // already in normal form
        continue;
      }
      std::vector<const Block*> members;
      for (const auto& m : c.members) members.push_back(m.second.get());
      std::vector<u64> table = product_on(c.positions, members);
      made.push_back({std::move(c.positions), std::move(table)});
    }
    return normal(kappa, std::move(kept), std::move(made));
  }

  // Σ_i w_i g_i (the spec's "Linear combination", steps 1-5).
  Factored combination(const std::vector<std::pair<u64, const Factored*>>& all_terms) const {
    std::vector<std::pair<u64, const Factored*>> terms;
    for (const auto& t : all_terms)
      if (t.first % p_ != 0 && !t.second->zero) terms.push_back(t);
    if (terms.empty()) return {};
    std::vector<const std::vector<BlockPtr>*> lists;
    for (const auto& t : terms) lists.push_back(&t.second->blocks);
    const std::vector<Component> parts = components(lists);
    // Per term: kappa_i and its normalized table on each part (null: the table of ones).
    std::vector<u64> kappa(terms.size());
    std::vector<std::vector<BlockPtr>> on(terms.size(), std::vector<BlockPtr>(parts.size()));
    for (std::size_t i = 0; i < terms.size(); ++i) {
      kappa[i] = terms[i].second->kappa;
      for (std::size_t j = 0; j < parts.size(); ++j) {
        std::vector<const Block*> mine;
        BlockPtr only;
        for (const auto& m : parts[j].members)
          if (m.first == i) mine.push_back(m.second.get()), only = m.second;
        if (mine.empty()) continue;
        if (mine.size() == 1 && only->positions == parts[j].positions) {
          on[i][j] = only;  // already normalized
          continue;
        }
        Block b{parts[j].positions, product_on(parts[j].positions, mine)};
        const u64 lead = scale_down(b.table);
        if (lead == 0) malformed("internal error: a product of disjoint nonzero tables is zero");
        kappa[i] = mul_mod(kappa[i], lead, p_);
        if (!all_ones(b.table)) on[i][j] = std::make_shared<const Block>(std::move(b));
      }
    }
    std::vector<BlockPtr> kept;
    std::vector<std::size_t> split;  // the parts where the terms disagree
    for (std::size_t j = 0; j < parts.size(); ++j) {
      bool agree = true;
      for (std::size_t i = 1; i < terms.size() && agree; ++i) agree = same_table(on[i][j], on[0][j]);
      if (!agree)
        split.push_back(j);
      else if (on[0][j])
        kept.push_back(on[0][j]);
    }
    if (split.empty()) {
      u64 sum = 0;
      for (std::size_t i = 0; i < terms.size(); ++i) sum = (sum + mul_mod(terms[i].first % p_, kappa[i], p_)) % p_;
      return normal(sum, std::move(kept), {});
    }
    Positions D;
    for (std::size_t j : split) D.insert(D.end(), parts[j].positions.begin(), parts[j].positions.end());
    std::sort(D.begin(), D.end());
    std::vector<u64> total(entries(D.size()), 0);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      std::vector<const Block*> pieces;
      for (std::size_t j : split)
        if (on[i][j]) pieces.push_back(on[i][j].get());
      const std::vector<u64> piece = product_on(D, pieces);
      const u64 c = mul_mod(terms[i].first % p_, kappa[i], p_);
      for (std::size_t k = 0; k < total.size(); ++k) total[k] = (total[k] + mul_mod(c, piece[k], p_)) % p_;
    }
    std::vector<Block> made;
    made.push_back({std::move(D), std::move(total)});
    return normal(1 % p_, std::move(kept), std::move(made));
  }

 private:
  u64 p_, M_, n_;
};

u64 entries_held(const std::vector<std::vector<Factored>>& values) {
  u64 sum = 0;
  for (const auto& channels : values)
    for (const Factored& v : channels)
      for (const BlockPtr& b : v.blocks) sum += b->table.size();
  return sum;
}

// h as a factored value (the spec's "Symbolic evaluation").
Factored symbolic_output(const Certificate& cert, const VaryingSet& vary, const Symbolic& s) {
  const u64 M = cert.templates, p = cert.p;
  std::vector<std::vector<Factored>> x(cert.positions, std::vector<Factored>(M));
  for (u64 i = 0; i < cert.positions; ++i)
    for (u64 m = 0; m < M; ++m) {
      if (vary.varies[i]) {
        Block b{{std::uint32_t(i)}, {}};
        for (u64 d = 0; d < M; ++d) b.table.push_back(cert.representation[d * M + m]);
        std::vector<Block> made;
        made.push_back(std::move(b));
        x[i][m] = s.normal(1 % p, {}, std::move(made));
      } else if (const u64 v = cert.representation[vary.fixed[i] * M + m]; v != 0) {
        x[i][m] = Factored{false, v, {}};
      }
    }
  for (const Layer& layer : cert.layers) {
    const u64 cin = layer.channels_in, cout = layer.channels_out;
    std::vector<std::vector<Factored>> y(layer.taps.size(), std::vector<Factored>(cout));
    for (std::size_t u = 0; u < layer.taps.size(); ++u)
      for (u64 c = 0; c < cout; ++c) {
        std::vector<Factored> combined;  // gc: one linear combination per offset
        std::vector<const Factored*> factors;
        combined.reserve(layer.taps[u].size());
        for (const Tap& tap : layer.taps[u]) {
          const std::vector<Factored>& in = x[tap.input_position];
          if (layer.pool) {
            factors.push_back(&in[c]);
            continue;
          }
          std::vector<std::pair<u64, const Factored*>> terms;
          const u64* row = layer.weights.data() + (tap.matrix * cout + c) * cin;
          for (u64 k = 0; k < cin; ++k) terms.emplace_back(row[k], &in[k]);
          combined.push_back(s.combination(terms));
          factors.push_back(&combined.back());
        }
        y[u][c] = factors.empty() ? Factored{false, 1 % p, {}} : s.product(factors);
      }
    if (entries_held(x) + entries_held(y) > kMaxTotalEntries)
      too_large("the tables of two adjacent layers hold more than " + std::to_string(kMaxTotalEntries) + " entries");
    x = std::move(y);
  }
  std::vector<std::pair<u64, const Factored*>> terms;
  for (u64 c = 0; c < cert.readout.size(); ++c) terms.emplace_back(cert.readout[c], &x[0][c]);
  return s.combination(terms);
}

// The determinant mod p of a small square matrix (row-major), by elimination.
u64 small_determinant(std::vector<u64> a, u64 r, u64 p) {
  u64 det = 1 % p;
  for (u64 c = 0; c < r; ++c) {
    u64 pivot = c;
    while (pivot < r && a[pivot * r + c] == 0) ++pivot;
    if (pivot == r) return 0;
    if (pivot != c) {
      for (u64 k = 0; k < r; ++k) std::swap(a[pivot * r + k], a[c * r + k]);
      det = (p - det) % p;
    }
    det = mul_mod(det, a[c * r + c], p);
    const u64 inverse = pow_mod(a[c * r + c], p - 2, p);
    for (u64 i = c + 1; i < r; ++i) {
      const u64 f = mul_mod(a[i * r + c], inverse, p);
      if (f == 0) continue;
      for (u64 k = c; k < r; ++k) a[i * r + k] = (a[i * r + k] + p - mul_mod(f, a[c * r + k], p)) % p;
    }
  }
  return det;
}

struct Group {
  std::string path;
  Positions positions, in_i, in_j;
  u64 rows_total = 0, cols_total = 0;
  std::vector<u64> matrix;  // rows_total × cols_total
  std::vector<u64> rows, cols;
};

// For each assignment of `side` (C order), its index's contribution in G's strides.
std::vector<u64> offsets_in(const Positions& side, const Positions& G, u64 M) {
  std::vector<u64> index{0};
  for (std::uint32_t pos : side) {
    u64 stride = 1;
    for (auto it = std::upper_bound(G.begin(), G.end(), pos); it != G.end(); ++it) stride *= M;
    std::vector<u64> next;
    for (u64 i : index)
      for (u64 t = 0; t < M; ++t) next.push_back(i + t * stride);
    index.swap(next);
  }
  return index;
}

Verdict check_structured(const json& doc) {
  Certificate cert;
  const json& partition = read_certificate_head(doc, cert, true);
  const VaryingSet vary = check_vary(field(partition, "partition", "vary"), cert);
  const u64 n = cert.positions, M = cert.templates, p = cert.p;
  std::vector<bool> in_i(n, false), taken(n, false);
  for (std::uint32_t i : cert.part_i) in_i[i] = true;

  const json& factors = as_array(field(doc, "", "factors"), "factors");
  if (factors.empty()) malformed("factors: no group");
  if (factors.size() > n) malformed("factors: more groups than positions");
  std::vector<Group> groups;
  u128 product = 1;
  for (u64 g = 0; g < factors.size(); ++g) {
    Group group;
    group.path = "factors" + idx(g);
    const std::string& fp = group.path;
    const json& factor = as_object(factors[g], fp);
    const json& positions = as_array(field(factor, fp, "positions"), fp + ".positions");
    if (positions.empty() || positions.size() > n) malformed(fp + ".positions: expected 1 to H*W positions");
    for (u64 t = 0; t < positions.size(); ++t) {
      const std::string pp = fp + ".positions" + idx(t);
      const u64 pos = as_uint(positions[t], pp, 0, n - 1, "[0, H*W)");
      if (t > 0 && pos <= group.positions.back()) malformed(pp + ": not strictly increasing");
      if (!vary.varies[pos]) malformed(pp + ": position " + std::to_string(pos) + " does not vary (partition.vary)");
      if (taken[pos]) malformed(pp + ": position " + std::to_string(pos) + " is in an earlier group");
      taken[pos] = true;
      group.positions.push_back(std::uint32_t(pos));
      (in_i[pos] ? group.in_i : group.in_j).push_back(std::uint32_t(pos));
    }
    u64 total = 1;
    for (std::size_t t = 0; t < group.positions.size(); ++t)
      if ((total *= M) > kMaxTableEntries)
        malformed(fp + ".matrix: " + std::to_string(M) + "^" + std::to_string(group.positions.size()) +
                  " entries, above the format's " + std::to_string(kMaxTableEntries));
    group.rows_total = 1, group.cols_total = 1;
    for (std::size_t t = 0; t < group.in_i.size(); ++t) group.rows_total *= M;
    for (std::size_t t = 0; t < group.in_j.size(); ++t) group.cols_total *= M;
    const json& mat = as_array(field(factor, fp, "matrix"), fp + ".matrix", group.rows_total);
    for (u64 i = 0; i < group.rows_total; ++i)
      read_vector(mat[i], group.cols_total, p, "p", fp + ".matrix" + idx(i), group.matrix);
    auto read_indices = [&](const char* key, u64 bound, std::optional<u64> length, std::vector<u64>& out) {
      const std::string kp = join(fp, key);
      const json& list = as_array(field(factor, fp, key), kp, length);
      if (list.size() > std::min(group.rows_total, group.cols_total))
        malformed(kp + ": more indices than the matrix has rows or columns");
      for (u64 t = 0; t < list.size(); ++t) {
        const u64 v = as_uint(list[t], kp + idx(t), 0, bound - 1, "[0, " + std::to_string(bound) + ")");
        if (t > 0 && v <= out.back()) malformed(kp + ": not strictly increasing");
        out.push_back(v);
      }
    };
    read_indices("rows", group.rows_total, std::nullopt, group.rows);
    read_indices("cols", group.cols_total, group.rows.size(), group.cols);
    if (group.rows.empty()) malformed(fp + ".rows: an empty minor");
    if (group.rows.size() > kMaxGroupRank)
      too_large(fp + ": a " + std::to_string(group.rows.size()) + "x" + std::to_string(group.rows.size()) +
                " minor, above " + std::to_string(kMaxGroupRank));
    product *= group.rows.size();
    if (product > (u128(1) << 63) - 1) malformed("factors: the groups' minors multiply to 2^63 or more");
    groups.push_back(std::move(group));
  }
  if (product != cert.r)
    malformed("claim.rank_at_least: is " + std::to_string(cert.r) + ", but the groups' minors multiply to " +
              std::to_string(u64(product)));

  const Symbolic s(p, M, n);
  const Factored h = symbolic_output(cert, vary, s);
  if (h.zero) return {1, "refuted: the network is zero on the submatrix (symbolic evaluation)"};
  for (const Group& group : groups) {
    const std::string& fp = group.path;
    std::vector<const Block*> members;
    for (const BlockPtr& b : h.blocks) {
      std::size_t inside = 0;
      for (std::uint32_t pos : b->positions) inside += std::binary_search(group.positions.begin(), group.positions.end(), pos);
      if (inside != 0 && inside != b->positions.size())
        return {1, "refuted: " + fp + ": the network's factor over positions " + list_text(b->positions) +
                       " crosses the group's border"};
      if (inside != 0) members.push_back(b.get());
    }
    const std::vector<u64> table = s.product_on(group.positions, members);
    const std::vector<u64> row_at = offsets_in(group.in_i, group.positions, M);
    const std::vector<u64> col_at = offsets_in(group.in_j, group.positions, M);
    const u64 cols = group.cols_total;
    std::optional<std::pair<u64, u64>> first;
    for (u64 i = 0; i < group.rows_total && !first; ++i)
      for (u64 j = 0; j < cols && !first; ++j)
        if (table[row_at[i] + col_at[j]] != 0) first = {i, j};
    if (!first) malformed("internal error: the network's factor on " + fp + " is zero");
    const auto [fi, fj] = *first;
    const u64 lambda = mul_mod(group.matrix[fi * cols + fj], pow_mod(table[row_at[fi] + col_at[fj]], p - 2, p), p);
    if (lambda == 0)
      return {1, "refuted: " + fp + ".matrix" + idx(fi) + idx(fj) + " is 0 where the network's factor is not"};
    for (u64 i = 0; i < group.rows_total; ++i)
      for (u64 j = 0; j < cols; ++j)
        if (group.matrix[i * cols + j] != mul_mod(lambda, table[row_at[i] + col_at[j]], p))
          return {1, "refuted: " + fp + ".matrix" + idx(i) + idx(j) + " is not " + std::to_string(lambda) +
                         " times the network's factor (the multiple taken at " + idx(fi) + idx(fj) + ")"};
    const u64 r = group.rows.size();
    std::vector<u64> minor;
    for (u64 i : group.rows)
      for (u64 j : group.cols) minor.push_back(group.matrix[i * cols + j]);
    if (small_determinant(std::move(minor), r, p) == 0)
      return {1, "refuted: " + fp + ": the " + std::to_string(r) + "x" + std::to_string(r) +
                     " minor has determinant 0 mod " + std::to_string(p)};
  }
  return {0, "rank >= " + std::to_string(cert.r) + " over GF(" + std::to_string(p) + ") (structured: " +
                 std::to_string(groups.size()) + " groups)"};
}

// ---- cut witnesses (docs/cut-witness.md) ----
// A decimal integer as the documents write it: ASCII digits without leading zero (zero is "0"),
// after a '-' only where negative numbers are allowed; never "-0".
bool is_decimal(const std::string& s, bool negative_allowed) {
  const std::size_t sign = negative_allowed && !s.empty() && s[0] == '-' ? 1 : 0;
  const std::string digits = s.substr(sign);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return false;
  return (digits.size() == 1 || digits[0] != '0') && !(sign && digits == "0");
}

// Compares two integers written as is_decimal() accepts them: negative, zero or positive.
int compare_decimal(const std::string& a, const std::string& b) {
  const bool a_negative = a[0] == '-', b_negative = b[0] == '-';
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  const std::string_view x = std::string_view(a).substr(a_negative), y = std::string_view(b).substr(b_negative);
  const int magnitude = x.size() != y.size() ? (x.size() < y.size() ? -1 : 1) : x.compare(y) < 0 ? -1 : x.compare(y) > 0;
  return a_negative ? -magnitude : magnitude;
}

// A long number in a message: its first digits and its length.
std::string short_number(const std::string& s) {
  return s.size() <= 40 ? s : s.substr(0, 20) + "... (" + std::to_string(s.size()) + " digits)";
}

// An exact product of factors below 2^32, in base-10^9 limbs, least significant first.
struct Product {
  std::vector<u64> limbs{1};
  void times(u64 factor) {  // limb·factor + carry < 10^9·2^32 + 2^32 < 2^64
    u64 carry = 0;
    for (u64& limb : limbs) {
      const u64 x = limb * factor + carry;
      limb = x % 1000000000, carry = x / 1000000000;
    }
    for (; carry != 0; carry /= 1000000000) limbs.push_back(carry % 1000000000);
  }
  std::string decimal() const {
    std::string s = std::to_string(limbs.back());
    for (std::size_t i = limbs.size() - 1; i-- > 0;) {
      const std::string part = std::to_string(limbs[i]);
      s += std::string(9 - part.size(), '0') + part;
    }
    return s;
  }
};

// Whether the readings of layer index l (0 = layer 1) have a copy tensor of their own: the top
// layer's, and those read by a gc layer; a pool layer's children belong to its vertex.
bool own_vertex(const Matricization& m, std::size_t l) { return l + 1 == m.layers.size() || !m.layers[l + 1].pool; }

// The unrolled network's size: its vertices plus edges, and its readings, counted from the
// number of readings of each unit before anything is built; saturating at 2^62 (a deep
// stride-1 stack overflows any integer type).
struct NetworkSize {
  u64 vertices_and_edges, readings;
};

NetworkSize network_size(const Matricization& m) {
  constexpr u64 cap = u64(1) << 62;
  auto add = [](u64 a, u128 b) { return u64(std::min<u128>(cap, a + b)); };
  std::vector<u64> readings(m.layers.back().taps.size(), 0);  // of the current layer's units
  readings[0] = 1;                                            // the top unit, path []
  u64 size = m.positions, total_readings = 0;                 // the input vertices
  for (std::size_t l = m.layers.size(); l-- > 0;) {
    const Layer& layer = m.layers[l];
    std::vector<u64> below(l > 0 ? m.layers[l - 1].taps.size() : 0, 0);
    for (u64 u = 0; u < layer.taps.size(); ++u) {
      const u64 n = readings[u];
      if (n == 0) continue;
      total_readings = add(total_readings, n);
      if (own_vertex(m, l)) size = add(size, n);
      if (l == 0 || !layer.pool) size = add(size, u128(n) * layer.taps[u].size());  // one edge per tap
      if (l > 0)
        for (const Tap& tap : layer.taps[u]) below[tap.input_position] = add(below[tap.input_position], n);
    }
    readings = std::move(below);
  }
  return {size, total_readings};
}

// The unrolled network of readings (docs/cut-witness.md "The tensor network a checker builds").
// Vertices 0..H·W−1 are the inputs, the others copy tensors; reading 0 is the top unit's.
struct Reading {
  std::uint32_t layer, unit;  // layer index (0 = layer 1), unit in its output map
  std::uint32_t vertex;       // vertex(P): its own copy tensor, or its pool reader's
  std::uint32_t children = 0;  // layers >= 2: its first child reading's index in Network::child
  std::uint32_t edges = 0;     // layer 1 and gc layers: the id of its first edge; one per tap
};

struct Network {
  std::vector<Reading> readings;
  std::vector<std::uint32_t> child;  // per reading of a layer >= 2, one reading per tap
  std::vector<u64> vertex_cost;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_ends;
  std::vector<u64> edge_cost;
};

Network build_network(const Matricization& m) {
  Network net;
  net.vertex_cost.assign(m.positions, m.templates);
  auto new_vertex = [&](u64 cost) {
    net.vertex_cost.push_back(cost);
    return std::uint32_t(net.vertex_cost.size() - 1);
  };
  auto new_edge = [&](std::uint32_t a, std::uint32_t b, u64 cost) {
    net.edge_ends.emplace_back(a, b);
    net.edge_cost.push_back(cost);
  };
  const std::uint32_t top = std::uint32_t(m.layers.size() - 1);
  net.readings.push_back({top, 0, new_vertex(m.layers[top].channels_out)});
  for (std::size_t i = 0; i < net.readings.size(); ++i) {  // breadth first: parents before children
    const Reading reading = net.readings[i];                 // a copy: push_back reallocates
    const Layer& layer = m.layers[reading.layer];
    net.readings[i].children = std::uint32_t(net.child.size());
    net.readings[i].edges = std::uint32_t(net.edge_ends.size());
    for (const Tap& tap : layer.taps[reading.unit]) {
      if (reading.layer == 0) {  // matrix F·W (F for a pool layer 1) from the input position
        new_edge(tap.input_position, reading.vertex, std::min(m.templates, layer.channels_out));
        continue;
      }
      const std::uint32_t below = reading.layer - 1;
      const std::uint32_t vertex = layer.pool ? reading.vertex : new_vertex(layer.channels_in);
      net.child.push_back(std::uint32_t(net.readings.size()));
      net.readings.push_back({below, tap.input_position, vertex});
      if (!layer.pool) new_edge(vertex, reading.vertex, std::min(layer.channels_in, layer.channels_out));
    }
  }
  return net;
}

// Which tap of a unit has window offset k, if any (taps are in increasing k).
std::optional<std::size_t> tap_with_offset(const std::vector<Tap>& taps, u64 k) {
  auto it = std::lower_bound(taps.begin(), taps.end(), u128(k), [](const Tap& t, u128 v) { return t.offset < v; });
  if (it == taps.end() || it->offset != k) return std::nullopt;
  return std::size_t(it - taps.begin());
}

std::string layer_unit(const Reading& r) {
  return "layer " + std::to_string(r.layer + 1) + " unit " + std::to_string(r.unit);
}

// The reading named by the first `length` offsets of path (from the top), or malformed.
const Reading& reading_at(const Matricization& m, const Network& net, const std::vector<u64>& path,
                          std::size_t length, const std::string& where) {
  const Reading* r = &net.readings[0];
  for (std::size_t t = 0; t < length; ++t) {
    const std::string prefix = list_text(std::vector<u64>(path.begin(), path.begin() + std::ptrdiff_t(t + 1)));
    if (r->layer == 0)
      malformed(where + ": the path " + prefix + " names no reading: the offsets of " + layer_unit(*r) +
                " read input positions");
    const auto tap = tap_with_offset(m.layers[r->layer].taps[r->unit], path[t]);
    if (!tap)
      malformed(where + ": the path " + prefix + " names no reading: " + std::to_string(path[t]) +
                " is not a window offset of " + layer_unit(*r) + " inside the map");
    r = &net.readings[net.child[r->children + *tap]];
  }
  return *r;
}

// Throws a Verdict when the witness is malformed.
Verdict check_witness(const json& doc) {
  as_object(doc, "cut witness");
  string_field(doc, "", "format", {"seprank-cut-witness"});
  uint_field(doc, "", "format_version", 1, 1, "{1}");
  string_field(doc, "", "seprank_version");
  const json& claim = as_object(field(doc, "", "claim"), "claim");
  string_field(claim, "claim", "statement");
  const std::string bound = string_field(claim, "claim", "rank_at_most");
  if (!is_decimal(bound, false) || bound == "0")
    malformed("claim.rank_at_most: " + quoted_text(bound) +
              " is not a positive decimal integer (digits only, no sign, no leading zero)");

  Matricization m;
  read_network(field(doc, "", "architecture"), m, nullptr, "architecture");
  const NetworkSize size = network_size(m);
  auto count = [](u64 n) { return n >= (u64(1) << 62) ? std::string("more than 2^62") : std::to_string(n); };
  if (size.vertices_and_edges > kMaxNetworkSize)
    malformed("architecture: its unrolled network has " + count(size.vertices_and_edges) +
              " vertices and edges, more than the limit of 1000000");
  if (size.readings > kMaxReadings)
    malformed("architecture: its unrolled network has " + count(size.readings) +
              " readings, more than the limit of 2000000");
  read_partition(field(doc, "", "partition"), "partition", m);
  const Network net = build_network(m);

  // The cut items: each names one vertex or edge, and none twice.
  const json& cut = as_array(field(doc, "", "cut"), "cut");
  if (cut.size() > kMaxCutItems)
    malformed("cut: " + std::to_string(cut.size()) + " items, more than the limit of 1000000");
  std::vector<bool> vertex_cut(net.vertex_cost.size(), false), edge_cut(net.edge_cost.size(), false);
  std::vector<u64> costs;
  for (u64 i = 0; i < cut.size(); ++i) {
    const std::string ip = "cut" + idx(i);
    const json& item = as_object(cut[i], ip);
    if (item.size() != 1)
      malformed(ip + ": expected exactly one key (\"input\", \"unit\" or \"matrix\"), got " +
                std::to_string(item.size()));
    const std::string key = item.begin().key(), kp = ip + "." + key;
    const json& value = item.begin().value();
    std::vector<u64> path;
    if (key == "unit" || key == "matrix") {
      as_array(value, kp);
      for (u64 t = 0; t < value.size(); ++t) path.push_back(as_uint(value[t], kp + idx(t), 0, ~u64(0), "[0, 2^64)"));
    }
    std::vector<bool>* cut_set = &vertex_cut;
    u64 element = 0;
    if (key == "input") {
      element = as_uint(value, kp, 0, m.positions - 1, "[0, H*W)");
    } else if (key == "unit") {
      const Reading& r = reading_at(m, net, path, path.size(), kp);
      if (!own_vertex(m, r.layer))
        malformed(kp + ": the reading " + list_text(path) + " of " + layer_unit(r) +
                  " has no vertex of its own: the pool layer " + std::to_string(r.layer + 2) +
                  " reads it, and it belongs to its reader's vertex");
      element = r.vertex;
    } else if (key == "matrix") {
      if (path.empty()) malformed(kp + ": the empty path names no matrix (its last offset is the reading offset)");
      const Reading& reader = reading_at(m, net, path, path.size() - 1, kp);
      const auto tap = tap_with_offset(m.layers[reader.layer].taps[reader.unit], path.back());
      if (!tap)
        malformed(kp + ": the path " + list_text(path) + " names no matrix: " + std::to_string(path.back()) +
                  " is not a window offset of " + layer_unit(reader) + " inside the map");
      if (reader.layer > 0 && m.layers[reader.layer].pool)
        malformed(kp + ": the path " + list_text(path) + " names no matrix: the pool " + layer_unit(reader) +
                  " reads its children through none (they belong to its vertex)");
      cut_set = &edge_cut;
      element = reader.edges + *tap;
    } else {
      malformed(ip + ": unexpected key " + json(key).dump(-1, ' ', false, json::error_handler_t::replace) +
                ", expected \"input\", \"unit\" or \"matrix\"");
    }
    if ((*cut_set)[element]) malformed(ip + ": names the same " + (key == "matrix" ? "edge" : "vertex") +
                                       " of the network as an earlier item");
    (*cut_set)[element] = true;
    costs.push_back(cut_set == &edge_cut ? net.edge_cost[element] : net.vertex_cost[element]);
  }

  // Breadth-first search from I's uncut inputs through what the cut leaves.
  const std::size_t vertices = net.vertex_cost.size();
  std::vector<std::uint32_t> first(vertices + 1, 0), neighbours;
  for (std::size_t e = 0; e < net.edge_ends.size(); ++e)
    if (!edge_cut[e]) ++first[net.edge_ends[e].first + 1], ++first[net.edge_ends[e].second + 1];
  for (std::size_t v = 0; v < vertices; ++v) first[v + 1] += first[v];
  neighbours.resize(first[vertices]);
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  for (std::size_t e = 0; e < net.edge_ends.size(); ++e)
    if (!edge_cut[e]) {
      const auto [a, b] = net.edge_ends[e];
      neighbours[fill[a]++] = b, neighbours[fill[b]++] = a;
    }
  constexpr std::uint32_t unreached = ~std::uint32_t(0);
  std::vector<std::uint32_t> origin(vertices, unreached), queue;  // origin: the I input it came from
  for (std::uint32_t p : m.part_i)
    if (!vertex_cut[p]) origin[p] = p, queue.push_back(p);
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::uint32_t v = queue[head];
    for (std::uint32_t k = first[v]; k < first[v + 1]; ++k) {
      const std::uint32_t w = neighbours[k];
      if (!vertex_cut[w] && origin[w] == unreached) origin[w] = origin[v], queue.push_back(w);
    }
  }
  for (std::uint32_t q : m.part_j)  // the lowest J input reached: the same whatever the search order
    if (origin[q] != unreached)
      return {1, "refuted: the cut does not separate I from J: input " + std::to_string(q) +
                     " of J is still connected to input " + std::to_string(origin[q]) + " of I"};

  // The product of the costs, exactly; it stops once it has more limbs than B could fill.
  const std::size_t most_limbs = (bound.size() + 8) / 9;
  Product product;
  u64 chunk = 1;  // factors gathered below 2^32 (each cost is at most 4096)
  bool beyond = false;
  for (std::size_t i = 0; i <= costs.size() && !beyond; ++i) {
    if (i == costs.size() || chunk * costs[i] >= (u64(1) << 32)) {
      product.times(chunk);
      chunk = 1;
      beyond = product.limbs.size() > most_limbs;
    }
    if (i < costs.size()) chunk *= costs[i];
  }
  const std::string got = beyond ? "" : product.decimal();
  if (got != bound)
    return {1, "refuted: the costs of the " + std::to_string(costs.size()) + " cut items multiply to " +
                   (beyond ? "more than " + short_number(bound) : short_number(got)) +
                   ", but claim.rank_at_most is " + short_number(bound)};
  return {0, "rank <= " + bound + " for all weights"};
}

// What `seprank-check FILE` checks: a certificate, a witness, or either as "format" says.
// (any_certificate: dense or structured, as a bundle's certificate may be.)
enum class Kind { certificate, structured, witness, any_certificate, either };

Verdict check_text(const std::string& text, Kind kind) {
  const json doc = parse_document(text);
  if (kind == Kind::either || kind == Kind::any_certificate) {
    as_object(doc, "document");
    const std::string format =
        kind == Kind::either ? string_field(doc, "", "format",
                                            {"seprank-certificate", "seprank-structured-certificate", "seprank-cut-witness"})
                             : string_field(doc, "", "format", {"seprank-certificate", "seprank-structured-certificate"});
    kind = format == "seprank-certificate" ? Kind::certificate
           : format == "seprank-cut-witness" ? Kind::witness
                                             : Kind::structured;
  }
  switch (kind) {
    case Kind::certificate: return check_certificate(doc);
    case Kind::structured: return check_structured(doc);
    default: return check_witness(doc);
  }
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
    return {2, "malformed: out of memory while reading the document"};
  } catch (const std::exception& e) {
    return {2, std::string("malformed: ") + e.what()};
  } catch (...) {
    return {2, "malformed: internal error"};
  }
}

// ---- proof bundles (docs/proof-bundle.md, "What a checker verifies" items 1-4) ----
// Two passes, so that both checkers give the same exit code: first the form of everything
// (any failure malformed, 2, or 3 when a file cannot be read), then what the bundle claims
// (any failure refuted, 1).
[[noreturn]] void refuted(const std::string& what) { throw Verdict{1, "refuted: " + what}; }

// Runs f; a Verdict it throws gets `where` in front of its message.
template <class F>
auto located(const std::string& where, F f) -> decltype(f()) {
  try {
    return f();
  } catch (Verdict& verdict) {
    verdict.message = where + ": " + verdict.message;
    throw;
  }
}

// The bytes of a regular file of at most kMaxFileBytes bytes; nullopt, with the reason in
// `error`, when it cannot be read, is not a regular file (opened without blocking: a FIFO would
// block in open) or is larger (by fstat before reading, and while reading: it may grow).
std::optional<std::string> read_bytes(const std::string& name, std::string& error) {
  const std::string limit = "the limit of " + std::to_string(kMaxFileBytes) + " bytes (256 MiB)";
  const int fd = ::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    error = std::strerror(errno);
  } else if (!S_ISREG(info.st_mode)) {
    error = S_ISDIR(info.st_mode) ? "a directory, not a regular file" : "not a regular file";
  } else if (u64(info.st_size) > kMaxFileBytes) {
    error = std::to_string(info.st_size) + " bytes, above " + limit;
  } else {
    text.reserve(std::size_t(info.st_size));
    char buffer[1 << 16];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) != 0;) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        error = std::strerror(errno);
        break;
      }
      text.append(buffer, std::size_t(got));
      if (text.size() > kMaxFileBytes) {
        error = "it grew past " + limit + " while being read";
        break;
      }
    }
  }
  ::close(fd);
  if (!error.empty()) return std::nullopt;
  return text;
}

// The canonical path of an existing file, or "" (then errno says why).
std::string real_path(const std::string& name) {
  char* resolved = ::realpath(name.c_str(), nullptr);
  if (!resolved) return "";
  std::string result = resolved;
  std::free(resolved);
  return result;
}

// The bytes of the file a path in the manifest names, at `key`: the path is relative, made of
// '/'-separated components none of which is empty, ".", ".." or holds a backslash; it resolves
// (symbolic links followed) to a place inside DIR, and the file itself is a regular file, not a
// symbolic link. A missing file is malformed; one that exists but cannot be read, 3.
std::string bundle_file(const std::string& dir, const json& value, const std::string& key) {
  if (!value.is_string()) malformed(key + ": expected a string, got " + describe(value));
  const std::string path = value.get<std::string>();
  const std::string shown = quoted_text(path, 200);
  std::string full = dir;
  for (std::size_t pos = 0;;) {
    const std::size_t slash = std::min(path.find('/', pos), path.size());
    const std::string part = path.substr(pos, slash - pos);
    if (part.empty() || part == "." || part == ".." || part.find_first_of(std::string("\\\0", 2)) != std::string::npos)
      malformed(key + ": " + shown + " is not a relative path inside the bundle (a component is empty, ., .., "
                "or holds a backslash or NUL)");
    full += "/" + part;
    if (slash == path.size()) break;
    pos = slash + 1;
  }
  struct stat info;
  if (::lstat(full.c_str(), &info) != 0) {
    if (errno == ENOENT) malformed(key + ": " + shown + ": no such file in the bundle");
    throw Verdict{3, "cannot read " + full + ": " + std::strerror(errno)};
  }
  const std::string root = real_path(dir), resolved = real_path(full);
  if (root.empty() || resolved.empty()) throw Verdict{3, "cannot read " + full + ": " + std::strerror(errno)};
  if (resolved.rfind(root == "/" ? root : root + "/", 0) != 0)
    malformed(key + ": " + shown + " leads outside the bundle directory");
  if (!S_ISREG(info.st_mode)) malformed(key + ": " + shown + " is not a regular file");
  std::string error;
  const std::optional<std::string> bytes = read_bytes(full, error);
  if (!bytes) throw Verdict{3, "cannot read " + full + ": " + error};
  return *bytes;
}

// The lowercase hex SHA-256 recorded at obj[key] must be that of `bytes`.
void same_sha256(const std::string& bytes, const json& obj, const std::string& path, const char* key) {
  const std::string recorded = string_field(obj, path, key);
  const std::string computed = sha256_hex(bytes);
  if (recorded != computed)
    malformed(join(path, key) + ": records " + quoted_text(recorded, 80) + ", but the file's SHA-256 is " + computed);
}

// obj[key] when it is null (nullopt) or a string (else malformed).
std::optional<std::string> string_or_null(const json& obj, const std::string& path, const char* key) {
  const json& v = field(obj, path, key);
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) malformed(join(path, key) + ": expected a string or null, got " + describe(v));
  return v.get<std::string>();
}

bool bool_field(const json& obj, const std::string& path, const char* key) {
  const json& v = field(obj, path, key);
  if (!v.is_boolean()) malformed(join(path, key) + ": expected a boolean, got " + describe(v));
  return v.get<bool>();
}

// A checked evidence file: its own verdict (verified or refuted; malformed ends the first pass)
// and what it states, for the comparisons with its entry.
struct Evidence {
  std::string path;  // as the manifest records it
  Verdict verdict;
  std::string number;                  // rank_at_least (certificate) or rank_at_most (witness)
  std::optional<u64> prime;            // certificates only
  std::string architecture, i, spec;   // canonical JSON: network without weights (or architecture), I, spec
};

// One claim on one instance, as the first pass read it.
struct Entry {
  std::string where;  // "theorem C2 claim 1 instance 3"
  std::string theorem;                 // its id
  std::pair<u64, u64> claim_instance;
  std::string verdict;
  std::vector<std::string> not_null;  // of an N/A entry: the keys that should be null and are not
  std::optional<std::string> lower, upper, r, b;  // L, U, r, B: decimal integers
  std::optional<u64> prime;                       // r's prime
  std::string architecture, i, spec;              // canonical JSON, as in Evidence
  std::optional<Evidence> certificate, cut_witness;
};

Evidence read_evidence(const std::string& dir, const json& e, const std::string& ep, const char* key,
                       const char* sha_key, bool certificate) {
  Evidence evidence;
  evidence.path = e[key].get<std::string>();
  const std::string bytes = bundle_file(dir, e[key], join(ep, key));
  same_sha256(bytes, e, ep, sha_key);
  // A certificate is dense or structured, as its "format" says; a witness is a witness.
  evidence.verdict = verdict_of([&] { return check_text(bytes, certificate ? Kind::any_certificate : Kind::witness); });
  if (evidence.verdict.exit_code == 2)
    throw Verdict{2, std::string(certificate ? "certificate " : "cut witness ") + evidence.path + ": " +
                         evidence.verdict.message};
  const json doc = json::parse(bytes);  // well-formed: every key below is there, with its type
  const json& partition = doc["partition"];
  evidence.i = partition["I"].dump();
  evidence.spec = partition.contains("spec") ? partition["spec"].dump() : "null";
  if (certificate) {
    evidence.number = std::to_string(doc["claim"]["rank_at_least"].get<u64>());
    evidence.prime = doc["claim"]["prime"].get<u64>();
    json network = doc["network"];  // without weights: input, templates, padding, sharing, layers
    network.erase("representation"), network.erase("readout");
    for (json& layer : network["layers"]) layer.erase("weights");
    evidence.architecture = network.dump();
  } else {
    evidence.number = doc["claim"]["rank_at_most"].get<std::string>();
    evidence.architecture = doc["architecture"].dump();
  }
  return evidence;
}

// First pass over an entry: keys, types, values' syntax, its architecture and partition, and its
// evidence files' hashes and form.
Entry read_entry(const std::string& dir, const json& e, const std::string& ep, const std::string& where) {
  Entry entry;
  entry.where = where;
  string_field(e, ep, "claim_name");
  const json& parameters = as_object(field(e, ep, "parameters"), join(ep, "parameters"));
  for (const auto& item : parameters.items())
    if (!item.value().is_string())
      malformed(join(ep, "parameters") + "." + item.key() + ": expected a string, got " + describe(item.value()));
  const json& hypotheses = as_array(field(e, ep, "hypotheses"), join(ep, "hypotheses"));
  for (u64 h = 0; h < hypotheses.size(); ++h)
    if (!hypotheses[h].is_string())
      malformed(join(ep, "hypotheses") + idx(h) + ": expected a string, got " + describe(hypotheses[h]));
  entry.verdict =
      string_field(e, ep, "verdict", {"PROVEN", "TRIVIAL", "CONSISTENT", "UNCONFIRMED", "REFUTED", "SKIPPED", "N/A"});
  const bool not_applicable = entry.verdict == "N/A";
  auto bound = [&](const char* key) -> std::optional<std::string> {  // null or {"expression", "value"}
    const json& v = field(e, ep, key);
    if (v.is_null()) return std::nullopt;
    const std::string bp = join(ep, key);
    as_object(v, bp);
    string_field(v, bp, "expression");
    field(v, bp, "value");
    if (not_applicable) return std::nullopt;  // (must be null: the second pass says so)
    const std::string value = string_field(v, bp, "value");
    if (!is_decimal(value, true))
      malformed(bp + ".value: " + quoted_text(value) + " is not a decimal integer (optional -, digits, no leading zero)");
    return value;
  };
  entry.lower = bound("lower"), entry.upper = bound("upper");
  entry.r = string_or_null(e, ep, "certified_rank");
  entry.b = string_or_null(e, ep, "min_cut");
  if (entry.r && !is_decimal(*entry.r, false))
    malformed(join(ep, "certified_rank") + ": " + quoted_text(*entry.r) + " is not a decimal integer >= 0");
  if (entry.b && (!is_decimal(*entry.b, false) || *entry.b == "0"))
    malformed(join(ep, "min_cut") + ": " + quoted_text(*entry.b) + " is not a decimal integer >= 1");
  if (!field(e, ep, "prime").is_null()) {
    entry.prime = uint_field(e, ep, "prime", 2, (u64(1) << 63) - 1, "[2, 2^63)");
    if (!is_prime(*entry.prime)) malformed(join(ep, "prime") + ": " + std::to_string(*entry.prime) + " is not prime");
  }
  if (entry.prime.has_value() != entry.r.has_value())
    malformed(join(ep, "prime") + ": present exactly when certified_rank is");
  for (const char* key : {"certificate", "cut_witness"}) {
    const std::string sha_key = std::string(key) + "_sha256";
    if (string_or_null(e, ep, key).has_value() != string_or_null(e, ep, sha_key.c_str()).has_value())
      malformed(join(ep, sha_key.c_str()) + ": present exactly when " + key + " is");
  }
  const json& architecture = field(e, ep, "architecture");
  const json& partition = field(e, ep, "partition");
  if (not_applicable) {  // hypotheses false: nothing else is recorded (the second pass checks it)
    for (const char* key : {"lower", "upper", "architecture", "partition", "certified_rank", "min_cut", "certificate",
                            "cut_witness"})
      if (!e[key].is_null()) entry.not_null.push_back(key);
  } else if (!architecture.is_null() || !partition.is_null()) {  // (null: the second pass refutes it)
    Matricization m;
    read_network(architecture, m, nullptr, join(ep, "architecture"), true);
    read_partition(partition, join(ep, "partition"), m, true);
    entry.architecture = architecture.dump();
    entry.i = partition["I"].dump(), entry.spec = partition["spec"].dump();
  }
  if (!e["certificate"].is_null())
    entry.certificate = read_evidence(dir, e, ep, "certificate", "certificate_sha256", true);
  if (!e["cut_witness"].is_null())
    entry.cut_witness = read_evidence(dir, e, ep, "cut_witness", "cut_witness_sha256", false);
  return entry;
}

// The verdict docs/proof-bundle.md defines as a function of (L, U, r, B).
std::string verdict_of_numbers(const Entry& e) {
  auto less = [](const std::string& a, const std::string& b) { return compare_decimal(a, b) < 0; };
  if (e.lower && !e.upper && !less("1", *e.lower)) return "TRIVIAL";  // L <= 1, no U: nothing to prove
  std::vector<std::string> parts;
  if (e.lower)
    parts.push_back(e.b && less(*e.b, *e.lower) ? "REFUTED"
                    : !e.r                      ? "SKIPPED"
                    : !less(*e.r, *e.lower)     ? "PROVEN"
                                                : "UNCONFIRMED");
  if (e.upper)
    parts.push_back(e.b && !less(*e.upper, *e.b) ? "PROVEN"
                    : e.r && less(*e.upper, *e.r) ? "REFUTED"
                    : e.r                         ? "CONSISTENT"
                                                  : "SKIPPED");
  if (!e.lower && !e.upper) parts.push_back(e.r && e.b ? "PROVEN" : "SKIPPED");
  for (const char* status : {"REFUTED", "UNCONFIRMED", "SKIPPED", "CONSISTENT"})
    if (std::find(parts.begin(), parts.end(), status) != parts.end()) return status;
  return "PROVEN";
}

// Second pass over an entry: an N/A entry records nothing else; evidence present exactly when
// its number needs it, verified, and about the entry's numbers, network and partition; r <= B;
// the verdict the function of its numbers.
void check_entry(const Entry& e) {
  if (e.verdict == "N/A") {  // its hypotheses are not evaluated here (item 5, Python's)
    if (!e.not_null.empty()) refuted(e.not_null.front() + " is not null, but the entry is N/A");
    return;
  }
  if (e.architecture.empty())
    refuted("architecture and partition are null, as only in an N/A entry, but the verdict is " + e.verdict);
  if (e.certificate.has_value() != (e.r && *e.r != "0"))
    refuted(std::string(e.certificate ? "a certificate is recorded" : "no certificate is recorded") +
            ", but one backs certified_rank exactly when it is >= 1");
  if (e.cut_witness.has_value() != e.b.has_value())
    refuted(std::string(e.cut_witness ? "a cut witness is recorded" : "no cut witness is recorded") +
            ", but one backs min_cut exactly when there is one");
  auto about = [&](const Evidence& evidence, const char* what, const std::string& number, const char* number_key,
                   const std::string& architecture) {
    const std::string name = std::string(what) + " " + evidence.path;
    if (evidence.verdict.exit_code != 0) throw Verdict{evidence.verdict.exit_code, name + ": " + evidence.verdict.message};
    if (evidence.number != number)
      refuted(name + " proves " + short_number(evidence.number) + ", but " + number_key + " is " + short_number(number));
    if (evidence.prime && evidence.prime != e.prime)
      refuted(name + " is over GF(" + std::to_string(*evidence.prime) + "), the entry's prime is " +
              (e.prime ? std::to_string(*e.prime) : "null"));
    if (evidence.architecture != architecture)
      refuted(name + ": its network differs from the entry's architecture (" +
              (evidence.prime ? "input, templates, padding, sharing, layers" : "input, templates, padding, layers") + ")");
    if (evidence.i != e.i || evidence.spec != e.spec)
      refuted(name + " is for the partition I = " + short_number(evidence.i) + ", spec " + short_number(evidence.spec) +
              "; the entry's is I = " + short_number(e.i) + ", spec " + short_number(e.spec));
  };
  if (e.certificate) about(*e.certificate, "certificate", *e.r, "certified_rank", e.architecture);
  if (e.cut_witness) {
    json architecture = json::parse(e.architecture);
    architecture.erase("sharing");
    about(*e.cut_witness, "cut witness", *e.b, "min_cut", architecture.dump());
  }
  if (e.r && e.b && compare_decimal(*e.r, *e.b) > 0)
    refuted("certified_rank " + short_number(*e.r) + " exceeds min_cut " + short_number(*e.b) +
            ": a certificate and a witness of the same matrix contradict each other");
  if (e.verdict == "TRIVIAL" && (e.r || e.b))
    refuted("a TRIVIAL entry records no certified_rank and no min_cut: there is nothing to prove");
  const std::string expected = verdict_of_numbers(e);
  auto text = [](const std::optional<std::string>& v) { return v ? short_number(*v) : std::string("none"); };
  if (expected != e.verdict)
    refuted("the verdict is " + e.verdict + ", but (L, U, r, B) = (" + text(e.lower) + ", " + text(e.upper) + ", " +
            text(e.r) + ", " + text(e.b) + ") make it " + expected);
}

Verdict check_bundle_dir(const std::string& dir) {
  struct stat info;
  if (::stat(dir.c_str(), &info) != 0) return {3, "cannot read " + dir + ": " + std::strerror(errno)};
  if (!S_ISDIR(info.st_mode)) return {3, "cannot read " + dir + ": not a directory"};
  std::string error;
  const std::optional<std::string> text = read_bytes(dir + "/manifest.json", error);
  if (!text) return {3, "cannot read " + dir + "/manifest.json: " + error};

  // First pass: the form of everything.
  const json doc = located("manifest.json", [&] { return parse_document(*text); });
  u64 prime = 0;
  located("manifest.json", [&] {
    as_object(doc, "manifest");
    string_field(doc, "", "format", {"seprank-proof-bundle"});
    if (field(doc, "", "format_version").is_number_unsigned() && doc["format_version"].get<u64>() == 1)
      malformed("format_version: 1 is a bundle from before the TRIVIAL verdict: regenerate it with seprank verify "
                "--bundle (docs/proof-bundle.md)");
    if (field(doc, "", "format_version").is_number_unsigned() && doc["format_version"].get<u64>() == 2)
      malformed("format_version: 2 is a bundle from before each entry's prime: regenerate it with seprank verify "
                "--bundle (docs/proof-bundle.md)");
    uint_field(doc, "", "format_version", 3, 3, "{3}");
    string_field(doc, "", "seprank_version");
    prime = uint_field(doc, "", "prime", 2, (u64(1) << 63) - 1, "[2, 2^63)");
    if (!is_prime(prime)) malformed("prime: " + std::to_string(prime) + " is not prime");
    if (!field(doc, "", "seed").is_number_integer())
      malformed("seed: expected an integer, got " + describe(doc["seed"]));
    bool_field(doc, "", "extended");
    const json& summary = as_object(field(doc, "", "summary"), "summary");
    for (const char* key : {"proven", "trivial", "consistent", "unconfirmed", "refuted", "skipped", "not_applicable",
                            "checks", "evidence_checked"})
      uint_field(summary, "summary", key, 0, ~u64(0), "[0, 2^64)");
    bool_field(summary, "summary", "ok");
    as_array(field(doc, "", "theorems"), "theorems");
  });
  const json& theorems = doc["theorems"];
  std::set<std::string> ids;
  std::vector<Entry> entries;
  for (u64 t = 0; t < theorems.size(); ++t) {
    const std::string tp = "theorems" + idx(t);
    const std::string id = located("manifest.json", [&] {
      as_object(theorems[t], tp);
      const std::string name = string_field(theorems[t], tp, "id");
      if (name.empty() || !std::all_of(name.begin(), name.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                   ch == '_';
          }))
        malformed(tp + ".id: " + quoted_text(name) + " is not made of ASCII letters, digits, - and _");
      if (!ids.insert(name).second) malformed(tp + ".id: " + quoted_text(name) + " appears twice");
      return name;
    });
    const json& entry_list = located("theorem " + id, [&]() -> const json& {
      const std::string file = string_field(theorems[t], tp, "file");
      if (file != "theorems/" + id + ".toml")
        malformed(tp + ".file: " + quoted_text(file, 200) + " is not \"theorems/" + id + ".toml\"");
      same_sha256(bundle_file(dir, theorems[t]["file"], tp + ".file"), theorems[t], tp, "file_sha256");
      return as_array(field(theorems[t], tp, "entries"), tp + ".entries");
    });
    for (u64 k = 0; k < entry_list.size(); ++k) {
      const std::string ep = tp + ".entries" + idx(k);
      const json& e = entry_list[k];
      std::string where = "theorem " + id + " " + ep;  // until its claim and instance are read
      try {
        as_object(e, ep);
        const u64 claim = uint_field(e, ep, "claim", 1, ~u64(0), "[1, 2^64)");
        const u64 instance = uint_field(e, ep, "instance", 1, ~u64(0), "[1, 2^64)");
        where = "theorem " + id + " claim " + std::to_string(claim) + " instance " + std::to_string(instance);
        entries.push_back(read_entry(dir, e, ep, where));
        entries.back().theorem = id, entries.back().claim_instance = {claim, instance};
      } catch (Verdict& verdict) {
        verdict.message = where + ": " + verdict.message;
        throw;
      }
    }
  }
  // Second pass: what the bundle claims. Each entry (one per claim and instance of a theorem
  // file), then the summary.
  u64 evidence = 0;
  std::set<std::pair<std::string, std::pair<u64, u64>>> seen;
  for (const Entry& e : entries) {
    located(e.where, [&] {
      if (!seen.insert({e.theorem, e.claim_instance}).second)
        refuted("a second entry for this claim and instance");
      check_entry(e);
    });
    evidence += e.certificate.has_value() + e.cut_witness.has_value();
  }
  auto count = [&](const char* verdict) {
    return u64(std::count_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.verdict == verdict; }));
  };
  const u64 proven = count("PROVEN"), refuted_count = count("REFUTED");
  const std::pair<const char*, u64> expected[] = {
      {"proven", proven},        {"trivial", count("TRIVIAL")},       {"consistent", count("CONSISTENT")},
      {"unconfirmed", count("UNCONFIRMED")},
      {"refuted", refuted_count}, {"skipped", count("SKIPPED")},      {"not_applicable", count("N/A")},
      {"checks", entries.size()}, {"evidence_checked", proven + refuted_count}};
  const json& summary = doc["summary"];
  located("manifest.json", [&] {
    for (const auto& [key, value] : expected)
      if (summary[key].get<u64>() != value)
        refuted("summary." + std::string(key) + " records " + summary[key].dump() + ", the entries give " +
                std::to_string(value));
    const bool ok = refuted_count == 0 && count("UNCONFIRMED") == 0;
    if (summary["ok"].get<bool>() != ok)
      refuted("summary.ok records " + summary["ok"].dump() + ", the entries give " + (ok ? "true" : "false"));
  });
  return {0, "bundle of " + std::to_string(entries.size()) + " verdicts (" + std::to_string(proven) + " PROVEN, " +
                 std::to_string(count("TRIVIAL")) + " TRIVIAL, " + std::to_string(refuted_count) + " REFUTED), " + std::to_string(evidence) + " pieces of evidence checked"};
}

}  // namespace

namespace seprank_check {

Verdict check_certificate_text(const std::string& text) {
  return verdict_of([&] { return check_text(text, Kind::certificate); });
}

Verdict check_cut_witness_text(const std::string& text) {
  return verdict_of([&] { return check_text(text, Kind::witness); });
}

Verdict check_evidence_text(const std::string& text) {
  return verdict_of([&] { return check_text(text, Kind::either); });
}

Verdict check_bundle(const std::string& dir) {
  return verdict_of([&] { return check_bundle_dir(dir); });
}

Verdict structured_blocks(const std::string& text, std::vector<StructuredBlock>& blocks) {
  blocks.clear();
  return verdict_of([&]() -> Verdict {
    const json doc = parse_document(text);
    Certificate cert;
    const json& partition = read_certificate_head(doc, cert, true);
    const VaryingSet vary = check_vary(field(partition, "partition", "vary"), cert);
    const Factored h = symbolic_output(cert, vary, Symbolic(cert.p, cert.templates, cert.positions));
    if (h.zero) return {1, "refuted: the network is zero on the submatrix (symbolic evaluation)"};
    for (const BlockPtr& b : h.blocks) blocks.push_back({b->positions, b->table});
    return {0, std::to_string(blocks.size()) + " blocks"};
  });
}

std::string verdict_line(const Verdict& verdict) {
  std::string message = verdict.message;
  for (char& ch : message)  // one line of printable ASCII, whatever the input contained
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
  return (verdict.exit_code == 0 ? "VERIFIED: " : "NOT VERIFIED: ") + message;
}

}  // namespace seprank_check

#ifndef SEPRANK_CHECK_NO_MAIN
#ifndef SEPRANK_VERSION
#define SEPRANK_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  // Out of memory anywhere, even where no catch can help (nlohmann's destructors allocate while
  // a failed parse unwinds): still exactly one verdict line, and exit 2.
  std::set_new_handler([] {
    static const char line[] = "NOT VERIFIED: malformed: out of memory\n";
    (void)!::write(1, line, sizeof line - 1);
    ::_exit(2);
  });
  const std::string first = argc >= 2 ? argv[1] : "";
  if (argc == 2 && first == "--help") {
    std::cout << "usage: seprank-check FILE            check a certificate or a cut witness\n"
                 "       seprank-check --bundle DIR    check a proof bundle: every verdict and its evidence\n"
                 "       seprank-check --help | --version\n"
                 "       seprank-check --limits        the size limits it enforces, one \"name value\" a line\n"
                 "FILE is a certificate (docs/certificate-format.md), a structured certificate\n"
                 "(docs/structured-certificate.md) or a cut witness (docs/cut-witness.md), told apart\n"
                 "by its \"format\"; DIR holds manifest.json (docs/proof-bundle.md).\n"
                 "Prints one line, VERIFIED: ... or NOT VERIFIED: ..., and exits 0 (verified),\n"
                 "1 (refuted), 2 (malformed), 3 (cannot read, or usage) or 4 (too large for this\n"
                 "checker).\n";
    return 0;
  }
  if (argc == 2 && first == "--version") {
    std::cout << "seprank-check " << SEPRANK_VERSION << std::endl;
    return 0;
  }
  if (argc == 2 && first == "--limits") {  // the table of docs/certificate-format.md, "Format limits"
    std::cout << "max_rank " << kMaxRank << "\nmax_positions " << kMaxPositions << "\nmax_templates " << kMaxTemplates
              << "\nmax_channels " << kMaxChannels << "\nmax_layers " << kMaxLayers << "\nmax_weight_entries "
              << kMaxWeightEntries << "\nmax_network_size " << kMaxNetworkSize << "\nmax_readings " << kMaxReadings
              << "\nmax_cut_items " << kMaxCutItems << "\nmax_nesting " << kMaxDepth << std::endl;
    return 0;
  }
  Verdict verdict{3, "usage: seprank-check FILE | --bundle DIR | --help | --version | --limits"};
  if (argc == 3 && first == "--bundle") {
    verdict = seprank_check::check_bundle(argv[2]);
  } else if (argc == 2 && first != "--bundle") {
    verdict = verdict_of([&] {  // out of memory while reading is a verdict too
      std::string error;
      const std::optional<std::string> text = read_bytes(first, error);
      return text ? check_text(*text, Kind::either) : Verdict{3, "cannot read " + first + ": " + error};
    });
  }
  std::cout << seprank_check::verdict_line(verdict) << std::endl;
  return verdict.exit_code;
}
#endif
