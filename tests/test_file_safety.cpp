// Writing files (issue 13, docs/output-files.md): nothing that exists is overwritten without
// --force, a failed write leaves the previous file and no temporary or partial file, and a
// file-system error on an output path is exit 73 or 74 naming the path, never 70. The kills
// are in tests/test_crash_consistency.py.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"

namespace fs = std::filesystem;
using test_support::run;
using test_support::seprank_command;

namespace {

// A theorem that verifies in a fraction of a second: 4 PROVEN verdicts, each with a
// certificate and a cut witness.
const char* const tiny_theorem = R"toml(format = "seprank-theorem"
format_version = 1
id = "TINY"
title = "tiny"
source = "tests/test_file_safety.cpp"
statement = "rank = 2^(R-1)"

[[claim]]
input = "{N}"
templates = "2"
layers = "{R}/1/2,{N-R+1}/1/1"
lower = "2^(R-1)"
upper = "2^(R-1)"

[[instances]]
N = [6, 8]
R = [2, 3]
)toml";

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("seprank_file_safety_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// Every regular file under root (relative path -> bytes).
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_file(e.path());
  return out;
}

int temporary_files(const fs::path& root) {
  int n = 0;
  if (!fs::exists(root)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(root))
    n += seprank::is_temporary_file_name(e.path().filename().string());
  return n;
}

std::string q(const std::string& s) { return "'" + s + "'"; }

// The error is the last line on stderr and names what failed; refused before any work, it is
// the only line (no "verifying ..." progress) and stdout is empty.
void check_refusal(const test_support::ProcessResult& r, int code, const std::string& names, bool before_any_work = true) {
  CHECK(r.exit_code == code);
  REQUIRE(!r.err.empty());
  const std::size_t last = r.err.rfind('\n', r.err.size() - 2);
  const std::string line = r.err.substr(last == std::string::npos ? 0 : last + 1);
  CHECK(line.rfind("seprank: error: ", 0) == 0);
  CHECK(line.find(names) != std::string::npos);
  CHECK(line.back() == '\n');
  if (before_any_work) {
    CHECK(line == r.err);
    CHECK(r.out.empty());
  }
}

// Runs a command with writes to regular files limited to 512 bytes (a certificate is about
// 1.6 KB, the tiny theorem's copy and an error line fit): writing beyond fails with EFBIG.
test_support::ProcessResult run_with_small_file_limit(const std::string& command) {
  return run("(trap '' XFSZ; exec prlimit --fsize=512 " + command + ")");
}

const std::string certify_args = "certify --input 6 --layers 6/1/2 ";

}  // namespace

TEST_CASE("file safety: write_file_atomically writes, refuses, replaces, follows links, and leaves no temporary file") {
  using seprank::write_file_atomically;
  const TempDir dir("helper");
  const std::string file = dir / "a.json";
  write_file_atomically(file, "one\n", false);
  CHECK(read_file(file) == "one\n");
  try {
    write_file_atomically(file, "two\n", false);
    FAIL("an existing file was overwritten without overwrite");
  } catch (const seprank::Error& e) {
    CHECK(e.code() == seprank::exit_cannot_create);
    CHECK(std::string(e.what()) == file + " exists; not overwriting it (use --force)");
  }
  CHECK(read_file(file) == "one\n");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(file, "three\n", true);
  CHECK(read_file(file) == "three\n");
  CHECK(fs::status(file).permissions() == (fs::perms::owner_read | fs::perms::owner_write));  // kept

  // A symlink to a regular file: the file where it points is replaced, the link stays.
  fs::create_symlink("a.json", dir.path / "link.json");
  write_file_atomically(dir / "link.json", "four\n", true);
  CHECK(fs::is_symlink(dir.path / "link.json"));
  CHECK(read_file(file) == "four\n");
  // A dangling symlink is something that exists.
  fs::create_symlink("nowhere.json", dir.path / "dangling.json");
  CHECK_THROWS_AS(write_file_atomically(dir / "dangling.json", "x", false), seprank::Error);
  CHECK(!fs::exists(dir.path / "nowhere.json"));
  // A device is written in place, not renamed over.
  write_file_atomically("/dev/null", "five\n", true);
  CHECK(fs::is_character_file("/dev/null"));
  // A directory is never a file.
  fs::create_directory(dir.path / "sub");
  for (bool overwrite : {false, true}) {
    try {
      write_file_atomically(dir / "sub", "x", overwrite);
      FAIL("a directory was accepted as a file");
    } catch (const seprank::Error& e) {
      CHECK(e.code() == seprank::exit_cannot_create);
      CHECK(std::string(e.what()) == "cannot create " + (dir / "sub") + ": Is a directory");
    }
  }
  CHECK(temporary_files(dir.path) == 0);

  CHECK(seprank::is_temporary_file_name(".a.json.tmp-123-0123abcd"));
  CHECK(seprank::is_temporary_file_name(".manifest.json.tmp-4194304-ffffffff"));
  CHECK(!seprank::is_temporary_file_name("a.json"));
  CHECK(!seprank::is_temporary_file_name("a.json.tmp-123-0123abcd"));   // no leading dot
  CHECK(!seprank::is_temporary_file_name(".a.json.tmp-x-0123abcd"));    // no PID
  CHECK(!seprank::is_temporary_file_name(".a.json.tmp-123-0123ABCD"));  // not lowercase hex
  CHECK(!seprank::is_temporary_file_name(".a.json.tmp-123-0123abc"));   // 7 digits
}

TEST_CASE("file safety: verify --certificates never overwrites a certificate without --force") {
  const TempDir dir("certificates");
  write_file(dir.path / "tiny.toml", tiny_theorem);
  const std::string out = dir / "out";
  const std::string verify = seprank_command("verify " + q(dir / "tiny.toml") + " --certificates " + q(out));
  REQUIRE(run(verify).exit_code == 0);
  const auto written = tree(out);
  REQUIRE(written.size() == 4);
  const std::string first = out + "/TINY-claim1-instance1.json";
  REQUIRE(written.count("TINY-claim1-instance1.json") == 1);

  // An edited certificate, a user's note, another theorem's certificate and a killed run's
  // leftover: the second run refuses before any work (nothing on stdout, no "verifying" line),
  // naming the first certificate in the way, and changes nothing.
  write_file(first, "my edit\n");
  write_file(dir.path / "out" / "notes.txt", "mine\n");
  write_file(dir.path / "out" / "OTHER-claim1-instance1.json", "other\n");
  write_file(dir.path / "out" / ".TINY-claim1-instance2.json.tmp-99999-0123abcd", "left");
  const auto before = tree(out);
  const auto refused = run(verify);
  check_refusal(refused, 73, first + " exists; not overwriting it (use --force)");
  CHECK(tree(out) == before);

  // The leftover alone does not block a run.
  for (const auto& [name, content] : written) fs::remove(dir.path / "out" / name);
  CHECK(run(verify).exit_code == 0);
  CHECK(read_file(first) == written.at("TINY-claim1-instance1.json"));

  // --force replaces the certificates, and only them.
  write_file(first, "my edit\n");
  CHECK(run(verify + " --force").exit_code == 0);
  auto after = tree(out);
  for (const auto& [name, content] : written) CHECK(after[name] == content);
  CHECK(after["notes.txt"] == "mine\n");
  CHECK(after["OTHER-claim1-instance1.json"] == "other\n");
}

TEST_CASE("file safety: verify --bundle never overwrites a bundle's file without --force") {
  const TempDir dir("bundle");
  write_file(dir.path / "tiny.toml", tiny_theorem);
  const std::string bundle = dir / "bundle";
  const std::string verify = seprank_command("verify " + q(dir / "tiny.toml") + " --bundle " + q(bundle));
  REQUIRE(run(verify).exit_code == 0);
  const auto written = tree(bundle);
  REQUIRE(written.size() == 10);  // manifest, the theorem's copy, 4 certificates, 4 cut witnesses

  // Whatever of the bundle exists is refused before any work, the manifest first, then the
  // theorem's copy, then its evidence (as a killed run leaves it: a re-run takes --force).
  check_refusal(run(verify), 73, bundle + "/manifest.json exists; not overwriting it (use --force)");
  fs::remove(dir.path / "bundle" / "manifest.json");
  check_refusal(run(verify), 73, bundle + "/theorems/TINY.toml exists; not overwriting it (use --force)");
  fs::remove_all(dir.path / "bundle" / "theorems");
  check_refusal(run(verify), 73, bundle + "/evidence/TINY/claim1-instance1-certificate.json exists");
  CHECK(tree(bundle).size() == 8);
  CHECK(run(verify + " --force").exit_code == 0);
  CHECK(tree(bundle) == written);

  // A killed run's leftover temporary files (and a user's note) block nothing.
  fs::remove_all(bundle);
  fs::create_directories(dir.path / "bundle" / "evidence" / "TINY");
  write_file(dir.path / "bundle" / ".manifest.json.tmp-99999-0123abcd", "{");
  write_file(dir.path / "bundle" / "evidence" / "TINY" / ".claim1-instance1-cut.json.tmp-99999-89abcdef", "");
  write_file(dir.path / "bundle" / "notes.txt", "mine\n");
  CHECK(run(verify).exit_code == 0);
  auto after = tree(bundle);
  for (const auto& [name, content] : written) CHECK(after[name] == content);
  CHECK(after.size() == written.size() + 3);
}

TEST_CASE("file safety: a write that fails leaves the previous file and no temporary or partial file") {
  const TempDir dir("write_error");
  write_file(dir.path / "tiny.toml", tiny_theorem);
  const std::string certificate = dir / "c.json";
  REQUIRE(run(seprank_command(certify_args + "--seed 2 -o " + q(certificate))).exit_code == 0);
  const std::string previous = read_file(certificate);

  // certify: with --force the previous certificate survives; without, nothing appears.
  check_refusal(run_with_small_file_limit(seprank_command(certify_args + "--force -o " + q(certificate))), 74,
                "cannot write " + certificate + ": File too large");
  CHECK(read_file(certificate) == previous);
  check_refusal(run_with_small_file_limit(seprank_command(certify_args + "-o " + q(dir / "new.json"))), 74,
                "cannot write " + (dir / "new.json") + ": File too large");
  CHECK(!fs::exists(dir.path / "new.json"));
  // bound --witness (a witness of 665 bytes).
  check_refusal(run_with_small_file_limit(seprank_command("bound --input 8x8 --layers 3/1/2,6/1/2 --witness " +
                                                          q(dir / "w.json"))),
                74, "cannot write " + (dir / "w.json"));
  CHECK(!fs::exists(dir.path / "w.json"));

  // verify --certificates: the temporary file goes; the directory it created may stay, empty.
  const std::string verify = seprank_command("verify " + q(dir / "tiny.toml"));
  check_refusal(run_with_small_file_limit(verify + " --certificates " + q(dir / "certificates")), 74,
                "cannot write " + (dir / "certificates") + "/TINY-claim1-instance1.json: File too large", false);
  CHECK(tree(dir.path / "certificates").empty());
  CHECK(temporary_files(dir.path / "certificates") == 0);

  // verify --bundle: the theorem's copy (small) was written, the first certificate fails: the run
  // removes what it created, directories included.
  check_refusal(run_with_small_file_limit(verify + " --bundle " + q(dir / "bundle")), 74,
                "cannot write " + (dir / "bundle") + "/evidence/TINY/claim1-instance1-certificate.json: File too large",
                false);
  CHECK(!fs::exists(dir.path / "bundle"));
  // With --force over a previous bundle, its manifest survives (and no temporary file is left).
  REQUIRE(run(verify + " --seed 2 --bundle " + q(dir / "bundle")).exit_code == 0);
  const auto old_bundle = tree(dir.path / "bundle");
  check_refusal(run_with_small_file_limit(verify + " --force --bundle " + q(dir / "bundle")), 74,
                "/evidence/TINY/claim1-instance1-certificate.json: File too large", false);
  const auto after = tree(dir.path / "bundle");
  CHECK(after == old_bundle);  // the theorem's copy was rewritten with the same bytes
  CHECK(temporary_files(dir.path / "bundle") == 0);
  CHECK(temporary_files(dir.path) == 0);
}

TEST_CASE("file safety: file-system errors on output paths are exit 73 naming the path, before any work") {
  const TempDir dir("paths");
  write_file(dir.path / "tiny.toml", tiny_theorem);
  write_file(dir.path / "file", "a file\n");
  fs::create_directory(dir.path / "directory");
  fs::create_symlink("loop-b", dir.path / "loop-a");
  fs::create_symlink("loop-a", dir.path / "loop-b");
  fs::create_directory(dir.path / "locked");
  const std::string too_long = dir / std::string(300, 'x');
  // Permission denied: root may write anywhere, so the commands then run as nobody.
  const bool root = ::geteuid() == 0;
  if (!root) fs::permissions(dir.path / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string as_locked_out = root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  const std::string verify = seprank_command("verify " + q(dir / "tiny.toml"));

  struct Case {
    std::string command;
    std::string says;
  };
  std::vector<Case> cases;
  for (const std::string force : {"", " --force"}) {
    for (const std::string& option : {certify_args + "-o ", std::string("bound --input 6 --layers 6/1/2 --witness ")}) {
      const std::string command = seprank_command(option);
      if (force.empty()) cases.push_back({command + q(dir / "file"), (dir / "file") + " exists; not overwriting it (use --force)"});
      cases.push_back({command + q(too_long) + force, "cannot create " + too_long + ": File name too long"});
      cases.push_back({command + q(dir / "loop-a/x.json") + force,
                       "cannot create " + (dir / "loop-a/x.json") + ": Too many levels of symbolic links"});
      cases.push_back({command + q(dir / "directory") + force, "cannot create " + (dir / "directory") + ": Is a directory"});
      cases.push_back({command + q(dir / "file/x.json") + force, "cannot create " + (dir / "file/x.json") + ": Not a directory"});
      cases.push_back({command + q(dir / "missing/x.json") + force,
                       "cannot create " + (dir / "missing/x.json") + ": No such file or directory"});
      cases.push_back({as_locked_out + command + q(dir / "locked/x.json") + force,
                       "cannot create " + (dir / "locked/x.json") + ": Permission denied"});
    }
    for (const std::string option : {" --certificates ", " --bundle "}) {
      const std::string command = verify + option;
      cases.push_back({command + q(too_long) + force, "cannot create the directory " + too_long + ": File name too long"});
      cases.push_back({command + q(dir / "loop-a") + force,
                       "cannot create the directory " + (dir / "loop-a") + ": Too many levels of symbolic links"});
      cases.push_back({command + q(dir / "file") + force,
                       "cannot create the directory " + (dir / "file") + ": a file of that name exists"});
      cases.push_back({command + q(dir / "file/sub") + force,
                       "cannot create the directory " + (dir / "file/sub") + ": Not a directory"});
      cases.push_back({as_locked_out + command + q(dir / "locked/sub") + force,
                       "cannot create the directory " + (dir / "locked/sub") + ": Permission denied"});
    }
  }
  // A bundle's manifest that is a directory.
  fs::create_directories(dir.path / "bundle" / "manifest.json");
  cases.push_back({verify + " --bundle " + q(dir / "bundle"), (dir / "bundle") + "/manifest.json exists"});
  cases.push_back({verify + " --bundle " + q(dir / "bundle") + " --force",
                   "cannot create " + (dir / "bundle") + "/manifest.json: Is a directory"});
  fs::create_directories(dir.path / "certificates" / "TINY-claim1-instance1.json");
  cases.push_back({verify + " --certificates " + q(dir / "certificates"),
                   (dir / "certificates") + "/TINY-claim1-instance1.json exists"});
  for (const Case& c : cases) {
    CAPTURE(c.command);
    const auto r = run(c.command);
    check_refusal(r, 73, c.says);
    CHECK(r.err.find("verifying") == std::string::npos);  // before any work
  }
  // With --force, which certificates a run writes is known only from its verdicts: a directory
  // in the place of one is found when it is written (exit 73 all the same).
  const auto late = run(verify + " --certificates " + q(dir / "certificates") + " --force");
  check_refusal(late, 73, "cannot create " + (dir / "certificates") + "/TINY-claim1-instance1.json: Is a directory",
                false);
  CHECK(temporary_files(dir.path) == 0);
  CHECK(!fs::exists(dir.path / "missing"));
  CHECK(fs::is_empty(dir.path / "locked"));
  CHECK(fs::is_empty(dir.path / "bundle" / "manifest.json"));

  // Refused before any work: the existing output wins over a request refused later for its size.
  const auto r = run(seprank_command("certify --input 12x12 --layers 3/1/2,10/1/1 --max-memory 1 -o " + q(dir / "file")));
  check_refusal(r, 73, (dir / "file") + " exists; not overwriting it (use --force)");
}

TEST_CASE("file safety: a theorem id never becomes a path (exit 65 at parse time, nothing written)") {
  const TempDir dir("ids");
  const std::string theorem(tiny_theorem);
  const std::string id_line = "id = \"TINY\"";
  for (const std::string& id : std::vector<std::string>{"../escaped", "/tmp/absolute", "a b", "", "dot.dot",
                                                        std::string(65, 'x')}) {
    CAPTURE(id);
    std::string text = theorem;
    text.replace(text.find(id_line), id_line.size(), "id = \"" + id + "\"");
    write_file(dir / "t.toml", text);
    const auto r = run(seprank_command("verify '" + (dir / "t.toml") + "' --certificates '" + (dir / "certs") +
                                       "' --bundle '" + (dir / "bundle") + "'"));
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("t.toml:3: id '") != std::string::npos);
    CHECK(r.err.find("must be 1 to 64 of A-Z a-z 0-9 - _") != std::string::npos);
    CHECK(!fs::exists(dir.path / "certs"));
    CHECK(!fs::exists(dir.path / "bundle"));
    CHECK(!fs::exists(dir.path.parent_path() / "escaped.toml"));
  }
  // The boundary: 64 characters of the set are an id.
  std::string text = theorem;
  text.replace(text.find(id_line), id_line.size(), "id = \"" + std::string(64, 'x') + "\"");
  write_file(dir / "t.toml", text);
  CHECK(run(seprank_command("verify '" + (dir / "t.toml") + "'")).exit_code == 0);
}
