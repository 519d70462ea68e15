// run_sweep (sweep.hpp): the architectures of a sweep on worker threads, lines in order.
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "seprank/support/progress.hpp"
#include "seprank/sweep/sweep.hpp"

namespace seprank {

namespace {

std::string sweep_line(std::size_t index, std::size_t family_size, const std::string& fingerprint,
                       const FamilyMember& member, const SweepOptions& options, const ExecutionContext& execution) {
  nlohmann::ordered_json line;
  line["schema_version"] = sweep_schema_version;  // docs/schema/sweep-line.schema.json
  line["seprank_version"] = SEPRANK_VERSION;
  line["index"] = index;
  line["family_size"] = family_size;
  line["fingerprint"] = fingerprint;
  line.update(sweep_member(member, options, execution));
  return line.dump();
}

}  // namespace

void run_sweep(const std::vector<FamilyMember>& members, const std::vector<std::size_t>& indices,
               const std::string& fingerprint, const SweepOptions& options, int threads,
               const std::function<void(std::size_t, const std::string&)>& emit) {
  Progress progress("sweep", indices.size(), "architectures", ProgressDisplay::standard());
  if (threads <= 1 || indices.size() <= 1) {
    for (std::size_t k = 0; k < indices.size(); ++k) {
      emit(k, sweep_line(indices[k], members.size(), fingerprint, members[indices[k]], options, ExecutionContext(1)));
      progress.advance();
    }
    return;
  }
  // Each worker ranks its architectures alone: the libraries' pools at one thread, and each
  // worker's context 0 ("one of several workers", execution_context.hpp).
  const LibraryThreads pools(1);
  std::vector<std::optional<std::string>> done(indices.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  auto work = [&] {
    for (;;) {
      const std::size_t k = next.fetch_add(1);
      if (k >= indices.size() || stop.load()) return;
      try {
        std::string line = sweep_line(indices[k], members.size(), fingerprint, members[indices[k]], options,
                                      ExecutionContext(0));
        const std::lock_guard<std::mutex> lock(mutex);
        done[k] = std::move(line);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> workers;
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(threads), indices.size());
  for (std::size_t t = 0; t < count; ++t) workers.emplace_back(work);
  // The lines leave in order: k waits for its line even when later ones are done.
  std::exception_ptr emit_failure;
  for (std::size_t k = 0; k < indices.size(); ++k) {
    std::unique_lock<std::mutex> lock(mutex);
    ready.wait(lock, [&] { return done[k].has_value() || stop.load(); });
    if (!done[k]) break;
    std::string line = std::move(*done[k]);
    done[k].reset();
    lock.unlock();
    try {
      emit(k, line);
    } catch (...) {
      emit_failure = std::current_exception();
      stop = true;
      break;
    }
    progress.advance();
  }
  for (std::thread& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
  if (emit_failure) std::rethrow_exception(emit_failure);
}

}  // namespace seprank
