#include "seprank/theorems/rational.hpp"

#include <flint/flint.h>

#include <algorithm>
#include <memory>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

bool is_decimal_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "[-]digits" into an fmpz; false if malformed (fmpz_set_str alone would accept spaces).
bool read_integer(fmpz_t out, const std::string& text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (!is_decimal_digits(negative ? text.substr(1) : text)) return false;
  return fmpz_set_str(out, text.c_str(), 10) == 0;
}

}  // namespace

Rational::Rational(std::int64_t integer) {
  fmpq_init(value_);
  fmpq_set_si(value_, integer, 1);
}

Rational::Rational(std::int64_t numerator, std::int64_t denominator) {
  fmpq_init(value_);
  if (denominator == 0) {
    fmpq_clear(value_);  // the destructor does not run when a constructor throws
    throw data_error("division by zero");
  }
  fmpz_set_si(fmpq_numref(value_), numerator);
  fmpz_set_si(fmpq_denref(value_), denominator);
  fmpq_canonicalise(value_);
}

Rational Rational::from_fmpz(const fmpz_t integer) {
  Rational r;
  fmpz_set(fmpq_numref(r.value_), integer);
  return r;
}

Rational Rational::from_decimal(const std::string& text) {
  Rational r;
  const std::size_t slash = text.find('/');
  const std::string numerator = text.substr(0, slash);
  if (!read_integer(fmpq_numref(r.value_), numerator))
    throw data_error("'" + text + "' is not a decimal integer or fraction");
  if (slash != std::string::npos) {
    const std::string denominator = text.substr(slash + 1);
    if (!is_decimal_digits(denominator) || !read_integer(fmpq_denref(r.value_), denominator))
      throw data_error("'" + text + "' is not a decimal integer or fraction");
    if (fmpz_is_zero(fmpq_denref(r.value_))) throw data_error("'" + text + "': division by zero");
    fmpq_canonicalise(r.value_);
  }
  return r;
}

std::size_t Rational::bits() const {
  return std::max(fmpz_bits(fmpq_numref(value_)), fmpz_bits(fmpq_denref(value_)));
}

std::int64_t Rational::to_int64() const {
  if (!fits_int64()) throw data_error(to_string() + " is not an integer in the 64-bit range");
  return fmpz_get_si(fmpq_numref(value_));
}

Rational Rational::floor() const {
  Rational r;
  fmpz_fdiv_q(fmpq_numref(r.value_), fmpq_numref(value_), fmpq_denref(value_));
  return r;
}

Rational Rational::ceil() const {
  Rational r;
  fmpz_cdiv_q(fmpq_numref(r.value_), fmpq_numref(value_), fmpq_denref(value_));
  return r;
}

Rational Rational::abs() const {
  Rational r;
  fmpq_abs(r.value_, value_);
  return r;
}

std::string Rational::to_string() const {
  // fmpq_get_str allocates with flint_malloc; release it with flint_free.
  std::unique_ptr<char, void (*)(void*)> text(fmpq_get_str(nullptr, 10, value_), flint_free);
  return std::string(text.get());
}

Rational operator-(const Rational& a) {
  Rational r;
  fmpq_neg(r.value_, a.value_);
  return r;
}

Rational operator+(const Rational& a, const Rational& b) {
  Rational r;
  fmpq_add(r.value_, a.value_, b.value_);
  return r;
}

Rational operator-(const Rational& a, const Rational& b) {
  Rational r;
  fmpq_sub(r.value_, a.value_, b.value_);
  return r;
}

Rational operator*(const Rational& a, const Rational& b) {
  Rational r;
  fmpq_mul(r.value_, a.value_, b.value_);
  return r;
}

Rational operator/(const Rational& a, const Rational& b) {
  if (b.is_zero()) throw data_error("division by zero");
  Rational r;
  fmpq_div(r.value_, a.value_, b.value_);
  return r;
}

Rational pow(const Rational& base, std::int64_t exponent) {
  if (exponent < 0 && base.is_zero()) throw data_error("zero raised to a negative power");
  Rational r;
  fmpq_pow_si(r.get(), base.get(), exponent);
  return r;
}

}  // namespace seprank
