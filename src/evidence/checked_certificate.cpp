#include "seprank/evidence/checked_certificate.hpp"

#include "seprank/evidence/certificate.hpp"
#include "seprank/evidence/independent_check.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

nlohmann::ordered_json checked_certificate(const RankComputation& best, const RankRequest& request,
                                           std::uint64_t seed, const std::string& where) {
  const CertificateEvidence evidence = best.minor ? certificate_evidence_from(*best.minor, request.prime)
                                                 : find_certificate_evidence(best.net, request.prime, request.execution);
  if (evidence.profile.rank != best.rank)
    throw Error(exit_internal, where + ": the certificate's minor has size " + std::to_string(evidence.profile.rank) +
                                   " but the rank is " + std::to_string(best.rank) + " (bug)");
  nlohmann::ordered_json doc = certificate_json(best.net, evidence, {{"seed", seed}});
  require_certificate_verified(certificate_text(doc),
                               "rank >= " + std::to_string(best.rank) + " over GF(" + std::to_string(request.prime) + ")",
                               where);
  return doc;
}

}  // namespace seprank
