// Dense assembly of a prepared network's matricization, over GF(p) or over Z.
#pragma once

#include <cstdint>

#include "seprank/rank/flint_matrix.hpp"
#include "seprank/rank/rank_request.hpp"

namespace seprank {

// Entries modulo `prime` (weights reduced mod prime); rows split over `threads` threads.
NmodMatrix assemble_mod_p(const PreparedNetwork& net, std::uint64_t prime, int threads);

// Exact integer entries (the network's integer weights, no reduction).
FmpzMatrix assemble_integers(const PreparedNetwork& net);

}  // namespace seprank
