// The table assembly (assemble_mod_p_by_tables, issue 14 item 1) against the odometer
// (assemble_rows_parallel, what assemble_mod_p runs), in one process, on the two matrices:
//  (a) 6x6, layers 3/1/2,3/1/2,2/1/2, --vary auto: 4096 x 4096;
//  (b) C4 (docs/theorems.md#c4) at H = 8 (8x8, 3/1/2,2/2/2,3/1/2), the 8192 x 8192 strip of its
//      "exact for M = C = 2" claim (proofs/C4.toml, extended instances);
// for --prime fast (2^23 - 15, doubles) and the default prime 2^62 - 57 (Montgomery words).
// Per configuration: wall and process CPU seconds of each assembly (medians of interleaved
// repetitions: odometer, tables, tables again at once in the memory just freed ("warm": without
// the first touch of fresh pages, which costs seconds per GiB on a virtual machine), after one
// untimed first touch), million entries per wall second, the ratios, a full entry-by-entry
// comparison of the two matrices, then the rank of the table-assembled matrix
// (rank_mod_p_in_place, as `seprank rank` does) and the assembly's share of assembly + rank
// for both assemblies. The rank is measured once per configuration (it does not depend on how
// the matrix was assembled).
// usage: bench_table_assembly [--threads 2] [--reps 3] [--case a|b|all] [--prime fast|default|all]
//                             [--no-rank] [--working-set BYTES]
#include <flint/flint.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "seprank/assembly/matricization.hpp"
#include "seprank/assembly/rings.hpp"
#include "seprank/assembly/table_assembly.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/rank/exact_rank.hpp"

using namespace seprank;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds of the whole process (all threads).
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t k = v.size();
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

std::string first_line_of(const char* path, const char* prefix = "") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return "?";
}

struct Case {
  const char* name;
  const char* input;
  const char* layers;
  const char* vary;
};

// C4's strip at H = 8: rows 0..5 at columns 2..5, and the middle two of the last row.
const char* c4_strip =
    "mask:"
    "00111100"
    "00111100"
    "00111100"
    "00111100"
    "00111100"
    "00111100"
    "00000000"
    "00011000";

// The odometer, as assemble_mod_p ran it before the table assembly (called directly, so that
// the comparison stays one whichever method assemble_mod_p uses).
NmodMatrix odometer(const PreparedNetwork& net, std::uint64_t prime, int threads) {
  const AssemblyPlan plan(net.geometry, net.partition);
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights, &plan.input_reach());
  NmodMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), prime);
  assemble_rows_parallel(compiled, plan, net.rows, net.partition.vary_I.size(), threads,
                         [&](std::uint64_t r, std::uint64_t c, mp_limb_t v) {
                           matrix.at(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)) = v;
                         });
  return matrix;
}

std::int64_t mismatches(const NmodMatrix& a, const NmodMatrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return -1;
  std::int64_t bad = 0;
  for (std::int64_t i = 0; i < a.rows(); ++i)
    for (std::int64_t j = 0; j < a.cols(); ++j) bad += a.at(i, j) != b.at(i, j);
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, reps = 3;
  std::string which_case = "all", which_prime = "all";
  bool rank = true;
  std::size_t working_set = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else if (a == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--case" && i + 1 < argc)
      which_case = argv[++i];
    else if (a == "--prime" && i + 1 < argc)
      which_prime = argv[++i];
    else if (a == "--no-rank")
      rank = false;
    else if (a == "--working-set" && i + 1 < argc)
      working_set = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr,
                   "usage: bench_table_assembly [--threads 2] [--reps 3] [--case a|b|all] [--prime fast|default|all]\n"
                   "                            [--no-rank] [--working-set BYTES]\n");
      return 64;
    }
  }
  const Case cases[] = {
      {"a", "6x6", "3/1/2,3/1/2,2/1/2", "auto"},
      {"b", "8x8", "3/1/2,2/2/2,3/1/2", c4_strip},
  };
  struct PrimeChoice {
    const char* name;
    std::uint64_t p;
  };
  const PrimeChoice primes[] = {{"fast", fast_prime}, {"default", default_prime}};

  std::printf("CPU: %s; %d threads; load average at start: %s\n", first_line_of("/proc/cpuinfo", "model name").c_str(),
              threads, first_line_of("/proc/loadavg").c_str());
  std::printf("assembly wall (and process CPU) seconds: medians of %d interleaved repetitions (odometer, tables,\n"
              "tables again at once: 'warm', in the memory just freed, without the first touch of fresh pages);\n"
              "Me/s: million entries per wall second; f: leading digits fixed per block; share = assembly /\n"
              "(assembly + rank), the rank of the same matrix (rank_mod_p_in_place, once)\n\n",
              reps);
  std::printf("| case | matrix        | prime   | odometer s | cpu s  | Me/s   | tables s | cpu s  | Me/s    | speed-up |"
              " cpu ratio | warm s | Me/s    | f  | block   | KiB/thr | rank  | rank s  | share odo | share tab | equal |\n");
  std::printf("|------|---------------|---------|-----------:|-------:|-------:|---------:|-------:|--------:|---------:|"
              "----------:|-------:|--------:|---:|--------:|--------:|------:|--------:|----------:|----------:|-------|\n");
  std::fflush(stdout);
  bool all_equal = true;
  for (const Case& c : cases) {
    if (which_case != "all" && which_case != c.name) continue;
    for (const PrimeChoice& pc : primes) {
      if (which_prime != "all" && which_prime != pc.name) continue;
      RankRequest r;
      parse_input_shape(c.input, r.arch);
      r.arch.layers = parse_layers(c.layers);
      r.vary = c.vary;
      r.prime = pc.p;
      const PreparedNetwork net = prepare_network(r);
      const double entries = static_cast<double>(net.rows) * static_cast<double>(net.cols);
      TableAssemblyOptions options;
      options.threads = threads;
      options.working_set_bytes = working_set;
      const TableAssemblyPlanInfo info = table_assembly_plan(net, pc.p, options);
      {  // warm-up: the first touch of fresh memory is slow on a virtual machine (not timed)
        NmodMatrix a(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), pc.p);
        NmodMatrix b(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), pc.p);
        for (NmodMatrix* m : {&a, &b})
          std::memset(m->get()->rows[0], 1, static_cast<std::size_t>(net.rows * net.cols) * sizeof(mp_limb_t));
      }
      std::vector<double> odo, tab, odo_cpu, tab_cpu, warm;
      std::int64_t bad = 0;
      for (int rep = 0; rep < reps; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        double c0 = process_cpu_seconds();
        NmodMatrix a = odometer(net, pc.p, threads);
        odo_cpu.push_back(process_cpu_seconds() - c0);
        odo.push_back(seconds_since(t0));
        {
          t0 = std::chrono::steady_clock::now();
          c0 = process_cpu_seconds();
          NmodMatrix b = assemble_mod_p_by_tables(net, pc.p, options);
          tab_cpu.push_back(process_cpu_seconds() - c0);
          tab.push_back(seconds_since(t0));
          if (rep == 0) bad = mismatches(a, b);
        }
        // Again at once, in the memory just freed: the assembly without the first touch.
        t0 = std::chrono::steady_clock::now();
        NmodMatrix b = assemble_mod_p_by_tables(net, pc.p, options);
        warm.push_back(seconds_since(t0));
      }
      double rank_s = 0;
      std::int64_t rk = -1;
      if (rank) {
        NmodMatrix b = assemble_mod_p_by_tables(net, pc.p, options);
        flint_set_num_threads(threads);
        const auto t0 = std::chrono::steady_clock::now();
        rk = rank_mod_p_in_place(b, threads);
        rank_s = seconds_since(t0);
      }
      const double o = median(odo), t = median(tab), oc = median(odo_cpu), tc = median(tab_cpu), tw = median(warm);
      char shape[32];
      std::snprintf(shape, sizeof shape, "%llu x %llu", static_cast<unsigned long long>(net.rows),
                    static_cast<unsigned long long>(net.cols));
      char share_o[16] = "-", share_t[16] = "-", rank_text[32] = "-";
      if (rank) {
        std::snprintf(share_o, sizeof share_o, "%.1f%%", 100 * o / (o + rank_s));
        std::snprintf(share_t, sizeof share_t, "%.1f%%", 100 * t / (t + rank_s));
        std::snprintf(rank_text, sizeof rank_text, "%.3f", rank_s);
      }
      std::printf("| %-4s | %-13s | %-7s | %10.3f | %6.2f | %6.2f | %8.3f | %6.2f | %7.2f | %7.1fx | %8.1fx | %6.3f | %7.2f | %2d |"
                  " %7llu | %7zu | %5lld | %7s | %9s | %9s | %-5s |\n",
                  c.name, shape, pc.name, o, oc, entries / o / 1e6, t, tc, entries / t / 1e6, o / t, oc / tc, tw,
                  entries / tw / 1e6, info.fixed_digits,
                  static_cast<unsigned long long>(info.block_entries), info.bytes_per_thread / 1024, static_cast<long long>(rk), rank_text,
                  share_o, share_t, bad == 0 ? "yes" : "NO");
      std::fflush(stdout);
      all_equal = all_equal && bad == 0;
    }
  }
  std::printf("\nload average at end: %s\n", first_line_of("/proc/loadavg").c_str());
  if (!all_equal) {
    std::printf("MISMATCH: the table assembly differs from the odometer\n");
    return 1;
  }
  return 0;
}
