// The verdict as a pure function, checked as a table written from the rules of
// docs/theorem-format.md ("What seprank verify does"), row by row by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "seprank/theorems/verdict.hpp"

namespace {

using seprank::Rational;
using seprank::Status;
using seprank::VerdictReason;
using Q = std::optional<Rational>;
using N = std::optional<std::int64_t>;
constexpr auto none = std::nullopt;

struct Row {
  const char* what;
  Q lower, upper, cut;
  N rank;
  Status status;
  bool on_certificate, on_witness;
  std::vector<VerdictReason> reasons;
};

Q q(std::int64_t n) { return Rational(n); }

}  // namespace

TEST_CASE("verdict: the rules of docs/theorem-format.md as a table") {
  const Row rows[] = {
      // lower claims
      {"rank reaches the lower bound", q(4), none, q(8), 4, Status::proven, true, false, {}},
      {"rank reaches it without a min-cut", q(4), none, none, 5, Status::proven, true, false, {}},
      {"rank below, min-cut above: unconfirmed", q(4), none, q(8), 3, Status::unconfirmed, false, false,
       {VerdictReason::rank_below_lower}},
      {"min-cut below the lower bound: refuted", q(4), none, q(3), 3, Status::refuted, false, true,
       {VerdictReason::cut_below_lower}},
      {"min-cut below, too large to rank: still refuted", q(4), none, q(3), none, Status::refuted, false, true,
       {VerdictReason::cut_below_lower}},
      {"too large to rank: skipped", q(4), none, q(8), none, Status::skipped, false, false, {}},
      {"neither number: skipped", q(4), none, none, none, Status::skipped, false, false, {}},
      {"a lower bound of 5/2 needs rank 3", Rational(5, 2), none, q(8), 2, Status::unconfirmed, false,
       false, {VerdictReason::rank_below_lower}},
      {"a lower bound of 2 is not trivial", q(2), none, q(8), 2, Status::proven, true, false, {}},
      // a lower bound <= 1 without an upper bound: TRIVIAL whatever the numbers, resting on nothing
      {"lower 1, no numbers: trivial", q(1), none, none, none, Status::trivial, false, false, {}},
      {"lower 1, rank and min-cut ignored: trivial", q(1), none, q(8), 4, Status::trivial, false, false, {}},
      {"lower 0 with rank 0: trivial", q(0), none, q(8), 0, Status::trivial, false, false, {}},
      {"a negative lower bound: trivial", q(-3), none, none, none, Status::trivial, false, false, {}},
      {"a lower bound of 1/2 (ceiling 1): trivial", Rational(1, 2), none, none, none, Status::trivial, false, false, {}},
      {"a lower bound of 3/2 (ceiling 2) is not trivial", Rational(3, 2), none, q(8), 1, Status::unconfirmed, false,
       false, {VerdictReason::rank_below_lower}},
      {"lower 1 with an upper bound is not trivial", q(1), q(1), q(1), 1, Status::proven, true, true, {}},
      // upper claims
      {"min-cut within the upper bound", none, q(8), q(8), 2, Status::proven, false, true, {}},
      {"min-cut within it, too large to rank", none, q(8), q(4), none, Status::proven, false, true, {}},
      {"rank above the upper bound: refuted", none, q(8), q(9), 9, Status::refuted, true, false,
       {VerdictReason::rank_above_upper}},
      {"rank above it without a min-cut", none, q(8), none, 9, Status::refuted, true, false,
       {VerdictReason::rank_above_upper}},
      {"min-cut above, rank within: consistent", none, q(8), q(9), 8, Status::consistent, false, false,
       {VerdictReason::cut_above_upper}},
      {"min-cut above, too large to rank: skipped", none, q(8), q(16), none, Status::skipped, false, false, {}},
      {"no numbers at all: skipped", none, q(8), none, none, Status::skipped, false, false, {}},
      // both: PROVEN only if both parts are, REFUTED if either is, else the weaker status
      {"both parts proven", q(4), q(8), q(8), 4, Status::proven, true, true, {}},
      {"lower proven, upper consistent", q(4), q(8), q(16), 4, Status::consistent, true, false,
       {VerdictReason::cut_above_upper}},
      {"unconfirmed beats consistent", q(4), q(8), q(16), 3, Status::unconfirmed, false, false,
       {VerdictReason::rank_below_lower, VerdictReason::cut_above_upper}},
      {"refuted lower beats a proven upper", q(4), q(8), q(3), none, Status::refuted, false, true,
       {VerdictReason::cut_below_lower}},
      {"both parts refuted", q(4), q(2), q(3), 3, Status::refuted, true, true,
       {VerdictReason::cut_below_lower, VerdictReason::rank_above_upper}},
      {"skipped beats consistent", q(4), q(8), q(16), none, Status::skipped, false, false, {}},
      // neither bound: D1's consistency check (rank <= min-cut is checked by the run)
      {"D1: rank and min-cut", none, none, q(4), 3, Status::proven, true, true, {}},
      {"D1: no rank", none, none, q(4), none, Status::skipped, false, false, {}},
      {"D1: no min-cut", none, none, none, 3, Status::skipped, false, false, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    // TRIVIAL exactly when the claim states a lower bound <= 1 and no upper bound.
    CHECK(seprank::is_trivial_claim(row.lower, row.upper) == (row.status == Status::trivial));
    const seprank::ClaimVerdict v = seprank::decide_verdict(row.lower, row.upper, row.cut, row.rank);
    CHECK(seprank::to_string(v.status) == seprank::to_string(row.status));
    CHECK(v.rests_on_certificate == row.on_certificate);
    CHECK(v.rests_on_witness == row.on_witness);
    CHECK(v.reasons == row.reasons);
    // The certificate is written as the claim's proof or as a counterexample, never both ways.
    CHECK(v.certifies_lower == (row.status != Status::trivial && row.lower && row.rank &&
                                Rational(*row.rank) >= *row.lower && !(row.cut && *row.cut < *row.lower)));
    CHECK(v.counterexample_to_upper == (std::find(row.reasons.begin(), row.reasons.end(),
                                                  VerdictReason::rank_above_upper) != row.reasons.end()));
  }
  CHECK(seprank::to_string(Status::trivial) == "TRIVIAL");
}
