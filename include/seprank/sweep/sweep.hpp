// One architecture of a family through the paths `verify` takes (docs/sweep-format.md): the exact
// rank mod p at seeded weights, its certificate verified by the independent checker, and the
// min-cut with its cut witness verified by the same checker. One JSON object per architecture.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_request.hpp"
#include "seprank/support/execution_context.hpp"
#include "seprank/sweep/family.hpp"

namespace seprank {

struct SweepOptions {
  // The first trial's prime: 2^23 - 15 ranks at BLAS speed and its certificates check fast.
  // A rank there that is below both its matrix's size and the min-cut (where a small prime's
  // Schwartz-Zippel bound matters) is ranked again mod confirm_prime, and the larger reported.
  std::uint64_t prime = fast_prime;
  std::uint64_t confirm_prime = default_prime;
  std::uint64_t seed = 1;
  std::uint64_t max_matrix_side = 1024;  // the family's (sub_selection.hpp)
  // Per architecture, whatever the machine: a matrix whose rank needs more is recorded with no
  // rank (certified_rank null), the same on every machine.
  std::uint64_t max_memory_bytes = std::uint64_t{4} << 30;
};

// The schema of a line (docs/schema/sweep-line.schema.json). Lines without one were version 1;
// 2: schema_version and seprank_version, rows, cols and min_cut always decimal strings.
inline constexpr int sweep_schema_version = 2;

// Every line of one run carries it: the seprank version, the family file's SHA-256 and the
// options that change results (the primes, the seed).
std::string sweep_fingerprint(const Family& family, const SweepOptions& options);

// The line's keys after schema_version, seprank_version, index, family_size and fingerprint (docs/sweep-format.md, "Lines").
// Internal error (exit 70) if the checker rejects a certificate or witness seprank made.
nlohmann::ordered_json sweep_member(const FamilyMember& member, const SweepOptions& options,
                                    const ExecutionContext& execution);

// Runs `members[indices[k]]` for every k with `threads` workers (each architecture on one
// thread; threads = 1 runs them in this thread) and calls emit(k, line) in the order of k,
// `line` the whole JSON line without its newline. The lines do not depend on `threads`.
void run_sweep(const std::vector<FamilyMember>& members, const std::vector<std::size_t>& indices,
               const std::string& fingerprint, const SweepOptions& options, int threads,
               const std::function<void(std::size_t, const std::string&)>& emit);

}  // namespace seprank
