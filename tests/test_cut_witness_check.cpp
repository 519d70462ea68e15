// seprank-check on cut witnesses (docs/cut-witness.md) and proof bundles (docs/proof-bundle.md).
// Every witness `seprank bound --witness` writes, on architectures of every kind (1D and 2D,
// overlapping stride-1 stacks, strides 2, pool layers at layer 1 and above, `same` padding, every
// partition kind), is VERIFIED with the bound `seprank bound --json` reports; single-edit mutants
// are rejected with the exit code the spec gives: 1 when the cut no longer separates I from J or
// its product is not the claimed bound, 2 when the witness is malformed. The expected codes
// follow from the spec alone (why, beside each mutant), never from a run. The committed
// proofs/witnesses are reproduced from their MANIFEST and verified, the broken ones rejected;
// a bundle made here by hand is verified, and its edits rejected with the codes of
// docs/proof-bundle.md.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;
using Json = nlohmann::ordered_json;

namespace {

const fs::path source_dir = SEPRANK_SOURCE_DIR;
const fs::path witnesses = source_dir / "proofs" / "witnesses";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// A scratch directory per process (ctest runs test cases in separate processes at once).
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("seprank_witness_test_" + std::to_string(::getpid()));
  int count = 0;
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  fs::path next(const std::string& stem) { return path / (stem + "-" + std::to_string(count++) + ".json"); }
};

struct Checked {
  int exit_code;
  std::string line;  // stdout without the newline
};

Checked check_file(const fs::path& file) {
  const auto r = run(std::string(SEPRANK_CHECK_BINARY) + " '" + file.string() + "'");
  std::string line = r.out;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return {r.exit_code, line};
}

Checked check_doc(TempDir& dir, const Json& doc) {
  const fs::path file = dir.next("mutant");
  write_file(file, doc.dump() + "\n");
  return check_file(file);
}

// `seprank bound ARGS --json --witness FILE`: the witness, and the bound the report states.
struct Bound {
  Json witness;
  std::string upper_bound;
};

Bound bound_with_witness(TempDir& dir, const std::string& args) {
  const fs::path file = dir.next("witness");
  const auto r = run(seprank_command("bound " + args + " --json --witness '" + file.string() + "' --force"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const Json report = Json::parse(r.out);
  return {Json::parse(read_file(file)), report["upper_bound"].get<std::string>()};
}

// Every partition kind, 1D and 2D, strides 1 and 2, overlapping stacks, pool layers at layer 1,
// in the middle, stacked and on top, `same` padding, local and 1x1 sharing (which a witness
// leaves out: the bound holds for every sharing), M = 2 and 3.
const char* const architectures[] = {
    "--input 8 --layers 3/1/2,6/1/1",
    "--input 6 --layers 3/1/2,4/1/2 --partition odd-even",
    "--input 8 --layers 3/1/2,3/1/2,4/1/1",
    "--input 8 --templates 3 --layers 2/1/3,2/1/2,2/1/2,5/1/1 --partition mask:10110010",
    "--input 8 --layers 2/2/2,2/2/2,2/2/1 --partition odd-even",
    "--input 4 --layers 2/2/2,2/2/1",
    "--input 8 --layers 2/2/2,2/2/2,2/2/1 --padding same",
    "--input 9 --layers 3/2/2,4/1/2",
    "--input 9 --layers 3/2/2,4/1/2 --partition odd-even",
    "--input 5 --layers 2/1/2,4/1/2",
    "--input 8 --layers pool2/2,2/2/3,pool2/2",
    "--input 8 --layers pool3/1,3/1/2,4/1/1 --partition odd-even",
    "--input 8 --layers 2/1/2,pool2/1,pool2/1,5/1/1 --partition odd-even",
    "--input 6 --layers 2/1/4,pool2/1,4/1/2",
    "--input 7 --layers 3/2/2,pool2/2,2/2/2 --padding same --partition odd-even",
    "--input 6 --layers 3/2/2,3/2/2,2/2/1 --padding same --partition indices:0,3,4",
    "--input 6 --templates 3 --layers 6/1/5 --partition mask:101100",
    "--input 8 --templates 3 --layers 4/1/3,5/1/2 --sharing local --partition top-bottom",
    "--input 8 --layers 2/2/2,2/2/1,2/2/3 --sharing 1x1",
    "--input 4x4 --layers 2/2/2,2/2/16",
    "--input 4x4 --layers 2/2/2,2/2/2 --partition odd-even",
    "--input 4x4 --layers 2/2/2,2/2/2 --partition top-bottom",
    "--input 4x4 --layers 3/1/2,2/1/2",
    "--input 4x4 --layers 3/1/4,2/2/4,pool1/1 --partition odd-even",
    "--input 4x4 --layers 1/1/2,pool2/2,2/2/2 --sharing 1x1 --partition odd-even",
    "--input 4x4 --layers 2/1/2,pool3/1 --partition odd-even",
    "--input 4x4 --templates 3 --layers 2/2/3,2/2/2 --sharing local --partition mask:1100110000110011",
    "--input 3x3 --layers 2/1/3,2/1/2 --partition odd-even",
    "--input 3x3 --layers 2/1/2,2/1/1 --partition indices:0,1,3,4,6,7",
    "--input 3x4 --layers 2/1/2,2/2/2 --partition top-bottom",
    "--input 5x5 --layers 2/1/2,2/1/2,3/1/1 --partition top-bottom",
    "--input 2x6 --layers 2/2/3,pool3/3 --padding same",
    "--input 6x6 --layers 2/2/1,pool3/3 --partition top-bottom",
    "--input 8x8 --layers 2/2/2,2/2/2,2/2/2 --partition odd-even",
};

// What the spec says an item costs (docs/cut-witness.md "Vertices" and "Edges"), from the
// architecture alone: C_l per layer (a pool layer keeps C_{l-1}; C_0 = M).
struct Costs {
  std::vector<long long> channels;  // channels[l] = C_l, l = 0..L
  std::size_t layers = 0;

  explicit Costs(const Json& architecture) {
    channels.push_back(architecture["templates"].get<long long>());
    for (const Json& layer : architecture["layers"])
      channels.push_back(layer["kind"] == "pool" ? channels.back() : layer["channels"].get<long long>());
    layers = channels.size() - 1;
  }
  // The layer (1..L) of the reading a path of `depth` offsets names.
  std::size_t layer_at(std::size_t depth) const { return layers - depth; }
  long long of(const Json& item) const {
    if (item.contains("input")) return channels[0];
    if (item.contains("unit")) return channels[layer_at(item["unit"].size())];
    const std::size_t reader = layer_at(item["matrix"].size() - 1);  // the layer that reads through it
    return std::min(channels[reader - 1], channels[reader]);
  }
};

// Window offsets of a unit of layer l (1..L): R in 1D, R^2 in 2D.
long long offsets_of(const Json& witness, std::size_t l) {
  const long long window = witness["architecture"]["layers"][l - 1]["window"].get<long long>();
  return witness["architecture"]["input"]["dims"] == 2 ? window * window : window;
}

std::string path_key(const Json& item) { return item.contains("unit") ? "unit" : "matrix"; }

}  // namespace

TEST_CASE("cut witnesses written by seprank bound are verified by seprank-check") {
  TempDir dir;
  int count = 0, inputs = 0, units = 0, matrices = 0;
  for (const char* args : architectures) {
    CAPTURE(args);
    const Bound b = bound_with_witness(dir, args);
    const std::string claimed = b.witness["claim"]["rank_at_most"].get<std::string>();
    CHECK(claimed == b.upper_bound);
    CHECK_FALSE(b.witness["architecture"].contains("sharing"));  // the bound holds for every sharing
    const Checked c = check_doc(dir, b.witness);
    CHECK(c.exit_code == 0);
    CHECK(c.line == "VERIFIED: rank <= " + claimed + " for all weights");
    for (const Json& item : b.witness["cut"]) {
      inputs += item.contains("input");
      units += item.contains("unit");
      matrices += item.contains("matrix");
    }
    ++count;
  }
  CHECK(count >= 30);
  // The architectures exercise every kind of cut item.
  CHECK(inputs > 0);
  CHECK(units > 0);
  CHECK(matrices > 0);
}

TEST_CASE("single-edit mutants of written cut witnesses are rejected with the exit code of the spec") {
  TempDir dir;
  int mutants = 0, channel_mutants = 0;
  for (const char* args : architectures) {
    CAPTURE(args);
    const Json w = bound_with_witness(dir, args).witness;
    const Costs costs(w["architecture"]);
    const std::string bound = w["claim"]["rank_at_most"];
    const long long n = w["architecture"]["input"]["height"].get<long long>() * w["architecture"]["input"]["width"].get<long long>();
    auto expect = [&](const Json& mutant, int code, const std::string& what) {
      CAPTURE(what);
      const Checked c = check_doc(dir, mutant);
      CAPTURE(c.line);
      CHECK(c.exit_code == code);
      CHECK(c.line.rfind(code == 1 ? "NOT VERIFIED: refuted: " : "NOT VERIFIED: malformed: ", 0) == 0);
      ++mutants;
    };
    const Json& cut = w["cut"];
    for (std::size_t i = 0; i < cut.size(); ++i) {
      // Dropping an item of cost c > 1: either the rest no longer separates, or it still does
      // and its product is B / c != B. Refuted either way. (An item of cost 1 may be redundant.)
      if (costs.of(cut[i]) > 1) {
        Json m = w;
        m["cut"].erase(m["cut"].begin() + static_cast<std::ptrdiff_t>(i));
        expect(m, 1, "drop cut[" + std::to_string(i) + "]");
      }
      // An item twice: malformed.
      Json twice = w;
      twice["cut"].push_back(cut[i]);
      expect(twice, 2, "cut[" + std::to_string(i) + "] twice");
      if (cut[i].contains("input")) {  // a position outside [0, H*W)
        Json m = w;
        m["cut"][i]["input"] = n;
        expect(m, 2, "input out of range");
        continue;
      }
      // A path's last offset moved past the window (offsets run 0..K-1), or made negative.
      const std::string key = path_key(cut[i]);
      const std::size_t depth = cut[i][key].size();
      if (depth == 0) continue;  // the top unit's empty path has no offset to change
      const std::size_t reader = costs.layer_at(depth - 1);
      Json past = w;
      past["cut"][i][key][depth - 1] = offsets_of(w, reader);
      expect(past, 2, "offset " + std::to_string(offsets_of(w, reader)) + " of a window of that many offsets");
      Json negative = w;
      negative["cut"][i][key][depth - 1] = -1;
      expect(negative, 2, "a negative offset");
    }
    // The claimed bound one more or one less: the product differs (one less than 1 is 0, not
    // a positive integer: malformed).
    Json more = w, less = w;
    more["claim"]["rank_at_most"] = std::to_string(std::stoll(bound) + 1);
    less["claim"]["rank_at_most"] = std::to_string(std::stoll(bound) - 1);
    expect(more, 1, "rank_at_most + 1");
    expect(less, bound == "1" ? 2 : 1, "rank_at_most - 1");
    // The partition: I without its last position, spec kept (it names another I), or the spec
    // naming J instead of I.
    Json fewer = w;
    fewer["partition"]["I"].erase(fewer["partition"]["I"].end() - 1);
    if (fewer["partition"].contains("spec") && !fewer["partition"]["I"].empty())
      expect(fewer, 2, "partition.I without its last position");
    std::string complement(static_cast<std::size_t>(n), '1');
    for (const Json& p : w["partition"]["I"]) complement[p.get<std::size_t>()] = '0';
    Json swapped = w;
    swapped["partition"]["spec"] = "mask:" + complement;
    expect(swapped, 2, "partition.spec naming J");
    // A layer's channels one more: every cost is C_l, M or min(C_{l-1}, C_l), so none falls and
    // the network's shape is the same (the cut still separates); the product grows strictly
    // when some cut item costs exactly what changed. A unit item of layer l costs C_l, which is
    // the channels of the nearest gc layer at or below l.
    for (const Json& item : cut) {
      if (!item.contains("unit")) continue;
      std::size_t l = costs.layer_at(item["unit"].size());
      while (l >= 1 && w["architecture"]["layers"][l - 1]["kind"] == "pool") --l;
      if (l == 0) continue;  // C_l is M
      Json m = w;
      m["architecture"]["layers"][l - 1]["channels"] = costs.channels[l] + 1;
      expect(m, 1, "layer " + std::to_string(l) + " channels + 1");
      ++channel_mutants;
      break;
    }
    // The same with M, when an input is cut (an input costs M).
    if (std::any_of(cut.begin(), cut.end(), [](const Json& item) { return item.contains("input"); })) {
      Json m = w;
      m["architecture"]["templates"] = costs.channels[0] + 1;
      expect(m, 1, "templates + 1");
    }
    // Keys the architecture of a witness may not have.
    Json sharing = w;
    sharing["architecture"]["sharing"] = "conv";
    expect(sharing, 2, "architecture.sharing");
  }
  CHECK(mutants >= 300);
  CHECK(channel_mutants >= 5);
}

TEST_CASE("mutants of particular witnesses, with the reason for each expected code") {
  TempDir dir;
  SUBCASE("a window widened under same padding joins I and J below the cut") {
    // 8 inputs, 2/2/2 three times, left-right (I = 0..3): the cut is one matrix above layer 1.
    // With layer 1's window 4 (same padding: pad 1 before) unit 1 reads inputs 1..4, so 3 in I
    // and 4 in J meet at a copy tensor the cut leaves: refuted.
    Json w = bound_with_witness(dir, "--input 8 --layers 2/2/2,2/2/2,2/2/1 --padding same").witness;
    for (const Json& item : w["cut"]) REQUIRE((!item.contains("input") && item[path_key(item)].size() <= 1));
    w["architecture"]["layers"][0]["window"] = 4;
    const Checked c = check_doc(dir, w);
    CAPTURE(c.line);
    CHECK(c.exit_code == 1);
    CHECK(c.line.find("does not separate") != std::string::npos);
  }
  SUBCASE("a window widened under valid padding breaks the geometry") {
    // 8 inputs, 3/1/2 then 6/1/1: layer 1 leaves 6 positions, a window of 7 does not fit.
    Json w = bound_with_witness(dir, "--input 8 --layers 3/1/2,6/1/1").witness;
    w["architecture"]["layers"][1]["window"] = 7;
    const Checked c = check_doc(dir, w);
    CHECK(c.exit_code == 2);
    CHECK(c.line.find("architecture.layers[1]") != std::string::npos);
  }
  SUBCASE("a sibling offset cuts the wrong unit") {
    // 4x4, 2/2/2 then 2/2/16, left-right: the cut is the two layer-1 units holding I (offsets 0
    // and 2 of the top unit's 2x2 window); offset 1 instead leaves unit (1,0), which joins I's
    // rows 2-3 to the top and so to J.
    Json w = bound_with_witness(dir, "--input 4x4 --layers 2/2/2,2/2/16").witness;
    REQUIRE(w["cut"] == Json::parse(R"([{"unit":[0]},{"unit":[2]}])"));
    w["cut"][1]["unit"][0] = 1;
    const Checked c = check_doc(dir, w);
    CHECK(c.exit_code == 1);
    CHECK(c.line.find("does not separate") != std::string::npos);
  }
  SUBCASE("a reading merged into a pool layer has no vertex and is read through no matrix") {
    // 8 inputs, pool2/2, 2/2/3, pool2/2: the top pool layer's children (paths [0], [1]) belong
    // to its vertex; the layer-1 pool readings ([0,0], ...) are read by a gc layer and have one.
    Json w = bound_with_witness(dir, "--input 8 --layers pool2/2,2/2/3,pool2/2").witness;
    Json unit = w, matrix = w, own = w;
    unit["cut"] = Json::parse(R"([{"unit":[0]}])");
    matrix["cut"] = Json::parse(R"([{"matrix":[1]}])");
    own["cut"] = Json::parse(R"([{"unit":[0,0]},{"unit":[0,1]}])");  // costs M = 2 each: 4
    own["claim"]["rank_at_most"] = "4";
    CHECK(check_doc(dir, unit).exit_code == 2);
    CHECK(check_doc(dir, matrix).exit_code == 2);
    // The two layer-1 pool readings under the left layer-2 unit hold I = 0..3 and nothing else.
    const Checked c = check_doc(dir, own);
    CHECK(c.exit_code == 0);
    CHECK(c.line == "VERIFIED: rank <= 4 for all weights");
  }
  SUBCASE("malformed documents and values") {
    const Json w = bound_with_witness(dir, "--input 4x4 --layers 2/2/2,2/2/16").witness;
    auto code = [&](const std::function<void(Json&)>& edit) {
      Json m = w;
      edit(m);
      return check_doc(dir, m).exit_code;
    };
    CHECK(code([](Json& m) { m["claim"]["rank_at_most"] = 4; }) == 2);
    CHECK(code([](Json& m) { m["claim"]["rank_at_most"] = "04"; }) == 2);
    CHECK(code([](Json& m) { m["claim"]["rank_at_most"] = "+4"; }) == 2);
    CHECK(code([](Json& m) { m["claim"]["rank_at_most"] = "0"; }) == 2);
    CHECK(code([](Json& m) { m["claim"]["rank_at_most"] = " 4"; }) == 2);
    CHECK(code([](Json& m) { m["format"] = "seprank-cut-witnes"; }) == 2);
    CHECK(code([](Json& m) { m.erase("format"); }) == 2);
    CHECK(code([](Json& m) { m["format_version"] = 2; }) == 2);
    CHECK(code([](Json& m) { m.erase("cut"); }) == 2);
    CHECK(code([](Json& m) { m["cut"][0]["input"] = 0; }) == 2);             // two keys
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"node":[0]})"); }) == 2);
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"matrix":[]})"); }) == 2);
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"unit":[0,0]})"); }) == 2);  // past layer 1
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"matrix":[0,0,0]})"); }) == 2);
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"unit":[0.0]})"); }) == 2);
    CHECK(code([](Json& m) { m["cut"][0] = Json::parse(R"({"input":true})"); }) == 2);
    CHECK(code([](Json& m) { m["architecture"]["layers"][0]["weights"] = Json::array(); }) == 2);
    CHECK(code([](Json& m) { m["architecture"]["representation"] = Json::array(); }) == 2);
    CHECK(code([](Json& m) { m["architecture"]["input"]["depth"] = 1; }) == 2);
    // Unknown keys outside the architecture are ignored, as in certificates.
    CHECK(code([](Json& m) { m["note"] = "x"; m["claim"]["note"] = "x"; m["partition"]["vary"] = "x"; }) == 0);
    // The same cut, items in another order: still the same cut.
    CHECK(code([](Json& m) { std::swap(m["cut"][0], m["cut"][1]); }) == 0);
    // Without spec, the recorded I alone is the partition.
    CHECK(code([](Json& m) { m["partition"].erase("spec"); }) == 0);
  }
  SUBCASE("the trivial cut and a bound beyond 64 bits") {
    // 8x8 through 3/1/2 three times (8 -> 6 -> 4 -> 2) and 2/1/2, odd-even: cutting the 32
    // inputs of I separates whatever the layers, at M^32; with M = 64 that is 2^192.
    Json w = bound_with_witness(dir, "--input 8x8 --layers 3/1/2,3/1/2,3/1/2,2/1/2 --partition odd-even").witness;
    Json trivial = w;
    trivial["cut"] = Json::array();
    for (const Json& p : w["partition"]["I"]) trivial["cut"].push_back({{"input", p}});
    trivial["architecture"]["templates"] = 64;
    trivial["claim"]["rank_at_most"] = "6277101735386680763835789423207666416102355444464034512896";  // 2^192
    const Checked c = check_doc(dir, trivial);
    CHECK(c.exit_code == 0);
    CHECK(c.line == "VERIFIED: rank <= 6277101735386680763835789423207666416102355444464034512896 for all weights");
    trivial["claim"]["rank_at_most"] = "6277101735386680763835789423207666416102355444464034512897";
    CHECK(check_doc(dir, trivial).exit_code == 1);
  }
}

TEST_CASE("committed witnesses are reproduced byte for byte from MANIFEST and verified") {
  std::ifstream manifest(witnesses / "MANIFEST");
  REQUIRE(manifest);
  TempDir dir;
  std::string line;
  int count = 0;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t bar = line.find('|');
    REQUIRE(bar != std::string::npos);
    std::string name = line.substr(0, bar);
    name.erase(name.find_last_not_of(' ') + 1);
    CAPTURE(name);
    const fs::path out = dir.path / name;
    const auto r = run(seprank_command("bound " + line.substr(bar + 1) + " --witness '" + out.string() + "' --force"));
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(out) == read_file(witnesses / name));
    const Json doc = Json::parse(read_file(witnesses / name));
    const Checked c = check_file(witnesses / name);
    CHECK(c.exit_code == 0);
    CHECK(c.line == "VERIFIED: rank <= " + doc["claim"]["rank_at_most"].get<std::string>() + " for all weights");
    ++count;
  }
  CHECK(count >= 8);
  int files = 0;  // and MANIFEST lists every committed witness
  for (const auto& entry : fs::directory_iterator(witnesses)) files += entry.path().extension() == ".json";
  CHECK(files == count);
}

TEST_CASE("committed broken witnesses are rejected by seprank-check with the code their name gives") {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(witnesses / "broken")) {
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    const int expected = name.rfind("refuted-", 0) == 0 ? 1 : name.rfind("malformed-", 0) == 0 ? 2 : -1;
    REQUIRE(expected > 0);
    const Checked c = check_file(entry.path());
    CAPTURE(c.line);
    CHECK(c.exit_code == expected);
    CHECK(c.line.rfind(expected == 1 ? "NOT VERIFIED: refuted: " : "NOT VERIFIED: malformed: ", 0) == 0);
    ++count;
  }
  CHECK(count >= 20);
}

TEST_CASE("seprank-check tells certificates and witnesses apart by format, and has --help and --version") {
  const Checked certificate = check_file(source_dir / "proofs" / "certificates" / "c2-1d-window3.json");
  CHECK(certificate.exit_code == 0);
  CHECK(certificate.line.rfind("VERIFIED: rank >= ", 0) == 0);
  const Checked witness = check_file(witnesses / "2d-quad-tree-wide-top.json");
  CHECK(witness.exit_code == 0);
  CHECK(witness.line == "VERIFIED: rank <= 4 for all weights");
  TempDir dir;
  Json other = Json::parse(read_file(witnesses / "2d-quad-tree-wide-top.json"));
  other["format"] = "seprank-proof-bundle";
  CHECK(check_doc(dir, other).exit_code == 2);
  other["format"] = 1;
  CHECK(check_doc(dir, other).exit_code == 2);
  CHECK(check_doc(dir, Json::array()).exit_code == 2);
  const std::string binary = SEPRANK_CHECK_BINARY;
  const auto help = run(binary + " --help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.rfind("usage: seprank-check FILE", 0) == 0);
  CHECK(help.out.find("--bundle DIR") != std::string::npos);
  const auto version = run(binary + " --version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("seprank-check ", 0) == 0);
  CHECK(version.out.size() > std::string("seprank-check \n").size());
  CHECK(run(binary).exit_code == 3);
  CHECK(run(binary + " --bundle").exit_code == 3);
  CHECK(run(binary + " a b").exit_code == 3);
  CHECK(run(binary + " '" + (dir.path / "absent.json").string() + "'").exit_code == 3);
}

namespace {

std::string sha256_of(const fs::path& file) {
  const auto r = run("sha256sum '" + file.string() + "'");
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, 64);
}

// A bundle made here from a certificate and a witness of one network, entries chosen so that
// docs/proof-bundle.md's verdict function gives each status: with r = B = 4 (the certificate
// proves rank >= 4, the witness rank <= 4),
//   claim 1: lower 4           -> PROVEN (r >= L)
//   claim 2: upper 4           -> PROVEN (B <= U)
//   claim 3: lower 5           -> REFUTED (B < L)
//   claim 4: no bound          -> PROVEN (r and B both present)
//   claim 5: lower 2, no r     -> SKIPPED (B >= L, r absent)
//   claim 6: a false hypothesis -> N/A
//   claim 7: lower 1, no upper -> TRIVIAL (no numbers, no evidence)
// 7 verdicts, 3 PROVEN, 1 TRIVIAL, 1 REFUTED; 4 + 4 + 1 evidence files.
struct Bundle {
  fs::path dir;
  Json manifest;

  explicit Bundle(const fs::path& where) : dir(where) {
    fs::create_directories(dir / "theorems");
    fs::create_directories(dir / "evidence" / "T");
    write_file(dir / "theorems" / "T.toml", "# a theorem file, copied byte for byte\n");
    const std::string network = "--input 8 --layers 3/1/2,6/1/1";  // C2: rank 4 = min-cut 4
    const fs::path certificate = dir / "evidence" / "T" / "rank.json", witness = dir / "evidence" / "T" / "cut.json";
    REQUIRE(run(seprank_command("certify " + network + " -o '" + certificate.string() + "'")).exit_code == 0);
    REQUIRE(run(seprank_command("bound " + network + " --witness '" + witness.string() + "' --force")).exit_code == 0);
    const Json cert = Json::parse(read_file(certificate));
    REQUIRE(cert["claim"]["rank_at_least"] == 4);
    REQUIRE(Json::parse(read_file(witness))["claim"]["rank_at_most"] == "4");
    Json architecture = Json::parse(read_file(witness))["architecture"];
    architecture["sharing"] = "conv";
    const Json partition = {{"spec", "left-right"}, {"I", Json::array({0, 1, 2, 3})}};
    const std::string certificate_sha = sha256_of(certificate), witness_sha = sha256_of(witness);
    auto entry = [&](int claim, const Json& lower, const Json& upper, bool rank, const char* verdict) {
      Json e = {{"claim", claim}, {"claim_name", ""}, {"instance", 1}, {"parameters", {{"N", "8"}}},
                {"hypotheses", Json::array()}, {"lower", lower}, {"upper", upper}, {"architecture", architecture},
                {"partition", partition}, {"certified_rank", rank ? Json("4") : Json()},
                {"prime", rank ? cert["claim"]["prime"] : Json()}, {"min_cut", "4"},
                {"verdict", verdict}, {"certificate", rank ? Json("evidence/T/rank.json") : Json()},
                {"certificate_sha256", rank ? Json(certificate_sha) : Json()}, {"cut_witness", "evidence/T/cut.json"},
                {"cut_witness_sha256", witness_sha}};
      return e;
    };
    auto bound = [](const char* value) { return Json{{"expression", value}, {"value", value}}; };
    Json not_applicable = entry(6, Json(), Json(), false, "N/A");
    for (const char* key : {"architecture", "partition", "min_cut", "cut_witness", "cut_witness_sha256"})
      not_applicable[key] = nullptr;
    not_applicable["hypotheses"] = Json::array({"N < 0"});
    Json trivial = entry(7, bound("1"), Json(), false, "TRIVIAL");
    for (const char* key : {"min_cut", "cut_witness", "cut_witness_sha256"}) trivial[key] = nullptr;
    Json theorem = Json::object();
    theorem["id"] = "T";
    theorem["file"] = "theorems/T.toml";
    theorem["file_sha256"] = sha256_of(dir / "theorems" / "T.toml");
    theorem["entries"] = Json::array({entry(1, bound("4"), Json(), true, "PROVEN"), entry(2, Json(), bound("4"), true, "PROVEN"),
                                      entry(3, bound("5"), Json(), true, "REFUTED"), entry(4, Json(), Json(), true, "PROVEN"),
                                      entry(5, bound("2"), Json(), false, "SKIPPED"), not_applicable, trivial});
    manifest = {{"format", "seprank-proof-bundle"}, {"format_version", 3}, {"seprank_version", "test"},
                {"prime", cert["claim"]["prime"]}, {"seed", 1}, {"extended", false},
                {"theorems", Json::array({theorem})},
                {"summary", {{"proven", 3}, {"trivial", 1}, {"consistent", 0}, {"unconfirmed", 0}, {"refuted", 1},
                             {"skipped", 1}, {"not_applicable", 1}, {"checks", 7}, {"evidence_checked", 4}, {"ok", false}}}};
    save(manifest);
  }
  void save(const Json& m) const { write_file(dir / "manifest.json", m.dump(1) + "\n"); }
  Checked check() const {
    const auto r = run(std::string(SEPRANK_CHECK_BINARY) + " --bundle '" + dir.string() + "'");
    std::string line = r.out;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return {r.exit_code, line};
  }
  Json& entry(int k) { return manifest["theorems"][0]["entries"][static_cast<std::size_t>(k)]; }
};

}  // namespace

TEST_CASE("seprank-check --bundle verifies a bundle and rejects its edits with the codes of docs/proof-bundle.md") {
  TempDir dir;
  Bundle bundle(dir.path / "bundle");
  const Checked ok = bundle.check();
  CHECK(ok.exit_code == 0);
  CHECK(ok.line == "VERIFIED: bundle of 7 verdicts (3 PROVEN, 1 TRIVIAL, 1 REFUTED), 9 pieces of evidence checked");

  // Each edit of the manifest, then the manifest restored.
  const Json original = bundle.manifest;
  auto edited = [&](const std::function<void(Bundle&)>& edit, int code, const std::string& what) {
    CAPTURE(what);
    bundle.manifest = original;
    edit(bundle);
    bundle.save(bundle.manifest);
    const Checked c = bundle.check();
    CAPTURE(c.line);
    CHECK(c.exit_code == code);
    CHECK(c.line.rfind("NOT VERIFIED: ", 0) == 0);
  };
  // Refuted (1): what the bundle claims does not hold.
  edited([](Bundle& b) { b.entry(0)["verdict"] = "CONSISTENT"; }, 1, "a verdict not the function of its numbers");
  edited([](Bundle& b) { b.entry(2)["verdict"] = "PROVEN"; }, 1, "REFUTED recorded as PROVEN");
  edited([](Bundle& b) { b.entry(4)["verdict"] = "PROVEN"; }, 1, "SKIPPED recorded as PROVEN");
  edited([](Bundle& b) { b.entry(0)["lower"]["value"] = "5"; }, 1, "a lower bound that B refutes, still PROVEN");
  edited([](Bundle& b) { b.entry(0)["certified_rank"] = "5"; }, 1, "r beyond its certificate");
  edited([](Bundle& b) { b.entry(0)["min_cut"] = "5"; }, 1, "B beyond its witness");
  edited([](Bundle& b) { b.entry(0)["architecture"]["layers"][0]["channels"] = 3; }, 1, "another network");
  edited([](Bundle& b) { b.entry(0)["architecture"]["sharing"] = "local"; }, 1, "another sharing");
  edited([](Bundle& b) { b.entry(0)["partition"] = {{"spec", "odd-even"}, {"I", Json::array({0, 2, 4, 6})}}; }, 1,
         "another partition");
  edited([](Bundle& b) { b.entry(0)["certificate"] = nullptr; b.entry(0)["certificate_sha256"] = nullptr; }, 1,
         "r >= 1 without its certificate");
  edited([](Bundle& b) { b.entry(5)["min_cut"] = "4"; }, 1, "an N/A entry with a number");
  edited([](Bundle& b) { b.entry(5)["verdict"] = "SKIPPED"; b.manifest["summary"]["skipped"] = 2;
                         b.manifest["summary"]["not_applicable"] = 0; }, 1, "N/A turned SKIPPED: no architecture");
  edited([](Bundle& b) { b.manifest["theorems"][0]["entries"].push_back(b.entry(0)); b.manifest["summary"]["proven"] = 4;
                         b.manifest["summary"]["checks"] = 7; b.manifest["summary"]["evidence_checked"] = 5; }, 1,
         "two entries for one claim and instance");
  edited([](Bundle& b) { b.manifest["summary"]["proven"] = 2; }, 1, "a summary count");
  edited([](Bundle& b) { b.manifest["summary"]["evidence_checked"] = 9; }, 1, "evidence_checked counts files");
  edited([](Bundle& b) { b.manifest["summary"]["ok"] = true; }, 1, "ok with a REFUTED verdict");
  // TRIVIAL exactly when L <= 1 and U is absent, and then with no numbers and no evidence.
  edited([](Bundle& b) { b.entry(6)["verdict"] = "PROVEN"; b.manifest["summary"]["proven"] = 4;
                         b.manifest["summary"]["trivial"] = 0; }, 1, "TRIVIAL turned PROVEN");
  edited([](Bundle& b) { b.entry(0)["lower"] = {{"expression", "1"}, {"value", "1"}}; }, 1,
         "PROVEN with evidence, but L = 1 and no U: TRIVIAL");
  edited([](Bundle& b) { b.entry(0)["lower"] = {{"expression", "0"}, {"value", "0"}}; }, 1, "PROVEN with L = 0");
  edited([](Bundle& b) { b.entry(6)["lower"] = {{"expression", "2"}, {"value", "2"}}; }, 1, "TRIVIAL with L = 2");
  edited([](Bundle& b) { b.entry(6)["upper"] = {{"expression", "8"}, {"value", "8"}}; }, 1, "TRIVIAL with an upper bound");
  edited([](Bundle& b) {
           for (const char* key : {"certified_rank", "prime", "min_cut", "certificate", "certificate_sha256",
                                   "cut_witness", "cut_witness_sha256"})
             b.entry(6)[key] = b.entry(0)[key];
         }, 1, "TRIVIAL with numbers and their evidence");
  edited([](Bundle& b) { b.entry(3)["verdict"] = "TRIVIAL"; b.manifest["summary"]["proven"] = 2;
                         b.manifest["summary"]["trivial"] = 2; b.manifest["summary"]["evidence_checked"] = 3; }, 1,
         "a consistency claim (no bound) turned TRIVIAL");
  edited([](Bundle& b) { b.manifest["summary"]["trivial"] = 0; }, 1, "the TRIVIAL count");
  edited([](Bundle& b) { b.manifest["summary"].erase("trivial"); }, 2, "a summary without the TRIVIAL count");
  // Malformed (2): the form of the bundle.
  edited([](Bundle& b) { b.entry(0)["certificate_sha256"] = std::string(64, '0'); }, 2, "an evidence hash");
  edited([](Bundle& b) { b.manifest["theorems"][0]["file_sha256"] = std::string(64, '0'); }, 2, "a theorem hash");
  edited([](Bundle& b) { b.entry(0)["cut_witness"] = "evidence/T/../T/cut.json"; }, 2, "a path with ..");
  edited([](Bundle& b) { b.entry(0)["cut_witness"] = (b.dir / "evidence" / "T" / "cut.json").string(); }, 2,
         "an absolute path");
  edited([](Bundle& b) { b.entry(0)["cut_witness"] = "evidence/T/none.json"; }, 2, "a missing file");
  edited([](Bundle& b) { b.entry(0)["cut_witness"] = "evidence/T"; }, 2, "a directory");
  edited([](Bundle& b) { b.entry(0)["certificate"] = "evidence/T/cut.json";
                         b.entry(0)["certificate_sha256"] = b.entry(0)["cut_witness_sha256"]; }, 2,
         "a witness where a certificate belongs");
  edited([](Bundle& b) { b.entry(0).erase("hypotheses"); }, 2, "a missing key");
  edited([](Bundle& b) { b.entry(0)["certified_rank"] = 4; }, 2, "a number that is not a string");
  edited([](Bundle& b) { b.entry(0)["lower"]["value"] = "04"; }, 2, "a value with a leading zero");
  edited([](Bundle& b) { b.entry(0)["certificate_sha256"] = nullptr; }, 2, "a path without its hash");
  edited([](Bundle& b) { b.entry(0)["partition"]["spec"] = "odd-even"; }, 2, "a spec that names another I");
  edited([](Bundle& b) { b.entry(0)["architecture"]["layers"][1]["window"] = 7; }, 2, "an invalid architecture");
  edited([](Bundle& b) { b.manifest["theorems"][0]["file"] = "theorems/./T.toml"; }, 2, "a theorem file name");
  edited([](Bundle& b) { b.manifest["theorems"][0]["id"] = "T 1"; }, 2, "an ID with a space");
  edited([](Bundle& b) { b.manifest["prime"] = 100; }, 2, "a prime that is not prime");
  edited([](Bundle& b) { b.manifest["summary"]["ok"] = 0; }, 2, "a summary of the wrong type");
  edited([](Bundle& b) { b.manifest["format_version"] = 4; }, 2, "another format version");
  edited([](Bundle& b) { b.manifest["format_version"] = 1; }, 2, "version 1, from before TRIVIAL");
  edited([](Bundle& b) { b.manifest["format_version"] = 2; }, 2, "version 2, from before each entry's prime");
  // An entry's prime: present exactly when its rank is, a prime, and its certificate's.
  edited([](Bundle& b) { b.entry(0)["prime"] = nullptr; }, 2, "a rank without its prime");
  edited([](Bundle& b) { b.entry(4)["prime"] = b.entry(0)["prime"]; }, 2, "a prime without a rank");
  edited([](Bundle& b) { b.entry(0)["prime"] = 100; }, 2, "an entry prime that is not prime");
  edited([](Bundle& b) { b.entry(0)["prime"] = 101; }, 1, "an entry prime other than its certificate's");

  // Bytes of the manifest itself, and of the directory.
  bundle.save(original);
  const std::string text = read_file(bundle.dir / "manifest.json");
  write_file(bundle.dir / "manifest.json", text + "{}");
  CHECK(bundle.check().exit_code == 2);
  write_file(bundle.dir / "manifest.json", "{\"format\": 1, " + text.substr(1));
  CHECK(bundle.check().exit_code == 2);
  fs::remove(bundle.dir / "manifest.json");
  CHECK(bundle.check().exit_code == 3);
  const auto absent = run(std::string(SEPRANK_CHECK_BINARY) + " --bundle '" + (dir.path / "absent").string() + "'");
  CHECK(absent.exit_code == 3);
  // An evidence file edited after its hash was recorded.
  bundle.save(original);
  write_file(bundle.dir / "evidence" / "T" / "cut.json", read_file(bundle.dir / "evidence" / "T" / "cut.json") + " ");
  CHECK(bundle.check().exit_code == 2);
}
