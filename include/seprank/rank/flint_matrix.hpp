// RAII owners of FLINT matrices (init/clear pairs), so no path leaks or double-frees.
#pragma once

#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>

#include <cstdint>

namespace seprank {

class NmodMatrix {
 public:
  NmodMatrix(std::int64_t rows, std::int64_t cols, std::uint64_t prime) {
    nmod_mat_init(m_, rows, cols, prime);
  }
  NmodMatrix(const NmodMatrix& other) { nmod_mat_init_set(m_, other.m_); }
  NmodMatrix& operator=(const NmodMatrix&) = delete;
  ~NmodMatrix() { nmod_mat_clear(m_); }
  nmod_mat_struct* get() { return m_; }
  const nmod_mat_struct* get() const { return m_; }
  std::int64_t rows() const { return m_->r; }
  std::int64_t cols() const { return m_->c; }
  mp_limb_t& at(std::int64_t r, std::int64_t c) { return nmod_mat_entry(m_, r, c); }
  mp_limb_t at(std::int64_t r, std::int64_t c) const { return nmod_mat_entry(m_, r, c); }

 private:
  nmod_mat_t m_;
};

class FmpzMatrix {
 public:
  FmpzMatrix(std::int64_t rows, std::int64_t cols) { fmpz_mat_init(m_, rows, cols); }
  FmpzMatrix(const FmpzMatrix& other) { fmpz_mat_init_set(m_, other.m_); }
  FmpzMatrix& operator=(const FmpzMatrix&) = delete;
  ~FmpzMatrix() { fmpz_mat_clear(m_); }
  fmpz_mat_struct* get() { return m_; }
  const fmpz_mat_struct* get() const { return m_; }
  std::int64_t rows() const { return m_->r; }
  std::int64_t cols() const { return m_->c; }
  fmpz* at(std::int64_t r, std::int64_t c) { return fmpz_mat_entry(m_, r, c); }
  const fmpz* at(std::int64_t r, std::int64_t c) const { return fmpz_mat_entry(m_, r, c); }

 private:
  fmpz_mat_t m_;
};

}  // namespace seprank
