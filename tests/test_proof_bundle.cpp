// The evidence chain of `seprank verify` (docs/proof-bundle.md): every PROVEN and REFUTED
// verdict rests on a certificate or a cut witness that the independent checker verified, and
// a proof bundle lets both checkers re-check every verdict. Single edits that change what a
// bundle claims must be rejected by both checkers, with the same exit code.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

const std::string source_dir = SEPRANK_SOURCE_DIR;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

struct BundleVerdicts {
  test_support::ProcessResult cxx, python;
};

BundleVerdicts check_bundle(const fs::path& dir) {
  return {run(std::string(SEPRANK_CHECK_BINARY) + " --bundle '" + dir.string() + "'"),
          run("python3 '" + source_dir + "/checker/check_certificate.py' --bundle '" + dir.string() + "'")};
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("seprank_bundle_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

int count(const nlohmann::json& summary, const char* key) { return summary[key].get<int>(); }

}  // namespace

TEST_CASE("verify: every PROVEN and REFUTED verdict rests on evidence the independent checker verified") {
  const auto r = run(seprank_command("verify " + source_dir + "/proofs/C2.toml " + source_dir + "/proofs/A2.toml " +
                                     source_dir + "/proofs/B2.toml --json"));
  REQUIRE(r.exit_code == 0);
  const auto summary = nlohmann::json::parse(r.out)["summary"];
  CHECK(count(summary, "proven") > 0);
  CHECK(count(summary, "evidence_checked") == count(summary, "proven") + count(summary, "refuted"));
  // A REFUTED lower claim rests on a cut witness, a REFUTED upper claim on a certificate.
  for (const char* file : {"false-lower-nonoverlapping.toml", "false-upper.toml"}) {
    CAPTURE(file);
    const auto f = run(seprank_command("verify " + source_dir + "/tests/data/" + file + " --json"));
    CHECK(f.exit_code == 1);
    const auto s = nlohmann::json::parse(f.out)["summary"];
    CHECK(count(s, "refuted") == 1);
    CHECK(count(s, "evidence_checked") == 1);
  }
  // The human summary says it too.
  const auto human = run(seprank_command("verify " + source_dir + "/proofs/A2.toml"));
  CHECK(human.out.find("rest on evidence that the independent checker verified") != std::string::npos);
}

TEST_CASE("bundle: both checkers verify a bundle, and reject every single edit that changes a claim") {
  const fs::path dir = fresh_dir("mutants");
  // A small true statement with lower and exact claims and N/A instances, one with a TRIVIAL
  // entry beside a PROVEN one on the same network, and two false ones (REFUTED verdicts backed by
  // a witness and by a certificate).
  const auto made = run(seprank_command("verify " + source_dir + "/tests/data/bundle-sample.toml " + source_dir +
                                        "/tests/data/bundle-trivial.toml " + source_dir +
                                        "/tests/data/false-lower-nonoverlapping.toml " + source_dir +
                                        "/tests/data/false-upper.toml --bundle '" + dir.string() + "'"));
  REQUIRE(made.exit_code == 1);  // the false statements are REFUTED
  REQUIRE(fs::exists(dir / "manifest.json"));
  const BundleVerdicts good = check_bundle(dir);
  CHECK(good.cxx.exit_code == 0);
  CHECK(good.python.exit_code == 0);
  CHECK(good.cxx.out.rfind("VERIFIED: bundle of ", 0) == 0);
  CHECK(good.python.out.rfind("VERIFIED: bundle of ", 0) == 0);

  const std::string manifest_text = read_file(dir / "manifest.json");
  const nlohmann::ordered_json manifest = nlohmann::ordered_json::parse(manifest_text);
  struct Mutant {
    std::string what;
    int exit_code;
    std::function<void(nlohmann::ordered_json&)> edit_manifest;  // or, when empty,
    std::function<void(const fs::path&)> edit_files;               // an edit of the bundle at this root
  };
  std::vector<Mutant> mutants;
  // Entries by kind, found in the manifest itself.
  std::vector<std::pair<std::size_t, std::size_t>> proven_lower, proven_upper, with_certificate, with_witness, na, trivial;
  const auto& theorems = manifest["theorems"];
  for (std::size_t t = 0; t < theorems.size(); ++t)
    for (std::size_t e = 0; e < theorems[t]["entries"].size(); ++e) {
      const auto& entry = theorems[t]["entries"][e];
      if (entry["verdict"] == "PROVEN" && !entry["lower"].is_null()) proven_lower.push_back({t, e});
      if (entry["verdict"] == "PROVEN" && !entry["upper"].is_null()) proven_upper.push_back({t, e});
      if (!entry["certificate"].is_null()) with_certificate.push_back({t, e});
      if (!entry["cut_witness"].is_null()) with_witness.push_back({t, e});
      if (entry["verdict"] == "N/A") na.push_back({t, e});
      if (entry["verdict"] == "TRIVIAL") trivial.push_back({t, e});
    }
  REQUIRE(proven_lower.size() >= 8);
  REQUIRE(proven_upper.size() >= 3);
  REQUIRE(with_certificate.size() >= 8);
  REQUIRE(with_witness.size() >= 8);
  REQUIRE(!na.empty());
  // bundle-trivial.toml: claim 1 on instance 1 TRIVIAL, claim 2 on instance 1 PROVEN with rank 1 = min-cut 1
  // on the same network and partition.
  REQUIRE(trivial.size() == 1);
  const auto trivial_at = trivial[0];
  REQUIRE(theorems[trivial_at.first]["id"] == "BUNDLE-TRIVIAL");
  const auto exact_at = std::pair<std::size_t, std::size_t>{trivial_at.first, trivial_at.second + 1};
  {
    const auto& t = theorems[trivial_at.first]["entries"][trivial_at.second];
    const auto& x = theorems[exact_at.first]["entries"][exact_at.second];
    REQUIRE(t["lower"]["value"] == "1");
    REQUIRE(t["certified_rank"].is_null());
    REQUIRE(t["min_cut"].is_null());
    REQUIRE(t["certificate"].is_null());
    REQUIRE(t["cut_witness"].is_null());
    REQUIRE(x["verdict"] == "PROVEN");
    REQUIRE(x["certified_rank"] == "1");
    REQUIRE(x["architecture"] == t["architecture"]);
    REQUIRE(x["partition"] == t["partition"]);
  }
  const auto entry_of = [](nlohmann::ordered_json& m, std::pair<std::size_t, std::size_t> at) -> nlohmann::ordered_json& {
    return m["theorems"][at.first]["entries"][at.second];
  };
  const auto bump = [](nlohmann::ordered_json& v, long long by) {
    v = std::to_string(std::stoll(v.get<std::string>()) + by);
  };
  // Bounds raised or lowered past what the evidence shows (exit 1: the numbers do not add up).
  for (std::size_t k = 0; k < 8; ++k) {
    const auto at = proven_lower[k * proven_lower.size() / 8];
    mutants.push_back({"lower bound raised", 1, [=](nlohmann::ordered_json& m) {
                         auto& entry = entry_of(m, at);
                         entry["lower"]["value"] = entry["certified_rank"].get<std::string>();
                         bump(entry["lower"]["value"], 1);
                       }, {}});
  }
  for (std::size_t k = 0; k < 5; ++k) {
    const auto at = proven_upper[k * proven_upper.size() / 5];
    mutants.push_back({"upper bound lowered", 1, [=](nlohmann::ordered_json& m) {
                         auto& entry = entry_of(m, at);
                         entry["upper"]["value"] = entry["min_cut"].get<std::string>();
                         bump(entry["upper"]["value"], -1);
                       }, {}});
  }
  // The numbers the verdicts rest on, changed.
  for (std::size_t k = 0; k < 5; ++k) {
    const auto at = with_certificate[k * with_certificate.size() / 5];
    mutants.push_back({"certified rank raised", 1, [=](nlohmann::ordered_json& m) { bump(entry_of(m, at)["certified_rank"], 1); }, {}});
  }
  for (std::size_t k = 0; k < 5; ++k) {
    const auto at = with_witness[k * with_witness.size() / 5];
    mutants.push_back({"min-cut lowered", 1, [=](nlohmann::ordered_json& m) { bump(entry_of(m, at)["min_cut"], -1); }, {}});
  }
  // Verdicts changed.
  for (std::size_t k = 0; k < 5; ++k) {
    const auto at = proven_lower[(k * 7 + 3) % proven_lower.size()];
    mutants.push_back({"PROVEN turned REFUTED", 1, [=](nlohmann::ordered_json& m) { entry_of(m, at)["verdict"] = "REFUTED"; }, {}});
  }
  // Evidence swapped between two claims with different networks (path and hash together).
  // (Two claims on one network, as in bundle-trivial.toml, have byte-identical certificates: a
  // swap of those changes nothing, so b is the first from the end with other bytes.)
  const auto sha_of = [&](std::pair<std::size_t, std::size_t> at) {
    return manifest["theorems"][at.first]["entries"][at.second]["certificate_sha256"];
  };
  for (std::size_t k = 0; k + 1 < with_certificate.size() && k < 5; ++k) {
    const auto a = with_certificate[k];
    std::size_t j = with_certificate.size() - 1 - k;
    while (j > k && sha_of(with_certificate[j]) == sha_of(a)) --j;
    REQUIRE(j > k);
    const auto b = with_certificate[j];
    mutants.push_back({"certificates swapped between entries", 1, [=](nlohmann::ordered_json& m) {
                         std::swap(entry_of(m, a)["certificate"], entry_of(m, b)["certificate"]);
                         std::swap(entry_of(m, a)["certificate_sha256"], entry_of(m, b)["certificate_sha256"]);
                       }, {}});
  }
  mutants.push_back({"summary changed", 1, [](nlohmann::ordered_json& m) { m["summary"]["proven"] = m["summary"]["proven"].get<int>() + 1; },
                     {}});
  // Structure: files removed, hashes, paths, the theorem copy (exit 2: malformed).
  for (std::size_t k = 0; k < 4; ++k) {
    const auto at = with_certificate[(k * 11) % with_certificate.size()];
    const std::string path = manifest["theorems"][at.first]["entries"][at.second]["certificate"];
    mutants.push_back({"certificate file removed", 2, {}, [=](const fs::path& root) { fs::remove(root / path); }});
  }
  for (std::size_t k = 0; k < 4; ++k) {
    const auto at = with_witness[(k * 13) % with_witness.size()];
    const std::string path = manifest["theorems"][at.first]["entries"][at.second]["cut_witness"];
    mutants.push_back({"witness file edited", 2, {}, [=](const fs::path& root) {
                         std::string text = read_file(root / path);
                         text.insert(text.size() - 1, " ");
                         write_file(root / path, text);
                       }});
  }
  for (std::size_t k = 0; k < 3; ++k) {
    const auto at = with_certificate[(k * 17 + 2) % with_certificate.size()];
    mutants.push_back({"path escapes the bundle", 2, [=](nlohmann::ordered_json& m) {
                         entry_of(m, at)["certificate"] = "../" + entry_of(m, at)["certificate"].get<std::string>();
                       }, {}});
  }
  mutants.push_back({"theorem copy edited", 2, {}, [=](const fs::path& root) {
                       const std::string copy = manifest["theorems"][0]["file"];
                       write_file(root / copy, read_file(root / copy) + "\n# edited\n");
                     }});
  mutants.push_back({"manifest truncated", 2, {}, [=](const fs::path& root) {
                       write_file(root / "manifest.json", manifest_text.substr(0, 100));
                     }});
  mutants.push_back({"an entry removed (summary no longer adds up)", 1, [](nlohmann::ordered_json& m) {
                       m["theorems"][0]["entries"].erase(0);
                     }, {}});
  mutants.push_back({"format version", 2, [](nlohmann::ordered_json& m) { m["format_version"] = 4; }, {}});
  mutants.push_back({"format version 2 (before each entry's prime)", 2,
                     [](nlohmann::ordered_json& m) { m["format_version"] = 2; }, {}});
  // An entry's prime is its certificate's (1), and present exactly when its rank is (2).
  mutants.push_back({"prime changed", 1,
                     [=](nlohmann::ordered_json& m) { entry_of(m, with_certificate[0])["prime"] = 1000003; }, {}});
  mutants.push_back({"prime removed", 2,
                     [=](nlohmann::ordered_json& m) { entry_of(m, with_certificate[0])["prime"] = nullptr; }, {}});
  if (!na.empty())
    mutants.push_back({"N/A turned PROVEN", 1, [=](nlohmann::ordered_json& m) { entry_of(m, na[0])["verdict"] = "PROVEN"; }, {}});
  // TRIVIAL: exactly when the lower bound is <= 1 and there is no upper bound, with no numbers.
  const auto as_proven = [](nlohmann::ordered_json& m) {
    m["summary"]["proven"] = m["summary"]["proven"].get<int>() + 1;
    m["summary"]["trivial"] = m["summary"]["trivial"].get<int>() - 1;
  };
  mutants.push_back({"TRIVIAL turned PROVEN", 1, [=](nlohmann::ordered_json& m) {
                       entry_of(m, trivial_at)["verdict"] = "PROVEN";
                       as_proven(m);
                     }, {}});
  // Evidence that would have proven it under format 1 (rank >= 1 on this very network), still rejected.
  mutants.push_back({"TRIVIAL turned PROVEN with valid evidence (rank 1, min-cut 1)", 1, [=](nlohmann::ordered_json& m) {
                       auto& entry = entry_of(m, trivial_at);
                       for (const char* key : {"certified_rank", "prime", "min_cut", "certificate", "certificate_sha256",
                                               "cut_witness", "cut_witness_sha256"})
                         entry[key] = entry_of(m, exact_at)[key];
                       entry["verdict"] = "PROVEN";
                       as_proven(m);
                       m["summary"]["evidence_checked"] = m["summary"]["evidence_checked"].get<int>() + 1;
                     }, {}});
  mutants.push_back({"TRIVIAL with valid evidence, still TRIVIAL", 1, [=](nlohmann::ordered_json& m) {
                       auto& entry = entry_of(m, trivial_at);
                       for (const char* key : {"certified_rank", "prime", "min_cut", "certificate", "certificate_sha256",
                                               "cut_witness", "cut_witness_sha256"})
                         entry[key] = entry_of(m, exact_at)[key];
                     }, {}});
  mutants.push_back({"a TRIVIAL row with lower 2", 1, [=](nlohmann::ordered_json& m) {
                       entry_of(m, trivial_at)["lower"]["value"] = "2";
                     }, {}});
  for (std::size_t k = 0; k < 3; ++k) {
    const auto at = proven_lower[(k * 5 + 1) % proven_lower.size()];
    mutants.push_back({"PROVEN turned TRIVIAL", 1, [=](nlohmann::ordered_json& m) {
                         entry_of(m, at)["verdict"] = "TRIVIAL";
                         m["summary"]["proven"] = m["summary"]["proven"].get<int>() - 1;
                         m["summary"]["trivial"] = m["summary"]["trivial"].get<int>() + 1;
                       }, {}});
  }
  mutants.push_back({"the TRIVIAL count", 1, [](nlohmann::ordered_json& m) { m["summary"]["trivial"] = 0; }, {}});
  mutants.push_back({"format version 1 (before TRIVIAL)", 2, [](nlohmann::ordered_json& m) { m["format_version"] = 1; }, {}});
  REQUIRE(mutants.size() >= 50);

  const fs::path work = fresh_dir("mutant");
  int k = 0;
  for (const Mutant& mutant : mutants) {
    CAPTURE(k);
    CAPTURE(mutant.what);
    fs::remove_all(work);
    fs::copy(dir, work, fs::copy_options::recursive);
    if (mutant.edit_manifest) {
      nlohmann::ordered_json m = manifest;
      mutant.edit_manifest(m);
      write_file(work / "manifest.json", m.dump(1) + "\n");
    } else {
      mutant.edit_files(work);
    }
    const BundleVerdicts v = check_bundle(work);
    CHECK(v.cxx.exit_code == mutant.exit_code);
    CHECK(v.python.exit_code == mutant.exit_code);
    CHECK(v.cxx.out.rfind("NOT VERIFIED: ", 0) == 0);
    CHECK(v.python.out.rfind("NOT VERIFIED: ", 0) == 0);
    ++k;
  }
  fs::remove_all(work);
  fs::remove_all(dir);
}

TEST_CASE("bundle: the committed bundle of the default suite is regenerated byte for byte") {
  // proofs/bundle is the evidence of `seprank verify proofs/` (regenerate it with
  // `seprank verify proofs/ --bundle proofs/bundle --force`); CI re-checks it with both
  // checkers on a build without FLINT (SEPRANK_CHECKER_ONLY). Any change in the weights, the
  // minors chosen, the cuts or the verdicts shows here.
  const fs::path committed = fs::path(source_dir) / "proofs" / "bundle";
  const fs::path dir = fresh_dir("regenerated");
  const auto made = run(seprank_command("verify " + source_dir + "/proofs --bundle '" + dir.string() + "'"));
  REQUIRE(made.exit_code == 0);
  std::vector<std::string> committed_files, regenerated_files;
  for (const auto& e : fs::recursive_directory_iterator(committed))
    if (e.is_regular_file()) committed_files.push_back(fs::relative(e.path(), committed).string());
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) regenerated_files.push_back(fs::relative(e.path(), dir).string());
  std::sort(committed_files.begin(), committed_files.end());
  std::sort(regenerated_files.begin(), regenerated_files.end());
  CHECK(committed_files == regenerated_files);
  int differing = 0;
  for (const std::string& f : regenerated_files)
    if (read_file(committed / f) != read_file(dir / f)) {
      if (++differing <= 5) MESSAGE("differs: " << f);
    }
  CHECK(differing == 0);
  CHECK(regenerated_files.size() > 100);
  fs::remove_all(dir);
}
