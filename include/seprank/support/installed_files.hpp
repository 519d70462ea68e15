// Where seprank finds the files it ships: the theorem suite that `verify` checks when it is given
// no path. An installed seprank (cmake --install, the .deb) keeps them in
// <prefix>/share/seprank/proofs, <prefix> being the parent of the directory that holds the
// running executable, so an installed tree can be moved as a whole (docs/install.md).
#pragma once

#include <filesystem>
#include <optional>

namespace seprank {

// <prefix>/share/seprank/proofs of the running executable, if that directory exists.
std::optional<std::filesystem::path> installed_proofs_directory();

// What `verify` checks without a path: ./proofs when it is a directory (a source tree), else the
// installed suite. Throws Error(exit_no_input) naming both places when neither exists.
std::filesystem::path default_theorem_directory();

}  // namespace seprank
