// Assembly of the matricization [A]_{I,J} (docs/model.md): entries are visited in row-major order
// by an odometer over the template digits (I's positions, then J's, first most significant),
// and after each step only the units whose receptive field contains a changed digit are
// re-evaluated. Most steps change only the last digit, so an entry costs a few units, not a
// forward pass.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "seprank/assembly/grid_evaluator.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/support/progress.hpp"

namespace seprank {

// M^e, or 0 when it exceeds 2^62 (callers treat 0 as "too large").
std::uint64_t checked_power(std::uint64_t base, std::size_t exponent);

// Which units to re-evaluate after the digits from index k on have changed.
class AssemblyPlan {
 public:
  AssemblyPlan(const std::vector<LayerGeometry>& geometry, const Partition& partition);

  const std::vector<int>& digit_positions() const { return digit_positions_; }
  // Templates of every position before the odometer starts (fixed positions keep theirs).
  const std::vector<int>& base_assignment() const { return base_assignment_; }
  // Units of each layer sorted so that those to re-evaluate after a change at digit k are a prefix.
  const std::vector<std::vector<int>>& units_by_reach() const { return units_by_reach_; }
  // Prefix lengths, per layer, for a change starting at digit k.
  const std::vector<std::size_t>& counts(std::size_t k) const { return counts_[k]; }
  // Per layer, for each of its input positions, the largest digit index it depends on
  // (layer 0: the position's own digit); the key CompiledNetwork orders windows by.
  const std::vector<std::vector<int>>& input_reach() const { return input_reach_; }

 private:
  std::vector<int> digit_positions_;
  std::vector<int> base_assignment_;
  std::vector<std::vector<int>> input_reach_;
  std::vector<std::vector<int>> units_by_reach_;
  std::vector<std::vector<std::size_t>> counts_;
};

// Evaluates rows [row_begin, row_end) of the matricization and calls
// write(row, col, const Elem&) for each entry, in row-major order; `progress` (if any)
// advances by one after each row.
template <class Ring, class Write>
void assemble_rows(const CompiledNetwork<Ring>& net, const AssemblyPlan& plan, std::uint64_t row_begin,
                   std::uint64_t row_end, std::size_t i_size, Write&& write, Progress* progress = nullptr) {
  if (row_begin >= row_end) return;
  const auto m = static_cast<std::uint64_t>(net.templates());
  const std::vector<int>& positions = plan.digit_positions();
  const std::size_t n = positions.size();
  std::vector<int> digits(n, 0), assignment = plan.base_assignment();
  // Digits of row_begin in base M over I's positions (first most significant); J's start at 0.
  std::uint64_t r = row_begin;
  for (std::size_t t = i_size; t-- > 0;) {
    digits[t] = static_cast<int>(r % m);
    r /= m;
  }
  for (std::size_t t = 0; t < n; ++t) assignment[static_cast<std::size_t>(positions[t])] = digits[t];

  const std::uint64_t cols = checked_power(m, n - i_size);
  GridEvaluator<Ring> eval(net);
  eval.evaluate_all(assignment.data());
  std::uint64_t row = row_begin, col = 0;
  for (;;) {
    write(row, col, eval.value());
    if (++col == cols) {
      col = 0;
      if (progress) progress->advance(1);
      if (++row == row_end) return;
    }
    // Advance the odometer; k ends at the most significant digit that changed.
    std::size_t k = n - 1;
    for (;; --k) {
      const auto pos = static_cast<std::size_t>(positions[k]);
      if (++digits[k] < static_cast<int>(m)) {
        assignment[pos] = digits[k];
        break;
      }
      digits[k] = 0;  // cannot run past digit 0: the row bound returned first
      assignment[pos] = 0;
    }
    eval.evaluate_units(plan.units_by_reach(), plan.counts(k), assignment.data(), static_cast<int>(k));
  }
}

// assemble_rows over all rows of the plan's matrix, split into `threads` contiguous row ranges
// run in parallel. Rows are independent and each is written once, so `write` needs no locking
// as long as distinct rows go to distinct memory, and the result does not depend on the split
// (every cached partial product is what a full evaluation computes, in the same order).
// `progress` (if any) counts the rows done by all threads.
template <class Ring, class Write>
void assemble_rows_parallel(const CompiledNetwork<Ring>& net, const AssemblyPlan& plan, std::uint64_t rows,
                            std::size_t i_size, int threads, Write&& write, Progress* progress = nullptr) {
  const auto parts = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::max(threads, 1)), 1, rows);
  auto fill = [&](std::uint64_t begin, std::uint64_t end) {
    assemble_rows(net, plan, begin, end, i_size, write, progress);
  };
  std::vector<std::thread> workers;
  for (std::uint64_t t = 1; t < parts; ++t) workers.emplace_back(fill, rows * t / parts, rows * (t + 1) / parts);
  fill(0, rows / parts);
  for (auto& w : workers) w.join();
}

}  // namespace seprank
