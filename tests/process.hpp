// Runs a command line through the shell and captures stdout, stderr and the exit code,
// for end-to-end tests of the executables.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace test_support {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline ProcessResult run(const std::string& command) {
  static int counter = 0;
  const std::string err_file = "/tmp/seprank_test_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  ProcessResult result;
  FILE* pipe = ::popen((command + " 2>" + err_file + " </dev/null").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(err_file);
  std::stringstream s;
  s << in.rdbuf();
  result.err = s.str();
  std::remove(err_file.c_str());
  return result;
}

inline std::string seprank_command(const std::string& args) { return std::string(SEPRANK_BINARY) + " " + args; }

}  // namespace test_support
