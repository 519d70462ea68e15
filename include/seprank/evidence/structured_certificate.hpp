// Structured certificates (docs/structured-certificate.md): particular weights under which the
// network's function splits into small groups of positions, and the document proving
// rank >= the product of the groups' ranks, far beyond what a dense minor can reach.
#pragma once

#include <cstdint>
#include <string>

#include "seprank/rank/rank_request.hpp"

namespace seprank {

inline constexpr int structured_certificate_format_version = 1;

struct StructuredCertificate {
  std::string text;            // the document, checked in-process (seprank-check's code)
  std::uint64_t rank = 0;      // the claim: rank >= rank over GF(prime)
  std::uint64_t prime = 0;
  std::size_t groups = 0;
  int offsets[2] = {0, 0};     // the first layer's link offsets (row-major in the window)
  std::size_t candidates = 0;  // offset pairs evaluated
};

// The links construction: F the identity; the first GC layer carries two matrices drawn from
// SplitMix64(request.seed) mod request.prime at two window offsets and all-ones matrices at the
// others; every later GC layer and the readout are all ones. Evaluates up to 64 offset pairs
// (widest span first), keeps the one with the largest product of group ranks, and verifies the
// document with the in-process checker. A data error (65) when the construction does not
// apply (a pool layer first, or no pair gives more than rank 1).
StructuredCertificate find_structured_certificate(const RankRequest& request);

}  // namespace seprank
