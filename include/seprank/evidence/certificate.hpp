// Certificates (docs/certificate-format.md, version 1): a claim "rank >= r over GF(p)" with
// the explicit network and the r×r minor that proves it.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "seprank/evidence/format_limits.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_request.hpp"

namespace seprank {

inline constexpr int certificate_format_version = 1;

// The `network` object: every weight written out, reduced into [0, prime).
nlohmann::json certificate_network_json(const PreparedNetwork& net, std::uint64_t prime);

// The `partition` object: I, its name, and the submatrix the evidence lies in (`vary`).
nlohmann::ordered_json partition_json(const Partition& partition);

// Lowercase hex SHA-256 of the canonical serialization (sorted keys, no whitespace).
std::string canonical_sha256(const nlohmann::json& value);
// Lowercase hex SHA-256 of bytes (a file's content, in proof bundles).
std::string sha256_hex(const std::string& bytes);

struct CertificateEvidence {
  std::uint64_t prime = 0;
  RankProfile profile;           // rows/cols of a nonzero rank×rank minor
  std::uint64_t determinant = 0; // that minor mod prime (nonzero)
};

// Finds a maximal nonzero minor of the matricization mod `prime` and checks it is nonzero
// (a self-check independent of how it was found). Throws an internal error if not, and a
// resource error when the rank exceeds max_rank (no checker would read it).
CertificateEvidence find_certificate_evidence(const PreparedNetwork& net, std::uint64_t prime,
                                              const ExecutionContext& context);
// The same from a minor already found (compute_rank keeps it when request.certificate is set).
CertificateEvidence certificate_evidence_from(NonsingularMinor minor, std::uint64_t prime);

// The whole certificate document; `informational` keys (seed, command, ...) are added as-is.
nlohmann::ordered_json certificate_json(const PreparedNetwork& net, const CertificateEvidence& evidence,
                                        const nlohmann::json& informational);

// The document as written to disk: valid JSON, one line per top-level key (and per key of
// `network` and `evidence`).
std::string certificate_text(const nlohmann::ordered_json& doc);

}  // namespace seprank
