// Progress of long runs for someone watching a terminal: one status line on stderr, rewritten
// in place with '\r' (docs/model.md "Progress"). Nothing is printed unless stderr is a
// terminal (SEPRANK_PROGRESS=always|never overrides), and nothing ever goes to stdout, so what
// seprank writes to stdout, to files and to a redirected stderr does not depend on it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace seprank {

using ProgressClock = std::function<std::chrono::steady_clock::time_point()>;

// Whether the standard display prints, from SEPRANK_PROGRESS (`setting`, null when unset):
// "always", "never", anything else only when stderr is a terminal.
bool progress_enabled(const char* setting, bool stderr_is_tty);

class Progress;

// The one status line shared by the reporters alive at once (their parts joined by " | ",
// oldest first): drawn once the oldest has run `threshold`, redrawn at most once per
// `interval`, erased when a reporter finishes (so whatever comes next starts on a clean line).
class ProgressDisplay {
 public:
  struct Config {
    std::FILE* sink = stderr;
    bool enabled = false;
    std::chrono::steady_clock::duration threshold = std::chrono::seconds(2);
    std::chrono::steady_clock::duration interval = std::chrono::milliseconds(250);
    ProgressClock clock = [] { return std::chrono::steady_clock::now(); };  // injectable for tests
    std::size_t columns = 0;  // the line's width limit; 0: the sink's terminal width, if any
  };

  explicit ProgressDisplay(Config config);
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // stderr; enabled by progress_enabled(SEPRANK_PROGRESS, isatty(stderr)); the threshold is
  // SEPRANK_PROGRESS_AFTER seconds when set (a test's way to see a short run's lines).
  static ProgressDisplay& standard();
  // A display that never prints: for computations nobody watches.
  static ProgressDisplay& silent();

  bool enabled() const { return config_.enabled; }
  std::chrono::steady_clock::time_point now() const { return config_.clock(); }

 private:
  friend class Progress;
  void attach(Progress* reporter);
  void detach(Progress* reporter);
  // Cheap unless a draw is due: one clock read and one atomic load.
  void draw_if_due();
  void write_locked(const std::string& text);

  Config config_;
  std::mutex mutex_;
  std::vector<Progress*> live_;  // in the order they were attached
  std::atomic<std::int64_t> next_draw_;  // clock ticks; a hint, rechecked under the mutex
  std::size_t drawn_width_ = 0;          // of the line on the sink now, 0 when none
};

// One reporter: a phase label, optionally a count of `total` `unit`s done so far, the elapsed
// time and an ETA. Alive from construction to finish() (or destruction); it prints nothing
// itself when the display is disabled, and costs an atomic add per advance().
class Progress {
 public:
  // total = 0: no count (the line shows the label and the elapsed time).
  // `display`: the observer (the command's ExecutionContext::display()).
  Progress(std::string label, std::uint64_t total, std::string unit, ProgressDisplay& display);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe: `n` more units done.
  void advance(std::uint64_t n = 1);
  std::uint64_t done() const { return done_.load(std::memory_order_relaxed); }
  // Thread-safe: replaces the label (e.g. the prime being worked on).
  void set_label(std::string label);
  // For work without a count: the ETA is `seconds` (the whole run's) minus the elapsed time,
  // shown "ETA ~ N s"; nullopt, or once the estimate is exceeded, "ETA unknown".
  void set_expected_seconds(std::optional<double> seconds);
  // For work that cannot call advance() (a library call without a callback): a thread redraws
  // the line until finish(), waking at most once per interval. Nothing when disabled.
  void tick_in_background();
  // Erases the line; idempotent.
  void finish();

  std::chrono::steady_clock::time_point start() const { return start_; }
  // This reporter's part of the line at `now`, e.g. "assembly: 1234/8192 rows (15%), 3.1 s
  // elapsed, ETA 17 s" (public for tests; the display calls it under its mutex).
  std::string describe(std::chrono::steady_clock::time_point now) const;

 private:
  struct Ticker;
  ProgressDisplay* display_;  // null when disabled or finished
  std::string label_;
  std::string unit_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  bool eta_from_estimate_ = false;
  std::optional<double> expected_seconds_;
  std::unique_ptr<Ticker> ticker_;
};

// The progress of one elimination (rank mod p): FFLAS-FFPACK's PLUQ and FLINT's nmod_mat_lu
// report nothing from inside, so a ticker shows the elapsed time and an ETA from
// t ≈ c·rows·cols·min(rows, cols), with c measured by the last elimination in this process by
// the same back-end and thread count that took at least a quarter second. Before such a
// measurement there is no honest estimate ("ETA unknown"): c falls 3-5x from n = 256 to
// n = 2048 on the BLAS back-ends, so a small timing run would not give one.
class EliminationProgress {
 public:
  EliminationProgress(std::int64_t rows, std::int64_t cols, std::uint64_t prime, std::string backend,
                      int threads, ProgressDisplay& display);
  // The elimination is over: erases the line and times it for the next estimates (not
  // called when it threw, so a failed run calibrates nothing).
  void finish();

 private:
  ProgressDisplay& display_;
  double work_;      // rows·cols·min(rows, cols)
  std::string key_;  // back-end and threads: what c depends on
  bool timing_;      // enabled and not finished yet
  Progress progress_;
};

}  // namespace seprank
