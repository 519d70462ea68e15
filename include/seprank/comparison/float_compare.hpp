// Floating point against exact arithmetic on the very same network (docs/model.md "Floating
// point, for comparison only"; docs/float-comparison.md): real weights drawn as doubles, the
// matricization evaluated in double precision and ranked as numpy does, and the same doubles,
// read exactly as rationals, ranked modulo p, with the min-cut upper bound for all weights.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/comparison/numerical_rank.hpp"
#include "seprank/rank/rank_request.hpp"
#include "seprank/comparison/real_weights.hpp"

namespace seprank {

// Float rank against the exact rank of the same rational weights. float_fails: numpy would
// raise instead of returning a rank (an entry is inf or NaN, or dgesdd did not converge).
enum class FloatVerdict { agree, float_underestimates, float_overestimates, float_fails };

std::string to_string(FloatVerdict v);  // "AGREE", "FLOAT UNDERESTIMATES", ...

struct FloatComparison {
  PreparedNetwork net;  // the rational network over GF(p): its weights are the residues
  RealWeightDistribution distribution = RealWeightDistribution::uniform;
  RealNetworkWeights real_weights;

  // Entries of the double matricization that are inf or NaN.
  std::int64_t overflow_entries = 0;
  // Entries that are 0 or subnormal in double while the exact entry is nonzero mod p (hence
  // certainly nonzero over Q): the value was lost or lost precision to underflow.
  std::int64_t underflow_entries = 0;
  std::optional<NumericalRank> numerical;  // none when the verdict is float_fails

  std::int64_t exact_rank_mod_p = 0;  // <= the rank over Q of the rational network
  std::optional<MinCutBound> upper_bound;  // >= that rank; none when the network is too large
  std::string upper_bound_unavailable;     // why, when none
  bool exact_rank_settled = false;         // mod-p rank == min-cut: the rank over Q is known

  FloatVerdict verdict = FloatVerdict::agree;
  // True when the verdict holds for the rank over Q, not only for the mod-p rank: always for
  // underestimates and float_fails; for agree and overestimates when the rank over Q is
  // settled, or (overestimates) when the float rank exceeds the min-cut bound.
  bool verdict_certified = false;
};

// The whole comparison. `request.field` must be gfp with an odd prime (data error otherwise:
// 2 is inverted to reduce the doubles). Resource errors as `rank`, with the double matrix and
// its LAPACK copy counted in the memory estimate.
FloatComparison compare_float_with_exact(const RankRequest& request, RealWeightDistribution distribution);

// The matricization evaluated in double precision (row-major, rows × cols), with `net`'s
// architecture and partition and the given real weights; rows split over the context's threads
// (each entry's value does not depend on the split).
std::vector<double> assemble_doubles(const PreparedNetwork& net, const RealNetworkWeights& weights,
                                     const ExecutionContext& context);

}  // namespace seprank
