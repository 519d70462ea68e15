// Sharded runs and `seprank merge` (docs/cluster.md): the shards of a run, given in any order,
// merge to exactly the bytes of the unsharded run; shards that do not make one whole run are
// refused, one line and one exit code per kind (docs/errors.md). The expected bytes come from
// the unsharded run itself (verify) or are written here by hand (sweep lines).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "seprank/cluster/shard.hpp"
#include "seprank/support/errors.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

const std::string source_dir = SEPRANK_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// A fresh directory holding two small theorem files: BUNDLE-SAMPLE (16 instances, all PROVEN
// or N/A) and FALSE-UPPER (1 instance, REFUTED): 17 instances, and verify exits 1.
struct Run {
  fs::path dir;
  Run() {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("seprank_merge_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir / "theorems");
    fs::copy_file(source_dir + "/tests/data/bundle-sample.toml", dir / "theorems/bundle-sample.toml");
    fs::copy_file(source_dir + "/tests/data/false-upper.toml", dir / "theorems/false-upper.toml");
  }
  ~Run() { fs::remove_all(dir); }
  // `seprank verify` on the directory (from inside `dir`, so that paths are relative).
  test_support::ProcessResult verify(const std::string& options) const {
    return run("cd " + q(dir) + " && " + seprank_command("verify theorems " + options));
  }
  // Shard i/n's --json, written to dir/shard-i-of-n.json; its path.
  fs::path shard(int i, int n, const std::string& options = "") const {
    static int runs = 0;  // each call its own file, whatever the options
    const fs::path out = dir / ("shard-" + std::to_string(i) + "-of-" + std::to_string(n) + "-" + std::to_string(runs++) + ".json");
    const auto r = verify("--json --shard " + std::to_string(i) + "/" + std::to_string(n) + " " + options + " -o " + q(out));
    REQUIRE(r.exit_code <= 1);
    return out;
  }
};

test_support::ProcessResult merge(const std::vector<fs::path>& files, const std::string& options = "") {
  std::string args = "merge";
  for (const fs::path& f : files) args += " " + q(f);
  return run(seprank_command(args + " " + options));
}

// One refusal: its exit code, a message naming `says`, one line, nothing on stdout.
void refused(const test_support::ProcessResult& r, int code, const std::string& says) {
  CHECK(r.exit_code == code);
  CHECK(r.out.empty());
  CHECK(r.err.find(says) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

std::vector<std::uint64_t> indices(const nlohmann::json& shard) {
  std::vector<std::uint64_t> out;
  for (const auto& t : shard["theorems"])
    for (const auto& i : t["instances"]) out.push_back(i["index"].get<std::uint64_t>());
  return out;
}

}  // namespace

TEST_CASE("shard: --shard i/n takes 1 <= i <= n, round robin, and refuses anything else with exit 64") {
  using seprank::parse_shard;
  CHECK(parse_shard("1/1").index == 1);
  CHECK(parse_shard("3/4").index == 3);
  CHECK(parse_shard("3/4").count == 4);
  CHECK(parse_shard("1000000/1000000").count == 1000000);
  // Unit k belongs to shard (k mod n) + 1: with n = 3, shard 2 holds 1, 4, 7.
  const seprank::Shard two_of_three{2, 3};
  CHECK(!two_of_three.holds(0));
  CHECK(two_of_three.holds(1));
  CHECK(!two_of_three.holds(2));
  CHECK(two_of_three.holds(4));
  CHECK(two_of_three.holds(7));
  CHECK(seprank::Shard::of(7, 3) == 2);
  for (const char* bad : {"0/3", "4/3", "1/0", "0/0", "a/b", "1/", "/2", "1", "", "+1/2", " 1/2", "1/2 ", "1/2/3",
                          "-1/2", "1/1000001", "1.0/2", "0x1/2", "99999999999999999999/1"}) {
    CAPTURE(bad);
    try {
      parse_shard(bad);
      FAIL("accepted");
    } catch (const seprank::Error& e) {
      CHECK(e.code() == seprank::exit_usage);
      CHECK(std::string(e.what()).find("--shard") != std::string::npos);
    }
  }
  const Run r;
  refused(r.verify("--shard 4/3"), 64, "--shard");
  refused(r.verify("--shard 2"), 64, "--shard");
  // A bundle holds a whole run.
  refused(r.verify("--shard 1/2 --bundle " + q(r.dir / "bundle")), 64, "--bundle");
  CHECK(!fs::exists(r.dir / "bundle"));
}

TEST_CASE("merge: three shards of a verify run, in any order, give the unsharded bytes") {
  const Run r;
  const auto whole = r.verify("--json");
  REQUIRE(whole.exit_code == 1);  // FALSE-UPPER is REFUTED
  const std::vector<fs::path> shards = {r.shard(1, 3), r.shard(2, 3), r.shard(3, 3)};
  // Round robin over the 17 instances, files in the order read (bundle-sample.toml, then
  // false-upper.toml, whose one instance is global index 16, shard 2).
  const auto s1 = nlohmann::json::parse(read(shards[0])), s2 = nlohmann::json::parse(read(shards[1])),
             s3 = nlohmann::json::parse(read(shards[2]));
  CHECK(indices(s1) == std::vector<std::uint64_t>{0, 3, 6, 9, 12, 15});
  CHECK(indices(s2) == std::vector<std::uint64_t>{1, 4, 7, 10, 13, 16});
  CHECK(indices(s3) == std::vector<std::uint64_t>{2, 5, 8, 11, 14});
  CHECK(s1["theorems"].size() == 2);  // FALSE-UPPER listed, without instances
  CHECK(s1["theorems"][1]["instances"].empty());
  CHECK(s1["shard"]["fingerprint"] == s3["shard"]["fingerprint"]);
  CHECK(s1["shard"]["instances"] == 17);
  for (const auto& order : std::vector<std::vector<int>>{{0, 1, 2}, {2, 0, 1}, {1, 2, 0}}) {
    const auto m = merge({shards[order[0]], shards[order[1]], shards[order[2]]});
    CHECK(m.exit_code == 1);  // as verify: a claim REFUTED
    CHECK(m.err.empty());
    CHECK(m.out == whole.out);
  }
  // -o writes the same bytes, never over a file without --force; "-" is standard output.
  const fs::path out = r.dir / "merged.json";
  CHECK(merge(shards, "-o " + q(out)).exit_code == 1);
  CHECK(read(out) == whole.out);
  write(out, "keep me\n");
  refused(merge(shards, "-o " + q(out)), 73, "--force");
  CHECK(read(out) == "keep me\n");
  CHECK(merge(shards, "-o " + q(out) + " --force").exit_code == 1);
  CHECK(read(out) == whole.out);
  CHECK(merge(shards, "-o -").out == whole.out);
  // verify -o: the same bytes as on standard output, and not over a file without --force.
  const fs::path written = r.dir / "whole.json";
  CHECK(r.verify("--json -o " + q(written)).exit_code == 1);
  CHECK(read(written) == whole.out);
  refused(r.verify("--json -o " + q(written)), 73, "--force");
}

TEST_CASE("merge: shards with --timings keep each claim's seconds, and equal the unsharded run in all else") {
  const Run r;
  const auto strip = [](nlohmann::json j) {
    for (auto& t : j["theorems"])
      for (auto& i : t["instances"])
        for (auto& c : i["claims"]) {
          CHECK(c["seconds"].is_number());
          c.erase("seconds");
        }
    return j;
  };
  const auto whole = r.verify("--json --timings");
  const auto m = merge({r.shard(2, 2, "--timings"), r.shard(1, 2, "--timings")});
  CHECK(m.exit_code == 1);
  CHECK(strip(nlohmann::json::parse(m.out)) == strip(nlohmann::json::parse(whole.out)));
}

TEST_CASE("merge: one shard (n = 1) or more shards than instances (empty shards)") {
  const Run r;
  const auto whole = r.verify("--json");
  REQUIRE(whole.exit_code == 1);
  // The unsharded document alone, and --shard 1/1.
  const fs::path alone = r.dir / "alone.json";
  write(alone, whole.out);
  CHECK(merge({alone}).out == whole.out);
  CHECK(merge({r.shard(1, 1)}).out == whole.out);
  // 20 shards of 17 instances: shards 18, 19 and 20 hold none.
  std::vector<fs::path> shards;
  for (int i = 20; i >= 1; --i) shards.push_back(r.shard(i, 20));
  const auto empty = nlohmann::json::parse(read(shards[0]));
  CHECK(indices(empty).empty());
  CHECK(empty["summary"]["checks"] == 0);
  CHECK(empty["theorems"].size() == 2);
  CHECK(merge(shards).out == whole.out);
}

TEST_CASE("merge: refuses verify shards that are not one whole run, with an exit code per kind") {
  const Run r;
  const fs::path s1 = r.shard(1, 3), s2 = r.shard(2, 3), s3 = r.shard(3, 3);
  // Another run: another seed (the fingerprint covers options, files and version).
  refused(merge({r.shard(1, 3, "--seed 2"), s2, s3}), seprank::exit_merge_different_runs, "different runs");
  // With and without --timings (part of the fingerprint: all shards have timings or none do).
  refused(merge({r.shard(1, 3, "--timings"), s2, s3}), seprank::exit_merge_different_runs, "different runs");
  // Another n.
  refused(merge({s1, s2, r.shard(2, 2)}), seprank::exit_merge_shard_count, "shard 2/2");
  // A shard missing, a shard twice.
  refused(merge({s1, s3}), seprank::exit_merge_missing_shard, "shard 2/3 is missing");
  const fs::path copy = r.dir / "copy-of-2.json";
  fs::copy_file(s2, copy);
  refused(merge({s1, s2, s3, copy}), seprank::exit_merge_duplicate_shard, "both shard 2/3");
  // A whole run given with shards, or twice.
  const fs::path whole = r.dir / "whole.json";
  CHECK(r.verify("--json -o " + q(whole)).exit_code == 1);
  refused(merge({s1, whole}), seprank::exit_merge_shard_count, "whole run");
  refused(merge({whole, whole}), seprank::exit_merge_duplicate_shard, "both whole runs");

  // Edited shards: an instance twice, in the wrong shard, or missing.
  const auto edited = [&](const fs::path& from, const std::string& name, auto edit) {
    auto j = nlohmann::json::parse(read(from));
    edit(j);
    write(r.dir / name, j.dump(2) + "\n");
    return r.dir / name;
  };
  const auto doc_instances = [](nlohmann::json& j) -> nlohmann::json& { return j["theorems"][0]["instances"]; };
  const fs::path twice = edited(s1, "twice.json", [&](nlohmann::json& j) { doc_instances(j).push_back(doc_instances(j)[1]); });
  refused(merge({twice, s2, s3}), seprank::exit_merge_duplicate_unit, "instance 3 (BUNDLE-SAMPLE) appears twice");
  const auto first_of_1 = nlohmann::json::parse(read(s1))["theorems"][0]["instances"][0];
  const fs::path moved = edited(s2, "moved.json", [&](nlohmann::json& j) { doc_instances(j).push_back(first_of_1); });
  refused(merge({s1, moved, s3}), seprank::exit_merge_wrong_shard, "belongs to shard 1/3, not to shard 2/3");
  const fs::path dropped =
      edited(s3, "dropped.json", [&](nlohmann::json& j) { doc_instances(j).erase(doc_instances(j).begin() + 2); });
  refused(merge({s1, s2, dropped}), seprank::exit_merge_missing_unit, "instance 8 (BUNDLE-SAMPLE) of this shard is missing");

  // Malformed input (65), an unreadable file (66), no file (64).
  const fs::path garbage = r.dir / "garbage.json";
  write(garbage, "{\"command\": \"verify\", \"theorems\": [}\n");
  refused(merge({s1, s2, garbage}), seprank::exit_data, "garbage.json");
  const fs::path no_index = edited(s1, "no-index.json", [&](nlohmann::json& j) { doc_instances(j)[0].erase("index"); });
  refused(merge({no_index, s2, s3}), seprank::exit_data, "\"index\"");
  const fs::path bad_status =
      edited(s1, "bad-status.json", [&](nlohmann::json& j) { doc_instances(j)[0]["claims"][0]["status"] = "MAYBE"; });
  refused(merge({bad_status, s2, s3}), seprank::exit_data, "MAYBE");
  const fs::path other_schema = edited(s1, "schema.json", [&](nlohmann::json& j) { j["schema_version"] = 99; });
  refused(merge({other_schema, s2, s3}), seprank::exit_data, "schema_version 99");
  const fs::path other_command = edited(s1, "rank.json", [&](nlohmann::json& j) { j["command"] = "rank"; });
  refused(merge({other_command}), seprank::exit_data, "not verify");
  const fs::path lines = r.dir / "lines.jsonl";
  write(lines, "{\"family_size\":1,\"fingerprint\":\"f\",\"index\":0}\n");
  refused(merge({s1, lines}), seprank::exit_data, "not a verify --json document");
  refused(merge({s1, s2, r.dir / "no-such-shard.json"}), seprank::exit_no_input, "no-such-shard.json");
  refused(run(seprank_command("merge")), seprank::exit_usage, "merge");
}

TEST_CASE("merge: sweep JSON Lines shards, in any order and with empty ones, give the lines in index order") {
  const Run r;
  // A run of 7 architectures, as sweep writes it (one object per line, in index order), and
  // its 3 shards: indices 0, 3, 6 / 1, 4 / 2, 5.
  const auto line = [](int k, int family = 7, const std::string& fingerprint = "f00d") {
    return "{\"family_size\":" + std::to_string(family) + ",\"fingerprint\":\"" + fingerprint +
           "\",\"index\":" + std::to_string(k) + ",\"rank\":" + std::to_string(k * k) + "}\n";
  };
  std::string whole_text;
  for (int k = 0; k < 7; ++k) whole_text += line(k);
  const fs::path whole = r.dir / "whole.jsonl", a = r.dir / "a.jsonl", b = r.dir / "b.jsonl", c = r.dir / "c.jsonl";
  write(whole, whole_text);
  write(a, line(0) + line(3) + line(6));
  write(b, line(1) + line(4));
  write(c, line(2) + line(5));
  for (const auto& files : std::vector<std::vector<fs::path>>{{a, b, c}, {c, a, b}, {b, c, a}}) {
    const auto m = merge(files);
    CHECK(m.exit_code == 0);
    CHECK(m.out == whole_text);
  }
  CHECK(merge({whole}).out == whole_text);  // n = 1
  // A run of 2 architectures in 3 shards: the third is empty.
  const fs::path x = r.dir / "x.jsonl", y = r.dir / "y.jsonl", empty = r.dir / "empty.jsonl";
  write(x, line(0, 2));
  write(y, line(1, 2));
  write(empty, "");
  const auto m = merge({empty, y, x});
  CHECK(m.exit_code == 0);
  CHECK(m.out == line(0, 2) + line(1, 2));
  CHECK(merge({empty}).out.empty());  // a run of 0 lines
}

TEST_CASE("merge: refuses sweep lines that are not one whole run, with an exit code per kind") {
  const Run r;
  const auto line = [](int k, const std::string& fingerprint = "f00d", int family = 7) {
    return "{\"family_size\":" + std::to_string(family) + ",\"fingerprint\":\"" + fingerprint +
           "\",\"index\":" + std::to_string(k) + "}\n";
  };
  const auto file = [&](const std::string& name, const std::string& text) {
    write(r.dir / name, text);
    return r.dir / name;
  };
  const fs::path a = file("a", line(0) + line(3) + line(6)), b = file("b", line(1) + line(4)),
                 c = file("c", line(2) + line(5));
  refused(merge({a, b, file("c-other", line(2, "beef") + line(5, "beef"))}), seprank::exit_merge_different_runs,
          "different runs");
  refused(merge({a, b, file("c-other-size", line(2, "f00d", 8) + line(5, "f00d", 8))}),
          seprank::exit_merge_different_runs, "different runs");
  refused(merge({a, c}), seprank::exit_merge_missing_shard, "a shard of 3");
  refused(merge({a, b, c, file("whole", line(0) + line(1) + line(2) + line(3) + line(4) + line(5) + line(6))}),
          seprank::exit_merge_shard_count, "4 files were given");
  refused(merge({a, b, a}), seprank::exit_merge_duplicate_shard, "both shard 1/3");
  refused(merge({file("a-twice", line(0) + line(3) + line(3) + line(6)), b, c}), seprank::exit_merge_duplicate_unit,
          "index 3 appears twice");
  refused(merge({file("a-wrong", line(0) + line(3) + line(4)), file("b-short", line(1)), c}),
          seprank::exit_merge_wrong_shard, "index 4 belongs to shard 2/3");
  refused(merge({file("a-short", line(0) + line(3)), b, c}), seprank::exit_merge_missing_unit,
          "index 6 of this shard is missing");
  refused(merge({file("no-index", "{\"family_size\":7,\"fingerprint\":\"f00d\"}\n"), b, c}), seprank::exit_data,
          "\"index\"");
  refused(merge({file("beyond", line(0) + line(3) + line(9)), b, c}), seprank::exit_data, "not below family_size");
  refused(merge({file("blank", line(0) + "\n" + line(3)), b, c}), seprank::exit_data, "line 2");
}
