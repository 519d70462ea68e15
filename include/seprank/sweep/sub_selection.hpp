// Which submatrix a sweep certifies when the matricization is too large to assemble whole
// (docs/sweep-format.md, "Sub-selection"): the rank of any submatrix is a lower bound on the
// rank, so a certified rank on it is still a proven lower bound on the generic rank.
#pragma once

#include <cstdint>
#include <string>

#include "seprank/model/architecture.hpp"
#include "seprank/model/partition.hpp"

namespace seprank {

struct SubSelection {
  std::string vary = "all";  // the --vary value: "all", or "indices:<the varying positions>"
  int vary_I = 0, vary_J = 0;  // varying positions on each side
  std::uint64_t rows = 0, cols = 0;  // M^vary_I, M^vary_J: the matrix assembled
  bool whole() const { return vary == "all"; }
};

// The whole matrix when M^|I| and M^|J| are both at most `side_limit`; otherwise, on each side,
// the k = min(|side|, floor(log_M side_limit)) positions nearest the other side (Chebyshev
// distance between grid cells; ties by the lower linear index), every other position held at
// template 0 (--fixed-templates 0). Requires side_limit >= M.
SubSelection sub_selection(const Architecture& arch, const Partition& partition, std::uint64_t side_limit);

}  // namespace seprank
