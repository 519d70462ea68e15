// Dense exact rank: seprank's rank path against FFLAS-FFPACK's fields, FLINT's nmod_mat_rank
// and LAPACK dgetrf (double, the physical-limit proxy), in one process, on n × n matrices of
// rank n - 7, with 1 and 2 threads. Every exact method must report rank n - 7.
//
// usage: bench_rank [--sizes 1000,2000,4000] [--reps 3] [--threads 1,2] [--quick] [--primes p,q]
//   --quick: fewer FFLAS primes, no FLINT below 62 bits; --primes: only these primes' rows.
// Prints one table per (n, threads): median wall and CPU seconds over the repetitions, the
// ratio to dgetrf and to the fastest FFLAS configuration for primes of the same bit length.
// The repetitions are interleaved (every configuration once, then again) so that a load
// change on the machine affects all configurations alike; on a shared machine the CPU
// column of the one-thread tables is the steadier one.
#include <flint/flint.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "seprank/rank/exact_rank.hpp"
#include "seprank/model/random.hpp"
#include "seprank/rank/rank_fflas.hpp"
#include "seprank/rank/rank_request.hpp"

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

struct Timing {
  std::int64_t rank = -1;  // -1: no exact rank (dgetrf)
  double wall = 0, cpu = 0;
};

// CPU time of the calling thread: all the work when the BLAS and FLINT use one thread, and
// unaffected by other processes competing for the cores.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Times `f` (wall-clock and process CPU).
template <class F>
Timing timed(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = thread_cpu_seconds();
  Timing t;
  t.rank = f();
  t.cpu = thread_cpu_seconds() - c0;
  t.wall = seconds(t0);
  return t;
}

struct Config {
  std::string name;
  std::uint64_t prime = 0;  // 0: dgetrf
  bool fflas = false;       // an FFLAS-FFPACK configuration (the reference of its prime size)
  std::function<Timing(const std::vector<std::uint64_t>&, std::int64_t, int threads)> run;
};

Timing run_dgetrf(const std::vector<std::uint64_t>& src, std::int64_t n) {
  std::vector<double> a(src.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(src[i]);
  std::vector<int> ipiv(static_cast<std::size_t>(n));
  const int nn = static_cast<int>(n);
  return timed([&] {
    int info = 0;
    dgetrf_(&nn, &nn, a.data(), &nn, ipiv.data(), &info);
    return std::int64_t{-1};  // no exact rank from floating point
  });
}

NmodMatrix to_nmod(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p) {
  NmodMatrix m(n, n, p);
  for (std::int64_t i = 0; i < n; ++i)
    std::memcpy(m.get()->rows[i], &src[static_cast<std::size_t>(i * n)], static_cast<std::size_t>(n) * sizeof(mp_limb_t));
  return m;
}

Timing run_flint(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p) {
  const NmodMatrix m = to_nmod(src, n, p);
  return timed([&] { return static_cast<std::int64_t>(nmod_mat_rank(m.get())); });
}

// FFPACK::Rank alone: the conversion from residues is not timed.
Timing run_fflas(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p, FflasField field, int threads,
                 FflasThreading threading) {
  RankTiming inner;
  Timing t;
  t.rank = fflas_rank(src.data(), n, n, n, p, field, threads, threading, &inner);
  t.wall = inner.wall_seconds;
  t.cpu = inner.cpu_seconds;
  return t;
}

// Everything compute_rank does after assembly: dispatch, in-place conversion, rank.
Timing run_seprank(const std::vector<std::uint64_t>& src, std::int64_t n, std::uint64_t p, int threads) {
  NmodMatrix m = to_nmod(src, n, p);
  return timed([&] { return rank_mod_p_in_place(m, threads); });
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
  std::vector<std::int64_t> only_primes;  // keep only these primes' rows (and dgetrf)
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
    else if (a == "--primes" && i + 1 < argc)
      only_primes = parse_list(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_rank [--sizes 1000,2000,4000] [--reps 3] [--threads 1,2] [--quick] [--primes p,q]\n");
      return 64;
    }
  }
  const std::int64_t deficit = 7;

  std::vector<Config> configs;
  configs.push_back({"LAPACK dgetrf (double)", 0, false,
                     [](const auto& m, std::int64_t n, int) { return run_dgetrf(m, n); }});
  auto add_fflas = [&](FflasField field, std::uint64_t p, FflasThreading threading = FflasThreading::blas) {
    if (p > fflas_max_prime(field)) return;
    const std::string how = threading == FflasThreading::blas ? "" : " (tasks)";
    configs.push_back({std::string("FFLAS ") + to_string(field) + how, p, true,
                       [p, field, threading](const auto& m, std::int64_t n, int t) {
                         return run_fflas(m, n, p, field, t, threading);
                       }});
  };
  auto add_flint = [&](std::uint64_t p) {
    configs.push_back({"FLINT nmod_mat_rank", p, false,
                       [p](const auto& m, std::int64_t n, int) { return run_flint(m, n, p); }});
  };
  auto add_seprank = [&](std::uint64_t p) {
    configs.push_back({std::string("seprank (") + to_string(rank_backend_for(p)) + ")", p, false,  // fflas_threading
                       [p](const auto& m, std::int64_t n, int t) { return run_seprank(m, n, p, t); }});
  };
  const std::uint64_t p11 = 2039, p20 = prime_below_power_of_two(20), p23 = fast_prime,
                      p24 = prime_below_power_of_two(24), p25 = prime_below_power_of_two(25),
                      p26 = prime_below_power_of_two(26);
  add_fflas(FflasField::balanced_float, p11);
  if (!quick) add_fflas(FflasField::modular_double, p11);
  add_seprank(p11);
  for (std::uint64_t p : quick ? std::vector<std::uint64_t>{p20} : std::vector<std::uint64_t>{p20, prime_below_power_of_two(22)}) {
    add_fflas(FflasField::modular_double, p);
    add_fflas(FflasField::balanced_double, p);
  }
  add_seprank(p20);
  add_fflas(FflasField::modular_double, p23);  // --prime fast
  add_fflas(FflasField::balanced_double, p23);
  add_fflas(FflasField::balanced_double, p23, FflasThreading::tasks);  // pRank: differs from 2 threads on
  add_seprank(p23);
  if (!quick) add_flint(p23);
  for (std::uint64_t p : quick ? std::vector<std::uint64_t>{p24, p25} : std::vector<std::uint64_t>{p24, p25, p26}) {
    add_fflas(FflasField::modular_double, p);
    add_fflas(FflasField::balanced_double, p);
    add_seprank(p);
  }
  if (!quick) add_flint(prime_below_power_of_two(30));
  add_flint(default_prime);
  add_seprank(default_prime);

  for (std::int64_t q : only_primes) {  // primes not in the standard set: every FFLAS field, seprank
    const auto p = static_cast<std::uint64_t>(q);
    if (std::any_of(configs.begin(), configs.end(), [&](const Config& c) { return c.prime == p; })) continue;
    if (p < 8192 && p % 2) add_fflas(FflasField::balanced_float, p);
    add_fflas(FflasField::modular_double, p);
    if (p % 2) add_fflas(FflasField::balanced_double, p);
    add_seprank(p);
  }
  if (!only_primes.empty())
    std::erase_if(configs, [&](const Config& c) {
      return c.prime && std::find(only_primes.begin(), only_primes.end(), static_cast<std::int64_t>(c.prime)) == only_primes.end();
    });
  std::printf("BLAS: %s\n", blas_description().c_str());
  std::printf("matrices: n x n of rank n - %lld by construction; medians of %d interleaved repetitions;\n"
              "FFLAS rows time FFPACK::Rank alone, seprank rows the whole rank_mod_p_in_place;\n"
              "cpu: CPU seconds of the calling thread, shown for one thread only (steady when other\n"
              "processes share the cores)\n",
              static_cast<long long>(deficit), reps);
  for (std::int64_t n : sizes) {
    std::map<std::uint64_t, std::vector<std::uint64_t>> matrices;
    for (const Config& c : configs) {
      const std::uint64_t p = c.prime ? c.prime : p11;
      if (!matrices.count(p)) matrices.emplace(p, make_matrix(n, deficit, p, 0x5EED0000ULL + static_cast<std::uint64_t>(n)));
    }
    for (std::int64_t t : thread_counts) {
      std::vector<std::vector<double>> walls(configs.size()), cpus(configs.size());
      bool wrong = false;
      for (int rep = 0; rep < reps; ++rep)
        for (std::size_t k = 0; k < configs.size(); ++k) {
          const Config& c = configs[k];
          const LibraryThreads pools(static_cast<int>(t));  // for the baselines; seprank's path sets them itself
          const Timing r = c.run(matrices.at(c.prime ? c.prime : p11), n, static_cast<int>(t));
          if (r.rank >= 0 && r.rank != n - deficit) {
            std::printf("WRONG RANK %lld from %s mod %llu (expected %lld)\n", static_cast<long long>(r.rank),
                        c.name.c_str(), static_cast<unsigned long long>(c.prime), static_cast<long long>(n - deficit));
            wrong = true;
          }
          walls[k].push_back(r.wall);
          cpus[k].push_back(r.cpu);
        }
      std::vector<double> wall(configs.size()), cpu(configs.size());
      for (std::size_t k = 0; k < configs.size(); ++k) wall[k] = median(walls[k]), cpu[k] = median(cpus[k]);
      std::map<int, double> best_wall, best_cpu;  // the fastest FFLAS field by the prime's bit length
      for (std::size_t k = 0; k < configs.size(); ++k)
        if (configs[k].fflas) {
          const int bits = bit_length(configs[k].prime);
          best_wall[bits] = best_wall.count(bits) ? std::min(best_wall[bits], wall[k]) : wall[k];
          best_cpu[bits] = best_cpu.count(bits) ? std::min(best_cpu[bits], cpu[k]) : cpu[k];
        }
      const bool one = t == 1;
      std::printf("\nn = %lld, %lld thread(s)\n", static_cast<long long>(n), static_cast<long long>(t));
      std::printf("| %-39s | %-19s | %4s | %7s | %7s | %7s |", "method", "prime", "bits", "wall s", "/dgetrf",
                  "/FFLAS*");
      if (one) std::printf(" %7s | %7s | %7s |", "cpu s", "/dgetrf", "/FFLAS*");
      std::printf("\n|%s|%s|%s|%s|%s|%s|", std::string(41, '-').c_str(), std::string(21, '-').c_str(),
                  std::string(6, '-').c_str(), std::string(9, '-').c_str(), std::string(9, '-').c_str(),
                  std::string(9, '-').c_str());
      if (one) std::printf("%s|%s|%s|", std::string(9, '-').c_str(), std::string(9, '-').c_str(), std::string(9, '-').c_str());
      std::printf("\n");
      auto ratio = [](const std::map<int, double>& best, int bits, double v) {
        char buf[16] = "";
        if (bits && best.count(bits)) std::snprintf(buf, sizeof buf, "%.2f", v / best.at(bits));
        return std::string(buf);
      };
      for (std::size_t k = 0; k < configs.size(); ++k) {
        const Config& c = configs[k];
        const int bits = c.prime ? bit_length(c.prime) : 0;
        std::printf("| %-39s | %-19s | %4s | %7.3f | %7.2f | %7s |", c.name.c_str(),
                    c.prime ? std::to_string(c.prime).c_str() : "-", bits ? std::to_string(bits).c_str() : "-",
                    wall[k], wall[k] / wall[0], ratio(best_wall, bits, wall[k]).c_str());
        if (one)
          std::printf(" %7.3f | %7.2f | %7s |", cpu[k], cpu[k] / cpu[0], ratio(best_cpu, bits, cpu[k]).c_str());
        std::printf("\n");
      }
      std::printf("* ratio to the fastest FFLAS-FFPACK field measured for primes of the same bit length\n");
      std::fflush(stdout);
      if (wrong) return 1;
    }
  }
  return 0;
}
