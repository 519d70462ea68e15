// From the parsed options (option_table.hpp) to the engine's request: the network and rank
// options shared by `rank`, `certify`, `bound` and `compare`, and the values every command reads.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/option_table.hpp"
#include "seprank/rank/rank_request.hpp"

namespace seprank::cli {

// Builds and validates the request (usage errors for malformed values).
RankRequest rank_request_from(const boost::program_options::variables_map& vm);

// A non-negative decimal option value (usage error otherwise).
std::uint64_t parse_unsigned(const boost::program_options::variables_map& vm, const char* name);
// --threads (0 = all cores) and --max-memory (MiB) as the engine wants them.
int threads_from(const boost::program_options::variables_map& vm);
// --prime: a number, or "fast" (2^23 - 15); validated where the network is prepared.
std::uint64_t prime_from(const boost::program_options::variables_map& vm);
// The machine's physical memory in MiB (sysconf), --max-memory's default.
std::uint64_t machine_memory_mib();
// --max-memory in bytes; absent: the machine's physical memory.
std::uint64_t max_memory_from(const boost::program_options::variables_map& vm);

// The architecture as JSON (the `architecture` object of every --json output).
nlohmann::json architecture_json(const Architecture& arch, Representation representation);

// Parses argv with the given options; unknown, abbreviated or malformed options and words that
// are no option's value (unless `positional` takes them) are usage errors.
boost::program_options::variables_map parse_command_line(
    int argc, const char* const* argv, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description* positional = nullptr);

}  // namespace seprank::cli
