#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "seprank/cluster/shard.hpp"
#include "seprank/evidence/certificate.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/support/installed_files.hpp"
#include "seprank/theorems/proof_bundle.hpp"
#include "seprank/theorems/verify.hpp"
#include "seprank/theorems/verify_report.hpp"

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
// With --shard, only the instances of that shard count (`mine`: file index and 1-based
// instance number), so that the shards of a run may share the directory.
void require_certificates_writable(const std::string& dir, const std::vector<TheoremFile>& files, bool force,
                                   const std::function<bool(std::size_t, std::size_t)>& mine) {
  require_directory_writable(dir);
  if (force) return;
  static const std::regex rest(R"((counterexample-)?claim[0-9]+-instance([0-9]{1,9})\.json)");
  std::set<std::string> existing;  // sorted: the same file is named on every run
  std::error_code ec;
  for (fs::directory_iterator e(dir, ec), end; !ec && e != end; e.increment(ec)) {
    const std::string name = e->path().filename().string();
    for (std::size_t f = 0; f < files.size(); ++f) {
      std::smatch m;
      const std::string tail = name.rfind(files[f].id + "-", 0) == 0 ? name.substr(files[f].id.size() + 1) : "";
      if (std::regex_match(tail, m, rest) && mine(f, std::stoul(m[2].str()))) existing.insert(e->path().string());
    }
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

void print_theorem(std::ostream& out, const TheoremResult& t, bool with_float) {
  out << "\n== " << t.id << ": " << t.title << "  (" << t.path << ")\n";
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
    out << line << "\n";
  }
}

// What makes the outputs of two runs comparable (docs/cluster.md, "Fingerprint"): the
// version, each theorem file's path and bytes, and every option that changes the JSON.
nlohmann::json run_description(const std::vector<TheoremFile>& files, const VerifyOptions& o, bool timings) {
  nlohmann::json described = nlohmann::json::array();
  for (const TheoremFile& f : files)
    described.push_back({{"path", f.path}, {"sha256", sha256_hex(read_regular_file(f.path, max_theorem_file_bytes))}});
  return {{"seprank_version", SEPRANK_VERSION},
          {"files", std::move(described)},
          {"prime", o.prime},
          {"seed", o.seed},
          {"retries", o.retries},
          {"extended", o.extended},
          {"compare_float", o.compare_float},
          {"timings", timings},
          {"max_memory_bytes", o.max_memory_bytes},
          {"certificates", o.certificates_dir ? nlohmann::json(*o.certificates_dir) : nlohmann::json()}};
}

}  // namespace

int verify_command(int argc, const char* const* argv) {
  const auto options =
      options_for("Verify options", {"paths", "extended", "certificates", "bundle", "force", "seed", "retries", "prime",
                                     "threads", "max-memory", "compare-float", "shard", "json", "timings", "output", "help"});
  po::positional_options_description positional;
  positional.add("paths", -1);
  const po::variables_map vm = parse_command_line(argc, argv, options, &positional);
  if (vm.count("help")) {
    std::cout << "usage: seprank verify [FILES or DIRS] [options]\n"
                 "Checks every instance of every theorem file (docs/theorem-format.md).\n"
                 "Certificates and bundle files are written whole (docs/output-files.md).\n"
                 "--shard i/n checks every n-th instance; seprank merge joins the shards' --json (docs/cluster.md).\n"
                 "-o FILE writes the table or --json document to FILE (whole, never replacing a file without --force).\n"
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
  o.fast_primes_first = !vm.count("prime");  // as `rank`: large matrices start at BLAS speed
  std::optional<Shard> shard;
  if (vm.count("shard")) shard = parse_shard(vm["shard"].as<std::string>());
  // A bundle holds the evidence of one whole run: shards cannot each write one.
  if (shard && shard->count > 1 && vm.count("bundle"))
    throw usage_error("--bundle cannot be combined with --shard " + to_string(*shard) +
                      " (a bundle holds a whole run; merge the shards' --json with seprank merge)");

  const std::vector<std::string> paths =
      theorem_paths(vm.count("paths") ? vm["paths"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{default_theorem_directory().string()});
  std::vector<TheoremFile> files;
  for (const std::string& p : paths) files.push_back(read_theorem_file(p));  // all parsed before any work
  // The global index of each file's first instance (files in the order read, instances in
  // file order), and which instances the shard takes.
  std::vector<std::vector<std::size_t>> positions;
  std::vector<std::uint64_t> first_index;
  std::uint64_t total_instances = 0;
  for (const TheoremFile& f : files) {
    positions.push_back(checked_instance_positions(f, o));
    first_index.push_back(total_instances);
    total_instances += positions.back().size();
  }
  const auto in_shard = [&](std::size_t file, std::size_t ordinal) {
    return !shard || shard->holds(first_index[file] + ordinal);
  };
  // Output refused before any work (each file is checked again when written).
  if (o.certificates_dir)
    require_certificates_writable(*o.certificates_dir, files, o.force, [&](std::size_t file, std::size_t number) {
      const auto& p = positions[file];
      const auto it = std::find(p.begin(), p.end(), number - 1);
      return it == p.end() ? !shard : in_shard(file, static_cast<std::size_t>(it - p.begin()));
    });
  if (vm.count("bundle")) require_bundle_writable(vm["bundle"].as<std::string>(), files, o.force);
  const std::string output_path = vm.count("output") ? vm["output"].as<std::string>() : "-";
  if (output_path != "-") require_writable(output_path, o.force);
  for (const TheoremFile& f : files) require_evidence_format_limits(f, o);
  // stdout, or the text for -o, written whole at the end (a shard's file is complete or absent).
  std::ostringstream to_file;
  std::ostream& out = output_path == "-" ? std::cout : to_file;

  const bool json = vm.count("json") > 0, timings = vm.count("timings") > 0;
  nlohmann::json shard_json;
  if (shard) {
    const nlohmann::json run = run_description(files, o, timings);
    shard_json = {{"index", shard->index},
                  {"count", shard->count},
                  {"instances", total_instances},
                  {"fingerprint", sha256_hex(run.dump())},
                  {"run", run}};
  }
  std::vector<TheoremResult> results;
  double slowest = 0;
  std::string slowest_name;
  nlohmann::json theorems = nlohmann::json::array();
  for (std::size_t k = 0; k < files.size(); ++k) {
    const TheoremFile& f = files[k];
    if (!json) std::cerr << "verifying " << f.id << " (" << f.path << ")" << (shard ? " shard " + to_string(*shard) : "") << "\n";
    const TheoremResult r =
        verify_theorem(f, o, [&](std::size_t ordinal) { return in_shard(k, ordinal); });
    for (const InstanceResult& i : r.instances)
      for (const ClaimResult& c : i.claims)
        if (c.seconds > slowest) {
          slowest = c.seconds;
          slowest_name = r.id + " " + i.parameters;
        }
    // The summary is computed from these objects (verify_report.hpp), with or without --json.
    nlohmann::json t = theorem_json(r, timings);
    if (shard) {
      // What merge needs to join shards (docs/cluster.md): global indices, and each file's range.
      t["first_index"] = first_index[k];
      t["instance_count"] = positions[k].size();
      for (std::size_t i = 0; i < r.instances.size(); ++i) t["instances"][i]["index"] = first_index[k] + r.instances[i].ordinal;
    }
    theorems.push_back(std::move(t));
    if (!json) print_theorem(out, r, o.compare_float);
    if (vm.count("bundle")) results.push_back(r);
  }
  if (vm.count("bundle"))
    write_proof_bundle(vm["bundle"].as<std::string>(), files, results, BundleRun{o.prime, o.seed, o.extended},
                       o.force);
  nlohmann::json document = verify_document(o.prime, std::move(theorems));
  const nlohmann::json summary = document["summary"];
  const bool failed = !summary_ok(summary);
  if (json) {
    if (shard) document["shard"] = std::move(shard_json);
    out << document.dump(2) << "\n";
  } else {
    const auto n = [&](const char* key) { return summary[key].get<std::int64_t>(); };
    out << "\nsummary" << (shard ? " of shard " + to_string(*shard) : "") << ": " << n("theorems")
              << " theorems, " << n("checks") << " checks: " << n("proven") << " PROVEN, " << n("trivial")
              << " TRIVIAL (nothing to prove), " << n("consistent")
              << " CONSISTENT, " << n("unconfirmed") << " UNCONFIRMED, " << n("refuted") << " REFUTED, "
              << n("skipped") << " SKIPPED, " << n("not_applicable") << " N/A (hypothesis false); slowest "
              << seconds_text(slowest) << " (" << slowest_name << ")\n"
              << "evidence: " << n("evidence_checked") << " of " << n("proven") + n("refuted")
              << " PROVEN and REFUTED verdicts rest on evidence that the independent checker verified\n";
  }
  if (output_path != "-") write_file_atomically(output_path, to_file.str(), o.force);
  return failed ? exit_claim_failed : exit_ok;
}

}  // namespace seprank::cli
