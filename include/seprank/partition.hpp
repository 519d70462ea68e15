// A partition (I, J) of the input positions (MODEL.md "Grid tensor and matricization").
#pragma once

#include <string>
#include <vector>

#include "seprank/architecture.hpp"

namespace seprank {

struct Partition {
  std::string spec;    // as the user wrote it, e.g. "left-right" or "mask:0110"
  std::vector<int> I;  // linear indices, increasing
  std::vector<int> J;  // the complement, increasing
};

// Parses "left-right", "top-bottom", "odd-even", "mask:<0/1 per linear index>" (1 = in I)
// or "indices:<i,j,...>" (I's linear indices). Both sides must be non-empty (data error).
Partition make_partition(const std::string& spec, const Architecture& arch);

// The partition whose I is exactly `in_i` (validated: in range, no duplicates, both sides
// non-empty); used when reading a partition back from a file.
Partition partition_from_indices(std::vector<int> in_i, int positions);

}  // namespace seprank
