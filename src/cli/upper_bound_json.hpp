// The min-cut upper bound as it appears in --json outputs and tables.
#pragma once

#include <nlohmann/json.hpp>

#include "seprank/bounds/min_cut_bound.hpp"

namespace seprank::cli {

// The bound as a JSON number when it fits in 64 bits, else as a decimal string.
inline nlohmann::json bound_value(const MinCutBound& b) {
  return b.bound_u64 ? nlohmann::json(*b.bound_u64) : nlohmann::json(b.bound);
}

}  // namespace seprank::cli
