// Dense assembly of a prepared network's matricization, over GF(p) or over Z.
#pragma once

#include <cstdint>

#include "seprank/rank/flint_matrix.hpp"
#include "seprank/rank/rank_request.hpp"
#include "seprank/support/execution_context.hpp"

namespace seprank {

// Entries modulo `prime` (weights reduced mod prime), over the context's threads: by tables
// (table_assembly.hpp) wherever they apply, which is every network and prime today.
NmodMatrix assemble_mod_p(const PreparedNetwork& net, std::uint64_t prime, const ExecutionContext& context);
// The same by the odometer, one entry at a time (grid_evaluator.hpp): the reference the table
// assembly is tested against, entry by entry.
NmodMatrix assemble_mod_p_by_odometer(const PreparedNetwork& net, std::uint64_t prime, const ExecutionContext& context);

// Exact integer entries (the network's integer weights, no reduction), on one thread.
FmpzMatrix assemble_integers(const PreparedNetwork& net, const ExecutionContext& context = {});

}  // namespace seprank
