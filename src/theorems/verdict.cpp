#include "seprank/theorems/verdict.hpp"

#include <algorithm>

namespace seprank {

std::string to_string(Status s) {
  switch (s) {
    case Status::proven: return "PROVEN";
    case Status::trivial: return "TRIVIAL";
    case Status::consistent: return "CONSISTENT";
    case Status::unconfirmed: return "UNCONFIRMED";
    case Status::refuted: return "REFUTED";
    case Status::skipped: return "SKIPPED";
    case Status::not_applicable: return "N/A";
  }
  return "?";
}

bool is_trivial_claim(const std::optional<Rational>& lower, const std::optional<Rational>& upper) {
  return lower && !upper && *lower <= Rational(1);
}

ClaimVerdict decide_verdict(const std::optional<Rational>& lower, const std::optional<Rational>& upper,
                            const std::optional<Rational>& cut, const std::optional<std::int64_t>& rank) {
  ClaimVerdict v;
  if (is_trivial_claim(lower, upper)) {
    v.status = Status::trivial;
    return v;
  }
  std::vector<Status> parts;  // one per part of the claim
  if (lower) {
    if (cut && *cut < *lower) {
      parts.push_back(Status::refuted);
      v.rests_on_witness = true;
      v.reasons.push_back(VerdictReason::cut_below_lower);
    } else if (!rank) {
      parts.push_back(Status::skipped);
    } else if (Rational(*rank) >= *lower) {
      parts.push_back(Status::proven);
      v.rests_on_certificate = v.certifies_lower = true;
    } else {
      parts.push_back(Status::unconfirmed);
      v.reasons.push_back(VerdictReason::rank_below_lower);
    }
  }
  if (upper) {
    if (cut && *cut <= *upper) {
      parts.push_back(Status::proven);
      v.rests_on_witness = true;
    } else if (rank && Rational(*rank) > *upper) {
      parts.push_back(Status::refuted);
      v.rests_on_certificate = v.counterexample_to_upper = true;
      v.reasons.push_back(VerdictReason::rank_above_upper);
    } else if (rank) {
      parts.push_back(Status::consistent);
      v.reasons.push_back(VerdictReason::cut_above_upper);
    } else {
      parts.push_back(Status::skipped);
    }
  }
  if (!lower && !upper) {
    parts.push_back(rank && cut ? Status::proven : Status::skipped);
    v.rests_on_certificate = v.rests_on_witness = rank && cut;
  }
  // REFUTED dominates, then UNCONFIRMED, SKIPPED, CONSISTENT; PROVEN only if every part is.
  auto has = [&](Status s) { return std::find(parts.begin(), parts.end(), s) != parts.end(); };
  v.status = has(Status::refuted)       ? Status::refuted
             : has(Status::unconfirmed) ? Status::unconfirmed
             : has(Status::skipped)     ? Status::skipped
             : has(Status::consistent)  ? Status::consistent
                                        : Status::proven;
  return v;
}

}  // namespace seprank
