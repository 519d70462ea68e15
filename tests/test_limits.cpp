// Limits (issue 7): every size, count and exponent an input names is bounded before it is used.
// Each case is a tiny input asking for something enormous -- positions, channels, templates,
// window offsets, weights, network memory, instances, repetitions, expression values, JSON
// depth -- and must get its one-line error and exit code at once: never a crash, a hang, an
// overflow (the sanitizer build runs these too) or a multi-gigabyte allocation.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"
#include "seprank/evidence/format_limits.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

const std::string source_dir = SEPRANK_SOURCE_DIR;

// Generous even under AddressSanitizer; a refused request takes milliseconds.
constexpr double seconds_allowed = 20;

struct Refusal {
  std::string what;  // the command line after the program name, or a file's description
  int code;
  std::string says;  // a part of the one-line message
};

fs::path temp_dir() {
  const fs::path d = fs::temp_directory_path() / ("seprank_limits_test_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

void write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

// Runs `command`; checks the exit code, the message, and that it came quickly.
test_support::ProcessResult refused(const std::string& command, int code, const std::string& says) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run(command);
  CAPTURE(r.err);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.exit_code == code);
  CHECK(r.err.find(says) != std::string::npos);
  CHECK(seconds < seconds_allowed);
  return r;
}

void check_seprank(const Refusal& c) {
  CAPTURE(c.what);
  const auto r = refused(seprank_command(c.what), c.code, c.says);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

// A theorem file with one claim; `claim` and `instances` replace the defaults' lines.
std::string theorem(const std::string& claim, const std::string& instances = "[[instances]]\nN = 8\n") {
  return "format = \"seprank-theorem\"\nformat_version = 1\nid = \"LIMIT\"\ntitle = \"limits\"\n"
         "source = \"derived in this project\"\nderivation = \"none\"\nstatement = \"none\"\n\n"
         "[[claim]]\n" +
         claim + "\n\n" + instances;
}

const std::string plain_claim =
    "input = \"{N}\"\ntemplates = \"2\"\nlayers = \"3/1/2,{N-2}/1/1\"\nlower = \"1\"";

std::string repeated(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("limits: command-line sizes are refused before anything is allocated") {
  std::string layers_65;
  for (int i = 0; i < 65; ++i) layers_65 += i ? ",1/1/2" : "1/1/2";
  std::string many_indices = "indices:0";
  for (int i = 1; i < 5000; ++i) many_indices += "," + std::to_string(i);
  const std::vector<Refusal> cases = {
      {"rank --input 100000x100000 --layers 3/1/2", 69, "more than 4096 positions"},
      {"bound --input 100000x100000 --layers 3/1/2", 69, "more than 4096 positions"},
      {"rank --input 99999999999 --layers 3/1/2", 69, "--input: '99999999999' is above every size limit"},
      {"rank --input 8 --layers 3/1/1000000000,6/1/1", 69, "channels must be at most 65536"},
      {"rank --input 8 --layers 3/1/99999999999,6/1/1", 69, "--layers"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --templates 1000000000", 69, "--templates must be at most 1024"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --templates 99999999999999999999999", 69,
       "--templates must be at most 1024"},
      {"rank --input 8 --layers " + layers_65, 69, "at most 64 layers"},
      {"rank --input 8 --layers 100000/1/2", 69, "window and stride must be at most 4096"},
      // A "same" window far larger than its map: 4096 units x 4096^2 offsets to walk.
      {"bound --input 64x64 --padding same --layers 4096/1/1,pool64/64", 69, "window offsets"},
      {"rank --input 64x64 --padding same --layers 4096/1/1,pool64/64 --vary auto", 69, "window offsets"},
      // The weight count overflowed 64 bits here before (UBSan: signed overflow).
      {"rank --input 64x64 --templates 1 --layers 1/1/24000,4096/1/65536,pool64/64 --padding same --sharing "
       "local",
       69, "window offsets"},
      {"rank --input 4096 --templates 1 --sharing local --layers 1/1/24000,4096/1/4096", 69,
       "more than 100000000 weights"},
      // A 2 x 2 submatrix of a network whose activations alone take 12 GiB (6 GiB per thread).
      {"rank --input 64x64 --layers 1/1/65536,pool64/64 --vary indices:0,40 --max-memory 100", 69,
       "and its network need about"},
      {"rank --input 2 --layers 1/1/9000,2/1/5000 --max-memory 100", 69, "and its network need about"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --threads 65", 64, "--threads must be at most 64"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --threads 99999999999999999999", 64, "--threads"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --max-memory 0", 64, "--max-memory"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --max-memory 1073741825", 64, "--max-memory"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --seed 18446744073709551616", 64, "--seed"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --field Q --weight-bound 2147483649", 65, "--weight-bound"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition " + many_indices, 65, "outside 0..7"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --partition indices:0,99999999999", 65, "is not an index"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --vary indices:0,7 --fixed-templates 99999999999", 65,
       "--fixed-templates"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --vary mask:1", 65, "mask has 1 characters"},
      {"verify --retries 101", 64, "--retries must be at most 100"},
      {"rank --input 8 --layers 3/1/2,6/1/1 --vary indices:0,7 --fixed-templates 0000:000", 65,
       "is not a digit"},
      // A newline inside a value: the error stays one line.
      {"rank --input 8 --layers \"$(printf '3/1/2\\n6-1-1')\"", 65, "--layers"},
  };
  for (const Refusal& c : cases) check_seprank(c);
}

TEST_CASE("limits: theorem files cannot ask for unbounded work") {
  const fs::path dir = temp_dir();
  std::string big_table = "[[instances]]\n";
  for (const char* key : {"N", "A", "B", "C", "D", "E"})
    big_table += std::string(key) + " = [8, 8, 8, 8, 8, 8, 8, 8, 8, 8]\n";
  const std::string small_table =
      "[[instances]]\nN = 8\nA = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
      "B = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nC = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
      "D = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n";
  std::string nested = "x";
  for (int i = 0; i < 10; ++i) nested = "(" + nested + ")^{1000}";
  const struct {
    const char* name;
    std::string text;
    int code;
    std::string says;
  } cases[] = {
      {"sweep.toml", theorem(plain_claim, big_table), 65, "more than 100000 instances"},
      {"tables.toml", theorem(plain_claim, repeated(small_table, 11)), 65, "more than 100000 instances"},
      {"repetition.toml",
       theorem("input = \"{N}\"\ntemplates = \"2\"\nlayers = \"(3/1/2,)^{10^9}{N-2}/1/1\""), 65,
       "repetition count 1000000000 is not an integer in [0, 1000]"},
      {"nested.toml", theorem("input = \"{N}\"\ntemplates = \"2\"\nlayers = \"" + nested + "\""), 65,
       "expands to more than 100000 characters"},
      {"value.toml", theorem("input = \"{N}\"\ntemplates = \"2\"\nlayers = \"{2^1048575}/1/1\""), 65,
       "expands to more than 100000 characters"},
      {"power.toml", theorem(plain_claim.substr(0, plain_claim.find("lower")) + "lower = \"2^(10^18)\""), 65,
       "would exceed the limit of 1048576 bits"},
      {"long.toml", theorem(plain_claim + "\nhypotheses = [\"" + repeated("1+", 5000) + "1\"]"), 65,
       "longer than 10000 characters"},
      {"deep.toml",
       theorem(plain_claim + "\nhypotheses = [\"" + repeated("(", 201) + "1" + repeated(")", 201) +
               " > 0\"]"),
       65, "nested deeper than 200 levels"},
      {"positions.toml", theorem("input = \"100000x100000\"\ntemplates = \"2\"\nlayers = \"3/1/2\""), 69,
       "positions.toml:9: instance N=8: input has more than 4096 positions"},
      {"templates.toml", theorem("input = \"{N}\"\ntemplates = \"10^9\"\nlayers = \"3/1/2,{N-2}/1/1\""), 69,
       "templates must be at most 1024"},
      {"overflow.toml",
       theorem("input = \"{N*N}\"\ntemplates = \"2\"\nlayers = \"3/1/2\"",
               "[[instances]]\nN = 9223372036854775807\n"),
       69, "instance N=9223372036854775807: input: '"},
      {"toml-depth.toml",
       theorem(plain_claim) + "\nx = " + repeated("[", 10000) + repeated("]", 10000) + "\n", 65,
       "not valid TOML"},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const fs::path file = dir / c.name;
    write(file, c.text);
    const auto r = refused(seprank_command("verify '" + file.string() + "'"), c.code, c.says);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.name) != std::string::npos);  // the message names the file
  }
  fs::remove_all(dir);
}

TEST_CASE("limits: both checkers refuse oversized certificates at once") {
  const fs::path dir = temp_dir();
  std::ifstream in(fs::path(source_dir) / "proofs/certificates/small-prime-3x3.json");
  const std::string valid((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = valid;
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  // 64 templates, 4096 channels, 2x2 windows: 4 matrices of 4096 x 64, more than 10^6 weights,
  // refused before the (empty) weight list is read.
  nlohmann::json heavy = nlohmann::json::parse(valid);
  heavy["network"]["input"] = {{"dims", 2}, {"height", 2}, {"width", 2}};
  heavy["network"]["templates"] = 64;
  heavy["network"]["representation"] = std::vector<std::vector<int>>(64, std::vector<int>(64, 0));
  heavy["network"]["layers"] = {
      {{"kind", "gc"}, {"window", 2}, {"stride", 1}, {"channels", 4096}, {"weights", {}}}};
  heavy["partition"]["I"] = {0, 1};
  const struct {
    const char* name;
    std::string text;
    std::string says;  // in seprank-check's verdict line
  } cases[] = {
      {"rank.json", replaced("\"rank_at_least\":16", "\"rank_at_least\":1000000000"), "rank_at_least"},
      {"width.json", replaced("\"width\":3", "\"width\":1000000000"), "width"},
      {"templates.json", replaced("\"templates\": 2", "\"templates\": 65"), "templates"},
      {"channels.json", replaced("\"channels\":3", "\"channels\":4096000"), "channels"},
      {"weights.json", heavy.dump(), "more than 10^6 weight entries"},
      {"depth.json", "{\"a\":" + repeated("[", 100000) + repeated("]", 100000) + "}",
       "nested deeper than 256"},
      {"digits.json", replaced("\"rank_at_least\":16", "\"rank_at_least\":" + repeated("9", 5000)),
       "malformed"},
      {"exponent.json", replaced("\"rank_at_least\":16", "\"rank_at_least\":1e999999999"), "malformed"},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const fs::path file = dir / c.name;
    write(file, c.text);
    const auto cxx = refused(std::string(SEPRANK_CHECK_BINARY) + " '" + file.string() + "'", 2, "");
    CHECK(cxx.out.find(c.says) != std::string::npos);
    CHECK(cxx.out.rfind("NOT VERIFIED: malformed", 0) == 0);
    const auto python =
        refused("python3 '" + source_dir + "/checker/check_certificate.py' '" + file.string() + "'", 2, "");
    CHECK(python.out.rfind("NOT VERIFIED: malformed", 0) == 0);
    CHECK(python.err.empty());
  }
  fs::remove_all(dir);
}

// The table of docs/certificate-format.md, "Format limits": (name, value) in its order.
static std::vector<std::pair<std::string, std::string>> documented_format_limits() {
  std::ifstream in(fs::path(source_dir) / "docs/certificate-format.md");
  std::string line;
  bool inside = false;
  std::vector<std::pair<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## Format limits";
    if (!inside || line.rfind("| `", 0) != 0) continue;
    const std::size_t name_end = line.find('`', 3);
    const std::size_t value_start = line.find("| ", name_end) + 2;
    rows.emplace_back(line.substr(3, name_end - 3), line.substr(value_start, line.find(' ', value_start) - value_start));
  }
  return rows;
}

static std::vector<std::pair<std::string, std::string>> printed_limits(const std::string& command) {
  const auto r = run(command);
  CHECK(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::vector<std::pair<std::string, std::string>> rows;
  std::string name, value;
  while (lines >> name >> value) rows.emplace_back(name, value);
  return rows;
}

TEST_CASE("limits: the format limits table is the same in the docs, seprank and both checkers") {
  const auto documented = documented_format_limits();
  REQUIRE(documented.size() == 10);
  std::vector<std::pair<std::string, std::string>> producer;
  for (const seprank::FormatLimit& l : seprank::format_limits) producer.emplace_back(l.name, std::to_string(l.value));
  CHECK(producer == documented);
  CHECK(printed_limits(std::string(SEPRANK_CHECK_BINARY) + " --limits") == documented);
  CHECK(printed_limits("python3 '" + source_dir + "/checker/check_certificate.py' --limits") == documented);
}

TEST_CASE("limits: what the checkers would reject for size is refused before any work, naming the limit") {
  const fs::path dir = temp_dir();
  const std::string out = " -o '" + (dir / "c.json").string() + "'";
  const Refusal cases[] = {
      {"certify --input 33x33 --layers 33/1/1 --vary indices:0,1088" + out, 69, "max_positions = 1024"},
      {"certify --input 1025 --layers 1025/1/1 --vary indices:0,1024" + out, 69, "max_positions = 1024"},
      {"certify --input 4 --templates 65 --layers 4/1/1 --vary indices:0,3" + out, 69, "max_templates = 64"},
      {"certify --input 4 --layers 2/1/4097,3/1/1" + out, 69, "max_channels = 4096"},
      {"certify --input 2 --layers " + repeated("1/1/1,", 64) + "2/1/1" + out, 69, "max_layers = 64"},
      // 4 units x 9 offsets x 1000 x 2, then 4 offsets x 1000 x 1000 (local): 4 072 000 entries.
      {"certify --input 4x4 --sharing local --layers 3/1/1000,2/1/1000 --vary indices:0,15" + out, 69,
       "max_weight_entries = 1000000"},
      // 2^15 x 2^15 with a min-cut of 2^15: every pair straddles the cut (the memory limit raised so
      // that the format limit decides).
      {"certify --input 30 --layers 2/2/2,15/1/1 --partition odd-even --max-memory 100000" + out, 69,
       "max_rank = 16384"},
      {"bound --input 33x33 --layers 33/1/1 --witness '" + (dir / "w.json").string() + "'", 69,
       "max_positions = 1024"},
  };
  for (const Refusal& c : cases) {
    check_seprank(c);
    CHECK(!fs::exists(dir / "c.json"));
    CHECK(!fs::exists(dir / "w.json"));
  }
  // The same network as a theorem instance: `verify` refuses before verifying any file.
  write(dir / "t.toml", theorem("name = \"c\"\ninput = \"{N}x{N}\"\ntemplates = \"2\"\nlayers = \"{N}/1/1\"\n"
                                "vary = \"indices:0,{N*N-1}\"\nlower = \"2\"",
                                "[[instances]]\nN = 2\n\n[[instances]]\nN = 33\n"));
  const auto r = refused(seprank_command("verify '" + (dir / "t.toml").string() + "' --bundle '" +
                                         (dir / "bundle").string() + "'"),
                         69, "instance N=33: the 33x33 input has 1089 positions: above the certificate format limit max_positions = 1024");
  CHECK(r.out.empty());
  CHECK(!fs::exists(dir / "bundle"));
  fs::remove_all(dir);
}
