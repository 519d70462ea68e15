// Writing a user-named output file without overwriting anything unless asked (--force).
#pragma once

#include <string>

namespace seprank::cli {

// Writes `content` to `path`. Without `force`, an existing file is an error (exit 73) and
// is left untouched; creation is exclusive, so a file appearing meanwhile is not clobbered.
void write_output_file(const std::string& path, const std::string& content, bool force);

}  // namespace seprank::cli
