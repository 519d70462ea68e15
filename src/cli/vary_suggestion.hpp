// Exit 69 with a way out: when a matrix is refused as too large (entries, memory, or a rank
// beyond what a certificate may hold) and a --vary strip would fit, the one-line message ends
// with that strip (docs/model.md "Strips"), whose rank is still a certified lower bound.
#pragma once

#include "seprank/rank/rank_request.hpp"
#include "seprank/support/errors.hpp"

namespace seprank::cli {

// "try --vary auto (a R x C strip; its rank is a lower bound)", or a "--vary indices:..."
// strip of k positions on each side of the cut, the largest k that fits; "" when no strip
// smaller than the request's fits (the network itself beyond the limits, say). With
// request.certificate the strip must also keep min(rows, cols) within the certificates' max_rank.
std::string vary_suggestion(const RankRequest& request);

// `e` itself, or, for a resource error that a strip would avoid, `e` with the suggestion.
Error with_vary_suggestion(const Error& e, const RankRequest& request);

}  // namespace seprank::cli
