// Checking a theorem file instance by instance (docs/theorem-format.md, "What seprank verify
// does"): certified lower bounds from exact ranks mod p, upper bounds from min-cuts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "seprank/rank/rank_request.hpp"
#include "seprank/theorems/theorem_file.hpp"
#include "seprank/theorems/verdict.hpp"

namespace seprank {


struct VerifyOptions {
  bool extended = false;
  std::optional<std::string> certificates_dir;
  bool force = false;  // a certificate may replace an existing file
  std::uint64_t seed = 1;
  int retries = 2;  // extra seeds tried before a lower bound is UNCONFIRMED
  bool compare_float = false;  // also rank the same network in double precision (data only)
  ExecutionContext execution;  // threads and the progress observer
  std::uint64_t max_memory_bytes = std::uint64_t{16} << 30;
  std::uint64_t prime = default_prime;  // every rank (and certificate) is taken mod this prime,
  // except that with fast_primes_first (the command line without --prime) a lower claim on a
  // matrix of 512 rows and columns or more is tried first mod 2^23 - 15 (AnalysisPolicy)
  bool fast_primes_first = false;
};

struct ClaimResult {
  Status status = Status::skipped;
  std::string architecture;    // the instance's network, in words
  std::string claimed_lower;   // "" when the claim has none
  std::string claimed_upper;
  std::optional<std::int64_t> certified_lower;  // rank mod p (max over tries)
  std::string min_cut;         // "" when unavailable
  std::string note;            // why SKIPPED / UNCONFIRMED / REFUTED, certificate written, ...
  int tries = 0;
  double seconds = 0;
  std::uint64_t seed = 0;      // the seed whose rank is reported
  std::uint64_t prime = 0;     // the prime it was taken modulo (its certificate's)
  // With compare_float: numpy's matrix_rank of a double-precision draw of the same seed, and
  // its verdict against the exact rank of those very weights. Data beside the verdict above.
  std::string float_rank;
  std::string float_verdict;
  // The evidence behind the numbers (docs/proof-bundle.md), each verified in-process by the
  // independent checker before the status was set: the certificate of certified_lower (when
  // >= 1) and the cut witness of min_cut (when there is one); null when absent. With the
  // instance's network and partition (null for N/A) they make a bundle's entry.
  nlohmann::ordered_json certificate, cut_witness, network, partition;
  // A PROVEN or REFUTED status whose deciding evidence the checker verified.
  bool evidence_checked = false;
};

struct InstanceResult {
  // The instance's place among the file's checked instances (checked_instance_positions), which
  // is its place in `verify --json`'s "instances" when the run is not sharded.
  std::size_t ordinal = 0;
  std::string parameters;  // "N=8 R=3"
  Parameters values;       // the same, exactly
  std::vector<std::size_t> claim_indices;  // which claims of the file were checked
  std::vector<ClaimResult> claims;
};

struct TheoremResult {
  std::string path, id, title;
  std::vector<std::string> claim_names;
  std::vector<InstanceResult> instances;
};

// Checks the instances of `theorem` (its extended ones too with options.extended) that have a
// claim to check; with `selected`, only those whose ordinal (0-based, in that order) it accepts.
TheoremResult verify_theorem(const TheoremFile& theorem, const VerifyOptions& options,
                             const std::function<bool(std::size_t ordinal)>& selected = {});

// The instances verify_theorem checks without `selected`, by their 0-based position in the
// file's instances followed by its extended ones (with options.extended): those with at
// least one claim to check. Certificates are named by position + 1 ("-instance<i>").
std::vector<std::size_t> checked_instance_positions(const TheoremFile& theorem, const VerifyOptions& options);

// Refuses (resource error, exit 69, naming file, claim, instance and limit) a file with an
// instance whose evidence the checkers would reject for its size (docs/certificate-format.md,
// "Format limits"). Called on every file before any is verified.
void require_evidence_format_limits(const TheoremFile& theorem, const VerifyOptions& options);

}  // namespace seprank
