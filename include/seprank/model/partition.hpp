// A partition (I, J) of the input positions (docs/model.md "Partitions").
#pragma once

#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"

namespace seprank {

struct Partition {
  std::string spec;    // as the user wrote it, e.g. "left-right" or "mask:0110"
  std::vector<int> I;  // linear indices, increasing
  std::vector<int> J;  // the complement, increasing
  // The submatrix that is assembled: rows over the templates of vary_I ⊆ I, columns over
  // vary_J ⊆ J, every other position held at fixed_templates[position]. Its rank is a lower
  // bound on the rank of [A]_{I,J}. By default vary_I = I and vary_J = J (the whole matrix).
  std::vector<int> vary_I, vary_J;
  std::vector<int> fixed_templates;  // one per linear position
  std::string vary_spec = "all";

  bool is_submatrix() const { return vary_I.size() < I.size() || vary_J.size() < J.size(); }
};

// Parses "left-right", "top-bottom", "odd-even", "mask:<0/1 per linear index>" (1 = in I)
// or "indices:<i,j,...>" (I's linear indices). Both sides must be non-empty (data error).
Partition make_partition(const std::string& spec, const Architecture& arch);

// Restricts the assembled submatrix to the positions named by `vary` ("all", "auto",
// "mask:<0/1 per position>" or "indices:<i,...>"), the others held at `fixed` (one template
// for all, e.g. "0", or one digit per position, e.g. "0102..."). "auto" varies the positions
// that share a first-layer window with a position across the cut: only they can carry the
// dependence across it through layer 1. Both sides must keep a varying position.
void restrict_partition(Partition& partition, const std::string& vary, const std::string& fixed,
                        const Architecture& arch, const std::vector<LayerGeometry>& geometry);

// The partition whose I is exactly `in_i` (validated: in range, no duplicates, both sides
// non-empty); used when reading a partition back from a file.
Partition partition_from_indices(std::vector<int> in_i, int positions);

// The name a certificate or witness records (docs/certificate-format.md "Partition names"):
// "indices:" + the increasing list of `indices` (the command line accepts leading zeros and
// any order); every other name as given.
std::string canonical_partition_spec(const std::string& spec, std::vector<int> indices);

}  // namespace seprank
