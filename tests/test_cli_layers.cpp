// `--layers` with the repetitions of theorem files, "(group)^{count}" (issue 16, item 5):
// expected outputs come from the same command with the layers written out by hand.
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "seprank/theorems/theorem_file.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

std::string stdout_of(const std::string& args) {
  const auto r = run(seprank_command(args));
  REQUIRE_MESSAGE(r.exit_code == 0, args << ": " << r.err);
  return r.out;
}

}  // namespace

TEST_CASE("cli: --layers repetitions give the certificate of the layers written out") {
  // Same seed, same network: the same certificate bytes.
  const std::string tail = " --seed 4 -o -";
  CHECK(stdout_of("certify --input 6 --layers '(2/1/2)^{3},3/1/1'" + tail) ==
        stdout_of("certify --input 6 --layers 2/1/2,2/1/2,2/1/2,3/1/1" + tail));
  // The (2/1/2)^{8}: eight layers, comma separated (README's float table uses it).
  const std::string eight = "2/1/2,2/1/2,2/1/2,2/1/2,2/1/2,2/1/2,2/1/2,2/1/2";
  const std::string repeated = stdout_of("rank --input 2 --padding same --layers '(2/1/2)^{8},2/2/1' --json");
  CHECK(repeated == stdout_of("rank --input 2 --padding same --layers " + eight + ",2/2/1 --json"));
  CHECK(nlohmann::json::parse(repeated)["architecture"]["layers"].size() == 9);
  struct Same {
    const char* repeated;
    const char* written;
  };
  const Same same[] = {
      {"3/1/2(,2/1/2)^{2},4/1/1", "3/1/2,2/1/2,2/1/2,4/1/1"},     // a group with its comma, as in theorem files
      {"(2/1/2,)^{2}6/1/1", "2/1/2,2/1/2,6/1/1"},
      {"(2/1/2)^{0},8/1/1", "8/1/1"},                            // zero copies take their comma along
      {"3/1/2,(2/1/2)^{0},6/1/1", "3/1/2,6/1/1"},
      {"3/1/2,6/1/1,(2/1/2)^{0}", "3/1/2,6/1/1"},
      {"((2/1/2)^{2},pool1/1)^{2},4/1/1", "2/1/2,2/1/2,pool1/1,2/1/2,2/1/2,pool1/1,4/1/1"},  // nested
      {"(2/1/2)^{1},7/1/1", "2/1/2,7/1/1"},
  };
  for (const Same& s : same) {
    CAPTURE(s.repeated);
    CHECK(stdout_of(std::string("bound --input 8 --layers '") + s.repeated + "' --json") ==
          stdout_of(std::string("bound --input 8 --layers ") + s.written + " --json"));
  }
}

TEST_CASE("cli: --layers repetitions are refused as in theorem files: counts, nesting, length, size") {
  struct Refused {
    const char* layers;
    int code;
    const char* says;
  };
  const Refused refused[] = {
      {"(2/1/2)^{1001},2/1/1", 65, "not an integer in [0, 1000]"},
      {"(2/1/2)^{L},2/1/1", 65, "not an integer in [0, 1000] written in digits"},  // no parameters here
      {"(2/1/2)^{2+1},2/1/1", 65, "written in digits"},
      {"(2/1/2)^{-1},2/1/1", 65, "written in digits"},
      {"(2/1/2)^3,2/1/1", 65, "expected '(...)^{count}'"},
      {"(2/1/2,2/1/1", 65, "expected '(...)^{count}'"},
      {"(2/1/2)^{3,2/1/1", 65, "unmatched '{'"},
      {"(((1/1/1)^{1000})^{1000})^{1000}", 65, "expands to more than 100000 characters"},
      {"(1/1/1)^{64},8/1/1", 69, "at most 64 layers"},  // the network's limits, after expansion
      {"(2/1/2)^{2}3/1/1", 65, "--layers"},  // a layer glued to a group: "2/1/2,2/1/23/1/1"
  };
  std::string deep = "1/1/1,7/1/1";  // nested 11 deep: theorem files allow 10
  for (int k = 0; k < 11; ++k) deep = "(" + deep + ")^{1}";
  const std::string deep_refusal = "nested too deeply";
  std::vector<Refused> cases(std::begin(refused), std::end(refused));
  cases.push_back({deep.c_str(), 65, deep_refusal.c_str()});
  for (const Refused& r : cases) {
    CAPTURE(r.layers);
    const auto out = run(seprank_command(std::string("rank --input 8 --layers '") + r.layers + "'"));
    CHECK(out.exit_code == r.code);
    CHECK(out.out.empty());
    CHECK(out.err.find(r.says) != std::string::npos);
  }
}

TEST_CASE("cli: theorem files keep their repetitions: copies concatenated, counts as expressions") {
  const seprank::Parameters p = {{"L", seprank::Rational(3)}, {"C", seprank::Rational(4)}};
  CHECK(seprank::substitute("2/2/2(,2/2/{C})^{L-1}", p, "t") == "2/2/2,2/2/4,2/2/4");
  CHECK(seprank::substitute("mask:(01)^{L}", p, "t") == "mask:010101");  // no commas in a template
  CHECK(seprank::substitute("(2/1/2)^{2}", p, "t") == "2/1/22/1/2");
  CHECK(seprank::substitute("(2/1/2)^{0},3/1/1", p, "t") == ",3/1/1");
  CHECK(seprank::expand_layer_repetitions("(2/1/2)^{2}", "--layers") == "2/1/2,2/1/2");
}
