#include "cli/output_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "seprank/support/errors.hpp"

namespace seprank::cli {

void write_output_file(const std::string& path, const std::string& content, bool force) {
  FILE* f = std::fopen(path.c_str(), force ? "w" : "wx");
  if (!f) {
    if (!force && errno == EEXIST)
      throw Error(exit_cannot_create, path + " exists; not overwriting it (use --force)");
    throw Error(exit_cannot_create, "cannot create " + path + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (std::fclose(f) != 0 || !written) {
    // Drop the partial file, but only a regular one: with --force the path may be a device
    // (-o /dev/full), and removing that as root would delete the device node.
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec))) std::remove(path.c_str());
    throw Error(exit_io, "cannot write " + path);
  }
}

}  // namespace seprank::cli
