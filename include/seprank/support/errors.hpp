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
