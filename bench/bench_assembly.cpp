// Assembly speed, two modes, each measured in one process:
//  * baseline (default): the incremental odometer assembly against a baseline that runs one
//    full forward pass per entry, on the same network.
//  * --share: for 1D and 2D networks of growing size, seprank's real rank path
//    (assemble_mod_p, then rank_mod_p_in_place, as compute_rank does for --field gfp) for the
//    default prime 2^62 - 57 (FLINT back-end) and --prime fast (2^23 - 15, FFLAS-FFPACK),
//    with 1 and 2 threads: assembly throughput in entries/s and the share of the assembly in
//    assembly + rank (issue 8's goal: below 25%). Wall and process CPU seconds, medians of
//    interleaved repetitions (every configuration of a network once, then again), so that a
//    load change on a shared machine affects all configurations alike.
// usage: bench_assembly
//        bench_assembly --share [--reps 3] [--threads 1,2] [--max-entries 67108864] [--input 6x6]
//   --max-entries: skip larger matrices; --input: only the networks with this input shape.
#include <flint/flint.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "seprank/assembly/assemble.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/assembly/matricization.hpp"
#include "seprank/rank/rank_fflas.hpp"
#include "seprank/assembly/rings.hpp"

using namespace seprank;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Baseline: every entry from scratch (digits decoded, all units evaluated).
double full_pass_per_entry(const PreparedNetwork& net, std::uint64_t prime, std::uint64_t* checksum) {
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights);
  GridEvaluator<NmodRing> eval(compiled);
  std::vector<int> assignment(static_cast<std::size_t>(net.arch.positions()));
  const auto m = static_cast<std::uint64_t>(net.arch.templates);
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t sum = 0;
  for (std::uint64_t r = 0; r < net.rows; ++r)
    for (std::uint64_t c = 0; c < net.cols; ++c) {
      std::uint64_t rr = r, cc = c;
      for (std::size_t t = net.partition.I.size(); t-- > 0; rr /= m) assignment[net.partition.I[t]] = static_cast<int>(rr % m);
      for (std::size_t t = net.partition.J.size(); t-- > 0; cc /= m) assignment[net.partition.J[t]] = static_cast<int>(cc % m);
      eval.evaluate_all(assignment.data());
      sum += eval.value();
    }
  *checksum = sum;
  return seconds(t0);
}

int baseline_mode() {
  struct Case {
    const char* input;
    const char* layers;
    const char* partition;
  };
  const Case cases[] = {
      {"4x4", "3/1/2,2/1/2", "left-right"},
      {"4x4", "3/1/4,2/2/4,pool1/1", "odd-even"},
      {"16", "3/1/2,3/1/2,3/1/2,10/1/2", "left-right"},
      {"5x5", "3/1/2,3/1/2", "left-right"},
  };
  const std::uint64_t prime = default_prime;
  std::printf("%-6s %-26s %-10s %10s %12s %12s %8s\n", "input", "layers", "partition", "entries",
              "full pass s", "odometer s", "speedup");
  for (const Case& c : cases) {
    RankRequest r;
    parse_input_shape(c.input, r.arch);
    r.arch.layers = parse_layers(c.layers);
    r.partition = c.partition;
    const PreparedNetwork net = prepare_network(r);
    std::uint64_t baseline_sum = 0;
    const double base = full_pass_per_entry(net, prime, &baseline_sum);
    const auto t0 = std::chrono::steady_clock::now();
    const NmodMatrix m = assemble_mod_p(net, prime, 1);
    const double fast = seconds(t0);
    std::uint64_t sum = 0;
    for (std::int64_t i = 0; i < m.rows(); ++i)
      for (std::int64_t j = 0; j < m.cols(); ++j) sum += m.at(i, j);
    std::printf("%-6s %-26s %-10s %10llu %12.3f %12.3f %7.1fx%s\n", c.input, c.layers, c.partition,
                static_cast<unsigned long long>(net.rows * net.cols), base, fast, base / fast,
                sum == baseline_sum ? "" : "  CHECKSUM MISMATCH");
  }
  return 0;
}

// ---- --share ------------------------------------------------------------------------------

// CPU seconds of the whole process: the assembly's worker threads, the BLAS's and FLINT's.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::string first_line_of(const char* path, const char* prefix = "") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return "?";
}

std::vector<std::int64_t> parse_list(const char* text) {
  std::vector<std::int64_t> out;
  for (const char* s = text; *s;) {
    char* end = nullptr;
    out.push_back(std::strtoll(s, &end, 10));
    if (end == s) break;
    s = *end == ',' ? end + 1 : end;
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t k = v.size();
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

struct ShareCase {
  const char* input;
  const char* layers;
  const char* partition;
  const char* vary;
};

struct Sample {
  double asm_wall = 0, asm_cpu = 0, rank_wall = 0, rank_cpu = 0;
  std::int64_t rank = -1;
  std::uint64_t checksum = 0;
};

// compute_rank's --field gfp path (src/rank/rank_computation.cpp) with CPU times: FLINT's thread
// count, assemble_mod_p, rank_mod_p_in_place. Tiny matrices are run `inner` times and the
// times divided, so that they are measurable.
Sample run_once(const PreparedNetwork& net, std::uint64_t prime, int threads, int inner) {
  Sample s;
  for (int k = 0; k < inner; ++k) {
    auto w0 = std::chrono::steady_clock::now();
    double c0 = process_cpu_seconds();
    NmodMatrix m = assemble_mod_p(net, prime, threads);
    s.asm_cpu += process_cpu_seconds() - c0;
    s.asm_wall += seconds(w0);
    std::uint64_t sum = 0;  // not timed: a check that every thread count assembles the same matrix
    for (std::int64_t i = 0; i < m.rows(); ++i) {
      const mp_limb_t* row = m.get()->rows[i];
      for (std::int64_t j = 0; j < m.cols(); ++j) sum = sum * 31 + row[j];
    }
    s.checksum = sum;
    w0 = std::chrono::steady_clock::now();
    c0 = process_cpu_seconds();
    s.rank = rank_mod_p_in_place(m, threads);
    s.rank_cpu += process_cpu_seconds() - c0;
    s.rank_wall += seconds(w0);
  }
  s.asm_wall /= inner, s.asm_cpu /= inner, s.rank_wall /= inner, s.rank_cpu /= inner;
  // OpenBLAS's idle worker threads spin for a while after a call: let them go to sleep before
  // the next measurement, whose CPU time they would otherwise inflate.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return s;
}

const char* prime_name(std::uint64_t p) { return p == default_prime ? "2^62-57" : p == fast_prime ? "fast" : "?"; }

int share_mode(int reps, const std::vector<std::int64_t>& thread_counts, std::uint64_t max_entries,
               const std::string& only_input) {
  // 1D: overlapping 3-windows, then one global layer; the rank is bounded by a small cut
  // (<= 128) while the matrix grows 16x per step. 2D: from the whole 4x4 and 5x5 matrices
  // (2^16 and 2^25 entries) to 6x6 --vary auto submatrices of full rank.
  const ShareCase cases[] = {
      {"12", "3/1/2,3/1/2,8/1/2", "left-right", "all"},
      {"16", "3/1/2,3/1/2,3/1/2,10/1/2", "left-right", "all"},
      {"20", "3/1/2,3/1/2,3/1/2,14/1/2", "left-right", "all"},
      {"24", "3/1/2,3/1/2,3/1/2,18/1/2", "left-right", "all"},
      {"4x4", "3/1/2,2/1/2", "left-right", "all"},
      {"5x5", "3/1/2,3/1/2", "left-right", "all"},
      {"5x5", "3/1/2,3/1/2", "odd-even", "all"},
      {"6x6", "3/1/2,3/1/2,2/1/2", "left-right", "auto"},
      {"6x6", "3/1/4,3/1/4,2/1/4", "left-right", "auto"},
  };
  const std::uint64_t primes[] = {default_prime, fast_prime};
  std::printf("BLAS: %s\n", blas_description().c_str());
  std::printf("CPU: %s; load average at start: %s\n", first_line_of("/proc/cpuinfo", "model name").c_str(),
              first_line_of("/proc/loadavg").c_str());
  std::printf("seprank's gfp rank path (assemble_mod_p, then rank_mod_p_in_place); medians of %d interleaved\n"
              "repetitions; wall and process CPU seconds (all threads); Me/s: million entries per wall second;\n"
              "share = assembly / (assembly + rank), goal < 25%%\n\n",
              reps);
  std::printf("| %-5s | %-24s | %-10s | %-5s | %-11s | %9s | %-7s | %2s | %5s | %8s | %8s | %7s | %8s | %8s | %6s | %6s |\n",
              "input", "layers", "partition", "vary", "rows x cols", "entries", "prime", "t", "rank", "asm wall",
              "asm cpu", "Me/s", "rk wall", "rk cpu", "share", "cpu sh");
  std::printf("|-------|--------------------------|------------|-------|-------------|-----------|---------|----|-------|"
              "----------|----------|---------|----------|----------|--------|--------|\n");
  std::fflush(stdout);
  bool wrong = false;
  for (const ShareCase& c : cases) {
    if (!only_input.empty() && only_input != c.input) continue;
    struct Config {
      std::uint64_t prime;
      int threads;
      const PreparedNetwork* net;
      std::vector<Sample> samples;
    };
    std::vector<PreparedNetwork> nets;  // one per prime (the weights are drawn mod p)
    nets.reserve(std::size(primes));
    for (std::uint64_t p : primes) {
      RankRequest r;
      parse_input_shape(c.input, r.arch);
      r.arch.layers = parse_layers(c.layers);
      r.partition = c.partition;
      r.vary = c.vary;
      r.prime = p;
      nets.push_back(prepare_network(r));
    }
    const std::uint64_t entries = nets[0].rows * nets[0].cols;
    if (entries > max_entries) continue;
    std::vector<Config> configs;
    for (std::size_t k = 0; k < nets.size(); ++k)
      for (std::int64_t t : thread_counts) configs.push_back({primes[k], static_cast<int>(t), &nets[k], {}});
    const int inner = static_cast<int>(std::clamp<std::uint64_t>((std::uint64_t{1} << 20) / entries, 1, 256));
    for (int rep = 0; rep < reps; ++rep)
      for (Config& cf : configs) cf.samples.push_back(run_once(*cf.net, cf.prime, cf.threads, inner));
    for (const Config& cf : configs) {
      std::vector<double> aw, ac, rw, rc;
      for (const Sample& s : cf.samples) {
        aw.push_back(s.asm_wall), ac.push_back(s.asm_cpu), rw.push_back(s.rank_wall), rc.push_back(s.rank_cpu);
        // the same matrix and rank at every repetition and thread count
        for (const Config& other : configs)
          if (other.prime == cf.prime && (other.samples[0].rank != s.rank || other.samples[0].checksum != s.checksum))
            wrong = true;
      }
      const double asm_wall = median(aw), asm_cpu = median(ac), rank_wall = median(rw), rank_cpu = median(rc);
      const double share = asm_wall / (asm_wall + rank_wall), cpu_share = asm_cpu / (asm_cpu + rank_cpu);
      char shape[32];
      std::snprintf(shape, sizeof shape, "%llu x %llu", static_cast<unsigned long long>(cf.net->rows),
                    static_cast<unsigned long long>(cf.net->cols));
      std::printf("| %-5s | %-24s | %-10s | %-5s | %-11s | %9llu | %-7s | %2d | %5lld | %8.4f | %8.4f | %7.2f | %8.4f | %8.4f | %5.1f%% | %5.1f%% |\n",
                  c.input, c.layers, c.partition, c.vary, shape, static_cast<unsigned long long>(entries),
                  prime_name(cf.prime), cf.threads, static_cast<long long>(cf.samples[0].rank), asm_wall, asm_cpu,
                  static_cast<double>(entries) / asm_wall / 1e6, rank_wall, rank_cpu, 100 * share, 100 * cpu_share);
    }
    std::fflush(stdout);
  }
  std::printf("\nload average at end: %s\n", first_line_of("/proc/loadavg").c_str());
  if (wrong) {
    std::printf("MISMATCH: a thread count or repetition assembled a different matrix or rank\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool share = false;
  int reps = 3;
  std::vector<std::int64_t> thread_counts = {1, 2};
  std::uint64_t max_entries = std::uint64_t{1} << 26;
  std::string only_input;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--share")
      share = true;
    else if (a == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--threads" && i + 1 < argc)
      thread_counts = parse_list(argv[++i]);
    else if (a == "--max-entries" && i + 1 < argc)
      max_entries = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--input" && i + 1 < argc)
      only_input = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: bench_assembly                 (odometer against a full pass per entry)\n"
                   "       bench_assembly --share [--reps 3] [--threads 1,2] [--max-entries 67108864] [--input 6x6]\n");
      return 64;
    }
  }
  return share ? share_mode(reps, thread_counts, max_entries, only_input) : baseline_mode();
}
