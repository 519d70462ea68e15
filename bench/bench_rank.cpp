// Dense exact rank: seprank's rank path against FFLAS-FFPACK's fields, FLINT's nmod_mat_rank
// and LAPACK dgetrf (double, the physical-limit proxy), in one process, on n × n matrices of
// rank n - 7, with 1 and 2 threads. Every exact method must report rank n - 7.
//
// usage: bench_rank [--sizes 1000,2000,4000] [--reps 3] [--threads 1,2] [--quick]
//   --quick: only dgetrf, the best FFLAS fields, FLINT at 62 bits and seprank's paths.
// Prints one table per (n, threads): median seconds over the repetitions, the ratio to
// dgetrf and to the fastest FFLAS configuration of the same prime size class. The
// repetitions are interleaved (every configuration once, then again) so that a load
// change on the machine affects all configurations alike.
#include <flint/flint.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "seprank/exact_rank.hpp"
#include "seprank/random.hpp"
#include "seprank/rank_fflas.hpp"
#include "seprank/rank_request.hpp"

extern "C" void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);

using namespace seprank;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::uint64_t prime_below_power_of_two(int bits) {
  std::uint64_t p = (std::uint64_t{1} << bits) - 1;
  while (!n_is_prime(p)) --p;
  return p;
}

int bit_length(std::uint64_t p) { return 64 - __builtin_clzll(p); }

// An n × n matrix mod p of rank n - deficit: n - deficit uniformly random rows (independent
// except with probability < p^-deficit) and `deficit` rows at random positions that are random
// combinations of them. Row-major, residues in [0, p).
std::vector<std::uint64_t> make_matrix(std::int64_t n, std::int64_t deficit, std::uint64_t p, std::uint64_t seed) {
  SplitMix64 rng(seed);
  auto draw = [&]() { return uniform_below(rng, p); };
  std::vector<std::uint64_t> a(static_cast<std::size_t>(n * n));
  std::vector<bool> dependent(static_cast<std::size_t>(n), false);
  for (std::int64_t k = 0; k < deficit;) {
    const auto r = static_cast<std::size_t>(uniform_below(rng, static_cast<std::uint64_t>(n)));
    if (!dependent[r]) dependent[r] = true, ++k;
  }
  for (std::int64_t i = 0; i < n; ++i)
    if (!dependent[static_cast<std::size_t>(i)])
      for (std::int64_t j = 0; j < n; ++j) a[static_cast<std::size_t>(i * n + j)] = draw();
  std::vector<unsigned __int128> acc(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    if (!dependent[static_cast<std::size_t>(i)]) continue;
    std::fill(acc.begin(), acc.end(), 0);
    for (std::int64_t k = 0; k < n; ++k) {
      if (dependent[static_cast<std::size_t>(k)]) continue;
      const std::uint64_t c = draw();
      const std::uint64_t* row = &a[static_cast<std::size_t>(k * n)];
      for (std::int64_t j = 0; j < n; ++j) {
        acc[static_cast<std::size_t>(j)] += static_cast<unsigned __int128>(c) * row[j];
        // reduce before the 128-bit accumulator could overflow (every 2^(128-2·64+2) terms
        // for 62-bit primes is plenty: reduce when the top bits get close)
        if (acc[static_cast<std::size_t>(j)] >> 125) acc[static_cast<std::size_t>(j)] %= p;
      }
    }
    for (std::int64_t j = 0; j < n; ++j)
      a[static_cast<std::size_t>(i * n + j)] = static_cast<std::uint64_t>(acc[static_cast<std::size_t>(j)] % p);
  }
  return a;
}

struct Config {
  std::string name;
  std::string size_class;  // "float", "double", "62-bit", ... (ratios are taken within a class)
  std::uint64_t prime = 0;  // 0: dgetrf
  bool fflas = false;
  // Runs once and returns (rank, seconds of the measured part).
  std::function<std::pair<std::int64_t, double>(const std::vector<std::uint64_t>&, std::int64_t)> run;
};

std::pair<std::int64_t, double> run_dgetrf(const std::vector<std::uint64_t>& src, std::int64_t n) {
  std::vector<double> a(src.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(src[i]);
  std::vector<int> ipiv(static_cast<std::size_t>(n));
  const int nn = static_cast<int>(n);
  int info = 0;
  const auto t0 = std::chrono::steady_clock::now();
  dgetrf_(&nn, &nn, a.data(), &nn, ipiv.data(), &info);
  const double t = seconds(t0);
  return {-1, t};  // no exact rank from floating point
}

std::pair<std::int64_t, double> run_flint(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p) {
  NmodMatrix m(n, n, p);
  for (std::int64_t i = 0; i < n; ++i)
    std::memcpy(m.get()->rows[i], &src[static_cast<std::size_t>(i * n)], static_cast<std::size_t>(n) * sizeof(mp_limb_t));
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t r = nmod_mat_rank(m.get());
  return {r, seconds(t0)};
}

std::pair<std::int64_t, double> run_fflas(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p,
                                          FflasField field) {
  double inner = 0;
  const std::int64_t r = fflas_rank(src.data(), n, n, n, p, field, &inner);
  return {r, inner};  // FFPACK::Rank alone, without the conversion from residues
}

std::pair<std::int64_t, double> run_seprank(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p,
                                            int threads) {
  NmodMatrix m(n, n, p);
  for (std::int64_t i = 0; i < n; ++i)
    std::memcpy(m.get()->rows[i], &src[static_cast<std::size_t>(i * n)], static_cast<std::size_t>(n) * sizeof(mp_limb_t));
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t r = rank_mod_p_in_place(m, threads);  // what compute_rank does after assembly
  return {r, seconds(t0)};
}

std::vector<std::int64_t> parse_list(const char* text) {
  std::vector<std::int64_t> out;
  for (const char* s = text; *s;) {
    char* end = nullptr;
    out.push_back(std::strtoll(s, &end, 10));
    s = *end == ',' ? end + 1 : end;
    if (end == s && *s) break;
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t k = v.size();
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::int64_t> sizes = {1000, 2000, 4000};
  std::vector<std::int64_t> thread_counts = {1, 2};
  int reps = 3;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes" && i + 1 < argc)
      sizes = parse_list(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      thread_counts = parse_list(argv[++i]);
    else if (a == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--quick")
      quick = true;
    else {
      std::fprintf(stderr, "usage: bench_rank [--sizes 1000,2000,4000] [--reps 3] [--threads 1,2] [--quick]\n");
      return 64;
    }
  }
  const std::int64_t deficit = 7;

  std::vector<Config> configs;
  configs.push_back({"LAPACK dgetrf (double)", "double", 0, false,
                     [](const auto& m, std::int64_t n) { return run_dgetrf(m, n); }});
  auto add_fflas = [&](FflasField field, int bits, const std::string& cls) {
    const std::uint64_t p = bits == 13 && field == FflasField::balanced_float ? fflas_max_prime(field)
                                                                               : prime_below_power_of_two(bits);
    const std::uint64_t q = bits == 11 ? 2039 : p;
    if (q > fflas_max_prime(field)) return;
    configs.push_back({std::string("FFLAS ") + to_string(field) + " " + std::to_string(bit_length(q)) + "-bit", cls, q,
                       true, [q, field](const auto& m, std::int64_t n) { return run_fflas(m, n, q, field); }});
  };
  auto add_flint = [&](int bits, const std::string& cls) {
    const std::uint64_t p = bits == 62 ? default_prime : prime_below_power_of_two(bits);
    configs.push_back({"FLINT nmod_mat_rank " + std::to_string(bits) + "-bit", cls, p, false,
                       [p](const auto& m, std::int64_t n) { return run_flint(m, n, p); }});
  };
  auto add_seprank = [&](std::uint64_t p, const std::string& cls) {
    configs.push_back({"seprank rank_mod_p " + std::to_string(bit_length(p)) + "-bit (" + to_string(rank_backend_for(p)) + ")",
                       cls, p, false, nullptr});
  };
  add_fflas(FflasField::balanced_float, 11, "<=13-bit");
  if (!quick) add_fflas(FflasField::balanced_float, 13, "<=13-bit");
  add_seprank(2039, "<=13-bit");
  for (int bits : quick ? std::vector<int>{20, 26} : std::vector<int>{20, 22, 23, 24, 25, 26})
    add_fflas(FflasField::modular_double, bits, bits <= 23 ? "20-23-bit" : "24-27-bit");
  for (int bits : quick ? std::vector<int>{20, 26} : std::vector<int>{20, 22, 23, 24, 25, 26, 27})
    add_fflas(FflasField::balanced_double, bits, bits <= 23 ? "20-23-bit" : "24-27-bit");
  add_seprank(prime_below_power_of_two(20), "20-23-bit");
  add_seprank(prime_below_power_of_two(26), "24-27-bit");
  if (!quick) {
    add_flint(25, "24-27-bit");
    add_flint(30, "30-bit");
  }
  add_flint(62, "62-bit");
  add_seprank(default_prime, "62-bit");

  std::printf("BLAS: %s\n", blas_description().c_str());
  std::printf("matrices: n x n, rank n - %lld by construction; medians of %d interleaved repetitions\n",
              static_cast<long long>(deficit), reps);
  for (std::int64_t n : sizes) {
    std::map<std::uint64_t, std::vector<std::uint64_t>> matrices;
    for (const Config& c : configs) {
      const std::uint64_t p = c.prime ? c.prime : 2039;
      if (!matrices.count(p)) matrices.emplace(p, make_matrix(n, deficit, p, 0x5EED0000ULL + static_cast<std::uint64_t>(n)));
    }
    for (std::int64_t t : thread_counts) {
      set_blas_threads(static_cast<int>(t));
      flint_set_num_threads(static_cast<int>(t));
      std::vector<std::vector<double>> times(configs.size());
      bool wrong = false;
      for (int rep = 0; rep < reps; ++rep)
        for (std::size_t k = 0; k < configs.size(); ++k) {
          const Config& c = configs[k];
          const auto& m = matrices.at(c.prime ? c.prime : 2039);
          const auto [rank, s] = c.run ? c.run(m, n) : run_seprank(m, n, c.prime, static_cast<int>(t));
          if (rank >= 0 && rank != n - deficit) {
            std::printf("WRONG RANK %lld from %s (expected %lld)\n", static_cast<long long>(rank), c.name.c_str(),
                        static_cast<long long>(n - deficit));
            wrong = true;
          }
          times[k].push_back(s);
        }
      std::vector<double> med(configs.size());
      for (std::size_t k = 0; k < configs.size(); ++k) med[k] = median(times[k]);
      std::map<std::string, double> best_fflas;
      for (std::size_t k = 0; k < configs.size(); ++k)
        if (configs[k].fflas) {
          auto [it, fresh] = best_fflas.emplace(configs[k].size_class, med[k]);
          if (!fresh) it->second = std::min(it->second, med[k]);
        }
      std::printf("\nn = %lld, %lld thread(s)\n", static_cast<long long>(n), static_cast<long long>(t));
      std::printf("| %-44s | %-10s | %9s | %9s | %14s |\n", "method", "prime", "median s", "/ dgetrf",
                  "/ best FFLAS*");
      std::printf("|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(12, '-').c_str(),
                  std::string(11, '-').c_str(), std::string(11, '-').c_str(), std::string(16, '-').c_str());
      for (std::size_t k = 0; k < configs.size(); ++k) {
        const Config& c = configs[k];
        char best[32] = "";
        if (best_fflas.count(c.size_class) && c.prime)
          std::snprintf(best, sizeof best, "%.2f", med[k] / best_fflas.at(c.size_class));
        std::printf("| %-44s | %-10s | %9.3f | %9.2f | %14s |\n", c.name.c_str(),
                    c.prime ? std::to_string(c.prime).c_str() : "-", med[k], med[k] / med[0], best);
      }
      std::printf("* best FFLAS configuration in the same prime-size class (%s)\n",
                  "<=13-bit, 20-23-bit, 24-27-bit");
      if (wrong) return 1;
      std::fflush(stdout);
    }
  }
  return 0;
}
