#include "seprank/theorems/proof_bundle.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "seprank/evidence/certificate.hpp"
#include "seprank/support/atomic_file.hpp"
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

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

void require_valid_id(const TheoremFile& file) {
  if (!valid_id(file.id))
    throw data_error(file.path + ": theorem id '" + file.id + "' names files in a bundle: use 1 to 64 of A-Z a-z 0-9 - _");
}

// Writes a bundle's files. On an error it removes the files and directories this run created;
// a file it replaced (--force) cannot be restored, and the previous manifest stays.
class BundleWriter {
 public:
  BundleWriter(fs::path root, bool force) : root_(std::move(root)), force_(force) {}
  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;
  ~BundleWriter() {
    if (done_) return;
    std::error_code ec;
    for (auto f = created_files_.rbegin(); f != created_files_.rend(); ++f) fs::remove(*f, ec);
    for (auto d = created_dirs_.rbegin(); d != created_dirs_.rend(); ++d) fs::remove(*d, ec);  // only if empty
  }
  void write(const std::string& relative, const std::string& content) {
    const fs::path path = root_ / relative;
    std::vector<fs::path> missing;  // innermost first
    std::error_code ec;
    for (fs::path p = path.parent_path(); !p.empty() && !fs::exists(fs::symlink_status(p, ec)); p = p.parent_path())
      missing.push_back(p);
    create_output_directory(path.parent_path().string());
    created_dirs_.insert(created_dirs_.end(), missing.rbegin(), missing.rend());
    const bool existed = fs::exists(fs::symlink_status(path, ec));
    write_file_atomically(path.string(), content, force_);
    if (!existed) created_files_.push_back(path);
  }
  void finish() { done_ = true; }

 private:
  fs::path root_;
  bool force_;
  bool done_ = false;
  std::vector<fs::path> created_files_, created_dirs_;
};

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

void require_bundle_writable(const std::string& dir, const std::vector<TheoremFile>& files, bool force) {
  require_directory_writable(dir);
  for (const TheoremFile& file : files) require_valid_id(file);
  const fs::path root(dir);
  if (force) {  // what exists must be replaceable (not a directory, not a symlink loop)
    std::error_code ec;
    if (fs::exists(fs::symlink_status(root / "manifest.json", ec))) require_writable((root / "manifest.json").string(), true);
    return;
  }
  require_absent((root / "manifest.json").string());
  // Which evidence files a run writes depends on its verdicts: any of this theorem's is refused.
  static const std::regex evidence_name(R"(claim[0-9]+-instance[0-9]+-(certificate|cut)\.json)");
  for (const TheoremFile& file : files) {
    require_absent((root / "theorems" / (file.id + ".toml")).string());
    std::set<std::string> existing;  // sorted: the same file is named on every run
    std::error_code ec;
    for (fs::directory_iterator e(root / "evidence" / file.id, ec), end; !ec && e != end; e.increment(ec))
      if (std::regex_match(e->path().filename().string(), evidence_name)) existing.insert(e->path().string());
    if (!existing.empty()) require_absent(*existing.begin());
  }
}

void write_proof_bundle(const std::string& dir, const std::vector<TheoremFile>& files,
                        const std::vector<TheoremResult>& results, const BundleRun& run, bool force) {
  require_bundle_writable(dir, files, force);  // again: files may have appeared during the run
  BundleWriter writer(dir, force);
  std::map<std::string, int> counts;
  int evidence_checked = 0, checks = 0;
  nlohmann::ordered_json theorems = nlohmann::ordered_json::array();
  for (std::size_t f = 0; f < files.size(); ++f) {
    const TheoremFile& file = files[f];
    const TheoremResult& result = results[f];
    require_valid_id(file);
    const std::string copy = "theorems/" + file.id + ".toml";
    const std::string bytes = read_bytes(file.path);
    writer.write(copy, bytes);
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
        entry["prime"] = r.certified_lower ? nlohmann::ordered_json(r.prime) : nlohmann::ordered_json();
        entry["min_cut"] = optional_string(r.min_cut);
        entry["verdict"] = to_string(r.status);
        entry["certificate"] = nullptr;
        entry["certificate_sha256"] = nullptr;
        entry["cut_witness"] = nullptr;
        entry["cut_witness_sha256"] = nullptr;
        if (!r.certificate.is_null()) {
          const std::string text = certificate_text(r.certificate);
          writer.write(stem + "-certificate.json", text);
          entry["certificate"] = stem + "-certificate.json";
          entry["certificate_sha256"] = sha256_hex(text);
        }
        if (!r.cut_witness.is_null()) {
          const std::string text = r.cut_witness.dump() + "\n";
          writer.write(stem + "-cut.json", text);
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
  summary["trivial"] = counts["TRIVIAL"];
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
  writer.write("manifest.json", manifest_text(manifest));  // the manifest last: complete once it exists
  writer.finish();
}

}  // namespace seprank
