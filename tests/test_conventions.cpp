// The conventions, checked against independent implementations (issue 18):
// - partitions, --vary and --fixed-templates against model_conventions.hpp (written from
//   docs/model.md and README.md, no src/ code), both in process (make_partition,
//   restrict_partition) and through `seprank rank --json` / `seprank bound --json`;
// - the weight stream against tests/independent_weights.py (SplitMix64, the rejection mapping
//   and the draw order written from docs/model.md in Python), both in process (prepare_network)
//   and through the weights `seprank certify` writes into a certificate's `network` object;
// - SplitMix64 against the published first outputs for seed 0.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model_conventions.hpp"
#include "process.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/model/random.hpp"
#include "seprank/rank/rank_request.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

seprank::Architecture arch_of(const std::string& input, const std::string& layers, bool same, int templates = 2) {
  seprank::Architecture a;
  seprank::parse_input_shape(input, a);
  a.layers = seprank::parse_layers(layers);
  a.padding = same ? seprank::Padding::same : seprank::Padding::valid;
  a.templates = templates;
  return a;
}

// The exit code a seprank call throws with, or 0 when it returns.
int thrown_code(const std::function<void()>& f) {
  try {
    f();
  } catch (const seprank::Error& e) {
    return e.code();
  }
  return 0;
}

std::string join(const std::vector<int>& v) {
  std::string s;
  for (int i : v) {
    if (!s.empty()) s += ',';
    s += std::to_string(i);
  }
  return s;
}

std::vector<int> ints(const nlohmann::json& j) { return j.get<std::vector<int>>(); }

// A network valid for any input: one GC layer with window and stride max(H, W), same padding
// (out = ceil(n / S) = 1 on both axes).
std::string global_layer(const model::Grid& g) {
  const int s = std::max(g.height, g.width);
  return std::to_string(s) + "/" + std::to_string(s) + "/1";
}

std::vector<std::string> shapes_1d_and_2d() {
  std::vector<std::string> shapes;
  for (int n = 1; n <= 9; ++n) shapes.push_back(std::to_string(n));
  for (const char* s : {"1x1", "1x2", "2x1", "1x5", "5x1", "2x2", "2x3", "3x2", "3x3", "3x5", "5x3", "2x7", "7x2",
                        "4x4", "4x6", "6x4", "5x5", "7x7"})
    shapes.push_back(s);
  return shapes;
}

// A deterministic pseudo-random mask with at least one 0 and one 1 when n >= 2.
std::string mask_of(int n, std::uint64_t salt) {
  std::string mask;
  std::uint64_t x = salt * 6364136223846793005ULL + 1442695040888963407ULL;
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    mask += (x >> 33) % 2 ? '1' : '0';
  }
  if (n >= 2) {
    mask[0] = '1';
    mask[static_cast<std::size_t>(n - 1)] = '0';
  }
  return mask;
}

std::string indices_of(const std::string& mask) {
  // Listed in decreasing order: the set is what counts, not the order written.
  std::vector<int> in;
  for (int i = static_cast<int>(mask.size()); i-- > 0;)
    if (mask[static_cast<std::size_t>(i)] == '1') in.push_back(i);
  return "indices:" + join(in);
}

}  // namespace

TEST_CASE("the model's own convention functions agree with hand-computed partitions") {
  // Hand-derived from docs/model.md, so that the independent functions are themselves pinned.
  CHECK(model::side_i("left-right", model::grid("3x5")) == std::vector<int>{0, 1, 5, 6, 10, 11});  // c < 2
  CHECK(model::side_i("left-right", model::grid("5x3")) == std::vector<int>{0, 3, 6, 9, 12});      // c < 1
  CHECK(model::side_i("top-bottom", model::grid("5x3")) == std::vector<int>{0, 1, 2, 3, 4, 5});    // r < 2
  CHECK(model::side_i("top-bottom", model::grid("3x5")) == std::vector<int>{0, 1, 2, 3, 4});       // r < 1
  CHECK(model::side_i("odd-even", model::grid("2x3")) == std::vector<int>{0, 2, 4});
  CHECK(model::side_i("left-right", model::grid("7")) == std::vector<int>{0, 1, 2});
  CHECK(model::side_i("top-bottom", model::grid("7")) == std::vector<int>{0, 1, 2});
  CHECK(model::side_i("odd-even", model::grid("7")) == std::vector<int>{0, 2, 4, 6});
  CHECK(model::side_i("left-right", model::grid("1")).empty());
  CHECK(model::side_i("mask:0110", model::grid("4")) == std::vector<int>{1, 2});
  CHECK(model::side_i("indices:5,0,3", model::grid("2x3")) == std::vector<int>{0, 3, 5});
  // --vary auto, 1D N = 9, window 3 stride 1, valid: units 2 ({2,3,4}) and 3 ({3,4,5}) cross 3|4.
  CHECK(model::auto_vary(model::grid("9"), {0, 1, 2, 3}, {3, 1}, false) == std::vector<int>{2, 3, 4, 5});
  // Same padding, window 4 stride 2 on N = 9: out 5, pad_total 3, pad_before 1, unit u covers
  // 2u-1..2u+2 clipped to the map: u = 1 covers {1,..,4}, u = 2 covers {3,..,6}.
  CHECK(model::auto_vary(model::grid("9"), {0, 1, 2, 3}, {4, 2}, true) == std::vector<int>{1, 2, 3, 4, 5, 6});
  CHECK(model::fixed_templates("2", 4) == std::vector<int>{2, 2, 2, 2});
  CHECK(model::fixed_templates("0120", 4) == std::vector<int>{0, 1, 2, 0});
}

TEST_CASE("HxW means H rows of W columns, in process and in the CLI's JSON") {
  for (const std::string& shape : shapes_1d_and_2d()) {
    CAPTURE(shape);
    const model::Grid g = model::grid(shape);
    seprank::Architecture a;
    seprank::parse_input_shape(shape, a);
    CHECK(a.dims == g.dims);
    CHECK(a.height == g.height);
    CHECK(a.width == g.width);
  }
  const auto r = run(seprank_command("bound --input 3x5 --padding same --layers 5/5/1 --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["architecture"]["height"] == 3);
  CHECK(j["architecture"]["width"] == 5);
  CHECK(j["architecture"]["dims"] == 2);
}

TEST_CASE("every named partition, mask and index list equals docs/model.md, in process") {
  int checked = 0, refused = 0;
  for (const std::string& shape : shapes_1d_and_2d()) {
    const model::Grid g = model::grid(shape);
    const int n = g.positions();
    std::vector<std::string> specs = {"left-right", "top-bottom", "odd-even"};
    if (n <= 9) {  // every mask of a small input
      for (int bits = 0; bits < (1 << n); ++bits) {
        std::string mask;
        for (int i = 0; i < n; ++i) mask += (bits >> i & 1) ? '1' : '0';
        specs.push_back("mask:" + mask);
        if (bits != 0) specs.push_back(indices_of(mask));  // "indices:" with no index is malformed
      }
    } else {
      for (std::uint64_t salt = 0; salt < 8; ++salt) {
        specs.push_back("mask:" + mask_of(n, salt));
        specs.push_back(indices_of(mask_of(n, salt)));
      }
    }
    const seprank::Architecture a = arch_of(shape, global_layer(g), true);
    for (const std::string& spec : specs) {
      CAPTURE(shape);
      CAPTURE(spec);
      const std::vector<int> in_i = model::side_i(spec, g), in_j = model::complement(in_i, n);
      if (in_i.empty() || in_j.empty()) {
        CHECK(thrown_code([&] { seprank::make_partition(spec, a); }) == seprank::exit_data);
        ++refused;
        continue;
      }
      const seprank::Partition p = seprank::make_partition(spec, a);
      CHECK(p.I == in_i);
      CHECK(p.J == in_j);
      CHECK(p.vary_I == in_i);
      CHECK(p.vary_J == in_j);
      CHECK(p.fixed_templates == std::vector<int>(static_cast<std::size_t>(n), 0));
      CHECK_FALSE(p.is_submatrix());
      ++checked;
    }
  }
  CHECK(checked > 1000);
  CHECK(refused > 0);  // N = 1, 1x1, 2x1 left-right, every all-0 and all-1 mask
}

TEST_CASE("the CLI prints docs/model.md's partition as I's linear indices") {
  int ran = 0;
  for (const std::string& shape : shapes_1d_and_2d()) {
    const model::Grid g = model::grid(shape);
    const int n = g.positions();
    std::vector<std::string> specs = {"left-right", "top-bottom", "odd-even"};
    if (n >= 2) {
      specs.push_back("mask:" + mask_of(n, static_cast<std::uint64_t>(n)));
      specs.push_back(indices_of(mask_of(n, static_cast<std::uint64_t>(n) + 1)));
    }
    const std::string network = "--input " + shape + " --padding same --layers " + global_layer(g);
    for (const std::string& spec : specs) {
      CAPTURE(shape);
      CAPTURE(spec);
      const std::vector<int> in_i = model::side_i(spec, g), in_j = model::complement(in_i, n);
      const std::string command = network + " --partition " + spec + " --json --threads 1";
      const auto b = run(seprank_command("bound " + network + " --partition " + spec + " --json"));
      if (in_i.empty() || in_j.empty()) {
        CHECK(b.exit_code == seprank::exit_data);
        CHECK(run(seprank_command("rank " + command)).exit_code == seprank::exit_data);
        continue;
      }
      REQUIRE(b.exit_code == 0);
      CHECK(ints(nlohmann::json::parse(b.out)["partition"]) == in_i);
      // rank: the whole matrix when small; else a 2-position strip (the partition is printed whole).
      const std::string strip = n <= 16 ? "" : " --vary indices:" + std::to_string(in_i[0]) + "," + std::to_string(in_j[0]);
      const auto r = run(seprank_command("rank " + command + strip));
      REQUIRE(r.exit_code == 0);
      const auto j = nlohmann::json::parse(r.out);
      CHECK(ints(j["partition"]) == in_i);
      CHECK(j["index_order"] == "C");
      if (n <= 16) {
        CHECK_FALSE(j.contains("submatrix"));
        CHECK(j["rows"] == (std::uint64_t{1} << in_i.size()));
        CHECK(j["cols"] == (std::uint64_t{1} << in_j.size()));
      } else {
        CHECK(ints(j["submatrix"]["vary_I"]) == std::vector<int>{in_i[0]});
        CHECK(ints(j["submatrix"]["vary_J"]) == std::vector<int>{in_j[0]});
      }
      ++ran;
    }
  }
  CHECK(ran > 80);
}

namespace {

struct VaryCase {
  const char* input;
  const char* layers;
  bool same;
  const char* partition;
  const char* vary;
  const char* fixed;
  int templates;
  bool cli;  // small enough for `seprank rank` to assemble and rank
};

// --vary auto over 1D and 2D, valid and same padding, odd and even sizes, GC and pool first
// layers; --vary mask:/indices:; --fixed-templates as one template or one digit per position.
const VaryCase vary_cases[] = {
    {"8", "2/1/2,7/1/2", false, "left-right", "auto", "0", 2, true},
    {"9", "3/1/2,7/1/1", false, "left-right", "auto", "1", 2, true},
    {"9", "3/1/2,9/9/1", true, "left-right", "auto", "0", 2, true},
    {"9", "4/2/2,5/5/1", true, "left-right", "auto", "012012012", 3, true},
    {"9", "4/2/2,5/5/1", true, "odd-even", "auto", "0", 2, true},  // every window crosses: the whole matrix
    {"7", "2/1/2,6/1/1", false, "top-bottom", "auto", "1", 2, true},
    {"6", "pool2/2,3/1/1", false, "left-right", "auto", "1", 2, true},
    {"8", "2/2/2,4/1/1", false, "left-right", "auto", "0", 2, true},  // no window crosses: refused
    {"8", "2/2/2,4/1/1", false, "mask:01010101", "auto", "0", 2, true},
    {"8", "3/1/2,6/1/2", false, "left-right", "indices:5,2,3,4", "1", 2, true},
    {"8", "3/1/2,6/1/2", false, "odd-even", "mask:01111110", "10011001", 2, true},
    {"8", "3/1/2,6/1/2", false, "left-right", "indices:4,5,6", "0", 2, true},  // no varying position in I: refused
    {"3x5", "3/1/2,5/5/1", true, "left-right", "auto", "0", 2, true},
    {"3x5", "3/1/2,5/5/1", true, "top-bottom", "auto", "1", 2, true},  // every row varies: the whole matrix
    {"8", "2/1/2,7/1/2", false, "left-right", "auto", "2", 3, true},
    {"3x5", "2/1/2,5/5/1", true, "odd-even", "mask:110000000011000", "012012012012012", 3, true},
    {"5x3", "2/1/2,5/5/1", true, "top-bottom", "auto", "1", 2, true},
    {"5x3", "2/1/2,5/5/1", true, "left-right", "auto", "010101010101010", 2, true},
    {"5x3", "3/3/2", false, "left-right", "indices:14,0,1,3,4", "1", 2, true},
    {"4x4", "2/1/2,3/1/2", false, "left-right", "auto", "0110100110010110", 2, true},
    {"4x4", "2/2/2,2/2/2", false, "odd-even", "mask:1100110000000000", "1", 2, true},
    {"4x4", "pool2/2,2/2/2", false, "top-bottom", "auto", "0", 2, true},  // no window crosses: refused
    {"5x5", "3/2/2,2/1/1", false, "left-right", "auto", "1", 2, true},
    {"5x5", "3/1/2,3/1/2", false, "left-right", "mask:0110001100011000110001100", "0", 2, true},
    {"2x7", "3/1/2,7/7/1", true, "left-right", "auto", "0", 2, true},
    {"7x2", "3/1/2,7/7/1", true, "top-bottom", "auto", "1", 2, true},
    {"7x7", "3/2/2,3/1/1", false, "left-right", "auto", "0", 2, false},
    {"7x7", "3/1/2,7/7/1", true, "top-bottom", "auto", "1", 2, false},
    {"7x7", "4/3/2,3/3/1", true, "odd-even", "auto", "0", 2, false},
    {"7x7", "3/2/2,3/1/1", false, "left-right", "indices:2,3,9,10", "1", 2, true},
    {"6x4", "3/1/2,6/6/1", true, "left-right", "auto", "1", 2, false},
};

}  // namespace

TEST_CASE("--vary auto, mask:, indices: and --fixed-templates follow their definitions, in process and on the CLI") {
  int submatrices = 0, wholes = 0, refusals = 0;
  for (const VaryCase& c : vary_cases) {
    const std::string input = c.input, layers = c.layers, partition = c.partition, vary = c.vary, fixed = c.fixed;
    CAPTURE(input);
    CAPTURE(layers);
    CAPTURE(partition);
    CAPTURE(vary);
    CAPTURE(fixed);
    const auto expected = model::submatrix(input, layers, c.same, partition, vary, fixed);
    const seprank::Architecture a = arch_of(input, layers, c.same, c.templates);
    const auto geometry = seprank::resolve_geometry(a);
    seprank::Partition p = seprank::make_partition(partition, a);  // every case's partition is valid
    const std::string command = "rank --input " + input + " --templates " + std::to_string(c.templates) +
                                " --layers " + layers + (c.same ? " --padding same" : "") + " --partition " +
                                partition + " --vary " + vary + " --fixed-templates " + fixed +
                                " --json --threads 1 --prime fast";
    if (!expected) {
      CHECK(thrown_code([&] { seprank::restrict_partition(p, vary, fixed, a, geometry); }) == seprank::exit_data);
      CHECK(run(seprank_command(command)).exit_code == seprank::exit_data);
      ++refusals;
      continue;
    }
    seprank::restrict_partition(p, vary, fixed, a, geometry);
    CHECK(p.I == expected->i);
    CHECK(p.J == expected->j);
    CHECK(p.vary_I == expected->vary_i);
    CHECK(p.vary_J == expected->vary_j);
    CHECK(p.fixed_templates == expected->fixed);
    CHECK(p.is_submatrix() == !expected->whole());
    (expected->whole() ? wholes : submatrices) += 1;
    if (!c.cli) continue;
    const auto r = run(seprank_command(command));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(ints(j["partition"]) == expected->i);
    std::uint64_t rows = 1, cols = 1;
    for (std::size_t t = 0; t < expected->vary_i.size(); ++t) rows *= static_cast<std::uint64_t>(c.templates);
    for (std::size_t t = 0; t < expected->vary_j.size(); ++t) cols *= static_cast<std::uint64_t>(c.templates);
    CHECK(j["rows"] == rows);
    CHECK(j["cols"] == cols);
    if (expected->whole()) {
      CHECK_FALSE(j.contains("submatrix"));
    } else {
      REQUIRE(j.contains("submatrix"));
      CHECK(ints(j["submatrix"]["vary_I"]) == expected->vary_i);
      CHECK(ints(j["submatrix"]["vary_J"]) == expected->vary_j);
      CHECK(ints(j["submatrix"]["fixed_templates"]) == expected->fixed);
      CHECK(j["submatrix"]["vary"] == vary);
    }
  }
  CHECK(submatrices >= 15);
  CHECK(wholes >= 1);
  CHECK(refusals >= 3);
}

// ---------------------------------------------------------------------------------------------
// The weight stream.

namespace {

// One run of tests/independent_weights.py for many requests (one line of arguments each): the
// interpreter's start is the slow part. Returns one JSON result per line.
nlohmann::json python_batch(const std::vector<std::string>& lines) {
  const std::string path = "/tmp/seprank_conventions_batch_" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream out(path);
    for (const std::string& line : lines) out << line << "\n";
  }
  const auto r = run("python3 " + std::string(SEPRANK_SOURCE_DIR) + "/tests/independent_weights.py --batch " + path);
  std::remove(path.c_str());
  REQUIRE_MESSAGE(r.exit_code == 0, "independent_weights.py: " << r.err);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == lines.size());
  return j;
}

std::uint64_t mod(std::int64_t v, std::uint64_t p) {
  const __int128 r = static_cast<__int128>(v) % static_cast<__int128>(p);
  return static_cast<std::uint64_t>(r < 0 ? r + static_cast<__int128>(p) : r);
}

// Python's network (signed over Q) against prepare_network's weights, value for value.
void check_in_process(const nlohmann::json& expected, const seprank::NetworkWeights& w) {
  std::vector<std::int64_t> f;
  for (const auto& row : expected["representation"])
    for (const auto& v : row) f.push_back(v.get<std::int64_t>());
  CHECK(w.representation == f);
  REQUIRE(w.layers.size() == expected["layers"].size());
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    std::vector<std::int64_t> flat;
    if (expected["layers"][l].contains("weights"))
      for (const auto& matrix : expected["layers"][l]["weights"])
        for (const auto& row : matrix)
          for (const auto& v : row) flat.push_back(v.get<std::int64_t>());
    CHECK(w.layers[l] == flat);  // a pool layer: none
  }
  CHECK(w.readout == expected["readout"].get<std::vector<std::int64_t>>());
}

// Reduces every weight of a network object mod p (a certificate holds residues).
nlohmann::json reduced(nlohmann::json network, std::uint64_t p) {
  auto reduce_all = [&](nlohmann::json& node, auto&& self) -> void {
    if (node.is_array()) {
      for (auto& v : node) self(v, self);
    } else if (node.is_number_integer()) {
      node = mod(node.get<std::int64_t>(), p);
    }
  };
  reduce_all(network["representation"], reduce_all);
  for (auto& layer : network["layers"])
    if (layer.contains("weights")) reduce_all(layer["weights"], reduce_all);
  reduce_all(network["readout"], reduce_all);
  return network;
}

struct WeightCase {
  const char* input;
  const char* layers;
  int templates;
  seprank::Sharing sharing;
  bool same;
  bool identity;
};

const WeightCase weight_cases[] = {
    {"8", "3/1/2,6/1/1", 2, seprank::Sharing::conv, false, false},
    {"8", "3/1/2,pool2/2,2/1/2,2/1/1", 2, seprank::Sharing::local, false, false},
    {"3x3", "2/1/2,2/1/2", 3, seprank::Sharing::one_by_one, false, true},
    {"3x5", "3/2/3,pool3/3", 2, seprank::Sharing::local, true, false},
    {"5x3", "2/1/2,3/3/2,pool2/2", 2, seprank::Sharing::local, true, true},
    {"6", "2/2/3,3/1/2", 4, seprank::Sharing::one_by_one, false, true},
    {"3x3", "pool2/1,2/1/2", 2, seprank::Sharing::conv, false, false},
    {"7", "3/2/2,pool2/2,2/2/1", 3, seprank::Sharing::local, true, false},
    {"4x4", "2/2/2,2/2/3", 2, seprank::Sharing::conv, false, true},
};

std::string sharing_name(seprank::Sharing s) {
  return s == seprank::Sharing::conv ? "conv" : s == seprank::Sharing::local ? "local" : "1x1";
}

struct WeightRequest {
  const WeightCase* c;
  std::string field;
  std::uint64_t prime;
  std::uint64_t seed;
  std::int64_t bound;

  std::string network() const {
    return std::string("--input ") + c->input + " --templates " + std::to_string(c->templates) + " --layers " +
           c->layers + " --sharing " + sharing_name(c->sharing) + " --padding " + (c->same ? "same" : "valid") +
           " --templates-matrix " + (c->identity ? "identity" : "random") + " --seed " + std::to_string(seed);
  }
  std::string weights() const {
    return field == "gfp" ? " --prime " + std::to_string(prime) : " --field Q --weight-bound " + std::to_string(bound);
  }
};

// One comparison: Python's weights against prepare_network's, and against the network that
// `seprank certify` writes. Returns whether certify wrote a certificate (it refuses a
// matricization that is zero mod p, which random weights make likely only for tiny p).
bool check_weights(const WeightRequest& w, const nlohmann::json& expected, const std::string& certificate_path) {
  const WeightCase& c = *w.c;
  CAPTURE(w.network());
  CAPTURE(w.weights());
  seprank::RankRequest r;
  r.arch = arch_of(c.input, c.layers, c.same, c.templates);
  r.arch.sharing = c.sharing;
  r.representation = c.identity ? seprank::Representation::identity : seprank::Representation::random;
  r.seed = w.seed;
  r.field = w.field == "gfp" ? seprank::Field::gfp : seprank::Field::rationals;
  if (w.field == "gfp") r.prime = w.prime;
  r.weight_bound = w.bound;
  check_in_process(expected, seprank::prepare_network(r).weights);

  const auto cert =
      run(seprank_command("certify " + w.network() + w.weights() + " --threads 1 --force -o " + certificate_path));
  if (cert.exit_code == seprank::exit_data && cert.err.find("zero mod p") != std::string::npos) {
    return false;
  }
  REQUIRE_MESSAGE(cert.exit_code == 0, cert.err);
  std::ifstream in(certificate_path);
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str());
  const std::uint64_t p = doc["claim"]["prime"].get<std::uint64_t>();
  CHECK(p == (w.field == "gfp" ? w.prime : seprank::default_prime));
  CHECK(doc["network"] == reduced(expected, p));
  return true;
}

}  // namespace

TEST_CASE("SplitMix64 gives the published first outputs for seed 0, in C++ and in the Python twin") {
  // Vigna's splitmix64.c seeded with 0 (published reference values, widely reproduced).
  const std::uint64_t published[] = {0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL,
                                     0xf88bb8a8724c81ecULL};
  seprank::SplitMix64 rng(0);
  for (std::uint64_t v : published) CHECK(rng.next() == v);
  const std::uint64_t long_seeds[] = {1ULL, 12345ULL, (1ULL << 63) + 5, ~0ULL};
  std::vector<std::string> lines = {"--splitmix 0 4", "--splitmix 1234567 2"};
  for (std::uint64_t seed : long_seeds) lines.push_back("--splitmix " + std::to_string(seed) + " 1000");
  const nlohmann::json python = python_batch(lines);
  REQUIRE(python[0].size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(python[0][i].get<std::uint64_t>() == published[i]);
  // And the seed-1234567 vector of splitmix64.c through the Python twin.
  CHECK(python[1][0].get<std::uint64_t>() == 6457827717110365317ULL);
  CHECK(python[1][1].get<std::uint64_t>() == 3203168211198807973ULL);
  // Long streams agree too (seeds at both ends of the range).
  for (std::size_t t = 0; t < std::size(long_seeds); ++t) {
    CAPTURE(long_seeds[t]);
    const nlohmann::json& stream = python[2 + t];
    seprank::SplitMix64 g(long_seeds[t]);
    std::size_t mismatches = 0;
    for (const auto& v : stream) mismatches += g.next() != v.get<std::uint64_t>();
    CHECK(stream.size() == 1000);
    CHECK(mismatches == 0);
  }
}

TEST_CASE("the drawn weights equal an independent Python implementation of docs/model.md") {
  const std::string path = "/tmp/seprank_conventions_cert_" + std::to_string(::getpid()) + ".json";
  const std::uint64_t seeds[] = {1, 2, 12345, (1ULL << 63) + 5};
  const std::uint64_t primes[] = {
      2, 3, 101, 65537, 8388593 /* 2^23 - 15 */, 2147483647, (1ULL << 61) - 1, seprank::default_prime,
      6917529027641081903ULL /* 3*2^61 + 47: 2^64 mod p = 2^62, a quarter of all draws rejected */};
  const std::int64_t bounds[] = {100, 1, 7, std::int64_t{1} << 31};
  std::vector<WeightRequest> requests;
  for (std::size_t ci = 0; ci < std::size(weight_cases); ++ci) {
    for (std::size_t pi = 0; pi < std::size(primes); ++pi)
      requests.push_back({&weight_cases[ci], "gfp", primes[pi], seeds[(ci + pi) % 4], 0});
    for (std::size_t si = 0; si < 4; ++si)
      requests.push_back({&weight_cases[ci], "Q", 0, seeds[si], bounds[(ci + si) % 4]});
  }
  std::vector<std::string> lines;
  for (const WeightRequest& w : requests) lines.push_back(w.network() + w.weights());
  const nlohmann::json expected = python_batch(lines);
  int certified = 0;
  for (std::size_t t = 0; t < requests.size(); ++t) {
    const bool wrote = check_weights(requests[t], expected[t], path);
    certified += wrote;
    if (!wrote) {
      // Only tiny weight sets make a random matricization vanish.
      CHECK((requests[t].field == "gfp" ? requests[t].prime <= 3 : requests[t].bound == 1));
    }
  }
  CHECK(requests.size() == std::size(weight_cases) * 13);
  CHECK(certified >= static_cast<int>(requests.size()) * 3 / 4);
  std::remove(path.c_str());
}
