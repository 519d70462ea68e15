// Exact expressions of theorem files (docs/theorem-format.md, "Expressions"): bounds such as
// "min(M, C)^(R-1)" and hypotheses such as "R <= floor(N/2) + 1", evaluated over exact
// rationals and booleans, never floating point.
//
// Usage (the first test in tests/test_expression.cpp is this example):
//
//   const seprank::Expression bound = seprank::Expression::parse("min(M, C)^(R-1)", "proofs/C2.toml:14");
//   const std::map<std::string, seprank::Rational> instance = {{"M", 2}, {"C", 3}, {"R", 4}};
//   seprank::Rational lower = bound.evaluate_number(instance);   // 8
//   std::vector<std::string> parameters = bound.names();          // {"C", "M", "R"}
//
// Grammar (whitespace -- space, tab, newline, carriage return -- separates tokens and is
// otherwise ignored; precedence rises from top to bottom):
//
//   expression     := or
//   or             := and ( "or" and )*
//   and            := not ( "and" not )*
//   not            := "not" not | comparison
//   comparison     := additive [ ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) additive ]
//                       -- non-associative: "1 < 2 < 3" is an error
//   additive       := multiplicative ( ( "+" | "-" ) multiplicative )*
//   multiplicative := unary ( ( "*" | "/" ) unary )*
//   unary          := "-" unary | power
//   power          := primary [ "^" unary ]
//                       -- right-associative, tighter than unary minus:
//                       -- -2^2 = -4, 2^3^2 = 2^9 = 512, 2^-1 = 1/2
//   primary        := integer | "true" | "false" | name | function "(" arguments ")"
//                   | "(" expression ")"
//   function       := "min" | "max"        -- one or more arguments
//                   | "floor" | "ceil" | "abs"   -- exactly one argument
//   arguments      := expression ( "," expression )*
//   integer        := [0-9]+               -- decimal, any size; no sign, no decimal point
//   name           := [A-Za-z_][A-Za-z0-9_]* other than the keywords and function names
//
// Semantics:
// - Numbers are exact rationals; "/" is exact division (7/2 stays 7/2). "^" needs an integer
//   exponent; a negative exponent needs a nonzero base; 0^0 = 1.
// - No value may exceed max_value_bits bits in numerator or denominator. Powers are refused
//   from the operands' sizes before computing, so 2^(10^18) fails at once; 3^200 is fine.
// - Types are checked when parsing, independently of the values: numbers for arithmetic,
//   functions and "<" "<=" ">" ">="; booleans for "and" "or" "not"; "==" and "!=" need two
//   numbers or two booleans. Names always denote numbers.
// - "and" and "or" evaluate their right side only when needed, so "N == 0 or M/N > 1" is a
//   valid guard. (Types are checked regardless, as above.)
//
// Errors throw data_error with one line "<where>: <what> [at column <c>] in '<text>'", where
// `where` is what the caller passed (e.g. "proofs/C2.toml:14") and the column is the 1-based
// character position in the expression text. Expressions are immutable after parsing; copies
// share the tree, and evaluating from several threads at once is safe.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "seprank/theorems/rational.hpp"

namespace seprank {

inline constexpr std::size_t expression_max_length = 10000;  // characters of text
inline constexpr int expression_max_nesting = 200;  // parentheses, arguments, "-", "not", "^" exponents
inline constexpr std::size_t max_value_bits = std::size_t{1} << 20;

enum class ValueType { number, boolean };

class Value {
 public:
  explicit Value(Rational number) : value_(std::move(number)) {}
  explicit Value(bool boolean) : value_(boolean) {}

  ValueType type() const { return is_number() ? ValueType::number : ValueType::boolean; }
  bool is_number() const { return std::holds_alternative<Rational>(value_); }
  bool is_boolean() const { return std::holds_alternative<bool>(value_); }
  // Preconditions: is_number() / is_boolean() (std::bad_variant_access otherwise).
  const Rational& number() const { return std::get<Rational>(value_); }
  bool boolean() const { return std::get<bool>(value_); }
  std::string to_string() const;  // "7/2", "true"

  friend bool operator==(const Value& a, const Value& b) = default;

 private:
  std::variant<Rational, bool> value_;
};

class Expression {
 public:
  // data_error (prefixed by `where`) if the text is malformed, too long, nested too deeply,
  // or ill-typed.
  static Expression parse(const std::string& text, const std::string& where);

  // data_error (prefixed by `where`) on an unknown name, division by zero, a non-integer
  // exponent, zero to a negative power, or a value beyond max_value_bits.
  Value evaluate(const std::map<std::string, Rational>& variables) const;
  // As evaluate(), and a data_error if the expression is of the other type.
  Rational evaluate_number(const std::map<std::string, Rational>& variables) const;
  bool evaluate_bool(const std::map<std::string, Rational>& variables) const;

  ValueType type() const;                                    // known from parsing alone
  std::vector<std::string> names() const { return names_; }  // variables used, sorted, once each
  const std::string& text() const { return text_; }
  const std::string& where() const { return where_; }

  struct Node;  // the syntax tree, defined in src/theorems/expression.cpp

 private:
  Expression(std::string text, std::string where, std::shared_ptr<const Node> root,
             std::vector<std::string> names);

  std::string text_;
  std::string where_;
  std::shared_ptr<const Node> root_;
  std::vector<std::string> names_;
};

}  // namespace seprank
