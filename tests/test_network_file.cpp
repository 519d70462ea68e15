// `--network FILE` (issue 16, item 5): the rank of a network given with its weights. Expected
// ranks come from the construction of each network (worked out in the comments), from the
// drawn path the file reproduces, or from an invariance (a rational network and its
// integer-scaled copy), never from a run of the code under test alone.
#include <doctest/doctest.h>
#include <flint/fmpz.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "process.hpp"
#include "seprank/model/given_weights.hpp"
#include "seprank/model/network_file.hpp"
#include "seprank/support/errors.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using test_support::run;
using test_support::seprank_command;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("seprank_network_file_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

// The hand network: 1D input of 4, M = 2, F given; layer 1 is 2/2/2 (conv: W_0 for the first
// position of each window, W_1 for the second), then pool2/1 multiplies the two units channel
// by channel, and h = a_0·y0[0]·y1[0] + a_1·y0[1]·y1[1]. Across left-right (I = {0, 1} is unit
// 0's window, J = {2, 3} unit 1's) the matricization is A = Σ_c a_c·u_c·v_cᵀ, where u_c holds
// y0[c] = (W_0 F[d0])_c·(W_1 F[d1])_c over the rows (d0, d1) and v_c the same over (d2, d3).
json hand_network(const json& w0, const json& w1, const json& readout, const json& f = json{{1, 0}, {0, 1}}) {
  return {
      {"input", {{"dims", 1}, {"height", 1}, {"width", 4}}},
      {"templates", 2},
      {"padding", "valid"},
      {"sharing", "conv"},
      {"representation", f},
      {"layers",
       json::array({{{"kind", "gc"}, {"window", 2}, {"stride", 2}, {"channels", 2}, {"weights", {w0, w1}}},
                    {{"kind", "pool"}, {"window", 2}, {"stride", 1}}})},
      {"readout", readout}};
}

const json identity = {{1, 0}, {0, 1}};
const json ones = {{1, 1}, {1, 1}};

json rank_json(const TempDir& dir, const json& network, const std::string& options = "") {
  const std::string file = dir.write("net.json", network.dump());
  const auto r = run(seprank_command("rank --network " + file + " --json " + options));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return json::parse(r.out);
}

std::int64_t rank_of(const TempDir& dir, const json& network, const std::string& options = "") {
  return rank_json(dir, network, options)["rank"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("network file: ranks known by hand, over GF(p) and over Q") {
  const TempDir dir;
  // F = W_0 = W_1 = I: y_u[c] = [d = c]·[d' = c], so u_c is the indicator of row (c, c) and
  // A = Σ_c a_c·e_(c,c)·e_(c,c)ᵀ: the rank is the number of nonzero a_c.
  for (const char* field : {"", "--field Q"}) {
    CAPTURE(field);
    CHECK(rank_of(dir, hand_network(identity, identity, {1, 1}), field) == 2);
    CHECK(rank_of(dir, hand_network(identity, identity, {1, 0}), field) == 1);
    CHECK(rank_of(dir, hand_network(identity, identity, {"1/3", "-2/7"}), field) == 2);
    CHECK(rank_of(dir, hand_network(identity, identity, {0, "0.25"}), field) == 1);
    // W_0 = W_1 = all ones, a rank-one layer: every y_u[c] = 1, so A = (a_0 + a_1)·(all ones):
    // rank 1, and 0 when a_1 = -a_0.
    CHECK(rank_of(dir, hand_network(ones, ones, {1, 1}), field) == 1);
    CHECK(rank_of(dir, hand_network(ones, ones, {1, -1}), field) == 0);
    CHECK(rank_of(dir, hand_network(ones, ones, {"0.5", "-1/2"}), field) == 0);
    CHECK(rank_of(dir, hand_network(ones, ones, {"5e-1", "-50e-2"}), field) == 0);
    // 1/2 - 1/3 = 1/6 is not zero (numerators alone, 1 and -1, would cancel): rank 1.
    CHECK(rank_of(dir, hand_network(ones, ones, {"1/2", "-1/3"}), field) == 1);
    CHECK(rank_of(dir, hand_network(ones, ones, {"-0.001", "1e-3"}), field) == 0);
  }
}

TEST_CASE("network file: integers of any size are read exactly, also as JSON numbers") {
  const TempDir dir;
  // 3^50 = 717897987691852588770249, beyond 2^64: read through a double it would be a multiple
  // of a power of two, not of 3. Mod 3 the identity scaled by it is zero (rank 0); over Q and
  // mod a prime that does not divide it, it is the identity (rank 2, above).
  const std::string big = "717897987691852588770249";
  const json scaled_string = {{big, 0}, {0, big}};
  CHECK(rank_of(dir, hand_network(scaled_string, identity, {1, 1}), "--field Q") == 2);
  CHECK(rank_of(dir, hand_network(scaled_string, identity, {1, 1}), "--prime 3") == 0);
  CHECK(rank_of(dir, hand_network(scaled_string, identity, {1, 1}), "--prime 5") == 2);
  // The same as JSON numbers: written into the text unquoted.
  std::string text = hand_network(json{{"BIG", 0}, {0, "BIG"}}, identity, {1, 1}).dump();
  for (std::size_t at; (at = text.find("\"BIG\"")) != std::string::npos;) text.replace(at, 5, big);
  const std::string file = dir.write("numbers.json", text);
  const std::vector<std::pair<std::string, int>> expectations = {
      {"--field Q", 2}, {"--prime 3", 0}, {"--prime 5", 2}};
  for (const auto& [options, expected] : expectations) {
    CAPTURE(options);
    const auto r = run(seprank_command("rank --network " + file + " --json " + options));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(json::parse(r.out)["rank"] == expected);
  }
  // Over Q the scaled integers beyond 64 bits are reduced per prime: several ranks of one.
  CHECK(rank_of(dir, hand_network(identity, scaled_string, {big, "-" + big + "/7"}), "--field Q") == 2);
}

TEST_CASE("network file: the network of a certificate gives the rank of the drawn weights it records") {
  const TempDir dir;
  const std::string cert = (dir.path / "cert.json").string();
  const std::string drawn = "--input 4x4 --layers 3/1/2,2/1/2 --partition odd-even --seed 9";
  REQUIRE(run(seprank_command("certify " + drawn + " -o " + cert)).exit_code == 0);
  for (const std::string& strip : {std::string(""), std::string("--vary auto --fixed-templates 1")}) {
    CAPTURE(strip);
    const auto from_draw =
        run(seprank_command("rank " + drawn + " --prime 4611686018427387847 --json " + strip));
    REQUIRE(from_draw.exit_code == 0);
    const auto from_file =
        run(seprank_command("rank --network " + cert + " --partition odd-even --json " + strip));
    REQUIRE_MESSAGE(from_file.exit_code == 0, from_file.err);
    const json d = json::parse(from_draw.out), f = json::parse(from_file.out);
    CHECK(f["rank"] == d["rank"]);
    CHECK(f["rows"] == d["rows"]);
    CHECK(f["partition"] == d["partition"]);
    CHECK(f["architecture"]["layers"] == d["architecture"]["layers"]);
  }
  // The network object alone is the same network.
  std::ifstream in(cert);
  const json doc = json::parse(in);
  const std::string alone = dir.write("alone.json", doc["network"].dump());
  const auto r = run(seprank_command("rank --network " + alone + " --partition odd-even --json"));
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["rank"] == doc["claim"]["rank_at_least"]);
  // certify --network writes the same network back (the weights are residues already).
  const std::string again = (dir.path / "again.json").string();
  REQUIRE(run(seprank_command("certify --network " + cert + " --partition odd-even -o " + again)).exit_code ==
          0);
  std::ifstream in_again(again);
  const json doc_again = json::parse(in_again);
  CHECK(doc_again["network_sha256"] == doc["network_sha256"]);
  CHECK(doc_again["claim"] == doc["claim"]);
  CHECK(run(std::string(SEPRANK_CHECK_BINARY) + " " + again).exit_code == 0);
}

TEST_CASE("network file: rational weights and their integer-scaled copy have one rank over Q") {
  const TempDir dir;
  const std::string cert = (dir.path / "cert.json").string();
  REQUIRE(
      run(seprank_command("certify --input 8 --layers 3/1/2,3/1/2,4/1/1 --seed 4 -o " + cert)).exit_code ==
      0);
  std::ifstream in(cert);
  const json network = json::parse(in)["network"];
  // Layer 1's matrices divided entrywise by 7 and 11 by turns, and F by 3; the integer copy
  // multiplies the same entries by 11 and 7 instead: its layer 1 is exactly 77 times the rational
  // one (w/7 = 11w/77, w/11 = 7w/77) and its F 3 times, so the two functions differ by a nonzero
  // constant factor and their matricizations have one rank over Q (and mod p, 77 and 3 being
  // units). The copy's products exceed 2^63: the exact path over Q reduces them per prime.
  json rational = network, scaled = network;
  int k = 0;
  for (std::size_t m = 0; m < network["layers"][0]["weights"].size(); ++m)
    for (std::size_t r = 0; r < network["layers"][0]["weights"][m].size(); ++r)
      for (std::size_t c = 0; c < network["layers"][0]["weights"][m][r].size(); ++c) {
        const std::string w = network["layers"][0]["weights"][m][r][c].dump();
        const bool seven = k++ % 2 == 0;
        rational["layers"][0]["weights"][m][r][c] = w + (seven ? "/7" : "/11");
        // w/7 = 11w/77 and w/11 = 7w/77: the group times 77 is 11w or 7w.
        scaled["layers"][0]["weights"][m][r][c] = (seven ? "11*" : "7*") + w;
      }
  for (auto& row : rational["representation"])
    for (auto& v : row) v = v.dump() + "/3";
  for (auto& row : scaled["representation"])
    for (auto& v : row) v = "3*" + v.dump();
  // The scaled copy's entries as integers (written above as "11*w": here the product).
  auto product = [](json& v) {
    const std::string text = v.get<std::string>();
    const std::size_t star = text.find('*');
    fmpz_t a, b;
    fmpz_init(a), fmpz_init(b);
    fmpz_set_str(a, text.substr(0, star).c_str(), 10);
    fmpz_set_str(b, text.substr(star + 1).c_str(), 10);
    fmpz_mul(a, a, b);
    char* s = fmpz_get_str(nullptr, 10, a);
    v = std::string(s);
    flint_free(s);
    fmpz_clear(a), fmpz_clear(b);
  };
  for (auto& m : scaled["layers"][0]["weights"])
    for (auto& row : m)
      for (auto& v : row) product(v);
  for (auto& row : scaled["representation"])
    for (auto& v : row) product(v);
  const std::int64_t q_rank = rank_of(dir, scaled, "--field Q");
  CHECK(q_rank > 1);  // a case where the rank says something
  CHECK(rank_of(dir, rational, "--field Q") == q_rank);
  // Scaling a group by a unit mod p changes nothing mod p either.
  CHECK(rank_of(dir, rational) == rank_of(dir, scaled));
}

TEST_CASE("network file: a denominator divisible by p is refused, naming the weight") {
  const TempDir dir;
  const std::string file = dir.write("third.json", hand_network(identity, identity, {"1/3", "2/9"}).dump());
  const auto r = run(seprank_command("rank --network " + file + " --prime 3"));
  CHECK(r.exit_code == 65);
  CHECK(r.out.empty());
  CHECK(r.err.find("network.readout[0] = 1/3") != std::string::npos);
  CHECK(r.err.find("divisible by p = 3") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  // certify refuses it the same way; over Q it is an ordinary weight.
  CHECK(run(seprank_command("certify --network " + file + " --prime 3 -o " + (dir.path / "c.json").string()))
            .exit_code == 65);
  CHECK(rank_of(dir, hand_network(identity, identity, {"1/3", "2/9"}), "--field Q") == 2);
}

TEST_CASE("network file: malformed files are refused with exit 65 and one line naming the field") {
  const TempDir dir;
  const json good = hand_network(identity, identity, {1, 1});
  struct Case {
    std::string name;
    json network;
    std::string field;  // the message names it
  };
  std::vector<Case> cases;
  auto edited = [&](auto edit) {
    json n = good;
    edit(n);
    return n;
  };
  cases.push_back({"F with three rows", edited([](json& n) {
                     n["representation"].push_back({0, 0});
                   }),
                   "network.representation:"});
  cases.push_back({"a short row of F", edited([](json& n) { n["representation"][1] = {1}; }),
                   "network.representation[1]:"});
  cases.push_back({"one matrix for a window of two",
                   edited([](json& n) { n["layers"][0]["weights"].erase(1); }),
                   "network.layers[0].weights:"});
  cases.push_back({"a matrix row too long", edited([](json& n) {
                     n["layers"][0]["weights"][1][0] = {1, 2, 3};
                   }),
                   "network.layers[0].weights[1][0]:"});
  cases.push_back({"a readout of three", edited([](json& n) {
                     n["readout"] = {1, 2, 3};
                   }),
                   "network.readout:"});
  cases.push_back({"no readout", edited([](json& n) { n.erase("readout"); }), "network.readout: missing"});
  cases.push_back({"an unknown key", edited([](json& n) { n["bias"] = 0; }), "unknown key \"bias\""});
  cases.push_back({"weights on a pool layer",
                   edited([](json& n) { n["layers"][1]["weights"] = json::array(); }),
                   "network.layers[1]: unknown key \"weights\""});
  cases.push_back(
      {"a word for a weight", edited([](json& n) { n["readout"][1] = "abc"; }), "network.readout[1]: 'abc'"});
  cases.push_back({"two dots", edited([](json& n) { n["readout"][1] = "1.2.3"; }), "network.readout[1]:"});
  cases.push_back({"a boolean weight", edited([](json& n) { n["layers"][0]["weights"][0][0][0] = true; }),
                   "network.layers[0].weights[0][0][0]:"});
  cases.push_back(
      {"a zero denominator", edited([](json& n) { n["readout"][0] = "1/0"; }), "divides by zero"});
  cases.push_back({"a fractional window", edited([](json& n) { n["layers"][0]["window"] = 1.5; }),
                   "network.layers[0].window:"});
  cases.push_back({"dims 3", edited([](json& n) { n["input"]["dims"] = 3; }), "network.input.dims:"});
  cases.push_back({"an unknown sharing", edited([](json& n) { n["sharing"] = "full"; }), "network.sharing:"});
  cases.push_back({"a window larger than its map", edited([](json& n) { n["layers"][0]["window"] = 5; }),
                   "layer 1: window 5 is larger"});
  cases.push_back({"not an object", json::array({1, 2}), "network: expected an object"});
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string file = dir.write("bad.json", c.network.dump());
    const auto r = run(seprank_command("rank --network " + file));
    CHECK(r.exit_code == 65);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_MESSAGE(r.err.find(c.field) != std::string::npos, r.err);
    CHECK(r.err.find("bad.json") != std::string::npos);
  }
  // Text that is no JSON document, and a key given twice.
  for (const std::string& text : {std::string("{\"input\": "), good.dump() + " x",
                                  std::string("{\"templates\": 2, \"templates\": 2}")}) {
    CAPTURE(text);
    const std::string file = dir.write("bad.json", text);
    const auto r = run(seprank_command("rank --network " + file));
    CHECK(r.exit_code == 65);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // Beyond the limits: exit 69, as the same network on the command line.
  const std::string large = dir.write("large.json", edited([](json& n) { n["templates"] = 5000; }).dump());
  CHECK(run(seprank_command("rank --network " + large)).exit_code == 69);
  CHECK(run(seprank_command("rank --input 4 --templates 5000 --layers 2/2/2,pool2/1")).exit_code == 69);
}

TEST_CASE("network file: a file above 256 MiB, a directory or a missing file is refused with exit 66") {
  const TempDir dir;
  const fs::path big = dir.path / "big.json";
  { std::ofstream(big) << "{"; }
  fs::resize_file(big, (std::uintmax_t{256} << 20) + 1);  // sparse: no disk space used
  auto r = run(seprank_command("rank --network " + big.string()));
  CHECK(r.exit_code == 66);
  CHECK(r.err.find("268435456 bytes (256 MiB)") != std::string::npos);
  r = run(seprank_command("rank --network " + dir.path.string()));
  CHECK(r.exit_code == 66);
  r = run(seprank_command("rank --network " + (dir.path / "missing.json").string()));
  CHECK(r.exit_code == 66);
  // At the limit it is read (and refused for what it holds, not for its size).
  fs::resize_file(big, std::uintmax_t{256} << 20);
  r = run(seprank_command("rank --network " + big.string()));
  CHECK(r.exit_code == 65);
}

TEST_CASE("network file: options that would describe the network too are refused with exit 64") {
  const TempDir dir;
  const std::string file = dir.write("net.json", hand_network(identity, identity, {1, 1}).dump());
  for (const std::string option :
       {"--input 4", "--templates 2", "--layers 2/2/2,pool2/1", "--sharing conv", "--padding valid",
        "--templates-matrix identity", "--seed 3", "--weight-bound 5"}) {
    CAPTURE(option);
    const auto r = run(seprank_command("rank --network " + file + " " + option));
    CHECK(r.exit_code == 64);
    CHECK(r.err == "seprank: error: " + option.substr(0, option.find(' ')) +
                       " cannot be given with --network: the file gives the architecture and the weights\n");
  }
  // The partition, the strip and the field keep their meaning.
  // Odd-even puts (d0, d2) on the rows and (d1, d3) on the columns: A = Σ_c a_c·e_(c,c)·e_(c,c)ᵀ
  // again, rank 2.
  CHECK(rank_of(dir, hand_network(identity, identity, {1, 1}), "--partition odd-even --prime 1000003") == 2);
  // Without --network, --input and --layers are still required (exit 64).
  CHECK(run(seprank_command("rank --layers 2/2/1")).exit_code == 64);
  CHECK(run(seprank_command("rank --input 4")).exit_code == 64);
  // A structured certificate chooses its own weights.
  const auto structured =
      run(seprank_command("certify --network " + file + " --structured -o " + (dir.path / "s.json").string()));
  CHECK(structured.exit_code == 64);
  CHECK(structured.err.find("--structured cannot be given with --network") != std::string::npos);
  // compare draws its own real weights: it takes no --network.
  CHECK(run(seprank_command("compare --network " + file)).exit_code == 64);
}

TEST_CASE("network file: the output says the rank is at the given weights, not generic") {
  const TempDir dir;
  const std::string file = dir.write("net.json", hand_network(ones, ones, {1, 1}).dump());
  const auto table = run(seprank_command("rank --network " + file));
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("rank           1  (at these weights)") != std::string::npos);
  CHECK(table.out.find("(given, not drawn)") != std::string::npos);
  CHECK(table.out.find("generic") == std::string::npos);
  CHECK(table.out.find("P(miss)") == std::string::npos);
  CHECK(table.out.find("seed") == std::string::npos);
  // The min-cut (2, from the two channels) still bounds these weights; they stay below it.
  const json j = rank_json(dir, hand_network(ones, ones, {1, 1}));
  CHECK(j["weights"] == "file");
  CHECK(j["seed"].is_null());
  CHECK(j["settled"].is_null());
  CHECK(j["generic_rank_miss_probability_bound"].is_null());
  CHECK(j["upper_bound"] == "2");  // a decimal string (docs/schema/README.md)
  CHECK(j["rank"] == 1);
  CHECK(j["trials"].size() == 1);
  // Weights that reach the min-cut say so without calling it generic.
  const std::string reach = dir.write("reach.json", hand_network(identity, identity, {1, 1}).dump());
  const auto reached = run(seprank_command("rank --network " + reach));
  CHECK(reached.out.find("upper bound    2 (min-cut, all weights)  -> these weights reach it") !=
        std::string::npos);
  CHECK(reached.out.find("generic") == std::string::npos);
}

TEST_CASE("network file: GivenWeights reduces a/b mod p, scales groups by their LCM and names weights") {
  using namespace seprank;
  const NetworkFile file =
      parse_network_file(hand_network(json::array({json::array({"1/3", 0}), json::array({"2/5", "-1"})}),
                                      identity, {"1/2", "1/4"})
                             .dump(),
                         "hand.json");
  const GivenWeights& w = *file.weights;
  REQUIRE(w.groups() == 4);  // F, layer 1, the pool layer (empty), the readout
  CHECK(w.group_size(2) == 0);
  // Mod 7: 1/3 = 5 (3·5 = 15 = 1), 2/5 = 6 (5·6 = 30 = 2), -1 = 6; 1/2 = 4, 1/4 = 2.
  const NetworkWeights r = w.residues(7, "");
  CHECK(r.layers[0] == std::vector<std::int64_t>{5, 0, 6, 6, 1, 0, 0, 1});
  CHECK(r.readout == std::vector<std::int64_t>{4, 2});
  CHECK(r.representation == std::vector<std::int64_t>{1, 0, 0, 1});
  CHECK_THROWS_AS(w.residues(3, ""), Error);
  CHECK(w.name(1, 2) == "network.layers[0].weights[0][1][0]");
  CHECK(w.name(1, 5) == "network.layers[0].weights[1][0][1]");
  CHECK(w.name(0, 3) == "network.representation[1][1]");
  CHECK(w.name(3, 1) == "network.readout[1]");
  CHECK(w.text(1, 2) == "2/5");
  // LCM of layer 1 is 15: 5, 0, 6, -15, then the identity; of the readout 4: 2, 1.
  const GivenWeights integers = w.scaled_to_integers();
  REQUIRE(integers.fits_int64());
  const NetworkWeights s = integers.as_int64();
  CHECK(s.layers[0] == std::vector<std::int64_t>{5, 0, 6, -15, 15, 0, 0, 15});
  CHECK(s.readout == std::vector<std::int64_t>{2, 1});
  CHECK(!w.fits_int64());
  // Bits: 15 < 2^4.
  CHECK(integers.group_log2_bound(1) == 4);
  CHECK(integers.group_log2_bound(0) == 0);
}
