// Proof bundles (docs/proof-bundle.md, version 2): every verdict of a `verify` run, with the
// certificate and the cut witness behind its numbers, for the checkers to re-check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seprank/theorems/theorem_file.hpp"
#include "seprank/theorems/verify.hpp"

namespace seprank {

// 2: the TRIVIAL verdict and summary.trivial (version 1 bundles called those rows PROVEN).
// 3: each entry's prime (version 2 took every rank mod the manifest's prime).
inline constexpr int proof_bundle_format_version = 3;

struct BundleRun {
  std::uint64_t prime = 0;
  std::uint64_t seed = 1;
  bool extended = false;
};

// Refuses before any work what write_proof_bundle would refuse: a theorem id outside
// [A-Za-z0-9_-] (data error: it names files); a DIR that cannot be created (exit 73); without
// `force`, an existing manifest.json, theorems/<ID>.toml or evidence file of these theorems
// (exit 73: nothing is overwritten). Leftover temporary files do not count.
void require_bundle_writable(const std::string& dir, const std::vector<TheoremFile>& files, bool force);

// Writes DIR/manifest.json, DIR/theorems/<ID>.toml (copies of the files) and
// DIR/evidence/<ID>/claim<c>-instance<i>-{certificate,cut}.json, each with
// write_file_atomically, the manifest last. Calls require_bundle_writable first. On an error
// it removes the files and directories it created.
void write_proof_bundle(const std::string& dir, const std::vector<TheoremFile>& files,
                        const std::vector<TheoremResult>& results, const BundleRun& run, bool force);

}  // namespace seprank
