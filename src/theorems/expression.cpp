#include "seprank/theorems/expression.hpp"

#include <flint/fmpz.h>

#include <algorithm>
#include <set>
#include <utility>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

enum class Operator {
  add,
  subtract,
  multiply,
  divide,
  less,
  less_equal,
  greater,
  greater_equal,
  equal,
  not_equal
};
enum class Function { min, max, floor, ceil, abs };
enum class NodeKind {
  literal,
  variable,
  negate,
  logical_not,
  sum,
  product,
  power,
  comparison,
  logical_and,
  logical_or,
  call
};

// An operator in a chain ("a - b + c") or a comparison, with its place for error messages.
struct Step {
  Operator op;
  std::size_t column;
};

const char* spelling(Operator op) {
  switch (op) {
    case Operator::add:
      return "+";
    case Operator::subtract:
      return "-";
    case Operator::multiply:
      return "*";
    case Operator::divide:
      return "/";
    case Operator::less:
      return "<";
    case Operator::less_equal:
      return "<=";
    case Operator::greater:
      return ">";
    case Operator::greater_equal:
      return ">=";
    case Operator::equal:
      return "==";
    case Operator::not_equal:
      return "!=";
  }
  return "?";
}

const char* type_name(ValueType type) { return type == ValueType::number ? "a number" : "a boolean"; }

}  // namespace

struct Expression::Node {
  NodeKind kind = NodeKind::literal;
  ValueType type = ValueType::number;
  std::size_t column = 0;             // of the operator, function or name (1-based), for error messages
  Rational number;                    // literal
  bool boolean = false;               // literal
  std::string name;                   // variable
  Function function = Function::min;  // call
  // sum, product: operands[i + 1] joins with steps[i]; comparison: one step.
  std::vector<Step> steps;
  std::vector<std::unique_ptr<const Node>> operands;
};

namespace {

using Node = Expression::Node;
using NodePtr = std::unique_ptr<const Node>;

// The text and the caller's place, for one-line messages "<where>: <what> at column c in '<text>'".
class ErrorContext {
 public:
  ErrorContext(const std::string& text, const std::string& where) : text_(text), where_(where) {}

  // column 0: the message names no column. The hint follows the quoted text.
  [[noreturn]] void fail(const std::string& what, std::size_t column = 0,
                         const std::string& hint = "") const {
    std::string message = where_.empty() ? "" : where_ + ": ";
    message += what;
    if (column > 0) message += " at column " + std::to_string(column);
    message += " in '" + excerpt(column) + "'";
    if (!hint.empty()) message += "; " + hint;
    throw data_error(message);
  }

 private:
  // The text on one line, and around the column if the text is long.
  std::string excerpt(std::size_t column) const {
    constexpr std::size_t shown = 120;
    std::size_t begin = 0;
    if (text_.size() > shown && column > shown / 2)
      begin = std::min(column - shown / 2, text_.size() - shown);
    const std::size_t end = std::min(text_.size(), begin + shown);
    std::string out = begin > 0 ? "..." : "";
    for (std::size_t i = begin; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(text_[i]);
      out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
    }
    if (end < text_.size()) out += "...";
    return out;
  }

  const std::string& text_;
  const std::string& where_;
};

// A value in a message: in full when short, by size when it has hundreds of digits.
std::string describe(const Rational& value) {
  std::string text = value.to_string();
  if (text.size() <= 40) return text;
  return (value.sign() < 0 ? "a negative " : "a ") + std::to_string(value.bits()) + "-bit number";
}

// ---------------------------------------------------------------------------------------------
// Tokens

enum class TokenKind { integer, word, symbol, end };

struct Token {
  TokenKind kind;
  std::string text;
  std::size_t column;  // 1-based; for the end token, one past the text
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<Token> tokenize(const std::string& text, const ErrorContext& context) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  for (;;) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size()) break;
    const std::size_t start = i;
    const std::size_t column = start + 1;
    const char c = text[i];
    if (is_digit(c)) {
      while (i < text.size() && is_digit(text[i])) ++i;
      if (i < text.size() && text[i] == '.')
        context.fail("'.' is not allowed", i + 1, "numbers are integers; write fractions with '/', e.g. 3/2");
      tokens.push_back({TokenKind::integer, text.substr(start, i - start), column});
      continue;
    }
    if (is_word_start(c)) {
      while (i < text.size() && is_word_char(text[i])) ++i;
      tokens.push_back({TokenKind::word, text.substr(start, i - start), column});
      continue;
    }
    const std::string two = text.substr(i, 2);
    if (two == "<=" || two == ">=" || two == "==" || two == "!=") {
      tokens.push_back({TokenKind::symbol, two, column});
      i += 2;
      continue;
    }
    // Spellings from other languages get a pointer to ours rather than a bare "unexpected".
    if (two == "**") context.fail("'**' is not an operator", column, "write '^' for powers");
    if (c == '&') context.fail("'&' is not an operator", column, "write 'and'");
    if (c == '|') context.fail("'|' is not an operator", column, "write 'or'");
    if (c == '!') context.fail("'!' is not an operator", column, "write 'not', or '!=' for 'differs from'");
    if (c == '=') context.fail("'=' is not an operator", column, "write '==' to compare");
    if (c == '.')
      context.fail("'.' is not allowed", column, "numbers are integers; write fractions with '/'");
    if (std::string("+-*/^(),<>").find(c) != std::string::npos) {
      tokens.push_back({TokenKind::symbol, std::string(1, c), column});
      ++i;
      continue;
    }
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f) context.fail(std::string("unexpected character '") + c + "'", column);
    static const char* hex = "0123456789ABCDEF";
    context.fail(
        std::string("unexpected byte 0x") + hex[byte >> 4] + hex[byte & 15] + " (only ASCII is allowed)",
        column);
  }
  tokens.push_back({TokenKind::end, "", text.size() + 1});
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent, one function per grammar rule (see the header). Types are
// checked as each node is built, so an ill-typed expression never reaches evaluation.

bool is_keyword(const std::string& word) {
  return word == "and" || word == "or" || word == "not" || word == "true" || word == "false";
}

bool function_named(const std::string& word, Function& function) {
  static const std::pair<const char*, Function> functions[] = {{"min", Function::min},
                                                               {"max", Function::max},
                                                               {"floor", Function::floor},
                                                               {"ceil", Function::ceil},
                                                               {"abs", Function::abs}};
  for (const auto& [name, f] : functions)
    if (word == name) {
      function = f;
      return true;
    }
  return false;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ErrorContext& context)
      : tokens_(std::move(tokens)), context_(context) {}

  NodePtr parse_all() {
    NodePtr root = parse_or();
    const Token& rest = peek();
    if (rest.kind != TokenKind::end) {
      if (rest.text == ")") context_.fail("unmatched ')'", rest.column);
      context_.fail("expected an operator or the end", rest.column);
    }
    return root;
  }

  std::vector<std::string> names() const { return {names_.begin(), names_.end()}; }

 private:
  const Token& peek() const { return tokens_[position_]; }
  Token take() { return tokens_[position_++]; }  // never past the end token: parse_all stops there
  bool at_symbol(const char* symbol) const {
    return peek().kind == TokenKind::symbol && peek().text == symbol;
  }
  bool at_word(const char* word) const { return peek().kind == TokenKind::word && peek().text == word; }

  // Every recursion that the input controls goes through here, so nesting cannot exhaust the stack.
  NodePtr nested(NodePtr (Parser::*rule)(), std::size_t column) {
    if (nesting_ >= expression_max_nesting)
      context_.fail("expression nested deeper than " + std::to_string(expression_max_nesting) + " levels",
                    column);
    ++nesting_;
    NodePtr node = (this->*rule)();
    --nesting_;
    return node;
  }

  void require(const Node& operand, ValueType wanted, const std::string& what, std::size_t column) const {
    if (operand.type != wanted)
      context_.fail(what + " needs " + (wanted == ValueType::number ? "numbers" : "booleans") + ", found " +
                        type_name(operand.type),
                    column);
  }

  static std::unique_ptr<Node> make(NodeKind kind, ValueType type, std::size_t column) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->type = type;
    node->column = column;
    return node;
  }

  // or / and: flat n-ary nodes, so long chains do not make deep trees.
  NodePtr parse_logical(NodeKind kind, const char* keyword, NodePtr (Parser::*operand_rule)()) {
    NodePtr first = (this->*operand_rule)();
    if (!at_word(keyword)) return first;
    auto node = make(kind, ValueType::boolean, peek().column);
    require(*first, ValueType::boolean, std::string("'") + keyword + "'", peek().column);
    node->operands.push_back(std::move(first));
    while (at_word(keyword)) {
      const std::size_t column = take().column;
      NodePtr next = (this->*operand_rule)();
      require(*next, ValueType::boolean, std::string("'") + keyword + "'", column);
      node->operands.push_back(std::move(next));
    }
    return node;
  }

  NodePtr parse_or() { return parse_logical(NodeKind::logical_or, "or", &Parser::parse_and); }
  NodePtr parse_and() { return parse_logical(NodeKind::logical_and, "and", &Parser::parse_not); }

  NodePtr parse_not() {
    if (!at_word("not")) return parse_comparison();
    const std::size_t column = take().column;
    NodePtr operand = nested(&Parser::parse_not, column);
    require(*operand, ValueType::boolean, "'not'", column);
    auto node = make(NodeKind::logical_not, ValueType::boolean, column);
    node->operands.push_back(std::move(operand));
    return node;
  }

  bool at_comparison(Operator& op) const {
    if (peek().kind != TokenKind::symbol) return false;
    static const std::pair<const char*, Operator> comparisons[] = {
        {"<", Operator::less},           {"<=", Operator::less_equal}, {">", Operator::greater},
        {">=", Operator::greater_equal}, {"==", Operator::equal},      {"!=", Operator::not_equal}};
    for (const auto& [symbol, o] : comparisons)
      if (peek().text == symbol) {
        op = o;
        return true;
      }
    return false;
  }

  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    Operator op;
    if (!at_comparison(op)) return left;
    const std::size_t column = take().column;
    NodePtr right = parse_additive();
    Operator next;
    if (at_comparison(next))
      context_.fail("comparisons do not chain", peek().column, "write 'a < b and b < c'");
    const std::string what = std::string("'") + spelling(op) + "'";
    if (op == Operator::equal || op == Operator::not_equal) {
      if (left->type != right->type)
        context_.fail(what + " compares " + type_name(left->type) + " with " + type_name(right->type),
                      column);
    } else {
      require(*left, ValueType::number, what, column);
      require(*right, ValueType::number, what, column);
    }
    auto node = make(NodeKind::comparison, ValueType::boolean, column);
    node->steps.push_back({op, column});
    node->operands.push_back(std::move(left));
    node->operands.push_back(std::move(right));
    return node;
  }

  // + - and * /: flat chains, evaluated left to right.
  NodePtr parse_chain(NodeKind kind, char first_symbol, Operator first_op, char second_symbol,
                      Operator second_op, NodePtr (Parser::*operand_rule)()) {
    NodePtr first = (this->*operand_rule)();
    auto at_operator = [&] {
      return peek().kind == TokenKind::symbol && peek().text.size() == 1 &&
             (peek().text[0] == first_symbol || peek().text[0] == second_symbol);
    };
    if (!at_operator()) return first;
    auto node = make(kind, ValueType::number, peek().column);
    require(*first, ValueType::number, "'" + peek().text + "'", peek().column);
    node->operands.push_back(std::move(first));
    while (at_operator()) {
      const Token token = take();
      const Operator op = token.text[0] == first_symbol ? first_op : second_op;
      NodePtr next = (this->*operand_rule)();
      require(*next, ValueType::number, "'" + token.text + "'", token.column);
      node->steps.push_back({op, token.column});
      node->operands.push_back(std::move(next));
    }
    return node;
  }

  NodePtr parse_additive() {
    return parse_chain(NodeKind::sum, '+', Operator::add, '-', Operator::subtract,
                       &Parser::parse_multiplicative);
  }
  NodePtr parse_multiplicative() {
    return parse_chain(NodeKind::product, '*', Operator::multiply, '/', Operator::divide,
                       &Parser::parse_unary);
  }

  NodePtr parse_unary() {
    if (!at_symbol("-")) return parse_power();
    const std::size_t column = take().column;
    NodePtr operand = nested(&Parser::parse_unary, column);
    require(*operand, ValueType::number, "'-'", column);
    auto node = make(NodeKind::negate, ValueType::number, column);
    node->operands.push_back(std::move(operand));
    return node;
  }

  NodePtr parse_power() {
    NodePtr base = parse_primary();
    if (!at_symbol("^")) return base;
    const std::size_t column = take().column;
    // The exponent is a unary: right-associative (2^3^2 = 2^9) and allows 2^-1.
    NodePtr exponent = nested(&Parser::parse_unary, column);
    require(*base, ValueType::number, "'^'", column);
    require(*exponent, ValueType::number, "'^'", column);
    auto node = make(NodeKind::power, ValueType::number, column);
    node->operands.push_back(std::move(base));
    node->operands.push_back(std::move(exponent));
    return node;
  }

  NodePtr parse_primary() {
    const Token token = peek();
    if (token.kind == TokenKind::integer) {
      take();
      auto node = make(NodeKind::literal, ValueType::number, token.column);
      node->number = Rational::from_decimal(token.text);
      return node;
    }
    if (token.kind == TokenKind::symbol && token.text == "(") {
      take();
      NodePtr inner = nested(&Parser::parse_or, token.column);
      if (!at_symbol(")")) context_.fail("expected ')'", peek().column);
      take();
      return inner;
    }
    if (token.kind == TokenKind::word && !is_keyword(token.text)) {
      take();
      Function function;
      if (function_named(token.text, function)) return parse_call(token, function);
      auto node = make(NodeKind::variable, ValueType::number, token.column);
      node->name = token.text;
      names_.insert(token.text);
      return node;
    }
    if (token.kind == TokenKind::word && (token.text == "true" || token.text == "false")) {
      take();
      auto node = make(NodeKind::literal, ValueType::boolean, token.column);
      node->boolean = token.text == "true";
      return node;
    }
    context_.fail("expected a number, a name or '('", token.column);
  }

  NodePtr parse_call(const Token& name, Function function) {
    if (!at_symbol("("))
      context_.fail("expected '(' after '" + name.text + "'", peek().column,
                    "'" + name.text + "' is a function, not a name");
    take();
    const bool variadic = function == Function::min || function == Function::max;
    if (at_symbol(")"))
      context_.fail(name.text + (variadic ? " needs at least one argument" : " takes exactly one argument"),
                    peek().column);
    auto node = make(NodeKind::call, ValueType::number, name.column);
    node->function = function;
    for (;;) {
      NodePtr argument = nested(&Parser::parse_or, peek().column);
      require(*argument, ValueType::number, name.text, name.column);
      node->operands.push_back(std::move(argument));
      if (!at_symbol(",")) break;
      take();
    }
    if (!at_symbol(")")) context_.fail(variadic ? "expected ',' or ')'" : "expected ')'", peek().column);
    take();
    if (!variadic && node->operands.size() != 1)
      context_.fail(name.text + " takes exactly one argument, got " + std::to_string(node->operands.size()),
                    name.column);
    return node;
  }

  std::vector<Token> tokens_;
  const ErrorContext& context_;
  std::size_t position_ = 0;
  int nesting_ = 0;
  std::set<std::string> names_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation. The parser guarantees the operand types, so each node is evaluated by the
// function of its type.

class Evaluator {
 public:
  Evaluator(const std::map<std::string, Rational>& variables, const ErrorContext& context)
      : variables_(variables), context_(context) {}

  Rational number(const Node& node) const {
    switch (node.kind) {
      case NodeKind::literal:
        return node.number;
      case NodeKind::variable: {
        const auto found = variables_.find(node.name);
        if (found == variables_.end()) unknown_name(node);
        return found->second;
      }
      case NodeKind::negate:
        return -number(*node.operands[0]);
      case NodeKind::sum:
      case NodeKind::product:
        return chain(node);
      case NodeKind::power:
        return power(number(*node.operands[0]), number(*node.operands[1]), node.column);
      case NodeKind::call:
        return call(node);
      default:
        break;
    }
    throw Error(exit_internal, "expression: a boolean node was evaluated as a number");
  }

  bool boolean(const Node& node) const {
    switch (node.kind) {
      case NodeKind::literal:
        return node.boolean;
      case NodeKind::logical_not:
        return !boolean(*node.operands[0]);
      case NodeKind::logical_and:
        for (const NodePtr& operand : node.operands)
          if (!boolean(*operand)) return false;
        return true;
      case NodeKind::logical_or:
        for (const NodePtr& operand : node.operands)
          if (boolean(*operand)) return true;
        return false;
      case NodeKind::comparison:
        return compare(node);
      default:
        break;
    }
    throw Error(exit_internal, "expression: a number node was evaluated as a boolean");
  }

 private:
  [[noreturn]] void unknown_name(const Node& node) const {
    std::string known;
    std::size_t listed = 0;
    for (const auto& [name, value] : variables_) {
      if (listed == 20) {
        known += ", ...";
        break;
      }
      known += (listed++ == 0 ? "" : ", ") + name;
    }
    context_.fail("unknown name '" + node.name + "'", 0,
                  known.empty() ? "no parameters are defined" : "the parameters are " + known);
  }

  Rational checked_size(Rational result, const Step& step) const {
    if (result.bits() > max_value_bits)
      context_.fail(std::string("the result of '") + spelling(step.op) + "' exceeds the limit of " +
                        std::to_string(max_value_bits) + " bits",
                    step.column);
    return result;
  }

  Rational chain(const Node& node) const {
    Rational result = number(*node.operands[0]);
    for (std::size_t i = 0; i < node.steps.size(); ++i) {
      const Step& step = node.steps[i];
      const Rational operand = number(*node.operands[i + 1]);
      switch (step.op) {
        case Operator::add:
          result = checked_size(result + operand, step);
          break;
        case Operator::subtract:
          result = checked_size(result - operand, step);
          break;
        case Operator::multiply:
          result = checked_size(result * operand, step);
          break;
        case Operator::divide:
          if (operand.is_zero()) context_.fail("division by zero", step.column);
          result = checked_size(result / operand, step);
          break;
        default:
          throw Error(exit_internal, "expression: a comparison in an arithmetic chain");
      }
    }
    return result;
  }

  Rational power(const Rational& base, const Rational& exponent, std::size_t column) const {
    // "b^e" for messages, built only on failure (describing a huge base costs a conversion).
    auto operand = [](const Rational& value) {
      std::string text = describe(value);
      if (value.sign() < 0 || !value.is_integer()) text.insert(0, 1, '(').push_back(')');
      return text;
    };
    auto shown = [&] { return operand(base) + "^" + operand(exponent); };
    if (!exponent.is_integer()) context_.fail("the exponent of " + shown() + " is not an integer", column);
    if (base.is_zero()) {
      if (exponent.sign() < 0) context_.fail("zero raised to a negative power, " + shown(), column);
      return Rational(exponent.is_zero() ? 1 : 0);
    }
    if (exponent.is_zero()) return Rational(1);
    // |base| = 1: the result is +-1 however large the exponent.
    if (base.is_integer() && fmpz_is_pm1(base.numerator()))
      return Rational(base.sign() > 0 || fmpz_is_even(exponent.numerator()) ? 1 : -1);
    // Now numerator or denominator has b >= 2 bits, so the result has at least |e|(b - 1) + 1
    // bits: refuse from the operands alone when that exceeds the limit, before computing.
    const Rational magnitude = exponent.abs();
    const std::size_t base_bits = base.bits();
    const bool surely_too_large = fmpz_cmp_ui(magnitude.numerator(), max_value_bits) > 0 ||
                                  base_bits - 1 > (max_value_bits - 1) / fmpz_get_ui(magnitude.numerator());
    auto fail_too_large = [&] {
      context_.fail(shown() + " would exceed the limit of " + std::to_string(max_value_bits) + " bits",
                    column);
    };
    if (surely_too_large) fail_too_large();
    // Within the lower bound the result has at most |e| b <= 2 |e| (b - 1) < 2 * limit bits:
    // cheap to compute, then measured exactly.
    Rational result = pow(base, exponent.to_int64());
    if (result.bits() > max_value_bits) fail_too_large();
    return result;
  }

  Rational call(const Node& node) const {
    Rational result = number(*node.operands[0]);
    switch (node.function) {
      case Function::min:
      case Function::max:
        for (std::size_t i = 1; i < node.operands.size(); ++i) {
          Rational other = number(*node.operands[i]);
          if (node.function == Function::min ? other < result : other > result) result = std::move(other);
        }
        return result;
      case Function::floor:
        return result.floor();
      case Function::ceil:
        return result.ceil();
      case Function::abs:
        return result.abs();
    }
    throw Error(exit_internal, "expression: unknown function");
  }

  bool compare(const Node& node) const {
    const Operator op = node.steps[0].op;
    const Node& left = *node.operands[0];
    const Node& right = *node.operands[1];
    if (left.type == ValueType::boolean) {  // only == and != reach here (checked when parsing)
      const bool same = boolean(left) == boolean(right);
      return op == Operator::equal ? same : !same;
    }
    const std::strong_ordering order = number(left) <=> number(right);
    switch (op) {
      case Operator::less:
        return order < 0;
      case Operator::less_equal:
        return order <= 0;
      case Operator::greater:
        return order > 0;
      case Operator::greater_equal:
        return order >= 0;
      case Operator::equal:
        return order == 0;
      case Operator::not_equal:
        return order != 0;
      default:
        break;
    }
    throw Error(exit_internal, "expression: an arithmetic operator in a comparison");
  }

  const std::map<std::string, Rational>& variables_;
  const ErrorContext& context_;
};

}  // namespace

std::string Value::to_string() const {
  if (is_number()) return number().to_string();
  return boolean() ? "true" : "false";
}

Expression::Expression(std::string text, std::string where, std::shared_ptr<const Node> root,
                       std::vector<std::string> names)
    : text_(std::move(text)), where_(std::move(where)), root_(std::move(root)), names_(std::move(names)) {}

Expression Expression::parse(const std::string& text, const std::string& where) {
  const ErrorContext context(text, where);
  if (text.size() > expression_max_length)
    context.fail("expression longer than " + std::to_string(expression_max_length) + " characters");
  std::vector<Token> tokens = tokenize(text, context);
  if (tokens.size() == 1) context.fail("empty expression");
  Parser parser(std::move(tokens), context);
  std::shared_ptr<const Node> root = parser.parse_all();
  return Expression(text, where, std::move(root), parser.names());
}

ValueType Expression::type() const { return root_->type; }

Value Expression::evaluate(const std::map<std::string, Rational>& variables) const {
  const ErrorContext context(text_, where_);
  const Evaluator evaluator(variables, context);
  if (root_->type == ValueType::number) return Value(evaluator.number(*root_));
  return Value(evaluator.boolean(*root_));
}

Rational Expression::evaluate_number(const std::map<std::string, Rational>& variables) const {
  if (root_->type != ValueType::number)
    ErrorContext(text_, where_).fail("expected a number, found a boolean expression");
  return evaluate(variables).number();
}

bool Expression::evaluate_bool(const std::map<std::string, Rational>& variables) const {
  if (root_->type != ValueType::boolean)
    ErrorContext(text_, where_).fail("expected a boolean (a comparison or condition), found a number");
  return evaluate(variables).boolean();
}

}  // namespace seprank
