#include "seprank/rank/multimodular_rank.hpp"

#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "seprank/assembly/assemble.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/support/progress.hpp"
#include "seprank/rank/rank_fflas.hpp"

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

// The progress line before a batch of primes: which ones, and how far the stopping rules are.
std::string progress_label(const MultimodularRank& so_far, std::size_t count, std::int64_t proven_upper) {
  const std::size_t first = so_far.primes.size() + 1;
  std::string s = count > 1 ? "rank over Q: primes " : "rank over Q: prime ";
  s += std::to_string(first);
  if (count > 1) s += '-' + std::to_string(first + count - 1);
  if (so_far.primes.empty()) return s;
  s += ", rank in [" + std::to_string(so_far.rank) + ", " + std::to_string(proven_upper) + "]";
  // Rule 3 stops once product_bits - 1 > hadamard_bits.
  return s + ", Hadamard bound needs " + std::to_string(so_far.hadamard_bits + 2 - so_far.product_bits) +
         " more bits";
}

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
  // Small matrices: one prime per thread at once (each thread assembles and ranks its own
  // matrix single-threaded); large ones: one prime at a time, all threads on it.
  const int threads = std::max(options.execution.threads, 1);
  const bool one_prime_per_thread =
      threads > 1 && net.rows * net.cols <= multimodular_parallel_entries;
  const std::size_t batch = one_prime_per_thread ? static_cast<std::size_t>(threads) : 1;
  // One prime per thread: each worker's elimination runs on its own thread alone.
  const LibraryThreads pools(one_prime_per_thread ? 1 : 0);
  Fmpz product;
  std::size_t leading = 0;  // leading primes used so far
  std::uint64_t next_below = options.descend_from == ~std::uint64_t{0} ? options.descend_from : options.descend_from + 1;
  auto next_prime = [&]() -> std::uint64_t {
    if (leading < options.leading_primes.size()) {
      const std::uint64_t p = options.leading_primes[leading++];
      if (!n_is_prime(p)) throw std::invalid_argument("multimodular_rank: " + std::to_string(p) + " is not prime");
      return p;
    }
    for (;;) {  // distinct primes: skip the leading ones
      const std::uint64_t p = previous_prime(next_below);
      if (p == 0) throw std::runtime_error("multimodular_rank: ran out of primes");
      next_below = p;
      if (std::find(options.leading_primes.begin(), options.leading_primes.end(), p) == options.leading_primes.end())
        return p;
    }
  };
  Progress progress("rank over Q", 0, "", options.execution.display());
  // The stopping rules, checked before each prime as if the primes ran one by one, so that
  // the primes listed (and the JSON) do not depend on how many ran at once.
  auto stop = [&]() {
    if (out.rank >= proven_upper) {
      out.exact = true;
      out.stopped_by = out.rank == matrix_size ? "matrix size" : "upper bound";
      return true;
    }
    out.hadamard_bits = hadamard_bits(out.rank + 1, entry_bits);
    out.product_bits = static_cast<std::int64_t>(fmpz_bits(product.v));
    // product >= 2^(bits - 1) > 2^L >= H(rank + 1) once bits - 1 > L.
    if (!out.primes.empty() && out.product_bits - 1 > out.hadamard_bits) {
      out.exact = true;
      out.stopped_by = "Hadamard bound";
      return true;
    }
    if (options.max_primes && out.primes.size() >= options.max_primes) {
      out.stopped_by = "prime limit";
      return true;
    }
    return false;
  };
  for (;;) {
    if (stop()) break;
    std::size_t count = batch;
    if (options.max_primes) count = std::min(count, options.max_primes - out.primes.size());
    std::vector<std::uint64_t> primes;
    for (std::size_t k = 0; k < count; ++k) primes.push_back(next_prime());
    progress.set_label(progress_label(out, count, proven_upper));
    const auto batch_start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> ranks(count);
    std::vector<double> assembly(count), rank_time(count);
    auto run = [&](std::size_t k, int inner_threads) {
      const ExecutionContext inner = options.execution.with_threads(inner_threads);
      auto start = std::chrono::steady_clock::now();
      NmodMatrix matrix = assemble_mod_p(net, primes[k], inner);  // integer weights reduced mod p
      assembly[k] = seconds_since(start);
      start = std::chrono::steady_clock::now();
      // One prime per thread: 0 keeps the pools at the 1 set above (the workers share them).
      ranks[k] = rank_mod_p_in_place(matrix, inner.with_threads(one_prime_per_thread ? 0 : inner_threads));
      rank_time[k] = seconds_since(start);
    };
    if (count == 1) {
      run(0, one_prime_per_thread ? 1 : threads);
    } else {
      std::vector<std::thread> workers;
      std::vector<std::exception_ptr> errors(count);
      for (std::size_t k = 1; k < count; ++k)
        workers.emplace_back([&, k] {
          try {
            run(k, 1);
          } catch (...) {
            errors[k] = std::current_exception();
          }
        });
      try {
        run(0, 1);
      } catch (...) {
        errors[0] = std::current_exception();
      }
      for (auto& w : workers) w.join();
      for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    }
    // Wall-clock time of the batch, split between assembly and rank as their thread times.
    const double wall = seconds_since(batch_start);
    double a = 0, r = 0;
    for (std::size_t k = 0; k < count; ++k) a += assembly[k], r += rank_time[k];
    out.assembly_seconds += a + r > 0 ? wall * a / (a + r) : 0;
    out.rank_seconds += a + r > 0 ? wall * r / (a + r) : wall;
    for (std::size_t k = 0; k < count; ++k) {
      if (k > 0 && stop()) break;  // a prime the one-by-one order would not have needed
      out.primes.push_back(primes[k]);
      out.ranks.push_back(ranks[k]);
      out.rank = std::max(out.rank, ranks[k]);
      fmpz_mul_ui(product.v, product.v, primes[k]);
    }
  }
  return out;
}

}  // namespace seprank
