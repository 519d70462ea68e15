// Every option of every command, defined once: its name, whether it takes a value, its default
// and its help text. A command names the options it accepts; an option therefore means the
// same, is spelled the same and has the same default wherever it appears.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace seprank::cli {

// The table's rows for `names` (as written in the table: "output" for --output/-o), in that
// order, under `caption`. A name not in the table is a bug (std::logic_error).
boost::program_options::options_description options_for(const std::string& caption,
                                                         const std::vector<std::string>& names);

// Each command lists exactly the options it uses (so --help shows only those, and any other
// is refused, exit 64). Shared groups, in the order --help lists them:
// the architecture and the partition (rank, certify, bound, compare);
const std::vector<std::string>& network_option_names();
// the weights and the assembled strip (rank, certify, compare; bound holds for all weights).
const std::vector<std::string>& weight_option_names();

// `first` followed by `then`.
std::vector<std::string> joined(std::vector<std::string> first, const std::vector<std::string>& then);

}  // namespace seprank::cli
