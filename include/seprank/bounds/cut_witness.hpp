// Cut witnesses (docs/cut-witness.md, version 1): the claim "rank <= B for all weights" with
// the architecture, the partition and the cut items that prove it, for a checker to rebuild
// the tensor network, check that the cut separates I from J, and multiply the costs.
#pragma once

#include <nlohmann/json.hpp>

#include "seprank/model/architecture.hpp"
#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/model/partition.hpp"

namespace seprank {

inline constexpr int cut_witness_format_version = 1;

// The `architecture` object: input, templates, padding and layers (no weights: the bound
// holds for all of them). `with_sharing` adds "sharing" (a proof bundle's entries carry it).
nlohmann::ordered_json architecture_without_weights_json(const Architecture& arch, bool with_sharing = false);

// The witness of `bound` = min_cut_bound(arch, partition). When the matrix size limits the
// bound, the cut is the smaller side's input copy tensors (I's when the sides are equal).
nlohmann::ordered_json cut_witness_json(const Architecture& arch, const Partition& partition,
                                        const MinCutBound& bound);

}  // namespace seprank
