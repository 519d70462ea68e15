// Issue 18: a certificate binds its index sets to the partition it names (partition.spec) and
// to the submatrix it was taken from (partition.vary), docs/certificate-format.md. Both
// checkers must accept what seprank certifies for every partition kind, 1D and 2D, odd widths,
// --vary all/auto/mask/indices with --fixed-templates, and reject as malformed (exit 2) every
// copy whose recorded sets disagree with their names, and the committed broken/malformed-binding-*.
// The expected sets are computed here from the definitions of docs/model.md, never by src/.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
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
const fs::path certificates = source_dir / "proofs" / "certificates";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Verdicts {
  test_support::ProcessResult cxx, python;
};

Verdicts check_both(const fs::path& file) {
  return {run(std::string(SEPRANK_CHECK_BINARY) + " '" + file.string() + "'"),
          run("python3 '" + (source_dir / "checker" / "check_certificate.py").string() + "' '" + file.string() + "'")};
}

// Both checkers: malformed, and the message names `what` (the key whose binding fails).
void expect_malformed(const fs::path& file, const std::string& what) {
  const Verdicts v = check_both(file);
  CAPTURE(v.cxx.out);
  CAPTURE(v.python.out);
  CHECK(v.cxx.exit_code == 2);
  CHECK(v.python.exit_code == 2);
  CHECK(v.cxx.out.rfind("NOT VERIFIED: malformed: ", 0) == 0);
  CHECK(v.python.out.rfind("NOT VERIFIED: malformed: ", 0) == 0);
  CHECK(v.cxx.out.find(what) != std::string::npos);
  CHECK(v.python.out.find(what) != std::string::npos);
}

// A scratch directory per process (ctest runs test cases in separate processes at once), and
// the checks queued in it: check_all() runs seprank-check once per file and the Python checker
// once for all of them (its start-up is most of the time of a small check), calling its main()
// as its __main__ block does; the committed broken certificates run it as a process.
struct TempDir {
  struct Pending {
    fs::path file;
    int expected;
    std::string what, description;
  };
  fs::path path = fs::temp_directory_path() / ("seprank_binding_test_" + std::to_string(::getpid()));
  int count = 0;
  std::vector<Pending> pending;

  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const Json& doc) {
    const fs::path file = path / ("copy-" + std::to_string(count++) + ".json");
    std::ofstream(file, std::ios::binary) << doc.dump() << "\n";
    return file;
  }
  // Queues: both checkers must say `expected` (0 verified, 2 malformed naming `what`) of doc.
  void expect(const Json& doc, int expected, const std::string& what) {
    pending.push_back({write(doc), expected, what, doc["partition"].dump()});
  }
  void check_all() {
    if (pending.empty()) return;
    const fs::path driver = path / "check_all.py";
    std::ofstream(driver) << "import importlib.util, sys\n"
                             "spec = importlib.util.spec_from_file_location('check_certificate', sys.argv[1])\n"
                             "module = importlib.util.module_from_spec(spec)\n"
                             "spec.loader.exec_module(module)\n"
                             "for name in sys.argv[2:]:\n"
                             "    code, line = module.main(['check_certificate.py', name])\n"
                             "    line = ' '.join(line.split()).encode('ascii', 'backslashreplace').decode('ascii')\n"
                             "    print(code, line)\n";
    std::string command = "python3 '" + driver.string() + "' '" +
                          (source_dir / "checker" / "check_certificate.py").string() + "'";
    for (const Pending& p : pending) command += " '" + p.file.string() + "'";
    const auto python = run(command);
    REQUIRE_MESSAGE(python.exit_code == 0, python.err);
    std::istringstream lines(python.out);
    for (const Pending& p : pending) {
      std::string line;
      REQUIRE(std::getline(lines, line));
      const std::size_t space = line.find(' ');
      REQUIRE(space != std::string::npos);
      const int python_code = std::stoi(line.substr(0, space));
      const std::string python_out = line.substr(space + 1);
      const auto cxx = run(std::string(SEPRANK_CHECK_BINARY) + " '" + p.file.string() + "'");
      CAPTURE(p.description);
      CAPTURE(cxx.out);
      CAPTURE(python_out);
      CHECK(cxx.exit_code == p.expected);
      CHECK(python_code == p.expected);
      const std::string start = p.expected == 0 ? "VERIFIED: rank >= " : "NOT VERIFIED: malformed: ";
      CHECK(cxx.out.rfind(start, 0) == 0);
      CHECK(python_out.rfind(start, 0) == 0);
      CHECK(cxx.out.find(p.what) != std::string::npos);
      CHECK(python_out.find(p.what) != std::string::npos);
    }
    pending.clear();
  }
};

// ---- the definitions of docs/model.md ("Partitions") and of the certificate format ----
struct Grid {
  int H = 1, W = 1;
  bool one_d = true;
  int n() const { return H * W; }
};

Grid grid_of(const std::string& input) {
  const std::size_t x = input.find('x');
  if (x == std::string::npos) return {1, std::stoi(input), true};
  return {std::stoi(input.substr(0, x)), std::stoi(input.substr(x + 1)), false};
}

std::set<int> index_list(const std::string& list) {
  std::set<int> out;
  std::stringstream s(list);
  for (std::string item; std::getline(s, item, ',');) out.insert(std::stoi(item));
  return out;
}

// left-right: c < floor(W/2) (1D: i < floor(N/2)); top-bottom: r < floor(H/2) (1D: as
// left-right); odd-even: r + c even; mask: 1 = in the set; indices: the listed ones.
std::vector<int> named_set(const std::string& spec, const Grid& g) {
  const std::set<int> listed = spec.rfind("indices:", 0) == 0 ? index_list(spec.substr(8)) : std::set<int>{};
  std::vector<int> out;
  for (int i = 0; i < g.n(); ++i) {
    const int r = i / g.W, c = i % g.W;
    bool in = false;
    if (spec == "left-right") in = c < g.W / 2;
    else if (spec == "top-bottom") in = g.one_d ? i < g.n() / 2 : r < g.H / 2;
    else if (spec == "odd-even") in = (r + c) % 2 == 0;
    else if (spec.rfind("mask:", 0) == 0) in = spec.at(5 + static_cast<std::size_t>(i)) == '1';
    else if (spec.rfind("indices:", 0) == 0) in = listed.count(i) > 0;
    else FAIL("no partition named " << spec);
    if (in) out.push_back(i);
  }
  return out;
}

std::string as_mask(const std::vector<int>& set, int n) {
  std::string mask(static_cast<std::size_t>(n), '0');
  for (int i : set) mask[static_cast<std::size_t>(i)] = '1';
  return "mask:" + mask;
}

std::string as_indices(std::vector<int> set, bool reversed = false) {
  if (reversed) std::reverse(set.begin(), set.end());
  std::string out = "indices:";
  for (std::size_t t = 0; t < set.size(); ++t) {
    if (t) out += ',';
    out += std::to_string(set[t]);
  }
  return out;
}

// The input positions each unit of a layer with window R and stride S reads (model.md
// "Padding": valid, or same with TensorFlow's pad_before; offsets outside the map left out).
std::vector<std::set<int>> first_layer_windows(const Grid& g, int R, int S, bool same) {
  struct Axis {
    int out, pad_before;
  };
  auto axis = [&](int n, int window, int stride) {
    if (!same) return Axis{(n - window) / stride + 1, 0};
    const int out = (n + stride - 1) / stride;
    return Axis{out, std::max((out - 1) * stride + window - n, 0) / 2};
  };
  const int Rh = g.one_d ? 1 : R, Sh = g.one_d ? 1 : S;
  const Axis ay = axis(g.H, Rh, Sh), ax = axis(g.W, R, S);
  std::vector<std::set<int>> windows;
  for (int uy = 0; uy < ay.out; ++uy)
    for (int ux = 0; ux < ax.out; ++ux) {
      std::set<int> window;
      for (int oy = 0; oy < Rh; ++oy)
        for (int ox = 0; ox < R; ++ox) {
          const int y = uy * Sh - ay.pad_before + oy, x = ux * S - ax.pad_before + ox;
          if (y >= 0 && y < g.H && x >= 0 && x < g.W) window.insert(y * g.W + x);
        }
      windows.push_back(window);
    }
  return windows;
}

// One certification request, and what its certificate must record.
struct Case {
  std::string input, layers, extra, partition, vary, fixed;

  std::string args() const {
    return "--input " + input + " --layers " + layers + " " + extra + " --partition " + partition + " --vary " + vary +
           " --fixed-templates " + fixed;
  }
  Grid grid() const { return grid_of(input); }
  std::vector<int> I() const { return named_set(partition, grid()); }
  std::vector<int> J() const {
    std::vector<int> j;
    const std::vector<int> i = I();
    for (int p = 0; p < grid().n(); ++p)
      if (!std::binary_search(i.begin(), i.end(), p)) j.push_back(p);
    return j;
  }
  // The varying set V of the certificate format: all, auto (first-layer windows meeting both
  // sides), or the set a mask/indices names.
  std::set<int> varying() const {
    const Grid g = grid();
    if (vary == "all") {
      std::set<int> all;
      for (int p = 0; p < g.n(); ++p) all.insert(p);
      return all;
    }
    if (vary != "auto") {
      const std::vector<int> v = named_set(vary, g);
      return {v.begin(), v.end()};
    }
    const std::string first = layers.substr(0, layers.find(','));
    const bool pool = first.rfind("pool", 0) == 0;
    const std::string rs = pool ? first.substr(4) : first;
    const int R = std::stoi(rs);
    const std::size_t slash = rs.find('/');
    const int S = slash == std::string::npos ? R : std::stoi(rs.substr(slash + 1));
    const std::vector<int> i = I();
    std::set<int> v;
    for (const std::set<int>& window : first_layer_windows(g, R, S, extra.find("--padding same") != std::string::npos)) {
      const bool meets_i = std::any_of(window.begin(), window.end(),
                                       [&](int p) { return std::binary_search(i.begin(), i.end(), p); });
      const bool meets_j = std::any_of(window.begin(), window.end(),
                                       [&](int p) { return !std::binary_search(i.begin(), i.end(), p); });
      if (meets_i && meets_j) v.insert(window.begin(), window.end());
    }
    return v;
  }
  std::vector<int> fixed_templates() const {
    const int n = grid().n();
    if (static_cast<int>(fixed.size()) == n && n > 1) {
      std::vector<int> out;
      for (char digit : fixed) out.push_back(digit - '0');
      return out;
    }
    return std::vector<int>(static_cast<std::size_t>(n), std::stoi(fixed));
  }
  // Names are written canonically: indices increasing (seprank accepts any order).
  static std::string canonical(const std::string& spec, const Grid& g) {
    return spec.rfind("indices:", 0) == 0 ? as_indices(named_set(spec, g)) : spec;
  }
};

std::vector<int> restrict_to(const std::vector<int>& side, const std::set<int>& v) {
  std::vector<int> out;
  for (int p : side)
    if (v.count(p)) out.push_back(p);
  return out;
}

Json certify(const Case& c, TempDir& dir) {
  const fs::path out = dir.path / ("certified-" + std::to_string(dir.count++) + ".json");
  const auto r = run(seprank_command("certify " + c.args() + " -o '" + out.string() + "'"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return Json::parse(read_file(out));
}

// Certifies c, checks what the certificate records against the definitions, has both checkers
// verify it, and has them reject edited copies whose sets no longer match their names.
void certify_and_check(const Case& c) {
  CAPTURE(c.args());
  TempDir dir;
  const Json doc = certify(c, dir);
  const Grid g = c.grid();
  const std::vector<int> I = c.I(), J = c.J();
  const std::set<int> V = c.varying();
  const Json& part = doc["partition"];
  CHECK(part["I"] == Json(I));
  CHECK(part["spec"] == Case::canonical(c.partition, g));
  CHECK(part["vary"]["spec"] == Case::canonical(c.vary, g));
  CHECK(part["vary"]["I"] == Json(restrict_to(I, V)));
  CHECK(part["vary"]["J"] == Json(restrict_to(J, V)));
  CHECK(part["vary"]["fixed_templates"] == Json(c.fixed_templates()));
  CHECK(!doc.contains("partition_spec"));
  // Every row and column holds the fixed template where its position does not vary.
  const std::vector<int> fixed = c.fixed_templates();
  for (const auto& [key, side] : {std::pair{"rows", I}, std::pair{"cols", J}})
    for (const Json& assignment : doc["evidence"][key])
      for (std::size_t t = 0; t < side.size(); ++t)
        if (!V.count(side[t])) CHECK(assignment[t] == fixed[static_cast<std::size_t>(side[t])]);
  dir.expect(doc, 0, "");

  // The same I under other names: a name is a set, not a string.
  for (const std::string& same : {as_mask(I, g.n()), as_indices(I), as_indices(I, true)}) {
    Json copy = doc;
    copy["partition"]["spec"] = same;
    CAPTURE(same);
    dir.expect(copy, 0, "");
  }
  // Old certificates (no spec, no vary) stay valid.
  Json old = doc;
  old["partition"].erase("spec");
  old["partition"].erase("vary");
  dir.expect(old, 0, "");

  // A name for J instead of I.
  Json complement = doc;
  complement["partition"]["spec"] = as_mask(J, g.n());
  dir.expect(complement, 2, "partition.spec");
  // A varying set with one position of I dropped, or of J.
  for (const char* key : {"I", "J"}) {
    Json fewer = doc;
    fewer["partition"]["vary"][key].erase(fewer["partition"]["vary"][key].size() - 1);
    dir.expect(fewer, 2, std::string("partition.vary.") + key);
  }
  // A row (column) that leaves the submatrix: a non-varying position with another template.
  for (const auto& [key, side] : {std::pair{"rows", I}, std::pair{"cols", J}}) {
    for (std::size_t t = 0; t < side.size(); ++t) {
      if (V.count(side[t])) continue;
      Json outside = doc;
      Json& slot = outside["evidence"][key][0][t];
      slot = (slot.get<int>() + 1) % 2;
      outside["evidence"].erase("determinant");
      dir.expect(outside, 2, "evidence." + std::string(key) + "[0][" + std::to_string(t) + "]");
      break;
    }
  }
  dir.check_all();
}

// Both checkers on `doc` with one value replaced: `expected` 0 (verified) or 2 (malformed).
void check_edit(TempDir& dir, const Json& doc, const std::function<void(Json&)>& edit, int expected,
                const std::string& what) {
  Json copy = doc;
  edit(copy);
  dir.expect(copy, expected, what);
}

}  // namespace

TEST_CASE("binding - 1D certificates of every partition kind record and verify their named I") {
  const Case cases[] = {
      {"7", "3/1/2,5/1/1", "", "left-right", "all", "0"},
      {"7", "3/1/2,5/1/1", "", "top-bottom", "all", "0"},
      {"5", "2/1/2,4/1/1", "", "odd-even", "all", "0"},
      {"6", "2/2/3,3/1/1", "--templates 3", "mask:110010", "all", "0"},
      {"7", "3/2/2,3/1/1", "", "indices:5,0,3", "all", "0"},
      {"7", "3/2/2,pool2/2,2/2/2", "--padding same --prime 65537", "odd-even", "all", "1"},
  };
  for (const Case& c : cases) certify_and_check(c);
  CHECK(named_set("left-right", grid_of("7")) == std::vector<int>{0, 1, 2});
}

TEST_CASE("binding - 2D certificates of every partition kind, odd widths 3, 5 and 7") {
  const Case cases[] = {
      {"3x5", "3/2/2,3/3/1", "--padding same", "left-right", "all", "0"},
      {"5x3", "3/2/2,3/3/1", "--padding same", "top-bottom", "all", "0"},
      {"2x7", "3/2/2,4/4/1", "--padding same", "left-right", "all", "0"},
      {"3x3", "2/1/2,2/1/1", "", "odd-even", "all", "0"},
      {"3x3", "2/1/2,2/1/1", "--prime 101", "mask:110100011", "all", "0"},
      {"2x7", "3/2/2,4/4/1", "--padding same", "indices:13,0,7,6", "all", "0"},
  };
  for (const Case& c : cases) certify_and_check(c);
  CHECK(named_set("left-right", grid_of("3x5")) == std::vector<int>{0, 1, 5, 6, 10, 11});
}

TEST_CASE("binding - submatrix certificates (--vary auto, mask, indices with --fixed-templates)") {
  const Case cases[] = {
      {"7", "3/1/2,5/1/1", "", "left-right", "auto", "1"},
      {"7", "3/2/2,pool2/2,2/2/2", "--padding same", "left-right", "auto", "1010101"},
      {"7", "3/1/2,5/1/1", "", "left-right", "indices:4,2,3", "1"},
      {"5x5", "2/1/2,2/1/2,3/1/1", "", "left-right", "auto", "1"},
      {"5x5", "2/1/2,2/1/2,3/1/1", "", "top-bottom", "auto", "0"},
      {"5x5", "3/2/2,3/3/1", "--padding same", "left-right", "auto", "0"},
      {"3x3", "2/1/2,2/1/1", "", "odd-even", "auto", "0"},
      {"5x5", "2/1/2,2/1/2,3/1/1", "", "left-right", "mask:0110001100011000110001100",
       "0110100110010110100101101"},
  };
  for (const Case& c : cases) certify_and_check(c);
  // The auto rule by hand on N = 7, window 3: units {1,2,3} and {2,3,4} cross the cut at 3.
  CHECK(cases[0].varying() == std::set<int>{1, 2, 3, 4});
  // Same padding, stride 2 (pad_before 1): unit 1 reads {1,2,3}, units 0 and 3 {0,1}, {5,6}.
  CHECK(cases[1].varying() == std::set<int>{1, 2, 3});
}

TEST_CASE("binding - a left-right certificate computed with the (W+1)/2 convention is rejected") {
  // A genuine certificate for I = {c < ceil(W/2)}, labelled left-right: without the name it
  // verifies (it proves a rank of another matricization); with it, both checkers refuse it.
  TempDir dir;
  for (const auto& [input, layers, extra] : {std::tuple{"7", "3/1/2,5/1/1", ""},
                                             std::tuple{"3x5", "3/2/2,3/3/1", "--padding same"},
                                             std::tuple{"2x7", "3/2/2,4/4/1", "--padding same"}}) {
    const Grid g = grid_of(input);
    std::vector<int> ceil_i;
    for (int i = 0; i < g.n(); ++i)
      if (i % g.W < (g.W + 1) / 2) ceil_i.push_back(i);
    REQUIRE(ceil_i != named_set("left-right", g));
    const Case c{input, layers, extra, as_indices(ceil_i), "all", "0"};
    CAPTURE(c.args());
    Json doc = certify(c, dir);
    CHECK(doc["partition"]["I"] == Json(ceil_i));
    dir.expect(doc, 0, "");
    doc["partition"]["spec"] = "left-right";
    dir.expect(doc, 2, "partition.spec");
    doc["partition"].erase("spec");
    dir.expect(doc, 0, "");
  }
  dir.check_all();
}

TEST_CASE("binding - I and J swapped (rows and columns too) is rejected, though its minor is the transpose") {
  TempDir dir;
  for (const char* input : {"7", "3x5"}) {
    const Case c{input, input == std::string("7") ? "3/1/2,5/1/1" : "3/2/2,3/3/1",
                 input == std::string("7") ? "" : "--padding same", "left-right", "all", "0"};
    CAPTURE(c.args());
    Json doc = certify(c, dir);
    Json& part = doc["partition"];
    part["I"] = Json(c.J());
    std::swap(part["vary"]["I"], part["vary"]["J"]);
    std::swap(doc["evidence"]["rows"], doc["evidence"]["cols"]);
    dir.expect(doc, 2, "partition.spec");
    part.erase("spec");  // the transposed minor: same determinant
    dir.expect(doc, 0, "");
  }
  dir.check_all();
}

TEST_CASE("binding - partition.spec syntax is exact in both checkers") {
  TempDir dir;
  const Json lr1d = certify({"7", "3/1/2,5/1/1", "", "left-right", "all", "0"}, dir);
  const Json lr2d = certify({"3x3", "2/1/2,2/1/1", "", "left-right", "all", "0"}, dir);
  auto spec = [](Json value) { return [value](Json& d) { d["partition"]["spec"] = value; }; };
  // I = {0, 1, 2} on N = 7.
  for (const char* ok : {"left-right", "top-bottom", "mask:1110000", "indices:0,1,2", "indices:2,0,1"})
    check_edit(dir, lr1d, spec(ok), 0, "");
  CHECK(named_set("top-bottom", grid_of("7")) == named_set("left-right", grid_of("7")));
  const char* const bad[] = {
      "odd-even", "Left-Right", "left-right ", " left-right", "", "left", "mask:", "mask:111000", "mask:11100000",
      "mask:111000x", "mask:1110002", "indices:", "indices:0,1,2,", "indices:,0,1,2", "indices:0,,1,2", "indices:00,1,2",
      "indices:0,1,02", "indices:+0,1,2", "indices:-0,1,2", "indices:0,1,2,2", "indices:0,1,2,7", "indices:0, 1,2",
      "indices:0,1,2 ", "indices:0,1,\xEF\xBC\x92",  // a fullwidth 2
      "indices:0,1,\xD9\xA2",                         // an Arabic-Indic 2 (Python's int() reads it)
      "indices:0,1,99999999999999999999999", "mask:111\xD9\xA0\xD9\xA0\xD9\xA0", "all", "auto"};
  for (const char* b : bad) {
    CAPTURE(b);
    check_edit(dir, lr1d, spec(b), 2, "partition.spec");
  }
  check_edit(dir, lr1d, spec(std::string("left-right\0", 11)), 2, "partition.spec");
  for (const Json& not_a_string : {Json(3), Json(nullptr), Json(true), Json::array({"left-right"}), Json::object()})
    check_edit(dir, lr1d, spec(not_a_string), 2, "partition.spec");
  // In 2D top-bottom is another partition (rows), and left-right is c < floor(3/2) = 1.
  check_edit(dir, lr2d, spec("left-right"), 0, "");
  check_edit(dir, lr2d, spec("top-bottom"), 2, "partition.spec");
  check_edit(dir, lr2d, spec("mask:110110110"), 2, "partition.spec");
  dir.check_all();
}

TEST_CASE("binding - partition.vary syntax and types are exact in both checkers") {
  TempDir dir;
  // N = 7, I = {0,1,2}, auto: V = {1,2,3,4}, vary.I = [1,2], vary.J = [3,4], fixed 1.
  const Json doc = certify({"7", "3/1/2,5/1/1", "", "left-right", "auto", "1"}, dir);
  REQUIRE(doc["partition"]["vary"]["I"] == Json({1, 2}));
  auto set = [](const std::string& key, Json value) {
    return [key, value](Json& d) { d["partition"]["vary"][key] = value; };
  };
  for (const char* ok : {"auto", "mask:0111100", "indices:1,2,3,4", "indices:4,3,2,1"})
    check_edit(dir, doc, set("spec", ok), 0, "");
  for (const char* b : {"all", "left-right", "odd-even", "AUTO", "auto ", "mask:0111100 ", "mask:011110",
                        "indices:1,2,3,4,", "indices:01,2,3,4", "indices:1,2,3,4,4", "mask:0000000"})
    check_edit(dir, doc, set("spec", b), 2, "partition.vary");
  check_edit(dir, doc, set("spec", 1), 2, "partition.vary.spec");
  // The recorded sets: exactly I & V and J & V, increasing, integers (1.0 and true are not 1).
  check_edit(dir, doc, set("I", Json({2, 1})), 2, "partition.vary.I");
  check_edit(dir, doc, set("I", Json({1, 2, 2})), 2, "partition.vary.I");
  check_edit(dir, doc, set("I", Json({1.0, 2})), 2, "partition.vary.I");
  check_edit(dir, doc, set("I", Json({true, 2})), 2, "partition.vary.I");
  check_edit(dir, doc, set("I", Json({0, 1, 2})), 2, "partition.vary.I");
  check_edit(dir, doc, set("J", Json({3, 4, 5})), 2, "partition.vary.J");
  check_edit(dir, doc, set("J", Json::object()), 2, "partition.vary.J");
  // Fixed templates: one per position, each in [0, M).
  check_edit(dir, doc, set("fixed_templates", Json({1, 1, 1, 1, 1, 1})), 2, "partition.vary.fixed_templates");
  check_edit(dir, doc, set("fixed_templates", Json({1, 1, 1, 1, 1, 1, 2})), 2, "partition.vary.fixed_templates");
  // A fixed template other than the one the evidence holds, at a position that does not vary.
  check_edit(dir, doc, set("fixed_templates", Json({0, 1, 1, 1, 1, 1, 1})), 2, "evidence.rows[0][0]");
  check_edit(dir, doc, set("fixed_templates", Json({1, 1, 1, 1, 1, 1, 0})), 2, "evidence.cols[0][3]");
  // ... but a changed fixed template at a varying position is unused.
  check_edit(dir, doc, set("fixed_templates", Json({1, 0, 0, 0, 0, 1, 1})), 0, "");
  for (const char* key : {"spec", "I", "J", "fixed_templates"})
    check_edit(dir, doc, [key](Json& d) { d["partition"]["vary"].erase(key); }, 2, key);
  check_edit(dir, doc, [](Json& d) { d["partition"]["vary"] = "auto"; }, 2, "partition.vary");
  // Unknown keys inside partition and partition.vary are ignored, as elsewhere.
  check_edit(dir, doc, set("note", "informational"), 0, "");
  dir.check_all();
}

TEST_CASE("binding - the committed broken/malformed-binding-* certificates are rejected for their reason") {
  const std::pair<const char*, const char*> broken[] = {
      {"malformed-binding-left-right-ceil.json", "partition.spec"},
      {"malformed-binding-swapped-i-j.json", "partition.spec"},
      {"malformed-binding-mask-disagrees.json", "partition.spec"},
      {"malformed-binding-vary-set.json", "partition.vary.I"},
      {"malformed-binding-fixed-template.json", "evidence.rows[0]["},
  };
  TempDir dir;
  for (const auto& [name, what] : broken) {
    CAPTURE(name);
    const fs::path file = certificates / "broken" / name;
    REQUIRE(fs::exists(file));
    expect_malformed(file, what);  // (not network_sha256: the network is intact)
  }
  // Without the names they describe, the first four are valid certificates (of other
  // matricizations or submatrices): only the binding rejects them.
  for (const auto& [name, key] : {std::pair{"malformed-binding-left-right-ceil.json", "spec"},
                                  std::pair{"malformed-binding-swapped-i-j.json", "spec"},
                                  std::pair{"malformed-binding-mask-disagrees.json", "spec"},
                                  std::pair{"malformed-binding-vary-set.json", "vary"}}) {
    CAPTURE(name);
    Json doc = Json::parse(read_file(certificates / "broken" / name));
    doc["partition"].erase(key);
    dir.expect(doc, 0, "");
  }
  dir.check_all();
}

TEST_CASE("binding - the committed certificates record spec and vary, and a --vary certificate is among them") {
  int with_vary = 0, count = 0;
  for (const auto& entry : fs::directory_iterator(certificates)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    const Json doc = Json::parse(read_file(entry.path()));
    REQUIRE(doc["partition"].contains("spec"));
    REQUIRE(doc["partition"].contains("vary"));
    const Json& in = doc["network"]["input"];
    const Grid g{in["height"].get<int>(), in["width"].get<int>(), in["dims"].get<int>() == 1};
    CHECK(doc["partition"]["I"] == Json(named_set(doc["partition"]["spec"].get<std::string>(), g)));
    if (doc["partition"]["vary"]["spec"] != "all") ++with_vary;
    ++count;
  }
  CHECK(count >= 10);
  CHECK(with_vary >= 1);
}

TEST_CASE("binding - seprank refuses a partition name as a --vary specification") {
  // Certificates record only all, auto, mask: and indices: as vary.spec.
  const auto r = run(seprank_command("rank --input 7 --layers 3/1/2,5/1/1 --vary odd-even"));
  CHECK(r.exit_code == 65);
  CHECK(r.err.find("--vary") != std::string::npos);
  CHECK(r.out.empty());
}
