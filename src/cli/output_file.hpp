// Where a command's output file goes: "-" is standard output, for every option that takes an
// output file (`certify -o`, `bound --witness`); a file named "-" is reachable as "./-".
#pragma once

#include <string>
#include <string_view>

namespace seprank::cli {

bool is_standard_output(const std::string& path);

// Refuses, before any work, what write_output would refuse (nothing for "-").
void require_output_writable(const std::string& path, bool force);

// `content` to standard output for "-", else to the file, written whole (support/atomic_file).
void write_output(const std::string& path, std::string_view content, bool force);

}  // namespace seprank::cli
