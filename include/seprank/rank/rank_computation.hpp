// One exact rank computation end to end: prepare the network, assemble, rank, and the
// Schwartz–Zippel bound on having missed the generic rank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_request.hpp"

namespace seprank {

struct RankComputation {
  PreparedNetwork net;
  std::int64_t rank = 0;
  double assembly_seconds = 0;
  double rank_seconds = 0;
  double entry_degree = 0;  // degree of an entry as a polynomial in the weights
  // Bound on P(observed rank <= rank) when the generic rank is larger: an (r+1)-minor is a
  // nonzero polynomial of degree <= (r+1)·entry_degree, and weights are uniform over a set
  // of size p (GF(p)) or 2B+1 (Q). Meaningless for given weights (none were drawn).
  double miss_probability = 0;
  // --field Q (multi-modular, multimodular_rank.hpp): the primes used, the rank modulo each,
  // and the rule that proved the rank exact ("matrix size", "upper bound", "Hadamard bound").
  std::vector<std::uint64_t> primes;
  std::vector<std::int64_t> ranks_mod_primes;
  std::string exact_by;
  // GF(p) with request.certificate: the nonsingular minor the rank was read from (the matrix
  // is assembled and factored once for the rank and the certificate).
  std::optional<NonsingularMinor> minor;
};

RankComputation compute_rank(const RankRequest& request);

}  // namespace seprank
