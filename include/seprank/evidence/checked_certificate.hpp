// The certificate of a computed rank, verified by the independent checker before anything is
// concluded from it: the path every certified rank that `verify` and `sweep` report takes.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "seprank/rank/rank_computation.hpp"

namespace seprank {

// The certificate document of `best` (rank >= 1): its minor is the one the rank was read from
// (one assembly and one factorization for both), or found again when none was kept. The
// in-process checker re-evaluates the minor's entries from the weights; anything but VERIFIED
// with "rank >= r over GF(p)" is an internal error (exit 70) naming `where`.
nlohmann::ordered_json checked_certificate(const RankComputation& best, const RankRequest& request,
                                           std::uint64_t seed, const std::string& where);

}  // namespace seprank
