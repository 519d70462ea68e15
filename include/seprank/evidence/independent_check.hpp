// The independent checker, in-process: checker/seprank_check.cpp compiled as a library (no
// FLINT, no Boost), so that `seprank verify` gives PROVEN or REFUTED only after the very code
// a user would run has verified the evidence (checker/README.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seprank_check {

// Declared as in checker/seprank_check.cpp, which defines them.
struct Verdict {
  int exit_code;        // 0 verified, 1 refuted, 2 malformed, 3 cannot read, 4 too large
  std::string message;  // after "VERIFIED: " or "NOT VERIFIED: "
};
Verdict check_certificate_text(const std::string& text);
Verdict check_cut_witness_text(const std::string& text);
Verdict check_evidence_text(const std::string& text);
struct StructuredBlock {
  std::vector<std::uint32_t> positions;
  std::vector<std::uint64_t> table;
};
Verdict structured_blocks(const std::string& text, std::vector<StructuredBlock>& blocks);

}  // namespace seprank_check

namespace seprank {

// Runs the checker on a certificate's text; an internal error (exit 70) naming `what` and the
// checker's verdict unless it is VERIFIED with exactly `expected_statement`
// ("rank >= r over GF(p)"): evidence the producer wrote and the checker rejects is a bug.
void require_certificate_verified(const std::string& text, const std::string& expected_statement,
                                  const std::string& what);

// The same for any evidence file the checker tells apart by its "format" (structured certificates).
void require_evidence_verified(const std::string& text, const std::string& expected_statement,
                               const std::string& what);

// The same for a cut witness of "rank <= `bound` for all weights".
void require_cut_witness_verified(const std::string& text, const std::string& bound, const std::string& what);

}  // namespace seprank
