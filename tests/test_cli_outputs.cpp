// The finished command line (issue 16, item 5): "-" for standard output wherever an output
// file is taken. Expected bytes come from the same command writing a file.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "process.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

struct Scratch {
  fs::path path = fs::temp_directory_path() / ("seprank_cli_outputs_" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(path); }
  ~Scratch() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return "'" + (path / name).string() + "'"; }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace

TEST_CASE("cli: certify -o - writes the certificate to stdout, byte for byte the file, and the checkers accept it") {
  Scratch dir;
  const std::string network = "--input 4x4 --layers 3/1/2,2/1/2 --partition odd-even --seed 7";
  const auto to_file = run(seprank_command("certify " + network + " -o " + dir.file("file.json")));
  REQUIRE(to_file.exit_code == 0);
  const auto to_stdout = run(seprank_command("certify " + network + " -o -"));
  REQUIRE(to_stdout.exit_code == 0);
  const std::string file = read_file(dir.path / "file.json");
  REQUIRE(!file.empty());
  CHECK(to_stdout.out == file);  // nothing else on stdout
  // The summary went to stderr instead.
  CHECK(to_stdout.err.find("wrote standard output: claim rank >= ") == 0);
  CHECK_FALSE(fs::exists("-"));  // no file named "-" in the working directory
  write_file(dir.path / "from-stdout.json", to_stdout.out);
  const auto checked = run(std::string(SEPRANK_CHECK_BINARY) + " " + dir.file("from-stdout.json"));
  CHECK(checked.exit_code == 0);
  CHECK(checked.out.rfind("VERIFIED: rank >= ", 0) == 0);
  const auto python = run("python3 " + std::string(SEPRANK_SOURCE_DIR) + "/checker/check_certificate.py " +
                          dir.file("from-stdout.json"));
  CHECK(python.exit_code == 0);
  CHECK(python.out.rfind("VERIFIED: rank >= ", 0) == 0);
  // --json would share stdout with the certificate: refused before any work.
  const auto both = run(seprank_command("certify " + network + " -o - --json"));
  CHECK(both.exit_code == 64);
  CHECK(both.out.empty());
  CHECK(both.err.find("-o - writes the certificate to standard output") != std::string::npos);
}

TEST_CASE("cli: bound --witness - writes the witness to stdout, byte for byte the file, and the checker accepts it") {
  Scratch dir;
  const std::string network = "--input 8 --layers 3/1/2,6/1/1";
  REQUIRE(run(seprank_command("bound " + network + " --witness " + dir.file("cut.json"))).exit_code == 0);
  const auto to_stdout = run(seprank_command("bound " + network + " --witness -"));
  REQUIRE(to_stdout.exit_code == 0);
  CHECK(to_stdout.out == read_file(dir.path / "cut.json"));
  CHECK(to_stdout.err.find("upper bound    4") != std::string::npos);  // the table, on stderr
  write_file(dir.path / "from-stdout.json", to_stdout.out);
  const auto checked = run(std::string(SEPRANK_CHECK_BINARY) + " " + dir.file("from-stdout.json"));
  CHECK(checked.exit_code == 0);
  CHECK(checked.out.rfind("VERIFIED: rank <= 4", 0) == 0);
  const auto both = run(seprank_command("bound " + network + " --witness - --json"));
  CHECK(both.exit_code == 64);
  CHECK(both.out.empty());
}

TEST_CASE("cli: a file named - stays reachable as ./-, and is never overwritten without --force") {
  Scratch dir;
  const std::string in_dir = "cd '" + dir.path.string() + "' && ";
  const std::string certify = "certify --input 8 --layers 3/1/2,6/1/1 -o ./-";
  REQUIRE(run(in_dir + seprank_command(certify)).exit_code == 0);
  const std::string first = read_file(dir.path / "-");
  CHECK(first.find("\"format\": \"seprank-certificate\"") != std::string::npos);
  CHECK(run(in_dir + seprank_command(certify)).exit_code == 73);
  CHECK(run(in_dir + seprank_command("bound --input 8 --layers 3/1/2,6/1/1 --witness ./-")).exit_code == 73);
  CHECK(read_file(dir.path / "-") == first);
  // "-" itself is standard output: the file stays as it is.
  CHECK(run(in_dir + seprank_command("certify --input 8 --layers 3/1/2,6/1/1 --seed 2 -o -")).exit_code == 0);
  CHECK(read_file(dir.path / "-") == first);
}
