// The test runner, with a guard: a run that executes no test case, or a test case that makes no
// assertion, fails. ctest runs each test case alone (`--test-case=<name>`, one entry per name
// from doctest_discover_tests); a name the filter does not match (a ';' once split names into
// two entries that each matched nothing) would otherwise report Passed after checking nothing.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

// What the guard saw: test cases run, and the assertions each made (subcase re-entries added).
struct GuardCounts {
  int test_cases_run = 0;
  std::map<std::string, int> assertions_per_test_case;
};
GuardCounts& guard_counts() {
  static GuardCounts counts;
  return counts;
}

struct ZeroWorkGuard : doctest::IReporter {
  explicit ZeroWorkGuard(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    guard_counts().test_cases_run = static_cast<int>(stats.numTestCasesPassingFilters);
  }
  void test_case_start(const doctest::TestCaseData& data) override {
    current_ = data.m_name;
    guard_counts().assertions_per_test_case.try_emplace(current_, 0);
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
    guard_counts().assertions_per_test_case[current_] += stats.numAssertsCurrentTest;
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}

 private:
  std::string current_;
};

REGISTER_LISTENER("zero-work-guard", 1, ZeroWorkGuard);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --list-test-cases, --help, --count, ...
  const GuardCounts& counts = guard_counts();
  int failures = 0;
  if (counts.test_cases_run == 0) {
    std::fprintf(stderr, "zero-work guard: no test case matched the filters: nothing was checked\n");
    ++failures;
  }
  for (const auto& [name, assertions] : counts.assertions_per_test_case)
    if (assertions == 0) {
      std::fprintf(stderr, "zero-work guard: test case \"%s\" made no assertion\n", name.c_str());
      ++failures;
    }
  return failures > 0 ? 1 : result;
}
