// Reading inputs (issue 13): seprank reads a theorem file only when it is a regular file of at
// most 16 MiB (a FIFO, a device or an endless file is refused at once, exit 66, naming the path
// and the limit); a byte order mark is read as Python's tomllib reads it (refused at the start,
// allowed inside strings and comments); a parameter may not take a built-in name (exit 65).
// tests/test_reading_inputs.py checks the checkers' side and the byte-level agreement.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "process.hpp"
#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/theorems/theorem_file.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_sanitizer = true;
#else
constexpr bool address_sanitizer = false;
#endif
#else
constexpr bool address_sanitizer = false;
#endif

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("seprank_reading_inputs_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// A sparse file of exactly `size` bytes (no disk space used).
void sparse(const fs::path& p, std::uint64_t size) {
  write(p, "");
  fs::resize_file(p, size);
}

// The exit code and message read_regular_file throws with, or (0, "") when it reads.
std::pair<int, std::string> refusal(const std::string& path, std::uint64_t max_bytes) {
  try {
    seprank::read_regular_file(path, max_bytes);
  } catch (const seprank::Error& e) {
    return {e.code(), e.what()};
  }
  return {0, ""};
}

const std::string valid_theorem =
    "format = \"seprank-theorem\"\nformat_version = 1\nid = \"T\"\ntitle = \"t\"\nsource = \"s\"\n"
    "statement = \"s\"\n\n[[claim]]\ninput = \"4\"\ntemplates = \"2\"\nlayers = \"2/1/1,3/1/1\"\nlower = \"1\"\n\n"
    "[[instances]]\nN = 4\n";

// The exit code and message parse_theorem_text throws with, or (0, "") when the text parses.
std::pair<int, std::string> parse_refusal(const std::string& text) {
  try {
    seprank::parse_theorem_text(text, "t.toml");
  } catch (const seprank::Error& e) {
    return {e.code(), e.what()};
  }
  return {0, ""};
}

bool says(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("reading inputs: only a regular file is read, and only up to the limit (exit 66)") {
  const TempDir dir;
  const fs::path file = dir.path / "hundred.toml";
  write(file, std::string(100, '#'));
  CHECK(refusal(file.string(), 100).first == 0);  // exactly at the limit: read
  CHECK(seprank::read_regular_file(file.string(), 100).size() == 100);
  auto [code, message] = refusal(file.string(), 99);
  CHECK(code == 66);
  CHECK(says(message, file.string() + ": cannot read the file: 100 bytes, above the limit of 99 bytes"));

  std::tie(code, message) = refusal(dir.path.string(), 1000);
  CHECK(code == 66);
  CHECK(says(message, "it is a directory, not a regular file"));
  std::tie(code, message) = refusal("/dev/null", 1000);
  CHECK(code == 66);
  CHECK(says(message, "/dev/null: cannot read the file: it is a character device, not a regular file"));
  const fs::path fifo = dir.path / "fifo.toml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::tie(code, message) = refusal(fifo.string(), 1000);  // no writer: would block without O_NONBLOCK
  CHECK(code == 66);
  CHECK(says(message, "it is a FIFO, not a regular file"));
  std::tie(code, message) = refusal((dir.path / "missing.toml").string(), 1000);
  CHECK(code == 66);
  CHECK(says(message, "No such file or directory"));
  // A regular file whose size fstat does not tell (0 here) is still cut off at the limit.
  if (fs::exists("/proc/self/status")) {
    std::tie(code, message) = refusal("/proc/self/status", 16);
    CHECK(code == 66);
    CHECK(says(message, "it grew past the limit of 16 bytes while being read"));
  }
}

TEST_CASE("reading inputs: verify refuses FIFOs, devices and theorem files above 16 MiB at once (exit 66)") {
  const TempDir dir;
  const fs::path fifo = dir.path / "fifo.toml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const fs::path in_dir = dir.path / "with-fifo";
  fs::create_directories(in_dir);
  REQUIRE(::mkfifo((in_dir / "a.toml").c_str(), 0600) == 0);
  const fs::path at_limit = dir.path / "at-limit.toml", above = dir.path / "above.toml";
  sparse(at_limit, seprank::max_theorem_file_bytes);
  sparse(above, seprank::max_theorem_file_bytes + 1);
  CHECK(seprank::max_theorem_file_bytes == 16777216);
  const struct {
    std::string path;
    int code;
    std::string says;
  } cases[] = {
      {fifo.string(), 66, fifo.string() + ": cannot read the file: it is a FIFO, not a regular file"},
      {in_dir.string(), 66, (in_dir / "a.toml").string() + ": cannot read the file: it is a FIFO"},
      // Before, verify read /dev/zero until memory ran out.
      {"/dev/zero", 66, "/dev/zero: cannot read the file: it is a character device, not a regular file"},
      {above.string(), 66, above.string() + ": cannot read the file: 16777217 bytes, above the limit of 16777216 bytes (16 MiB)"},
      {at_limit.string(), 65, at_limit.string() + ":1: not valid TOML"},  // read, then refused as text
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    // A FIFO that blocks or an endless device fails the test instead of hanging it or
    // exhausting the machine's memory (AddressSanitizer reserves terabytes: no ulimit then).
    const auto r = run(std::string(address_sanitizer ? "" : "ulimit -v 4000000; ") + "timeout 60 " +
                       seprank_command("verify '" + c.path + "'"));
    CHECK(r.exit_code == c.code);
    CHECK(says(r.err, "seprank: error: " + c.says));
    CHECK(r.out.empty());
  }
}

TEST_CASE("reading inputs: a byte order mark in a theorem file is read as tomllib reads it (exit 65 at the start)") {
  const std::string bom = "\xEF\xBB\xBF";
  auto [code, message] = parse_refusal(bom + valid_theorem);  // toml++ alone would skip it
  CHECK(code == 65);
  CHECK(says(message, "t.toml:1: not valid TOML: the file starts with a UTF-8 byte order mark"));
  CHECK(parse_refusal(bom + bom + valid_theorem).first == 65);
  CHECK(parse_refusal("\n" + bom + valid_theorem).first == 65);
  CHECK(parse_refusal(valid_theorem + bom).first == 65);
  // Inside a string or a comment it is a character like any other, for tomllib too.
  CHECK(parse_refusal("# a comment " + bom + "\n" + valid_theorem).first == 0);
  const std::string in_title = "title = \"t" + bom + "\"";
  std::string text = valid_theorem;
  text.replace(text.find("title = \"t\""), 11, in_title);
  CHECK(parse_refusal(text).first == 0);
  CHECK(parse_refusal(valid_theorem).first == 0);
}

TEST_CASE("reading inputs: a parameter may not take a built-in name (exit 65 naming it)") {
  for (const char* name : {"size_I", "size_J", "and", "or", "not", "true", "false", "min", "max", "floor", "ceil", "abs"}) {
    CAPTURE(name);
    for (const char* table : {"[[instances]]", "[[extended]]"}) {
      CAPTURE(table);
      const std::string text = valid_theorem + "\n" + table + "\nN = 4\n" + name + " = [1, 2]\n";
      const auto [code, message] = parse_refusal(text);
      CHECK(code == 65);
      CHECK(says(message, "t.toml:19: parameter '" + std::string(name) + "' shadows a built-in name"));
    }
  }
  // Names that merely resemble them are parameters like any other.
  for (const char* name : {"size_i", "size_IJ", "Min", "minimum", "abs_", "claims_"}) {
    CAPTURE(name);
    CHECK(parse_refusal(valid_theorem + name + " = 1\n").first == 0);
  }
  // End to end: the one error line names file, line and parameter.
  const TempDir dir;
  const fs::path file = dir.path / "shadow.toml";
  write(file, valid_theorem + "size_I = 3\n");
  const auto r = run(seprank_command("verify '" + file.string() + "'"));
  CHECK(r.exit_code == 65);
  CHECK(says(r.err, "seprank: error: " + file.string() + ":16: parameter 'size_I' shadows a built-in name"));
}
