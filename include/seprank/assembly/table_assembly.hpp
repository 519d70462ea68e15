// Assembly of the matricization mod p as linear algebra on tables (issue 14, item 1).
//
// A unit's outputs over all assignments of the varying positions in its receptive field form a
// table: C channels × M^d values, d the number of those positions, laid out in the odometer's
// digit order (the assembled matrix's order: vary_I then vary_J, first most significant). A GC
// layer applies W_{u,k} to the table of each child (a C_out × C_in matrix times a C_in × M^d
// table, with delayed reduction) and multiplies the results entrywise, each broadcast over the
// union of the children's positions; a pool layer multiplies the children's tables as they are.
// The top unit's product, summed against the readout, is the matricization.
//
// Memory: the leading digits of the odometer are fixed block by block, so that every table
// covers only the remaining ("free") digits and a thread's tables fit a small working set
// (table_assembly_plan says how many digits are fixed). Each block is a contiguous range of
// M^(free digits) entries of the row-major matrix; a thread runs over a contiguous range of
// blocks and recomputes only the units that depend on a fixed digit that changed (the
// odometer's rule, one level up). Peak memory is the matrix plus the threads' working sets
// (2 MiB each by default; measured peak RSS 1.01x the 8192 x 8192 matrix, 1.05x the 4096 x 4096
// one). The matrix is advised to transparent huge pages: it is written once, and first-touch
// faults of 4 KiB pages cost more than the tables (bench_table_assembly).
//
// Arithmetic: for p < 2^26 doubles with delayed reduction (vectorised loops); for larger (odd)
// primes, the default 2^62 - 57 among them, Montgomery multiplication on 64-bit words. The
// result equals the odometer's (assemble_rows_parallel) entry by entry; the tests compare them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "seprank/rank/flint_matrix.hpp"
#include "seprank/rank/rank_request.hpp"

namespace seprank {

class Progress;

// Whether assemble_mod_p_by_tables can assemble this network mod `prime`: every network and
// every prime 2 <= p < 2^63 (all model features: pool layers, same padding, every sharing,
// masks, --vary, fixed templates). The integers (assemble_integers, for --field Q's exact
// path) are not covered: they stay with the odometer.
bool table_assembly_applies(const PreparedNetwork& net, std::uint64_t prime);

struct TableAssemblyOptions {
  int threads = 1;  // at most one per block; 0 counts as 1
  // Per-thread bytes of tables the block size is chosen for (0: the default, 2 MiB, the best
  // of 256 KiB to 64 MiB on both of bench_table_assembly's matrices, or a quarter of a smaller
  // matrix; raised to twice what the network needs with every varying digit fixed, about one
  // odometer evaluator).
  std::size_t working_set_bytes = 0;
  // Force the number of fixed leading digits (tests; -1: chosen from the working set).
  int fixed_digits = -1;
  Progress* progress = nullptr;  // advanced by the rows done, if given
};

// The matricization mod `prime`, as assemble_mod_p (include/seprank/assembly/assemble.hpp):
// entries reduced mod prime in [0, prime), rows over vary_I, columns over vary_J.
NmodMatrix assemble_mod_p_by_tables(const PreparedNetwork& net, std::uint64_t prime, int threads);
NmodMatrix assemble_mod_p_by_tables(const PreparedNetwork& net, std::uint64_t prime,
                                    const TableAssemblyOptions& options);

// What the table assembly would do (for benchmarks and tests).
struct TableAssemblyPlanInfo {
  int digits = 0;           // varying positions (|vary_I| + |vary_J|)
  int fixed_digits = 0;     // leading digits fixed per block
  std::uint64_t blocks = 0;           // M^fixed_digits
  std::uint64_t block_entries = 0;    // M^(digits - fixed_digits)
  std::size_t bytes_per_thread = 0;   // tables, scratch and staging of one thread
  int threads = 1;                    // threads that will run (at most blocks)
  bool doubles = false;               // p < 2^26: double arithmetic; else Montgomery words
};
TableAssemblyPlanInfo table_assembly_plan(const PreparedNetwork& net, std::uint64_t prime,
                                          const TableAssemblyOptions& options);

}  // namespace seprank
