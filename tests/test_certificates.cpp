// Certificates end to end: seprank certify writes them, and both independent checkers
// (checker/seprank_check.cpp and checker/check_certificate.py) must accept every true one and
// reject every committed broken one and every mutant.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "independent_rank.hpp"
#include "process.hpp"
#include "reference_evaluator.hpp"
#include "seprank/evidence/certificate.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

const fs::path source_dir = SEPRANK_SOURCE_DIR;
const fs::path certificates = source_dir / "proofs" / "certificates";

struct Verdicts {
  test_support::ProcessResult cxx, python;
};

Verdicts check_both(const fs::path& file) {
  return {run(std::string(SEPRANK_CHECK_BINARY) + " '" + file.string() + "'"),
          run("python3 '" + (source_dir / "checker" / "check_certificate.py").string() + "' '" + file.string() + "'")};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path temp_dir() {
  const fs::path d = fs::temp_directory_path() / ("seprank_cert_test_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

void require_verified(const fs::path& file, long long rank) {
  const Verdicts v = check_both(file);
  const std::string expected = "VERIFIED: rank >= " + std::to_string(rank) + " over GF(";
  CHECK(v.cxx.exit_code == 0);
  CHECK(v.python.exit_code == 0);
  CHECK(v.cxx.out.rfind(expected, 0) == 0);
  CHECK(v.python.out.rfind(expected, 0) == 0);
}

// The rank of the full matricization of a certificate's network mod its prime, known
// independently of seprank's assembly and rank back-ends: every entry by the reference
// evaluator (a full forward pass), the rank by the tests' own elimination. The certificate's
// recorded I is the partition (the checkers bind it to the partition's name).
long long independent_rank_of_certificate(const nlohmann::json& doc) {
  const nlohmann::json& n = doc["network"];
  seprank::Architecture a;
  a.dims = n["input"]["dims"].get<int>();
  a.height = n["input"]["height"].get<int>();
  a.width = n["input"]["width"].get<int>();
  a.templates = n["templates"].get<int>();
  a.sharing = n["sharing"] == "conv" ? seprank::Sharing::conv
              : n["sharing"] == "local" ? seprank::Sharing::local
                                        : seprank::Sharing::one_by_one;
  a.padding = n["padding"] == "same" ? seprank::Padding::same : seprank::Padding::valid;
  seprank::NetworkWeights w;
  for (const auto& row : n["representation"])
    for (const auto& v : row) w.representation.push_back(v.get<std::int64_t>());
  for (const auto& layer : n["layers"]) {
    seprank::LayerSpec spec;
    spec.pooling = layer["kind"] == "pool";
    spec.window = layer["window"].get<int>();
    spec.stride = layer["stride"].get<int>();
    std::vector<std::int64_t> flat;
    if (!spec.pooling) {
      spec.channels = layer["channels"].get<int>();
      for (const auto& matrix : layer["weights"])
        for (const auto& row : matrix)
          for (const auto& v : row) flat.push_back(v.get<std::int64_t>());
    }
    a.layers.push_back(spec);
    w.layers.push_back(std::move(flat));
  }
  for (const auto& v : n["readout"]) w.readout.push_back(v.get<std::int64_t>());
  const std::vector<int> in_i = doc["partition"]["I"].get<std::vector<int>>();
  std::vector<int> in_j;
  for (int pos = 0; pos < a.height * a.width; ++pos)
    if (std::find(in_i.begin(), in_i.end(), pos) == in_i.end()) in_j.push_back(pos);
  const std::uint64_t p = doc["claim"]["prime"].get<std::uint64_t>();
  return independent::rank_mod_p(reference::matricize(a, w, p, in_i, in_j), p);
}

}  // namespace

TEST_CASE("every committed certificate is verified by both checkers") {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(certificates)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    const auto doc = nlohmann::json::parse(read_file(entry.path()));
    const long long claimed = doc["claim"]["rank_at_least"].get<long long>();
    require_verified(entry.path(), claimed);
    // Where the whole matrix is small, its rank is known independently: a certificate of the
    // whole matricization (no --vary) claims exactly that rank.
    const auto positions = doc["network"]["input"]["height"].get<int>() * doc["network"]["input"]["width"].get<int>();
    if (positions <= 16) CHECK(claimed == independent_rank_of_certificate(doc));
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("committed certificates are reproduced byte for byte from MANIFEST") {
  std::ifstream manifest(certificates / "MANIFEST");
  const fs::path dir = temp_dir();
  std::string line;
  int count = 0;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t bar = line.find('|');
    std::string name = line.substr(0, bar);
    name.erase(name.find_last_not_of(' ') + 1);
    const std::string args = line.substr(bar + 1);
    CAPTURE(name);
    const fs::path out = dir / name;
    fs::remove(out);
    const auto r = run(seprank_command("certify " + args + " -o '" + out.string() + "' --threads 2"));
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(out) == read_file(certificates / name));
    ++count;
  }
  CHECK(count >= 8);
  fs::remove_all(dir);
}

TEST_CASE("committed broken certificates are rejected by both checkers with the right code") {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(certificates / "broken")) {
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    const int expected = name.rfind("refuted-", 0) == 0 ? 1 : name.rfind("malformed-", 0) == 0 ? 2 : -1;
    REQUIRE(expected > 0);
    const Verdicts v = check_both(entry.path());
    CHECK(v.cxx.exit_code == expected);
    CHECK(v.python.exit_code == expected);
    CHECK(v.cxx.out.rfind("NOT VERIFIED: ", 0) == 0);
    CHECK(v.python.out.rfind("NOT VERIFIED: ", 0) == 0);
    // One verdict line each (the checkers' contract), nothing on stderr.
    CHECK(std::count(v.cxx.out.begin(), v.cxx.out.end(), '\n') == 1);
    CHECK(std::count(v.python.out.begin(), v.python.out.end(), '\n') == 1);
    CHECK(v.cxx.err.empty());
    CHECK(v.python.err.empty());
    ++count;
  }
  CHECK(count >= 49);
}

TEST_CASE("committed broken structured certificates are rejected by both checkers for the reason their name gives") {
  // tools/make_broken_certificates.py derives them from structured-c4-2d-6x6.json, one edit each.
  // The exit code is the name's prefix; the verdict's kind and what it names come from
  // docs/structured-certificate.md, "What a checker verifies": step 1 (malformed: the key at
  // fault), step 2 ("the network is zero on the submatrix"), step 3 (a block "crosses the
  // group's border", or the first matrix entry that differs) and step 4 (the minor's determinant).
  const struct {
    const char* name;
    const char* names;  // what the verdict line must contain, in both checkers
  } cases[] = {
      {"malformed-structured-stale-hash.json", "network_sha256"},
      {"malformed-structured-version.json", "format_version"},
      {"malformed-structured-index-order.json", "index_order"},
      {"malformed-structured-no-vary.json", "vary"},
      {"malformed-structured-no-factors.json", "factors"},
      {"malformed-structured-groups-overlap.json", "positions"},
      {"malformed-structured-matrix-entry-out-of-range.json", ".matrix[0][0]"},
      {"malformed-structured-matrix-shape.json", ".matrix"},
      {"malformed-structured-minor-out-of-range.json", ".rows"},
      {"malformed-structured-minor-lengths-differ.json", ".cols"},
      {"malformed-structured-claim-exceeds-product.json", "claim.rank_at_least"},
      {"refuted-structured-zero-readout.json", "the network is zero on the submatrix"},
      {"refuted-structured-weight-singular-link.json", ".matrix["},
      {"refuted-structured-group-split.json", "crosses the group's border"},
      {"refuted-structured-matrix-entry.json", "factors[2].matrix[0][1]"},
      {"refuted-structured-minor-singular.json", "determinant 0"},
  };
  int count = 0;
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const fs::path file = certificates / "broken" / name;
    REQUIRE(fs::is_regular_file(file));
    // Each is a structured certificate (the checkers must reach the structured checks).
    CHECK(read_file(file).find("\"seprank-structured-certificate\"") != std::string::npos);
    const bool refuted = name.rfind("refuted-", 0) == 0;
    const std::string prefix = refuted ? "NOT VERIFIED: refuted: " : "NOT VERIFIED: malformed: ";
    const Verdicts v = check_both(file);
    CAPTURE(v.cxx.out);
    CAPTURE(v.python.out);
    CHECK(v.cxx.exit_code == (refuted ? 1 : 2));
    CHECK(v.python.exit_code == (refuted ? 1 : 2));
    CHECK(v.cxx.out.rfind(prefix, 0) == 0);
    CHECK(v.python.out.rfind(prefix, 0) == 0);
    CHECK(v.cxx.out.find(c.names) != std::string::npos);
    CHECK(v.python.out.find(c.names) != std::string::npos);
    ++count;
  }
  // Every committed broken structured certificate is in the list above.
  int committed = 0;
  for (const auto& entry : fs::directory_iterator(certificates / "broken"))
    committed += entry.path().filename().string().find("-structured-") != std::string::npos;
  CHECK(committed == count);
}

TEST_CASE("a file that cannot be read is an I/O error for both checkers") {
  const Verdicts v = check_both(source_dir / "proofs" / "no-such-certificate.json");
  CHECK(v.cxx.exit_code == 3);
  CHECK(v.python.exit_code == 3);
}

TEST_CASE("round trip: certify, then both checkers verify the rank that seprank rank reports") {
  const char* const networks[] = {
      "--input 8 --layers 3/1/2,6/1/1",
      "--input 8 --layers 3/1/2,6/1/1 --sharing local --partition odd-even",
      "--input 8 --layers 2/2/2,2/2/2,2/2/1 --sharing 1x1 --partition odd-even",
      "--input 4x4 --layers 3/1/2,2/2/2,pool1/1",
      "--input 4x4 --layers 2/2/3,2/2/2 --sharing local --partition odd-even",
      "--input 4x4 --layers 1/1/2,pool2/2,2/2/3 --sharing 1x1 --partition top-bottom",
      "--input 3x3 --layers 3/2/2,2/2/2 --padding same --templates 3 --partition mask:110011001",
      "--input 6 --layers 6/1/3 --field Q --weight-bound 5",
  };
  // The default prime and the largest (FLINT), 101 and fast (FFLAS-FFPACK's float and double
  // fields: pivots of a PLUQ factorization).
  const char* const primes[] = {"", "--prime 101", "--prime 65537", "--prime fast", "--prime 9223372036854775783"};
  const fs::path dir = temp_dir();
  int count = 0;
  for (const char* net : networks)
    for (const char* prime : primes) {
      const std::string args = std::string(net) + " " + prime;
      if (args.find("--field Q") != std::string::npos && prime[0]) continue;
      CAPTURE(args);
      const auto ranked = run(seprank_command("rank " + args + " --json"));
      REQUIRE(ranked.exit_code == 0);
      long long rank = nlohmann::json::parse(ranked.out)["rank"].get<long long>();
      const fs::path out = dir / ("round-trip-" + std::to_string(count++) + ".json");
      const auto certified = run(seprank_command("certify " + args + " -o '" + out.string() + "'"));
      REQUIRE(certified.exit_code == 0);
      const auto doc = nlohmann::json::parse(read_file(out));
      const long long claimed = doc["claim"]["rank_at_least"].get<long long>();
      // Both ways: the certificate claims exactly the rank of its network mod its prime, as
      // the tests' own evaluation and elimination find it (an under-reported rank fails too).
      CHECK(claimed == independent_rank_of_certificate(doc));
      // Over Q the certificate is for the weights reduced mod p: at most the rank over Q.
      if (args.find("--field Q") != std::string::npos) {
        CHECK(claimed <= rank);
        rank = claimed;
      }
      require_verified(out, rank);
    }
  CHECK(count >= 33);
  fs::remove_all(dir);
}

TEST_CASE("small primes: the checkers' double-precision elimination accepts true and rejects mutated minors") {
  // seprank-check eliminates in doubles for p < 2^26; FFLAS-FFPACK picked the minor. A
  // determinant, a weight and an assignment changed must each be refuted by both checkers.
  // The second network's minor (81 x 81 here) takes seprank-check's blocked update past its
  // first 64-column panel, with rows and columns left over by its 6-row blocks and 8-column
  // chunks; 67108859, just below 2^26, makes it reduce after every product.
  const fs::path dir = temp_dir();
  const std::string small = "--input 4x4 --layers 2/1/2,2/1/2,2/1/2 --partition top-bottom";
  const std::string panel = "--input 4x4 --layers 3/1/3,2/1/3,1/1/1 --partition odd-even";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {small, "101"}, {small, "fast"}, {panel, "fast"}, {panel, "67108859"}};
  int case_number = 0;
  for (const auto& [network, prime] : cases) {
    CAPTURE(network);
    CAPTURE(prime);
    const fs::path out = dir / ("small-prime-" + std::to_string(case_number++) + ".json");
    const std::string args = network + " --prime " + prime;
    const auto certified = run(seprank_command("certify " + args + " -o '" + out.string() + "'"));
    REQUIRE(certified.exit_code == 0);
    const nlohmann::ordered_json valid = nlohmann::ordered_json::parse(read_file(out));
    const long long r = valid["claim"]["rank_at_least"].get<long long>();
    if (network == panel) CHECK(r > 64 + 8);  // past the first panel, else the test misses its aim
    // The rank mod p of the certified network, found independently, and what seprank rank
    // reports for the same draw.
    CHECK(r == independent_rank_of_certificate(nlohmann::json(valid)));
    const auto ranked = nlohmann::json::parse(run(seprank_command("rank " + args + " --json")).out);
    CHECK(r == ranked["trials"][0]["rank"].get<long long>());
    require_verified(out, r);
    const std::uint64_t p = valid["claim"]["prime"].get<std::uint64_t>();
    const auto bump = [p](nlohmann::ordered_json& v) { v = (v.get<std::uint64_t>() + 1) % p; };
    const std::vector<std::function<void(nlohmann::ordered_json&)>> changes = {
        [&](auto& d) { bump(d["evidence"]["determinant"]); },
        [&](auto& d) { bump(d["network"]["layers"][0]["weights"][0][1][0]); },
        [&](auto& d) { d["evidence"]["rows"][5] = d["evidence"]["rows"][6]; },
    };
    int k = 0;
    for (const auto& change : changes) {
      nlohmann::ordered_json doc = valid;
      change(doc);
      doc["network_sha256"] = seprank::canonical_sha256(nlohmann::json(doc["network"]));
      const fs::path file = dir / ("small-prime-mutant-" + std::to_string(k++) + ".json");
      std::ofstream(file) << doc.dump();
      const Verdicts v = check_both(file);
      CAPTURE(k);
      CHECK(v.cxx.exit_code == 1);
      CHECK(v.python.exit_code == 1);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("certify's memory estimate counts the minor search's working copy") {
  // 4096 x 4096: the matrix is 128 MiB; rank needs about 2 words per entry (256 MiB), certify
  // 3 (384 MiB). With 300 MiB allowed, the first runs and the second is refused at once.
  const std::string net = "--input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto --prime fast --max-memory 300";
  const auto rank = run(seprank_command("rank " + net + " --json"));
  CHECK(rank.exit_code == 0);
  const auto certify = run(seprank_command("certify " + net + " -o /tmp/seprank-never-written.json"));
  CHECK(certify.exit_code == 69);
  CHECK(certify.err.find("300 MiB") != std::string::npos);
  CHECK(!fs::exists("/tmp/seprank-never-written.json"));
}

TEST_CASE("certify refuses a matrix that is zero mod p: there is nothing to certify") {
  // --input 8 --layers 3/1/2,6/1/1 with a random F draws (docs/model.md "Random weights") F's
  // 4 entries, layer 1's 3 matrices of 2 x 2, layer 2's 6 matrices of 1 x 2, then the readout
  // a (one entry): the 29th draw. With a = 0 the output h = a·y is 0 for every input, so the
  // matrix is zero. The test finds such a seed mod 7 with its own SplitMix64 (Vigna's constants).
  const std::uint64_t p = 7, excess = (0 - p) % p;  // 2^64 mod p: draws above 2^64-1-excess are redrawn
  std::uint64_t seed = 0;
  for (std::uint64_t s = 1; s < 1000 && seed == 0; ++s) {
    std::uint64_t state = s, x = 0;
    for (int draw = 1; draw <= 29; ++draw) {
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      x = z ^ (z >> 31);
      REQUIRE(x <= ~std::uint64_t{0} - excess);  // no redraw, so draw 29 is the readout
    }
    if (x % p == 0) seed = s;
  }
  REQUIRE(seed != 0);
  const std::string args = "--input 8 --layers 3/1/2,6/1/1 --prime 7 --seed " + std::to_string(seed);
  const auto ranked = run(seprank_command("rank " + args + " --json"));
  REQUIRE(ranked.exit_code == 0);
  CHECK(nlohmann::json::parse(ranked.out)["rank"] == 0);
  const fs::path dir = temp_dir();
  const auto r = run(seprank_command("certify " + args + " -o '" + (dir / "x.json").string() + "'"));
  CHECK(r.exit_code == 65);
  CHECK(r.err.find("zero mod p") != std::string::npos);
  CHECK(!fs::exists(dir / "x.json"));
  fs::remove_all(dir);
}

TEST_CASE("certify refuses to overwrite an existing file without --force") {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "mine.json";
  { std::ofstream(out) << "my notes\n"; }
  const std::string args = "certify --input 6 --layers 6/1/2 -o '" + out.string() + "'";
  const auto refused = run(seprank_command(args));
  CHECK(refused.exit_code == 73);
  CHECK(refused.err.find("--force") != std::string::npos);
  CHECK(read_file(out) == "my notes\n");
  const auto forced = run(seprank_command(args + " --force"));
  CHECK(forced.exit_code == 0);
  require_verified(out, 2);
  fs::remove_all(dir);
}

TEST_CASE("mutation: every change to a committed certificate's fields is rejected by both checkers") {
  const fs::path original = certificates / "c4-2d-4x4-overlap.json";
  const nlohmann::ordered_json valid = nlohmann::ordered_json::parse(read_file(original));
  const std::uint64_t p = valid["claim"]["prime"].get<std::uint64_t>();
  const auto bump = [p](nlohmann::ordered_json& v) { v = (v.get<std::uint64_t>() + 1) % p; };
  struct Mutant {
    std::string what;
    std::function<void(nlohmann::ordered_json&)> change;
  };
  std::vector<Mutant> mutants;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 2; ++j)
      mutants.push_back({"layer 1 weight [" + std::to_string(i) + "][0][" + std::to_string(j) + "]",
                         [=](auto& d) { bump(d["network"]["layers"][0]["weights"][i][0][j]); }});
  mutants.push_back({"layer 2 weight", [=](auto& d) { bump(d["network"]["layers"][1]["weights"][3][1][1]); }});
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      mutants.push_back({"F entry", [=](auto& d) { bump(d["network"]["representation"][i][j]); }});
  mutants.push_back({"readout", [=](auto& d) { bump(d["network"]["readout"][1]); }});
  mutants.push_back({"p: another prime", [](auto& d) { d["claim"]["prime"] = 9223372036854775783ULL; }});
  mutants.push_back({"p: composite", [](auto& d) { d["claim"]["prime"] = 4611686018427387849ULL; }});
  mutants.push_back({"p: 2^61 - 1", [](auto& d) { d["claim"]["prime"] = 2305843009213693951ULL; }});
  mutants.push_back({"r + 1", [](auto& d) { d["claim"]["rank_at_least"] = d["claim"]["rank_at_least"].template get<int>() + 1; }});
  mutants.push_back({"r - 1", [](auto& d) { d["claim"]["rank_at_least"] = d["claim"]["rank_at_least"].template get<int>() - 1; }});
  mutants.push_back({"r = 0", [](auto& d) { d["claim"]["rank_at_least"] = 0; }});
  for (int row : {0, 7, 15})
    for (int t : {0, 7}) {
      mutants.push_back({"row assignment", [=](auto& d) {
                           auto& v = d["evidence"]["rows"][row][t];
                           v = 1 - v.template get<int>();
                         }});
      mutants.push_back({"column assignment", [=](auto& d) {
                           auto& v = d["evidence"]["cols"][row][t];
                           v = 1 - v.template get<int>();
                         }});
    }
  mutants.push_back({"partition: swap one index", [](auto& d) { d["partition"]["I"][7] = 14; }});
  // (Exchanging I and J is no mutant here: its rows and columns select the same 16 assignments,
  // so the new minor is the transpose of the old one and the claim stays true.)
  mutants.push_back({"partition: middle columns", [](auto& d) {
                       d["partition"]["I"] = nlohmann::ordered_json::array({1, 2, 5, 6, 9, 10, 13, 14});
                     }});
  mutants.push_back({"partition: one index fewer", [](auto& d) { d["partition"]["I"].erase(7); }});
  mutants.push_back({"version 2", [](auto& d) { d["format_version"] = 2; }});
  mutants.push_back({"version 0", [](auto& d) { d["format_version"] = 0; }});
  mutants.push_back({"version as string", [](auto& d) { d["format_version"] = "1"; }});
  mutants.push_back({"index order F", [](auto& d) { d["index_order"] = "F"; }});
  mutants.push_back({"determinant", [=](auto& d) { bump(d["evidence"]["determinant"]); }});

  const fs::path dir = temp_dir();
  int tried = 0, rejected_cxx = 0, rejected_python = 0;
  for (const Mutant& m : mutants)
    for (bool rehash : {false, true}) {
      nlohmann::ordered_json doc = valid;
      m.change(doc);
      // Rehashed mutants pass the hash check, so the checker's other checks must catch them.
      if (rehash) doc["network_sha256"] = seprank::canonical_sha256(nlohmann::json(doc["network"]));
      if (doc == valid) continue;
      const fs::path file = dir / ("mutant-" + std::to_string(tried++) + ".json");
      std::ofstream(file) << doc.dump();
      const Verdicts v = check_both(file);
      CAPTURE(m.what);
      CAPTURE(rehash);
      CHECK(v.cxx.exit_code != 0);
      CHECK(v.python.exit_code != 0);
      CHECK(v.cxx.exit_code == v.python.exit_code);  // same kind of verdict
      rejected_cxx += v.cxx.exit_code != 0;
      rejected_python += v.python.exit_code != 0;
    }
  MESSAGE("mutants tried: " << tried << ", rejected by seprank-check: " << rejected_cxx
                            << ", by check_certificate.py: " << rejected_python);
  CHECK(tried >= 60);
  fs::remove_all(dir);
}
