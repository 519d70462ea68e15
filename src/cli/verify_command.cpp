#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/support/installed_files.hpp"
#include "seprank/theorems/proof_bundle.hpp"
#include "seprank/theorems/verify.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace seprank::cli {

namespace {

// Theorem files named directly, and every *.toml directly inside a named directory, sorted.
std::vector<std::string> theorem_paths(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<std::string> in_dir;
      // error_code overloads: an unreadable directory is missing input (66), not a bug (70).
      for (fs::directory_iterator entry(a, ec), end; !ec && entry != end; entry.increment(ec))
        if (entry->path().extension() == ".toml") in_dir.push_back(entry->path().string());
      if (ec) throw Error(exit_no_input, a + ": cannot read the directory: " + ec.message());
      std::sort(in_dir.begin(), in_dir.end());
      if (in_dir.empty()) throw data_error(a + ": no theorem files (*.toml) in this directory");
      out.insert(out.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(a, ec)) {
      out.push_back(a);
    } else {
      throw Error(exit_no_input, a + ": no such file or directory");
    }
  }
  return out;
}

// Refuses before any work a certificate directory that cannot be written, and without --force
// one that holds a certificate these theorems may write (ID-claim<c>-instance<i>.json,
// ID-counterexample-claim<c>-instance<i>.json, as verify.cpp names them): which ones a run
// writes depends on its verdicts.
void require_certificates_writable(const std::string& dir, const std::vector<TheoremFile>& files, bool force) {
  require_directory_writable(dir);
  if (force) return;
  static const std::regex rest(R"((counterexample-)?claim[0-9]+-instance[0-9]+\.json)");
  std::set<std::string> existing;  // sorted: the same file is named on every run
  std::error_code ec;
  for (fs::directory_iterator e(dir, ec), end; !ec && e != end; e.increment(ec)) {
    const std::string name = e->path().filename().string();
    for (const TheoremFile& f : files)
      if (name.rfind(f.id + "-", 0) == 0 && std::regex_match(name.substr(f.id.size() + 1), rest))
        existing.insert(e->path().string());
  }
  if (!existing.empty()) require_absent(*existing.begin());
}

std::string cell(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }
std::string cell(const std::string& s) { return s.empty() ? "-" : s; }

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

void print_theorem(const TheoremResult& t, bool with_float) {
  std::cout << "\n== " << t.id << ": " << t.title << "  (" << t.path << ")\n";
  std::vector<std::vector<std::string>> rows = {
      {"instance", "claim", "lower claimed", "certified", "min-cut", "upper claimed", "status", "time", "note"}};
  if (with_float) rows[0].insert(rows[0].begin() + 7, "float rank");
  for (const InstanceResult& i : t.instances)
    for (std::size_t c = 0; c < i.claims.size(); ++c) {
      const ClaimResult& r = i.claims[c];
      const std::size_t index = i.claim_indices[c];
      const std::string name = t.claim_names[index].empty() ? std::to_string(index + 1) : t.claim_names[index];
      rows.push_back({i.parameters, name, cell(r.claimed_lower), cell(r.certified_lower), cell(r.min_cut),
                      cell(r.claimed_upper), to_string(r.status), seconds_text(r.seconds), r.note});
      if (with_float) rows.back().insert(rows.back().begin() + 7, cell(r.float_rank));
    }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t k = 0; k + 1 < row.size(); ++k) width[k] = std::max(width[k], row[k].size());
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t k = 0; k < row.size(); ++k) {
      line += row[k];
      if (k + 1 < row.size()) line += std::string(width[k] - row[k].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  }
}

nlohmann::json theorem_json(const TheoremResult& t, bool timings) {
  nlohmann::json instances = nlohmann::json::array();
  for (const InstanceResult& i : t.instances) {
    nlohmann::json claims = nlohmann::json::array();
    for (const ClaimResult& r : i.claims) {
      nlohmann::json j = {{"status", to_string(r.status)},
                          {"architecture", r.architecture},
                          {"claimed_lower", r.claimed_lower},
                          {"claimed_upper", r.claimed_upper},
                          {"certified_lower", r.certified_lower ? nlohmann::json(*r.certified_lower) : nlohmann::json()},
                          {"min_cut", r.min_cut},
                          {"tries", r.tries},
                          {"seed", r.seed},
                          {"note", r.note}};
      if (timings) j["seconds"] = r.seconds;
      if (!r.float_verdict.empty()) {
        j["float_rank"] = r.float_rank;
        j["float_verdict"] = r.float_verdict;
      }
      claims.push_back(std::move(j));
    }
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t index : i.claim_indices) names.push_back(t.claim_names[index]);
    instances.push_back({{"parameters", i.parameters}, {"claim_names", names}, {"claims", std::move(claims)}});
  }
  return {{"id", t.id}, {"path", t.path}, {"title", t.title}, {"instances", std::move(instances)}};
}

}  // namespace

int verify_command(int argc, const char* const* argv) {
  const auto options =
      options_for("Verify options", {"paths", "extended", "certificates", "bundle", "force", "seed", "retries", "prime",
                                     "threads", "max-memory", "compare-float", "json", "timings", "help"});
  po::positional_options_description positional;
  positional.add("paths", -1);
  const po::variables_map vm = parse_command_line(argc, argv, options, &positional);
  if (vm.count("help")) {
    std::cout << "usage: seprank verify [FILES or DIRS] [options]\n"
                 "Checks every instance of every theorem file (docs/theorem-format.md).\n"
                 "Certificates and bundle files are written whole (docs/output-files.md).\n"
              << options;
    return 0;
  }
  VerifyOptions o;
  o.extended = vm.count("extended") > 0;
  o.compare_float = vm.count("compare-float") > 0;
  if (vm.count("certificates")) o.certificates_dir = vm["certificates"].as<std::string>();
  o.force = vm.count("force") > 0;
  o.seed = parse_unsigned(vm, "seed");
  const std::uint64_t retries = parse_unsigned(vm, "retries");
  if (retries > 100) throw usage_error("--retries must be at most 100");
  o.retries = static_cast<int>(retries);
  o.execution = ExecutionContext(threads_from(vm), &ProgressDisplay::standard());
  o.max_memory_bytes = max_memory_from(vm);
  if (vm.count("prime")) {
    o.prime = prime_from(vm);
    check_prime(o.prime);  // once, not per instance
  }

  const std::vector<std::string> paths =
      theorem_paths(vm.count("paths") ? vm["paths"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{default_theorem_directory().string()});
  std::vector<TheoremFile> files;
  for (const std::string& p : paths) files.push_back(read_theorem_file(p));  // all parsed before any work
  // Output refused before any work (each file is checked again when written).
  if (o.certificates_dir) require_certificates_writable(*o.certificates_dir, files, o.force);
  if (vm.count("bundle")) require_bundle_writable(vm["bundle"].as<std::string>(), files, o.force);
  for (const TheoremFile& f : files) require_evidence_format_limits(f, o);

  std::map<Status, int> counts;
  int evidence_checked = 0;
  std::vector<TheoremResult> results;
  double slowest = 0;
  std::string slowest_name;
  nlohmann::json theorems = nlohmann::json::array();
  const bool json = vm.count("json") > 0;
  for (const TheoremFile& f : files) {
    if (!json) std::cerr << "verifying " << f.id << " (" << f.path << ")\n";
    const TheoremResult r = verify_theorem(f, o);
    for (const InstanceResult& i : r.instances)
      for (const ClaimResult& c : i.claims) {
        ++counts[c.status];
        evidence_checked += c.evidence_checked;
        if (c.seconds > slowest) {
          slowest = c.seconds;
          slowest_name = r.id + " " + i.parameters;
        }
      }
    if (json)
      theorems.push_back(theorem_json(r, vm.count("timings") > 0));
    else
      print_theorem(r, o.compare_float);
    if (vm.count("bundle")) results.push_back(r);
  }
  if (vm.count("bundle"))
    write_proof_bundle(vm["bundle"].as<std::string>(), files, results, BundleRun{o.prime, o.seed, o.extended},
                       o.force);
  int total = 0;
  for (const auto& [status, n] : counts) total += n;
  const bool failed = counts[Status::refuted] > 0 || counts[Status::unconfirmed] > 0;
  if (json) {
    std::cout << nlohmann::json{{"schema_version", 1},
                                {"command", "verify"},
                                {"prime", o.prime},
                                {"theorems", std::move(theorems)},
                                {"summary",
                                 {{"theorems", files.size()},
                                  {"checks", total},
                                  {"proven", counts[Status::proven]},
                                  {"consistent", counts[Status::consistent]},
                                  {"unconfirmed", counts[Status::unconfirmed]},
                                  {"refuted", counts[Status::refuted]},
                                  {"skipped", counts[Status::skipped]},
                                  {"not_applicable", counts[Status::not_applicable]},
                                  {"evidence_checked", evidence_checked},
                                  {"ok", !failed}}}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "\nsummary: " << files.size() << " theorems, " << total << " checks: " << counts[Status::proven]
              << " PROVEN, " << counts[Status::consistent] << " CONSISTENT, " << counts[Status::unconfirmed]
              << " UNCONFIRMED, " << counts[Status::refuted] << " REFUTED, " << counts[Status::skipped]
              << " SKIPPED, " << counts[Status::not_applicable] << " N/A (hypothesis false); slowest " << seconds_text(slowest) << " (" << slowest_name << ")\n"
              << "evidence: " << evidence_checked << " of " << counts[Status::proven] + counts[Status::refuted]
              << " PROVEN and REFUTED verdicts rest on evidence that the independent checker verified\n";
  }
  return failed ? exit_claim_failed : exit_ok;
}

}  // namespace seprank::cli
