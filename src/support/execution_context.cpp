#include "seprank/support/execution_context.hpp"

#include <flint/flint.h>
#include <omp.h>

// OpenBLAS's thread control (libopenblas, linked explicitly by CMakeLists.txt).
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
}

namespace seprank {

ProgressDisplay& ExecutionContext::display() const {
  return progress ? *progress : ProgressDisplay::silent();
}

namespace {

void set_pools(int flint, int blas, int openmp) {
  flint_set_num_threads(flint);
  openblas_set_num_threads(blas);
  omp_set_num_threads(openmp);
}

}  // namespace

LibraryThreads::LibraryThreads(int threads) {
  if (threads <= 0) return;
  active_ = true;
  flint_ = flint_get_num_threads();
  blas_ = openblas_get_num_threads();
  openmp_ = omp_get_max_threads();
  set_pools(threads, threads, openmp_);
}

LibraryThreads LibraryThreads::for_tasks(int threads) {
  LibraryThreads scope;
  if (threads <= 0) return scope;
  scope.active_ = true;
  scope.flint_ = flint_get_num_threads();
  scope.blas_ = openblas_get_num_threads();
  scope.openmp_ = omp_get_max_threads();
  set_pools(scope.flint_, 1, threads);
  return scope;
}

LibraryThreads::LibraryThreads(LibraryThreads&& other) noexcept
    : active_(other.active_), flint_(other.flint_), blas_(other.blas_), openmp_(other.openmp_) {
  other.active_ = false;
}

LibraryThreads::~LibraryThreads() {
  if (active_) set_pools(flint_, blas_, openmp_);
}

}  // namespace seprank
