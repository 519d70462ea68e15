// A network given whole in a file (`--network FILE`): the `network` object of a certificate
// (docs/certificate-format.md: input, templates, padding, sharing, representation, layers with
// their weights, readout), alone or inside a whole certificate, whose other keys are ignored.
// Weights are exact: JSON integers, or strings holding an integer of any size, a fraction
// "a/b" or a decimal number ("0.25", "1e-3", read as the decimal it writes, not as a double);
// JSON numbers with a fraction or exponent are read the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "seprank/model/architecture.hpp"
#include "seprank/model/given_weights.hpp"

namespace seprank {

// The largest network file read: the evidence formats' 256 MiB (docs/certificate-format.md
// "Reading files"), so that every certificate can be given.
inline constexpr std::uint64_t max_network_file_bytes = std::uint64_t{256} << 20;

struct NetworkFile {
  Architecture arch;
  std::shared_ptr<const GivenWeights> weights;
};

// Reads `path` with the bounded reader (exit 66 when it cannot: not a regular file, above the
// limit), then parse_network_file.
NetworkFile read_network_file(const std::string& path);
// One line per mistake, prefixed with `path`: a data error (65) naming the field for anything
// malformed (not JSON, a duplicate key, a missing or unknown key, a wrong type, a shape that
// does not fit the architecture, a number that does not parse, a zero denominator), a resource
// error (69) for sizes beyond the limits, as for the same network on the command line.
NetworkFile parse_network_file(const std::string& text, const std::string& path);

}  // namespace seprank
