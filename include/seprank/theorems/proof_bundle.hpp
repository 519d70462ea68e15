// Proof bundles (docs/proof-bundle.md, version 1): every verdict of a `verify` run, with the
// certificate and the cut witness behind its numbers, for the checkers to re-check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/theorems/theorem_file.hpp"
#include "seprank/theorems/verify.hpp"

namespace seprank {

inline constexpr int proof_bundle_format_version = 1;

struct BundleRun {
  std::uint64_t prime = 0;
  std::uint64_t seed = 1;
  bool extended = false;
};

// Writes DIR/manifest.json, DIR/theorems/<ID>.toml (copies of the files) and
// DIR/evidence/<ID>/claim<c>-instance<i>-{certificate,cut}.json. Each file goes to a temporary
// name first and is renamed into place. An existing DIR/manifest.json is exit 73 unless
// `force`; a theorem id outside [A-Za-z0-9_-] is a data error (it names files).
void write_proof_bundle(const std::string& dir, const std::vector<TheoremFile>& files,
                        const std::vector<TheoremResult>& results, const BundleRun& run, bool force);

}  // namespace seprank
