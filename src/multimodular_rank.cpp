#include "seprank/multimodular_rank.hpp"

#include <flint/fmpz.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "seprank/assemble.hpp"
#include "seprank/exact_rank.hpp"

namespace seprank {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// An fmpz owned for one scope.
struct Fmpz {
  fmpz_t v;
  Fmpz() { fmpz_init_set_ui(v, 1); }
  Fmpz(const Fmpz&) = delete;
  Fmpz& operator=(const Fmpz&) = delete;
  ~Fmpz() { fmpz_clear(v); }
};

}  // namespace

std::int64_t hadamard_bits(std::int64_t k, double entry_bits) {
  if (k <= 0) return 0;
  // log2 H(k) = k·(entry_bits + log2(k)/2). The relative error of the few floating-point
  // operations behind entry_bits and this line is below 1e-12; inflate by 1e-9 relative and
  // round up with 2 bits to spare, so 2^L >= H(k) is certain.
  const double e = std::max(entry_bits, 0.0);
  const double bits = static_cast<double>(k) * (e + 0.5 * std::log2(static_cast<double>(k)));
  return static_cast<std::int64_t>(std::ceil(bits * (1 + 1e-9))) + 2;
}

std::uint64_t previous_prime(std::uint64_t below) {
  if (below <= 2) return 0;
  std::uint64_t p = below - 1;
  while (p >= 2 && !n_is_prime(p)) --p;  // n_is_prime: deterministic for 64-bit integers
  return p >= 2 ? p : 0;
}

MultimodularRank multimodular_rank(const PreparedNetwork& net, double entry_bits, const MultimodularOptions& options) {
  if (net.domain.modular) throw std::invalid_argument("multimodular_rank: the network has modular weights");
  MultimodularRank out;
  const auto matrix_size = static_cast<std::int64_t>(std::min(net.rows, net.cols));
  std::int64_t proven_upper = matrix_size;
  if (options.upper_bound && *options.upper_bound < static_cast<std::uint64_t>(matrix_size))
    proven_upper = static_cast<std::int64_t>(*options.upper_bound);
  Fmpz product;
  std::uint64_t next_below = options.first_prime == ~std::uint64_t{0} ? options.first_prime : options.first_prime + 1;
  for (;;) {
    // Stopping rules, checked before each prime (the first test needs no prime at all when
    // the matrix is empty).
    if (out.rank >= proven_upper) {
      out.exact = true;
      out.stopped_by = out.rank == matrix_size ? "matrix size" : "upper bound";
      break;
    }
    out.hadamard_bits = hadamard_bits(out.rank + 1, entry_bits);
    out.product_bits = static_cast<std::int64_t>(fmpz_bits(product.v));
    // product >= 2^(bits - 1) > 2^L >= H(rank + 1) once bits - 1 > L.
    if (!out.primes.empty() && out.product_bits - 1 > out.hadamard_bits) {
      out.exact = true;
      out.stopped_by = "Hadamard bound";
      break;
    }
    if (options.max_primes && out.primes.size() >= options.max_primes) {
      out.stopped_by = "prime limit";
      break;
    }
    const std::uint64_t p = previous_prime(next_below);
    if (p == 0) throw std::runtime_error("multimodular_rank: ran out of primes");
    next_below = p;
    auto start = std::chrono::steady_clock::now();
    NmodMatrix matrix = assemble_mod_p(net, p, options.threads);  // integer weights reduced mod p
    out.assembly_seconds += seconds_since(start);
    start = std::chrono::steady_clock::now();
    const std::int64_t r = rank_mod_p_in_place(matrix, options.threads);
    out.rank_seconds += seconds_since(start);
    out.primes.push_back(p);
    out.ranks.push_back(r);
    out.rank = std::max(out.rank, r);
    fmpz_mul_ui(product.v, product.v, p);
  }
  return out;
}

}  // namespace seprank
