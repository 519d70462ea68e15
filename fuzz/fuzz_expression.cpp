// Fuzz target: one theorem-file expression (include/seprank/theorems/expression.hpp), parsed and
// evaluated over a fixed set of parameters, with the properties the verifier relies on:
// the type known from parsing is the type evaluated, evaluation is repeatable, and a number
// survives the round trip through its decimal spelling.
//
// A data error is the expected answer to bad input; anything else is a bug.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "seprank/support/errors.hpp"
#include "seprank/theorems/expression.hpp"
#include "seprank/theorems/rational.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

const std::map<std::string, seprank::Rational>& parameters() {
  static const std::map<std::string, seprank::Rational> p = {
      {"N", 8},
      {"M", 2},
      {"R", 3},
      {"C", 4},
      {"L", 0},
      {"size_I", 4},
      {"size_J", 4},
      {"big", seprank::Rational::from_decimal("340282366920938463463374607431768211457")},
      {"half", seprank::Rational(1, 2)},
      {"neg", -7}};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const seprank::Expression e = seprank::Expression::parse(text, "fuzz.toml:1");
    const seprank::Value first = e.evaluate(parameters());
    require(first.type() == e.type());
    require(e.evaluate(parameters()) == first);
    if (first.is_number())
      require(seprank::Rational::from_decimal(first.number().to_string()) == first.number());
  } catch (const seprank::Error& error) {
    require(error.code() == seprank::exit_data);
  }
  return 0;
}
