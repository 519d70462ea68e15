#include "cli/output_file.hpp"

#include <iostream>

#include "seprank/support/atomic_file.hpp"

namespace seprank::cli {

bool is_standard_output(const std::string& path) { return path == "-"; }

void require_output_writable(const std::string& path, bool force) {
  if (!is_standard_output(path)) require_writable(path, force);
}

void write_output(const std::string& path, std::string_view content, bool force) {
  if (is_standard_output(path))
    std::cout << content;  // main() flushes and turns a failed write into exit 74
  else
    write_file_atomically(path, content, force);
}

}  // namespace seprank::cli
