// The document `seprank verify --json` prints: one object per theorem and the summary. The
// summary is computed from the theorems' objects alone, so that `seprank merge` recomputes it
// from shard outputs with this very code (docs/cluster.md).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "seprank/theorems/verify.hpp"

namespace seprank {

// The schema of the document (docs/schema/verify.schema.json); merge reads only shards of this
// schema. 2: the TRIVIAL status and summary.trivial (rows schema 1 called PROVEN). 3: parameters
// as an object, absent bounds, min-cuts and seeds null, float_rank a number, seprank_version.
inline constexpr int verify_schema_version = 3;

// {"schema_version", "seprank_version", "command": "verify", "prime", "theorems",
// "summary": verify_summary(theorems)}.
nlohmann::json verify_document(std::uint64_t prime, nlohmann::json theorems);

// {"id", "path", "title", "instances": [{"parameters": {name: "value"}, "claim_names",
// "claims": [...]}]};
// `timings` adds each claim's "seconds" (which makes the output differ between runs).
nlohmann::json theorem_json(const TheoremResult& theorem, bool timings);

// The summary of `theorems` (an array of theorem_json objects): the number of theorems, of
// checks, of each status, of PROVEN and REFUTED verdicts whose evidence the checker verified,
// and "ok" (nothing REFUTED or UNCONFIRMED). A status it does not know is a data error.
nlohmann::json verify_summary(const nlohmann::json& theorems);

// Whether a summary reports no failed claim (verify's exit 0 rather than 1).
bool summary_ok(const nlohmann::json& summary);

}  // namespace seprank
