// The min-cut upper bound as it appears in --json outputs (docs/schema/README.md: a bound has
// no size limit, so it is always a string of decimal digits, whatever its value).
#pragma once

#include <nlohmann/json.hpp>

#include "seprank/bounds/min_cut_bound.hpp"

namespace seprank::cli {

inline nlohmann::json bound_value(const MinCutBound& b) { return nlohmann::json(b.bound); }

}  // namespace seprank::cli
