#include "seprank/support/cpu_support.hpp"

#include <cstdlib>
#include <cstring>

#include "seprank/support/errors.hpp"

namespace seprank {
namespace detail {
extern const char* const kernel_isa_features[];  // src/support/kernel_isa.cpp
}

namespace {

// __builtin_cpu_supports takes only string literals, hence one line per feature.
bool cpu_has(const char* feature) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  struct Known {
    const char* name;
    bool present;
  };
  const Known known[] = {
      {"sse3", __builtin_cpu_supports("sse3") != 0},       {"ssse3", __builtin_cpu_supports("ssse3") != 0},
      {"sse4.1", __builtin_cpu_supports("sse4.1") != 0},   {"sse4.2", __builtin_cpu_supports("sse4.2") != 0},
      {"popcnt", __builtin_cpu_supports("popcnt") != 0},   {"avx", __builtin_cpu_supports("avx") != 0},
      {"avx2", __builtin_cpu_supports("avx2") != 0},       {"fma", __builtin_cpu_supports("fma") != 0},
      {"bmi", __builtin_cpu_supports("bmi") != 0},         {"bmi2", __builtin_cpu_supports("bmi2") != 0},
      {"avx512f", __builtin_cpu_supports("avx512f") != 0}, {"avx512cd", __builtin_cpu_supports("avx512cd") != 0},
      {"avx512vl", __builtin_cpu_supports("avx512vl") != 0}, {"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
      {"avx512dq", __builtin_cpu_supports("avx512dq") != 0},
  };
  for (const Known& k : known)
    if (std::strcmp(k.name, feature) == 0) return k.present;
  return false;  // a feature this table does not know: kernel_isa.cpp lists only known ones
#else
  (void)feature;
  return true;
#endif
}

}  // namespace

std::vector<std::string> kernel_features_missing_on_this_cpu() {
  const char* pretend = std::getenv("SEPRANK_PRETEND_CPU_LACKS");
  std::vector<std::string> missing;
  for (const char* const* f = detail::kernel_isa_features; *f != nullptr; ++f)
    if (!cpu_has(*f) || (pretend != nullptr && std::strcmp(pretend, *f) == 0)) missing.emplace_back(*f);
  return missing;
}

void require_kernel_features() {
  const std::vector<std::string> missing = kernel_features_missing_on_this_cpu();
  if (missing.empty()) return;
  std::string names;
  for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
  throw Error(exit_config, "this seprank was built for instructions this CPU lacks (" + names +
                               "): rebuild it on this machine, or with -DSEPRANK_ARCH_FLAGS=-march=x86-64 for any "
                               "x86-64 CPU (docs/install.md)");
}

}  // namespace seprank
