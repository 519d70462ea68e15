// Exit 69 with a way out (issue 16, item 5): a matrix refused as too large names a --vary
// strip that fits, and following the suggestion works; where no strip can help (the network
// itself is too large) the message has none. Expected ranks: C2's closed form
// min(M, C)^(R-1) (docs/theorems.md#c2), reached by the strips here, and full rank of a strip.
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

// The "--vary SPEC" a message suggests ("...; try --vary SPEC (a ... strip; ...)").
std::string suggested_vary(const std::string& message) {
  const std::size_t at = message.find("; try --vary ");
  if (at == std::string::npos) return "";
  const std::size_t start = at + std::string("; try --vary ").size();
  return message.substr(start, message.find(' ', start) - start);
}

}  // namespace

TEST_CASE("cli: a matrix too large for the memory limit suggests a --vary strip, and the strip works") {
  SUBCASE("--vary auto, when the first layer's windows across the cut fit") {
    // C2 with N = 16, R = 3: the whole 256 x 256 matrix is over 1 MiB; auto keeps positions 6-9.
    const std::string network = "--input 16 --layers 3/1/2,14/1/1 --max-memory 1";
    for (const char* command : {"rank ", "certify ", "compare "}) {
      CAPTURE(command);
      const auto refused = run(seprank_command(command + network + (command[0] == 'c' && command[1] == 'e' ? " -o -" : "")));
      CHECK(refused.exit_code == 69);
      CHECK(refused.out.empty());
      CHECK(refused.err.find("(--max-memory); try --vary auto (a 4 x 4 strip; its rank is a lower bound") != std::string::npos);
      CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    }
    const auto followed = run(seprank_command("rank " + network + " --vary auto --json"));
    REQUIRE(followed.exit_code == 0);
    CHECK(nlohmann::json::parse(followed.out)["rank"] == 4);  // min(2, 2)^(3-1)
  }
  SUBCASE("--vary indices:..., the largest strip along the cut that fits, when auto does not") {
    // C2 with N = 24, R = 13: every position is in a window across the cut; 9 per side fit 8 MiB.
    const std::string network = "--input 24 --layers 13/1/2,12/1/1 --max-memory 8";
    const auto refused = run(seprank_command("rank " + network));
    CHECK(refused.exit_code == 69);
    const std::string vary = suggested_vary(refused.err);
    CHECK(vary == "indices:3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20");  // 9 each side of 11|12
    CHECK(refused.err.find("(a 512 x 512 strip;") != std::string::npos);
    const auto followed = run(seprank_command("rank " + network + " --vary " + vary + " --json"));
    REQUIRE(followed.exit_code == 0);
    const auto j = nlohmann::json::parse(followed.out);
    CHECK(j["rows"] == 512);
    CHECK(j["rank"] == 512);  // full rank: the whole rank is min(2,2)^12 = 4096 >= 512
  }
  SUBCASE("certify: a rank that may exceed the certificates' limit, within the memory limit") {
    const std::string network = "--input 32 --layers 17/1/2,16/1/1 --max-memory 16";
    const auto refused = run(seprank_command("certify " + network + " -o -"));
    CHECK(refused.exit_code == 69);
    const std::string vary = suggested_vary(refused.err);
    REQUIRE(vary.rfind("indices:", 0) == 0);
    const auto followed = run(seprank_command("certify " + network + " --vary " + vary + " -o - --seed 3"));
    REQUIRE(followed.exit_code == 0);
    CHECK(followed.err.find("claim rank >= 512 ") != std::string::npos);  // full rank of the 512 x 512 strip
  }
}

TEST_CASE("cli: no --vary suggestion where no strip helps") {
  const char* commands[] = {
      // The network's own weights (8 x 65536 x 2) exceed the limit, whatever is assembled.
      "rank --input 8 --layers 8/1/65536,1/1/1 --max-memory 1",
      // The network is beyond the limits before any matrix.
      "rank --input 5000 --layers 5000/1/1",
      "rank --input 8 --layers 8/1/70000",
      // A strip already, and nothing smaller fits: one position per side is over 1 MiB here.
      "rank --input 8 --layers 8/1/65536,1/1/1 --vary indices:3,4 --max-memory 1",
      // certify: a network beyond the certificate format (more than 1024 positions).
      "certify --input 2048 --layers 2/2/1,1024/1/1 -o -",
  };
  for (const char* command : commands) {
    CAPTURE(command);
    const auto r = run(seprank_command(command));
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("--vary") == std::string::npos);
  }
}
