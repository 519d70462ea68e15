#include "seprank/support/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <thread>

namespace seprank {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string printf_string(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// "17 s", "12 min", "2.5 h": as precise as an ETA deserves.
std::string rough_duration(double seconds) {
  if (seconds < 99.5) return printf_string("%.0f s", seconds);
  if (seconds < 5970) return printf_string("%.0f min", seconds / 60);
  return printf_string("%.1f h", seconds / 3600);
}

// "3.1 s" while tenths still tell that something moves, then as an ETA.
std::string elapsed_duration(double seconds) {
  return seconds < 99.95 ? printf_string("%.1f s", seconds) : rough_duration(seconds);
}

// Columns the line may use on the sink, or no limit when it is not a terminal. One less than
// the width: a line reaching the last column wraps on some terminals, and '\r' would then
// return to the start of the second row only.
std::size_t line_limit(std::FILE* sink) {
  winsize size{};
  if (::ioctl(::fileno(sink), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col - 1u;
  return std::numeric_limits<std::size_t>::max();
}

ProgressDisplay::Config standard_config() {
  ProgressDisplay::Config config;
  config.sink = stderr;
  config.enabled = progress_enabled(std::getenv("SEPRANK_PROGRESS"), ::isatty(STDERR_FILENO) == 1);
  if (const char* after = std::getenv("SEPRANK_PROGRESS_AFTER")) {
    char* end = nullptr;
    const double seconds = std::strtod(after, &end);
    if (end != after && *end == '\0' && std::isfinite(seconds) && seconds >= 0 && seconds <= 1e6)
      config.threshold = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }
  return config;
}

}  // namespace

bool progress_enabled(const char* setting, bool stderr_is_tty) {
  if (setting && std::strcmp(setting, "always") == 0) return true;
  if (setting && std::strcmp(setting, "never") == 0) return false;
  return stderr_is_tty;
}

ProgressDisplay::ProgressDisplay(Config config)
    : config_(std::move(config)), next_draw_(std::numeric_limits<std::int64_t>::max()) {}

ProgressDisplay& ProgressDisplay::standard() {
  static ProgressDisplay display(standard_config());
  return display;
}

ProgressDisplay& ProgressDisplay::silent() {
  static ProgressDisplay display(ProgressDisplay::Config{});  // enabled = false
  return display;
}

void ProgressDisplay::attach(Progress* reporter) {
  const std::lock_guard lock(mutex_);
  live_.push_back(reporter);
  const std::int64_t due = ticks(reporter->start() + config_.threshold);
  if (due < next_draw_.load(std::memory_order_relaxed)) next_draw_.store(due, std::memory_order_relaxed);
}

void ProgressDisplay::detach(Progress* reporter) {
  const std::lock_guard lock(mutex_);
  live_.erase(std::remove(live_.begin(), live_.end(), reporter), live_.end());
  if (drawn_width_ > 0) {
    std::string blank(drawn_width_ + 2, ' ');  // "\r", spaces over the line, "\r"
    blank.front() = blank.back() = '\r';
    write_locked(blank);
    drawn_width_ = 0;
  }
  if (live_.empty()) next_draw_.store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
}

void ProgressDisplay::draw_if_due() {
  const Clock::time_point now = config_.clock();
  if (ticks(now) < next_draw_.load(std::memory_order_relaxed)) return;
  // A reporter in a hot loop must never wait here: whoever holds the mutex is drawing.
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || live_.empty() || ticks(now) < next_draw_.load(std::memory_order_relaxed)) return;
  Clock::time_point due = Clock::time_point::max();
  for (const Progress* reporter : live_) due = std::min(due, reporter->start() + config_.threshold);
  if (now < due) {
    next_draw_.store(ticks(due), std::memory_order_relaxed);
    return;
  }
  // The newest reporter's part is the one that moves: on a narrow terminal the older parts
  // (its context) are shortened first.
  std::string context;
  for (std::size_t k = 0; k + 1 < live_.size(); ++k) context += live_[k]->describe(now) + " | ";
  std::string line = live_.back()->describe(now);
  const std::size_t limit = config_.columns > 0 ? config_.columns : line_limit(config_.sink);
  if (context.size() + line.size() > limit) {
    const std::size_t room = limit > line.size() + 6 ? limit - line.size() - 6 : 0;
    context = room > 0 ? context.substr(0, room) + "... | " : "";
  }
  line = context + line;
  line.resize(std::min(line.size(), limit));
  const std::size_t width = line.size();
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');  // over the longer previous line
  write_locked("\r" + line);
  drawn_width_ = width;
  next_draw_.store(ticks(now + config_.interval), std::memory_order_relaxed);
}

void ProgressDisplay::write_locked(const std::string& text) {
  // Progress is a courtesy: a failed write is not an error of the computation.
  std::fwrite(text.data(), 1, text.size(), config_.sink);
  std::fflush(config_.sink);
}

struct Progress::Ticker {
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread thread;
};

Progress::Progress(std::string label, std::uint64_t total, std::string unit, ProgressDisplay& display)
    : display_(display.enabled() ? &display : nullptr),
      label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      start_(display.now()) {
  if (display_) display_->attach(this);
}

Progress::~Progress() { finish(); }

void Progress::advance(std::uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (display_) display_->draw_if_due();
}

void Progress::set_label(std::string label) {
  if (!display_) {
    label_ = std::move(label);
    return;
  }
  const std::lock_guard lock(display_->mutex_);
  label_ = std::move(label);
}

void Progress::set_expected_seconds(std::optional<double> seconds) {
  std::unique_lock<std::mutex> lock;
  if (display_) lock = std::unique_lock(display_->mutex_);
  eta_from_estimate_ = true;
  expected_seconds_ = seconds;
}

void Progress::tick_in_background() {
  if (!display_ || ticker_) return;
  auto ticker = std::make_unique<Ticker>();
  Ticker* t = ticker.get();
  ProgressDisplay* display = display_;
  const Clock::duration interval = display_->config_.interval;
  try {
    t->thread = std::thread([t, display, interval] {
      std::unique_lock lock(t->mutex);
      while (!t->stop) {
        lock.unlock();
        display->draw_if_due();
        lock.lock();
        t->wake.wait_for(lock, interval, [t] { return t->stop; });
      }
    });
  } catch (const std::system_error&) {
    return;  // no thread to spare: the work goes on without a progress line
  }
  ticker_ = std::move(ticker);
}

void Progress::finish() {
  if (ticker_) {
    {
      const std::lock_guard lock(ticker_->mutex);
      ticker_->stop = true;
    }
    ticker_->wake.notify_one();
    ticker_->thread.join();
    ticker_.reset();
  }
  if (display_) display_->detach(this);
  display_ = nullptr;
}

std::string Progress::describe(Clock::time_point now) const {
  const double elapsed = std::max(seconds_between(start_, now), 0.0);
  std::string s = label_;
  const std::uint64_t done = std::min(this->done(), total_);
  if (total_ > 0) {
    s += ": " + std::to_string(done) + "/" + std::to_string(total_) + " " + unit_ + " (" +
         std::to_string(done * 100 / total_) + "%)";
  }
  s += ", " + elapsed_duration(elapsed) + " elapsed";
  if (total_ > 0 && done < total_) {
    // At the rate so far: the rows of an assembly cost about the same.
    const double left = static_cast<double>(total_ - done);
    s += done > 0 ? ", ETA " + rough_duration(elapsed * left / static_cast<double>(done)) : ", ETA unknown";
  } else if (eta_from_estimate_) {
    const bool estimated = expected_seconds_ && *expected_seconds_ > elapsed;
    s += estimated ? ", ETA ~ " + rough_duration(*expected_seconds_ - elapsed) : ", ETA unknown";
  }
  return s;
}

namespace {

// c (seconds per rows·cols·min(rows, cols)) of the last timed elimination, per back-end and
// thread count.
struct EliminationCalibration {
  std::mutex mutex;
  std::map<std::string, double> seconds_per_work;
};

EliminationCalibration& elimination_calibration() {
  static EliminationCalibration calibration;
  return calibration;
}

// Shorter eliminations are timed too coarsely (and at sizes too unlike the long ones) to
// predict them.
constexpr double min_calibration_seconds = 0.25;

}  // namespace

EliminationProgress::EliminationProgress(std::int64_t rows, std::int64_t cols, std::uint64_t prime,
                                         std::string backend, int threads, ProgressDisplay& display)
    : display_(display),
      work_(static_cast<double>(rows) * static_cast<double>(cols) *
            static_cast<double>(std::min(rows, cols))),
      key_(backend + ", threads " + std::to_string(threads)),
      timing_(display.enabled()),
      progress_("rank: " + std::to_string(rows) + " x " + std::to_string(cols) + " mod " + std::to_string(prime) +
                    ", " + backend,
                0, "", display) {
  if (!timing_) return;
  std::optional<double> expected;
  {
    EliminationCalibration& calibration = elimination_calibration();
    const std::lock_guard lock(calibration.mutex);
    if (const auto it = calibration.seconds_per_work.find(key_); it != calibration.seconds_per_work.end())
      expected = it->second * work_;
  }
  progress_.set_expected_seconds(expected);
  progress_.tick_in_background();
}

void EliminationProgress::finish() {
  if (!timing_) return;
  timing_ = false;
  const double seconds = seconds_between(progress_.start(), display_.now());
  progress_.finish();
  if (seconds < min_calibration_seconds || work_ <= 0) return;
  EliminationCalibration& calibration = elimination_calibration();
  const std::lock_guard lock(calibration.mutex);
  calibration.seconds_per_work[key_] = seconds / work_;
}

}  // namespace seprank
