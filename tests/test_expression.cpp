// Tests of the exact rationals and of the theorem-file expression evaluator. Expected values
// are computed by hand or, for the big ones, by Python's exact integers (the command is given
// beside each), never by the code under test.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "seprank/support/errors.hpp"
#include "seprank/theorems/expression.hpp"
#include "seprank/theorems/rational.hpp"

namespace {

using seprank::Expression;
using seprank::Rational;
using seprank::Value;
using seprank::ValueType;
using Variables = std::map<std::string, Rational>;

const std::string where = "proofs/C2.toml:14";

Rational number(const std::string& text, const Variables& variables = {}) {
  return Expression::parse(text, where).evaluate_number(variables);
}

bool truth(const std::string& text, const Variables& variables = {}) {
  return Expression::parse(text, where).evaluate_bool(variables);
}

Rational decimal(const std::string& text) { return Rational::from_decimal(text); }

// The message of the data_error that `action` throws; fails the test if it throws nothing
// or anything else.
template <class Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const seprank::Error& e) {
    CHECK(e.code() == seprank::exit_data);
    return e.what();
  }
  FAIL("no error was thrown");
  return "";
}

std::string parse_error(const std::string& text) {
  return error_of([&] { Expression::parse(text, where); });
}

std::string evaluation_error(const std::string& text, const Variables& variables = {}) {
  return error_of([&] { Expression::parse(text, where).evaluate(variables); });
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<seprank::Rational> {
  static String convert(const seprank::Rational& value) { return value.to_string().c_str(); }
};
template <>
struct StringMaker<seprank::Value> {
  static String convert(const seprank::Value& value) { return value.to_string().c_str(); }
};
}  // namespace doctest

TEST_CASE("expression: the usage example of the header") {
  const seprank::Expression bound = seprank::Expression::parse("min(M, C)^(R-1)", "proofs/C2.toml:14");
  const std::map<std::string, seprank::Rational> instance = {{"M", 2}, {"C", 3}, {"R", 4}};
  seprank::Rational lower = bound.evaluate_number(instance);
  std::vector<std::string> parameters = bound.names();
  CHECK(lower == Rational(8));
  CHECK(parameters == std::vector<std::string>{"C", "M", "R"});
}

TEST_CASE("rational: construction, canonical form, printing") {
  CHECK(Rational().to_string() == "0");
  CHECK(Rational(-5).to_string() == "-5");
  CHECK(Rational(6, -4).to_string() == "-3/2");  // lowest terms, positive denominator
  CHECK(Rational(6, 3).is_integer());
  CHECK(decimal("18446744073709551617").to_string() == "18446744073709551617");
  CHECK(decimal("-14/21") == Rational(-2, 3));
  CHECK(decimal("007") == Rational(7));
  for (const char* bad : {"", "-", "+1", " 1", "1 ", "1.5", "1/", "/2", "1/-2", "1/2/3", "0x10", "1e3"})
    CHECK_THROWS_AS(Rational::from_decimal(bad), seprank::Error);
  CHECK(contains(error_of([] { Rational::from_decimal("3/0"); }), "division by zero"));
  CHECK_THROWS_AS(Rational(1, 0), seprank::Error);
}

TEST_CASE("rational: arithmetic, order, rounding, copies") {
  const Rational half(1, 2);
  CHECK(half + half == Rational(1));
  CHECK(half - Rational(1) == Rational(-1, 2));
  CHECK(half * Rational(4) == Rational(2));
  CHECK(Rational(7) / Rational(2) == Rational(7, 2));
  CHECK_THROWS_AS(Rational(1) / Rational(0), seprank::Error);
  CHECK(Rational(-1, 3) < Rational(-1, 4));
  CHECK(Rational(5, 2) > Rational(2));
  CHECK(Rational(7, 2).floor() == Rational(3));
  CHECK(Rational(7, 2).ceil() == Rational(4));
  CHECK(Rational(-7, 2).floor() == Rational(-4));
  CHECK(Rational(-7, 2).ceil() == Rational(-3));
  CHECK(Rational(-3).floor() == Rational(-3));
  CHECK(Rational(-7, 2).abs() == Rational(7, 2));
  CHECK(pow(Rational(2, 3), -2) == Rational(9, 4));
  CHECK(pow(Rational(0), 0) == Rational(1));
  CHECK_THROWS_AS(pow(Rational(0), -1), seprank::Error);
  CHECK(Rational(255).bits() == 8);
  CHECK(Rational(1, 256).bits() == 9);
  CHECK(Rational(-42).to_int64() == -42);
  CHECK_FALSE(decimal("9223372036854775808").fits_int64());  // 2^63
  CHECK_THROWS_AS(Rational(1, 2).to_int64(), seprank::Error);

  Rational big = decimal(
      "265613988875874769338781322035779626829233452653394495974574961739092490901302182994384699044001");
  Rational copy = big;
  Rational moved = std::move(big);
  CHECK(copy == moved);
  copy = Rational(1);
  CHECK(moved != copy);
  moved = copy;
  CHECK(moved == Rational(1));
}

TEST_CASE("expression: exact big results") {
  // python3 -c 'print(3**200)'
  CHECK(number("3^200") == decimal("2656139888758747693387813220357796268292334526533944959745749617390924909"
                                   "01302182994384699044001"));
  // python3 -c 'print(2**64+1)'
  CHECK(number("2^64 + 1") == decimal("18446744073709551617"));
  CHECK(number("18446744073709551616 + 1") == decimal("18446744073709551617"));
  // python3 -c 'print((2**100+1)*(3**50))'
  CHECK(number("(2^100 + 1) * 3^50") == decimal("910043815000214977332758527534974530480407112914428873"));
  CHECK(number("3^-5") == Rational(1, 243));
  CHECK(number("(2/3)^-2") == Rational(9, 4));
  CHECK(number("(-2)^3") == Rational(-8));
  CHECK(number("0^0") == Rational(1));
  CHECK(number("0^5") == Rational(0));
  // |base| = 1 never grows, whatever the exponent.
  CHECK(number("1^(10^30)") == Rational(1));
  CHECK(number("(-1)^(10^30 + 1)") == Rational(-1));
  // The largest power of two allowed has exactly 2^20 bits.
  CHECK(number("2^1048575").bits() == 1048576);
}

TEST_CASE("expression: precedence and associativity") {
  CHECK(number("-2^2") == Rational(-4));
  CHECK(number("(-2)^2") == Rational(4));
  CHECK(number("2^3^2") == Rational(512));
  CHECK(number("(2^3)^2") == Rational(64));
  CHECK(number("2^-1") == Rational(1, 2));
  CHECK(number("-2^-2") == Rational(-1, 4));
  CHECK(number("7/2") == Rational(7, 2));
  CHECK(number("floor(7/2)") == Rational(3));
  CHECK(number("ceil(-7/2)") == Rational(-3));
  CHECK(number("floor(-7/2)") == Rational(-4));
  CHECK(number("ceil(7/2)") == Rational(4));
  CHECK(number("1 - 2 - 3") == Rational(-4));
  CHECK(number("24 / 4 / 2") == Rational(3));
  CHECK(number("2 + 3 * 4") == Rational(14));
  CHECK(number("(2 + 3) * 4") == Rational(20));
  CHECK(number("2 * -3") == Rational(-6));
  CHECK(number("- -3") == Rational(3));
  CHECK(number("--3") == Rational(3));
  CHECK(number("2 * 3^2") == Rational(18));
  CHECK(number("1/3 + 1/6") == Rational(1, 2));
  CHECK(number(" 1\n+\t2\r") == Rational(3));
}

TEST_CASE("expression: functions") {
  CHECK(number("min(3, 1, 2)") == Rational(1));
  CHECK(number("max(3, 1, 2)") == Rational(3));
  CHECK(number("min(7)") == Rational(7));
  CHECK(number("max(-1/2, -1/3)") == Rational(-1, 3));
  CHECK(number("abs(-7/2)") == Rational(7, 2));
  CHECK(number("abs(5)") == Rational(5));
  CHECK(number("floor(3)") == Rational(3));
  CHECK(number("min(M, C)^(R-1) * max(1, floor(N/2))", {{"M", 2}, {"C", 5}, {"R", 3}, {"N", 9}}) ==
        Rational(16));
}

TEST_CASE("expression: variables and names") {
  const Expression e = Expression::parse("min(M, C)^((R-1)*(H-R+1)) + M - _x1", where);
  CHECK(e.names() == std::vector<std::string>{"C", "H", "M", "R", "_x1"});
  CHECK(e.type() == ValueType::number);
  CHECK(e.text() == "min(M, C)^((R-1)*(H-R+1)) + M - _x1");
  CHECK(e.where() == where);
  CHECK(e.evaluate_number({{"M", 2}, {"C", 3}, {"R", 2}, {"H", 4}, {"_x1", Rational(1, 2)}}) ==
        Rational(19, 2));
  CHECK(Expression::parse("3", where).names().empty());

  // Copies share the (immutable) tree and evaluate alike.
  const Expression copy = e;
  Expression moved = Expression::parse("N + 1", where);
  moved = copy;
  CHECK(moved.evaluate_number({{"M", 2}, {"C", 3}, {"R", 2}, {"H", 4}, {"_x1", 0}}) == Rational(10));
}

TEST_CASE("expression: booleans and comparisons") {
  CHECK(truth("1 < 2"));
  CHECK_FALSE(truth("2 < 2"));
  CHECK(truth("2 <= 2"));
  CHECK(truth("3 > 2"));
  CHECK_FALSE(truth("2 >= 3"));
  CHECK(truth("1/2 == 2/4"));
  CHECK(truth("1/2 != 1/3"));
  CHECK(truth("true"));
  CHECK_FALSE(truth("false"));
  CHECK(truth("true == true"));
  CHECK(truth("true != false"));
  CHECK(truth("(1 < 2) == true"));
  CHECK_FALSE(truth("not 1 < 2"));          // not binds looser than a comparison
  CHECK(truth("true or false and false"));  // and binds tighter than or
  CHECK(truth("not false and true"));       // not binds tighter than and
  CHECK_FALSE(truth("not (false or true)"));
  CHECK(truth("not not true"));
  CHECK(truth("-2^2 < -3"));
  CHECK(truth("R <= floor(N/2) + 1", {{"R", 5}, {"N", 8}}));
  CHECK_FALSE(truth("R <= floor(N/2) + 1", {{"R", 6}, {"N", 8}}));
  CHECK(truth("1 < 2 and 2 < 3 and 3 < 4"));
  CHECK(truth("false or false or true"));
  // and/or evaluate their right side only when needed, so guards work.
  CHECK(truth("N == 0 or M / N > 1", {{"N", 0}, {"M", 1}}));
  CHECK_FALSE(truth("N != 0 and M / N > 1", {{"N", 0}, {"M", 1}}));
  CHECK(Expression::parse("1 < 2", where).type() == ValueType::boolean);
  CHECK(Expression::parse("not true", where).evaluate({}) == Value(false));
  CHECK(Expression::parse("7/2", where).evaluate({}) == Value(Rational(7, 2)));
  CHECK(Value(Rational(7, 2)).to_string() == "7/2");
  CHECK(Value(true).to_string() == "true");
}

TEST_CASE("expression: unknown names and division by zero name the place") {
  const std::string unknown = evaluation_error("min(M, C)^(Rr-1)", {{"M", 2}, {"C", 2}, {"R", 2}});
  CHECK(starts_with(unknown, "proofs/C2.toml:14: unknown name 'Rr' in 'min(M, C)^(Rr-1)'"));
  CHECK(contains(unknown, "C, M, R"));  // the names that do exist
  CHECK(contains(evaluation_error("X"), "no parameters are defined"));

  const std::string division = evaluation_error("1/(M-M)", {{"M", 3}});
  CHECK(starts_with(division, where + ": division by zero at column 2 in '1/(M-M)'"));
  CHECK(starts_with(evaluation_error("0^-1"), where + ": zero raised to a negative power"));
  CHECK(starts_with(evaluation_error("2^(1/2)"),
                    where + ": the exponent of 2^(1/2) is not an integer at column 2"));
}

TEST_CASE("expression: malformed text") {
  CHECK(starts_with(parse_error(""), where + ": empty expression"));
  CHECK(starts_with(parse_error("  \n "), where + ": empty expression"));
  CHECK(starts_with(parse_error("1 +"), where + ": expected a number, a name or '(' at column 4 in '1 +'"));
  CHECK(starts_with(parse_error("(1"), where + ": expected ')' at column 3 in '(1'"));
  CHECK(starts_with(parse_error("min(1, 2"), where + ": expected ',' or ')' at column 9"));
  CHECK(starts_with(parse_error("min()"), where + ": min needs at least one argument at column 5"));
  CHECK(starts_with(parse_error("floor()"), where + ": floor takes exactly one argument"));
  CHECK(starts_with(parse_error("floor(1, 2)"), where + ": floor takes exactly one argument, got 2"));
  CHECK(starts_with(parse_error("min"), where + ": expected '(' after 'min'"));
  CHECK(starts_with(parse_error("2 ** 3"), where + ": '**' is not an operator at column 3"));
  CHECK(contains(parse_error("2 ** 3"), "write '^'"));
  CHECK(starts_with(parse_error("1 < 2 < 3"), where + ": comparisons do not chain at column 7"));
  CHECK(starts_with(parse_error("1 == 1 == true"), where + ": comparisons do not chain"));
  CHECK(starts_with(parse_error("1 2"), where + ": expected an operator or the end at column 3"));
  CHECK(starts_with(parse_error("2M"), where + ": expected an operator or the end at column 2"));
  CHECK(starts_with(parse_error("(1))"), where + ": unmatched ')' at column 4"));
  CHECK(starts_with(parse_error("1,2"), where + ": expected an operator or the end at column 2"));
  CHECK(starts_with(parse_error("1.5"), where + ": '.' is not allowed at column 2"));
  CHECK(starts_with(parse_error("a = 1"), where + ": '=' is not an operator"));
  CHECK(starts_with(parse_error("a && b"), where + ": '&' is not an operator"));
  CHECK(starts_with(parse_error("!a"), where + ": '!' is not an operator"));
  CHECK(starts_with(parse_error("1 # 2"), where + ": unexpected character '#' at column 3"));
  CHECK(starts_with(parse_error("1 \xE2\x89\xA4 2"), where + ": unexpected byte 0xE2"));
  CHECK(starts_with(parse_error("and"), where + ": expected a number, a name or '(' at column 1"));
  CHECK(starts_with(parse_error("1 + not"), where + ": expected a number, a name or '(' at column 5"));
  CHECK(starts_with(parse_error("()"), where + ": expected a number, a name or '(' at column 2"));
  // Newlines in the text do not break the one-line message.
  CHECK_FALSE(contains(parse_error("1 +\n"), "\n"));
  // Without a place, the message starts with what is wrong.
  CHECK(starts_with(error_of([] { Expression::parse("(", ""); }), "expected a number"));
}

TEST_CASE("expression: type errors are found when parsing") {
  CHECK(starts_with(parse_error("true + 1"), where + ": '+' needs numbers, found a boolean at column 6"));
  CHECK(starts_with(parse_error("1 - (2 < 3)"), where + ": '-' needs numbers, found a boolean at column 3"));
  CHECK(starts_with(parse_error("1 and 2"), where + ": 'and' needs booleans, found a number"));
  CHECK(starts_with(parse_error("true or 2"), where + ": 'or' needs booleans, found a number"));
  CHECK(starts_with(parse_error("not 1"), where + ": 'not' needs booleans, found a number"));
  CHECK(starts_with(parse_error("true < false"), where + ": '<' needs numbers, found a boolean"));
  CHECK(starts_with(parse_error("1 == true"), where + ": '==' compares a number with a boolean"));
  CHECK(starts_with(parse_error("-true"), where + ": '-' needs numbers, found a boolean"));
  CHECK(starts_with(parse_error("2^true"), where + ": '^' needs numbers"));
  CHECK(starts_with(parse_error("min(1, false)"), where + ": min needs numbers, found a boolean"));
  CHECK(starts_with(parse_error("floor(1 < 2)"), where + ": floor needs numbers"));
  // Even where the value would never be computed: types do not depend on the data.
  CHECK(starts_with(parse_error("true or 1 + true"), where + ": '+' needs numbers"));

  const Expression condition = Expression::parse("1 < 2", where);
  CHECK(starts_with(error_of([&] { condition.evaluate_number({}); }), where + ": expected a number"));
  const Expression bound = Expression::parse("1 + 2", where);
  CHECK(starts_with(error_of([&] { bound.evaluate_bool({}); }), where + ": expected a boolean"));
}

TEST_CASE("expression: sizes are bounded before computing") {
  // 2^(10^18) would never finish; it must be refused from the operands' sizes.
  CHECK(starts_with(evaluation_error("2^(10^18)"),
                    where + ": 2^1000000000000000000 would exceed the limit of 1048576 bits at column 2"));
  CHECK(contains(evaluation_error("2^(2^1000)"), "would exceed the limit"));
  CHECK(contains(evaluation_error("2^1048576"), "would exceed the limit"));  // 2^20 + 1 bits
  CHECK(contains(evaluation_error("(1/2)^(-1048576)"), "would exceed the limit"));
  CHECK(contains(evaluation_error("(2^1000)^2000"), "would exceed the limit"));
  CHECK(contains(evaluation_error("3^(2^20)"), "would exceed the limit"));
  CHECK(contains(evaluation_error("2^2^2^2^2^2"), "would exceed the limit"));  // 2^(2^65536)
  CHECK(contains(evaluation_error("2^1048575 * 2"), "the result of '*' exceeds the limit of 1048576 bits"));
  CHECK(contains(evaluation_error("2^1048575 + 2^1048575"), "the result of '+' exceeds"));
  CHECK(contains(evaluation_error("1 / 2^1048575 / 2"), "the result of '/' exceeds"));
}

TEST_CASE("expression: length and nesting are bounded") {
  CHECK(number(repeat("(", 200) + "1" + repeat(")", 200)) == Rational(1));
  CHECK(starts_with(parse_error(repeat("(", 201) + "1" + repeat(")", 201)),
                    where + ": expression nested deeper than 200 levels at column 201"));
  CHECK(contains(parse_error(std::string(10001, '1')), "longer than 10000 characters"));
  CHECK(contains(parse_error(repeat("-", 300) + "1"), "nested deeper than 200 levels"));
  CHECK(contains(parse_error(repeat("not ", 300) + "true"), "nested deeper than 200 levels"));
  CHECK(contains(parse_error(repeat("2^", 300) + "2"), "nested deeper than 200 levels"));
  CHECK(contains(parse_error(repeat("min(", 300) + "1" + repeat(")", 300)), "nested deeper than 200 levels"));
  CHECK(contains(parse_error(repeat("(", 5000)), "nested deeper than 200 levels"));

  // Long flat chains are not nesting: 4999 additions stay within the length limit and work.
  CHECK(number(std::string("1") + repeat("+1", 4999)) == Rational(5000));
  CHECK(truth(std::string("true") + repeat(" and true", 900)));

  // A long text is quoted around the error, not in full.
  const std::string message = parse_error(repeat("1+", 3000) + "1 # 1");
  CHECK(contains(message, "at column 6003"));
  CHECK(message.size() < 400);
}
