#include "seprank/theorems/verify_report.hpp"

#include <cstdint>
#include <utility>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// Every status and its key in the summary, in the summary's order.
struct StatusKey {
  Status status;
  const char* key;
};
constexpr StatusKey status_keys[] = {
    {Status::proven, "proven"},           {Status::trivial, "trivial"}, {Status::consistent, "consistent"},
    {Status::unconfirmed, "unconfirmed"}, {Status::refuted, "refuted"}, {Status::skipped, "skipped"},
    {Status::not_applicable, "not_applicable"},
};

// The status a claim's object names.
Status status_named(const nlohmann::json& name) {
  if (name.is_string())
    for (const StatusKey& k : status_keys)
      if (to_string(k.status) == name.get<std::string>()) return k.status;
  throw data_error("a claim's status is " + name.dump() + ", which is no status of verify");
}

// Absent values are null, never "" (docs/schema/README.md).
nlohmann::json text_or_null(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

// The instance's parameters, name -> exact value as a string ("8", "-3", "1/2"), as a bundle
// manifest records them.
nlohmann::json parameters_json(const Parameters& values) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : values) out[name] = value.to_string();
  return out;
}

}  // namespace

nlohmann::json theorem_json(const TheoremResult& t, bool timings) {
  nlohmann::json instances = nlohmann::json::array();
  for (const InstanceResult& i : t.instances) {
    nlohmann::json claims = nlohmann::json::array();
    for (const ClaimResult& r : i.claims) {
      nlohmann::json j = {{"status", to_string(r.status)},
                          {"architecture", r.architecture},
                          {"claimed_lower", text_or_null(r.claimed_lower)},
                          {"claimed_upper", text_or_null(r.claimed_upper)},
                          {"certified_lower", r.certified_lower ? nlohmann::json(*r.certified_lower) : nlohmann::json()},
                          {"min_cut", text_or_null(r.min_cut)},
                          {"tries", r.tries},
                          {"seed", r.certified_lower ? nlohmann::json(r.seed) : nlohmann::json()},  // of the rank
                          {"note", r.note},
                          {"evidence_checked", r.evidence_checked}};
      if (timings) j["seconds"] = r.seconds;
      if (!r.float_verdict.empty()) {
        // A number, or null when the floating-point rank failed (ClaimResult spells it "fails").
        j["float_rank"] = r.float_rank == "fails" ? nlohmann::json() : nlohmann::json(std::stoll(r.float_rank));
        j["float_verdict"] = r.float_verdict;
      }
      claims.push_back(std::move(j));
    }
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t index : i.claim_indices) names.push_back(t.claim_names[index]);
    instances.push_back({{"parameters", parameters_json(i.values)}, {"claim_names", names}, {"claims", std::move(claims)}});
  }
  return {{"id", t.id}, {"path", t.path}, {"title", t.title}, {"instances", std::move(instances)}};
}

nlohmann::json verify_summary(const nlohmann::json& theorems) {
  if (!theorems.is_array()) throw data_error("\"theorems\" is not an array");
  std::map<Status, std::int64_t> counts;
  std::int64_t checks = 0, evidence_checked = 0;
  for (const nlohmann::json& t : theorems) {
    if (!t.is_object() || !t.contains("instances") || !t["instances"].is_array())
      throw data_error("a theorem without an \"instances\" array");
    for (const nlohmann::json& i : t["instances"]) {
      if (!i.is_object() || !i.contains("claims") || !i["claims"].is_array())
        throw data_error("an instance without a \"claims\" array");
      for (const nlohmann::json& c : i["claims"]) {
        if (!c.is_object() || !c.contains("status") || !c.contains("evidence_checked") ||
            !c["evidence_checked"].is_boolean())
          throw data_error("a claim without \"status\" and a true or false \"evidence_checked\"");
        ++counts[status_named(c["status"])];
        ++checks;
        evidence_checked += c["evidence_checked"].get<bool>();
      }
    }
  }
  nlohmann::json summary = {{"theorems", theorems.size()}, {"checks", checks}};
  for (const StatusKey& k : status_keys) summary[k.key] = counts[k.status];
  summary["evidence_checked"] = evidence_checked;
  summary["ok"] = counts[Status::refuted] == 0 && counts[Status::unconfirmed] == 0;
  return summary;
}

nlohmann::json verify_document(std::uint64_t prime, nlohmann::json theorems) {
  nlohmann::json summary = verify_summary(theorems);
  return {{"schema_version", verify_schema_version},
          {"seprank_version", SEPRANK_VERSION},
          {"command", "verify"},
          {"prime", prime},
          {"theorems", std::move(theorems)},
          {"summary", std::move(summary)}};
}

bool summary_ok(const nlohmann::json& summary) { return summary.at("ok").get<bool>(); }

}  // namespace seprank
