// The instruction sets seprank's kernels were compiled for, against the CPU it runs on.
// src/rank/rank_fflas.cpp and src/assembly/table_kernels.cpp are built with
// SEPRANK_ARCH_FLAGS (default -march=x86-64-v3: AVX2 and FMA, docs/install.md); on a CPU without
// those instructions they would die of SIGILL in the middle of a run. main() checks first.
#pragma once

#include <string>
#include <vector>

namespace seprank {

// The x86 features the kernels' compile flags enabled that this CPU lacks (empty: all present,
// or not an x86 build). The environment variable SEPRANK_PRETEND_CPU_LACKS names one feature
// to report as missing, for the test of the refusal (docs/errors.md, 78).
std::vector<std::string> kernel_features_missing_on_this_cpu();

// Throws Error(exit_config) naming the missing features and how to rebuild, if any.
void require_kernel_features();

}  // namespace seprank
