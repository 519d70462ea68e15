// seprank sweep (docs/sweep-format.md, docs/catalogue.md): the enumeration of a family against
// counts derived by hand, ranks against closed forms of docs/theorems.md, the sub-selection
// rule, determinism across runs and thread counts, --shard, and refusals of bad family files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "process.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/sweep/family.hpp"
#include "seprank/sweep/sub_selection.hpp"
#include "seprank/sweep/sweep.hpp"

using test_support::run;
using test_support::seprank_command;

namespace {

const std::string data_dir = std::string(SEPRANK_SOURCE_DIR) + "/tests/data/sweep";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  for (std::string line; std::getline(s, line);) out.push_back(line);
  return out;
}

seprank::FamilyMember member(const std::string& input, int m, const std::string& layers,
                             const std::string& partition = "left-right") {
  seprank::FamilyMember f;
  f.group = "test";
  f.input = input;
  f.templates = m;
  f.layers = layers;
  f.sharing = "conv";
  f.padding = "valid";
  f.partition = partition;
  return f;
}

nlohmann::json row(const seprank::FamilyMember& f, std::uint64_t max_side = 1024) {
  seprank::SweepOptions o;
  o.max_matrix_side = max_side;
  return nlohmann::json::parse(seprank::sweep_member(f, o, seprank::ExecutionContext(1)).dump());
}

}  // namespace

TEST_CASE("sweep: the tiny family enumerates the 20 architectures counted by hand, in the documented order") {
  // Group 1D, N = 4, M = 2. Partitions: left-right I = {0,1}, odd-even I = {0,2}; top-bottom is
  // left-right in 1D (the same cut): skipped. So 2 per network.
  //   depth 0: the global layer 4/1/1 alone                                  -> 1 network
  //   depth 1: window 2 stride 1 tiles (out 3): gc C=1, gc C=2, pool        -> 3 networks
  //            window 2 stride 2 tiles (out 2): gc C=1, gc C=2, pool        -> 3 networks
  //            window 4 leaves one position (stride 1 and 2): skipped
  //   7 networks x 2 partitions = 14.
  // Group 2D, M in {2, 3}. 3x3: window 2 stride 1 leaves 2x2, global 2/1/1 -> 1 network; window 3
  // leaves 1x1: skipped. Partitions left-right {0,3,6}, top-bottom {0,1,2}, odd-even
  // {0,2,4,6,8}; mask:111000000 is top-bottom again (skipped). 1 x 2 x 3 = 6.
  // 2x3: window 2 leaves 1x2, which no square global window covers; window 3 does not fit: 0.
  // Total 20.
  const seprank::Family f = seprank::read_family_file(data_dir + "/tiny.toml");
  const std::vector<seprank::FamilyMember> m = seprank::enumerate_family(f);
  REQUIRE(m.size() == 20);
  CHECK(m[0].options() == "--input 4 --templates 2 --layers 4/1/1 --sharing conv --padding valid --partition left-right");
  CHECK(m[1].partition == "odd-even");
  CHECK(m[2].layers == "2/1/1,3/1/1");
  CHECK(m[4].layers == "2/1/2,3/1/1");
  CHECK(m[6].layers == "pool2/1,3/1/1");
  CHECK(m[8].layers == "2/2/1,2/1/1");
  CHECK(m[12].layers == "pool2/2,2/1/1");
  CHECK(m[13].partition == "odd-even");
  CHECK(m[14].options() == "--input 3x3 --templates 2 --layers 2/1/2,2/1/1 --sharing conv --padding valid --partition left-right");
  CHECK(m[15].partition == "top-bottom");
  CHECK(m[16].partition == "odd-even");
  CHECK(m[17].templates == 3);
  CHECK(m[19].partition == "odd-even");
  // --list prints the same enumeration without ranking it; with --shard, its share.
  const auto listed = run(seprank_command("sweep " + data_dir + "/tiny.toml --list"));
  REQUIRE(listed.exit_code == 0);
  const std::vector<std::string> lines = lines_of(listed.out);
  REQUIRE(lines.size() == 20);
  CHECK(lines[14] == "14 2D " + m[14].options());
  CHECK(listed.err == "20 of 20 architectures\n");
  CHECK(run(seprank_command("sweep " + data_dir + "/tiny.toml --list --shard 2/3")).err == "7 of 20 architectures\n");
}

TEST_CASE("sweep: 'same' padding and the global layer W/W, a rectangle, and the family size limit") {
  // N = 6, same padding: window 3 stride 2 gives ceil(6/2) = 3 positions; window 2 stride 2
  // gives 3; window 3 stride 1 gives 6; window 2 stride 1 gives 6. Global layers then 3/3/1 or
  // 6/6/1. 4 networks, one partition.
  const seprank::Family f = seprank::parse_family_text(
      "format = \"seprank-family\"\nformat_version = 1\nname = \"same\"\n[[group]]\nname = \"g\"\n"
      "inputs = [\"6\"]\ntemplates = [2]\ndepth = [1]\nwindow = [2, 3]\nstride = [1, 2]\nchannels = [2]\n"
      "padding = [\"same\"]\n",
      "same.toml");
  const auto m = seprank::enumerate_family(f);
  REQUIRE(m.size() == 4);
  CHECK(m[0].layers == "2/1/2,6/6/1");
  CHECK(m[1].layers == "2/2/2,3/3/1");
  CHECK(m[2].layers == "3/1/2,6/6/1");
  CHECK(m[3].layers == "3/2/2,3/3/1");
  // 1x1 layers never shrink the map: depth 8 of 64 channel counts is 64^8 networks, refused (69).
  const seprank::Family big = seprank::parse_family_text(
      "format = \"seprank-family\"\nformat_version = 1\nname = \"big\"\n[[group]]\nname = \"g\"\n"
      "inputs = [\"4\"]\ntemplates = [2]\ndepth = [8]\nwindow = [1]\nstride = [1]\n"
      "channels = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,"
      "33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64]\n",
      "big.toml");
  try {
    seprank::enumerate_family(big);
    FAIL("no error");
  } catch (const seprank::Error& e) {
    CHECK(e.code() == seprank::exit_resource);
    CHECK(std::string(e.what()).find("big.toml:4: the family has more than 2000000 architectures") != std::string::npos);
  }
}

TEST_CASE("sweep: certified ranks and min-cuts meet the closed forms of docs/theorems.md") {
  // C2, 1D exact with C' = 1 and C >= M: rank = M^(R-1). N = 6, M = 3, R = 3, C = 3: 9.
  auto r = row(member("6", 3, "3/1/3,4/1/1"));
  CHECK(r["certified_rank"] == 9);
  CHECK(r["min_cut"] == "9");  // a decimal string, whatever its size
  CHECK(r["settled"] == true);
  CHECK(r["certified_on"] == "full matricization");
  CHECK(r["rows"] == "27");
  // N = 4, M = 2, R = 2, C = 2: 2.
  r = row(member("4", 2, "2/1/2,3/1/1"));
  CHECK(r["certified_rank"] == 2);
  CHECK(r["settled"] == true);
  // One global GC layer of C' channels: a sum of C' products of one function per position,
  // each rank one across the cut, generically independent: rank = min(C', M^|I|, M^|J|).
  // N = 4, M = 2, C' = 3: min(3, 4, 4) = 3.
  r = row(member("4", 2, "4/1/3"));
  CHECK(r["certified_rank"] == 3);
  CHECK(r["min_cut"] == "3");
  // Product pooling over the input: h = sum_c a_c prod_t F[x_t, c], the same with C' = M.
  // N = 4, M = 3: min(3, 9, 9) = 3.
  r = row(member("4", 3, "pool4/1", "odd-even"));
  CHECK(r["certified_rank"] == 3);
  CHECK(r["settled"] == true);
  // C1, non-overlapping (R = S) and a cut splitting no window: rank <= C_L; here = C_L = 2, as
  // each side's subtree gives M^2 = 4 values mapped to 3 channels, generically of full column
  // rank 2 after the top weights. N = 4: 2/2/3 then 2/1/2.
  r = row(member("4", 2, "2/2/3,2/1/2"));
  CHECK(r["certified_rank"] == 2);
  CHECK(r["min_cut"] == "2");
  // C2 in 2D: rank >= min(M, C)^((R-1)(H-R+1)) = 2^(1*2) = 4 on 3x3 with R = 2.
  r = row(member("3x3", 2, "2/1/2,2/1/1"));
  CHECK(r["certified_rank"].get<int>() >= 4);
  CHECK(r["certified_rank"].get<int>() <= std::stoi(r["min_cut"].get<std::string>()));
}

TEST_CASE("sweep: the sub-selection rule, and a sub-selected row that `seprank rank` reproduces") {
  // 5x5, M = 2, left-right: I = columns 0-1 (10 positions, 2^10 = 1024 rows: whole), J =
  // columns 2-4 (15 positions): the 10 nearest I are columns 2 (distance 1) and 3 (distance 2).
  seprank::Architecture arch;
  seprank::parse_input_shape("5x5", arch);
  arch.templates = 2;
  const seprank::Partition p = seprank::make_partition("left-right", arch);
  const seprank::SubSelection s = seprank::sub_selection(arch, p, 1024);
  CHECK(s.vary == "indices:0,1,2,3,5,6,7,8,10,11,12,13,15,16,17,18,20,21,22,23");
  CHECK(s.rows == 1024);
  CHECK(s.cols == 1024);
  // M = 3 and a side limit of 81 = 3^4: 4 positions per side, column 1 and column 2.
  arch.templates = 3;
  seprank::parse_input_shape("4x4", arch);
  const seprank::Partition q = seprank::make_partition("left-right", arch);
  CHECK(seprank::sub_selection(arch, q, 81).vary == "indices:1,2,5,6,9,10,13,14");
  CHECK(seprank::sub_selection(arch, q, 80).vary == "indices:1,2,5,6,9,10");  // 3^3 <= 80 < 3^4: ties by index
  CHECK(seprank::sub_selection(arch, q, 6561).whole());

  const auto r = row(member("4x4", 3, "2/1/3,3/1/1"), 81);
  CHECK(r["certified_on"] == "sub-selection");
  CHECK(r["vary"] == "indices:1,2,5,6,9,10,13,14");
  CHECK(r["assembled_rows"] == 81);
  const std::string command = r["rank_command"].get<std::string>();
  REQUIRE(command.rfind("seprank rank ", 0) == 0);
  const auto again = run(seprank_command(command.substr(8) + " --json"));
  CAPTURE(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["rank"] == r["certified_rank"]);
  CHECK(r["certified_rank"].get<int>() <= std::stoi(r["min_cut"].get<std::string>()));
  CHECK(r["settled"] == (r["certified_rank"].dump() == r["min_cut"]));
}

TEST_CASE("sweep: the same bytes on every run and thread count, and --shard i/n keeps exactly the lines with index mod n = i - 1") {
  const std::string family = data_dir + "/tiny.toml";
  const auto one = run(seprank_command("sweep " + family + " --threads 1"));
  REQUIRE(one.exit_code == 0);
  const auto again = run(seprank_command("sweep " + family + " --threads 1"));
  const auto two = run(seprank_command("sweep " + family + " --threads 2"));
  CHECK(again.out == one.out);
  CHECK(two.out == one.out);
  const std::vector<std::string> all = lines_of(one.out);
  REQUIRE(all.size() == 20);
  std::string fingerprint;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto j = nlohmann::json::parse(all[k]);
    CHECK(j["index"] == k);
    CHECK(j["family_size"] == 20);
    if (k == 0) fingerprint = j["fingerprint"].get<std::string>();
    CHECK(j["fingerprint"] == fingerprint);
    CHECK(j["settled"] == (j["certified_rank"].dump() == j["min_cut"]));
  }
  CHECK(fingerprint.find("seprank ") == 0);
  CHECK(fingerprint.find("; prime 8388593 then 4611686018427387847; seed 1") != std::string::npos);
  // Another seed is another run: another fingerprint.
  const auto seeded = run(seprank_command("sweep " + family + " --seed 2 --threads 1"));
  CHECK(nlohmann::json::parse(lines_of(seeded.out).at(0))["fingerprint"] != fingerprint);
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run(seprank_command("sweep " + family + " --threads 2 --shard " + std::to_string(i) + "/3"));
    REQUIRE(shard.exit_code == 0);
    std::string expected;
    for (std::size_t k = 0; k < all.size(); ++k)
      if (k % 3 == static_cast<std::size_t>(i - 1)) expected += all[k] + "\n";
    CHECK(shard.out == expected);
  }
  for (const std::string bad : {"0/3", "4/3", "2", "a/b", "1/0"}) {
    const auto r = run(seprank_command("sweep " + family + " --shard " + bad));
    CHECK(r.exit_code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.find("--shard") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // -o writes the same bytes, and does not overwrite without --force (73, before any work).
  const std::string out = "/tmp/seprank_test_sweep_" + std::to_string(::getpid()) + ".jsonl";
  std::remove(out.c_str());
  REQUIRE(run(seprank_command("sweep " + family + " -o " + out)).exit_code == 0);
  std::ifstream in(out);
  std::stringstream written;
  written << in.rdbuf();
  CHECK(written.str() == one.out);
  const auto exists = run(seprank_command("sweep " + family + " -o " + out));
  CHECK(exists.exit_code == 73);
  CHECK(run(seprank_command("sweep " + family + " -o " + out + " --force")).exit_code == 0);
  CHECK(run(seprank_command("sweep " + family + " -o - --shard 3/3")).out == run(seprank_command("sweep " + family + " --shard 3/3")).out);
  std::remove(out.c_str());
}

TEST_CASE("sweep: bad family files are refused with exit 65 naming file and line, a missing one with 66") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bad-unknown-key.toml", "bad-unknown-key.toml:13: unknown key 'pooling'"},
      {"bad-window.toml", "bad-window.toml:11: 'window' value 0 is not in [1, 64]"},
      {"bad-toml.toml", "bad-toml.toml:4: not valid TOML"},
      {"bad-input.toml", "bad-input.toml:7: 'inputs' value '4y4'"},
  };
  for (const auto& [file, message] : cases) {
    CAPTURE(file);
    const auto r = run(seprank_command("sweep " + data_dir + "/" + file));
    CHECK(r.exit_code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  const auto missing = run(seprank_command("sweep " + data_dir + "/no-such-family.toml"));
  CHECK(missing.exit_code == 66);
  const auto none = run(seprank_command("sweep"));
  CHECK(none.exit_code == 64);
}
