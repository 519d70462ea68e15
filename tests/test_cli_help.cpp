// Each command's --help lists exactly the options it uses, and every other option is refused
// (exit 64) rather than silently ignored (issue 16, item 5). The expected lists are written
// here from what each command does (README "Use", docs/model.md), not read from the table.
#include <cctype>
#include <set>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "process.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

std::set<std::string> options_in_help(const std::string& help) {
  std::set<std::string> names;
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t dashes = line.find("--");
    if (line.rfind("  ", 0) != 0 || dashes == std::string::npos || dashes > 12) continue;
    std::size_t end = dashes + 2;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '-')) ++end;
    names.insert(line.substr(dashes + 2, end - dashes - 2));
  }
  return names;
}

const std::set<std::string> network = {"input", "templates", "layers", "sharing", "padding", "partition"};
const std::set<std::string> weights = {"vary", "fixed-templates", "templates-matrix", "seed"};

std::set<std::string> with(std::set<std::string> a, const std::set<std::string>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("cli: each command's --help lists exactly the options it uses, and refuses the others") {
  struct Expected {
    const char* command;
    std::set<std::string> options;
  };
  const Expected expected[] = {
      {"rank", with(with(network, weights), {"network", "field", "prime", "weight-bound", "threads", "max-memory", "json",
                                             "timings", "help"})},
      {"certify", with(with(network, weights), {"network", "field", "prime", "weight-bound", "threads", "max-memory", "output",
                                                "force", "structured", "json", "help"})},
      // The min-cut holds for all weights: no seed, field, prime, F, strip, threads or memory
      // (--network gives it the architecture only).
      {"bound", with(network, {"network", "witness", "force", "json", "help"})},
      // Real weights mod p: no --field (the exact side is GF(p)), no integer weight bound, no
      // --network (its --weights is the distribution of the drawn real weights).
      {"compare", with(with(network, weights), {"weights", "prime", "threads", "max-memory", "json", "help"})},
  };
  for (const Expected& e : expected) {
    CAPTURE(e.command);
    const auto help = run(seprank_command(std::string(e.command) + " --help"));
    REQUIRE(help.exit_code == 0);
    CHECK(options_in_help(help.out) == e.options);
  }
  // Options a command has no use for are refused, before any work, with the usage code.
  const char* refused[] = {
      "bound --input 8 --layers 3/1/2,6/1/1 --seed 3",
      "bound --input 8 --layers 3/1/2,6/1/1 --threads 2",
      "bound --input 8 --layers 3/1/2,6/1/1 --field Q",
      "bound --input 8 --layers 3/1/2,6/1/1 --vary auto",
      "bound --input 8 --layers 3/1/2,6/1/1 --templates-matrix identity",
      "certify --input 8 --layers 3/1/2,6/1/1 -o - --timings",
      "compare --input 8 --layers 3/1/2,6/1/1 --weight-bound 5",
      "compare --input 8 --layers 3/1/2,6/1/1 --field gfp",
      "compare --input 8 --layers 3/1/2,6/1/1 --timings",
  };
  for (const char* line : refused) {
    CAPTURE(line);
    const auto r = run(seprank_command(line));
    CHECK(r.exit_code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.find("unrecognised option") != std::string::npos);
  }
}
