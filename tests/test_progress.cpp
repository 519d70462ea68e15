// The progress line (docs/model.md "Progress"): nothing unless enabled, the documented format
// at an injected clock, counts summed over threads, and seprank's stdout unchanged by it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "process.hpp"
#include "seprank/assembly/matricization.hpp"
#include "seprank/support/progress.hpp"
#include "seprank/assembly/rings.hpp"
#include "test_support.hpp"

using namespace seprank;
using namespace std::chrono_literals;

namespace {

// A clock that moves only when the test says so.
struct ManualClock {
  std::atomic<std::int64_t> nanoseconds{0};
  std::chrono::steady_clock::time_point now() const {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(nanoseconds.load()));
  }
  void advance(std::chrono::nanoseconds by) { nanoseconds += by.count(); }
};

// A display writing to a file the test reads back (through its own descriptor, so a ticker
// may keep writing meanwhile).
struct FileDisplay {
  std::string path;
  std::FILE* sink;
  ManualClock clock;
  ProgressDisplay display;

  explicit FileDisplay(bool enabled, std::chrono::steady_clock::duration interval = 250ms, std::size_t columns = 0)
      : path("/tmp/seprank_test_progress_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++)),
        sink(std::fopen(path.c_str(), "w")),
        display(ProgressDisplay::Config{sink, enabled, 2s, interval, [this] { return clock.now(); }, columns}) {
    REQUIRE(sink != nullptr);
  }
  ~FileDisplay() {
    std::fclose(sink);
    std::remove(path.c_str());
  }
  std::string text() const {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Waits (at most 5 s) for a ticker thread to have written `part`.
  bool wait_for(const std::string& part) const {
    for (int i = 0; i < 5000; ++i) {
      if (text().find(part) != std::string::npos) return true;
      std::this_thread::sleep_for(1ms);
    }
    return false;
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string erased(std::size_t width) { return "\r" + std::string(width, ' ') + "\r"; }

}  // namespace

TEST_CASE("progress is on when stderr is a terminal, and SEPRANK_PROGRESS=always|never overrides") {
  CHECK(progress_enabled(nullptr, true));
  CHECK_FALSE(progress_enabled(nullptr, false));
  CHECK(progress_enabled("always", false));
  CHECK_FALSE(progress_enabled("never", true));
  CHECK(progress_enabled("auto", true));  // anything else: the terminal decides
  CHECK_FALSE(progress_enabled("", false));
}

TEST_CASE("a disabled display prints nothing, however long and whatever reports") {
  for (const bool tty : {false, true}) {
    FileDisplay f(progress_enabled(tty ? "never" : nullptr, tty), 1ms);
    {
      Progress outer("rank over Q", 0, "", f.display);
      Progress rows("assembly", 100, "rows", f.display);
      f.clock.advance(60s);
      rows.advance(50);
      EliminationProgress elimination(100, 100, 7, "progress test, disabled", 1, f.display);
      f.clock.advance(60s);
      std::this_thread::sleep_for(20ms);  // a ticker, if one had started, would have drawn
      elimination.finish();
      CHECK(rows.done() == 50);
    }
    CHECK(f.text().empty());
  }
}

TEST_CASE("the line appears after the threshold, at most once per interval, and is erased at the end") {
  FileDisplay f(true);
  std::string expected;
  {
    Progress p("assembly", 8192, "rows", f.display);
    f.clock.advance(500ms);
    p.advance(1234);
    CHECK(f.text().empty());  // before 2 s: nothing

    f.clock.advance(2600ms);  // 3.1 s: 3.1·(8192 - 1234)/1234 = 17.5 s to go
    p.advance(0);
    const std::string first = "assembly: 1234/8192 rows (15%), 3.1 s elapsed, ETA 17 s";
    expected += "\r" + first;
    CHECK(f.text() == expected);

    f.clock.advance(100ms);  // within the interval: not redrawn
    p.advance(766);
    CHECK(f.text() == expected);

    f.clock.advance(200ms);  // 3.4 s, 2000 done: 3.4·6192/2000 = 10.5 s
    p.advance(0);
    const std::string second = "assembly: 2000/8192 rows (24%), 3.4 s elapsed, ETA 11 s";
    expected += "\r" + second;
    CHECK(f.text() == expected);

    f.clock.advance(1s);  // a shorter line is padded over the longer one
    p.advance(6192);
    const std::string last = "assembly: 8192/8192 rows (100%), 4.4 s elapsed";
    expected += "\r" + last + std::string(second.size() - last.size(), ' ');
    CHECK(f.text() == expected);
    expected += erased(last.size());
  }
  CHECK(f.text() == expected);
}

TEST_CASE("reporters alive at once share the line, oldest first") {
  FileDisplay f(true);
  Progress outer("rank over Q: prime 2, rank in [4, 8], Hadamard bound needs 90 more bits", 0, "", f.display);
  f.clock.advance(45s);
  std::string line;
  {
    Progress inner("assembly", 16, "rows", f.display);
    f.clock.advance(200ms);
    inner.advance(4);  // the outer one is past the threshold, so the inner one shows at once
    line = "rank over Q: prime 2, rank in [4, 8], Hadamard bound needs 90 more bits, 45.2 s elapsed | "
           "assembly: 4/16 rows (25%), 0.2 s elapsed, ETA 1 s";
    CHECK(f.text() == "\r" + line);
  }
  CHECK(f.text() == "\r" + line + erased(line.size()));  // the inner one finished: erased
  f.clock.advance(300s);
  outer.set_label("rank over Q: prime 3");
  outer.advance(0);
  CHECK(f.text().ends_with(erased(line.size()) + "\rrank over Q: prime 3, 6 min elapsed"));
}

TEST_CASE("on a narrow terminal the newest part stays whole and its context is shortened") {
  FileDisplay f(true, 250ms, 60);
  Progress outer("rank over Q: prime 2, rank in [4, 8], Hadamard bound needs 90 more bits", 0, "", f.display);
  f.clock.advance(3s);
  Progress inner("assembly", 16, "rows", f.display);
  inner.advance(4);
  const std::string newest = "assembly: 4/16 rows (25%), 0.0 s elapsed, ETA 0 s";  // 49 columns
  CHECK(f.text() == "\rrank ... | " + newest);
  inner.finish();
  f.clock.advance(1s);  // a newest part wider than the terminal: cut, without its context
  Progress wide("a label longer than the sixty columns of this terminal, cut at the end", 0, "", f.display);
  wide.advance(0);
  CHECK(f.text().ends_with("\ra label longer than the sixty columns of this terminal, cut "));
}

TEST_CASE("advance() from two threads sums exactly, while the line is being drawn") {
  for (const bool enabled : {false, true}) {
    FileDisplay f(enabled, 0ms);
    Progress p("assembly", 400000, "rows", f.display);
    f.clock.advance(3s);  // past the threshold, no interval: every advance may draw
    auto work = [&] {
      for (int i = 0; i < 50000; ++i) p.advance(1);
      p.advance(150000);
    };
    std::thread other(work);
    work();
    other.join();
    CHECK(p.done() == 400000);
    CHECK(f.text().empty() != enabled);
  }
}

TEST_CASE("assemble_rows_parallel advances the progress once per row, whatever the threads") {
  const PreparedNetwork net = prepare_network(test_support::request("4x4", "2/1/2,3/1/2"));
  const AssemblyPlan plan(net.geometry, net.partition);
  const std::uint64_t prime = 1000003;
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights, &plan.input_reach());
  for (const int threads : {1, 2, 3}) {
    FileDisplay f(false);
    Progress p("assembly", net.rows, "rows", f.display);
    std::uint64_t entries = 0;
    std::mutex mutex;
    assemble_rows_parallel(
        compiled, plan, net.rows, net.partition.vary_I.size(), threads,
        [&](std::uint64_t, std::uint64_t, mp_limb_t) {
          const std::lock_guard lock(mutex);
          ++entries;
        },
        &p);
    CHECK(entries == net.rows * net.cols);
    CHECK(p.done() == net.rows);
  }
}

TEST_CASE("an elimination shows elapsed time, 'ETA unknown' until one is timed, then the cubic model's ETA") {
  FileDisplay f(true, 1ms);
  const char* backend = "progress test back-end";  // a key no real rank uses
  {
    EliminationProgress first(1000, 1000, 7, backend, 1, f.display);
    f.clock.advance(3s);
    CHECK(f.wait_for("\rrank: 1000 x 1000 mod 7, progress test back-end, 3.0 s elapsed, ETA unknown"));
    first.finish();  // 3 s for 1000·1000·1000
  }
  {
    EliminationProgress longer(2000, 1000, 7, backend, 1, f.display);  // 2x the work: 6 s expected
    f.clock.advance(2s);
    CHECK(f.wait_for("\rrank: 2000 x 1000 mod 7, progress test back-end, 2.0 s elapsed, ETA ~ 4 s"));
    f.clock.advance(5s);  // past the estimate: no more an honest ETA
    CHECK(f.wait_for("\rrank: 2000 x 1000 mod 7, progress test back-end, 7.0 s elapsed, ETA unknown"));
  }  // destroyed without finish() (as when the rank throws): erased, not timed
  {
    EliminationProgress other_threads(1000, 1000, 7, backend, 2, f.display);  // another key
    f.clock.advance(2500ms);
    CHECK(f.wait_for("\rrank: 1000 x 1000 mod 7, progress test back-end, 2.5 s elapsed, ETA unknown"));
  }
  const std::string last = "rank: 1000 x 1000 mod 7, progress test back-end, 2.5 s elapsed, ETA unknown";
  CHECK(f.text().ends_with(last + erased(last.size())));
}

TEST_CASE("seprank: progress goes to stderr only, and only when enabled - stdout is the same") {
  using test_support::run;
  using test_support::seprank_command;
  const std::string args = "rank --input 8 --layers 3/1/2,6/1/1 --threads 1 --json";  // 16 x 16
  // stderr is a file here, not a terminal: nothing, even with no threshold.
  const auto plain = run("env -u SEPRANK_PROGRESS SEPRANK_PROGRESS_AFTER=0 " + seprank_command(args));
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.err.empty());
  const auto never = run("SEPRANK_PROGRESS=never SEPRANK_PROGRESS_AFTER=0 " + seprank_command(args));
  CHECK(never.err.empty());
  CHECK(never.out == plain.out);
  // Forced on, with no threshold: the assembly's line is drawn at its first row, then erased.
  const auto shown = run("SEPRANK_PROGRESS=always SEPRANK_PROGRESS_AFTER=0 " + seprank_command(args));
  REQUIRE(shown.exit_code == 0);
  CHECK(shown.out == plain.out);
  CHECK(shown.err.find("\rassembly: 1/16 rows (6%), ") != std::string::npos);
  CHECK(shown.err.ends_with("\r"));
  // Over Q the primes' line leads.
  const auto q = run("SEPRANK_PROGRESS=always SEPRANK_PROGRESS_AFTER=0 " + seprank_command(args + " --field Q"));
  REQUIRE(q.exit_code == 0);
  CHECK(q.out == run("SEPRANK_PROGRESS=never " + seprank_command(args + " --field Q")).out);
  CHECK(q.err.find("\rrank over Q: prime 1, ") != std::string::npos);
  CHECK(q.err.find(" elapsed | assembly: 1/16 rows (6%), ") != std::string::npos);
  CHECK(q.err.ends_with("\r"));
}
