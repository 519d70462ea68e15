#include "seprank/theorems/proof_bundle.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "seprank/evidence/certificate.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

namespace fs = std::filesystem;

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) throw Error(exit_no_input, path + ": cannot read");
  return s.str();
}

// Written to a temporary name in the same directory, then renamed: a reader never sees half.
void write_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(exit_cannot_create, "cannot create the directory " + path.parent_path().string() + ": " + ec.message());
  const fs::path temporary = path.string() + ".partial";
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (!f) throw Error(exit_cannot_create, "cannot create " + temporary.string());
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (std::fclose(f) != 0 || !written) {
    fs::remove(temporary, ec);
    throw Error(exit_io, "cannot write " + temporary.string());
  }
  fs::rename(temporary, path, ec);
  if (ec) throw Error(exit_io, "cannot rename " + temporary.string() + " to " + path.string() + ": " + ec.message());
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

nlohmann::ordered_json bound_json(const std::string& text, const std::string& value) {
  if (value.empty()) return nullptr;
  return {{"expression", text}, {"value", value}};
}

nlohmann::ordered_json optional_string(const std::string& s) { return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s); }

// One key per line, and one line per entry: readable, and a diff names the entries it touches.
std::string manifest_text(const nlohmann::ordered_json& manifest) {
  std::string out = "{\n";
  bool first_key = true;
  for (const auto& [key, value] : manifest.items()) {
    out += first_key ? "" : ",\n";
    first_key = false;
    out += " " + nlohmann::json(key).dump() + ": ";
    if (key != "theorems") {
      out += value.dump();
      continue;
    }
    out += "[\n";
    for (std::size_t t = 0; t < value.size(); ++t) {
      const auto& theorem = value[t];
      out += "  {\"id\": " + theorem["id"].dump() + ", \"file\": " + theorem["file"].dump() +
             ", \"file_sha256\": " + theorem["file_sha256"].dump() + ", \"entries\": [\n";
      const auto& entries = theorem["entries"];
      for (std::size_t e = 0; e < entries.size(); ++e)
        out += "   " + entries[e].dump() + (e + 1 < entries.size() ? ",\n" : "\n");
      out += std::string("  ]}") + (t + 1 < value.size() ? ",\n" : "\n");
    }
    out += " ]";
  }
  return out + "\n}\n";
}

}  // namespace

void write_proof_bundle(const std::string& dir, const std::vector<TheoremFile>& files,
                        const std::vector<TheoremResult>& results, const BundleRun& run, bool force) {
  const fs::path root(dir);
  std::error_code ec;
  if (!force && fs::exists(root / "manifest.json", ec))
    throw Error(exit_cannot_create, (root / "manifest.json").string() + " exists; not overwriting it (use --force)");
  std::map<std::string, int> counts;
  int evidence_checked = 0, checks = 0;
  nlohmann::ordered_json theorems = nlohmann::ordered_json::array();
  for (std::size_t f = 0; f < files.size(); ++f) {
    const TheoremFile& file = files[f];
    const TheoremResult& result = results[f];
    if (!valid_id(file.id))
      throw data_error(file.path + ": theorem id '" + file.id +
                       "' names files in a bundle: use 1 to 64 of A-Z a-z 0-9 - _");
    const std::string copy = "theorems/" + file.id + ".toml";
    const std::string bytes = read_bytes(file.path);
    write_file(root / copy, bytes);
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < result.instances.size(); ++i) {
      const InstanceResult& instance = result.instances[i];
      for (std::size_t k = 0; k < instance.claims.size(); ++k) {
        const std::size_t c = instance.claim_indices[k];
        const ClaimSpec& spec = file.claims[c];
        const ClaimResult& r = instance.claims[k];
        const std::string stem = "evidence/" + file.id + "/claim" + std::to_string(c + 1) + "-instance" + std::to_string(i + 1);
        nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
        for (const auto& [name, value] : instance.values) parameters[name] = value.to_string();
        nlohmann::ordered_json hypotheses = nlohmann::ordered_json::array();
        for (const Hypothesis& h : spec.hypotheses) hypotheses.push_back(h.text);
        const bool applicable = r.status != Status::not_applicable;
        nlohmann::ordered_json entry;
        entry["claim"] = c + 1;
        entry["claim_name"] = spec.name;
        entry["instance"] = i + 1;
        entry["parameters"] = std::move(parameters);
        entry["hypotheses"] = std::move(hypotheses);
        entry["lower"] = bound_json(spec.lower_text, r.claimed_lower);
        entry["upper"] = bound_json(spec.upper_text, r.claimed_upper);
        entry["architecture"] = applicable ? r.network : nlohmann::ordered_json();
        entry["partition"] = applicable ? r.partition : nlohmann::ordered_json();
        entry["certified_rank"] = r.certified_lower ? nlohmann::ordered_json(std::to_string(*r.certified_lower))
                                                    : nlohmann::ordered_json();
        entry["min_cut"] = optional_string(r.min_cut);
        entry["verdict"] = to_string(r.status);
        entry["certificate"] = nullptr;
        entry["certificate_sha256"] = nullptr;
        entry["cut_witness"] = nullptr;
        entry["cut_witness_sha256"] = nullptr;
        if (!r.certificate.is_null()) {
          const std::string text = certificate_text(r.certificate);
          write_file(root / (stem + "-certificate.json"), text);
          entry["certificate"] = stem + "-certificate.json";
          entry["certificate_sha256"] = sha256_hex(text);
        }
        if (!r.cut_witness.is_null()) {
          const std::string text = r.cut_witness.dump() + "\n";
          write_file(root / (stem + "-cut.json"), text);
          entry["cut_witness"] = stem + "-cut.json";
          entry["cut_witness_sha256"] = sha256_hex(text);
        }
        ++counts[to_string(r.status)];
        ++checks;
        evidence_checked += r.evidence_checked;
        entries.push_back(std::move(entry));
      }
    }
    nlohmann::ordered_json theorem;
    theorem["id"] = file.id;
    theorem["file"] = copy;
    theorem["file_sha256"] = sha256_hex(bytes);
    theorem["entries"] = std::move(entries);
    theorems.push_back(std::move(theorem));
  }
  nlohmann::ordered_json summary;
  summary["checks"] = checks;
  summary["proven"] = counts["PROVEN"];
  summary["consistent"] = counts["CONSISTENT"];
  summary["unconfirmed"] = counts["UNCONFIRMED"];
  summary["refuted"] = counts["REFUTED"];
  summary["skipped"] = counts["SKIPPED"];
  summary["not_applicable"] = counts["N/A"];
  summary["evidence_checked"] = evidence_checked;
  summary["ok"] = counts["REFUTED"] == 0 && counts["UNCONFIRMED"] == 0;
  nlohmann::ordered_json manifest;
  manifest["format"] = "seprank-proof-bundle";
  manifest["format_version"] = proof_bundle_format_version;
  manifest["seprank_version"] = SEPRANK_VERSION;
  manifest["prime"] = run.prime;
  manifest["seed"] = run.seed;
  manifest["extended"] = run.extended;
  manifest["theorems"] = std::move(theorems);
  manifest["summary"] = std::move(summary);
  write_file(root / "manifest.json", manifest_text(manifest));  // the manifest last: complete once it exists
}

}  // namespace seprank
