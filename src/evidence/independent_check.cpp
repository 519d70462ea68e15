#include "seprank/evidence/independent_check.hpp"

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

void require_verified(const seprank_check::Verdict& v, const std::string& expected_statement, const std::string& what) {
  if (v.exit_code != 0 || v.message != expected_statement)
    throw Error(exit_internal, what + ": the independent checker says " +
                                   (v.exit_code == 0 ? "VERIFIED: " : "NOT VERIFIED: ") + v.message +
                                   " (expected VERIFIED: " + expected_statement + "): this is a bug in seprank");
}

}  // namespace

void require_certificate_verified(const std::string& text, const std::string& expected_statement,
                                  const std::string& what) {
  require_verified(seprank_check::check_certificate_text(text), expected_statement, what);
}

void require_evidence_verified(const std::string& text, const std::string& expected_statement,
                               const std::string& what) {
  require_verified(seprank_check::check_evidence_text(text), expected_statement, what);
}

void require_cut_witness_verified(const std::string& text, const std::string& bound, const std::string& what) {
  require_verified(seprank_check::check_cut_witness_text(text), "rank <= " + bound + " for all weights", what);
}

}  // namespace seprank
