// Reading an input file whole, safely: only a regular file, and only up to a size limit.
// A FIFO would block (in open(2) already), a device or /proc file could be endless: such a
// path is refused before a byte is read, as is a file above the limit (docs/errors.md, 66).
#pragma once

#include <cstdint>
#include <string>

namespace seprank {

// Largest theorem file seprank reads (docs/theorem-format.md "Limits"): 16 MiB, above 100 000
// [[instances]] tables of a few parameters each (~6 MB), the most a file may expand to.
inline constexpr std::uint64_t max_theorem_file_bytes = std::uint64_t(16) << 20;

// The bytes of the regular file at `path`, at most `max_bytes` of them. Opens without blocking,
// checks the type and size with fstat before reading, and stops reading one byte past the
// limit (a file that grows while it is read). Throws Error(exit_no_input) with one line
// "<path>: cannot read the file: <why>" naming the kind of file or the limit.
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes);

}  // namespace seprank
