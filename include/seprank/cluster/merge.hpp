// Joining the outputs of the shards of one run into exactly the bytes one unsharded run writes
// (docs/cluster.md): `verify --shard i/n --json` documents, or sweep JSON Lines.
#pragma once

#include <string>
#include <vector>

namespace seprank {

struct ShardOutput {
  std::string name;   // names the input in messages (its path)
  std::string bytes;  // its whole content
};

struct MergedRun {
  std::string bytes;
  // For verify documents: no claim REFUTED or UNCONFIRMED in the merged summary (verify's exit
  // 0); always true for sweep lines.
  bool ok = true;
};

// Checks that `shards` are the complete outputs of one run, then joins them: a verify
// document keeps its theorems in order, their instances in global order, and a summary
// recomputed by verify's own code (verify_report.hpp); sweep lines are written in index order.
// Refusals are one line with the codes of errors.hpp: malformed input (65), different runs
// (80), inconsistent n (81), a missing shard (82), a shard twice (83), an instance or line
// twice (84), in the wrong shard (85), or missing from its shard (86).
MergedRun merge_shard_outputs(const std::vector<ShardOutput>& shards);

}  // namespace seprank
