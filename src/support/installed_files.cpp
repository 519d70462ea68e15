#include "seprank/support/installed_files.hpp"

#include <system_error>

#include "seprank/support/errors.hpp"

#ifndef SEPRANK_INSTALL_DATADIR
#define SEPRANK_INSTALL_DATADIR "share"  // CMake passes CMAKE_INSTALL_DATADIR
#endif

namespace seprank {
namespace fs = std::filesystem;

namespace {

// <prefix>/share/seprank/proofs for the executable at /proc/self/exe (Linux; elsewhere none).
std::optional<fs::path> installed_candidate() {
  std::error_code ec;
  const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (ec || executable.empty()) return std::nullopt;
  return executable.parent_path().parent_path() / SEPRANK_INSTALL_DATADIR / "seprank" / "proofs";
}

}  // namespace

std::optional<fs::path> installed_proofs_directory() {
  const auto candidate = installed_candidate();
  std::error_code ec;
  if (candidate && fs::is_directory(*candidate, ec)) return candidate;
  return std::nullopt;
}

fs::path default_theorem_directory() {
  std::error_code ec;
  if (fs::is_directory("proofs", ec)) return "proofs";
  if (const auto installed = installed_proofs_directory()) return *installed;
  const auto candidate = installed_candidate();
  throw Error(exit_no_input, "no theorem files given, and neither ./proofs nor the installed suite (" +
                                 (candidate ? candidate->string() : std::string("<prefix>/share/seprank/proofs")) +
                                 ") exists: name the files or directories to verify");
}

}  // namespace seprank
