// The verdict on one claim of one instance (docs/theorem-format.md, "What seprank verify does"),
// as a pure function of four numbers: the claimed bounds, the min-cut and the certified rank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seprank/theorems/rational.hpp"

namespace seprank {

// not_applicable: a hypothesis is false, so the instance is outside the statement.
// trivial: the claim states a lower bound <= 1 and no upper bound, so there is nothing to prove
// (docs/theorem-format.md); counted apart from PROVEN, and decided without a rank or evidence.
enum class Status { proven, trivial, consistent, unconfirmed, refuted, skipped, not_applicable };
// "PROVEN", "TRIVIAL", "CONSISTENT", "UNCONFIRMED", "REFUTED", "SKIPPED", "N/A"
std::string to_string(Status s);

// A claim with a lower bound <= 1 (its ceiling, as verify evaluates it) and no upper bound: it
// says at most that the matrix is not zero, and is TRIVIAL whatever the numbers.
bool is_trivial_claim(const std::optional<Rational>& lower, const std::optional<Rational>& upper);

// Why a part of the claim is not PROVEN (the run words each as a note).
enum class VerdictReason {
  cut_below_lower,    // REFUTED: the min-cut is below the claimed lower bound
  rank_below_lower,   // UNCONFIRMED: every try ranked below the claimed lower bound
  rank_above_upper,   // REFUTED: the certified rank is above the claimed upper bound
  cut_above_upper,    // CONSISTENT: the min-cut is above the claim, the rank within it
};

struct ClaimVerdict {
  Status status = Status::skipped;
  // What a PROVEN or REFUTED status rests on: the certificate of the rank, the cut witness.
  bool rests_on_certificate = false;
  bool rests_on_witness = false;
  bool certifies_lower = false;        // the rank's certificate proves the lower claim
  bool counterexample_to_upper = false;  // the rank's certificate refutes the upper claim
  std::vector<VerdictReason> reasons;
};

// lower/upper: the claimed bounds (absent when the claim has none); cut: the min-cut bound
// (absent when the unrolled network was beyond its limit); rank: the best certified rank
// (absent when the matrix was too large to assemble). With neither bound the claim is D1's
// consistency check, PROVEN when both numbers exist (the run has checked rank <= cut). A trivial
// claim (is_trivial_claim) is TRIVIAL, resting on nothing, before any number is looked at.
ClaimVerdict decide_verdict(const std::optional<Rational>& lower, const std::optional<Rational>& upper,
                            const std::optional<Rational>& cut, const std::optional<std::int64_t>& rank);

}  // namespace seprank
