// Error categories and their exit codes (docs/errors.md is the catalogue).
// Every user-facing failure is one of these; main() prints what() on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace seprank {

enum ExitCode : int {
  exit_ok = 0,
  exit_claim_failed = 1,   // a checked claim was refuted or not confirmed
  exit_usage = 64,         // malformed command line
  exit_data = 65,          // well-formed but invalid request (network, partition, prime)
  exit_no_input = 66,      // an input file cannot be opened
  exit_resource = 69,      // request exceeds the memory/size limits; refused before allocating
  exit_internal = 70,      // a bug in seprank
  exit_cannot_create = 73, // output file exists (without --force) or cannot be created
  exit_io = 74,            // read/write failure
  exit_config = 78,        // built for instructions this CPU lacks (support/cpu_support.hpp)
  // seprank merge refuses shard outputs that do not make one whole run (docs/cluster.md).
  exit_merge_different_runs = 80,   // fingerprints differ: the shards are of different runs
  exit_merge_shard_count = 81,      // the shards disagree on n
  exit_merge_missing_shard = 82,    // a shard of 1..n is not among the inputs
  exit_merge_duplicate_shard = 83,  // a shard is given twice
  exit_merge_duplicate_unit = 84,   // an instance (a sweep line) appears twice
  exit_merge_wrong_shard = 85,      // an instance (a line) in a shard it does not belong to
  exit_merge_missing_unit = 86,     // an instance (a line) of a present shard is missing
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

inline Error usage_error(const std::string& m) { return Error(exit_usage, m); }
inline Error data_error(const std::string& m) { return Error(exit_data, m); }
inline Error resource_error(const std::string& m) { return Error(exit_resource, m); }

}  // namespace seprank
