// How one command may use the machine: how many threads, and who watches its progress. The
// command line builds one per command (--threads, the terminal's progress line) and passes it
// down the pipeline; assembly, elimination and comparison take it instead of reading globals.
#pragma once

#include "seprank/support/progress.hpp"

namespace seprank {

struct ExecutionContext {
  // A context of `threads` threads that nobody watches (tests, benchmarks, library callers);
  // implicit, so that `rank_mod_p(matrix, 2)` reads as "with 2 threads".
  ExecutionContext(int threads_ = 1, ProgressDisplay* progress_ = nullptr)  // NOLINT(google-explicit-constructor)
      : threads(threads_), progress(progress_) {}

  // >= 1: the threads this computation may use (assembly's row ranges, the libraries' pools).
  // 0: one of several workers a caller started, each on its own thread; the libraries' pools
  // stay as that caller set them (to 1, see LibraryThreads).
  int threads;
  ProgressDisplay* progress;  // the observer of Progress reporters; nullptr: nobody

  // The display reporters attach to: `progress`, or one that never prints.
  ProgressDisplay& display() const;
  // The same watcher with another thread count (a worker's share).
  ExecutionContext with_threads(int n) const { return ExecutionContext(n, progress); }
};

// The thread pools of the libraries seprank calls (FLINT's, OpenBLAS's and, for
// FFLAS-FFPACK's task-parallel elimination, OpenMP's), set for the lifetime of this object and
// restored afterwards. The only code in seprank that sets them.
class LibraryThreads {
 public:
  // FLINT and the BLAS get `threads`; threads <= 0 changes nothing.
  explicit LibraryThreads(int threads);
  // FFLAS-FFPACK's OpenMP tasks get `threads`, over a BLAS of one thread each.
  static LibraryThreads for_tasks(int threads);
  ~LibraryThreads();
  LibraryThreads(const LibraryThreads&) = delete;
  LibraryThreads& operator=(const LibraryThreads&) = delete;
  LibraryThreads(LibraryThreads&& other) noexcept;
  LibraryThreads& operator=(LibraryThreads&&) = delete;

 private:
  LibraryThreads() = default;
  bool active_ = false;
  int flint_ = 1, blas_ = 1, openmp_ = 1;  // the counts to restore
};

}  // namespace seprank
