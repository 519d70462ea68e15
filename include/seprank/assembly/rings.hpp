// The two coefficient rings the evaluator runs over: GF(p) (FLINT nmod, p < 2^63) and Z
// (FLINT fmpz; integer weights give the grid tensor over Q). Each ring names its element type
// and a buffer type that owns elements (RAII around fmpz's init/clear).
#pragma once

#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/nmod_vec.h>

#include <cstdint>
#include <vector>

namespace seprank {

struct NmodRing {
  using Elem = mp_limb_t;
  using Buffer = std::vector<mp_limb_t>;
  nmod_t mod;

  explicit NmodRing(std::uint64_t prime) { nmod_init(&mod, prime); }
  void set_int(Elem& dst, std::int64_t v) const {
    // v < 0: -(v + 1) = |v| - 1 cannot overflow, and v = -(|v| - 1) - 1 = n - 1 - r (mod n).
    dst = v >= 0 ? static_cast<mp_limb_t>(v) % mod.n
                 : mod.n - 1 - static_cast<mp_limb_t>(-(v + 1)) % mod.n;
  }
  void set(Elem& dst, const Elem& src) const { dst = src; }
  void zero(Elem& dst) const { dst = 0; }
  void one(Elem& dst) const { dst = 1 % mod.n; }
  void mul(Elem& dst, const Elem& a, const Elem& b) const { dst = nmod_mul(a, b, mod); }
  void addmul(Elem& dst, const Elem& a, const Elem& b) const {
    dst = nmod_add(dst, nmod_mul(a, b, mod), mod);
  }
};

// An owning vector of fmpz: fmpz zero is the machine word 0, so value-initialised storage is
// valid; the destructor releases any limbs that grew.
class FmpzBuffer {
 public:
  FmpzBuffer() = default;
  explicit FmpzBuffer(std::size_t n) : data_(n, 0) {}
  FmpzBuffer(const FmpzBuffer& other) : data_(other.data_.size(), 0) {
    for (std::size_t i = 0; i < data_.size(); ++i) fmpz_set(&data_[i], &other.data_[i]);
  }
  FmpzBuffer& operator=(const FmpzBuffer&) = delete;
  FmpzBuffer(FmpzBuffer&& other) noexcept : data_(std::move(other.data_)) {}
  FmpzBuffer& operator=(FmpzBuffer&& other) noexcept {
    data_.swap(other.data_);
    return *this;
  }
  ~FmpzBuffer() {
    for (auto& v : data_) fmpz_clear(&v);
  }
  void assign(std::size_t n, int /*zero*/) {
    for (auto& v : data_) fmpz_clear(&v);
    data_.assign(n, 0);
  }
  std::size_t size() const { return data_.size(); }
  fmpz& operator[](std::size_t i) { return data_[i]; }
  const fmpz& operator[](std::size_t i) const { return data_[i]; }

 private:
  std::vector<fmpz> data_;
};

struct FmpzRing {
  using Elem = fmpz;
  using Buffer = FmpzBuffer;

  void set_int(Elem& dst, std::int64_t v) const { fmpz_set_si(&dst, v); }
  void set(Elem& dst, const Elem& src) const { fmpz_set(&dst, &src); }
  void zero(Elem& dst) const { fmpz_zero(&dst); }
  void one(Elem& dst) const { fmpz_one(&dst); }
  void mul(Elem& dst, const Elem& a, const Elem& b) const { fmpz_mul(&dst, &a, &b); }
  void addmul(Elem& dst, const Elem& a, const Elem& b) const { fmpz_addmul(&dst, &a, &b); }
};

}  // namespace seprank
