// An exact rational number: an RAII owner of a FLINT fmpq (init/clear pair), always in
// canonical form (lowest terms, positive denominator). Integers are the rationals whose
// denominator is 1; their numerator is an fmpz of any size.
#pragma once

#include <flint/fmpq.h>
#include <flint/fmpz.h>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>

namespace seprank {

class Rational {
 public:
  Rational() { fmpq_init(value_); }  // zero
  Rational(std::int64_t integer);    // NOLINT(google-explicit-constructor): integers are rationals
  // numerator / denominator, reduced; data_error if the denominator is zero.
  Rational(std::int64_t numerator, std::int64_t denominator);
  static Rational from_fmpz(const fmpz_t integer);
  // "[-]digits" or "[-]digits/digits" (the spelling to_string() produces), nothing else: no
  // spaces, no '+', no decimal point. data_error if malformed or the denominator is zero.
  static Rational from_decimal(const std::string& text);

  Rational(const Rational& other) {
    fmpq_init(value_);
    fmpq_set(value_, other.value_);
  }
  Rational(Rational&& other) noexcept {
    fmpq_init(value_);  // zero costs no allocation; the swap hands other a valid zero
    fmpq_swap(value_, other.value_);
  }
  Rational& operator=(const Rational& other) {
    fmpq_set(value_, other.value_);
    return *this;
  }
  Rational& operator=(Rational&& other) noexcept {
    fmpq_swap(value_, other.value_);
    return *this;
  }
  ~Rational() { fmpq_clear(value_); }

  fmpq* get() { return value_; }
  const fmpq* get() const { return value_; }
  const fmpz* numerator() const { return fmpq_numref(value_); }
  const fmpz* denominator() const { return fmpq_denref(value_); }

  bool is_zero() const { return fmpq_is_zero(value_) != 0; }
  bool is_integer() const { return fmpz_is_one(fmpq_denref(value_)) != 0; }
  int sign() const { return fmpq_sgn(value_); }
  // The larger of the bit lengths of numerator and denominator (0 for zero): the size measure
  // the expression evaluator bounds.
  std::size_t bits() const;
  // Only for is_integer() values whose numerator fits in 64 bits (fits_int64()); data_error otherwise.
  bool fits_int64() const { return is_integer() && fmpz_fits_si(fmpq_numref(value_)); }
  std::int64_t to_int64() const;

  Rational floor() const;  // the largest integer <= *this
  Rational ceil() const;   // the smallest integer >= *this
  Rational abs() const;
  // "p" for integers, "p/q" otherwise, in decimal.
  std::string to_string() const;

  friend Rational operator-(const Rational& a);
  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  // data_error("division by zero") if b is zero; callers that can name a place check first.
  friend Rational operator/(const Rational& a, const Rational& b);
  friend bool operator==(const Rational& a, const Rational& b) { return fmpq_equal(a.value_, b.value_) != 0; }
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
    return fmpq_cmp(a.value_, b.value_) <=> 0;
  }

 private:
  fmpq_t value_;
};

// base^exponent. Precondition (checked, data_error): base is nonzero when exponent < 0.
// Does not bound the size of the result; the expression evaluator estimates it first.
Rational pow(const Rational& base, std::int64_t exponent);

}  // namespace seprank
